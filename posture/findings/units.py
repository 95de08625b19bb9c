"""Numbers with units as people read them, and the few unit conversions allowed."""

from __future__ import annotations

import math

#: Decimal places shown per unit.
DECIMALS: dict[str, int] = {"deg": 1, "mm": 0, "px": 0, "%": 1, "ratio": 3, "s": 3, "steps/min": 0}

#: How a unit is written after a number ("" = no unit shown).
LABELS: dict[str, str] = {"deg": "°", "%": "%", "ratio": ""}

#: Exact conversions between units: (from, to) -> factor.
CONVERSIONS: dict[tuple[str, str], float] = {("ratio", "%"): 100.0, ("%", "ratio"): 0.01}


def unit_label(unit: str) -> str:
    """The unit as written after a number: ``°``, ``%``, `` mm`` (leading space), or ``""``."""
    return LABELS.get(unit, f" {unit}" if unit else "")


def format_number(value: float, unit: str) -> str:
    """The number alone, with the unit's usual precision (``-0.0`` shown as ``0.0``)."""
    if not math.isfinite(value):
        return "n/a"
    digits = DECIMALS.get(unit, 2)
    return f"{round(value, digits) + 0.0:.{digits}f}"  # rounded first: -0.04 deg reads 0.0, not -0.0


def format_quantity(value: float | None, unit: str) -> str:
    """``3.2°``, ``12 mm``, ``1.032``; an en dash when there is no value."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{format_number(value, unit)}{unit_label(unit)}"


def format_uncertainty(uncertainty: float | None, unit: str) -> str:
    """``±0.8°``, or ``uncertainty unknown``."""
    if uncertainty is None or not math.isfinite(uncertainty):
        return "uncertainty unknown"
    return f"±{format_quantity(uncertainty, unit)}"


def conversion_factor(from_unit: str, to_unit: str) -> float | None:
    """The factor taking ``from_unit`` to ``to_unit``, or ``None`` when they do not convert."""
    if from_unit == to_unit:
        return 1.0
    return CONVERSIONS.get((from_unit, to_unit))
