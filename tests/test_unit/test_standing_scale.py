"""Millimetres per pixel from a stated height (drawn landmarks, real masks) or a marker."""

from __future__ import annotations

import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.standing.scale import HEAD_TOP_FACTOR, head_top_y, scale_from_height, scale_from_marker
from posture.standing.scene import Marker
from tests.test_unit._fixtures import person

# A person drawn at twice the stencil's size: eyes at y=30, shoulders at y=80, the lowest toe at y=396.
XY = person(0, 0, scale=2.0)
TOP = 30 - HEAD_TOP_FACTOR * (80 - 30)  # 2.5


def _mask(rows: slice, cols: slice, shape: tuple[int, int] = (420, 220)) -> np.ndarray:
    mask = np.zeros(shape, np.float32)
    mask[rows, cols] = 1.0
    return mask


def test_without_a_mask_the_head_top_is_extrapolated_from_eyes_and_shoulders():
    assert head_top_y(XY, None) == (pytest.approx(TOP), "head landmarks")


def test_a_known_height_gives_height_over_pixels_with_six_percent_uncertainty():
    scale = scale_from_height(XY, None, 1700.0)
    pixels = 396 - TOP
    assert scale.mm_per_px == pytest.approx(1700 / pixels)
    assert scale.method == f"stated height (head landmarks, {pixels:.0f} px tall)"
    assert scale.uncertainty_rel == 0.06


def test_the_mask_gives_the_head_top_when_it_reaches_above_the_eyes():
    mask = _mask(slice(8, 400), slice(80, 120))
    assert head_top_y(XY, mask) == (8.0, "segmentation mask")
    scale = scale_from_height(XY, mask, 1700.0)
    assert scale.mm_per_px == pytest.approx(1700 / (396 - 8))
    assert scale.uncertainty_rel == 0.04
    assert scale.method == "stated height (segmentation mask, 388 px tall)"


def test_mask_pixels_beside_the_head_are_not_the_head():
    mask = _mask(slice(8, 400), slice(80, 120)) + _mask(slice(0, 100), slice(0, 20))  # a raised hand at x<20
    assert head_top_y(XY, mask)[0] == 8.0


def test_a_mask_that_does_not_reach_above_the_eyes_falls_back_to_the_landmarks():
    mask = _mask(slice(40, 400), slice(80, 120))
    assert head_top_y(XY, mask) == (pytest.approx(TOP), "head landmarks")


def test_the_scale_doubles_when_the_person_is_drawn_half_the_size():
    small = scale_from_height(person(0, 0, scale=1.0), None, 1700.0)
    assert small.mm_per_px == pytest.approx(2 * scale_from_height(XY, None, 1700.0).mm_per_px)


def test_the_floor_is_the_lowest_heel_or_toe():
    xy = XY.copy()
    xy[L.RIGHT_FOOT_INDEX, 1] = 410.0
    assert scale_from_height(xy, None, 1000.0).mm_per_px == pytest.approx(1000 / (410 - TOP))


FEET = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX]


# numpy warns of the NaN means and maxima on the way; the contract is the one-line ValueError.
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("missing", [[L.LEFT_EYE, L.RIGHT_EYE], FEET])
def test_without_head_or_feet_the_height_cannot_be_measured(missing):
    xy = XY.copy()
    xy[missing] = np.nan
    with pytest.raises(
        ValueError, match="^cannot find the head and feet to measure the subject's height in pixels$"
    ):
        scale_from_height(xy, None, 1700.0)


def test_a_person_upside_down_in_the_landmarks_is_refused():
    xy = XY.copy()
    xy[:, 1] = 400 - xy[:, 1]  # feet above the head
    with pytest.raises(ValueError, match="cannot find the head and feet"):
        scale_from_height(xy, None, 1700.0)


def test_a_marker_gives_its_side_over_its_pixel_side():
    corners = np.array([[10, 10], [60, 10], [60, 60], [10, 60]], float)
    scale = scale_from_marker(Marker("DICT_4X4_50", 7, corners, 50.0, 0.0), 100.0)
    assert scale.mm_per_px == 2.0
    assert scale.method == "ArUco marker 7 (50 px side)"
    assert scale.uncertainty_rel == 0.02
