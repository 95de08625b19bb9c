"""The gait overlay: the subject highlighted, each heel strike and toe off marked as it happens."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from posture.annotate.skeleton import SIDE_COLOURS, draw_people, draw_timestamp, line_width, put_text
from posture.data.skeleton import HEEL, SIDES, TOE, Side

#: How long an event marker stays on screen, in seconds.
MARK_S = 0.35
_POINT = {(str(s), kind): feet[s] for s in SIDES for kind, feet in (("heel_strike", HEEL), ("toe_off", TOE))}
_LABEL = {"heel_strike": "heel strike", "toe_off": "toe off"}


@dataclass(frozen=True)
class Mark:
    """One gait event to show: which foot, what, when."""

    side: str
    kind: str
    time_s: float


def marks_from_events(events: list[dict]) -> list[Mark]:
    """Marks from result.json-style events (``side``, ``kind``, ``time_s``)."""
    return [Mark(str(e["side"]), str(e["kind"]), float(e["time_s"])) for e in events]


def draw_gait_frame(
    bgr: np.ndarray,
    xy_people: np.ndarray,
    track_ids: list[int],
    subject: int,
    subject_xy: np.ndarray | None,
    time_s: float,
    frame_index: int,
    marks: list[Mark],
) -> np.ndarray:
    """Draw one overlay frame in place: skeletons, recent events at the feet, the step counter."""
    draw_people(bgr, xy_people, track_ids, subject)
    draw_timestamp(bgr, time_s, frame_index)
    steps = sum(1 for m in marks if m.kind == "heel_strike" and m.time_s <= time_s)
    scale = max(0.5, max(bgr.shape[:2]) / 1600)
    put_text(bgr, f"steps: {steps}", (10, int(75 * scale) + 10), scale)
    if subject_xy is None:
        return bgr
    shown = 0  # labels already drawn: a later one goes above them (both feet's events can be on screen)
    for mark in marks:
        age = time_s - mark.time_s
        if not 0 <= age <= MARK_S:
            continue
        point = subject_xy[_POINT[(mark.side, mark.kind)]]
        if np.isnan(point).any():
            continue
        colour = SIDE_COLOURS[Side(mark.side)]
        centre = (int(point[0]), int(point[1]))
        radius = int(4 * line_width(bgr) * (1.5 - age / MARK_S))
        cv2.circle(bgr, centre, radius, colour, line_width(bgr), cv2.LINE_AA)
        label = f"{mark.side[0].upper()} {_LABEL[mark.kind]}"
        put_text(bgr, label, (centre[0] + radius, centre[1] - radius - shown * int(32 * scale)), scale)
        shown += 1
    return bgr
