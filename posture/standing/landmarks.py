"""Standing-photo measures from one person's landmarks (pure functions).

Inputs are (33, 2) pixel landmarks of the subject (x right, y down), already
corrected for camera roll (see :func:`posture.core.geometry.unroll`) and with
sides labelled as the subject's own left and right.

Sign conventions
----------------
- ``pelvic_obliquity_deg`` and ``hip_height_diff_*``: positive when the subject's
  LEFT hip is higher. ``shoulder_tilt_deg``: positive when the LEFT shoulder is higher.
- ``lateral_pelvic_shift_*``: hip midpoint minus ankle midpoint, positive towards
  the subject's LEFT.
- ``knee_alignment_deg_{left,right}``: 180° minus the hip-knee-ankle angle in the
  image plane, positive when the knee sits towards the midline (valgus, knock-knee),
  negative when it sits outwards (varus, bow-leg).
- ``leg_length_ratio``: left / right hip-knee-ankle length in the image.
- Side view: ``trunk_lean_deg`` (hip midpoint -> shoulder midpoint) and
  ``head_forward_deg`` (shoulder -> ear) against the vertical, positive forward.
"""

from __future__ import annotations

import numpy as np

from posture.core.geometry import interior_angle_deg, lean_from_vertical_deg, tilt_from_level_deg
from posture.core.view import View
from posture.data.skeleton import Landmark as L


def _mid(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    return (xy[a] + xy[b]) / 2.0


def subject_left_sign(view: View) -> float:
    """+1 when the subject's left is towards image +x (front view), -1 in a back view."""
    return 1.0 if view is View.FRONT else -1.0


def facing_sign(view: View) -> float:
    """+1 when a side-view subject faces image +x (their right side to the camera)."""
    return 1.0 if view is View.RIGHT else -1.0


def hip_width_px(xy: np.ndarray) -> float:
    """Distance between the two hip landmarks, in pixels."""
    return float(np.linalg.norm(xy[L.LEFT_HIP] - xy[L.RIGHT_HIP]))


def pelvic_obliquity_deg(xy: np.ndarray) -> float:
    """Hip line against the horizontal; positive when the subject's left hip is higher."""
    return float(tilt_from_level_deg(xy[L.LEFT_HIP], xy[L.RIGHT_HIP]))


def hip_height_diff_px(xy: np.ndarray) -> float:
    """Vertical distance right hip minus left hip in pixels (positive = left higher)."""
    return float(xy[L.RIGHT_HIP, 1] - xy[L.LEFT_HIP, 1])


def shoulder_tilt_deg(xy: np.ndarray) -> float:
    """Shoulder line against the horizontal; positive when the left shoulder is higher."""
    return float(tilt_from_level_deg(xy[L.LEFT_SHOULDER], xy[L.RIGHT_SHOULDER]))


def lateral_pelvic_shift_px(xy: np.ndarray, view: View) -> float:
    """Hip midpoint minus ankle midpoint along x, positive towards the subject's left."""
    hips = _mid(xy, L.LEFT_HIP, L.RIGHT_HIP)
    ankles = _mid(xy, L.LEFT_ANKLE, L.RIGHT_ANKLE)
    return float((hips[0] - ankles[0]) * subject_left_sign(view))


def leg_length_px(xy: np.ndarray, side: str) -> float:
    """Hip-knee plus knee-ankle length of one leg in pixels."""
    hip, knee, ankle = (L[f"{side.upper()}_{j}"] for j in ("HIP", "KNEE", "ANKLE"))
    return float(np.linalg.norm(xy[knee] - xy[hip]) + np.linalg.norm(xy[ankle] - xy[knee]))


def leg_length_ratio(xy: np.ndarray) -> float:
    """Left over right leg length (1.0 = equal)."""
    return leg_length_px(xy, "left") / leg_length_px(xy, "right")


def knee_alignment_deg(xy: np.ndarray, side: str, view: View) -> float:
    """Frontal knee angle: positive = knee towards the midline (valgus)."""
    hip, knee, ankle = (xy[L[f"{side.upper()}_{j}"]] for j in ("HIP", "KNEE", "ANKLE"))
    bend = 180.0 - float(interior_angle_deg(hip, knee, ankle))
    # Where does the knee sit relative to the hip-ankle line, towards the subject's left?
    t = np.clip(np.dot(knee - hip, ankle - hip) / np.dot(ankle - hip, ankle - hip), 0.0, 1.0)
    offset = (knee - (hip + t * (ankle - hip)))[0] * subject_left_sign(view)
    towards_midline = offset < 0 if side == "left" else offset > 0
    return bend if towards_midline else -bend


def trunk_lean_deg(xy: np.ndarray, view: View) -> float:
    """Hip-to-shoulder midpoint line from vertical, positive leaning forward (side view)."""
    hips = _mid(xy, L.LEFT_HIP, L.RIGHT_HIP)
    shoulders = _mid(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    return float(lean_from_vertical_deg(hips, shoulders, facing_sign(view)))


def head_forward_deg(xy: np.ndarray, view: View) -> float:
    """Shoulder-to-ear line from vertical, positive with the head forward (side view).

    Uses the ear and shoulder of the side facing the camera.
    """
    near = "RIGHT" if view is View.RIGHT else "LEFT"
    ear, shoulder = xy[L[f"{near}_EAR"]], xy[L[f"{near}_SHOULDER"]]
    return float(lean_from_vertical_deg(shoulder, ear, facing_sign(view)))
