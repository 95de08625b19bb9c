"""Gates of the standing check on pictures that are not a still, two-footed stance (real model).

The walking samples are synthetic people walking: a clip of them, or a single
mid-stride frame, must be refused with a reason a trainer understands and the
remedy; a greyscale copy of a standing sample must give the colour answer
within its uncertainty; a picture cut off at the knees must say the feet are
not in view.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from posture.cli import main
from posture.sources.video import open_source
from tests.conftest import SAMPLES


def _frame(clip: str, index: int) -> np.ndarray:
    source = open_source(str(SAMPLES / clip))
    try:
        frames = [f.rgb for f in source]
    finally:
        source.close()
    return frames[index]


@pytest.mark.parametrize("clip", ["walk_side.mp4", "walk_front.mp4"])
def test_a_walking_clip_is_refused_with_a_pointer_to_gait(tmp_path, capsys, clip):
    out = tmp_path / "out"
    assert main(["photo", str(SAMPLES / clip), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the person moves between the pictures" in err and "posture gait" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("clip", "index", "text"),
    [
        ("walk_side.mp4", 37, "the feet are apart front to back"),  # side-on, mid-stride
        ("walk_side.mp4", 0, "a knee is bent"),  # swing leg bent: weight on one leg
        ("walk_front.mp4", 30, "one foot is ahead of the other"),  # towards the camera, mid-stride
    ],
)
def test_a_mid_stride_picture_is_refused_with_the_remedy(tmp_path, capsys, clip, index, text):
    path = tmp_path / "stride.png"
    cv2.imwrite(str(path), cv2.cvtColor(_frame(clip, index), cv2.COLOR_RGB2BGR))
    assert main(["photo", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert text in err and "weight on both feet" in err


def test_cut_off_feet_are_named(tmp_path):
    img = cv2.imread(str(SAMPLES / "stand_front_level.png"))[:880]
    path = tmp_path / "cut.png"
    cv2.imwrite(str(path), img)
    assert main(["photo", str(path), "--out", str(tmp_path / "o")]) == 0
    warnings = json.loads((tmp_path / "o" / "result.json").read_text())["warnings"]
    assert any("feet not in view" in w and "feet are in the picture" in w for w in warnings), warnings


def test_greyscale_gives_the_colour_answer_within_uncertainty(tmp_path):
    colour = cv2.imread(str(SAMPLES / "stand_front_hipdrop.png"))
    grey = cv2.cvtColor(cv2.cvtColor(colour, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    cv2.imwrite(str(tmp_path / "grey.png"), grey)
    docs = []
    for name, path in (("c", SAMPLES / "stand_front_hipdrop.png"), ("g", tmp_path / "grey.png")):
        assert main(["photo", str(path), "--out", str(tmp_path / name)]) == 0
        docs.append(
            json.loads((tmp_path / name / "result.json").read_text())["measures"]["pelvic_obliquity_deg"]
        )
    c, g = docs
    assert abs(c["value"] - g["value"]) <= np.hypot(c["uncertainty"], g["uncertainty"])
    assert g["value"] > 0  # the left hip is the higher one (truth +4.1 deg)


def _tunic(sample: str, depth: float) -> np.ndarray:
    """The sample with a garment in the shirt's colour painted from the waist ``depth`` of the way down.

    ``depth`` is a share of the hip-to-knee distance. Placed from the render's true joints:
    a tunic (or a coat, a dress) over the hips and thighs.
    """
    bgr = cv2.imread(str(SAMPLES / f"{sample}.png"))
    joints = json.loads((SAMPLES / f"{sample}.truth.json").read_text())["joints_px"]
    hips = np.array([joints["right_hip"], joints["left_hip"]], float)
    knees = np.array([joints["right_knee"], joints["left_knee"]], float)
    shoulders = (np.array(joints["left_shoulder"]) + np.array(joints["right_shoulder"])) / 2
    width = float(np.linalg.norm(hips[1] - hips[0]))
    cx, cy = (shoulders + 0.6 * (hips.mean(axis=0) - shoulders)).astype(int)
    colour = np.median(bgr[cy - 4 : cy + 5, cx - 4 : cx + 5].reshape(-1, 3), axis=0)
    hem = hips + depth * (knees - hips)
    side = np.array([[-0.5 * width, -0.3 * width], [0.5 * width, -0.3 * width]])
    shape = np.array(
        [hips[0] + side[0], hips[1] + side[1], hem[1] + (0.8 * width, 0), hem[0] - (0.8 * width, 0)]
    )
    out = bgr.copy()
    cv2.fillPoly(out, [shape.astype(np.int32)], tuple(int(c) for c in colour))
    return out


@pytest.mark.parametrize("mirrored", [False, True])
def test_clothing_over_the_hips_leaves_the_hip_measures_out(tmp_path, mirrored):
    picture = _tunic("stand_front_hipdrop", 0.6)
    path = tmp_path / "tunic.png"
    cv2.imwrite(str(path), picture[:, ::-1] if mirrored else picture)
    assert main(["photo", str(path), "--height-cm", "170", "--out", str(tmp_path / "o")]) == 0
    doc = json.loads((tmp_path / "o" / "result.json").read_text())
    assert any("the clothes cover the hips" in w and "fitted clothing" in w for w in doc["warnings"])
    for name in ("pelvic_obliquity_deg", "hip_height_diff_mm", "lateral_pelvic_shift_mm", "leg_length_ratio"):
        assert doc["measures"][name]["value"] is None, name
    assert doc["measures"]["shoulder_tilt_deg"]["value"] is not None
    assert doc["findings"] == [] and doc["provenance"]["quality"]["clothing"]["hips_covered"]
    assert doc["provenance"]["quality"]["protocol_problems"] == ["clothing covers the hips"]


def test_a_top_that_ends_at_the_hips_does_not_hide_them(tmp_path):
    path = tmp_path / "short.png"
    cv2.imwrite(str(path), _tunic("stand_front_hipdrop", 0.1))
    assert main(["photo", str(path), "--out", str(tmp_path / "o")]) == 0
    doc = json.loads((tmp_path / "o" / "result.json").read_text())
    assert not doc["provenance"]["quality"]["clothing"]["hips_covered"]
    assert doc["measures"]["pelvic_obliquity_deg"]["value"] is not None
