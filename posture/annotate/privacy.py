"""Blurring faces in saved images (``--blur-faces``)."""

from __future__ import annotations

import cv2
import numpy as np

from posture.data.skeleton import Landmark as L

_FACE = [L.NOSE, L.LEFT_EYE, L.RIGHT_EYE, L.LEFT_EAR, L.RIGHT_EAR, L.MOUTH_LEFT, L.MOUTH_RIGHT]


def face_box(xy: np.ndarray) -> tuple[int, int, int] | None:
    """Centre x, centre y and radius (px) of a circle covering the head, from (33, 2) landmarks."""
    face = xy[_FACE]
    face = face[~np.isnan(face).any(axis=1)]
    if len(face) == 0:
        return None
    centre = face.mean(axis=0)
    shoulders = xy[[L.LEFT_SHOULDER, L.RIGHT_SHOULDER]]
    neck = np.nanmean(shoulders, axis=0)
    reach = np.linalg.norm(neck - centre) if np.isfinite(neck).all() else np.ptp(face, axis=0).max() * 2
    radius = max(0.75 * float(reach), float(np.ptp(face, axis=0).max()), 12.0)
    return int(centre[0]), int(centre[1]), int(radius)


def blur_faces(bgr: np.ndarray, people_xy: list[np.ndarray]) -> np.ndarray:
    """Return a copy of ``bgr`` with a strong blur over every person's head."""
    out = bgr.copy()
    for xy in people_xy:
        box = face_box(xy)
        if box is None:
            continue
        x, y, r = box
        x0, y0, x1, y1 = max(x - r, 0), max(y - r, 0), min(x + r, out.shape[1]), min(y + r, out.shape[0])
        if x1 <= x0 or y1 <= y0:
            continue
        patch = out[y0:y1, x0:x1]
        w, h = x1 - x0, y1 - y0
        small = cv2.resize(patch, (max(1, w // 12), max(1, h // 12)), interpolation=cv2.INTER_AREA)
        blurred = cv2.GaussianBlur(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR), (0, 0), r / 6)
        mask = np.zeros(patch.shape[:2], np.uint8)
        cv2.circle(mask, (x - x0, y - y0), r, (255,), -1)
        out[y0:y1, x0:x1] = np.where(mask[..., None] > 0, blurred, patch)
    return out
