"""Sagittal joint angles and gait-cycle curves on drawn stick figures with known angles."""

from __future__ import annotations

import numpy as np
import pytest

from posture.data.skeleton import Landmark, Side, paired
from posture.gait.angles import (
    ANGLE_NAMES,
    compute_sagittal_angles,
    cycle_curves,
    direction_from_segments,
    walking_direction,
)
from posture.gait.conditioning import Segment
from tests.conftest import make_sequence

WIDTH = 640.0


def _rot(v: np.ndarray, deg: float) -> np.ndarray:
    """Rotate a (u, v) vector anticlockwise by ``deg``."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def _leg(uv: np.ndarray, side: Side, hip: np.ndarray, down: np.ndarray, angles: dict[str, float]) -> None:
    """Draw one leg in the walker's frame from the hip, given hip/knee/ankle angles (deg)."""
    thigh = _rot(down, angles["hip"])
    knee = hip + 45 * thigh
    shank = _rot(thigh, -angles["knee"])
    ankle = knee + 45 * shank
    foot = _rot(-shank, -(90 - angles["ankle"]))
    heel = ankle - 5 * foot + 4 * _rot(foot, -90)
    for lm, p in ((Landmark.LEFT_HIP, hip), (Landmark.LEFT_KNEE, knee), (Landmark.LEFT_ANKLE, ankle),
                  (Landmark.LEFT_HEEL, heel), (Landmark.LEFT_FOOT_INDEX, heel + 22 * foot)):  # fmt: skip
        uv[paired(side, lm)] = p


def stick_figure(
    left: dict[str, float], right: dict[str, float], lean: float = 0.0, direction: int = 1
) -> np.ndarray:
    """(33, 2) pixel landmarks of a side-view walker with known angles, facing ``direction``.

    The far (right) hip is drawn 4 px above the near one so that the pelvis line is defined
    (90 deg: left hip -> right hip points straight up); each leg hangs from its own hip.
    """
    trunk_up = _rot(np.array([0.0, 1.0]), -lean)  # a forward lean tilts the trunk towards +u
    shoulders = 60 * trunk_up
    uv = np.tile(shoulders, (33, 1))  # face and arms: anywhere but NaN
    uv[Landmark.LEFT_HIP], uv[Landmark.RIGHT_HIP] = (0.0, -2.0), (0.0, 2.0)
    for side, angles in ((Side.LEFT, left), (Side.RIGHT, right)):
        _leg(uv, side, uv[paired(side, Landmark.LEFT_HIP)].copy(), -trunk_up, angles)
    return np.column_stack([320.0 + direction * uv[:, 0], 240.0 - uv[:, 1]])


LEFT = {"hip": 20.0, "knee": 30.0, "ankle": 10.0}
RIGHT = {"hip": -10.0, "knee": 5.0, "ankle": -15.0}


def _expected(lean: float) -> dict[str, float]:
    return {
        "left_hip_flexion": 20.0, "left_knee_flexion": 30.0, "left_ankle_dorsiflexion": 10.0,
        "right_hip_flexion": -10.0, "right_knee_flexion": 5.0, "right_ankle_dorsiflexion": -15.0,
        "trunk": 90.0 - lean, "pelvis": 90.0,
    }  # fmt: skip


def _one(xy: np.ndarray) -> np.ndarray:
    return xy[None]


@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("lean", [0.0, 8.0])
def test_known_angles_in_both_walking_directions(direction: int, lean: float) -> None:
    angles = compute_sagittal_angles(_one(stick_figure(LEFT, RIGHT, lean, direction)))
    assert tuple(angles) == ANGLE_NAMES
    for name, value in _expected(lean).items():
        assert angles[name][0] == pytest.approx(value, abs=1e-9), name


def test_hand_drawn_sitting_pose_facing_right_and_left() -> None:
    # Thigh horizontal forward, shank straight down, foot flat: hip 90, knee 90, ankle 0.
    pts = {
        Landmark.LEFT_SHOULDER: (100, 40), Landmark.RIGHT_SHOULDER: (100, 40),
        Landmark.LEFT_HIP: (100, 100), Landmark.RIGHT_HIP: (100, 100),
        Landmark.LEFT_KNEE: (150, 100), Landmark.RIGHT_KNEE: (100, 150),
        Landmark.LEFT_ANKLE: (150, 150), Landmark.RIGHT_ANKLE: (100, 200),
        Landmark.LEFT_HEEL: (145, 155), Landmark.RIGHT_HEEL: (95, 205),
        Landmark.LEFT_FOOT_INDEX: (165, 155), Landmark.RIGHT_FOOT_INDEX: (115, 205),
    }  # fmt: skip
    xy = np.full((33, 2), 50.0)
    for lm, p in pts.items():
        xy[lm] = p
    for image in (xy, np.column_stack([WIDTH - xy[:, 0], xy[:, 1]])):
        angles = compute_sagittal_angles(_one(image))
        assert angles["left_hip_flexion"][0] == pytest.approx(90.0)
        assert angles["left_knee_flexion"][0] == pytest.approx(90.0)
        assert angles["left_ankle_dorsiflexion"][0] == pytest.approx(0.0)
        assert angles["right_hip_flexion"][0] == pytest.approx(0.0)
        assert angles["right_knee_flexion"][0] == pytest.approx(0.0)
        assert angles["trunk"][0] == pytest.approx(90.0)
        assert np.isnan(angles["pelvis"][0])  # hips coincide: the pelvis line is undefined


def test_hyperextension_and_plantarflexion_are_negative() -> None:
    xy = stick_figure({"hip": 0.0, "knee": -7.0, "ankle": -30.0}, RIGHT, 0.0, 1)
    angles = compute_sagittal_angles(_one(xy))
    assert angles["left_knee_flexion"][0] == pytest.approx(-7.0)
    assert angles["left_ankle_dorsiflexion"][0] == pytest.approx(-30.0)


def test_mirrored_picture_keeps_flexion_angles_with_sides_swapped() -> None:
    seq = make_sequence(_one(_one(stick_figure(LEFT, RIGHT, 5.0, 1))), size=(int(WIDTH), 480))
    mirrored = seq.mirrored()
    a, b = compute_sagittal_angles(seq.xy_px[:, 0]), compute_sagittal_angles(mirrored.xy_px[:, 0])
    for joint in ("hip_flexion", "knee_flexion", "ankle_dorsiflexion"):
        assert b[f"left_{joint}"][0] == pytest.approx(a[f"right_{joint}"][0])
        assert b[f"right_{joint}"][0] == pytest.approx(a[f"left_{joint}"][0])
    assert b["trunk"][0] == pytest.approx(a["trunk"][0])
    assert b["pelvis"][0] == pytest.approx(a["pelvis"][0] - 180.0)


def test_direction_from_feet_then_hips_and_refusal() -> None:
    right_walker = _one(stick_figure(LEFT, RIGHT, 0.0, 1))
    left_walker = _one(stick_figure(LEFT, RIGHT, 0.0, -1))
    assert walking_direction(right_walker) == 1
    assert walking_direction(left_walker) == -1
    no_feet = np.repeat(right_walker, 2, axis=0)
    feet = [Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL, Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX]
    no_feet[:, feet] = np.nan
    no_feet[1, :, 0] -= 30.0  # the hips move towards image left
    assert walking_direction(no_feet) == -1
    no_feet[1, :, 0] += 30.0
    with pytest.raises(ValueError, match="direction=\\+1"):
        walking_direction(no_feet)


def test_nan_landmarks_give_nan_only_where_used_and_bad_shape_is_refused() -> None:
    xy = np.repeat(_one(stick_figure(LEFT, RIGHT, 0.0, 1)), 3, axis=0)
    xy[1, Landmark.LEFT_ANKLE] = np.nan
    angles = compute_sagittal_angles(xy, direction=1)
    assert np.isnan(angles["left_knee_flexion"][1]) and np.isnan(angles["left_ankle_dorsiflexion"][1])
    assert np.isfinite(angles["left_hip_flexion"][1]) and np.isfinite(angles["right_knee_flexion"][1])
    assert angles["left_knee_flexion"][[0, 2]] == pytest.approx([30.0, 30.0])
    with pytest.raises(ValueError, match=r"expected \(T, 33, 2\), got \(3, 33\)"):
        compute_sagittal_angles(xy[..., 0])


def test_per_frame_direction_from_segments() -> None:
    right = stick_figure(LEFT, RIGHT, 0.0, 1)
    left = stick_figure(LEFT, RIGHT, 0.0, -1)
    xy = np.stack([right, right, left, left, left])
    segs = [Segment("left_to_right", 0, 2, 0.0, 0.07), Segment("right_to_left", 3, 5, 0.1, 0.17)]
    direction = direction_from_segments(segs, 5)
    assert np.array_equal(direction, [1, 1, np.nan, -1, -1], equal_nan=True)
    knee = compute_sagittal_angles(xy, direction)["left_knee_flexion"]
    assert np.isnan(knee[2])
    assert knee[[0, 1, 3, 4]] == pytest.approx([30.0] * 4)


# --- cycle curves ---------------------------------------------------------------------------------


def test_cycle_curves_exact_on_piecewise_linear_angle() -> None:
    time_s = np.linspace(0.0, 2.0, 201)
    angle = np.interp(time_s, [0.0, 0.5, 1.0, 1.5, 2.0], [0.0, 40.0, 0.0, 40.0, 0.0])
    mean, sd, n = cycle_curves(angle, time_s, [0.0, 1.0, 2.0])
    expected = np.interp(np.linspace(0, 1, 101), [0.0, 0.5, 1.0], [0.0, 40.0, 0.0])
    assert n == 2
    assert mean == pytest.approx(expected, abs=1e-9)
    assert sd == pytest.approx(np.zeros(101), abs=1e-9)


def test_cycle_curves_normalise_unequal_cycles_and_spread() -> None:
    # A 1.0 s cycle peaking at 20 deg and a 1.2 s cycle peaking at 40 deg, both at 50 %.
    time_s = np.linspace(0.0, 2.2, 221)
    angle = np.interp(time_s, [0.0, 0.5, 1.0, 1.6, 2.2], [0.0, 20.0, 0.0, 40.0, 0.0])
    mean, sd, n = cycle_curves(angle, time_s, [1.0, 0.0, 2.2])  # unsorted on purpose
    assert n == 2
    assert mean[50] == pytest.approx(30.0)
    assert sd[50] == pytest.approx(np.std([20.0, 40.0], ddof=1))
    assert mean[0] == pytest.approx(0.0) and mean[100] == pytest.approx(0.0)


def test_cycle_curves_leave_out_unseen_and_overlong_cycles() -> None:
    time_s = np.linspace(0.0, 3.0, 301)
    angle = np.interp(time_s, [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0], [0, 30, 0, 30, 0, 30, 0])
    angle[150] = np.nan  # unseen in the second cycle
    mean, sd, n = cycle_curves(angle, time_s, [0.0, 1.0, 2.0, 3.0])
    assert n == 2
    assert mean[50] == pytest.approx(30.0)
    _, _, n_long = cycle_curves(angle, time_s, [0.0, 3.0])
    assert n_long == 0  # 3 s exceeds the longest plausible stride
    _, sd_one, n_one = cycle_curves(angle, time_s, [0.0, 1.0])
    assert n_one == 1 and np.all(np.isnan(sd_one))


def test_cycle_curves_outside_the_data_or_too_few_strikes() -> None:
    time_s = np.linspace(0.0, 1.0, 101)
    angle = np.zeros(101)
    for strikes in ([], [0.5], [-0.2, 0.8], [0.5, 1.3]):
        mean, sd, n = cycle_curves(angle, time_s, strikes)
        assert n == 0 and np.all(np.isnan(mean)) and np.all(np.isnan(sd))
    with pytest.raises(ValueError, match="two \\(T,\\) arrays"):
        cycle_curves(angle[:-1], time_s, [0.0, 1.0])
