"""``posture photo`` end to end on the shipped standing samples (real model, real pixels)."""

from __future__ import annotations

import json

import pypdf
import pytest

from posture.cli import main
from tests.conftest import SAMPLES
from tests.pdf_pages import pages


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    out = tmp_path_factory.mktemp("photo_front")
    code = main([
        "photo", str(SAMPLES / "stand_front_hipdrop.png"), "--height-cm", "170",
        "--client", "<script>alert(1)</script> Ann", "--blur-faces", "--out", str(out), "--pdf",
        "--paper", "letter",
    ])  # fmt: skip
    assert code == 0
    return out


def test_outputs_are_written(front):
    names = sorted(p.name for p in front.iterdir())
    assert names == ["annotated.png", "report.html", "report.pdf", "result.json"]


def test_the_pdf_is_the_client_page_on_few_well_filled_letter_pages(front):
    printed = pages(front / "report.pdf")
    text = " ".join(t for t, _ in printed)
    assert 1 <= len(printed) <= 4
    assert all(fill > 0.25 for _, fill in printed), [round(f, 2) for _, f in printed]  # no near-empty page
    assert "What the check found" in text and "Left hip higher" in text and "Exercises to do" in text
    assert "Technical appendix" not in text and "How this report was made" not in text
    reader = pypdf.PdfReader(str(front / "report.pdf"))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (612, 792)  # US Letter, in points


def test_result_schema(front):
    doc = json.loads((front / "result.json").read_text())
    assert doc["schema_version"] == 2 and doc["view"] == "front"
    for name in ("pelvic_obliquity_deg", "hip_height_diff_mm", "hip_height_diff_px", "shoulder_tilt_deg",
                 "hip_height_diff_pct_hip_width", "lateral_pelvic_shift_mm", "leg_length_ratio",
                 "knee_alignment_deg_left", "knee_alignment_deg_right"):  # fmt: skip
        m = doc["measures"][name]
        assert set(m) >= {"value", "unit", "uncertainty", "meaning"}
        assert m["value"] is not None and m["uncertainty"] > 0
    assert doc["provenance"]["model"]["sha256"]
    assert doc["provenance"]["scale"]["method"].startswith("stated height")


def test_hip_drop_is_found_within_its_uncertainty(front):
    """The sample's right hip is 15 mm lower (obliquity about +4.1 deg)."""
    doc = json.loads((front / "result.json").read_text())
    truth = json.loads((SAMPLES / "stand_front_hipdrop.truth.json").read_text())
    m = doc["measures"]["pelvic_obliquity_deg"]
    assert abs(m["value"] - truth["pelvic_obliquity_deg"]) <= 2 * m["uncertainty"]
    mm = doc["measures"]["hip_height_diff_mm"]
    assert mm["value"] > 0 and abs(mm["value"] - truth["hip_height_diff_mm"]) <= 2 * mm["uncertainty"]
    assert any(f["id"] == "left_hip_higher" for f in doc["findings"])


def test_report_is_self_contained_and_escapes_the_client(front):
    html = (front / "report.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "data:image/" in html and "http://" not in html and "https://" not in html
    assert "not a diagnosis" in html.lower() or "not diagnosis" in html.lower()


def test_level_front_view_reads_level(tmp_path):
    assert main(["photo", str(SAMPLES / "stand_front_level.png"), "--out", str(tmp_path)]) == 0
    doc = json.loads((tmp_path / "result.json").read_text())
    assert abs(doc["measures"]["pelvic_obliquity_deg"]["value"]) <= 1.0
    assert doc["measures"]["hip_height_diff_mm"]["value"] is None  # no scale given


VIEWS = [("stand_back_level.png", "back"), ("stand_side_tilt.png", "left")]


@pytest.mark.parametrize(("sample", "view"), VIEWS)
def test_view_is_detected(tmp_path, sample, view):
    assert main(["photo", str(SAMPLES / sample), "--out", str(tmp_path)]) == 0
    assert json.loads((tmp_path / "result.json").read_text())["view"] == view


def test_bad_height_is_refused(tmp_path, capsys):
    args = ["photo", str(SAMPLES / "stand_front_level.png"), "--height-cm", "17", "--out", str(tmp_path)]
    assert main(args) == 2
    assert "--height-cm 17 is not a standing height" in capsys.readouterr().err


def test_aruco_marker_gives_the_true_scale(tmp_path):
    """A 150 mm marker drawn at the subject's distance: the scale must match the camera's."""
    import cv2

    truth = json.loads((SAMPLES / "stand_front_level.truth.json").read_text())
    cam = truth["camera"]
    px_per_mm = cam["fy"] / (cam["distance_m"] * 1000.0)
    side = int(round(150 * px_per_mm))
    tag = cv2.aruco.generateImageMarker(cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50), 3, side)
    img = cv2.imread(str(SAMPLES / "stand_front_level.png"))
    y0, x0 = 150, 30
    img[y0 - 10 : y0 + side + 10, x0 - 10 : x0 + side + 10] = 255  # white quiet zone
    img[y0 : y0 + side, x0 : x0 + side] = tag[..., None]
    photo_path = tmp_path / "with_marker.png"
    cv2.imwrite(str(photo_path), img)
    assert main(["photo", str(photo_path), "--marker-mm", "150", "--out", str(tmp_path / "o")]) == 0
    scale = json.loads((tmp_path / "o" / "result.json").read_text())["provenance"]["scale"]
    assert scale["method"].startswith("ArUco marker 3")
    assert scale["mm_per_px"] == pytest.approx(1 / px_per_mm, rel=0.02)


def _pictures(tmp_path):
    """Bad or awkward pictures made from the shipped samples."""
    import cv2
    import numpy as np

    front = cv2.imread(str(SAMPLES / "stand_front_level.png"))
    back = cv2.imread(str(SAMPLES / "stand_back_level.png"))
    made = {
        "two_people.png": np.hstack([front, back]),
        "cut_at_knees.png": front[:880],
        "lying.png": cv2.rotate(front, cv2.ROTATE_90_CLOCKWISE),
        "nobody.png": np.full((900, 600, 3), 200, np.uint8),
    }
    for name, img in made.items():
        cv2.imwrite(str(tmp_path / name), img)
    return tmp_path


AWKWARD = [
    # picture, extra arguments, exit code, text expected in stderr or in the result's warnings
    ("two_people.png", [], 0, "2 people in view: the tallest person was analysed"),
    ("cut_at_knees.png", [], 0, "not the whole body is in the picture"),
    ("lying.png", [], 2, "the subject is not standing"),
    ("nobody.png", [], 3, "no person found"),
    ("side", ["--view", "front"], 2, "--view front was given, but the picture is a left view"),
    ("front", ["--marker-mm", "100"], 0, "no ArUco marker was found"),
]


@pytest.mark.parametrize(("picture", "extra", "code", "text"), AWKWARD)
def test_awkward_pictures_get_a_clear_answer(tmp_path, capsys, picture, extra, code, text):
    folder = _pictures(tmp_path)
    path = {"side": SAMPLES / "stand_side_tilt.png", "front": SAMPLES / "stand_front_level.png"}.get(
        picture, folder / picture
    )
    out = tmp_path / "out"
    assert main(["photo", str(path), *extra, "--out", str(out)]) == code
    if code:
        assert text in capsys.readouterr().err and not out.exists()
    else:
        assert any(text in w for w in json.loads((out / "result.json").read_text())["warnings"])


def test_cut_off_legs_blank_the_leg_measures(tmp_path):
    folder = _pictures(tmp_path)
    assert main(["photo", str(folder / "cut_at_knees.png"), "--out", str(tmp_path / "o")]) == 0
    measures = json.loads((tmp_path / "o" / "result.json").read_text())["measures"]
    assert measures["knee_alignment_deg_left"]["value"] is None
    assert measures["pelvic_obliquity_deg"]["value"] is not None


def test_client_name_never_becomes_a_path(tmp_path):
    out = tmp_path / "out"
    client = "../../escape/<img src=x onerror=alert(1)>"
    assert main(["photo", str(SAMPLES / "stand_front_level.png"), "--client", client, "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["annotated.png", "report.html",
                                                                         "result.json"]  # fmt: skip
    assert "<img src=x" not in (out / "report.html").read_text()
