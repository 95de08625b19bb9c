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
