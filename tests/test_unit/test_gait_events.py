"""Event detection on synthetic foot trajectories with exact contact times, and the gait-order rules."""

from __future__ import annotations

import numpy as np
import pytest

from posture.data.skeleton import Side
from posture.gait.events import (
    HEEL_STRIKE,
    TOE_OFF,
    GaitEvent,
    crossing,
    detect_foot_events,
    enforce_order,
    foot_signals,
    parabolic_peak,
)

STRIDE, STANCE, BODY = 1.1, 0.62, 400.0


def walking_foot(fps: float, n_strides: int = 4, offset: float = 0.3, sign: float = 1.0):
    """Heel and toe pixel tracks of one foot (side view) with known contact times.

    In stance the foot rests on the floor (y = 500); in swing it moves forward by
    0.3 body heights with a smooth profile and the heel and toe lift by a sine.
    Returns time, heel, toe, pelvis and the true (heel strike, toe off) times.
    """
    t = np.arange(int((n_strides + 0.5) * STRIDE * fps)) / fps
    phase = ((t / STRIDE) + offset) % 1.0
    cycle = np.floor((t / STRIDE) + offset)
    swing = phase >= STANCE
    u = np.where(swing, (phase - STANCE) / (1 - STANCE), 0.0)
    step = 0.6 * BODY
    x = sign * step * (cycle + np.where(swing, 0.5 - 0.5 * np.cos(np.pi * u), 0.0))
    lift = np.where(swing, 0.08 * BODY * np.sin(np.pi * u), 0.0)
    heel = np.stack([x, 500 - lift], axis=1)
    toe = np.stack([x + sign * 0.12 * BODY, 500 - lift], axis=1)
    pelvis = np.stack([sign * step * (t / STRIDE + offset), 300 + 0 * t], axis=1)
    k = np.arange(-1, n_strides + 2)
    hs = (k - offset) * STRIDE
    to = (k - offset + STANCE) * STRIDE
    inside = lambda v: v[(v > 0.2) & (v < t[-1] - 0.2)]  # noqa: E731
    return t, heel, toe, pelvis, inside(hs), inside(to)


@pytest.mark.parametrize("fps", [25.0, 30.0, 60.0])
@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["to-right", "to-left"])
def test_events_match_known_contacts(fps, sign):
    t, heel, toe, pelvis, hs, to = walking_foot(fps, sign=sign)
    sig = foot_signals(heel, toe, pelvis, t, BODY, sign)
    rep = detect_foot_events(sig, Side.LEFT, fps)
    got_hs = np.array([e.time_s for e in rep.events if e.kind == HEEL_STRIKE])
    got_to = np.array([e.time_s for e in rep.events if e.kind == TOE_OFF])
    assert len(got_hs) == len(hs) and len(got_to) == len(to)
    # the heel's landing and the toe's rise are timed within a frame
    assert np.max(np.abs(got_hs - hs)) < 1.0 / fps
    assert np.max(np.abs(got_to - to)) < 1.0 / fps


def test_a_foot_that_does_not_move_gives_no_event_and_says_why():
    t = np.arange(120) / 30.0
    still = np.tile([[100.0, 500.0]], (120, 1)) + 0.2 * np.sin(t)[:, None]
    rep = detect_foot_events(foot_signals(still, still + [40, 0], still, t, BODY, 1.0), Side.RIGHT, 30.0)
    assert rep.events == [] and "no swing" in rep.notes[0]


def _ev(side: str, kind: str, t: float) -> GaitEvent:
    return GaitEvent(Side(side), kind, t, int(t * 30))


def test_order_enforcement_keeps_a_normal_cycle():
    seq = [
        _ev("left", HEEL_STRIKE, 0.0),
        _ev("right", TOE_OFF, 0.12),
        _ev("right", HEEL_STRIKE, 0.55),
        _ev("left", TOE_OFF, 0.68),
        _ev("left", HEEL_STRIKE, 1.1),
    ]
    rep = enforce_order(seq)
    assert rep.events == seq and rep.notes == []


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (_ev("left", HEEL_STRIKE, 0.3), "already down"),
        (_ev("right", TOE_OFF, 0.3), "already off"),
        (_ev("left", TOE_OFF, 0.05), "stance of 0.05 s"),
    ],
    ids=["double-heel-strike", "double-toe-off", "too-short-stance"],
)
def test_order_enforcement_drops_impossible_events(bad, reason):
    seq = [_ev("left", HEEL_STRIKE, 0.0), _ev("right", TOE_OFF, 0.12), bad, _ev("right", HEEL_STRIKE, 0.55)]
    rep = enforce_order(seq)
    assert bad not in rep.events and len(rep.events) == 3
    assert reason in rep.notes[0]


def test_toe_off_during_the_other_foots_swing_is_a_flight_phase():
    seq = [_ev("left", TOE_OFF, 0.0), _ev("right", TOE_OFF, 0.2)]
    rep = enforce_order(seq)
    assert len(rep.events) == 1 and "flight" in rep.notes[0]


def test_parabolic_peak_and_crossing_are_sub_frame():
    x = np.arange(10.0)
    y = -((x - 4.3) ** 2)
    assert parabolic_peak(y, 4) == pytest.approx(4.3)
    assert crossing(x, 2.5, 0, 10, rising=True) == pytest.approx(2.5)
    assert crossing(x[::-1], 2.5, 0, 10, rising=False) == pytest.approx(6.5)
    assert crossing(x, 20.0, 0, 10, rising=True) is None
