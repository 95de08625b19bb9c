"""Step table, per-side summaries and symmetry indices from gait events.

Definitions (times in seconds, for a heel strike of foot S at ``t0``):

- step time: ``t0`` minus the previous heel strike of the other foot;
- stride time: next heel strike of S minus ``t0``;
- stance: toe off of S after ``t0`` minus ``t0``; swing: stride − stance;
- double support: (first toe off of the other foot after ``t0`` − ``t0``) +
  (toe off of S − last heel strike of the other foot before it), i.e. the two
  double-support periods inside this stance;
- stance %, swing %, double support % of the stride;
- step length (m): distance along the walking direction between the two heels
  at ``t0``, when a pixel scale is known (side views).

Symmetry (right against left, positive = right larger):
Robinson SI = (R − L) / (0.5 (R + L)) × 100; ratio = L / R;
GA (Plotnik 2007) = 100 × |ln(min / max)|.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from posture.core.measure import beyond_noise, rounded
from posture.data.skeleton import SIDES, Side
from posture.gait.events import HEEL_STRIKE, TOE_OFF, GaitEvent

#: |SI| above this (in %) is flagged; about 10% separates typical from asymmetric walking.
SI_FLAG_PCT = 10.0


@dataclass(frozen=True)
class StepRow:
    """One row of steps.csv (a heel strike and what followed it); NaN when not measurable."""

    side: str
    heel_strike_s: float
    toe_off_s: float
    next_heel_strike_s: float
    step_time_s: float
    stride_time_s: float
    stance_s: float
    swing_s: float
    double_support_s: float
    stance_pct: float
    step_length_m: float
    foot_strike: str = ""
    foot_angle_deg: float = math.nan
    #: Front/back views: peak contralateral pelvic drop during this stance (deg, positive = drops).
    pelvic_drop_deg: float = math.nan

    def to_dict(self) -> dict[str, object]:
        """CSV/JSON-ready form (rounded, NaN as None)."""
        out: dict[str, object] = {}
        for k, v in asdict(self).items():
            out[k] = (None if not math.isfinite(v) else round(v, 4)) if isinstance(v, float) else v
        return out


def _next(events: list[GaitEvent], side: Side, kind: str, after: float) -> float:
    times = [e.time_s for e in events if e.side == side and e.kind == kind and e.time_s > after]
    return min(times) if times else math.nan


def _prev(events: list[GaitEvent], side: Side, kind: str, before: float) -> float:
    times = [e.time_s for e in events if e.side == side and e.kind == kind and e.time_s < before]
    return max(times) if times else math.nan


def _count(events: list[GaitEvent], side: Side, kind: str, after: float, before: float) -> int:
    return sum(1 for e in events if e.side == side and e.kind == kind and after < e.time_s < before)


def step_rows(
    events: list[GaitEvent], step_length_m: dict[float, float] | None = None, max_stride_s: float = 2.5
) -> list[StepRow]:
    """One :class:`StepRow` per heel strike (events must already obey the gait order).

    ``step_length_m`` maps a heel-strike time to the step length measured there.
    Values that need an event the clip does not contain, or a stride longer than
    ``max_stride_s`` (a pause or a turn), are NaN. So are values that would span a
    missed event: a step with this foot's own previous heel strike inside it (the
    other foot's strike in between was missed), a stride with two of the other
    foot's heel strikes or two of this foot's toe offs inside it (one of this
    foot's strikes was missed).
    """
    rows = []
    for ev in sorted(events, key=lambda e: e.time_s):
        if ev.kind != HEEL_STRIKE:
            continue
        s, o, t0 = ev.side, ev.side.other, ev.time_s
        nxt = _next(events, s, HEEL_STRIKE, t0)
        spans_a_miss = _count(events, o, HEEL_STRIKE, t0, nxt) > 1 or _count(events, s, TOE_OFF, t0, nxt) > 1
        if nxt - t0 > max_stride_s or spans_a_miss:
            nxt = math.nan
        to = _next(events, s, TOE_OFF, t0)
        if math.isfinite(nxt) and to > nxt:
            to = math.nan
        if not math.isfinite(nxt) and math.isfinite(to) and to - t0 > max_stride_s:
            to = math.nan
        prev_o = _prev(events, o, HEEL_STRIKE, t0)
        step = t0 - prev_o if t0 - prev_o < max_stride_s else math.nan
        if _count(events, s, HEEL_STRIKE, prev_o, t0):
            step = math.nan
        opp_to = _next(events, o, TOE_OFF, t0)
        opp_hs = _prev(events, o, HEEL_STRIKE, to) if math.isfinite(to) else math.nan
        ds = math.nan
        if math.isfinite(to) and t0 < opp_to < to and t0 < opp_hs < to:
            ds = (opp_to - t0) + (to - opp_hs)
        stride = nxt - t0
        stance = to - t0
        rows.append(
            StepRow(
                side=str(s),
                heel_strike_s=t0,
                toe_off_s=to,
                next_heel_strike_s=nxt,
                step_time_s=step,
                stride_time_s=stride,
                stance_s=stance,
                swing_s=stride - stance,
                double_support_s=ds,
                stance_pct=100.0 * stance / stride,
                step_length_m=(step_length_m or {}).get(t0, math.nan),
            )
        )
    return rows


@dataclass(frozen=True)
class Stat:
    """Mean, sample SD and count of finite values (NaN when there are none)."""

    mean: float
    sd: float
    n: int

    @classmethod
    def of(cls, values: list[float] | np.ndarray) -> Stat:
        """Statistics of the finite entries of ``values``."""
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            return cls(math.nan, math.nan, 0)
        return cls(float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else math.nan, int(v.size))

    def to_dict(self, digits: int = 3) -> dict[str, float | int | None]:
        """JSON-ready form."""

        return {"mean": rounded(self.mean, digits), "sd": rounded(self.sd, digits), "n": self.n}


#: Per-side parameters summarised from the step rows: name -> (row attribute, scale).
PARAMETERS = {
    "step_time_s": ("step_time_s", 1.0),
    "stride_time_s": ("stride_time_s", 1.0),
    "stance_time_s": ("stance_s", 1.0),
    "swing_time_s": ("swing_s", 1.0),
    "double_support_time_s": ("double_support_s", 1.0),
    "stance_pct": ("stance_pct", 1.0),
    "step_length_m": ("step_length_m", 1.0),
}


def _pct(rows: list[StepRow], attr: str) -> list[float]:
    return [100.0 * getattr(r, attr) / r.stride_time_s for r in rows]


def summarise_side(rows: list[StepRow]) -> dict[str, Stat]:
    """Per-side statistics of every parameter (see :data:`PARAMETERS`), plus swing % and double support %."""
    out = {name: Stat.of([getattr(r, attr) for r in rows]) for name, (attr, _) in PARAMETERS.items()}
    out["swing_pct"] = Stat.of(_pct(rows, "swing_s"))
    out["double_support_pct"] = Stat.of(_pct(rows, "double_support_s"))
    return out


def cadence_spm(rows: list[StepRow]) -> Stat:
    """Steps per minute from the step times of both feet (60 / step time, per step)."""
    steps = np.array([r.step_time_s for r in rows], dtype=float)
    steps = steps[np.isfinite(steps) & (steps > 0)]
    if steps.size == 0:
        return Stat(math.nan, math.nan, 0)
    mean = 60.0 / float(steps.mean())
    sd = mean * float(steps.std(ddof=1)) / float(steps.mean()) if steps.size > 1 else math.nan
    return Stat(mean, sd, int(steps.size))


def speed_m_s(summary: dict[str, dict[str, Stat]]) -> float:
    """Walking speed from mean step length and step time over both feet (NaN without a scale)."""
    lengths = [summary[s]["step_length_m"].mean for s in SIDES]
    times = [summary[s]["step_time_s"].mean for s in SIDES]
    if not all(math.isfinite(x) for x in lengths + times):
        return math.nan
    return float(sum(lengths) / sum(times))


@dataclass(frozen=True)
class Symmetry:
    """Symmetry of one parameter, right against left (see the module docstring)."""

    parameter: str
    si_pct: float
    si_sd_pct: float
    ratio: float
    ga_pct: float
    flagged: bool
    threshold_pct: float = SI_FLAG_PCT

    @property
    def difference(self) -> str:
        """``right longer``, ``left longer`` or ``within measurement noise`` (beyond twice the SD or not)."""
        beyond = beyond_noise(self.si_pct, self.si_sd_pct)
        if beyond is None:
            return "not judged"
        return (
            ("right longer" if self.si_pct > 0 else "left longer") if beyond else "within measurement noise"
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""

        return {
            "si_pct": rounded(self.si_pct),
            "si_sd_pct": rounded(self.si_sd_pct),
            "ratio_left_over_right": rounded(self.ratio),
            "ga_pct": rounded(self.ga_pct),
            "flag": self.flagged,
            "difference": self.difference,
            "flag_threshold_si_pct": self.threshold_pct,
        }


def robinson_si(right: float, left: float) -> float:
    """Robinson symmetry index in % (positive = right larger)."""
    mean = 0.5 * (right + left)
    return 100.0 * (right - left) / mean if mean else math.nan


def symmetry(parameter: str, left: Stat, right: Stat, threshold_pct: float = SI_FLAG_PCT) -> Symmetry:
    """Robinson SI (with a propagated SD from the standard errors), ratio and GA of one parameter."""
    si = robinson_si(right.mean, left.mean)
    mean = 0.5 * (right.mean + left.mean)
    se = [s.sd / math.sqrt(s.n) if s.n > 1 and math.isfinite(s.sd) else math.nan for s in (left, right)]
    # d SI / d R = 100 L / (mean^2 * 2) * 2 ... written out: SI = 200 (R - L) / (R + L)
    tot = right.mean + left.mean
    si_sd = math.nan
    if all(math.isfinite(x) for x in se) and tot:
        d_r, d_l = 400.0 * left.mean / tot**2, 400.0 * right.mean / tot**2
        si_sd = math.hypot(d_r * se[1], d_l * se[0])
    ratio = left.mean / right.mean if right.mean else math.nan
    lo, hi = sorted((left.mean, right.mean))
    ga = 100.0 * abs(math.log(lo / hi)) if lo > 0 and hi > 0 else math.nan
    # flagged only when beyond the threshold and beyond twice its own uncertainty: the one rule for a
    # left/right difference (posture.gait.summary); a spread that cannot be judged is not flagged
    beyond = bool(beyond_noise(si, si_sd))
    flagged = bool(math.isfinite(si) and abs(si) > threshold_pct and mean > 0 and beyond)
    return Symmetry(parameter, si, si_sd, ratio, ga, flagged, threshold_pct)
