"""Stance and movement gates on drawn landmarks with exactly known geometry."""

import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.measures import quality
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
