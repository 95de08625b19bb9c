"""Heel-to-toe pattern per contact (side views): foot angle at contact, roll-through, push-off.

Foot angle: the angle of the heel → foot-index line in the image against the
image horizontal, measured relative to the same foot's flat-foot angle (the
median over the middle third of its stances, where the sole rests on the
floor), so the landmarks' own offset cancels. Positive = toes up (heel lower
than the toes). Units: degrees.

Contact type from the angle at heel strike: ``heel`` (> +``FLAT_BAND_DEG``),
``forefoot`` (< −``FLAT_BAND_DEG``), else ``flat``. Roll-through time: from
heel strike until the angle first comes within ``FLAT_BAND_DEG`` / 2 of flat.
Push-off time: from heel-off (the angle last leaves the flat band, toes down)
to toe off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Half-width (deg) of the "flat foot" band around the flat-foot angle.
FLAT_BAND_DEG = 5.0


@dataclass(frozen=True)
class Contact:
    """Heel-to-toe pattern of one foot contact (times in s, angles in degrees)."""

    side: str
    heel_strike_s: float
    foot_angle_deg: float
    kind: str
    roll_through_s: float
    push_off_s: float


def foot_angle_deg(heel: np.ndarray, toe: np.ndarray, direction_sign: float) -> np.ndarray:
    """(T,) image angle of heel → toe against the walking direction, toes up positive (deg).

    ``heel``, ``toe``: (T, 2) pixels; ``direction_sign``: +1 walking towards +x, -1 towards -x.
    """
    dx = direction_sign * (toe[:, 0] - heel[:, 0])
    up = heel[:, 1] - toe[:, 1]  # image y grows downwards
    return np.degrees(np.arctan2(up, dx))


def flat_angle(angle: np.ndarray, time_s: np.ndarray, stances: list[tuple[float, float]]) -> float:
    """Median foot angle over the middle third of each stance (the foot's flat-foot angle)."""
    keep = np.zeros(len(time_s), bool)
    for t0, t1 in stances:
        third = (t1 - t0) / 3.0
        keep |= (time_s >= t0 + third) & (time_s <= t1 - third)
    vals = angle[keep & np.isfinite(angle)]
    return float(np.median(vals)) if vals.size else math.nan


def classify(angle_deg: float, band: float = FLAT_BAND_DEG) -> str:
    """``heel``, ``flat`` or ``forefoot`` from the relative foot angle at contact (``""`` when unknown)."""
    if not math.isfinite(angle_deg):
        return ""
    if angle_deg > band:
        return "heel"
    if angle_deg < -band:
        return "forefoot"
    return "flat"


def _sample(values: np.ndarray, time_s: np.ndarray, t: float) -> float:
    ok = np.isfinite(values)
    if not ok.any() or not time_s[0] <= t <= time_s[-1]:
        return math.nan
    return float(np.interp(t, time_s[ok], values[ok]))


def contact(side: str, rel_angle: np.ndarray, time_s: np.ndarray, hs: float, to: float) -> Contact:
    """Describe one contact from the relative foot angle (deg, flat = 0) between heel strike and toe off."""
    at_hs = _sample(rel_angle, time_s, hs)
    inside = (time_s >= hs) & (time_s <= to) if math.isfinite(to) else time_s >= hs
    idx = np.flatnonzero(inside)
    near = np.abs(rel_angle[idx]) <= FLAT_BAND_DEG / 2
    roll = float(time_s[idx[near][0]] - hs) if near.any() else math.nan
    push = math.nan
    if math.isfinite(to) and near.any():
        last_flat = idx[near][-1]
        push = float(to - time_s[last_flat])
    return Contact(side, hs, at_hs, classify(at_hs), roll, push)


def share(contacts: list[Contact], kind: str) -> float:
    """Percentage of classified ``contacts`` of the given ``kind`` (NaN when none are classified)."""
    known = [c for c in contacts if c.kind]
    return 100.0 * sum(c.kind == kind for c in known) / len(known) if known else math.nan
