"""What changed between two sessions, in words a client reads (pure functions, no HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from posture.core.names import PLAIN
from posture.history.compare import Change, Series
from posture.standing.mirror import MIRRORING, Mirroring

#: The same quantity in several units, best first: only the first one stored is shown (millimetres
#: over a share of the hip width over image pixels), so each measure has one row and one plot.
VARIANTS = (
    ("hip_height_diff_mm", "hip_height_diff_pct_hip_width", "hip_height_diff_px"),
    ("lateral_pelvic_shift_mm", "lateral_pelvic_shift_pct_hip_width", "lateral_pelvic_shift_px"),
)


def one_row_per_measure(changes: Sequence[Change]) -> list[Change]:
    """``changes`` without the other-unit variants of a measure that is there in a better unit."""
    present = {(c.series.name, c.series.side) for c in changes}
    dropped = set()
    for variants in VARIANTS:
        for side in {side for _, side in present}:
            have = [v for v in variants if (v, side) in present]
            dropped |= {(v, side) for v in have[1:]}
    return [c for c in changes if (c.series.name, c.series.side) not in dropped]


def best_variant(name: str, available: set[str]) -> str | None:
    """The best-unit variant of ``name`` among ``available`` (``name`` itself when it has none)."""
    for variants in VARIANTS:
        if name in variants:
            return next((v for v in variants if v in available), None)
    return name if name in available else None


def plain_series(series: Series) -> str:
    """``Knee alignment, left``: the series' plain name with its side."""
    base = PLAIN.get(series.name, series.name)
    return f"{base}, {series.side}" if series.side else base


def day_text(when: datetime) -> str:
    """``5 January 2026``."""
    return f"{when.day} {when:%B %Y}"


def change_in_words(c: Change) -> str:
    """``Hip line tilt: 2.6 deg nearer level since 5 January 2026 (beyond measurement noise).``"""
    toward = "nearer level" if abs(c.now.value) < abs(c.then.value) else "further from level"
    if MIRRORING.get(c.series.name) is not Mirroring.FLIP:  # not a left/right tilt or shift
        toward = "higher" if c.delta > 0 else "lower"
    when = day_text(c.then.taken_at)
    noise = "beyond measurement noise" if c.beyond else "within measurement noise"
    return f"{plain_series(c.series)}: {abs(c.delta):.1f} {c.series.unit} {toward} since {when} ({noise})."
