"""The annotated standing photo: hip and shoulder lines in front view, the plumb line, the legend."""

from __future__ import annotations

import numpy as np
import pytest

from posture.annotate.photo import HIP_COLOUR, PLUMB_COLOUR, SHOULDER_COLOUR, annotate_standing
from posture.core.measure import Measure
from posture.data.skeleton import Landmark as L
from tests.test_unit._fixtures import black, person, pixel

# A person in the lower right of a 400 x 400 picture, so the legend's corner stays clear of them.
XY = person(200, 150)
OBLIQUITY = {"pelvic_obliquity_deg": Measure("pelvic_obliquity_deg", 2.5, "deg", 0.5)}


def _plumb_near(image: np.ndarray, x: float, y: float) -> bool:
    """Whether the plumb line's green (thin and anti-aliased: partly covered pixels) is within 1 px of x."""
    row = image[int(round(y)), int(round(x)) - 1 : int(round(x)) + 2].astype(int)
    b, g, r = row[:, 0], row[:, 1], row[:, 2]
    return bool(((g > 0.8 * PLUMB_COLOUR[1]) & (g > 3 * b) & (g > 3 * r)).any())


def _hip_line_beyond_the_left_hip() -> tuple[float, float]:
    return XY[L.LEFT_HIP, 0] + 6, XY[L.LEFT_HIP, 1]


def test_the_photo_itself_is_not_drawn_on():
    photo = black(400, 400)
    out = annotate_standing(photo, XY, {}, 0.0, side_view=False)
    assert not photo.any() and out.any()


def test_front_view_draws_the_hip_and_shoulder_lines_beyond_the_joints():
    out = annotate_standing(black(400, 400), XY, {}, 0.0, side_view=False)
    assert pixel(out, _hip_line_beyond_the_left_hip()) == HIP_COLOUR
    assert pixel(out, (XY[L.RIGHT_HIP, 0] - 6, XY[L.RIGHT_HIP, 1])) == HIP_COLOUR
    assert pixel(out, (XY[L.LEFT_SHOULDER, 0] + 10, XY[L.LEFT_SHOULDER, 1])) == SHOULDER_COLOUR


def test_side_view_draws_no_hip_or_shoulder_line():
    out = annotate_standing(black(400, 400), XY, {}, 0.0, side_view=True)
    assert pixel(out, _hip_line_beyond_the_left_hip()) == (0, 0, 0)
    assert pixel(out, (XY[L.LEFT_SHOULDER, 0] + 10, XY[L.LEFT_SHOULDER, 1])) == (0, 0, 0)


def test_the_plumb_line_rises_from_between_the_ankles_on_a_level_picture():
    out = annotate_standing(black(400, 400), XY, {}, 0.0, side_view=False)
    x = (XY[L.LEFT_ANKLE, 0] + XY[L.RIGHT_ANKLE, 0]) / 2  # 250
    for y in (XY[L.LEFT_KNEE, 1], XY[L.LEFT_KNEE, 1] + 20, XY[L.LEFT_HIP, 1] - 20):
        assert _plumb_near(out, x, y)
    assert pixel(out, (x + 3, XY[L.LEFT_KNEE, 1])) == (0, 0, 0)
    assert pixel(out, (x - 3, XY[L.LEFT_KNEE, 1])) == (0, 0, 0)


def test_the_plumb_line_follows_the_scenes_roll():
    level = annotate_standing(black(400, 400), XY, {}, 0.0, side_view=False)
    rolled = annotate_standing(black(400, 400), XY, {}, 10.0, side_view=False)
    x, y = (XY[L.LEFT_ANKLE, 0] + XY[L.RIGHT_ANKLE, 0]) / 2, XY[L.LEFT_KNEE, 1]
    assert not _plumb_near(rolled, x, y)
    # A 10 degree roll tips the top of the line towards -x by tan(10 deg) per pixel of height.
    dy = XY[L.LEFT_ANKLE, 1] - y
    assert _plumb_near(rolled, x - dy * np.tan(np.radians(10)), y)
    assert _plumb_near(level, x, y)


def test_a_measured_value_is_written_in_the_legend_and_a_missing_one_is_not():
    corner = (slice(0, 60), slice(0, 180))
    empty = annotate_standing(black(400, 400), XY, {}, 0.0, side_view=False)
    assert not empty[corner].any()
    missing = {"pelvic_obliquity_deg": Measure("pelvic_obliquity_deg", None, "deg")}
    assert not annotate_standing(black(400, 400), XY, missing, 0.0, side_view=False)[corner].any()
    shown = annotate_standing(black(400, 400), XY, OBLIQUITY, 0.0, side_view=False)
    assert (shown[corner] >= 250).all(axis=2).any()  # the white (anti-aliased) text


def test_measures_without_a_legend_label_are_not_written():
    other = {"knee_alignment_deg_left": Measure("knee_alignment_deg_left", 3.0, "deg")}
    out = annotate_standing(black(400, 400), XY, other, 0.0, side_view=False)
    assert not out[0:60, 0:180].any()


def test_each_legend_line_goes_below_the_previous():
    one = annotate_standing(black(400, 400), XY, OBLIQUITY, 0.0, side_view=False)
    two = {**OBLIQUITY, "trunk_lean_deg": Measure("trunk_lean_deg", -1.0, "deg")}
    both = annotate_standing(black(400, 400), XY, two, 0.0, side_view=False)
    rows_one = np.nonzero(one[:, :180].any(axis=(1, 2)) & (np.arange(400) < 100))[0]
    rows_two = np.nonzero(both[:, :180].any(axis=(1, 2)) & (np.arange(400) < 100))[0]
    assert rows_two.max() > rows_one.max() + 20


def _green_columns(image: np.ndarray, y: int) -> np.ndarray:
    row = image[y].astype(int)
    return np.flatnonzero((row[:, 1] > 60) & (row[:, 1] > 3 * row[:, 0]) & (row[:, 1] > 3 * row[:, 2]))


def test_mirroring_the_picture_and_its_roll_mirrors_the_plumb_line():
    width = 400
    # Only a nose and the ankles: nothing but the plumb line is drawn between them.
    xy = np.full((33, 2), np.nan)
    xy[L.NOSE], xy[L.LEFT_ANKLE], xy[L.RIGHT_ANKLE] = (230, 50), (240, 340), (250, 340)
    flipped = xy.copy()
    flipped[:, 0] = width - 1 - flipped[:, 0]
    direct = annotate_standing(black(400, width), xy, {}, 8.0, side_view=True)
    mirror = annotate_standing(black(400, width), flipped, {}, -8.0, side_view=True)
    for y in (100, 150, 200, 250, 300):
        cols = _green_columns(direct, y)
        assert cols.size > 0
        # The line leans towards -x by tan(8 deg) per pixel of height above the ankles' midpoint.
        assert abs(cols.mean() - (245 - (340 - y) * np.tan(np.radians(8)))) <= 1.0
        assert abs(cols.mean() - (width - 1 - _green_columns(mirror, y)).mean()) <= 1.0


@pytest.mark.parametrize("unknown", [L.RIGHT_ANKLE, L.RIGHT_HIP])
def test_a_front_view_with_one_unknown_landmark_is_still_drawn(unknown):
    xy = XY.copy()
    xy[unknown] = np.nan
    out = annotate_standing(black(400, 400), xy, {}, 0.0, side_view=False)
    assert pixel(out, XY[L.LEFT_KNEE]) != (0, 0, 0)


def test_the_legend_says_which_side_and_calls_a_value_within_its_uncertainty_level():
    from posture.annotate.photo import legend_line

    assert legend_line(Measure("pelvic_obliquity_deg", 2.8, "deg", 1.9)) == (
        "hip line: left side higher by 2.8 deg (+/- 1.9)"
    )
    assert (
        legend_line(Measure("hip_height_diff_mm", -9.4, "mm", 3.0))
        == "hips: right hip higher by 9 mm (+/- 3)"
    )
    assert legend_line(Measure("shoulder_tilt_deg", 0.4, "deg", 0.8)).startswith("shoulder line: about level")
    assert legend_line(Measure("head_forward_deg", 17.1, "deg", 0.5)) == (
        "head: forward of the shoulders by 17.1 deg (+/- 0.5)"
    )
    assert legend_line(Measure("pelvic_obliquity_deg", None, "deg")) is None


def test_a_side_view_draws_the_trunk_and_head_lines():
    from posture.annotate.photo import HEAD_COLOUR, TRUNK_COLOUR

    out = annotate_standing(black(400, 400), XY, {}, 0.0, side_view=True)
    for colour in (TRUNK_COLOUR, HEAD_COLOUR):
        assert (np.abs(out.astype(int) - colour).sum(axis=2) < 30).any(), colour
    front = annotate_standing(black(400, 400), XY, {}, 0.0, side_view=False)
    assert not (np.abs(front.astype(int) - TRUNK_COLOUR).sum(axis=2) < 30).any()
