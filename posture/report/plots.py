"""Gait plots as PNG images (matplotlib, no display needed).

Figures are made with :class:`matplotlib.figure.Figure`, not ``pyplot``: nothing here
chooses or changes the caller's matplotlib backend (a notebook keeps its inline plots).

Axes say their units, durations start at zero and other values get a minimum span (so
0.683 s against 0.700 s does not fill a panel), typical adult ranges are shaded where
:func:`posture.gait.summary.typical_range` knows one, and a panel with nothing to show is
not drawn: :func:`step_series_caption` says what was left out and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from posture.core.measure import Measure
from posture.core.names import PLAIN
from posture.data.skeleton import SIDES
from posture.gait.summary import typical_range
from posture.io.atomic import atomic_path

LEFT, RIGHT = "#ff8c00", "#0078ff"  # the overlay's side colours
COLOURS = {"left": LEFT, "right": RIGHT}
TYPICAL = "#2f855a"  # the shading of a typical range


#: Type sizes for the feet and step plots, large enough to read at phone width (390 px).
READABLE: dict[Any, Any] = {
    "font.size": 12, "legend.fontsize": 11, "axes.titlesize": 12, "axes.labelsize": 12,
    "figure.labelsize": 12,
}  # fmt: skip


def _save(fig: Figure, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    return path


def plot_foot_trajectories(
    time_s: np.ndarray,
    feet: dict[str, dict[str, np.ndarray]],
    events: list[dict],
    path: Path,
    px_per_m: float | None = None,
) -> Path:
    """Heel and toe height per side, with the events marked.

    ``feet[side]["heel"|"toe"]`` are (T,) heights in pixels above the picture's bottom edge.
    With ``px_per_m`` (the walker's scale, side views with a height given) the heights are drawn
    in centimetres above the foot's lowest point in the clip; without it, in pixels as given.
    """
    with matplotlib.rc_context(READABLE):
        return _draw_feet(time_s, feet, events, path, px_per_m)


def _draw_feet(
    time_s: np.ndarray, feet: dict[str, dict[str, np.ndarray]], events: list[dict], path: Path,
    px_per_m: float | None,
) -> Path:  # fmt: skip
    fig = Figure(figsize=(9, 5.5), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    for ax, side in zip(axes, SIDES, strict=True):
        heights = foot_heights(feet[str(side)], px_per_m)
        for part, style in (("heel", "-"), ("toe", "--")):
            ax.plot(time_s, heights[part], style, color=COLOURS[side], lw=1.3, label=f"{side} {part}")
        for e in events:
            if e["side"] != side:
                continue
            marker = "v" if e["kind"] == "heel_strike" else "^"
            part = "heel" if e["kind"] == "heel_strike" else "toe"
            ax.plot(e["time_s"], np.interp(e["time_s"], time_s, heights[part]), marker, color="black", ms=7)
        ax.set_ylabel(f"{side} foot")
        _legend_above(ax)
        ax.grid(alpha=0.3)
    if px_per_m:
        fig.supylabel("height above the foot's lowest point (cm)")
    else:
        fig.supylabel("height above the picture's bottom edge (pixels)")
    axes[0].set_title("Heel and toe trajectories  (v heel strike, ^ toe off)", loc="left")
    axes[-1].set_xlabel("time (s)")
    return _save(fig, path)


def _legend_above(ax: Axes) -> None:
    """The legend in one row above the panel's right end, clear of the data and of a left title."""
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3, frameon=False,
              borderaxespad=0.1)  # fmt: skip


def foot_heights(foot: dict[str, np.ndarray], px_per_m: float | None) -> dict[str, np.ndarray]:
    """Heel and toe heights as drawn: pixels as given, or cm above the foot's lowest point."""
    if not px_per_m:
        return {"heel": foot["heel"], "toe": foot["toe"]}
    both = np.concatenate([foot["heel"], foot["toe"]])
    floor = np.nanmin(both) if np.isfinite(both).any() else 0.0
    return {part: (foot[part] - floor) / px_per_m * 100.0 for part in ("heel", "toe")}


def plot_angle_cycles(cycles: dict[str, tuple[np.ndarray, np.ndarray, int]], path: Path) -> Path:
    """Hip, knee and ankle angles over the gait cycle (0-100 %, heel strike to heel strike), left
    against right: each side's mean with a band of one SD across its cycles."""
    joints = [("hip_flexion", "Hip flexion"), ("knee_flexion", "Knee flexion")]
    joints.append(("ankle_dorsiflexion", "Ankle dorsiflexion"))
    fig = Figure(figsize=(10, 3.6))
    axes = fig.subplots(1, 3)
    pct = np.linspace(0, 100, 101)
    for ax, (joint, title) in zip(axes, joints, strict=True):
        for side in SIDES:
            mean, sd, n = cycles.get(f"{side}_{joint}", (np.full(101, np.nan), np.full(101, np.nan), 0))
            if n == 0:
                continue
            ax.plot(pct, mean, color=COLOURS[side], lw=1.6, label=f"{side} ({n} cycle{'s' * (n != 1)})")
            ax.fill_between(
                pct, mean - np.nan_to_num(sd), mean + np.nan_to_num(sd), color=COLOURS[side], alpha=0.15
            )
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("% of the gait cycle")
        ax.set_xlim(0, 100)
        ax.grid(alpha=0.3)
        if ax.has_data():
            ax.legend(fontsize=8, loc="best")
    axes[0].set_ylabel("degrees (flexion / dorsiflexion positive)")
    fig.tight_layout()
    return _save(fig, path)


@dataclass(frozen=True)
class StepPanel:
    """One panel of the step-by-step plot: a column of the step rows and the check's measure of it.

    ``measure`` is the per-side measure's name without the side (``step_time_s`` for
    ``step_time_s_left``); ``from_zero``: the axis starts at zero (durations); otherwise it
    spans at least ``min_span`` (in ``unit``) and includes ``neutral`` when given (0 for a
    flat foot or a level pelvis).
    """

    column: str
    measure: str
    unit: str
    from_zero: bool = False
    min_span: float = 0.0
    neutral: float | None = None

    @property
    def title(self) -> str:
        """The measure's plain name (``Step time``)."""
        return PLAIN.get(self.measure, self.measure)


#: The step-by-step plot's panels, in order; each is drawn only when its steps have values.
STEP_PANELS = (
    StepPanel("step_time_s", "step_time_s", "s", from_zero=True),
    StepPanel("stance_pct", "stance_pct", "%", min_span=20.0),
    StepPanel("foot_angle_deg", "foot_angle_at_contact_deg", "deg", min_span=10.0, neutral=0.0),
    StepPanel("pelvic_drop_deg", "pelvic_drop_deg", "deg", min_span=5.0, neutral=0.0),
)
_UNIT_WORDS = {"s": "seconds", "%": "% of the stride", "deg": "degrees"}


def _values(steps: Sequence[Mapping], panel: StepPanel, side: str) -> tuple[list[float], list[float]]:
    rows = [r for r in steps if r["side"] == side and r.get(panel.column) is not None]
    return [float(r["heel_strike_s"]) for r in rows], [float(r[panel.column]) for r in rows]


def step_panels(
    steps: Sequence[Mapping], measures: Mapping[str, Measure] | None = None
) -> tuple[list[StepPanel], list[tuple[StepPanel, str]]]:
    """The panels to draw, and those left out with why (the check's note on the measure).

    A panel is left out when no step has its value, or when the check (``measures``, by name)
    did not measure it on either side, as from the front stance is not timed: the step rows
    may hold a value the check does not stand behind. A panel the check has no measure for
    (a view it does not apply to) is left out without a word when its steps are empty.
    """
    drawn, left_out = [], []
    for panel in STEP_PANELS:
        per_side = [] if measures is None else [measures.get(f"{panel.measure}_{side}") for side in SIDES]
        known = [m for m in per_side if m is not None and m.known]
        has_values = any(_values(steps, panel, str(side))[1] for side in SIDES)
        if has_values and (measures is None or known):
            drawn.append(panel)
        elif any(m is not None for m in per_side):
            note = next((m.note for m in per_side if m is not None and m.note), "")
            left_out.append((panel, note.split(":")[0] or "not measured"))
    return drawn, left_out


def step_series_caption(steps: Sequence[Mapping], measures: Mapping[str, Measure] | None = None) -> str:
    """``Left against right, step by step.`` and what is not drawn, with why."""
    _, left_out = step_panels(steps, measures)
    caption = "Left against right, step by step; the green band is the typical adult range."
    if left_out:
        caption += " Not drawn: " + "; ".join(_left_out(p, why) for p, why in left_out) + "."
    return caption


def _left_out(panel: StepPanel, why: str) -> str:
    """``stance (share of the stride), which needs a side view``."""
    return (
        f"{panel.title.lower()}, which {why}" if why.startswith("needs") else f"{panel.title.lower()} ({why})"
    )


def panel_limits(panel: StepPanel, values: Sequence[float]) -> tuple[float, float]:
    """The panel's y range: durations from zero; others over the values, the typical range, the
    neutral value and at least the panel's minimum span."""
    shaded = typical_range(panel.measure)
    ends = [*values, *(shaded or ()), *(() if panel.neutral is None else (panel.neutral,))]
    low, high = min(ends), max(ends)
    if panel.from_zero:
        return 0.0, high * 1.15
    middle, span = (low + high) / 2, max(high - low, panel.min_span)
    pad = 0.1 * span
    return min(low, middle - span / 2) - pad, max(high, middle + span / 2) + pad


def plot_step_series(steps: list[dict], path: Path, measures: Mapping[str, Measure] | None = None) -> Path:
    """Step time, stance share, foot angle at landing and pelvic drop per step, left against right.

    Only the panels :func:`step_panels` keeps are drawn (``measures``: the check's, to leave out
    what it did not measure); the typical adult range is shaded where one is known.
    """
    with matplotlib.rc_context(READABLE):
        return _draw_steps(steps, path, measures)


def _draw_steps(steps: list[dict], path: Path, measures: Mapping[str, Measure] | None) -> Path:
    panels, _ = step_panels(steps, measures)
    fig = Figure(figsize=(9, 1.2 + 2.4 * max(1, len(panels))), layout="constrained")
    if not panels:
        fig.text(0.5, 0.5, "No step has a value to plot.", ha="center", va="center")
        return _save(fig, path)
    axes = fig.subplots(len(panels), 1, sharex=True, squeeze=False)[:, 0]
    for ax, panel in zip(axes, panels, strict=True):
        shown: list[float] = []
        for side in SIDES:
            t, v = _values(steps, panel, str(side))
            ax.plot(t, v, "o-", color=COLOURS[side], label=str(side))
            shown += v
        shaded = typical_range(panel.measure)
        if shaded is not None:
            ax.axhspan(*shaded, color=TYPICAL, alpha=0.15, lw=0, label="typical adult range")
        ax.set_ylim(*panel_limits(panel, shown))
        ax.set_title(panel.title, loc="left")
        ax.set_ylabel(_UNIT_WORDS.get(panel.unit, panel.unit))
        ax.grid(alpha=0.3)
        _legend_above(ax)
    axes[0].figure.suptitle("Left against right, step by step")
    axes[-1].set_xlabel("heel strike time (s)")
    return _save(fig, path)
