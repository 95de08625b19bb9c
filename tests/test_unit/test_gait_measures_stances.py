"""posture.gait.measures: stances, loading windows, step lengths and the per-step pelvic drop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture.data.skeleton import HEEL, Side
from posture.data.skeleton import Landmark as L
from posture.gait.events import HEEL_STRIKE, TOE_OFF, GaitEvent
from posture.gait.measures import drop_series, loading_windows, stances, step_lengths, with_pelvic_drop
from posture.gait.spatiotemporal import StepRow

LEFT, RIGHT = Side.LEFT, Side.RIGHT


def _ev(side: Side, kind: str, t: float) -> GaitEvent:
    return GaitEvent(side, kind, t, int(round(t * 30)))


def _row(side: str, hs: float, to: float, nxt: float) -> StepRow:
    nan = math.nan
    return StepRow(side, hs, to, nxt, nan, nan, nan, nan, nan, nan, nan)


def test_stances_pair_each_heel_strike_with_its_own_toe_off():
    events = [_ev(LEFT, HEEL_STRIKE, 0.0), _ev(RIGHT, HEEL_STRIKE, 0.5), _ev(LEFT, TOE_OFF, 0.62),
              _ev(LEFT, HEEL_STRIKE, 1.0), _ev(LEFT, TOE_OFF, 1.6)]  # fmt: skip
    assert stances(events, LEFT) == [(0.0, 0.62), (1.0, 1.6)]
    assert stances(events, RIGHT) == []


def test_stances_skip_a_heel_strike_whose_toe_off_was_missed():
    events = [_ev(LEFT, HEEL_STRIKE, 0.0), _ev(LEFT, HEEL_STRIKE, 1.0), _ev(LEFT, TOE_OFF, 1.6)]
    assert stances(events, LEFT) == [(1.0, 1.6)]


def test_stances_do_not_depend_on_the_order_of_the_events():
    events = [_ev(LEFT, TOE_OFF, 0.62), _ev(LEFT, HEEL_STRIKE, 0.0)]
    assert stances(events, LEFT) == [(0.0, 0.62)]


def test_loading_windows_end_a_stance_without_toe_off_at_the_other_foots_next_strike():
    events = [_ev(LEFT, HEEL_STRIKE, 0.0), _ev(RIGHT, HEEL_STRIKE, 0.5), _ev(LEFT, HEEL_STRIKE, 1.0),
              _ev(LEFT, TOE_OFF, 1.6), _ev(RIGHT, HEEL_STRIKE, 1.5)]  # fmt: skip
    assert loading_windows(events, LEFT) == [(0.0, 0.5), (1.0, 1.6)]


def test_loading_windows_leave_out_a_strike_with_no_other_strike_within_a_stance():
    events = [_ev(LEFT, HEEL_STRIKE, 0.0), _ev(RIGHT, HEEL_STRIKE, 3.0)]  # 3 s is longer than any stance
    assert loading_windows(events, LEFT) == []


def test_step_lengths_are_the_heel_to_heel_distance_over_the_scale():
    t = np.arange(4) / 10
    xy = np.zeros((4, 33, 2))
    xy[:, HEEL[LEFT], 0] = [100, 110, 120, 130]
    xy[:, HEEL[RIGHT], 0] = [300, 300, 300, 300]
    events = [_ev(LEFT, HEEL_STRIKE, 0.1), _ev(RIGHT, HEEL_STRIKE, 0.25), _ev(LEFT, TOE_OFF, 0.3)]
    assert step_lengths(xy, t, events, px_per_m=200.0) == pytest.approx({0.1: 190 / 200, 0.25: 175 / 200})


@pytest.mark.parametrize("scale", [None, 0.0])
def test_step_lengths_need_a_scale(scale):
    xy = np.zeros((2, 33, 2))
    assert step_lengths(xy, np.array([0.0, 0.1]), [_ev(LEFT, HEEL_STRIKE, 0.0)], scale) == {}


def test_with_pelvic_drop_takes_the_peak_drop_towards_the_swing_side():
    t = np.arange(30) / 30
    xy = np.zeros((30, 33, 2))
    xy[:, L.LEFT_HIP] = (120, 100)
    xy[:, L.RIGHT_HIP] = (80, 100)
    # While standing on the left leg (0.1-0.5 s) the right hip drops: 40 px wide, up to 4 px lower.
    drop = 4 * np.sin(np.pi * np.clip((t - 0.1) / 0.4, 0, 1))
    xy[:, L.RIGHT_HIP, 1] += drop
    rows = with_pelvic_drop([_row("left", 0.1, 0.5, 0.6)], xy, t)
    assert rows[0].pelvic_drop_deg == pytest.approx(math.degrees(math.atan2(4, 40)), abs=0.05)
    assert rows[0].heel_strike_s == 0.1  # the rest of the row is kept


def test_drop_series_lists_finite_drops_rounded():
    rows = [_row("left", 0.123456, 0.5, 0.6), _row("right", 0.6, 1.0, 1.1)]
    rows[0] = StepRow(**{**rows[0].__dict__, "pelvic_drop_deg": 2.34567})
    assert drop_series(rows) == [{"side": "left", "heel_strike_s": 0.1235, "pelvic_drop_deg": 2.35}]
