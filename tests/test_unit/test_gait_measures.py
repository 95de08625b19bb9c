"""Step table, symmetry, heel-to-toe pattern and frontal measures against exact answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture.data.skeleton import Side
from posture.gait import footstrike as fs
from posture.gait import frontal
from posture.gait.events import HEEL_STRIKE, TOE_OFF, GaitEvent
from posture.gait.spatiotemporal import Stat, step_rows, summarise_side, symmetry


def _ev(side: str, kind: str, t: float) -> GaitEvent:
    return GaitEvent(Side(side), kind, t, int(t * 30))


def _events(stance_l: float, stance_r: float, stride: float = 1.0, n: int = 4) -> list[GaitEvent]:
    out = []
    for k in range(n):
        t0 = k * stride
        out += [_ev("left", HEEL_STRIKE, t0), _ev("left", TOE_OFF, t0 + stance_l)]
        out += [_ev("right", HEEL_STRIKE, t0 + stride / 2), _ev("right", TOE_OFF, t0 + stride / 2 + stance_r)]
    return out


def test_step_rows_give_exact_times():
    rows = step_rows(_events(0.62, 0.62))
    full = [r for r in rows if math.isfinite(r.stride_time_s) and math.isfinite(r.double_support_s)]
    assert full
    for r in full:
        assert r.stride_time_s == pytest.approx(1.0)
        assert r.stance_s == pytest.approx(0.62)
        assert r.swing_s == pytest.approx(0.38)
        assert r.stance_pct == pytest.approx(62.0)
        assert r.double_support_s == pytest.approx(0.24)  # 2 x (0.62 - 0.5)
    assert all(r.step_time_s == pytest.approx(0.5) for r in rows if math.isfinite(r.step_time_s))


def test_symmetry_sign_ratio_and_ga():
    rows = step_rows(_events(0.60, 0.66))
    left = summarise_side([r for r in rows if r.side == "left"])["stance_time_s"]
    right = summarise_side([r for r in rows if r.side == "right"])["stance_time_s"]
    sym = symmetry("stance_time_s", left, right)
    assert sym.si_pct == pytest.approx(200 * 0.06 / 1.26)  # positive = right longer
    assert sym.ratio == pytest.approx(0.60 / 0.66)
    assert sym.ga_pct == pytest.approx(100 * abs(math.log(0.60 / 0.66)))
    assert not sym.flagged
    assert symmetry("x", Stat(1.0, 0.0, 3), Stat(1.3, 0.0, 3)).flagged


def test_foot_angle_and_contact_type():
    heel = np.array([[0.0, 100.0], [0.0, 100.0]])
    toe = np.array([[100.0, 100.0 - 100 * math.tan(math.radians(20))], [100.0, 100.0]])
    angle = fs.foot_angle_deg(heel, toe, 1.0)
    assert angle == pytest.approx([20.0, 0.0])
    assert fs.foot_angle_deg(heel * [-1, 1], toe * [-1, 1], -1.0) == pytest.approx([20.0, 0.0])
    assert [fs.classify(a) for a in (12.0, 2.0, -9.0, math.nan)] == ["heel", "flat", "forefoot", ""]


def test_contact_roll_through_and_push_off():
    t = np.arange(0, 1.0, 0.01)
    rel = np.interp(t, [0.0, 0.1, 0.5, 0.6], [15.0, 0.0, 0.0, -30.0])
    c = fs.contact("left", rel, t, 0.0, 0.6)
    assert c.kind == "heel" and c.foot_angle_deg == pytest.approx(15.0)
    assert c.roll_through_s == pytest.approx(0.09, abs=0.011)  # within 2.5 deg of flat
    assert c.push_off_s == pytest.approx(0.6 - 0.50, abs=0.011)


def test_pelvic_obliquity_sign_and_contralateral_drop():
    left = np.array([[120.0, 98.0], [120.0, 100.0]])
    right = np.array([[80.0, 100.0], [80.0, 100.0]])
    obl = frontal.obliquity_deg(left, right)
    assert obl[0] == pytest.approx(math.degrees(math.atan2(2, 40))) and obl[1] == 0.0
    t = np.linspace(0, 2, 201)
    wave = np.sin(2 * np.pi * t)
    obl = np.where(wave > 0, 4.0, 7.0) * wave  # left stance: right drops 4; right stance: left drops 7
    left_drop = frontal.pelvic_drop(obl, t, [(0.0, 0.5), (1.0, 1.5)], 1.0)
    right_drop = frontal.pelvic_drop(obl, t, [(0.5, 1.0), (1.5, 2.0)], -1.0)
    assert left_drop.mean == pytest.approx(4.0, abs=0.01) and right_drop.mean == pytest.approx(7.0, abs=0.01)


@pytest.mark.parametrize("towards", [True, False], ids=["front", "back"])
def test_foot_progression_toe_out_is_positive_for_both_feet(towards):
    t = np.linspace(0, 1, 30)
    fwd = -1.0 if towards else 1.0
    out = math.tan(math.radians(10))
    for side_sign in (1.0, -1.0):
        image_out = side_sign * (1.0 if towards else -1.0)
        heel = np.zeros((30, 3))
        toe = np.tile([image_out * out * 0.2, 0.0, fwd * 0.2], (30, 1))
        got = frontal.foot_progression(heel, toe, t, [(0.0, 1.0)], side_sign, towards)
        assert got.mean == pytest.approx(10.0)


def test_stance_drop_is_the_peak_towards_the_swing_side_inside_one_stance():
    t = np.arange(60) / 30.0
    obliquity = 3.0 * np.sin(2 * np.pi * t)  # left hip highest at 0.25 s, lowest at 0.75 s
    assert frontal.stance_drop(obliquity, t, 0.0, 0.5, 1.0) == pytest.approx(3.0, abs=0.05)
    assert frontal.stance_drop(obliquity, t, 0.5, 1.0, -1.0) == pytest.approx(3.0, abs=0.05)
    assert frontal.stance_drop(obliquity, t, 0.0, 0.5, -1.0) == pytest.approx(0.0, abs=1e-9)
    assert math.isnan(frontal.stance_drop(obliquity, t, 0.0, math.nan, 1.0))  # toe off not seen


@pytest.mark.parametrize(
    "missing",
    [("right", HEEL_STRIKE, 1.5), ("left", HEEL_STRIKE, 1.0), ("left", TOE_OFF, 1.62)],
    ids=["other-strike", "own-strike", "own-toe-off"],
)
def test_a_missed_event_never_makes_a_double_step_or_stride(missing):
    events = [e for e in _events(0.62, 0.62) if (str(e.side), e.kind, e.time_s) != missing]
    rows = step_rows(events)
    steps = [r.step_time_s for r in rows if math.isfinite(r.step_time_s)]
    strides = [r.stride_time_s for r in rows if math.isfinite(r.stride_time_s)]
    stances = [r.stance_s for r in rows if math.isfinite(r.stance_s)]
    assert steps and strides and stances
    assert steps == pytest.approx([0.5] * len(steps))
    assert strides == pytest.approx([1.0] * len(strides))
    assert stances == pytest.approx([0.62] * len(stances))
