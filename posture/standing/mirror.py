"""Exact mirror equivariance: combine a measure taken on a picture with the same measure on its mirror.

A picture mirrored left-right shows a person whose left is the original's
right. Every left/right measure must therefore flip sign (obliquity, hip
height difference, shoulder tilt, lateral shift), swap sides (knee alignment
left <-> right), invert (the left/right leg-length ratio) or stay the same
(trunk lean, head forward, anterior pelvic tilt, side views mirror to the
other side). An estimator ``g`` (the pose model, the pixel pelvis estimate)
does not do that by itself. The standing check runs the whole measurement on
the picture ``p`` and on its mirror ``m(p)`` and reports

    f(p) = (g(p) - g(m(p))) / 2                 (sign-flipping measures)
    f_left(p) = (g_left(p) + g_right(m(p))) / 2 (side-swapping pairs)
    f(p) = sqrt(g(p) / g(m(p)))                 (ratios)
    f(p) = (g(p) + g(m(p))) / 2                 (mirror-invariant measures)

so that f(m(p)) = -f(p) (swapped, inverted, equal) exactly, for any
deterministic ``g``, because m(m(p)) = p. What the two halves disagree on
(``(g(p) + g(m(p))) / 2`` for a sign-flipping measure) is the part of ``g``
that does not follow the body: it is reported as the *mirror discrepancy* and
added in quadrature to the uncertainty.
"""

from __future__ import annotations

import math
from dataclasses import replace
from enum import StrEnum

from posture.core.measure import Measure


class Mirroring(StrEnum):
    """How a measure behaves when the picture is mirrored left-right."""

    FLIP = "flip"  # the value changes sign
    SWAP = "swap"  # the value becomes its left/right twin's (``_left`` <-> ``_right``)
    INVERT = "invert"  # a left/right ratio becomes its reciprocal
    SAME = "same"  # the value does not change


#: Every standing measure's mirroring (a measure missing here is refused by :func:`mirroring_of`).
MIRRORING: dict[str, Mirroring] = {
    "pelvic_obliquity_deg": Mirroring.FLIP,
    "hip_height_diff_px": Mirroring.FLIP,
    "hip_height_diff_mm": Mirroring.FLIP,
    "hip_height_diff_pct_hip_width": Mirroring.FLIP,
    "shoulder_tilt_deg": Mirroring.FLIP,
    "lateral_pelvic_shift_px": Mirroring.FLIP,
    "lateral_pelvic_shift_mm": Mirroring.FLIP,
    "lateral_pelvic_shift_pct_hip_width": Mirroring.FLIP,
    "leg_length_ratio": Mirroring.INVERT,
    "knee_alignment_deg_left": Mirroring.SWAP,
    "knee_alignment_deg_right": Mirroring.SWAP,
    "trunk_lean_deg": Mirroring.SAME,
    "head_forward_deg": Mirroring.SAME,
    "anterior_pelvic_tilt_deg": Mirroring.SAME,
}


def mirroring_of(name: str) -> Mirroring:
    """The mirroring of a measure; a measure nobody declared is an error, not a silent guess."""
    try:
        return MIRRORING[name]
    except KeyError:
        raise KeyError(f"measure {name!r} has no declared mirroring (add it to MIRRORING)") from None


def twin_name(name: str) -> str:
    """The measure a mirrored picture's value is read from (``..._left`` <-> ``..._right``)."""
    if mirroring_of(name) is not Mirroring.SWAP:
        return name
    if name.endswith("_left"):
        return name[: -len("_left")] + "_right"
    if name.endswith("_right"):
        return name[: -len("_right")] + "_left"
    raise ValueError(f"swap measure {name!r} must end in _left or _right")


def mirrored_value(name: str, value: float) -> float:
    """What the picture's ``value`` of ``name`` becomes as a value of the mirrored person's twin measure."""
    kind = mirroring_of(name)
    if kind is Mirroring.FLIP:
        return -value
    if kind is Mirroring.INVERT:
        return 1.0 / value
    return value


def combine_pair(name: str, direct: float | None, mirror: float | None) -> tuple[float | None, float]:
    """The equivariant value of ``name`` and the mirror discrepancy (same unit, >= 0).

    Parameters
    ----------
    name
        The measure (see :data:`MIRRORING`).
    direct
        ``g(p)``: the value measured on the picture, or None.
    mirror
        The value of the *twin* measure (:func:`twin_name`) measured on the mirrored
        picture, or None.

    Returns
    -------
    value, discrepancy
        When only one half has a value, it is used alone (mapped back for the
        mirror half) and the discrepancy is 0: the rule is the same for the
        picture and its mirror, so equivariance holds.
    """
    if mirror is not None and not math.isfinite(mirror):
        mirror = None
    if direct is not None and not math.isfinite(direct):
        direct = None
    if direct is None and mirror is None:
        return None, 0.0
    if mirror is None:
        return direct, 0.0
    back = mirrored_value(name, mirror)  # the mirror's reading, mapped back to the picture's person
    if direct is None:
        return back, 0.0
    if mirroring_of(name) is Mirroring.INVERT:
        if direct <= 0 or back <= 0:
            return None, 0.0
        # the discrepancy in log units (about a relative difference; the same for the mirror image)
        return math.sqrt(direct * back), abs(math.log(direct / back)) / 2.0
    return (direct + back) / 2.0, abs(direct - back) / 2.0


def combine_measures(direct: dict[str, Measure], mirror: dict[str, Measure]) -> dict[str, Measure]:
    """Every measure of ``direct`` made mirror-equivariant with its twin in ``mirror``.

    The uncertainty is the root mean square of the two halves' uncertainties with
    the mirror discrepancy added in quadrature; the note says how large that was.
    """
    out = {}
    for name, d in direct.items():
        m = mirror.get(twin_name(name))
        value, gap = combine_pair(name, d.value, None if m is None else m.value)
        uncs = [u for u in (d.uncertainty, None if m is None else m.uncertainty) if u is not None]
        if value is None:
            note = d.note or (m.note if m is not None else "")
            out[name] = replace(d, value=None, uncertainty=None, note=note)
            continue
        unc = math.sqrt(sum(u * u for u in uncs) / len(uncs) + gap * gap) if uncs else None
        base = d.note if d.value is not None or m is None else m.note
        note = f"{base}; picture and mirror image combined (they differ by {2 * gap:.2f} {d.unit})"
        out[name] = replace(d, value=value, uncertainty=unc, note=note.lstrip("; "))
    return out
