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


TRUNK_COLOUR = (230, 230, 0)  # cyan (BGR): apart from the sides' orange and blue
HEAD_COLOUR = (200, 60, 200)


def _side_lines(frame: np.ndarray, xy: np.ndarray) -> None:
    """Side view: the trunk line (hip to shoulder midpoints) and the head line (shoulders to ears)."""
    hips, shoulders = (
        np.nanmean(xy[[L.LEFT_HIP, L.RIGHT_HIP]], 0),
        np.nanmean(xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER]], 0),
    )
    ears = np.nanmean(xy[[L.LEFT_EAR, L.RIGHT_EAR]], 0)
    width = line_width(frame)
    for a, b, colour in ((hips, shoulders, TRUNK_COLOUR), (shoulders, ears, HEAD_COLOUR)):
        if np.isfinite(a).all() and np.isfinite(b).all():
            cv2.line(frame, _p(a), _p(b), colour, width, cv2.LINE_AA)


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
    if np.isfinite(ankles).all(axis=1).any():  # no ankle seen: no plumb line to draw
        base = np.nanmean(ankles, axis=0)
        top_y = float(np.nanmin(xy[:, 1]))
        up = _true_vertical(roll_deg)
        length = (base[1] - top_y) / max(-up[1], 0.5) * 1.05
        width = max(1, line_width(out) // 2)
        cv2.line(out, _p(base), _p(base + up * length), PLUMB_COLOUR, width, cv2.LINE_AA)
    if side_view:
        _side_lines(out, xy)  # over the plumb line: the lean is read against it
    _legend(out, measures)
    return out


#: Legend lines: measure -> (what, words for + and -, unit as written); the sign is said in words.
_LEGEND: dict[str, tuple[str, str, str, str]] = {
    "pelvic_obliquity_deg": ("hip line", "left side higher", "right side higher", "deg"),
    "hip_height_diff_mm": ("hips", "left hip higher", "right hip higher", "mm"),
    "shoulder_tilt_deg": ("shoulder line", "left side higher", "right side higher", "deg"),
    "lateral_pelvic_shift_pct_hip_width": ("pelvis", "shifted left", "shifted right", "% of hip width"),
    "anterior_pelvic_tilt_deg": ("pelvis (est.)", "tipped forward", "tipped back", "deg"),
    "trunk_lean_deg": ("trunk", "leans forward", "leans back", "deg"),
    "head_forward_deg": ("head", "forward of the shoulders", "behind the shoulders", "deg"),
}


def legend_line(m: Measure) -> str | None:
    """``hip line: left side higher by 2.8 deg (+/- 1.9)``; ``about level`` when the value is within
    its uncertainty (a difference smaller than that is not told apart from noise); ``None`` when not
    measured. ASCII only: OpenCV's fonts have no plus-minus sign."""
    if m.name not in _LEGEND or m.value is None:
        return None
    what, plus, minus, unit = _LEGEND[m.name]
    digits = 0 if unit == "mm" else 1
    unc = f" (+/- {m.uncertainty:.{digits}f})" if m.uncertainty else ""
    if m.uncertainty and abs(m.value) <= m.uncertainty:
        return f"{what}: about level, {m.value:+.{digits}f} {unit}{unc}"
    return f"{what}: {plus if m.value > 0 else minus} by {abs(m.value):.{digits}f} {unit}{unc}"


def _legend(frame: np.ndarray, measures: dict[str, Measure]) -> None:
    scale = max(0.5, max(frame.shape[:2]) / 1800)
    y = int(40 * scale) + 10
    for key in _LEGEND:
        text = legend_line(measures[key]) if key in measures else None
        if text is None:
            continue
        put_text(frame, text, (10, y), scale)
        y += int(34 * scale) + 6
