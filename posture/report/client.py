"""What the client page of a standing report shows: each screened measure beside its typical range.

The typical range is where the knowledge base's mildest screening band starts: a measure
inside it gives no finding. Rules judged in both directions around one reference (left hip
higher, right hip higher) read as one range, ``within ±2.0°``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from posture.core.measure import Measure
from posture.core.names import best_variant, plain_name
from posture.findings.engine import NoFinding, no_finding_range
from posture.findings.types import Knowledge
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


def _typical(found: NoFinding, unit: str) -> str:
    """The range no rule flags, in words (``within ±2.0°``, ``below 5.0°``, ``1.000 ±0.020``)."""
    low, high, ref = found.low, found.high, found.reference
    if low is not None and high is not None:
        if ref is not None and math.isclose(high - ref, ref - low):
            if ref == 0:
                return f"within ±{format_number(high, unit)}{unit_label(unit)}"
            return f"{format_quantity(ref, unit)} ±{format_quantity(high - ref, unit)}"
        return f"{format_quantity(low, unit)} to {format_quantity(high, unit)}"
    if high is not None:
        return f"below {format_quantity(high, unit)}"
    return f"above {format_quantity(low, unit)}"


def screened_rows(measures: Iterable[Measure], knowledge: Knowledge) -> list[KeyRow]:
    """A row for every measured value a screening rule judges, in the order of ``measures``
    (a quantity known in millimetres is shown in them alone)."""
    measures = list(measures)
    known = {m.name for m in measures if m.known}
    rows = []
    for m in measures:
        side = None if m.side is None else str(m.side)
        found = no_finding_range(knowledge, m.quantity, side, m.unit)
        if found is None or not m.known or best_variant(m.name, known) != m.name:
            continue
        rows.append(KeyRow(plain_name(m), side_phrase(m) or measure_value(m), None, _typical(found, m.unit)))
    return rows
