"""Measures of a walk beyond event timing: heel-to-toe contacts, step lengths, pelvic drop and foot
progression (front/back views), per step and per side."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posture.core.measure import rounded
from posture.data.skeleton import HEEL, SIDES, TOE, Side
from posture.data.skeleton import Landmark as L
from posture.gait import conditioning as cond
from posture.gait import footstrike as fs
from posture.gait import frontal
from posture.gait.events import (
    HEEL_STRIKE,
    STANCE_S,
    TOE_OFF,
    GaitEvent,
)
from posture.gait.spatiotemporal import (
    Stat,
    StepRow,
)


def stances(events: list[GaitEvent], side: Side) -> list[tuple[float, float]]:
    """Heel strike to toe off of each of ``side``'s stances whose two events were both found."""
    own = sorted((e for e in events if e.side == side), key=lambda e: e.time_s)
    return [
        (a.time_s, b.time_s)
        for a, b in zip(own, own[1:], strict=False)
        if (a.kind, b.kind) == (HEEL_STRIKE, TOE_OFF)
    ]


def loading_windows(events: list[GaitEvent], side: Side) -> list[tuple[float, float]]:
    """Each stance of ``side`` (heel strike to toe off); where its toe off was not found, from its heel
    strike to the other foot's next heel strike, which holds the single-leg stance (front/back views,
    where toe offs are often missed)."""
    found = stances(events, side)
    strikes = sorted(e.time_s for e in events if e.kind == HEEL_STRIKE and e.side == side)
    other = sorted(e.time_s for e in events if e.kind == HEEL_STRIKE and e.side == side.other)
    for hs in strikes:
        if any(a == hs for a, _ in found):
            continue
        nxt = [t for t in other if hs < t <= hs + STANCE_S[1]]
        if nxt:
            found.append((hs, nxt[0]))
    return sorted(found)


def segment_contacts(
    xy: np.ndarray, time_s: np.ndarray, events: list[GaitEvent], sign: float
) -> list[fs.Contact]:
    """Heel-to-toe contacts of both feet in one walking segment (side views)."""
    out = []
    for side in SIDES:
        angle = fs.foot_angle_deg(xy[:, HEEL[side]], xy[:, TOE[side]], sign)
        own = stances(events, side)
        flat = fs.flat_angle(angle, time_s, own)
        if not math.isfinite(flat):
            continue
        for hs, to in own:
            out.append(fs.contact(str(side), angle - flat, time_s, hs, to))
    return out


@dataclass(frozen=True)
class FrontalMeasures:
    """What a front or back view adds: pelvic drop and foot progression per side, step width.

    Attributes
    ----------
    pelvic_drop_deg, foot_progression_deg : dict of {"left", "right"} -> Stat
        Per stance: peak hip-line angle towards the swing side (positive = the opposite
        side drops, level camera assumed); toe-out angle (positive = toes out, estimate).
    step_width_px : Stat
        Sideways heel-to-heel distance at successive heel strikes.
    per_step : list of dict
        Each step's pelvic drop (side, heel strike time, drop).
    """

    pelvic_drop_deg: dict[str, Stat]
    foot_progression_deg: dict[str, Stat]
    step_width_px: Stat
    per_step: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """result.json's ``frontal`` section."""
        return {
            "pelvic_drop_deg": {k: v.to_dict(2) for k, v in self.pelvic_drop_deg.items()},
            "foot_progression_deg": {k: v.to_dict(1) for k, v in self.foot_progression_deg.items()},
            "step_width_px": self.step_width_px.to_dict(1),
            "conventions": "pelvic drop: peak hip-line angle towards the swing side during each stance, "
            "positive = opposite side drops, level camera assumed; "
            "foot progression: toes out positive (estimate)",
            "pelvic_drop_per_step": self.per_step,
        }


def frontal_measures(
    xy: np.ndarray, world: np.ndarray, time_s: np.ndarray, events: list[GaitEvent], towards: bool
) -> FrontalMeasures:
    """Pelvic drop, foot progression and step width of a front or back view walk."""
    obl = frontal.obliquity_deg(xy[:, L.LEFT_HIP], xy[:, L.RIGHT_HIP])
    drop, prog = {}, {}
    for side, sign in ((Side.LEFT, 1.0), (Side.RIGHT, -1.0)):
        st = stances(events, side)
        drop[str(side)] = frontal.pelvic_drop(obl, time_s, loading_windows(events, side), sign)
        prog[str(side)] = frontal.foot_progression(
            world[:, HEEL[side]], world[:, TOE[side]], time_s, st, sign, towards
        )
    strikes = []
    for e in events:
        if e.kind == HEEL_STRIKE:
            x = float(np.interp(e.time_s, time_s, xy[:, HEEL[e.side], 0]))
            strikes.append((e.time_s, str(e.side), x))
    return FrontalMeasures(drop, prog, Stat.of(frontal.step_widths_px(strikes)))


def step_lengths(xy: np.ndarray, time_s: np.ndarray, events: list[GaitEvent], px_per_m: float | None) -> dict:
    """Step length (m) at each heel strike: heel-to-heel distance along the image x axis (side views)."""
    if not px_per_m:
        return {}
    out = {}
    for e in events:
        if e.kind == HEEL_STRIKE:
            xs = [float(np.interp(e.time_s, time_s, xy[:, HEEL[s], 0])) for s in (e.side, e.side.other)]
            out[e.time_s] = abs(xs[0] - xs[1]) / px_per_m
    return out


def all_contacts(
    xy: np.ndarray, t: np.ndarray, events: list[GaitEvent], segments: list[cond.Segment]
) -> list:
    """Heel-to-toe contacts of every walking segment."""
    out = []
    for seg in segments:
        mine = [e for e in events if seg.start_s - 1e-6 <= e.time_s <= seg.end_s + 1e-6]
        sl = slice(seg.start, seg.stop)
        out += segment_contacts(xy[sl], t[sl], mine, seg.sign)
    return out


def with_contacts(
    rows: list[StepRow], xy: np.ndarray, t: np.ndarray, events: list[GaitEvent], segments: list, lateral: bool
) -> list[StepRow]:
    """Rows with the contact kind and foot angle of their heel strike (side views)."""
    if not lateral:
        return rows
    by_time = {(c.side, round(c.heel_strike_s, 6)): c for c in all_contacts(xy, t, events, segments)}
    out = []
    for r in rows:
        c = by_time.get((r.side, round(r.heel_strike_s, 6)))
        if c is None:
            out.append(r)
            continue
        out.append(StepRow(**{**r.__dict__, "foot_strike": c.kind, "foot_angle_deg": c.foot_angle_deg}))
    return out


def with_pelvic_drop(rows: list[StepRow], xy: np.ndarray, t: np.ndarray) -> list[StepRow]:
    """Rows with the peak contralateral pelvic drop of their stance (front/back views)."""
    obl = frontal.obliquity_deg(xy[:, L.LEFT_HIP], xy[:, L.RIGHT_HIP])
    out = []
    for r in rows:
        sign = 1.0 if r.side == str(Side.LEFT) else -1.0
        end = r.toe_off_s if math.isfinite(r.toe_off_s) else r.next_heel_strike_s  # the step holds the stance
        drop = frontal.stance_drop(obl, t, r.heel_strike_s, end, sign)
        out.append(StepRow(**{**r.__dict__, "pelvic_drop_deg": drop}))
    return out


def drop_series(rows: list[StepRow]) -> list[dict[str, Any]]:
    """Per-step pelvic drop for result.json: side, heel strike time (s), drop (deg)."""
    return [
        {
            "side": r.side,
            "heel_strike_s": rounded(r.heel_strike_s, 4),
            "pelvic_drop_deg": rounded(r.pelvic_drop_deg, 2),
        }
        for r in rows
        if math.isfinite(r.pelvic_drop_deg)
    ]
