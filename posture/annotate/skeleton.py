"""Drawing skeletons on frames. Annotators take a frame and data and return the frame."""

from __future__ import annotations

import cv2
import numpy as np

from posture.data.skeleton import EDGES, Landmark, Side

#: BGR colours: the subject's left side orange, right side blue, midline white.
SIDE_COLOURS: dict[Side | None, tuple[int, int, int]] = {
    Side.LEFT: (0, 140, 255),
    Side.RIGHT: (255, 120, 0),
    None: (235, 235, 235),
}
OTHER_PERSON = (150, 150, 150)


def _edge_side(a: Landmark, b: Landmark) -> Side | None:
    return a.side if a.side == b.side else None


def _point(xy: np.ndarray) -> tuple[int, int]:
    return int(round(float(xy[0]))), int(round(float(xy[1])))


def line_width(frame: np.ndarray) -> int:
    """A line thickness that reads well at the frame's size."""
    return max(2, round(max(frame.shape[:2]) / 400))


def draw_person(
    frame: np.ndarray, xy: np.ndarray, label: str | None = None, highlight: bool = True
) -> np.ndarray:
    """Draw one person's (33, 2) pixel landmarks on a BGR ``frame`` in place and return it.

    Left-side bones are orange, right-side blue, midline white; a person who is
    not highlighted is drawn thin and grey.
    """
    width = line_width(frame)
    thick = width if highlight else max(1, width // 2)
    for a, b in EDGES:
        if np.isnan(xy[a]).any() or np.isnan(xy[b]).any():
            continue
        colour = SIDE_COLOURS[_edge_side(a, b)] if highlight else OTHER_PERSON
        cv2.line(frame, _point(xy[a]), _point(xy[b]), colour, thick, cv2.LINE_AA)
    for lm in Landmark:
        if lm < Landmark.LEFT_SHOULDER and lm != Landmark.NOSE or np.isnan(xy[lm]).any():
            continue
        colour = SIDE_COLOURS[lm.side] if highlight else OTHER_PERSON
        cv2.circle(frame, _point(xy[lm]), thick + 1, colour, -1, cv2.LINE_AA)
    if label is not None and not np.isnan(xy).all():
        top = np.nanmin(xy[:, 1])
        x = float(np.nanmean(xy[:, 0]))
        put_text(frame, label, (int(x), max(int(top) - 3 * width, 12 * width)))
    return frame


def put_text(frame: np.ndarray, text: str, org: tuple[int, int], scale: float | None = None) -> np.ndarray:
    """Write legible text (dark outline, white fill) at ``org`` (bottom-left)."""
    scale = scale if scale is not None else max(0.5, max(frame.shape[:2]) / 1600)
    thick = max(1, round(scale * 2))
    cv2.putText(frame, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick + 2, cv2.LINE_AA)
    cv2.putText(frame, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), thick, cv2.LINE_AA)
    return frame


def draw_timestamp(frame: np.ndarray, time_s: float, frame_index: int) -> np.ndarray:
    """Write the frame's time and index in the top-left corner."""
    scale = max(0.5, max(frame.shape[:2]) / 1600)
    return put_text(frame, f"t={time_s:7.3f} s  frame {frame_index}", (10, int(30 * scale) + 10), scale)


def draw_people(
    frame: np.ndarray, xy_people: np.ndarray, track_ids: list[int], subject_id: int | None = None
) -> np.ndarray:
    """Draw every person of a frame; the subject (or everyone if ``None``) in side colours."""
    for xy, track_id in zip(xy_people, track_ids, strict=True):
        highlight = subject_id is None or track_id == subject_id
        draw_person(frame, xy, label=f"#{track_id}", highlight=highlight)
    return frame
