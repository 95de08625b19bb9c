"""What the scene tells about the camera: roll (from an ArUco marker or straight
lines such as door frames, wall corners and the floor edge) and scale (from a
marker of known size).

Roll convention: ``roll_deg`` is the angle at which a true horizontal appears in
the image, counter-clockwise positive on a y-up picture (see
:mod:`posture.core.geometry`). A level camera has roll 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_DICTS = ("DICT_4X4_50", "DICT_5X5_100", "DICT_6X6_250", "DICT_ARUCO_ORIGINAL")
#: Lines within this many degrees of vertical or horizontal count as scene verticals/horizontals.
LINE_TOLERANCE_DEG = 12.0
#: Kept lines must add up to at least this fraction of the image's longer side.
MIN_TOTAL_LENGTH = 0.15


@dataclass(frozen=True)
class Marker:
    """An ArUco marker found in the image."""

    dictionary: str
    marker_id: int
    corners: np.ndarray  # (4, 2) px: top-left, top-right, bottom-right, bottom-left
    side_px: float
    roll_deg: float


@dataclass(frozen=True)
class RollEstimate:
    """Camera roll with its spread and how it was found."""

    roll_deg: float
    uncertainty_deg: float | None
    method: str  # "marker", "lines", "none"
    n_lines: int = 0

    @property
    def known(self) -> bool:
        """Whether the scene gave a usable estimate."""
        return self.method != "none"


def find_marker(rgb: np.ndarray) -> Marker | None:
    """Find the largest ArUco marker (4x4, 5x5, 6x6 or original dictionaries)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    best: Marker | None = None
    for name in _DICTS:
        detector = cv2.aruco.ArucoDetector(
            cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, name)), cv2.aruco.DetectorParameters()
        )
        corners, ids, _ = detector.detectMarkers(grey)
        for quad, marker_id in zip(corners, [] if ids is None else ids.ravel(), strict=False):
            c = quad.reshape(4, 2).astype(float)
            sides = np.linalg.norm(c - np.roll(c, -1, axis=0), axis=1)
            top, bottom = c[1] - c[0], c[2] - c[3]
            angles = np.degrees(np.arctan2(-np.array([top[1], bottom[1]]), [top[0], bottom[0]]))
            marker = Marker(name, int(marker_id), c, float(sides.mean()), float(np.mean(angles)))
            if best is None or marker.side_px > best.side_px:
                best = marker
    return best


def _line_segments(rgb: np.ndarray, exclude: np.ndarray | None) -> np.ndarray:
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(cv2.GaussianBlur(grey, (5, 5), 0), 20, 50)
    if exclude is not None:
        edges[exclude] = 0
    min_len = max(rgb.shape[:2]) // 12
    lines = cv2.HoughLinesP(edges, 1, np.pi / 360, threshold=60, minLineLength=min_len, maxLineGap=6)
    return np.zeros((0, 4)) if lines is None else lines.reshape(-1, 4).astype(float)


#: A roll from lines larger than this (deg) is taken for perspective (a tilted camera, a slanted
#: facade), not for a rolled camera: a hand-held phone is rarely rolled this far.
MAX_LINE_ROLL_DEG = 8.0
#: Vertical and horizontal lines that disagree by more than this (deg) show perspective, not roll.
MAX_AXIS_DISAGREEMENT_DEG = 2.0
#: Each family needs at least this share of the lines' total length to be compared.
MIN_FAMILY_SHARE = 0.2


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2.0)])


def plausible_roll(dev: np.ndarray, length: np.ndarray, vertical: np.ndarray, median: float) -> bool:
    """Whether the lines' deviations (deg, length-weighted) describe a camera roll.

    A roll turns every line alike: the vertical and the horizontal lines must agree,
    and the roll must be modest. Converging verticals (a camera tilted down, a
    building's facade) fail one or the other.
    """
    if abs(median) > MAX_LINE_ROLL_DEG:
        return False
    total = float(length.sum())
    families = [f for f in (vertical, ~vertical) if length[f].sum() >= MIN_FAMILY_SHARE * total]
    if len(families) < 2:
        return True
    rolls = [_weighted_median(dev[f], length[f]) for f in families]
    return abs(rolls[0] - rolls[1]) <= MAX_AXIS_DISAGREEMENT_DEG


def roll_from_lines(rgb: np.ndarray, exclude: np.ndarray | None = None) -> RollEstimate:
    """Estimate roll from long near-vertical and near-horizontal scene lines.

    Each line votes with its deviation from the nearest of vertical/horizontal,
    weighted by length; the weighted median is the roll. ``exclude`` is a bool
    mask (e.g. the person, dilated) whose edges are ignored.
    """
    seg = _line_segments(rgb, exclude)
    if len(seg) == 0:
        return RollEstimate(0.0, None, "none")
    d = seg[:, 2:] - seg[:, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    angle = np.degrees(np.arctan2(-d[:, 1], d[:, 0]))  # ccw, y-up
    dev = (angle + 45.0) % 90.0 - 45.0  # deviation from the nearest axis
    keep = np.abs(dev) <= LINE_TOLERANCE_DEG
    if length[keep].sum() < MIN_TOTAL_LENGTH * max(rgb.shape[:2]):
        return RollEstimate(0.0, None, "none", int(keep.sum()))
    vertical = (np.abs(np.abs(angle) - 90.0) <= LINE_TOLERANCE_DEG)[keep]
    dev, w = dev[keep], length[keep]
    median = _weighted_median(dev, w)
    if not plausible_roll(dev, w, vertical, median):
        return RollEstimate(0.0, None, "none", int(keep.sum()))
    inliers = np.abs(dev - median) < 2.0
    spread = float(np.sqrt(np.average((dev[inliers] - median) ** 2, weights=w[inliers])))
    return RollEstimate(median, spread / np.sqrt(max(inliers.sum(), 1)) + 0.1, "lines", int(keep.sum()))


#: A marker turned further than this (deg) is taken for a false detection (lettering, patterns), not a roll.
MAX_MARKER_ROLL_DEG = 30.0


def estimate_roll(rgb: np.ndarray, person_mask: np.ndarray | None = None) -> RollEstimate:
    """Roll from a marker when one is visible (and about upright), else from scene lines."""
    marker = find_marker(rgb)
    if marker is not None and abs(marker.roll_deg) <= MAX_MARKER_ROLL_DEG:
        return RollEstimate(marker.roll_deg, 0.3, "marker")
    return roll_from_lines(rgb, person_mask)
