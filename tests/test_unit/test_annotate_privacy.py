"""Blurring faces: the head circle is smoothed, everything else is untouched."""

from __future__ import annotations

import numpy as np
import pytest

from posture.annotate.privacy import blur_faces, face_box
from posture.data.skeleton import Landmark as L
from tests.test_unit._fixtures import person

# Without shoulders the module's neck estimate is a NaN mean; numpy warns, the fallback is used.
pytestmark = pytest.mark.filterwarnings("ignore:Mean of empty slice:RuntimeWarning")


def _checkerboard(height: int = 300, width: int = 300, square: int = 2) -> np.ndarray:
    yy, xx = np.mgrid[:height, :width]
    board = (((yy // square) + (xx // square)) % 2 * 255).astype(np.uint8)
    return np.repeat(board[..., None], 3, axis=2)


def test_face_box_covers_the_head_from_face_and_shoulders():
    # Face points: nose, eyes and mouth at (150, 65), ears 8 px either side; shoulders 25 px lower.
    assert face_box(person(100, 50)) == (150, 65, 18)  # 0.75 * 25 px to the neck, above the ear span


def test_face_box_without_shoulders_uses_the_face_span():
    xy = person(100, 50)
    xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER]] = np.nan
    assert face_box(xy) == (150, 65, 24)  # 0.75 * twice the 16 px ear-to-ear span


def test_face_box_is_at_least_12_px():
    xy = np.full((33, 2), np.nan)
    xy[L.NOSE] = (40, 40)
    assert face_box(xy) == (40, 40, 12)


def test_face_box_is_none_without_a_face():
    xy = person()
    xy[[L.NOSE, L.LEFT_EYE, L.RIGHT_EYE, L.LEFT_EAR, L.RIGHT_EAR, L.MOUTH_LEFT, L.MOUTH_RIGHT]] = np.nan
    assert face_box(xy) is None


def test_blur_faces_smooths_the_head_and_leaves_the_rest_and_the_input_untouched():
    image = _checkerboard()
    before = image.copy()
    out = blur_faces(image, [person(100, 50)])
    assert (image == before).all()
    x, y, r = 150, 65, 18
    yy, xx = np.mgrid[:300, :300]
    inside = (xx - x) ** 2 + (yy - y) ** 2 < (r - 2) ** 2
    outside = (xx - x) ** 2 + (yy - y) ** 2 > (r + 2) ** 2
    assert (out[outside] == image[outside]).all()
    assert out[inside].std() < 0.2 * image[inside].std()


def test_blur_faces_without_people_or_faces_returns_an_equal_copy():
    image = _checkerboard()
    out = blur_faces(image, [])
    assert out is not image and (out == image).all()
    faceless = np.full((33, 2), np.nan)
    assert (blur_faces(image, [faceless]) == image).all()


def test_a_head_at_the_image_edge_is_blurred_within_the_image():
    image = _checkerboard(100, 100)
    xy = np.full((33, 2), np.nan)
    xy[L.NOSE] = (2, 2)
    out = blur_faces(image, [xy])
    assert out.shape == image.shape
    assert out[:8, :8].std() < image[:8, :8].std()
    assert (out[40:, 40:] == image[40:, 40:]).all()
