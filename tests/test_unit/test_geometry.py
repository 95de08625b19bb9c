import numpy as np
import pytest

from posture.core.geometry import (
    angle_deg,
    interior_angle_deg,
    lean_from_vertical_deg,
    tilt_from_level_deg,
    unroll,
)


@pytest.mark.parametrize(
    ("end", "expected"),
    [((1, 0), 0.0), ((0, -1), 90.0), ((-1, 0), 180.0), ((1, 1), -45.0)],
)
def test_angle_is_counter_clockwise_on_a_y_up_picture(end, expected):
    assert angle_deg(np.zeros(2), np.array(end)) == pytest.approx(expected)


def test_unroll_undoes_a_known_roll():
    centre = (100.0, 100.0)
    roll = 7.0
    a = np.radians(roll)
    # A true horizontal line, drawn by a camera rolled so it appears at +7 degrees.
    p0 = np.array([100.0, 100.0])
    p1 = p0 + 50 * np.array([np.cos(a), -np.sin(a)])
    assert angle_deg(p0, p1) == pytest.approx(roll)
    fixed = unroll(np.stack([p0, p1]), roll, centre)
    assert angle_deg(fixed[0], fixed[1]) == pytest.approx(0.0, abs=1e-9)
    assert np.linalg.norm(fixed[1] - fixed[0]) == pytest.approx(50.0)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((60, 90), (40, 100), np.degrees(np.arctan2(10, 20))),  # a higher, a on the right
        ((40, 90), (60, 100), np.degrees(np.arctan2(10, 20))),  # a higher, a on the left
        ((40, 110), (60, 100), -np.degrees(np.arctan2(10, 20))),
    ],
)
def test_tilt_from_level_is_positive_when_the_first_point_is_higher(a, b, expected):
    assert tilt_from_level_deg(np.array(a), np.array(b)) == pytest.approx(expected)


def test_lean_from_vertical_signs_forward():
    lower, upper = np.array([0.0, 100.0]), np.array([10.0, 0.0])
    assert lean_from_vertical_deg(lower, upper, +1) == pytest.approx(np.degrees(np.arctan2(10, 100)))
    assert lean_from_vertical_deg(lower, upper, -1) == pytest.approx(-np.degrees(np.arctan2(10, 100)))


def test_interior_angle():
    assert interior_angle_deg(np.array([0, 0]), np.array([0, 10]), np.array([0, 20])) == pytest.approx(180)
    assert interior_angle_deg(np.array([10, 0]), np.array([0, 0]), np.array([0, 10])) == pytest.approx(90)
