"""Frames where someone else is in the way: exact geometry on stencil people."""

from __future__ import annotations

import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.gait import crowding
from tests.conftest import make_sequence, stencil_person


def _walker_and_other(n: int, other_x: float) -> np.ndarray:
    xy = np.full((n, 2, 33, 2), np.nan)
    xy[:, 0] = stencil_person(100, 50)
    xy[:, 1] = stencil_person(other_x, 60)
    return xy


@pytest.mark.parametrize(
    ("other_x", "covered"), [(300.0, 0.0), (110.0, 0.763), (135.0, 0.309), (145.0, 0.127)]
)
def test_overlap_is_the_share_of_the_walkers_box_another_box_covers(other_x, covered):
    # stencil boxes are 52 x 183 px (x 24..76, y 15..198); the other person is 10 px lower, so an x offset
    # of dx covers (52 - dx) / 52 x 173 / 183 of the walker's box
    assert max(0.0, 52 - (other_x - 100)) / 52 * 173 / 183 == pytest.approx(covered, abs=1e-3)
    seq = make_sequence(_walker_and_other(10, other_x))
    got = crowding.overlapped_frames(seq, track_id=0)
    assert got.tolist() == [covered > crowding.DEFAULT.max_overlap] * 10


def test_a_skeleton_seen_for_a_blink_is_not_a_person_in_the_way():
    xy = _walker_and_other(30, 110.0)
    xy[:, 1] = np.nan
    xy[12:14, 1] = stencil_person(110, 60)  # the model's ghost: two frames
    assert not crowding.overlapped_frames(make_sequence(xy), track_id=0).any()
    xy[10:20, 1] = stencil_person(110, 60)  # a person standing there for 1/3 s
    assert crowding.overlapped_frames(make_sequence(xy), track_id=0)[10:20].all()


def test_a_leg_longer_than_the_other_by_more_than_the_limit_is_a_mismatch():
    xy = np.stack([stencil_person(100, 50)] * 4)
    for k, stretch in enumerate((1.0, 1.10, 1.20, 0.80)):
        for lm in (L.RIGHT_KNEE, L.RIGHT_ANKLE):  # the right leg scaled about its hip
            xy[k, lm] = xy[k, L.RIGHT_HIP] + stretch * (xy[k, lm] - xy[k, L.RIGHT_HIP])
    assert crowding.leg_mismatch_frames(xy).tolist() == [False, False, True, True]


def test_a_stretch_is_crowded_where_cues_come_densely_not_for_one_odd_frame():
    t = np.arange(90) / 30.0
    cues = np.zeros(90, bool)
    cues[[10, 13, 17]] = True  # three odd frames within half a second: 3 of 15-16, under 25%
    cues[[50, 51, 52, 54, 55]] = True  # five within half a second
    crowded = crowding.crowded_stretches(cues, t)
    assert not crowded[:40].any()
    assert crowded[51:55].all() and not crowded[70:].any()
    assert crowding.near_crowding(t, crowded, 50 / 30 - 0.2)
    assert not crowding.near_crowding(t, crowded, 13 / 30)


def test_masked_frames_lose_only_their_leg_and_foot_landmarks():
    xy = np.stack([stencil_person(100, 50)] * 3)
    out = crowding.mask_feet(xy, np.array([False, True, False]))
    assert np.isnan(out[1, list(crowding.FOOT_LANDMARKS)]).all()
    assert np.isfinite(out[1, [L.LEFT_HIP, L.RIGHT_HIP, L.NOSE]]).all()
    np.testing.assert_array_equal(out[[0, 2]], xy[[0, 2]])
