"""Plane geometry on image points (x right, y down, pixels).

Angles follow the usual mathematical sense on a y-up picture: counter-clockwise
positive, 0 along +x. Camera roll ``roll_deg`` is the angle of the scene's true
horizontal in the image in that sense; :func:`unroll` rotates points by
``-roll_deg`` so that true horizontals become image horizontals.
"""

from __future__ import annotations

import numpy as np


def angle_deg(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Angle of the vector ``start -> end`` in degrees, counter-clockwise on a y-up picture."""
    d = np.asarray(end, float) - np.asarray(start, float)
    return np.degrees(np.arctan2(-d[..., 1] + 0.0, d[..., 0]))


def unroll(points: np.ndarray, roll_deg: float, centre: tuple[float, float]) -> np.ndarray:
    """Rotate (..., 2) points about ``centre`` by ``-roll_deg`` (undoing a camera roll)."""
    if roll_deg == 0:
        return np.asarray(points, float)
    a = np.radians(roll_deg)
    # On a y-down image a counter-clockwise (y-up sense) rotation by -a is:
    c, s = np.cos(a), np.sin(a)
    p = np.asarray(points, float) - centre
    x = c * p[..., 0] - s * p[..., 1]
    y = s * p[..., 0] + c * p[..., 1]
    return np.stack([x, y], axis=-1) + centre


def tilt_from_level_deg(higher_if_positive: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Angle of the line between two points against the horizontal, in degrees.

    Positive when ``higher_if_positive`` is higher in the picture than ``other``,
    whatever their left-right order in the image.
    """
    a = np.asarray(higher_if_positive, float)
    b = np.asarray(other, float)
    rise = b[..., 1] - a[..., 1]
    run = np.abs(a[..., 0] - b[..., 0])
    return np.degrees(np.arctan2(rise, run))


def lean_from_vertical_deg(lower: np.ndarray, upper: np.ndarray, forward_sign: float) -> np.ndarray:
    """Angle of ``lower -> upper`` from the vertical, positive towards ``forward_sign`` (+1 = image right)."""
    d = np.asarray(upper, float) - np.asarray(lower, float)
    return np.degrees(np.arctan2(forward_sign * d[..., 0], -d[..., 1]))


def interior_angle_deg(a: np.ndarray, vertex: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The angle a-vertex-b in degrees (0..180)."""
    u = np.asarray(a, float) - vertex
    v = np.asarray(b, float) - vertex
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
