"""The locked pass's geometry: interpolation between sparse frames, the crop's map, the stride."""

from __future__ import annotations

import numpy as np
import pytest

from posture.gait.locked import (
    CROP_HEIGHT,
    LockedSettings,
    crop_warp,
    crowded_share,
    interpolate,
    sparse_stride,
)
from tests.conftest import make_sequence, stencil_person


def test_interpolate_is_linear_between_samples_and_extrapolates_only_within_reach():
    t_seen = np.array([0.0, 1.0, 2.0, 5.0])
    values = np.array([[0.0], [10.0], [30.0], [60.0]])
    t = np.array([0.5, 1.5, 2.2, 3.0, 4.9, 5.1, 6.0, -0.1, -1.0])
    out = interpolate(t_seen, values, t, max_gap=1.5, reach=0.25)[:, 0]
    # 2.2: 0.2 s past the run's end, along its last slope (20/s); 3.0 and 6.0: too far from any sample;
    # 4.9 / 5.1: within reach of a run of one sample (its value); -0.1: before the start, first slope
    expected = [5.0, 20.0, 34.0, np.nan, 60.0, 60.0, np.nan, -1.0, np.nan]
    np.testing.assert_allclose(out, expected, equal_nan=True)


def test_interpolate_with_nothing_seen_is_all_nan():
    out = interpolate(np.array([]), np.zeros((0, 3)), np.array([0.0, 1.0]), 1.0, 1.0)
    assert out.shape == (2, 3) and np.isnan(out).all()


def test_crop_warp_puts_the_torso_at_the_same_place_of_a_crop_of_fixed_size():
    s = LockedSettings()
    for cx, cy, torso in ((400.0, 300.0, 50.0), (100.0, 600.0, 120.0)):
        warp, (w, h) = crop_warp(np.array([cx, cy, torso]), s)
        assert h == CROP_HEIGHT
        assert w == pytest.approx(CROP_HEIGHT * 2 * s.half_width / (s.above + s.below), abs=1)
        centre = warp @ np.array([cx, cy, 1.0])
        np.testing.assert_allclose(centre, [w / 2, CROP_HEIGHT * s.above / (s.above + s.below)], atol=0.6)
        assert warp[0, 0] == warp[1, 1] == pytest.approx(CROP_HEIGHT / ((s.above + s.below) * torso))


@pytest.mark.parametrize(("fps", "stride"), [(30.0, 5), (60.0, 10), (25.0, 4), (10.0, 2), (3.0, 1)])
def test_sparse_stride_keeps_about_six_frames_a_second(fps, stride):
    assert sparse_stride(fps, LockedSettings()) == stride


def test_crowded_share_is_the_share_of_the_walkers_sparse_frames_with_someone_in_the_way():
    # 12 frames; the walker seen on 0-9; a second person covers 76% of the walker's box on 0-2 and 10-11
    # (frames the walker is not seen on do not count) and stands far away on 3-9
    xy = np.full((12, 2, 33, 2), np.nan)
    xy[:10, 0] = stencil_person(100, 50)
    xy[:, 1] = stencil_person(110, 60)
    xy[3:10, 1] = stencil_person(400, 60)
    assert crowded_share(make_sequence(xy), track_id=0) == pytest.approx(3 / 10)
    xy[:, 1] = stencil_person(400, 60)
    assert crowded_share(make_sequence(xy), track_id=0) == 0.0
    assert crowded_share(make_sequence(np.full((4, 1, 33, 2), np.nan)), track_id=0) == 0.0
