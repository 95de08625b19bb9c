"""The annotated standing photo: skeleton, hip and shoulder lines, plumb line, numbers."""

from __future__ import annotations

import cv2
import numpy as np

from posture.annotate.skeleton import draw_person, line_width, put_text
from posture.core.measure import Measure
from posture.data.skeleton import Landmark as L

HIP_COLOUR = (40, 40, 230)  # red (BGR)
SHOULDER_COLOUR = (230, 160, 30)
PLUMB_COLOUR = (60, 200, 60)


def _p(v: np.ndarray) -> tuple[int, int]:
    return int(round(float(v[0]))), int(round(float(v[1])))


def _extended_line(frame: np.ndarray, a: np.ndarray, b: np.ndarray, colour: tuple[int, int, int]) -> None:
    d = b - a
    ext = 0.35 * d
    cv2.line(frame, _p(a - ext), _p(b + ext), colour, line_width(frame), cv2.LINE_AA)


def _true_vertical(roll_deg: float) -> np.ndarray:
    """Unit vector (image coords, y down) pointing up along the scene's true vertical."""
    a = np.radians(roll_deg)
    return np.array([-np.sin(a), -np.cos(a)])


def annotate_standing(
    bgr: np.ndarray, xy: np.ndarray, measures: dict[str, Measure], roll_deg: float, side_view: bool
) -> np.ndarray:
    """Draw the analysis on a copy of the photo (``xy`` in the photo's own pixels)."""
    out = bgr.copy()
    draw_person(out, xy)
    if not side_view:
        for a, b, colour in (
            (L.RIGHT_HIP, L.LEFT_HIP, HIP_COLOUR),
            (L.RIGHT_SHOULDER, L.LEFT_SHOULDER, SHOULDER_COLOUR),
        ):
            if np.isfinite(xy[[a, b]]).all():  # a line needs both of its points
                _extended_line(out, xy[a], xy[b], colour)
    ankles = xy[[L.LEFT_ANKLE, L.RIGHT_ANKLE]]
    if not np.isfinite(ankles).all(axis=1).any():
        _legend(out, measures)
        return out  # no ankle seen: no plumb line to draw
    base = np.nanmean(ankles, axis=0)
    top_y = float(np.nanmin(xy[:, 1]))
    up = _true_vertical(roll_deg)
    length = (base[1] - top_y) / max(-up[1], 0.5) * 1.05
    cv2.line(out, _p(base), _p(base + up * length), PLUMB_COLOUR, max(1, line_width(out) // 2), cv2.LINE_AA)
    _legend(out, measures)
    return out


def _legend(frame: np.ndarray, measures: dict[str, Measure]) -> None:
    labels = {
        "pelvic_obliquity_deg": "hip line",
        "hip_height_diff_mm": "hip height L-R",
        "shoulder_tilt_deg": "shoulder line",
        "lateral_pelvic_shift_pct_hip_width": "pelvic shift",
        "anterior_pelvic_tilt_deg": "pelvic tilt (est.)",
        "trunk_lean_deg": "trunk lean",
        "head_forward_deg": "head forward",
    }
    scale = max(0.5, max(frame.shape[:2]) / 1800)
    y = int(40 * scale) + 10
    for key, label in labels.items():
        m = measures.get(key)
        if m is None or m.value is None:
            continue
        unit = {"deg": "deg", "%": "% hip width"}.get(m.unit, m.unit)
        text = f"{label}: {m.value:+.1f} {unit}" + (f" +/- {m.uncertainty:.1f}" if m.uncertainty else "")
        put_text(frame, text, (10, y), scale)
        y += int(34 * scale) + 6
