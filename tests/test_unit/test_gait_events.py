"""Event detection on synthetic foot trajectories with exact contact times, and the gait-order rules."""

from __future__ import annotations

import numpy as np
import pytest

from posture.data.skeleton import Side
from posture.gait.events import (
    HEEL_STRIKE,
    TO_FRACTION,
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
    0.6 body heights with the profile 0.5 - 0.5 cos(pi u) (u: share of the swing)
    and the heel and toe lift by a sine. Returns time, heel, toe, pelvis, the true
    heel strike and toe off times (at least 0.2 s inside the clip), and the times at
    which the heel's forward velocity, sin(pi u), rises through ``TO_FRACTION`` of its
    peak: the toe-off rule's own exact answer on this foot.
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
    rule_to = to + np.arcsin(TO_FRACTION) / np.pi * (1 - STANCE) * STRIDE
    inside_hs = (hs > 0.2) & (hs < t[-1] - 0.2)
    inside_to = (to > 0.2) & (to < t[-1] - 0.2)
    return t, heel, toe, pelvis, hs[inside_hs], to[inside_to], rule_to[inside_to]


@pytest.mark.parametrize("fps", [25.0, 30.0, 60.0])
@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["to-right", "to-left"])
def test_events_match_known_contacts_and_the_toe_off_rule(fps, sign):
    t, heel, toe, pelvis, hs, to, rule_to = walking_foot(fps, sign=sign)
    sig = foot_signals(heel, toe, pelvis, t, BODY, sign)
    rep = detect_foot_events(sig, Side.LEFT, fps)
    got_hs = np.array([e.time_s for e in rep.events if e.kind == HEEL_STRIKE])
    got_to = np.array([e.time_s for e in rep.events if e.kind == TOE_OFF])
    # every interior contact is found once (events near the clip's ends may be found too): heel
    # strikes within a frame of the contact, toe offs within a frame of where the rule puts them
    assert all(np.sum(np.abs(got_hs - h) < 1.0 / fps) == 1 for h in hs)
    assert all(np.sum(np.abs(got_to - r) < 1.0 / fps) == 1 for r in rule_to)
    assert len(got_hs) <= len(hs) + 2 and len(got_to) <= len(to) + 2


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


def test_a_wobble_of_a_standing_foot_at_the_clip_start_is_not_a_swing():
    """The foot stands for the first 0.5 s, but its landmarks settle from a jump there (as a hidden far
    foot's do): the image speed falls from the clip's first frame like a swing's end."""
    fps = 30.0
    t, heel, toe, pelvis, hs, to, rule_to = walking_foot(fps, offset=0.1)
    settle = 0.15 * BODY * np.clip(1 - t / 0.25, 0, None) ** 2
    wobble = np.stack([0.0 * t, -settle], axis=1)
    sig = foot_signals(heel + wobble, toe + wobble, pelvis, t, BODY, 1.0)
    rep = detect_foot_events(sig, Side.LEFT, fps)
    assert all(e.time_s > 0.3 for e in rep.events), [(e.kind, round(e.time_s, 2)) for e in rep.events]
    strikes = np.array([e.time_s for e in rep.events if e.kind == HEEL_STRIKE])
    assert np.sum(np.abs(strikes - hs[0]) < 1 / fps) == 1


def test_a_swing_under_way_at_the_clip_start_gives_its_heel_strike():
    fps = 30.0
    t, heel, toe, pelvis, hs, to, rule_to = walking_foot(fps, offset=0.75)  # mid-swing at t = 0
    rep = detect_foot_events(foot_signals(heel, toe, pelvis, t, BODY, 1.0), Side.LEFT, fps)
    first = (1.0 - 0.75) * STRIDE  # the heel strike that ends the swing under way
    assert any(e.kind == HEEL_STRIKE and abs(e.time_s - first) < 1 / fps for e in rep.events)
