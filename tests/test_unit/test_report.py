"""The HTML report: self-contained, escaped, complete, written atomically."""

import base64
import re
from datetime import datetime

import cv2
import numpy as np
import pytest

from posture.core.measure import Measure
from posture.findings import evaluate, index_measures, load_knowledge, recommend
from posture.report import image_data_uri, render_report, write_report

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _measures():
    return [
        Measure("pelvic_obliquity_deg", -6.0, "deg", 0.5, "Tilt of the hip line; positive = left higher."),
        Measure("knee_alignment_deg_left", 9.0, "deg", 2.0, "Left knee angle."),
        Measure("anterior_pelvic_tilt_deg", 24.0, "deg", 4.0, "Pelvic tilt proxy.", estimate=True),
        Measure("hip_height_diff_mm", None, "mm", note="no scale: give --height-cm"),
    ]


def _image(colour):
    img = np.zeros((40, 30, 3), np.uint8)
    img[:] = colour
    return img


def _render(kb, *, client=f"Ann {SCRIPT}", measures=None, images=None, created=datetime(2024, 5, 6, 7, 8)):
    measures = _measures() if measures is None else measures
    findings = evaluate(index_measures(measures), kb)
    recs = recommend(findings, kb)
    page = render_report(
        title="Posture report",
        subtitle="front_<b>.png",
        images=[("front <view>.png", _image((0, 0, 255))), ("side.png", _image((0, 255, 0)))]
        if images is None
        else images,
        measures=measures,
        findings=findings,
        recommendations=recs,
        general=kb.general,
        provenance={
            "model": "pose_landmarker_full",
            "sha256": "ab12",
            "settings": {"frames": 5, "note": "<i>"},
        },
        client=client,
        warnings=["Low visibility of the left ankle & heel <check>"],
        created=created,
    )
    return page, findings, recs


def test_user_text_is_escaped(kb):
    page, _, _ = _render(kb)
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "front_&lt;b&gt;.png" in page
    assert 'alt="front &lt;view&gt;.png"' in page
    assert "ankle &amp; heel &lt;check&gt;" in page
    assert "&lt;i&gt;" in page and "<i>" not in page


def test_images_are_embedded_as_data_uris(kb):
    page, _, _ = _render(kb)
    uris = re.findall(r'src="(data:image/jpeg;base64,[^"]+)"', page)
    assert len(uris) == 2
    decoded = cv2.imdecode(
        np.frombuffer(base64.b64decode(uris[0].split(",", 1)[1]), np.uint8), cv2.IMREAD_COLOR
    )
    assert decoded.shape == (40, 30, 3)
    assert decoded[20, 15, 2] > 240 and decoded[20, 15, 1] < 15  # still red (BGR)


def test_page_has_no_external_resources(kb):
    page, _, _ = _render(kb)
    assert re.search(r"https?://", page) is None
    for marker in ("<link", "@import", "url(", "<script", "<iframe"):
        assert marker not in page


def test_page_has_every_section_and_the_numbers(kb):
    page, findings, recs = _render(kb)
    headings = (
        "What the check found",
        "Pictures",
        "Exercises to do (most useful first)",
        "Screening, not diagnosis",
        "Technical appendix",
        "Every measure",
        "Quality notes and warnings",
        "How this report was made",
    )
    positions = [page.index(f">{heading}<") for heading in headings]
    assert positions == sorted(positions)  # the client page first, then the technical appendix
    assert "Client:</strong> Ann" in page and "2024-05-06 07:08" in page
    assert [f.id for f in findings] == ["right_hip_higher", "anterior_pelvic_tilt", "knee_valgus"]
    for f in findings:
        assert f.title in page
    assert "Measured <strong>-6.0°</strong> ±0.5°" in page and "screening threshold 5.0°" in page
    # a finding less than one uncertainty past its threshold is tagged; a confident one is not
    assert page.count(">may be noise<") == sum(not f.confident for f in findings) == 1
    assert "not measured" in page and "no scale: give --height-cm" in page
    assert ">estimate<" in page
    assert "settings.frames" in page


def test_recommendations_appear_once_in_priority_order(kb):
    page, _, recs = _render(kb)
    positions = [page.index(f"{r.rank}. {r.exercise.name}") for r in recs]
    assert positions == sorted(positions)
    for r in recs:
        assert page.count(f". {r.exercise.name}<") == 1


def test_a_report_without_findings_or_images_still_renders(kb):
    page, findings, recs = _render(kb, client=None, measures=[], images=[])
    assert findings == [] and recs == []
    assert "No measure reached a screening band." in page
    assert "Client:" not in page and "<img" not in page
    assert "Screening, not diagnosis" in page


@pytest.mark.parametrize(
    "image",
    [np.zeros((4, 4, 3), np.float32), np.zeros((4, 4, 2), np.uint8), np.zeros(4, np.uint8)],
)
def test_image_data_uri_rejects_non_images(image):
    with pytest.raises(ValueError, match="expected a uint8 image"):
        image_data_uri(image)


def test_image_data_uri_png_and_grey():
    assert image_data_uri(np.zeros((5, 5), np.uint8), "png").startswith("data:image/png;base64,")
    assert image_data_uri(np.zeros((5, 5, 4), np.uint8)).startswith("data:image/jpeg;base64,")


def test_write_report_is_atomic_and_utf8(kb, tmp_path):
    page, _, _ = _render(kb)
    out = write_report(tmp_path / "out" / "report.html", page)
    assert out.read_text(encoding="utf-8") == page
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]


def test_the_printed_form_is_the_client_page_alone(kb):
    measures = _measures()
    findings = evaluate(index_measures(measures), kb)
    args = {
        "title": "Posture report", "subtitle": "", "images": [("front.png", _image((0, 0, 255)))],
        "measures": measures, "findings": findings, "recommendations": recommend(findings, kb),
        "general": kb.general, "provenance": {"model": "full"}, "client": None, "warnings": ["w <1>"],
        "video": ("overlay.mp4", "the walk"), "technical_images": [("feet.png", _image((0, 255, 0)))],
    }  # fmt: skip
    screen, printed = render_report(**args), render_report(**args, printed=True, paper="letter")
    for part in ("Technical appendix", "Every measure", "How this report was made", "<video", "w &lt;1&gt;"):
        assert part in screen and part not in printed
    assert printed.count("<img") == 1 and screen.count("<img") == 2
    assert ">What the check found<" in printed and ">Exercises to do (most useful first)<" in printed
    assert "size: letter;" in printed and "size: A4;" in screen
