"""The walking numbers that matter, as the terminal and the report show them: pace, each side's
timing and step length against their normal ranges, and left against right.

One rule for a left/right difference everywhere: it is called a difference only when the
symmetry index is larger than twice its uncertainty (as the history judges a change);
otherwise it is within measurement noise.
"""

from __future__ import annotations

from dataclasses import dataclass

from posture.core.measure import Measure, beyond_noise
from posture.core.result import CheckResult
from posture.data.skeleton import SIDES
from posture.findings.units import DECIMALS, format_quantity, uncertainty_number, unit_label

#: Normal ranges for adults walking at their own pace (DOMAIN norms: stance 60-62 % of the cycle,
#: less when faster, Kirtley: 64.2 - 3.5 x speed; double support 20-25 %; cadence about 90-120).
NORMAL = {
    "cadence_spm": (90.0, 120.0),
    "stance_pct": (60.0, 62.0),
    "swing_pct": (38.0, 40.0),
    "double_support_pct": (20.0, 25.0),
}


def typical_range(quantity: str) -> tuple[float, float] | None:
    """The typical adult range of a walking quantity (:data:`NORMAL`), or None when none is known.

    Step time has the cadence range turned round: 60 / steps per minute, in seconds.
    """
    if quantity == "step_time_s":
        slow, fast = NORMAL["cadence_spm"]
        return 60.0 / fast, 60.0 / slow
    return NORMAL.get(quantity)


#: Per side: quantity -> plain label, in the order shown.
SIDE_ROWS = {
    "step_time_s": "Step time",
    "stride_time_s": "Stride time",
    "stance_pct": "Stance (foot on the floor)",
    "swing_pct": "Swing (foot in the air)",
    "double_support_pct": "Both feet down",
    "step_length_m": "Step length",
    # the heel-to-toe pattern
    "heel_strike_share": "Steps landing heel first",
    "foot_angle_at_contact_deg": "Foot angle at landing",
    "roll_through_s": "Heel to flat foot (roll-through)",
}
#: Shares of counted contacts: shown as the share alone (their spread says nothing of noise).
COUNTED = ("heel_strike_share",)
#: Left against right: symmetry measure -> what is compared.
SYMMETRY_ROWS = {
    "step_time_si_pct": "step time",
    "stance_time_si_pct": "stance time",
    "swing_time_si_pct": "swing time",
    "step_length_m_si_pct": "step length",
}


@dataclass(frozen=True)
class Row:
    """One line of the summary: a label, the value per side (or one value), the normal range."""

    label: str
    left: str
    right: str | None
    normal: str


def with_uncertainty(m: Measure) -> str:
    """``0.54 ±0.03 m``: the value to the decimals its uncertainty needs (at least the unit's own)."""
    if not m.known or m.value is None:
        return "not measured"
    if m.uncertainty is None:
        return format_quantity(m.value, m.unit)
    digits = DECIMALS.get(m.unit, 2)
    if m.uncertainty > 0 and round(m.uncertainty, digits) == 0:
        digits += 1  # "108 ±0 steps/min" would hide a real uncertainty of 0.5
    return f"{m.value:.{digits}f} ±{uncertainty_number(m.uncertainty, m.unit, digits)}{unit_label(m.unit)}"


def difference(si: Measure, what: str) -> str:
    """``step time -5.0% ±2.0% (left longer)`` or ``... (within measurement noise)``."""
    value = si.value or 0.0
    text = f"{what} {value + 0.0:+.1f}% ±{si.uncertainty or 0.0:.1f}%"
    beyond = beyond_noise(value, si.uncertainty)
    if beyond is None:
        return f"{what} {value:+.1f}% (uncertainty unknown: not judged)"
    if not beyond:
        return f"{text} (within measurement noise)"
    return f"{text} ({'right' if value > 0 else 'left'} longer)"


def _normal(quantity: str, unit: str, check: CheckResult) -> str:
    low_high = NORMAL.get(quantity)
    if quantity == "stance_pct":  # Kirtley: stance % falls with speed
        speed = check.measures.get("speed_m_s")
        if speed is not None and speed.known and speed.value is not None:
            mid = 64.2 - 3.5 * speed.value
            return f"about {mid:.0f}% at this speed"
    if low_high is None:
        return ""
    return f"{format_quantity(low_high[0], unit)} to {format_quantity(low_high[1], unit)}"


def pace_rows(check: CheckResult) -> list[Row]:
    """Cadence and walking speed."""
    rows = []
    for name, label in (("cadence_spm", "Cadence"), ("speed_m_s", "Walking speed")):
        m = check.measures.get(name)
        if m is not None and (m.known or name == "cadence_spm"):
            rows.append(Row(label, with_uncertainty(m), None, _normal(name, m.unit, check)))
    return rows


def side_rows(check: CheckResult) -> list[Row]:
    """Each side's timing and step length, with the normal range; those not measured are left out
    (a withheld stance says why)."""
    rows = []
    for quantity, label in SIDE_ROWS.items():
        per_side = [check.measures.get(f"{quantity}_{side}") for side in SIDES]
        if not any(m is not None and m.known for m in per_side):
            continue
        left, right = (_shown(quantity, m) for m in per_side)
        unit = next(m.unit for m in per_side if m is not None)
        rows.append(Row(label, left, right, _normal(quantity, unit, check)))
    return rows


def _shown(quantity: str, m: Measure | None) -> str:
    if m is None:
        return "not measured"
    if quantity in COUNTED and m.known and m.value is not None:
        return f"{m.value:.0f}%"
    return with_uncertainty(m)


def key_rows(check: CheckResult) -> list[Row]:
    """The pace rows, then each side's."""
    return pace_rows(check) + side_rows(check)


def symmetry_lines(check: CheckResult) -> list[str]:
    """Left against right for each symmetry index that was measured."""
    return [
        difference(check.measures[name], what)
        for name, what in SYMMETRY_ROWS.items()
        if name in check.measures and check.measures[name].known
    ]


def withheld(check: CheckResult) -> str | None:
    """Why stance and swing are missing, when they are (a front or back view, too few steps)."""
    stance = check.measures.get("stance_pct_left")
    return stance.note.split(":")[0] if stance is not None and not stance.known and stance.note else None
