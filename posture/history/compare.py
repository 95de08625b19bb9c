"""Trends over a client's sessions and the then-versus-now comparison (pure functions).

A change between two sessions is called *beyond uncertainty* when it exceeds
``K`` times the combined standard uncertainty of the two values,
``|now - then| > K * sqrt(u_then**2 + u_now**2)``; with ``K = 2`` a change that is only
measurement noise is called real about 5% of the time. When either value has no
uncertainty the change is reported but not judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from posture.core.measure import NOISE_FACTOR
from posture.history.db import HistoryDB, MeasureRow, Session

#: Coverage factor for calling a change real (the one factor of :data:`posture.core.measure.NOISE_FACTOR`).
K = NOISE_FACTOR


@dataclass(frozen=True)
class Point:
    """One session's value of a measure."""

    session_id: int
    taken_at: datetime
    value: float
    uncertainty: float | None


@dataclass(frozen=True)
class Series:
    """One measure (with side) of one kind of check, over the client's sessions."""

    kind: str
    name: str
    side: str | None
    unit: str
    points: tuple[Point, ...]

    @property
    def label(self) -> str:
        """``name`` or ``name (side)``."""
        return self.name if self.side is None else f"{self.name} ({self.side})"


@dataclass(frozen=True)
class Change:
    """Baseline against latest for one series."""

    series: Series
    then: Point
    now: Point
    delta: float
    uncertainty: float | None
    verdict: str  # "beyond uncertainty" | "within uncertainty" | "not judged"

    @property
    def beyond(self) -> bool:
        """Whether the change exceeds what measurement uncertainty can explain."""
        return self.verdict == "beyond uncertainty"


def build_series(sessions: Sequence[Session], measures: dict[int, list[MeasureRow]]) -> list[Series]:
    """Group the sessions' measures into one series per (kind, name, side), time ordered."""
    grouped: dict[tuple[str, str, str | None], tuple[str, list[Point]]] = {}
    for session in sorted(sessions, key=lambda s: (s.taken_at, s.id)):
        for m in measures.get(session.id, []):
            key = (session.kind, m.name, m.side)
            unit, points = grouped.setdefault(key, (m.unit, []))
            points.append(Point(session.id, session.taken_at, m.value, m.uncertainty))
    return [Series(*key, unit, tuple(points)) for key, (unit, points) in grouped.items()]


def load_series(db: HistoryDB, client: str) -> tuple[list[Session], list[Series]]:
    """The client's sessions (oldest first) and every measure's series."""
    sessions = db.sessions(client)
    return sessions, build_series(sessions, {s.id: db.measures(s.id) for s in sessions})


def judge(then: Point, now: Point, k: float = K) -> tuple[float, float | None, str]:
    """``(delta, combined 1-SD uncertainty, verdict)`` of the change from ``then`` to ``now``."""
    delta = now.value - then.value
    if then.uncertainty is None or now.uncertainty is None:
        return delta, None, "not judged"
    combined = math.hypot(then.uncertainty, now.uncertainty)
    verdict = "beyond uncertainty" if abs(delta) > k * combined else "within uncertainty"
    return delta, combined, verdict


def compare(series: Sequence[Series], baseline: datetime | None = None, k: float = K) -> list[Change]:
    """Then-versus-now for every series with two or more points.

    ``baseline`` picks the first session at or after that time as "then" (default: the
    first session); "now" is always the latest.
    """
    changes = []
    for s in series:
        eligible = [p for p in s.points if baseline is None or p.taken_at >= baseline]
        if len(eligible) < 2:
            continue
        then, now = eligible[0], eligible[-1]
        delta, combined, verdict = judge(then, now, k)
        changes.append(Change(s, then, now, delta, combined, verdict))
    return changes
