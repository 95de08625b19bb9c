"""Camera roll and marker scale on drawn scenes with known geometry."""

import cv2
import numpy as np
import pytest

from posture.standing.scene import estimate_roll, find_marker, roll_from_lines


def _rotate(img, roll_deg):
    """What a camera rolled so that horizontals appear at +roll_deg would see."""
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), roll_deg, 1.0)  # positive = counter-clockwise
    return cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE)


def _room(w=900, h=1200):
    img = np.full((h, w, 3), (205, 210, 215), np.uint8)
    img[800:] = (150, 140, 120)  # floor: a horizontal edge at y=800
    cv2.rectangle(img, (80, 150), (330, 800), (120, 90, 60), 6)  # a door frame
    cv2.line(img, (700, 0), (700, 800), (90, 90, 90), 4)  # a wall corner
    return img


@pytest.mark.parametrize("roll", [-4.0, 0.0, 2.5, 6.0])
def test_roll_from_lines_recovers_a_known_roll(roll):
    est = roll_from_lines(_rotate(_room(), roll))
    assert est.method == "lines" and est.n_lines >= 3
    assert est.roll_deg == pytest.approx(roll, abs=0.5)


def test_no_lines_means_unknown_roll():
    flat = np.full((600, 400, 3), 128, np.uint8)
    assert not roll_from_lines(flat).known


def test_marker_gives_roll_and_side_length():
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    tag = cv2.aruco.generateImageMarker(dictionary, 7, 200)
    img = np.full((1000, 800, 3), 255, np.uint8)
    img[400:600, 300:500] = tag[..., None]
    rolled = _rotate(img, 3.0)
    marker = find_marker(rolled)
    assert marker is not None and marker.marker_id == 7
    assert marker.side_px == pytest.approx(200, rel=0.03)
    assert marker.roll_deg == pytest.approx(3.0, abs=0.5)
    est = estimate_roll(rolled)
    assert est.method == "marker" and est.roll_deg == pytest.approx(3.0, abs=0.5)


def test_roll_needs_vertical_and_horizontal_lines_to_agree():
    import numpy as np

    from posture.standing.scene import plausible_roll

    dev = np.array([1.0, 1.2, 0.9, 1.1])
    length = np.ones(4)
    vertical = np.array([True, True, False, False])
    assert plausible_roll(dev, length, vertical, 1.0)  # every line turned alike: a roll
    converging = np.array([4.0, 4.5, 0.1, -0.1])  # verticals lean, horizontals level: perspective
    assert not plausible_roll(converging, length, vertical, 2.0)
    assert not plausible_roll(dev + 9.0, length, vertical, 10.0)  # too far for a hand-held phone
