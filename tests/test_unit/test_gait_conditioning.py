"""Gap filling, zero-lag filtering, leg-swap repair and walking segments on exact synthetic signals."""

from __future__ import annotations

import numpy as np
import pytest

from posture.gait import conditioning as cond

FPS = 30.0
T = np.arange(90) / FPS


@pytest.mark.parametrize(
    ("gap", "filled"),
    [((10, 11), True), ((10, 12), True), ((10, 13), False), ((0, 2), False), ((88, 90), False)],
    ids=["1-frame", "2-frames-0.10s", "3-frames-0.13s-too-long", "start", "end"],
)
def test_fill_gaps_bridges_only_short_interior_gaps(gap, filled):
    signal = 3.0 * T + 1.0
    holed = signal.copy()
    holed[gap[0] : gap[1]] = np.nan
    out, mask = cond.fill_gaps(holed, T, max_gap_s=0.12)
    if filled:
        np.testing.assert_allclose(out[gap[0] : gap[1]], signal[gap[0] : gap[1]])
        assert mask[gap[0] : gap[1]].all() and mask.sum() == gap[1] - gap[0]
    else:
        assert np.isnan(out[gap[0] : gap[1]]).all() and not mask.any()


def test_lowpass_has_zero_lag_and_keeps_slow_signals():
    slow = np.sin(2 * np.pi * 1.0 * T)
    noisy = slow + 0.2 * np.sin(2 * np.pi * 13.0 * T)
    out = cond.lowpass(noisy, FPS)
    inner = slice(10, -10)
    assert np.max(np.abs(out[inner] - slow[inner])) < 0.05
    assert np.argmax(out[:40]) == np.argmax(slow[:40])


def test_lowpass_leaves_gaps_as_gaps():
    x = np.sin(T)
    x[40:45] = np.nan
    out = cond.lowpass(x, FPS)
    assert np.isnan(out[40:45]).all() and np.isfinite(out[:40]).all()


def test_default_cutoff_adapts_to_low_frame_rates():
    assert cond.default_cutoff_hz(60.0) == 6.0
    assert cond.default_cutoff_hz(25.0) == pytest.approx(5.0)


def _legs(n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Two legs crossing each other in x (one swings past the other), 2 landmarks each."""
    t = np.arange(n)
    a = np.stack([100 + 4.0 * t, 300 + 0 * t], axis=1)
    b = np.stack([220 - 0.5 * t, 300 + 0 * t], axis=1)
    left = np.stack([a, a + [0, 40]], axis=1)
    right = np.stack([b, b + [0, 40]], axis=1)
    return left, right


def test_swap_repair_undoes_an_injected_swap_even_across_a_crossing():
    left, right = _legs()
    xy = np.full((60, 33, 2), np.nan)
    xy[:, 25], xy[:, 27] = left[:, 0], left[:, 1]
    xy[:, 26], xy[:, 28] = right[:, 0], right[:, 1]
    bad = xy.copy()
    frames = slice(20, 26)  # the legs cross near frame 26
    bad[frames, 25], bad[frames, 26] = xy[frames, 26], xy[frames, 25]
    bad[frames, 27], bad[frames, 28] = xy[frames, 28], xy[frames, 27]
    fixed, swapped = cond.repair_swaps(bad, [(25, 26), (27, 28)], penalty_px=20.0)
    assert swapped[frames].all() and swapped.sum() == 6
    np.testing.assert_allclose(fixed[:, 25:29], xy[:, 25:29])


def test_swap_repair_leaves_clean_crossing_legs_alone():
    left, right = _legs()
    _, swapped = cond.repair_swaps(np.concatenate([left, right], axis=1)[:, :, :], [(0, 2), (1, 3)], 20.0)
    assert not swapped.any()


def test_walking_segments_split_at_a_turn():
    t = np.arange(300) / FPS  # 10 s: 5 s to the right, 5 s back
    x = np.where(t < 5, t, 10 - t) * 1.0  # body heights
    segs = cond.walking_segments(x, t, FPS, lateral=True)
    assert [s.direction for s in segs] == ["left_to_right", "right_to_left"]
    assert segs[0].end_s < 5.0 < segs[1].start_s
    assert segs[0].start_s < 0.5 and segs[1].end_s > 9.5


def test_standing_still_gives_no_segment():
    t = np.arange(150) / FPS
    assert cond.walking_segments(np.zeros(150) + 0.01 * np.sin(t), t, FPS, lateral=True) == []


@pytest.mark.parametrize(("dip_s", "segments"), [(0.3, 1), (1.5, 2)])
def test_a_short_slowdown_does_not_split_a_walk_but_a_pause_does(dip_s, segments):
    t = np.arange(300) / FPS  # 10 s to the right with the walker slowed to a stand for dip_s at 5 s
    speed = np.where(np.abs(t - 5.0) < dip_s / 2, 0.0, 1.0)
    x = np.cumsum(speed) / FPS
    segs = cond.walking_segments(x, t, FPS, lateral=True)
    assert len(segs) == segments and {s.direction for s in segs} == {"left_to_right"}


def test_reject_spikes_blanks_a_swapped_frame_and_keeps_steady_motion():
    from posture.gait.conditioning import reject_spikes

    t = np.arange(60)
    left = np.stack([10.0 * t, 500 + 0 * t], axis=1)  # a heel swinging forwards at 10 px/frame
    right = np.stack([300 + 0 * t, 500 + 0 * t], axis=1)  # the other heel standing
    xy = np.stack([left, right], axis=1).astype(float)
    xy[12] = xy[12, ::-1]  # the model swaps the legs in one frame (120 px apart)
    clean, spikes = reject_spikes(xy, 30.0, body_px=400.0)
    assert spikes[12].all() and spikes.sum() == 2
    assert np.isnan(clean[12]).all()
    keep = np.ones(60, bool)
    keep[12] = False
    np.testing.assert_array_equal(clean[keep], xy[keep])
