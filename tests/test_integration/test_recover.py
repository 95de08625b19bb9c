"""Finding the walker again in crops where the whole-picture pass lost them (real model, a shipped clip).

The walker's landmarks are deleted from the tracked sample in a stretch at the
start and in a gap, as when the model misses a person stepping out from behind
a tree; the recovery pass must find them there again, in the same place as the
whole-picture pass had them, and leave every other frame and person untouched.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from posture.gait.recover import RecoverSettings, recover_walker
from posture.gait.walker import select_walker
from posture.pose.landmarker import PoseOptions
from posture.pose.run import load_pose
from tests.conftest import SAMPLES

CLIP = SAMPLES / "walk_side.mp4"
TORSO = [11, 12, 23, 24]


@pytest.fixture(scope="module")
def tracked(model_info):
    seq = load_pose(CLIP, model=model_info, options=PoseOptions(max_people=3))
    return seq, select_walker(seq).track_id


def test_the_walker_is_found_again_before_the_track_and_in_its_gaps(tracked, model_info):
    seq, track = tracked
    col = int(np.flatnonzero(seq.track_id == track)[0])
    lost = seq.xy_px.copy()
    head, gap = range(0, 12), range(40, 46)
    for r in [*head, *gap]:
        lost[r, col] = np.nan
    damaged = replace(seq, xy_px=lost)
    fixed, report = recover_walker(damaged, track, CLIP, model_info)
    assert report["before"] == len(head) and report["in_gaps"] == len(gap), report
    assert report["frames"] == [*head, *gap]
    before = seq.xy_px[[*head, *gap], col][:, TORSO]
    after = fixed.xy_px[[*head, *gap], col][:, TORSO]
    height = float(np.nanmedian(np.ptp(seq.xy_px[:, col, :, 1], axis=1)))
    assert float(np.nanmedian(np.linalg.norm(after - before, axis=-1))) < 0.02 * height
    untouched = np.ones(seq.n_frames, bool)
    untouched[[*head, *gap]] = False
    np.testing.assert_array_equal(fixed.xy_px[untouched], seq.xy_px[untouched])
    others = np.delete(np.arange(len(seq.track_id)), col)
    np.testing.assert_array_equal(fixed.xy_px[:, others], seq.xy_px[:, others])


def test_nothing_is_found_where_the_prediction_is_wrong(tracked, model_info):
    seq, track = tracked
    col = int(np.flatnonzero(seq.track_id == track)[0])
    lost = seq.xy_px.copy()
    lost[:12, col] = np.nan
    damaged = replace(seq, xy_px=lost)
    strict = RecoverSettings(gate=0.01, gate_growth=0.0)  # the walker is never exactly where predicted
    fixed, report = recover_walker(damaged, track, CLIP, model_info, strict)
    assert report["before"] == 0 and report["frames"] == []
    np.testing.assert_array_equal(fixed.xy_px, damaged.xy_px)
