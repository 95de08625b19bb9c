"""Frontal-plane walking measures (front and back views).

- Pelvic obliquity (deg): angle of the hip line against the image horizontal,
  positive when the subject's left hip is higher. Assumes a level camera.
- Contralateral pelvic drop on side S (deg): the largest obliquity towards the
  other side during S's stance (left stance: positive obliquity, the right side
  dropping), per stance; positive = the opposite side drops (Trendelenburg-like).
- Foot progression angle (deg, estimate): heel → foot-index direction in
  MediaPipe's world landmarks, projected on the floor, against the walking
  direction, averaged over the middle third of each stance; positive = toes out.
- Step width: lateral distance between the two heels at consecutive heel
  strikes, in pixels, and in metres when a scale is known.
"""

from __future__ import annotations

import math

import numpy as np

from posture.gait.spatiotemporal import Stat


def obliquity_deg(left_hip: np.ndarray, right_hip: np.ndarray) -> np.ndarray:
    """(T,) hip-line angle in degrees, positive = the subject's left hip higher in the image."""
    rise = right_hip[:, 1] - left_hip[:, 1]  # y down: left higher -> left y smaller
    run = np.abs(left_hip[:, 0] - right_hip[:, 0])
    return np.degrees(np.arctan2(rise, run))


def stance_drop(obliquity: np.ndarray, time_s: np.ndarray, t0: float, t1: float, sign: float) -> float:
    """Peak contralateral drop (deg) during one stance from ``t0`` (heel strike) to ``t1`` (toe off).

    ``sign``: +1 for a left stance (the right side drops when obliquity > 0), -1 for right.
    NaN when fewer than 3 frames with a known obliquity fall inside.
    """
    inside = (time_s >= t0) & (time_s <= t1) & np.isfinite(obliquity)
    return float(np.max(sign * obliquity[inside])) if inside.sum() >= 3 else math.nan


def pelvic_drop(
    obliquity: np.ndarray, time_s: np.ndarray, stances: list[tuple[float, float]], sign: float
) -> Stat:
    """Per-stance peak contralateral drop (deg) over ``stances`` ((heel strike, toe off) times).

    ``sign``: +1 for left stances (the right side drops when obliquity > 0), -1 for right.
    """
    peaks = [stance_drop(obliquity, time_s, t0, t1, sign) for t0, t1 in stances]
    return Stat.of([p for p in peaks if math.isfinite(p)])


def foot_progression(
    heel_w: np.ndarray,
    toe_w: np.ndarray,
    time_s: np.ndarray,
    stances: list[tuple[float, float]],
    side_sign: float,
    towards: bool,
) -> Stat:
    """Toe-out angle (deg) per stance from world landmarks (T, 3) in metres (x right, z away).

    ``side_sign``: +1 left foot, -1 right foot. ``towards``: walking towards the
    camera (front view) rather than away.
    """
    forward = -1.0 if towards else 1.0  # walking direction along world z
    lateral_out = side_sign * (1.0 if towards else -1.0)  # image-x sign of the subject's outside
    vec = toe_w - heel_w
    angle = np.degrees(np.arctan2(lateral_out * vec[:, 0], forward * vec[:, 2]))
    values = []
    for t0, t1 in stances:
        third = (t1 - t0) / 3.0
        inside = (time_s >= t0 + third) & (time_s <= t1 - third) & np.isfinite(angle)
        if inside.any():
            values.append(float(np.median(angle[inside])))
    return Stat.of(values)


def step_widths_px(heel_x_at_strike: list[tuple[float, str, float]]) -> list[float]:
    """Lateral heel distances (px) between consecutive heel strikes of opposite feet.

    ``heel_x_at_strike``: (time, side, heel image x) per heel strike, any order.
    """
    rows = sorted(heel_x_at_strike)
    out = []
    for (_, s0, x0), (_, s1, x1) in zip(rows, rows[1:], strict=False):
        if s0 != s1 and math.isfinite(x0) and math.isfinite(x1):
            out.append(abs(x1 - x0))
    return out
