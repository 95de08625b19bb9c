"""The live overlay, drawn on a BGR frame in place (no window needed, so it is tested headless).

Angles are written in degrees, positive when the subject's left side is
higher; the level guide is a line along the scene's true horizontal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from posture.annotate.skeleton import draw_person, line_width, put_text
from posture.data.skeleton import Landmark as L
from posture.live.state import STEADY_ENOUGH, Hint, Reading
from posture.standing.scene import RollEstimate

HIP_COLOUR = (0, 215, 255)  # BGR amber
SHOULDER_COLOUR = (255, 0, 255)  # magenta
LEVEL_COLOUR = (255, 255, 0)  # cyan
REC_COLOUR = (0, 0, 255)  # red
STEADY_COLOURS = ((0, 170, 255), (0, 200, 0))  # amber below STEADY_ENOUGH, green above


@dataclass(frozen=True)
class Status:
    """What the session is doing: recording (for how long), taking a burst, or a message."""

    recording_s: float | None = None
    burst: tuple[int, int] | None = None  # frames taken, frames wanted
    message: str | None = None


def _text_scale(frame: np.ndarray) -> float:
    return max(0.5, max(frame.shape[:2]) / 1600)


def _row(frame: np.ndarray, k: int) -> int:
    """Baseline y of text row ``k`` from the top."""
    return int((k + 1) * 40 * _text_scale(frame)) + 10


def draw_body_line(
    frame: np.ndarray, a: np.ndarray, b: np.ndarray, label: str, colour: tuple[int, int, int]
) -> None:
    """Draw the line through pixels ``a`` and ``b``, a third longer each way, labelled beside an end."""
    ends = [a + (a - b) / 3.0, b + (b - a) / 3.0]
    p0, p1 = sorted((tuple(int(round(v)) for v in e) for e in ends), key=lambda p: p[0])
    cv2.line(frame, p0, p1, colour, line_width(frame), cv2.LINE_AA)
    scale = _text_scale(frame)
    width = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, max(1, round(scale * 2)))[0][0]
    x = p1[0] + 8 if p1[0] + 8 + width < frame.shape[1] else max(p0[0] - 8 - width, 0)
    put_text(frame, label, (x, (p1 if x > p0[0] else p0)[1] + 5), scale)


def draw_lines(frame: np.ndarray, xy: np.ndarray, reading: Reading) -> None:
    """The hip and shoulder lines with their smoothed angles (front and back views only)."""
    for a, b, name, value, colour in (
        (L.LEFT_HIP, L.RIGHT_HIP, "hips", reading.hip_smooth_deg, HIP_COLOUR),
        (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, "shoulders", reading.shoulder_smooth_deg, SHOULDER_COLOUR),
    ):
        if math.isfinite(value):
            draw_body_line(frame, xy[a], xy[b], f"{name} {value:+.1f} deg", colour)


def draw_level_guide(frame: np.ndarray, roll: RollEstimate | None, through: np.ndarray | None = None) -> None:
    """A line along the true horizontal (through the pixel ``through``, else the centre), or a note.

    Drawn through the hip midpoint, it shows at a glance how the hip line departs from level.
    """
    h, w = frame.shape[:2]
    row = (10, h - int(70 * _text_scale(frame)))
    if roll is None or not roll.known:
        put_text(frame, "level guide: unknown (no straight scene lines seen)", row, _text_scale(frame))
        return
    a = math.radians(roll.roll_deg)
    d = np.array([math.cos(a), -math.sin(a)]) * w  # counter-clockwise on a y-up picture
    centre = np.array([w / 2, h / 2]) if through is None else np.asarray(through, float)
    p0, p1 = (tuple(int(round(v)) for v in centre + s * d) for s in (-1, 1))
    cv2.line(frame, p0, p1, LEVEL_COLOUR, line_width(frame), cv2.LINE_AA)
    text = f"level guide: camera roll {roll.roll_deg:+.1f} deg (from {roll.method})"
    put_text(frame, text, row, _text_scale(frame))


def draw_steadiness(frame: np.ndarray, value: float) -> None:
    """A bar in the bottom-left corner, full when the subject is still."""
    h = frame.shape[0]
    scale = _text_scale(frame)
    x0, y1 = 10, h - int(20 * scale)
    width, height = int(300 * scale), int(22 * scale)
    cv2.rectangle(frame, (x0, y1 - height), (x0 + width, y1), (60, 60, 60), -1)
    if math.isfinite(value):
        colour = STEADY_COLOURS[value >= STEADY_ENOUGH]
        cv2.rectangle(frame, (x0, y1 - height), (x0 + int(width * value), y1), colour, -1)
    label = f"steady {value:.2f}" if math.isfinite(value) else "steady: -"
    put_text(frame, label, (x0 + width + 10, y1), scale)


def draw_status(frame: np.ndarray, status: Status) -> None:
    """REC with its time and the burst count (top row), and a message in the middle."""
    h, w = frame.shape[:2]
    scale = _text_scale(frame)
    x, y = 10, _row(frame, 0)
    if status.recording_s is not None:
        radius = int(12 * scale)
        cv2.circle(frame, (x + radius, y - radius), radius, REC_COLOUR, -1)
        put_text(frame, f"REC {status.recording_s:5.1f} s", (x + 3 * radius, y), scale)
        x += int(260 * scale)
    if status.burst is not None:
        put_text(frame, f"BURST {status.burst[0]}/{status.burst[1]}", (x, y), scale)
    if status.message:
        put_text(frame, status.message, (int(w * 0.05), h // 2), scale * 1.5)


def wrap(text: str, width_px: int, scale: float) -> list[str]:
    """Break ``text`` into lines at most ``width_px`` wide in the overlay's font (long words stay whole)."""
    lines: list[str] = []
    for word in text.split():
        line = f"{lines[-1]} {word}" if lines else word
        fits = (
            cv2.getTextSize(line, cv2.FONT_HERSHEY_SIMPLEX, scale, max(1, round(scale * 2)))[0][0] <= width_px
        )
        if lines and fits:
            lines[-1] = line
        else:
            lines.append(word)
    return lines


def draw_hints(frame: np.ndarray, hints: tuple[Hint, ...], max_lines: int = 4) -> None:
    """The hints, most important first, under the status row, action first: "step back (feet cut off)"."""
    scale = _text_scale(frame)
    lines = [line for h in hints for line in wrap(f"{h.action} ({h.reason})", frame.shape[1] - 20, scale)]
    for k, line in enumerate(lines[:max_lines]):
        put_text(frame, line, (10, _row(frame, k + 1)), scale)


def draw_live(
    frame: np.ndarray,
    people_xy: np.ndarray,
    subject: int | None,
    reading: Reading,
    roll: RollEstimate | None,
    status: Status,
) -> np.ndarray:
    """Draw everything of one live frame on the BGR ``frame`` in place and return it.

    ``people_xy`` is (N, 33, 2) pixels; ``subject`` the index of the subject among them.
    """
    hips = None if subject is None else people_xy[subject][[L.LEFT_HIP, L.RIGHT_HIP]].mean(axis=0)
    draw_level_guide(frame, roll, hips if hips is not None and np.isfinite(hips).all() else None)
    for k, xy in enumerate(people_xy):
        draw_person(frame, xy, highlight=k == subject)
    if subject is not None:
        draw_lines(frame, people_xy[subject], reading)
    draw_hints(frame, reading.hints)
    draw_steadiness(frame, reading.steadiness)
    draw_status(frame, status)
    return frame
