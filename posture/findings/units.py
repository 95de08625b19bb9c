"""Numbers with units as people read them, and the few unit conversions allowed."""

from __future__ import annotations

import math
from dataclasses import dataclass

from posture.core.measure import Measure

#: Decimal places shown per unit.
DECIMALS: dict[str, int] = {"deg": 1, "mm": 0, "px": 0, "%": 1, "ratio": 3, "s": 3, "steps/min": 0}

#: How a unit is written after a number ("" = no unit shown).
LABELS: dict[str, str] = {"deg": "°", "%": "%", "ratio": ""}

#: The same in plain ASCII, for text drawn on pictures (OpenCV's fonts have no ° or ±).
ASCII_LABELS: dict[str, str] = {"deg": " deg", "%": "%", "ratio": ""}

#: Exact conversions between units: (from, to) -> factor.
CONVERSIONS: dict[tuple[str, str], float] = {("ratio", "%"): 100.0, ("%", "ratio"): 0.01}


def unit_label(unit: str, ascii_only: bool = False) -> str:
    """The unit as written after a number: ``°``, ``%``, `` mm`` (leading space), or ``""``.

    ``ascii_only`` writes `` deg`` for degrees (for text drawn on a picture).
    """
    labels = ASCII_LABELS if ascii_only else LABELS
    return labels.get(unit, f" {unit}" if unit else "")


def format_number(value: float, unit: str, digits: int | None = None) -> str:
    """The number alone, with the unit's usual precision (``-0.0`` shown as ``0.0``)."""
    if not math.isfinite(value):
        return "n/a"
    digits = DECIMALS.get(unit, 2) if digits is None else digits
    return f"{round(value, digits) + 0.0:.{digits}f}"  # rounded first: -0.04 deg reads 0.0, not -0.0


def format_quantity(value: float | None, unit: str) -> str:
    """``3.2°``, ``12 mm``, ``1.032``; an en dash when there is no value."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{format_number(value, unit)}{unit_label(unit)}"


def uncertainty_number(uncertainty: float, unit: str, digits: int | None = None) -> str:
    """The uncertainty's number, never read as zero: ``0.8``, or ``<0.1`` when it rounds to nothing.

    An uncertainty below half a unit of the last digit shown (a perfectly even synthetic
    walk, or a value stored to 3 decimals) is written as less than one such unit.
    """
    digits = DECIMALS.get(unit, 2) if digits is None else digits
    if round(abs(uncertainty), digits) == 0:
        return f"<{format_number(10.0**-digits, unit, digits)}"
    return format_number(abs(uncertainty), unit, digits)


def format_uncertainty(uncertainty: float | None, unit: str) -> str:
    """``±0.8°``, ``±<0.1°`` for one too small to show, or ``uncertainty unknown``."""
    if uncertainty is None or not math.isfinite(uncertainty):
        return "uncertainty unknown"
    return f"±{uncertainty_number(uncertainty, unit)}{unit_label(unit)}"


def supported_digits(uncertainty: float | None, unit: str) -> int:
    """Decimals a value can be shown to given its uncertainty: never more than the unit's own.

    The uncertainty keeps two significant figures when it starts with a 1 or 2 (1.9, 0.25)
    and one otherwise (4, 0.6); the value is shown to the same decimal, but to no fewer
    than 0 decimals (12 mm ± 14 reads ``12 mm``, not ``10 mm``).
    """
    most = DECIMALS.get(unit, 2)
    if uncertainty is None or not math.isfinite(uncertainty) or uncertainty <= 0:
        return most
    exponent = math.floor(math.log10(abs(uncertainty)))
    leading = abs(uncertainty) / 10.0**exponent
    figures = 2 if leading < 3 else 1
    return max(0, min(most, figures - 1 - exponent))


def conversion_factor(from_unit: str, to_unit: str) -> float | None:
    """The factor taking ``from_unit`` to ``to_unit``, or ``None`` when they do not convert."""
    if from_unit == to_unit:
        return 1.0
    return CONVERSIONS.get((from_unit, to_unit))


@dataclass(frozen=True)
class SideWords:
    """How a signed measure is said in words.

    ``positive`` / ``negative``: the words for a value above / below ``reference``
    (``"left hip higher"``); ``level``: for a value within its uncertainty of it.
    ``unit``: the unit the difference is said in (``ratio`` measures are said in ``%``).
    """

    positive: str
    negative: str
    level: str
    reference: float = 0.0
    unit: str | None = None


def _hips(level: str = "about level") -> SideWords:
    return SideWords("left hip higher", "right hip higher", level)


#: Sign conventions of the measures said in words (see docs/measures.md: + = the subject's left).
SIDE_WORDS: dict[str, SideWords] = {
    "pelvic_obliquity_deg": _hips(),
    "hip_height_diff_mm": _hips(),
    "hip_height_diff_px": _hips(),
    "hip_height_diff_pct_hip_width": _hips(),
    "shoulder_tilt_deg": SideWords("left shoulder higher", "right shoulder higher", "about level"),
    "lateral_pelvic_shift_px": SideWords("pelvis shifted left", "pelvis shifted right", "about centred"),
    "lateral_pelvic_shift_mm": SideWords("pelvis shifted left", "pelvis shifted right", "about centred"),
    "lateral_pelvic_shift_pct_hip_width": SideWords(
        "pelvis shifted left", "pelvis shifted right", "about centred"
    ),
    "leg_length_ratio": SideWords("left leg longer", "right leg longer", "about equal", 1.0, "%"),
    "trunk_lean_deg": SideWords("trunk leans forward", "trunk leans back", "trunk about upright"),
    "head_forward_deg": SideWords(
        "shoulder-to-ear line leans forward", "shoulder-to-ear line leans back", "ear about over the shoulder"
    ),
}


def side_phrase(measure: Measure, *, ascii_only: bool = False, words: SideWords | None = None) -> str | None:
    """A signed measure in words, rounded to what its uncertainty supports.

    ``left hip higher by 9 mm (± 4)``; ``about level (within ± 4 mm)`` when the value lies
    within its uncertainty of level; ``left hip higher by 9 mm (uncertainty unknown)``.
    Flipping the sign flips the side word. ``None`` when the measure has no value or its
    sign has no words (see :data:`SIDE_WORDS`; ``words`` overrides them). ``ascii_only``
    writes ``+/-`` and ``deg`` for text drawn on a picture.
    """
    said = words or SIDE_WORDS.get(measure.name)
    if said is None or not measure.known or measure.value is None:
        return None
    unit = said.unit or measure.unit
    factor = conversion_factor(measure.unit, unit) or 1.0
    difference = (measure.value - said.reference) * factor
    unc = None if measure.uncertainty is None else abs(measure.uncertainty * factor)
    digits = supported_digits(unc, unit)
    pm, label = ("+/-", unit_label(unit, ascii_only=True)) if ascii_only else ("±", unit_label(unit))
    shown_as_zero = round(abs(difference), digits) == 0
    if shown_as_zero or (unc is not None and math.isfinite(unc) and abs(difference) <= unc):
        within = (
            "uncertainty unknown"
            if unc is None
            else f"within {pm} {uncertainty_number(unc, unit, digits)}{label}"
        )
        return f"{said.level} ({within})"
    size = f"{format_number(abs(difference), unit, digits)}{label}"
    spread = "uncertainty unknown" if unc is None else f"{pm} {uncertainty_number(unc, unit, digits)}"
    return f"{said.positive if difference > 0 else said.negative} by {size} ({spread})"
