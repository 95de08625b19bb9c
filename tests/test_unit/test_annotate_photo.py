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


def _side_person(facing: float = -1.0, width: int = 400) -> np.ndarray:
    """A side-view person facing image -x (or +x), hips at (200, 220), shoulders 120 px above."""
    xy = np.full((33, 2), np.nan)
    points = {
        L.NOSE: (188, 70), L.LEFT_EAR: (203, 75), L.RIGHT_EAR: (203, 75),
        L.LEFT_SHOULDER: (200, 100), L.RIGHT_SHOULDER: (200, 100),
        L.LEFT_HIP: (200, 220), L.RIGHT_HIP: (200, 220),
        L.LEFT_KNEE: (198, 290), L.RIGHT_KNEE: (198, 290),
        L.LEFT_ANKLE: (200, 360), L.RIGHT_ANKLE: (200, 360),
    }  # fmt: skip
    for lm, p in points.items():
        xy[lm] = p
    if facing > 0:
        xy[:, 0] = width - 1 - xy[:, 0]
    return xy


TILT = {"anterior_pelvic_tilt_deg": Measure("anterior_pelvic_tilt_deg", 7.0, "deg", 2.5, estimate=True)}


def _is_pelvis(image: np.ndarray) -> np.ndarray:
    from posture.annotate.photo import PELVIS_COLOUR

    return np.abs(image.astype(int) - PELVIS_COLOUR).sum(axis=2) < 40


def test_a_side_view_draws_the_pelvis_line_at_the_estimated_tilt_front_end_lower():
    from posture.annotate.photo import pelvis_line

    xy = _side_person()
    back, front = pelvis_line(xy, TILT["anterior_pelvic_tilt_deg"])
    assert front[0] < back[0] and front[1] > back[1]  # faces -x; a forward tilt lowers the front
    assert np.degrees(np.arctan2(front[1] - back[1], back[0] - front[0])) == pytest.approx(13.0 + 7.0)
    out = annotate_standing(black(400, 400), xy, TILT, 0.0, side_view=True)
    for t in (0.2, 0.5, 0.8):  # pixels change along the line, not only at one spot
        x, y = back + t * (front - back)
        assert _is_pelvis(out[int(y) - 2 : int(y) + 3, int(x) - 2 : int(x) + 3]).any(), t
    assert not _is_pelvis(annotate_standing(black(400, 400), xy, {}, 0.0, side_view=True)).any()
    assert not _is_pelvis(annotate_standing(black(400, 400), XY, TILT, 0.0, side_view=False)).any()


def test_the_pelvis_line_is_labelled_and_mirrors_with_the_picture():
    from posture.annotate.photo import pelvis_line

    direct = pelvis_line(_side_person(-1.0), TILT["anterior_pelvic_tilt_deg"])
    mirror = pelvis_line(_side_person(+1.0), TILT["anterior_pelvic_tilt_deg"])
    for a, b in zip(direct, mirror, strict=True):
        assert a[1] == pytest.approx(b[1]) and a[0] == pytest.approx(399 - b[0])
    steeper = pelvis_line(_side_person(), Measure("anterior_pelvic_tilt_deg", 15.0, "deg", 2.5))
    assert steeper[1][1] > direct[1][1]  # more forward tilt: the front end lower still
    out = annotate_standing(black(400, 400), _side_person(), TILT, 0.0, side_view=True)
    left_of_front = out[:, : int(direct[1][0]) - 4]
    assert (left_of_front >= 250).all(axis=2).any()  # the white label beyond the front end


@pytest.mark.parametrize("width", [390, 720, 1080, 1920, 4000])
def test_legend_text_stays_readable_when_the_picture_is_shown_390_px_wide(width):
    from posture.annotate.photo import MIN_TEXT_PX, PHONE_WIDTH_PX, text_height_px

    frame = black(400, width)
    assert text_height_px(frame) * PHONE_WIDTH_PX / width >= MIN_TEXT_PX
    out = annotate_standing(frame, person(width * 0.6, 150), OBLIQUITY, 0.0, side_view=False)
    rows = np.flatnonzero((out[:, : width // 2] >= 180).all(axis=2).any(axis=1))  # white, anti-aliased
    gaps = np.diff(rows) > 3  # lines are half a text height apart; an i's dot is 1-2 rows above its stem
    first = rows[: np.argmax(gaps) + 1] if gaps.any() else rows
    ink = first.max() - first.min() + 1  # the first legend line's white ink, capitals to descenders
    assert ink * PHONE_WIDTH_PX / width >= MIN_TEXT_PX


def test_text_and_lines_grow_with_the_picture_width():
    from posture.annotate.photo import measure_line_width, text_scale

    scales = [text_scale(black(100, w)) for w in (720, 1440, 2880)]
    assert scales[0] < scales[1] < scales[2]
    assert scales[2] == pytest.approx(4 * scales[0], rel=0.05)
    assert measure_line_width(black(100, 2880)) > measure_line_width(black(100, 720))


def test_a_long_legend_line_wraps_inside_the_picture_and_keeps_the_uncertainty_whole():
    from posture.annotate.photo import text_scale, wrap_text

    frame = black(1280, 720)
    text = "head: forward of the shoulders by 17.1 deg (+/- 0.3)"
    lines = wrap_text(text, text_scale(frame), 500)
    assert len(lines) >= 2 and " ".join(lines) == text
    assert any("(+/- 0.3)" in line for line in lines)
    out = annotate_standing(
        frame,
        person(400, 400),
        {"head_forward_deg": Measure("head_forward_deg", 17.1, "deg", 0.3)},
        0.0,
        side_view=True,
    )
    assert not (out[:200, -3:] >= 250).all(axis=2).any()  # nothing written off the right edge


def test_a_tiny_uncertainty_is_not_written_as_zero_in_the_legend():
    from posture.annotate.photo import legend_line

    assert (
        legend_line(Measure("trunk_lean_deg", 0.02, "deg", 0.0)) == "trunk: about level, +0.0 deg (+/- <0.1)"
    )
    assert (
        legend_line(Measure("trunk_lean_deg", 1.23, "deg", 0.0004))
        == "trunk: leans forward by 1.2 deg (+/- <0.1)"
    )
