"""What a person reads for each measure: plain names for the stable keys of both checks.

The keys (``pelvic_obliquity_deg``) stay in ``result.json``, the history and the technical
tables; reports show these names. Every measure either check declares has one (a test
checks it), so a new measure brings its plain name along.
"""

from __future__ import annotations

from posture.core.measure import Measure

#: Quantity (the measure's name without its side) -> plain name.
PLAIN: dict[str, str] = {
    # standing, front or back
    "pelvic_obliquity_deg": "Hip line tilt",
    "hip_height_diff_mm": "Hip height difference",
    "hip_height_diff_px": "Hip height difference (in the picture)",
    "hip_height_diff_pct_hip_width": "Hip height difference (share of hip width)",
    "shoulder_tilt_deg": "Shoulder line tilt",
    "lateral_pelvic_shift_mm": "Pelvis shifted sideways",
    "lateral_pelvic_shift_px": "Pelvis shifted sideways (in the picture)",
    "lateral_pelvic_shift_pct_hip_width": "Pelvis shifted sideways (share of hip width)",
    "leg_length_ratio": "Leg length, left to right",
    "knee_alignment_deg": "Knee alignment",
    # standing, side-on
    "trunk_lean_deg": "Trunk lean",
    "head_forward_deg": "Head forward of the shoulders",
    "anterior_pelvic_tilt_deg": "Pelvis tipped forward (estimate)",
    # walking
    "cadence_spm": "Cadence",
    "speed_m_s": "Walking speed",
    "step_time_s": "Step time",
    "stride_time_s": "Stride time",
    "stance_time_s": "Stance time (foot on the floor)",
    "swing_time_s": "Swing time (foot in the air)",
    "double_support_time_s": "Both feet down (time)",
    "stance_pct": "Stance (share of the stride)",
    "swing_pct": "Swing (share of the stride)",
    "double_support_pct": "Both feet down (share of the stride)",
    "step_length_m": "Step length",
    "step_time_si_pct": "Step time, left against right",
    "stride_time_si_pct": "Stride time, left against right",
    "stance_time_si_pct": "Stance time, left against right",
    "swing_time_si_pct": "Swing time, left against right",
    "stance_pct_si_pct": "Stance share, left against right",
    "double_support_time_si_pct": "Both feet down, left against right",
    "step_length_m_si_pct": "Step length, left against right",
    "heel_strike_share": "Steps landing heel first",
    "foot_angle_at_contact_deg": "Foot angle at landing",
    "roll_through_s": "Heel-to-flat roll-through",
    "pelvic_drop_deg": "Pelvic drop in single-leg stance",
    "foot_progression_deg": "Toe-out angle (estimate)",
    "step_width_px": "Step width (in the picture)",
}


def plain_name(m: Measure) -> str:
    """``Knee alignment, left``: the measure's plain name with its side; its key when it has none."""
    base = PLAIN.get(m.quantity, m.name)
    return f"{base}, {m.side}" if m.side is not None else base


#: The same quantity in several units, best first: where several are known only the first is shown
#: (millimetres over a share of the hip width over image pixels), so each measure has one row.
VARIANTS = (
    ("hip_height_diff_mm", "hip_height_diff_pct_hip_width", "hip_height_diff_px"),
    ("lateral_pelvic_shift_mm", "lateral_pelvic_shift_pct_hip_width", "lateral_pelvic_shift_px"),
)


def best_variant(name: str, available: set[str]) -> str | None:
    """The best-unit variant of ``name`` among ``available`` (``name`` itself when it has none)."""
    for variants in VARIANTS:
        if name in variants:
            return next((v for v in variants if v in available), None)
    return name if name in available else None
