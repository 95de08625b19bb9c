"""Photo measures on landmarks with exactly known geometry."""

import numpy as np
import pytest

from posture.core.view import View
from posture.data.skeleton import MIRROR
from posture.data.skeleton import Landmark as L
from posture.standing import landmarks as photo
from tests.conftest import stencil_person


def _front(left_hip_dy=0.0, left_shoulder_dy=0.0):
    """Front view: the subject's left is on the image right (stencil x 62 vs 38)."""
    xy = stencil_person(100, 100, 2.0)
    xy[L.LEFT_HIP, 1] -= left_hip_dy
    xy[L.LEFT_SHOULDER, 1] -= left_shoulder_dy
    return xy


def _back(xy):
    """The same body seen from behind: mirror x, keep the subject's labels."""
    out = xy.copy()
    out[:, 0] = 400 - out[:, 0]
    return out


def test_level_body_measures_zero():
    xy = _front()
    assert photo.pelvic_obliquity_deg(xy) == 0.0
    assert photo.hip_height_diff_px(xy) == 0.0
    assert photo.shoulder_tilt_deg(xy) == 0.0
    assert photo.leg_length_ratio(xy) == pytest.approx(1.0)
    assert photo.lateral_pelvic_shift_px(xy, View.FRONT) == 0.0


@pytest.mark.parametrize("view", [View.FRONT, View.BACK])
def test_left_hip_higher_is_positive_in_front_and_back_views(view):
    xy = _front(left_hip_dy=6.0)
    if view is View.BACK:
        xy = _back(xy)
    width = 2.0 * (62 - 38)
    assert photo.hip_height_diff_px(xy) == pytest.approx(6.0)
    assert photo.pelvic_obliquity_deg(xy) == pytest.approx(np.degrees(np.arctan2(6.0, width)))


def test_right_shoulder_higher_is_negative():
    xy = _front(left_shoulder_dy=-5.0)
    assert photo.shoulder_tilt_deg(xy) == pytest.approx(-np.degrees(np.arctan2(5.0, 2.0 * 40)))


@pytest.mark.parametrize(("view", "dx", "expected"), [(View.FRONT, 7.0, 7.0), (View.BACK, 7.0, -7.0)])
def test_lateral_shift_towards_subject_left(view, dx, expected):
    xy = _front()
    xy[[L.LEFT_HIP, L.RIGHT_HIP], 0] += dx  # hips move towards image +x
    assert photo.lateral_pelvic_shift_px(xy, view) == pytest.approx(expected)


def test_leg_length_ratio_of_a_shorter_right_shank():
    xy = _front()
    xy[L.RIGHT_ANKLE, 1] -= 9.0  # right shank 90 -> 81 px
    assert photo.leg_length_ratio(xy) == pytest.approx(180.0 / 171.0)


@pytest.mark.parametrize(("dx", "sign"), [(-8.0, 1), (8.0, -1)])
def test_knee_alignment_valgus_positive(dx, sign):
    xy = _front()
    xy[L.LEFT_KNEE, 0] += dx  # left knee moves towards image left = the midline in a front view
    expected = sign * 2 * np.degrees(np.arctan2(8.0, 90.0))
    assert photo.knee_alignment_deg(xy, "left", View.FRONT) == pytest.approx(expected)
    back = _back(xy)
    assert photo.knee_alignment_deg(back, "left", View.BACK) == pytest.approx(expected)
    mirrored = xy[list(MIRROR)].copy()
    mirrored[:, 0] = 400 - mirrored[:, 0]
    assert photo.knee_alignment_deg(mirrored, "right", View.FRONT) == pytest.approx(expected)


def test_side_view_trunk_and_head_lean_forward():
    xy = np.full((33, 2), np.nan)
    # Subject's right side to the camera: faces image +x.
    xy[[L.LEFT_HIP, L.RIGHT_HIP]] = (200, 300)
    xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER]] = (210, 150)
    xy[L.RIGHT_EAR] = (230, 100)
    assert photo.trunk_lean_deg(xy, View.RIGHT) == pytest.approx(np.degrees(np.arctan2(10, 150)))
    assert photo.head_forward_deg(xy, View.RIGHT) == pytest.approx(np.degrees(np.arctan2(20, 50)))
    flipped = xy.copy()
    flipped[:, 0] = 400 - flipped[:, 0]
    flipped[L.LEFT_EAR] = flipped[L.RIGHT_EAR]
    assert photo.trunk_lean_deg(flipped, View.LEFT) == pytest.approx(np.degrees(np.arctan2(10, 150)))
    assert photo.head_forward_deg(flipped, View.LEFT) == pytest.approx(np.degrees(np.arctan2(20, 50)))
