"""Front/back-view event rules on image-velocity signals with known lobes (exact answers).

The rules end to end on a rendered walker's exact joint tracks are tested in test_gait_analysis.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from posture.data.skeleton import Side
from posture.gait import conditioning as cond
from posture.gait.events import HEEL_STRIKE, TOE_OFF, swing_peaks
from posture.gait.events_frontal import (
    HS_FRACTION,
    FrontalFoot,
    detect_frontal_events,
    frontal_foot,
    heel_strike_index,
    toe_off_index,
)


def _foot(heel_down: np.ndarray, toe_down: np.ndarray | None = None, speed: np.ndarray | None = None):
    n = len(heel_down)
    zeros = np.zeros(n)
    return FrontalFoot(
        time_s=np.arange(n) / 30.0,
        speed=zeros if speed is None else speed,
        heel_down=heel_down,
        toe_down=zeros if toe_down is None else toe_down,
    )


def _triangle(n: int, start: int, top: int, stop: int, height: float) -> np.ndarray:
    x = np.arange(n, dtype=float)
    up = np.clip((x - start) / (top - start), 0, 1)
    down = np.clip((stop - x) / (stop - top), 0, 1)
    return height * np.minimum(up, down)


@pytest.mark.parametrize(("towards", "curve"), [(True, "heel_down"), (False, "toe_down")])
def test_heel_strike_is_the_falling_crossing_of_the_late_swing_lobe(towards, curve):
    lobe = _triangle(60, 10, 20, 30, 1.0)
    foot = _foot(lobe, None) if curve == "heel_down" else _foot(np.zeros(60), lobe)
    idx = heel_strike_index(foot, peak=5, fps=30.0, towards=towards)
    # the falling edge goes from 1 at index 20 to 0 at index 30
    assert idx == pytest.approx(20 + 10 * (1 - HS_FRACTION[towards]))


def test_toe_off_towards_the_camera_is_the_heel_lobe_after_the_other_heel_strike():
    # two downward heel lobes: one before the other foot's heel strike (index 12), one after it
    x = np.arange(60, dtype=float)
    heel = np.maximum(0.8 - 0.01 * (x - 8) ** 2, 0) + np.maximum(0.6 - 0.01 * (x - 24.3) ** 2, 0)
    foot = _foot(heel)
    idx = toe_off_index(foot, peak=30, fps=30.0, towards=True, after=12, before=None)
    assert idx == pytest.approx(24.3)
    # with no heel strike of the other foot to wait for, the first lobe is taken
    assert toe_off_index(foot, peak=30, fps=30.0, towards=True, after=0, before=None) == pytest.approx(8.0)
    # a lobe too close to this swing's own heel strike (less than the shortest swing) is not a toe off
    assert toe_off_index(foot, peak=30, fps=30.0, towards=True, after=12, before=27.0) is None


def test_toe_off_away_is_the_rising_crossing_of_the_first_speed_lobe():
    speed = _triangle(60, 14, 24, 34, 1.0) + _triangle(60, 36, 42, 50, 1.5)
    foot = _foot(np.zeros(60), speed=speed)
    idx = toe_off_index(foot, peak=40, fps=30.0, towards=False, after=10, before=None)
    assert idx == pytest.approx(14 + 10 * 0.4)


def test_a_swing_under_way_at_the_clip_start_counts_only_with_edges():
    t = np.arange(90) / 30.0
    speed = np.maximum(np.cos(2 * np.pi * t / 1.1), 0.0)  # a lobe peaking at the first sample
    assert 0 not in swing_peaks(speed, 30.0)
    assert swing_peaks(speed, 30.0, edges=True)[0] == 0


def test_a_slow_approach_is_one_walking_segment_and_standing_is_none():
    t = np.arange(150) / 30.0
    approach = np.log(200.0) + 0.08 * t  # 0.6 m/s at 7.5 m from the camera
    segs = cond.walking_segments(approach, t, 30.0, lateral=False)
    assert [s.direction for s in segs] == ["towards_camera"] and segs[0].start == 0
    assert cond.walking_segments(np.log(200.0) + 0.01 * np.sin(2 * np.pi * t), t, 30.0, lateral=False) == []


def test_frontal_foot_scales_velocities_by_the_body_height_of_each_frame():
    t = np.arange(10) / 10.0
    heel = np.stack([np.zeros(10), 100.0 * t], axis=1)  # 100 px/s downwards
    body = np.linspace(200.0, 400.0, 10)  # the walker doubles in size as it approaches
    foot = frontal_foot(heel, heel + [0.0, 20.0], t, body)
    assert foot.heel_down == pytest.approx(100.0 / body)
    assert foot.speed == pytest.approx(100.0 / body)


def test_both_feet_alternate_and_toe_off_follows_the_other_heel_strike():
    # left swing lobe peaks at 30 (push-off lobe of the heel at 22, landing lobe 30-40);
    # the right foot lands at about 18, so the left toe off is searched after it
    n = 90
    left = _foot(
        _triangle(n, 17, 22, 27, 0.6) + _triangle(n, 28, 33, 40, 0.8),
        speed=_triangle(n, 20, 30, 40, 1.0),
    )
    right = _foot(_triangle(n, 5, 10, 20, 0.8), speed=_triangle(n, 0, 5, 15, 1.0))
    rep = detect_frontal_events({Side.LEFT: left, Side.RIGHT: right}, 30.0, towards=True)
    got = {(str(e.side), e.kind): e.time_s * 30.0 for e in rep.events}
    assert got[("right", HEEL_STRIKE)] == pytest.approx(10 + 10 * (1 - HS_FRACTION[True]))
    assert got[("left", TOE_OFF)] == pytest.approx(22.0)
    assert got[("left", HEEL_STRIKE)] == pytest.approx(33 + 7 * (1 - HS_FRACTION[True]))
