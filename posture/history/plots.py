"""Trend plots of a client's measures over the sessions: one panel per measure (no HTML).

Each panel is titled with the measure's plain name and its unit, shows every session's value
with its uncertainty (± 1 SD) as a bar, shades the range in which the value is typical (walking:
the typical adult ranges of :mod:`posture.gait.summary`) or reaches no screening band (the
knowledge base's mildest band), and never zooms into noise: the y axis spans the measure's
neutral value (0; 1 for a ratio), the shaded range and at least :data:`MIN_SPAN_SD` uncertainties.

Figures are :class:`matplotlib.figure.Figure`, not ``pyplot``: the caller's backend is left alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from posture.core.names import PLAIN, best_variant
from posture.findings.engine import no_finding_range
from posture.findings.types import Knowledge
from posture.gait import summary
from posture.history.compare import Series

#: Measures plotted as trends, in this order (every measure is in the table). A measure with
#: other-unit variants is plotted in the best unit stored (:data:`posture.core.names.VARIANTS`).
HEADLINE = {
    "photo": (
        "pelvic_obliquity_deg", "hip_height_diff_mm", "shoulder_tilt_deg", "lateral_pelvic_shift_mm",
        "knee_alignment_deg", "anterior_pelvic_tilt_deg", "trunk_lean_deg", "head_forward_deg",
    ),
    "gait": (
        "cadence_spm", "speed_m_s", "stance_pct", "step_time_s", "step_length_m", "stance_time_si_pct",
        "step_time_si_pct", "pelvic_drop_deg", "foot_angle_at_contact_deg",
    ),
}  # fmt: skip
COLOURS = {"left": "#ff8c00", "right": "#0078ff", None: "#1f2933"}
#: The y axis spans at least this many times the largest uncertainty (1 SD) shown.
MIN_SPAN_SD = 4.0
#: Units as the axis says them.
UNIT_WORDS = {"deg": "degrees", "mm": "mm", "px": "pixels", "%": "%", "ratio": "ratio", "s": "seconds"}


@dataclass(frozen=True)
class Range:
    """Where a measure's value is typical or reaches no screening band; ``None`` = open."""

    low: float | None
    high: float | None
    label: str


def typical_range(name: str) -> Range | None:
    """The typical adult range of a walking measure (:func:`posture.gait.summary.typical_range`)."""
    low_high = summary.typical_range(name)
    if low_high is None:
        return None
    return Range(*low_high, "typical adult range")


def screening_range(knowledge: Knowledge, name: str, side: str | None, unit: str) -> Range | None:
    """The values at which no finding of the knowledge base starts (below every mildest band)."""
    found = no_finding_range(knowledge, name, side, unit)
    return None if found is None else Range(found.low, found.high, "no screening finding")


def reference_range(name: str, side: str | None, unit: str, knowledge: Knowledge | None) -> Range | None:
    """The range a panel shades: the typical walking range, else the no-finding range, else none."""
    typical = typical_range(name)
    if typical is not None or knowledge is None:
        return typical
    return screening_range(knowledge, name, side, unit)


def trend_names(kind: str, series: Sequence[Series]) -> list[str]:
    """The headline measures of ``kind`` with two or more sessions, one variant each, in order."""
    plotted = {s.name for s in series if s.kind == kind and len(s.points) >= 2}
    names = [best_variant(name, plotted) for name in HEADLINE[kind]]
    return list(dict.fromkeys(n for n in names if n is not None))


def value_limits(
    values: np.ndarray, sd: np.ndarray, neutral: float | None, shaded: Range | None
) -> tuple[float, float]:
    """The y range: every value ± its SD, the neutral value, the shaded range, and a minimum span."""
    ends = [*(values - sd), *(values + sd)]
    if neutral is not None:
        ends.append(neutral)
    if shaded is not None:
        ends += [v for v in (shaded.low, shaded.high) if v is not None]
    low, high = float(np.nanmin(ends)), float(np.nanmax(ends))
    span = max(high - low, MIN_SPAN_SD * float(np.nanmax(sd, initial=0.0)), 1e-9)
    pad = 0.08 * span
    middle = (low + high) / 2
    low, high = min(low, middle - span / 2) - pad, max(high, middle + span / 2) + pad
    return low, high


def _neutral(name: str, unit: str) -> float | None:
    """The value meaning 'no difference' or 'nothing': 1 for a ratio, none for cadence, else 0."""
    if unit == "ratio":
        return 1.0
    return None if name == "cadence_spm" else 0.0


def _day(x: float, _pos: object = None) -> str:
    """``5 Jan`` over ``2026``."""
    day = mdates.num2date(x)
    return f"{day.day} {day:%b}\n{day.year}"


def _date_axis(ax: Axes, dates: Sequence[datetime]) -> None:
    """Dates readable at any count: each session's date when few, else month ticks; padded ends."""
    first, last = min(dates), max(dates)
    pad = max((last - first) * 0.08, timedelta(days=2))
    ax.set_xlim(first - pad, last + pad)  # type: ignore[arg-type]
    unique = sorted(set(d.date() for d in dates))
    if len(unique) <= 3:
        ax.set_xticks([datetime(d.year, d.month, d.day) for d in unique])  # type: ignore[arg-type]
        ax.xaxis.set_major_formatter(FuncFormatter(_day))
    else:
        locator = mdates.AutoDateLocator(minticks=2, maxticks=4)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=8)


def draw_trend(ax: Axes, name: str, series: Sequence[Series], shaded: Range | None) -> None:
    """One measure's panel: each side's values ± 1 SD over the session dates, the range shaded."""
    mine = [s for s in series if s.name == name and len(s.points) >= 2]
    unit = mine[0].unit
    values, sds, dates = [], [], []
    for s in mine:
        t = [p.taken_at for p in s.points]
        v = np.array([p.value for p in s.points])
        u = np.array([np.nan if p.uncertainty is None else p.uncertainty for p in s.points])
        ax.errorbar(t, v, yerr=np.nan_to_num(u), marker="o", ms=5, capsize=4, lw=1.4, color=COLOURS[s.side],  # type: ignore[arg-type]
                    label=s.side or "", zorder=3)  # fmt: skip
        values.append(v)
        sds.append(np.nan_to_num(u))
        dates.extend(t)
    low, high = value_limits(np.concatenate(values), np.concatenate(sds), _neutral(name, unit), shaded)
    if shaded is not None:
        ax.axhspan(low if shaded.low is None else shaded.low, high if shaded.high is None else shaded.high,
                   color="#2f855a", alpha=0.12, lw=0, zorder=1)  # fmt: skip
    ax.set_ylim(low, high)
    ax.set_title(PLAIN.get(name, name), fontsize=11)
    ax.set_ylabel(UNIT_WORDS.get(unit, unit), fontsize=9)
    ax.grid(alpha=0.3)
    _date_axis(ax, dates)
    if any(ax.get_legend_handles_labels()[1]):
        ax.legend(fontsize=7, loc="best")


def trend_figure(name: str, series: Sequence[Series], knowledge: Knowledge | None = None) -> Figure:
    """One measure's trend panel (every side of ``name`` in ``series``), titled with its plain name.

    ``knowledge``: the knowledge base whose mildest bands give the no-finding range to shade.
    """
    first = next(s for s in series if s.name == name)
    fig = Figure(figsize=(4.3, 3.1), layout="constrained")
    draw_trend(fig.subplots(), name, series, reference_range(name, first.side, first.unit, knowledge))
    return fig


def trend_figures(kind: str, series: Sequence[Series], knowledge: Knowledge | None = None) -> list[Figure]:
    """A panel per headline measure of ``kind`` with two or more sessions (:func:`trend_names`)."""
    mine = [s for s in series if s.kind == kind]
    return [trend_figure(name, mine, knowledge) for name in trend_names(kind, mine)]


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
