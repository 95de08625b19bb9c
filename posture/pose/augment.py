"""Test-time augmentation for still images.

A single raw frame is not accurate enough for a hip check: on a perfectly
symmetric synthetic body the raw hip line is about 1° off level. Running the
model on the mirror image (and swapping the sides back), and on tighter and
looser crops around the person, then averaging, cancels much of the model's own
left/right bias; the spread across variants is an honest uncertainty.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from posture.data.skeleton import MIRROR
from posture.pose.landmarker import Detections


class Detector(Protocol):
    """Anything that finds people in an RGB picture (a :class:`PoseEstimator`, a :class:`MemoDetector`)."""

    def detect(self, rgb: np.ndarray, time_s: float = 0.0) -> Detections:
        """The people found in ``rgb``."""
        ...


class MemoDetector:
    """A detector that runs the model once per distinct picture (keyed by its pixels).

    The standing check measures a picture and its mirror image; the mirror half
    asks for many of the same pictures again (the mirror of the mirror is the
    picture), which this answers from memory, identically.
    """

    def __init__(self, estimator: Detector) -> None:
        self._estimator = estimator
        self._seen: dict[tuple[tuple[int, ...], str], Detections] = {}

    def detect(self, rgb: np.ndarray, time_s: float = 0.0) -> Detections:
        """The people found in ``rgb`` (from memory when this exact picture was seen)."""
        pixels = np.ascontiguousarray(rgb)
        key = (pixels.shape, hashlib.sha1(pixels.tobytes()).hexdigest())
        if key not in self._seen:
            self._seen[key] = self._estimator.detect(pixels, time_s)
        return self._seen[key]


@dataclass(frozen=True)
class Variant:
    """The subject's landmarks found in one augmented copy, mapped back to the original image."""

    name: str
    xy: np.ndarray  # (33, 2) px in the original image
    z: np.ndarray  # (33,)
    visibility: np.ndarray  # (33,)
    mask: np.ndarray | None = None  # (H, W) float segmentation of the subject, original variant only
    people: int = 1  # how many people the model found in this variant's picture


def _nearest(det: Detections, anchor: np.ndarray | None) -> int | None:
    if det.count == 0:
        return None
    if anchor is None:
        heights = np.ptp(det.xy_px[:, :, 1], axis=1)
        return int(np.argmax(heights))
    centres = np.nanmean(det.xy_px, axis=1)
    return int(np.argmin(np.linalg.norm(centres - anchor, axis=1)))


def _crop_box(xy: np.ndarray, shape: tuple[int, ...], margin: float) -> tuple[int, int, int, int]:
    """The box around ``xy`` grown by ``margin`` of its larger side, on whole pixels.

    Rounded outwards (floor, ceil), so that the box of a mirrored point set is
    exactly the mirrored box: the mirror image's crops are then the mirrors of the
    picture's crops, and :class:`MemoDetector` answers them from memory.
    """
    lo, hi = np.nanmin(xy, axis=0), np.nanmax(xy, axis=0)
    pad = margin * (hi - lo).max()
    x0, y0 = (max(int(np.floor(v)), 0) for v in lo - pad)
    x1 = min(int(np.ceil(hi[0] + pad)), shape[1])
    y1 = min(int(np.ceil(hi[1] + pad)), shape[0])
    return x0, y0, x1, y1


def _detect_pair(
    rgb: np.ndarray, estimator: Detector, anchor: np.ndarray, offset: tuple[int, int], name: str
) -> list[Variant]:
    """The subject in ``rgb`` and in its mirror image, mapped back by ``offset``."""
    out = []
    width = rgb.shape[1]
    local = anchor - offset
    det = estimator.detect(rgb)
    k = _nearest(det, local)
    if k is not None:
        out.append(Variant(name, det.xy_px[k] + offset, det.z[k], det.visibility[k]))
    flipped = estimator.detect(np.ascontiguousarray(rgb[:, ::-1]))
    j = _nearest(flipped, np.array([width - local[0], local[1]]))
    if j is not None:
        xy = flipped.xy_px[j][list(MIRROR)].copy()
        xy[:, 0] = width - xy[:, 0]
        perm = list(MIRROR)
        out.append(Variant(name + "-mirror", xy + offset, flipped.z[j][perm], flipped.visibility[j][perm]))
    return out


def detect_augmented(
    rgb: np.ndarray, estimator: Detector, margins: tuple[float, ...] = (0.15, 0.4)
) -> list[Variant]:
    """Find the subject in the image and in crops around it, each also mirrored.

    The subject is the tallest person in the original image; in every other
    variant the person nearest to it is used. Every variant comes with its
    mirror twin so that the model's left/right bias cancels in the mean.
    Returns an empty list when nobody is found in the original image.
    """
    det = estimator.detect(rgb)
    k = _nearest(det, None)
    if k is None:
        return []
    mask = det.masks[k] if det.masks else None
    variants = [Variant("original", det.xy_px[k], det.z[k], det.visibility[k], mask, det.count)]
    anchor = np.nanmean(det.xy_px[k], axis=0)
    mirror = [
        v for v in _detect_pair(rgb, estimator, anchor, (0, 0), "original")[1:] if v.name.endswith("-mirror")
    ]
    variants += mirror
    # The crops hold the subject as found in the picture and in its mirror image (mapped back):
    # the same point set, mirrored, for the mirror image.
    around = np.concatenate([det.xy_px[k], *(v.xy for v in mirror)])
    for margin in margins:
        x0, y0, x1, y1 = _crop_box(around, rgb.shape, margin)
        crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
        variants += _detect_pair(crop, estimator, anchor, (x0, y0), f"crop{int(margin * 100)}")
    return variants
