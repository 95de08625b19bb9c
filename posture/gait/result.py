"""The walking check's result: :class:`GaitResult` and the measures it gives."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posture.core.measure import Measure, finite, rounded
from posture.core.result import CheckResult
from posture.core.view import View
from posture.data.skeleton import SIDES, Side
from posture.gait import conditioning as cond
from posture.gait import footstrike as fs
from posture.gait.events import GaitEvent
from posture.gait.measures import FrontalMeasures
from posture.gait.spatiotemporal import (
    Stat,
    StepRow,
    Symmetry,
)

#: Why stance and swing are not reported from the front or back (benchmarks/results/gait_kinematics.md).
FRONTAL_TOE_OFF_NOTE = (
    "needs a side view: from the front or back, toe off is not timed reliably on real walkers (on real "
    "motion-capture walks seen from the front most toe offs were missed, from behind they read 80-130 ms "
    "early); heel strikes, step times and cadence are reported"
)
#: What the benchmark says of the walking pelvic drop (benchmarks/results/gait.md).
PELVIC_DROP_NOTE = (
    "from the model's hip landmarks, which follow the pelvis only weakly in walking: on synthetic walkers "
    "a 4-8 deg drop read 1-3 deg; a low value does not rule a drop out"
)


@dataclass(frozen=True)
class FootTracks:
    """Heel and toe positions of both feet over the clip, as the events were found on them.

    Gaps up to :data:`~posture.gait.conditioning.MAX_GAP_S` filled and low-passed;
    inside each walking segment also the near/far leg swap repair of side views,
    i.e. the very signals the events were timed on.

    Attributes
    ----------
    time_s : (T,) float
        Frame times in seconds.
    heel, toe : dict of {"left", "right"} -> (T, 2) float
        Pixel positions, x right and y down (image axes); NaN = not seen.
    """

    time_s: np.ndarray
    heel: dict[str, np.ndarray]
    toe: dict[str, np.ndarray]


@dataclass
class GaitResult:
    """Everything measured on one walking clip (see :meth:`to_dict` for result.json)."""

    subject: dict[str, Any]
    view: View
    view_reason: str
    fps: float
    segments: list[cond.Segment]
    events: list[GaitEvent]
    notes: list[str]
    rows: list[StepRow]
    summary: dict[str, dict[str, Stat]]
    cadence: Stat
    speed_m_s: float
    symmetry: dict[str, Symmetry]
    contacts: list[fs.Contact]
    frontal: FrontalMeasures | None
    scale_px_per_m: float | None
    feet: FootTracks
    settings: dict[str, Any] = field(default_factory=dict)
    #: Why the clip cannot support event timing at all (see :mod:`posture.gait.adequacy`).
    refused: list[str] = field(default_factory=list)
    #: Step-based measures the number of steps cannot support: {"symmetry"|"cadence": reason}.
    shortfall: dict[str, str] = field(default_factory=dict)

    @property
    def steps(self) -> list[dict[str, object]]:
        """Rows for steps.csv."""
        return [r.to_dict() for r in self.rows]

    def steps_frame(self) -> Any:
        """The step table (steps.csv) as a pandas DataFrame (needs pandas: the research extra)."""
        import pandas as pd

        return pd.DataFrame([r.to_dict() for r in self.rows])

    def foot_strike_summary(self) -> dict[str, Any]:
        """Per side: shares of heel / flat / forefoot contacts, mean foot angle, roll-through time."""
        out: dict[str, Any] = {}
        for side in SIDES:
            mine = [c for c in self.contacts if c.side == side]
            out[str(side)] = {
                "n": sum(bool(c.kind) for c in mine),
                "heel_pct": rounded(fs.share(mine, "heel")),
                "flat_pct": rounded(fs.share(mine, "flat")),
                "forefoot_pct": rounded(fs.share(mine, "forefoot")),
                "foot_angle_at_contact_deg": Stat.of([c.foot_angle_deg for c in mine]).to_dict(),
                "roll_through_s": Stat.of([c.roll_through_s for c in mine]).to_dict(),
                "push_off_s": Stat.of([c.push_off_s for c in mine]).to_dict(),
            }
        if not self.contacts:
            out["note"] = "heel-to-toe pattern needs a side view"
        return out

    def to_dict(self) -> dict[str, Any]:
        """The walking check's own sections of result.json (the shared ones: :meth:`check_result`)."""
        spatio: dict[str, Any] = {
            "cadence_spm": self.cadence.to_dict(1),
            "speed_m_s": rounded(self.speed_m_s),
        }
        for side in SIDES:
            spatio[str(side)] = {k: v.to_dict() for k, v in self.summary[str(side)].items()}
        if self.scale_px_per_m is None:
            spatio["note"] = "step length and speed need --height-cm and a side view"
        return {
            "subject": self.subject,
            "walking_segments": [s.to_dict() for s in self.segments],
            "events": [e.to_dict() for e in self.events],
            "event_notes": self.notes,
            "spatiotemporal": spatio,
            "symmetry": self._symmetry_section(),
            "foot_strike": self.foot_strike_summary(),
            "frontal": self.frontal.to_dict()
            if self.frontal
            else {"note": "frontal measures need a front or back view"},
            "footage": {"refused": self.refused, "not_enough_steps": self.shortfall},
            "gait_settings": self.settings,
        }

    def _symmetry_section(self) -> dict[str, Any]:
        """result.json's ``symmetry``: each index, or why it is withheld (as :meth:`measures` says)."""
        why = self._why_not()
        out: dict[str, Any] = {}
        for param, sym in self.symmetry.items():
            needs = SYMMETRY_PARAMETERS.get(param, ("", "steps"))[1]
            reason = why["symmetry"] or why[needs]
            out[param] = {"withheld": reason} if reason else sym.to_dict()
        return out

    def check_result(self) -> CheckResult:
        """The kind, view and measures, as both checks hand them on."""
        return CheckResult("gait", self.view, self.view_reason, self.measures())

    def measures(self) -> dict[str, Measure]:
        """Every measure of the walk, each declared once with its unit, side, uncertainty and meaning.

        The names are the knowledge base's (posture/findings/knowledge.toml) and the
        history's. A measure the footage cannot support has no value and says why.
        """
        why = self._why_not()
        out: dict[str, Measure] = {}
        cadence = self.cadence
        out["cadence_spm"] = Measure(
            "cadence_spm",
            None if why["steps"] else finite(cadence.mean),
            "steps/min",
            None if why["steps"] else _se(cadence),
            "Steps per minute, both feet together.",
            note=why["steps"],
        )
        no_speed = why["steps"] or why["scale"]
        out["speed_m_s"] = Measure(
            "speed_m_s",
            None if no_speed else finite(self.speed_m_s),
            "m/s",
            None,
            "Walking speed: mean step length over mean step time.",
            note=no_speed,
        )
        for side in SIDES:
            for param, (unit, meaning, needs) in SIDE_PARAMETERS.items():
                out[f"{param}_{side}"] = _stat_measure(
                    f"{param}_{side}", self.summary[str(side)][param], unit, meaning.format(side=side), side,
                    why[needs] or (why["steps"] if needs != "steps" else ""),
                )  # fmt: skip
        for param, (what, needs) in SYMMETRY_PARAMETERS.items():
            out[symmetry_name(param)] = self._symmetry_measure(param, what, why["symmetry"] or why[needs])
        for side in SIDES:
            self._contact_measures(out, side)
            self._frontal_measures(out, side)
        out["step_width_px"] = _stat_measure(
            "step_width_px", self.frontal.step_width_px if self.frontal else _NO_STAT, "px",
            "Sideways distance between the heels at successive heel strikes, in image pixels.", None,
            "" if self.frontal else "needs a front or back view",
        )  # fmt: skip
        return out

    def _why_not(self) -> dict[str, str]:
        """Why groups of measures cannot be given ("" when they can)."""
        refused = "; ".join(self.refused)
        steps = refused or self.shortfall.get("cadence", "")
        return {
            "steps": steps,
            "symmetry": refused or self.shortfall.get("symmetry", ""),
            "toe_off": steps or (FRONTAL_TOE_OFF_NOTE if self.view.is_frontal else ""),
            "scale": "" if self.scale_px_per_m else "step length and speed need --height-cm and a side view",
        }

    def _symmetry_measure(self, param: str, what: str, why_not: str) -> Measure:
        name = symmetry_name(param)
        sym = None if why_not else self.symmetry.get(param)
        known = sym is not None and math.isfinite(sym.si_pct)
        return Measure(
            name,
            finite(sym.si_pct) if sym else None,
            "%",
            finite(sym.si_sd_pct) if sym else None,
            f"Robinson symmetry index of {what}, (right - left) / mean x 100; positive = right larger.",
            note=why_not or ("" if known else "needs steps of both feet"),
        )

    def _contact_measures(self, out: dict[str, Measure], side: Side) -> None:
        """Heel-strike share, foot angle at contact and roll-through time of one foot (side views)."""
        mine = [c for c in self.contacts if c.side == side]
        n = sum(bool(c.kind) for c in mine)
        heel = fs.share(mine, "heel")
        no = "" if n else "needs a side view with detected contacts"
        se = 100.0 * math.sqrt(heel / 100 * (1 - heel / 100) / n) if n and math.isfinite(heel) else None
        name = f"heel_strike_share_{side}"
        meaning = f"share of the {side} foot's initial contacts made heel first."
        out[name] = Measure(name, finite(heel), "%", finite(se), meaning, note=no, side=side)
        angle = f"foot_angle_at_contact_deg_{side}"
        out[angle] = _stat_measure(
            angle, Stat.of([c.foot_angle_deg for c in mine]), "deg",
            f"angle of the {side} foot against its flat stance at heel strike; positive = toes up.", side, no,
        )  # fmt: skip
        roll = f"roll_through_s_{side}"
        out[roll] = _stat_measure(
            roll, Stat.of([c.roll_through_s for c in mine]), "s",
            f"time from the {side} heel strike until the foot is flat.", side, no,
        )  # fmt: skip

    def _frontal_measures(self, out: dict[str, Measure], side: Side) -> None:
        """Pelvic drop and foot progression of one side (front and back views), spread as uncertainty."""
        drop = self.frontal.pelvic_drop_deg.get(str(side)) if self.frontal else None
        name = f"pelvic_drop_deg_{side}"
        out[name] = _spread_measure(
            name, drop, "deg",
            f"drop of the opposite side of the pelvis while standing on the {side} leg; positive = drops.",
            side, PELVIC_DROP_NOTE,
        )  # fmt: skip
        prog = self.frontal.foot_progression_deg.get(str(side)) if self.frontal else None
        name = f"foot_progression_deg_{side}"
        out[name] = _spread_measure(
            name, prog, "deg",
            f"toe-out angle of the {side} foot against the walking direction; positive = toes out.",
            side, "from MediaPipe's 3D world landmarks; not validated",
        )  # fmt: skip


#: Per-side parameters: name -> (unit, meaning, what they need: "steps", "toe_off" or "scale").
SIDE_PARAMETERS: dict[str, tuple[str, str, str]] = {
    "step_time_s": ("s", "time from the other foot's heel strike to the {side} foot's.", "steps"),
    "stride_time_s": ("s", "time from one {side} heel strike to the next.", "steps"),
    "stance_time_s": ("s", "time the {side} foot is on the floor, heel strike to toe off.", "toe_off"),
    "swing_time_s": ("s", "time the {side} foot is in the air, toe off to heel strike.", "toe_off"),
    "double_support_time_s": ("s", "time both feet are down in the {side} foot's stance.", "toe_off"),
    "stance_pct": ("%", "stance time as % of the {side} foot's gait cycle.", "toe_off"),
    "swing_pct": ("%", "swing time as % of the {side} foot's gait cycle.", "toe_off"),
    "double_support_pct": ("%", "double support as % of the {side} foot's gait cycle.", "toe_off"),
    "step_length_m": ("m", "distance between the heels at the {side} heel strike.", "scale"),
}
#: Parameters compared left against right: parameter -> (what, what it needs).
SYMMETRY_PARAMETERS: dict[str, tuple[str, str]] = {
    "step_time_s": ("step time", "steps"),
    "stride_time_s": ("stride time", "steps"),
    "stance_time_s": ("stance time", "toe_off"),
    "swing_time_s": ("swing time", "toe_off"),
    "stance_pct": ("stance %", "toe_off"),
    "double_support_time_s": ("double support time", "toe_off"),
    "step_length_m": ("step length", "scale"),
}
_NO_STAT = Stat(math.nan, math.nan, 0)


def symmetry_name(param: str) -> str:
    """The symmetry index measure of ``param``: ``step_time_s`` -> ``step_time_si_pct``."""
    return f"{param.removesuffix('_s')}_si_pct"


def _stat_measure(name: str, stat: Stat, unit: str, meaning: str, side: Side | None, why_not: str) -> Measure:
    """The mean of ``stat`` with its standard error, or no value with the reason."""
    if why_not or not math.isfinite(stat.mean) or stat.n < 1:
        note = why_not or "no steps measured"
        return Measure(name, None, unit, None, meaning, note=note, side=side)
    return Measure(name, float(stat.mean), unit, _se(stat), meaning, note=f"mean of {stat.n}", side=side)


def _spread_measure(name: str, stat: Stat | None, unit: str, meaning: str, side: Side, note: str) -> Measure:
    """The mean of ``stat`` with its stance-to-stance spread (a drop varies step by step) as uncertainty."""
    if stat is None or not math.isfinite(stat.mean):
        return Measure(name, None, unit, None, meaning, True, "needs a front or back view", side)
    return Measure(name, float(stat.mean), unit, finite(stat.sd), meaning, True, note, side)


def _se(stat: Stat) -> float | None:
    return finite(stat.sd / math.sqrt(stat.n)) if stat.n > 1 else None
