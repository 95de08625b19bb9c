"""Pelvis level from the pixels, on drawn images with exactly known tilt (no pose model)."""

import cv2
import numpy as np
import pytest

from posture.core.geometry import unroll
from posture.core.view import View
from posture.data.skeleton import Landmark as L
from posture.standing import landmarks as photo
from posture.standing import pelvis_level as pl

SIZE = 400
CENTRE = (200.0, 200.0)
HALF_HIP = 40.0


def _stripes(tilt_deg: float) -> np.ndarray:
    """A float patch of two long parallel lines turned ``tilt_deg`` (image-right side higher +)."""
    img = np.zeros((200, 200), np.float32)
    rise = 200 * np.tan(np.radians(tilt_deg))
    for y0, value in ((90, 255), (130, 120)):
        cv2.line(img, (-100, round(y0 + rise)), (300, round(y0 - rise)), value, 3, cv2.LINE_AA)
    return cv2.GaussianBlur(img, (0, 0), 2)


def _pelvis_picture(tilt_deg: float) -> np.ndarray:
    """A symmetric drawn 'body' (shirt, shorts with a hem, legs) turned about CENTRE, as RGB uint8."""
    img = np.full((SIZE, SIZE, 3), (200, 205, 210), np.uint8)
    cv2.rectangle(img, (130, 60), (270, 175), (40, 90, 160), -1)  # shirt
    cv2.rectangle(img, (120, 175), (280, 250), (50, 50, 55), -1)  # shorts
    for x0, x1 in ((125, 195), (205, 275)):
        cv2.rectangle(img, (x0, 250), (x1, 390), (140, 170, 215), -1)  # thighs
    cv2.circle(img, (200, 215), 12, (90, 90, 95), -1)  # a symmetric mark on the shorts
    # cv2's angle is counter-clockwise on screen, i.e. image-right side higher for positive values.
    rot = cv2.getRotationMatrix2D(CENTRE, tilt_deg, 1.0)
    img = cv2.warpAffine(img, rot, (SIZE, SIZE), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return cv2.GaussianBlur(img, (0, 0), 1.0)


def _landmarks(view: View) -> np.ndarray:
    """Hips either side of CENTRE; the subject's left on the image right in a front view."""
    xy = np.full((33, 2), 100.0)
    sign = 1.0 if view is View.FRONT else -1.0
    xy[L.LEFT_HIP] = (CENTRE[0] + sign * HALF_HIP, CENTRE[1])
    xy[L.RIGHT_HIP] = (CENTRE[0] - sign * HALF_HIP, CENTRE[1])
    return xy


@pytest.mark.parametrize("tilt", [-8.0, -3.0, 0.0, 2.0, 5.0])
def test_mirror_tilt_of_turned_stripes(tilt):
    assert pl.mirror_tilt_deg(_stripes(tilt)) == pytest.approx(tilt, abs=0.3)


def test_mirror_tilt_of_featureless_patch_is_none():
    assert pl.mirror_tilt_deg(np.zeros((50, 50), np.float32)) is None


@pytest.mark.parametrize("tilt", [-6.0, -2.0, 0.0, 1.5, 4.0])
def test_region_tilts_follow_the_drawn_pelvis(tilt):
    tilts = pl.region_tilts_deg(_pelvis_picture(tilt), _landmarks(View.FRONT))
    assert len(tilts) >= 2 * len(pl.REGIONS)
    assert np.median(tilts) == pytest.approx(tilt, abs=0.3)


@pytest.mark.parametrize(("view", "sign"), [(View.FRONT, 1.0), (View.BACK, -1.0)])
def test_left_side_higher_is_positive_in_front_and_back_views(view, sign):
    # Image right side 3 deg higher: the subject's left in a front view, right in a back view.
    result = pl.estimate_pelvis_level(_pelvis_picture(3.0), _landmarks(view), view)
    assert result is not None
    assert result.image_tilt_deg == pytest.approx(sign * 3.0, abs=0.3)
    assert result.obliquity_deg == pytest.approx(result.image_tilt_deg / pl.GAIN[view])
    assert result.uncertainty_deg >= pl.FLOOR_DEG[view]


def test_symmetric_picture_reads_level():
    result = pl.estimate_pelvis_level(_pelvis_picture(0.0), _landmarks(View.FRONT), View.FRONT)
    assert result is not None
    assert result.obliquity_deg == pytest.approx(0.0, abs=0.05)


@pytest.mark.parametrize(("tilt", "roll"), [(0.0, 2.0), (3.0, -2.5), (-4.0, 1.0)])
def test_roll_removed_like_the_landmarks(tilt, roll):
    # Two hip points on a line of image tilt ``tilt`` (left hip on the image right, front view).
    a = np.radians(tilt)
    xy = np.zeros((33, 2))
    xy[L.LEFT_HIP] = (CENTRE[0] + 50 * np.cos(a), CENTRE[1] - 50 * np.sin(a))
    xy[L.RIGHT_HIP] = (CENTRE[0] - 50 * np.cos(a), CENTRE[1] + 50 * np.sin(a))
    expected = photo.pelvic_obliquity_deg(unroll(xy, roll, CENTRE))
    assert pl.remove_roll_deg(tilt, roll, np.array(CENTRE)) == pytest.approx(expected, abs=1e-9)


def test_pelvis_near_the_border_gives_none():
    xy = _landmarks(View.FRONT)
    xy[[L.LEFT_HIP, L.RIGHT_HIP], 1] = SIZE - 10.0
    assert pl.estimate_pelvis_level(_pelvis_picture(0.0), xy, View.FRONT) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda xy: xy[:20], "shape"),
        (lambda xy: np.where(np.arange(33)[:, None] == L.LEFT_HIP, np.nan, xy), "NaN"),
        (lambda xy: np.where(np.arange(33)[:, None] == L.LEFT_HIP, xy[L.RIGHT_HIP] + 5, xy), "apart"),
    ],
)
def test_bad_landmarks_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        pl.pelvis_frame(change(_landmarks(View.FRONT)))


def test_side_view_and_bad_image_are_refused():
    with pytest.raises(ValueError, match="front or back"):
        pl.estimate_pelvis_level(_pelvis_picture(0.0), _landmarks(View.FRONT), View.LEFT)
    with pytest.raises(ValueError, match="RGB uint8"):
        pl.gradient_channels(np.zeros((10, 10), np.uint8))


@pytest.mark.parametrize("view", [View.FRONT, View.BACK])
def test_landmark_value_is_blended_with_the_shipped_weights(view):
    alone = pl.estimate_pelvis_level(_pelvis_picture(2.0), _landmarks(view), view)
    both = pl.estimate_pelvis_level(_pelvis_picture(2.0), _landmarks(view), view, landmark_obliquity_deg=1.0)
    assert alone is not None and both is not None
    w_landmark, w_tilt = pl.COMBINED_WEIGHTS[view]
    assert both.obliquity_deg == pytest.approx(w_landmark * 1.0 + w_tilt * alone.image_tilt_deg)
    assert both.method == pl.METHOD_COMBINED and alone.method == pl.METHOD


def test_clothing_asymmetry_sees_two_coloured_shorts_not_a_symmetric_body():
    symmetric = _pelvis_picture(0.0)
    assert pl.clothing_asymmetry(symmetric, _landmarks(View.FRONT)) < 1.0
    two_colours = symmetric.copy()
    two_colours[175:250, 200:280] = (40, 160, 60)  # the image-right half of the shorts green
    score = pl.clothing_asymmetry(two_colours, _landmarks(View.FRONT))
    assert score > pl.ASYMMETRY_LIMIT
    assert score == pytest.approx(pl.clothing_asymmetry(np.ascontiguousarray(two_colours[:, ::-1]),
                                                        _landmarks(View.FRONT)), abs=1e-3)  # fmt: skip
