"""Stance and movement gates on drawn landmarks with exactly known geometry."""

import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.standing import quality
from tests.conftest import stencil_person

SIZE = (400, 400)


def _person() -> np.ndarray:
    return stencil_person(100, 100)


def test_a_still_stance_passes():
    assert quality.stance_problem(_person(), SIZE) is None
    assert quality.fatal_problem(_person(), np.ones(33), SIZE) is None


def test_a_bent_knee_means_weight_on_one_leg():
    xy = _person()
    xy[L.LEFT_KNEE, 0] += 20  # the left knee pushed sideways: about 48 deg of bend
    problem = quality.stance_problem(xy, SIZE)
    assert problem is not None and "a knee is bent" in problem and "weight on both feet" in problem


def test_one_foot_ahead_in_a_front_view():
    xy = _person()
    xy[[L.LEFT_ANKLE, L.LEFT_HEEL, L.LEFT_FOOT_INDEX], 1] += 15  # lower in the picture: nearer the camera
    xy[L.LEFT_KNEE, 1] += 7.5
    problem = quality.stance_problem(xy, SIZE)
    assert problem is not None and "one foot is ahead of the other" in problem


def test_one_knee_raised_is_not_sitting():
    xy = _person()
    xy[L.LEFT_KNEE] = (75, 205)  # thigh forward and up: knee level with the hip (y = 200)
    problem = quality.fatal_problem(xy, np.ones(33), SIZE)
    assert problem is not None and "one knee is raised" in problem


@pytest.mark.parametrize(
    ("shift", "scale", "moves"),
    [((0, 0), 1.0, False), ((3, 0), 1.0, False), ((80, 0), 1.0, True), ((0, 0), 1.3, True)],
)
def test_movement_between_pictures(shift, scale, moves):
    poses = [stencil_person(100, 100), stencil_person(100 + shift[0], 100 + shift[1], scale)]
    problem = quality.movement_problem(poses)
    assert (problem is not None) is moves
    if moves:
        assert "posture gait" in problem


def test_parts_out_of_view_are_named():
    xy = _person()
    cut = (400, 280)  # the picture ends above the ankles
    assert quality.parts_out_of_view(xy, np.ones(33), cut) == ["feet"]
    assert "feet are in the picture" in quality.framing_remedy(["feet"])


def test_hanging_arms_pass_and_the_angles_are_exact():
    angles = quality.arm_angles(_person(), SIZE)
    assert angles is not None and quality.arms_problem(angles) is None
    bend, raised = angles["left"]  # shoulder (170, 140), elbow (175, 170), wrist (176, 200)
    assert raised == pytest.approx(np.degrees(np.arctan2(5, 30)), abs=1e-9)
    assert bend == pytest.approx(np.degrees(np.arctan2(5, 30)) - np.degrees(np.arctan2(1, 30)), abs=1e-9)


def test_holding_something_and_raised_arms_are_named():
    xy = _person()
    xy[L.LEFT_WRIST] = xy[L.LEFT_ELBOW] + (-25, -5)  # forearm across the body: holding something
    problem = quality.arms_problem(quality.arm_angles(xy, SIZE))
    assert problem is not None and "elbows are bent (left" in problem and "let the arms hang" in problem
    xy = _person()
    xy[L.RIGHT_ELBOW] = xy[L.RIGHT_SHOULDER] + (-30, 0)  # upper arm out sideways (a T-pose)
    xy[L.RIGHT_WRIST] = xy[L.RIGHT_SHOULDER] + (-60, 0)
    problem = quality.arms_problem(quality.arm_angles(xy, SIZE))
    assert problem is not None and "arms are raised from the sides (right 90" in problem


def test_arms_out_of_the_picture_are_not_judged():
    xy = _person()
    xy[L.LEFT_WRIST] = (-5, 200)
    assert quality.arm_angles(xy, SIZE) is None and quality.arms_problem(None) is None


def _dressed(tunic: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A drawn person (blue top, grey trousers, legs apart), optionally in a tunic down the thighs."""
    import cv2

    xy = stencil_person(50, 20, scale=1.5) + 0.3  # off the pixel corners, so that the mirror is exact
    img = np.full((400, 400, 3), 230, np.uint8)
    top = (40, 70, 170)
    for side in ((L.LEFT_HIP, L.LEFT_ANKLE), (L.RIGHT_HIP, L.RIGHT_ANKLE)):
        a, b = (tuple(int(v) for v in xy[j]) for j in side)
        cv2.line(img, a, b, (90, 90, 95), 26)
    torso = xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.RIGHT_HIP, L.LEFT_HIP]].copy()
    torso[2:, 1] += 6  # the top reaches just below the hip landmarks
    torso[2:, 0] += [-10, 10]
    cv2.fillPoly(img, [torso.astype(np.int32)], top)
    if tunic is not None:
        hips, knees = xy[[L.RIGHT_HIP, L.LEFT_HIP]], xy[[L.RIGHT_KNEE, L.LEFT_KNEE]]
        hem = hips + tunic * (knees - hips)
        shape = np.array([hips[0] - (13, 0), hips[1] + (13, 0), hem[1] + (16, 0), hem[0] - (16, 0)])
        cv2.fillPoly(img, [shape.astype(np.int32)], top)
    mask = (np.abs(img.astype(int) - 230).sum(axis=2) > 0).astype(np.float32)
    return img, mask, xy


@pytest.mark.parametrize("tunic", [None, 0.5, 0.8])
def test_the_hem_depth_follows_a_tunic_down_the_thighs(tunic):
    from posture.standing.clothing import MAX_HEM_DEPTH, hem_depth

    img, mask, xy = _dressed(tunic)
    depth = hem_depth(img, mask, xy)
    mirrored = xy.copy()
    mirrored[:, 0] = img.shape[1] - mirrored[:, 0]
    mirror_depth = hem_depth(img[:, ::-1].copy(), mask[:, ::-1].copy(), mirrored)
    assert depth is not None and depth == mirror_depth
    if tunic is None:
        assert depth < 0.2 < MAX_HEM_DEPTH  # the gap between the legs opens just below the hips
    else:
        assert abs(depth - tunic) <= 0.1 and depth > MAX_HEM_DEPTH


def test_both_knees_at_hip_height_is_sitting():
    xy = _person()  # seated, seen from the front: the thighs point at the camera
    xy[[L.LEFT_KNEE, L.RIGHT_KNEE], 1] = 210
    xy[[L.LEFT_ANKLE, L.RIGHT_ANKLE], 1] = 255
    problem = quality.fatal_problem(xy, np.ones(33), SIZE)
    assert problem is not None and "seems to sit" in problem and "stand for the picture" in problem
