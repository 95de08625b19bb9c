import numpy as np

from posture.pose.landmarker import Detections, drop_duplicates
from tests.conftest import stencil_person


def _detections(people: list[np.ndarray], visibility: list[float]) -> Detections:
    n = len(people)
    vis = np.array([[v] * 33 for v in visibility])
    return Detections(np.stack(people), np.zeros((n, 33)), np.zeros((n, 33, 3)), vis, vis.copy())


def test_a_person_found_twice_is_kept_once_with_the_better_copy():
    a = stencil_person(100, 50)
    copy = a + 3.0  # the same person, a slightly different fit
    other = stencil_person(400, 60)
    found = drop_duplicates(_detections([copy, other, a], [0.6, 0.9, 0.8]))
    assert found.count == 2
    np.testing.assert_array_equal(found.xy_px[0], other)  # order kept
    np.testing.assert_array_equal(found.xy_px[1], a)  # the copy with the higher visibility stays


def test_two_people_side_by_side_are_both_kept():
    found = drop_duplicates(_detections([stencil_person(100, 50), stencil_person(160, 50)], [0.9, 0.9]))
    assert found.count == 2  # boxes overlap 40% of their width: IoU 0.25


def test_a_half_skeleton_inside_the_whole_person_goes_whatever_its_visibility():
    whole = stencil_person(100, 50)
    centre = whole[[11, 12, 23, 24]].mean(axis=0)
    half = centre + 0.45 * (whole - centre)  # legs folded up into the trunk
    other = stencil_person(400, 60)
    found = drop_duplicates(_detections([half, whole, other], [0.95, 0.7, 0.9]))
    assert found.count == 2
    np.testing.assert_array_equal(found.xy_px[0], whole)


def test_a_smaller_person_further_away_behind_another_is_kept():
    near = stencil_person(100, 50, 1.6)
    far = stencil_person(100, 40, 0.5)  # inside the near person's box, but head height, not their torso
    assert drop_duplicates(_detections([near, far], [0.9, 0.9])).count == 2
