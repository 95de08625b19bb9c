"""What changed between two sessions, in words a client reads (pure functions, no HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from posture.core.names import PLAIN, VARIANTS
from posture.history.compare import Change, Series
from posture.standing.mirror import MIRRORING, Mirroring


def one_row_per_measure(changes: Sequence[Change]) -> list[Change]:
    """``changes`` without the other-unit variants of a measure that is there in a better unit."""
    present = {(c.series.name, c.series.side) for c in changes}
    dropped = set()
    for variants in VARIANTS:
        for side in {side for _, side in present}:
            have = [v for v in variants if (v, side) in present]
            dropped |= {(v, side) for v in have[1:]}
    return [c for c in changes if (c.series.name, c.series.side) not in dropped]


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
