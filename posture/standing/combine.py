"""Standing-photo measures combined over augmented variants and several images.

Each image gives variants in mirror pairs (see :mod:`posture.pose.augment`).
A value is computed on every variant; each pair is averaged (the mirror cancels
the model's own left/right bias), and the estimate is the mean of the pair
means across variants and images. Its uncertainty is the standard deviation of
the pair means (the spread a re-take would show), never below a floor measured
on synthetic bodies (``floor`` per unit), because even a perfect spread of zero
does not make the model exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from posture.core.measure import Measure
from posture.core.view import View
from posture.data.skeleton import Side
from posture.standing import landmarks as photo

#: Smallest uncertainty reported, per unit (model error on synthetic bodies; see benchmarks/).
FLOOR = {"deg": 0.3, "px": 1.0, "mm": 2.0, "%": 1.0, "ratio": 0.005}


@dataclass(frozen=True)
class Scale:
    """Millimetres per pixel at the subject, and how that was found."""

    mm_per_px: float
    method: str  # "height" or "marker"
    uncertainty_rel: float = 0.03


#: Unit and plain-language meaning (with sign convention) of every standing measure.
MEANINGS: dict[str, tuple[str, str]] = {
    "pelvic_obliquity_deg": ("deg", "Tilt of the hip line; positive = the subject's left hip is higher."),
    "hip_height_diff_px": ("px", "Left hip height minus right hip height, in image pixels."),
    "hip_height_diff_mm": ("mm", "Left hip height minus right hip height, in millimetres."),
    "hip_height_diff_pct_hip_width": ("%", "Hip height difference as a percentage of the hip width."),
    "shoulder_tilt_deg": ("deg", "Tilt of the shoulder line; positive = the left shoulder is higher."),
    "lateral_pelvic_shift_px": (
        "px",
        "Sideways offset of the hip midpoint over the ankle midpoint; positive = towards the left.",
    ),
    "lateral_pelvic_shift_mm": ("mm", "Sideways pelvic shift over the ankles, in mm; positive = left."),
    "lateral_pelvic_shift_pct_hip_width": ("%", "Sideways pelvic shift as a percentage of hip width."),
    "leg_length_ratio": ("ratio", "Left over right hip-knee-ankle length in the image (1 = equal)."),
    "knee_alignment_deg_left": ("deg", "Left knee angle, front on; positive = knee towards the midline."),
    "knee_alignment_deg_right": ("deg", "Right knee angle, front on; positive = knee towards the midline."),
    "trunk_lean_deg": ("deg", "Lean of the hip-to-shoulder line from vertical; positive = forward."),
    "head_forward_deg": (
        "deg",
        "Lean of the shoulder-to-ear line from vertical; positive = head forward of the shoulder.",
    ),
}
#: The standing measures that belong to one side of the body.
SIDE_OF: dict[str, Side] = {"knee_alignment_deg_left": Side.LEFT, "knee_alignment_deg_right": Side.RIGHT}

Pose = np.ndarray  # (33, 2) px, roll-corrected, sides fixed
PairedPoses = Sequence[Sequence[Pose]]  # per image: its variants, in mirror pairs


def _pair_means(values: Sequence[float]) -> list[float]:
    v = list(values)
    pairs = [(v[i] + v[i + 1]) / 2 for i in range(0, len(v) - 1, 2)]
    return pairs + ([v[-1]] if len(v) % 2 else [])


def combine(per_image: Sequence[Sequence[float]]) -> tuple[float, float, int]:
    """Mean, spread (SD of pair means) and count over images' paired variant values."""
    means = [m for values in per_image for m in _pair_means(values) if np.isfinite(m)]
    if not means:
        return float("nan"), float("nan"), 0
    spread = float(np.std(means, ddof=1)) if len(means) > 1 else float("nan")
    return float(np.mean(means)), spread, len(means)


def _measure(name: str, poses: PairedPoses, fn: Callable[[Pose], float], factor: float = 1.0) -> Measure:
    unit, meaning = MEANINGS[name]
    side = SIDE_OF.get(name)
    value, spread, n = combine([[fn(xy) * factor for xy in variants] for variants in poses])
    if n == 0:
        return Measure(name, None, unit, None, meaning, note="the landmarks needed were not seen", side=side)
    floor = FLOOR.get(unit, 0.0)
    uncertainty = max(spread if np.isfinite(spread) else floor, floor)
    note = f"mean of {n} mirror-paired estimates"
    return Measure(name, value, unit, uncertainty, meaning, note=note, side=side)


def _pct_hip(fn: Callable[[Pose], float]) -> Callable[[Pose], float]:
    return lambda xy: 100.0 * fn(xy) / photo.hip_width_px(xy)


def frontal_measures(poses: PairedPoses, view: View, scale: Scale | None) -> dict[str, Measure]:
    """Measures from front or back views (see :mod:`posture.standing.landmarks` for signs)."""

    def shift(xy: Pose) -> float:
        return photo.lateral_pelvic_shift_px(xy, view)

    functions: dict[str, Callable[[Pose], float]] = {
        "pelvic_obliquity_deg": photo.pelvic_obliquity_deg,
        "hip_height_diff_px": photo.hip_height_diff_px,
        "hip_height_diff_pct_hip_width": _pct_hip(photo.hip_height_diff_px),
        "shoulder_tilt_deg": photo.shoulder_tilt_deg,
        "lateral_pelvic_shift_px": shift,
        "lateral_pelvic_shift_pct_hip_width": _pct_hip(shift),
        "leg_length_ratio": photo.leg_length_ratio,
        "knee_alignment_deg_left": lambda xy: photo.knee_alignment_deg(xy, "left", view),
        "knee_alignment_deg_right": lambda xy: photo.knee_alignment_deg(xy, "right", view),
    }
    out = {name: _measure(name, poses, fn) for name, fn in functions.items()}
    for name, fn in (("hip_height_diff_mm", photo.hip_height_diff_px), ("lateral_pelvic_shift_mm", shift)):
        out[name] = _scaled(name, poses, fn, scale)
    return out


def _scaled(name: str, poses: PairedPoses, fn: Callable[[Pose], float], scale: Scale | None) -> Measure:
    """A millimetre measure: pixels times the scale, the scale's error added in quadrature."""
    if scale is None:
        unit, meaning = MEANINGS[name]
        return Measure(name, None, unit, None, meaning, note="no scale: give --height-cm or --marker-mm")
    m = _measure(name, poses, fn, factor=scale.mm_per_px)
    if m.value is None or m.uncertainty is None:
        return m
    extra = abs(m.value) * scale.uncertainty_rel
    note = f"{m.note}; scale from {scale.method}"
    return replace(m, uncertainty=float(np.hypot(m.uncertainty, extra)), note=note)


def sagittal_measures(poses: PairedPoses, view: View) -> dict[str, Measure]:
    """Measures from a left or right side view (positive = forward)."""
    functions: dict[str, Callable[[Pose], float]] = {
        "trunk_lean_deg": lambda xy: photo.trunk_lean_deg(xy, view),
        "head_forward_deg": lambda xy: photo.head_forward_deg(xy, view),
    }
    return {name: _measure(name, poses, fn) for name, fn in functions.items()}
