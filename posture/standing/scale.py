"""Millimetres per pixel at the subject: from their stated height or an ArUco marker.

Height method: the standing height in pixels runs from the top of the head (the
highest pixel of the person's segmentation mask above the head landmarks) to
the floor under the feet (the lowest heel or toe landmark). Scale = stated
height / pixel height. Without a mask the top of the head is extrapolated from
the face (eyes to top of head ≈ eyes to chin, see :data:`HEAD_TOP_FACTOR`).

Marker method: a square marker of known side, held or taped at the subject's
distance from the camera; scale = side in mm / mean side in px.
"""

from __future__ import annotations

import numpy as np

from posture.data.skeleton import Landmark as L
from posture.standing.combine import Scale
from posture.standing.scene import Marker

#: Top of head above the eyes, in units of the eye-to-shoulder-line distance (used without a mask).
HEAD_TOP_FACTOR = 0.55
_FEET = [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX]


def head_top_y(xy: np.ndarray, mask: np.ndarray | None) -> tuple[float, str]:
    """Image y of the top of the head, and which method gave it."""
    eyes_y = float(np.nanmean(xy[[L.LEFT_EYE, L.RIGHT_EYE], 1]))
    shoulders_y = float(np.nanmean(xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER], 1]))
    guess = eyes_y - HEAD_TOP_FACTOR * (shoulders_y - eyes_y)
    if mask is None:
        return guess, "head landmarks"
    head_x = xy[[L.NOSE, L.LEFT_EAR, L.RIGHT_EAR, L.LEFT_EYE, L.RIGHT_EYE], 0]
    half = max(float(np.ptp(head_x)), 0.25 * (shoulders_y - eyes_y)) * 0.75
    x0 = int(max(np.nanmean(head_x) - half, 0))
    x1 = int(min(np.nanmean(head_x) + half + 1, mask.shape[1]))
    rows = np.flatnonzero((mask[:, x0:x1] > 0.5).any(axis=1))
    above = rows[rows < eyes_y]
    if above.size == 0:
        return guess, "head landmarks"
    return float(above.min()), "segmentation mask"


def scale_from_height(xy: np.ndarray, mask: np.ndarray | None, height_mm: float) -> Scale:
    """Scale from the subject's stated standing height."""
    top, how = head_top_y(xy, mask)
    floor = float(np.nanmax(xy[_FEET, 1]))
    pixels = floor - top
    if not np.isfinite(pixels) or pixels <= 0:
        raise ValueError("cannot find the head and feet to measure the subject's height in pixels")
    rel = 0.04 if how == "segmentation mask" else 0.06  # measured: -4..+2% on the synthetic samples
    return Scale(height_mm / pixels, f"stated height ({how}, {pixels:.0f} px tall)", rel)


def scale_from_marker(marker: Marker, side_mm: float) -> Scale:
    """Scale from an ArUco marker of known side length."""
    method = f"ArUco marker {marker.marker_id} ({marker.side_px:.0f} px side)"
    return Scale(side_mm / marker.side_px, method, 0.02)
