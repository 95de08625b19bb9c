"""The annotated standing photo: skeleton, hip and shoulder lines, plumb line, numbers.

Sizes follow the picture's width, so that the picture reads on a phone: shown
:data:`PHONE_WIDTH_PX` wide, the legend's text is at least :data:`MIN_TEXT_PX` tall
and the measurement lines about :data:`LINE_PX_ON_PHONE` thick.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from posture.annotate.skeleton import draw_person, line_width, put_text
from posture.core.measure import Measure
from posture.data.skeleton import Landmark as L
from posture.findings.units import SideWords, side_phrase, supported_digits, uncertainty_number, unit_label

#: The width (px) a picture is shown at on a phone, and the least text height (px) it must keep there.
PHONE_WIDTH_PX = 390
MIN_TEXT_PX = 11.0
#: Thickness (px) of the measurement lines when the picture is shown PHONE_WIDTH_PX wide.
LINE_PX_ON_PHONE = 2.0
FONT = cv2.FONT_HERSHEY_SIMPLEX
#: Height of FONT's text (capitals and brackets, above the baseline) at scale 1, in px.
_FONT_HEIGHT_AT_1 = cv2.getTextSize("Hd(0)", FONT, 1.0, 2)[0][1]


def _on_phone(frame: np.ndarray) -> float:
    """Picture pixels per pixel on a phone showing it PHONE_WIDTH_PX wide."""
    return max(1.0, frame.shape[1] / PHONE_WIDTH_PX)


def text_scale(frame: np.ndarray) -> float:
    """Font scale of the legend: text at least MIN_TEXT_PX tall when shown PHONE_WIDTH_PX wide."""
    needed = MIN_TEXT_PX * _on_phone(frame)
    scale = max(0.5, needed / _FONT_HEIGHT_AT_1)
    while _height_at(scale) < needed:  # the font's heights are whole pixels: step up past rounding
        scale *= 1.02
    return scale


def _height_at(scale: float) -> int:
    return int(cv2.getTextSize("Hd(0)", FONT, scale, _text_thickness(scale))[0][1])


def text_height_px(frame: np.ndarray) -> int:
    """Height (px, in the picture) of the legend's text, capitals and brackets."""
    return _height_at(text_scale(frame))


def _text_thickness(scale: float) -> int:
    return max(1, round(scale * 2))


def measure_line_width(frame: np.ndarray) -> int:
    """Thickness of the measurement lines (hip, shoulder, trunk, head, pelvis): about
    LINE_PX_ON_PHONE when the picture is shown PHONE_WIDTH_PX wide."""
    return max(line_width(frame), round(LINE_PX_ON_PHONE * _on_phone(frame)))


HIP_COLOUR = (40, 40, 230)  # red (BGR)
SHOULDER_COLOUR = (230, 160, 30)
PLUMB_COLOUR = (60, 200, 60)


def _p(v: np.ndarray) -> tuple[int, int]:
    return int(round(float(v[0]))), int(round(float(v[1])))


def _extended_line(frame: np.ndarray, a: np.ndarray, b: np.ndarray, colour: tuple[int, int, int]) -> None:
    d = b - a
    ext = 0.35 * d
    cv2.line(frame, _p(a - ext), _p(b + ext), colour, measure_line_width(frame), cv2.LINE_AA)


TRUNK_COLOUR = (230, 230, 0)  # cyan (BGR): apart from the sides' orange and blue
HEAD_COLOUR = (200, 60, 200)
PELVIS_COLOUR = (0, 215, 255)  # yellow (BGR)

#: A typical standing pelvis tips forward about this much (ASIS below PSIS; Preece 2008); the
#: tilt estimate is relative to it.
TYPICAL_PELVIC_TILT_DEG = 13.0
#: The pelvis line: centred this far above the hip point and this long each way, in trunk lengths
#: (hip to shoulder; the ASIS-PSIS distance is roughly a third of it).
PELVIS_LINE_RISE = 0.12
PELVIS_LINE_HALF = 0.2


def _mean_point(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    pts = xy[[a, b]]
    seen = np.isfinite(pts).all(axis=1)
    return pts[seen].mean(axis=0) if seen.any() else np.full(2, np.nan)


def _side_lines(frame: np.ndarray, xy: np.ndarray) -> None:
    """Side view: the trunk line (hip to shoulder midpoints) and the head line (shoulders to ears)."""
    hips = _mean_point(xy, L.LEFT_HIP, L.RIGHT_HIP)
    shoulders = _mean_point(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    ears = _mean_point(xy, L.LEFT_EAR, L.RIGHT_EAR)
    width = measure_line_width(frame)
    for a, b, colour in ((hips, shoulders, TRUNK_COLOUR), (shoulders, ears, HEAD_COLOUR)):
        if np.isfinite(a).all() and np.isfinite(b).all():
            cv2.line(frame, _p(a), _p(b), colour, width, cv2.LINE_AA)


def facing_x(xy: np.ndarray) -> float | None:
    """+1 when a side-view subject faces image +x, -1 towards -x (nose ahead of the ears); ``None``
    when the nose or both ears are unseen."""
    ears = _mean_point(xy, L.LEFT_EAR, L.RIGHT_EAR)
    if not (np.isfinite(xy[L.NOSE]).all() and np.isfinite(ears).all()) or xy[L.NOSE, 0] == ears[0]:
        return None
    return 1.0 if xy[L.NOSE, 0] > ears[0] else -1.0


def pelvis_line(xy: np.ndarray, tilt: Measure | None) -> tuple[np.ndarray, np.ndarray] | None:
    """Ends (back, front) of the line that shows the estimated pelvic tilt in a side view.

    The pose model gives no points on the pelvis's bony landmarks (ASIS, PSIS), so the
    line is drawn through a point just above the hip point, at the estimated
    ASIS-PSIS angle: :data:`TYPICAL_PELVIC_TILT_DEG` plus the estimate, the front end
    lower for a forward tilt. ``None`` without an estimate, the hips, the shoulders or
    the way the subject faces.
    """
    forward = facing_x(xy)
    hips = _mean_point(xy, L.LEFT_HIP, L.RIGHT_HIP)
    shoulders = _mean_point(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    if tilt is None or not tilt.known or tilt.value is None or forward is None:
        return None
    if not (np.isfinite(hips).all() and np.isfinite(shoulders).all()):
        return None
    trunk = float(np.linalg.norm(shoulders - hips))
    up = (shoulders - hips) / trunk if trunk > 0 else np.array([0.0, -1.0])
    centre = hips + up * PELVIS_LINE_RISE * trunk
    angle = math.radians(TYPICAL_PELVIC_TILT_DEG + tilt.value)
    ahead = np.array([forward * math.cos(angle), math.sin(angle)])  # y down: the front end lower
    half = PELVIS_LINE_HALF * trunk
    return centre - ahead * half, centre + ahead * half


def _pelvis(frame: np.ndarray, xy: np.ndarray, tilt: Measure | None) -> None:
    """Draw the pelvis line and label it ``pelvis`` beyond its front end."""
    ends = pelvis_line(xy, tilt)
    if ends is None:
        return
    back, front = ends
    cv2.line(frame, _p(back), _p(front), PELVIS_COLOUR, measure_line_width(frame), cv2.LINE_AA)
    scale = text_scale(frame)
    (w, h), _ = cv2.getTextSize("pelvis", FONT, scale, _text_thickness(scale))
    gap = measure_line_width(frame) * 2
    x = front[0] + gap if front[0] >= back[0] else front[0] - gap - w
    x = min(max(0.0, x), frame.shape[1] - w - 1.0)
    put_text(frame, "pelvis", _p(np.array([x, front[1] + h / 2])), scale)


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
        _pelvis(out, xy, measures.get("anterior_pelvic_tilt_deg"))
    _legend(out, measures)
    return out


#: Legend lines: measure -> (what, words for + and -); the sign is said in words.
_LEGEND: dict[str, tuple[str, str, str]] = {
    "pelvic_obliquity_deg": ("hip line", "left side higher", "right side higher"),
    "hip_height_diff_mm": ("hips", "left hip higher", "right hip higher"),
    "shoulder_tilt_deg": ("shoulder line", "left side higher", "right side higher"),
    "lateral_pelvic_shift_pct_hip_width": ("pelvis (% of hip width)", "shifted left", "shifted right"),
    "anterior_pelvic_tilt_deg": ("pelvis (est.)", "tipped forward", "tipped back"),
    "trunk_lean_deg": ("trunk", "leans forward", "leans back"),
    "head_forward_deg": ("head", "forward of the shoulders", "behind the shoulders"),
}


def legend_line(m: Measure) -> str | None:
    """``hip line: left side higher by 2.8 deg (+/- 1.9)``; ``about level`` when the value is within
    its uncertainty (a difference smaller than that is not told apart from noise); ``None`` when not
    measured. The value is rounded to what its uncertainty supports
    (:func:`posture.findings.units.side_phrase`); an uncertainty too small to show reads ``<0.1``.
    ASCII only: OpenCV's fonts have no plus-minus sign."""
    if m.name not in _LEGEND or not m.known or m.value is None:
        return None
    what, plus, minus = _LEGEND[m.name]
    digits = supported_digits(m.uncertainty, m.unit)
    shown_as_zero = round(abs(m.value), digits) == 0
    if shown_as_zero or (m.uncertainty is not None and abs(m.value) <= abs(m.uncertainty)):
        unc = "?" if m.uncertainty is None else uncertainty_number(m.uncertainty, m.unit, digits)
        return f"{what}: about level, {m.value + 0.0:+.{digits}f}{unit_label(m.unit, True)} (+/- {unc})"
    return f"{what}: {side_phrase(m, ascii_only=True, words=SideWords(plus, minus, 'about level'))}"


def _words(text: str) -> list[str]:
    """The words of ``text``, with ``(+/-`` kept with the number after it."""
    words: list[str] = []
    for word in text.split(" "):
        if words and words[-1].endswith("+/-"):
            words[-1] += f" {word}"
        else:
            words.append(word)
    return words


def wrap_text(text: str, scale: float, max_width: int) -> list[str]:
    """``text`` in lines no wider than ``max_width`` px at ``scale`` (a single long word stays whole;
    an uncertainty ``(+/- 2.5)`` is not split)."""
    lines: list[str] = []
    for word in _words(text):
        trial = f"{lines[-1]} {word}" if lines else word
        fits = cv2.getTextSize(trial, FONT, scale, _text_thickness(scale))[0][0] <= max_width
        if lines and fits:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def _legend(frame: np.ndarray, measures: dict[str, Measure]) -> None:
    """The measures in words, top left, wrapped to the picture's width, readable on a phone."""
    scale = text_scale(frame)
    height = text_height_px(frame)
    margin = max(10, height // 2)
    y = margin + height
    for key in _LEGEND:
        text = legend_line(measures[key]) if key in measures else None
        if text is None:
            continue
        for i, line in enumerate(wrap_text(text, scale, frame.shape[1] - 2 * margin)):
            put_text(frame, line if i == 0 else f"  {line}", (margin, y), scale)
            y += int(height * 1.5)
        y += height // 3
