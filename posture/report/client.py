"""What the client page of a standing report shows: each screened measure beside its typical range.

The typical range is where the knowledge base's mildest screening band starts: a measure
inside it gives no finding. Rules judged in both directions around one reference (left hip
higher, right hip higher) read as one range, ``within ±2.0°``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from posture.core.measure import Measure
from posture.core.names import best_variant, plain_name
from posture.findings.types import Knowledge, Trigger
from posture.findings.units import format_number, format_quantity, side_phrase, unit_label
from posture.report.render import measure_value

__all__ = ["KeyRow", "screened_rows"]


@dataclass(frozen=True)
class KeyRow:
    """One line of a key-numbers table: a label, the value (left, or the one value), the right
    side's value for paired tables, and the typical range in words."""

    label: str
    left: str
    right: str | None = None
    normal: str | None = None


def _limits(knowledge: Knowledge) -> dict[str, list[tuple[str, Trigger]]]:
    """Each screened measure name (sides filled in) with the (direction, trigger) pairs judging it."""
    limits: dict[str, list[tuple[str, Trigger]]] = {}
    for rule in knowledge.findings:
        for trigger in rule.triggers:
            names = (
                [trigger.measure.format(side=s) for s in ("left", "right")]
                if "{side}" in trigger.measure
                else [trigger.measure]
            )
            for name in names:
                limits.setdefault(name, []).append((rule.direction, trigger))
    return limits


def _typical(judged: list[tuple[str, Trigger]]) -> str | None:
    """The range no rule flags, in words (``within ±2.0°``, ``below 5.0°``, ``1.000 ±0.020``)."""
    unit = judged[0][1].unit
    ref = judged[0][1].reference
    ups = [t.bands[0].threshold for d, t in judged if d in ("positive", "absolute") and t.reference == ref]
    downs = [t.bands[0].threshold for d, t in judged if d in ("negative", "absolute") and t.reference == ref]
    above = [t.bands[0].threshold for d, t in judged if d == "above"]
    below = [t.bands[0].threshold for d, t in judged if d == "below"]
    label = unit_label(unit)
    if ups and downs and min(ups) == min(downs):
        if ref == 0:
            return f"within ±{format_number(min(ups), unit)}{label}"
        return f"{format_quantity(ref, unit)} ±{format_quantity(min(ups), unit)}"
    if above and below:
        return f"{format_quantity(max(below), unit)} to {format_quantity(min(above), unit)}"
    if above:
        return f"below {format_quantity(min(above), unit)}"
    if below:
        return f"above {format_quantity(max(below), unit)}"
    if ups and downs:
        return f"{format_quantity(ref - min(downs), unit)} to {format_quantity(ref + min(ups), unit)}"
    if ups:
        return f"below {format_quantity(ref + min(ups), unit)}"
    if downs:
        return f"above {format_quantity(ref - min(downs), unit)}"
    return None


def screened_rows(measures: Iterable[Measure], knowledge: Knowledge) -> list[KeyRow]:
    """A row for every measured value a screening rule judges, in the order of ``measures``
    (a quantity known in millimetres is shown in them alone)."""
    limits = _limits(knowledge)
    measures = list(measures)
    known = {m.name for m in measures if m.known}
    rows = []
    for m in measures:
        judged = limits.get(m.name)
        if not judged or not m.known or judged[0][1].unit != m.unit or best_variant(m.name, known) != m.name:
            continue
        rows.append(KeyRow(plain_name(m), side_phrase(m) or measure_value(m), None, _typical(judged)))
    return rows
