"""The walking check's result: :class:`GaitResult` and the measures it gives."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posture.core.measure import Measure, finite, rounded
from posture.core.view import View
from posture.data.skeleton import SIDES, Side
from posture.gait import conditioning as cond
from posture.gait import footstrike as fs
from posture.gait.events import (
    GaitEvent,
)
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
    frontal: dict[str, Any]
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
        """The analysis sections of result.json."""
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
            "view": {"view": self.view, "reason": self.view_reason},
            "walking_segments": [s.to_dict() for s in self.segments],
            "events": [e.to_dict() for e in self.events],
            "event_notes": self.notes,
            "spatiotemporal": spatio,
            "symmetry": {k: v.to_dict() for k, v in self.symmetry.items()},
            "foot_strike": self.foot_strike_summary(),
            "frontal": self.frontal,
            "footage": {"refused": self.refused, "not_enough_steps": self.shortfall},
            "gait_settings": self.settings,
        }

    def measures(self) -> dict[str, Measure]:
        """Measures under the knowledge base's names (see posture/findings/knowledge.toml)."""
        out: dict[str, Measure] = {}
        refused = "; ".join(self.refused)
        no_sym = refused or self.shortfall.get("symmetry", "")
        no_steps = refused or self.shortfall.get("cadence", "")
        no_toe_off = no_steps or (FRONTAL_TOE_OFF_NOTE if self.view.is_frontal else "")
        for name, param, what in (
            ("stance_time_si_pct", "stance_time_s", "stance time"),
            ("step_time_si_pct", "step_time_s", "step time"),
            ("swing_time_si_pct", "swing_time_s", "swing time"),
        ):
            why_not = no_sym or (no_toe_off if param != "step_time_s" else "")
            sym = None if why_not else self.symmetry.get(param)
            out[name] = Measure(
                name,
                sym.si_pct if sym else None,
                "%",
                finite(sym.si_sd_pct) if sym else None,
                f"Robinson symmetry index of {what}, (right - left) / mean x 100; positive = right longer.",
                note=why_not or ("" if sym and math.isfinite(sym.si_pct) else "needs steps of both feet"),
            )
        cadence = Stat(math.nan, math.nan, 0) if no_steps else self.cadence
        out["cadence_spm"] = Measure(
            "cadence_spm", finite(cadence.mean), "steps/min", _se(cadence), note=no_steps
        )
        for side in SIDES:
            s = str(side)
            st = Stat(math.nan, math.nan, 0) if no_toe_off else self.summary[s]["stance_pct"]
            out[f"stance_pct_{s}"] = Measure(
                f"stance_pct_{s}",
                finite(st.mean),
                "%",
                _se(st),
                f"stance time as % of the {s} foot's gait cycle.",
                note=no_toe_off,
            )
            self._side_measures(out, side)
        return out

    def _side_measures(self, out: dict[str, Measure], side: Side) -> None:
        s = str(side)
        drop = self.frontal.get("pelvic_drop_deg", {}).get(s)
        out[f"pelvic_drop_deg_{s}"] = Measure(
            f"pelvic_drop_deg_{s}",
            finite(drop["mean"]) if drop else None,
            "deg",
            finite(drop["sd"]) if drop else None,
            f"drop of the opposite side of the pelvis while standing on the {s} leg; positive = drops.",
            estimate=True,
            note=PELVIC_DROP_NOTE if drop else "needs a front or back view",
        )
        mine = [c for c in self.contacts if c.side == side]
        heel = fs.share(mine, "heel")
        n = sum(bool(c.kind) for c in mine)
        out[f"heel_strike_share_{s}"] = Measure(
            f"heel_strike_share_{s}",
            finite(heel),
            "%",
            finite(100.0 * math.sqrt(heel / 100 * (1 - heel / 100) / n))
            if n and math.isfinite(heel)
            else None,
            f"share of the {s} foot's initial contacts made heel first.",
            note="" if n else "needs a side view with detected contacts",
        )
        prog = self.frontal.get("foot_progression_deg", {}).get(s)
        out[f"foot_progression_deg_{s}"] = Measure(
            f"foot_progression_deg_{s}",
            finite(prog["mean"]) if prog else None,
            "deg",
            finite(prog["sd"]) if prog else None,
            f"toe-out angle of the {s} foot against the walking direction; positive = toes out.",
            estimate=True,
            note="from MediaPipe's 3D world landmarks; not validated"
            if prog
            else "needs a front or back view",
        )


def _se(stat: Stat) -> float | None:
    return finite(stat.sd / math.sqrt(stat.n)) if stat.n > 1 else None
