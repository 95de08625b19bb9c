"""Which way a walk is seen and how big the walker is in the picture: view detection and pixel scale."""

from __future__ import annotations

import math

import numpy as np

from posture.data.skeleton import Landmark as L
from posture.gait import conditioning as cond

#: (shoulder + hip width) / 2 over torso height below which a clip is a side view.
SIDE_WIDTH_RATIO = 0.35


def body_height_px(xy: np.ndarray) -> np.ndarray:
    """(T,) landmark box height in pixels (NaN when unseen)."""
    y = xy[..., 1]
    out = np.full(y.shape[0], np.nan)
    seen = ~np.isnan(y).all(axis=1)
    out[seen] = np.nanmax(y[seen], axis=1) - np.nanmin(y[seen], axis=1)
    return out


def width_ratio(xy: np.ndarray) -> float:
    """Median of (shoulder width + hip width) / 2 over torso height (image x and y)."""
    sh = np.abs(xy[:, L.LEFT_SHOULDER, 0] - xy[:, L.RIGHT_SHOULDER, 0])
    hip = np.abs(xy[:, L.LEFT_HIP, 0] - xy[:, L.RIGHT_HIP, 0])
    torso = 0.5 * (xy[:, L.LEFT_HIP, 1] + xy[:, L.RIGHT_HIP, 1]) - 0.5 * (
        xy[:, L.LEFT_SHOULDER, 1] + xy[:, L.RIGHT_SHOULDER, 1]
    )
    with np.errstate(all="ignore"):
        return float(np.nanmedian(0.5 * (sh + hip) / torso))


def detect_view(xy: np.ndarray, side_width_ratio: float = SIDE_WIDTH_RATIO) -> tuple[str, str]:
    """``side`` or ``frontal`` (front or back, told apart later by the direction of travel), and why."""
    ratio = width_ratio(xy)
    if not math.isfinite(ratio):
        return "side", "shoulders and hips not seen; assumed a side view"
    kind = "side" if ratio < side_width_ratio else "frontal"
    return kind, f"shoulder/hip width is {ratio:.2f} of the torso height (side below {side_width_ratio})"


def stature_px(xy: np.ndarray) -> float:
    """Apparent standing height in pixels: head top (extrapolated from the face) to the lowest foot point.

    90th percentile over frames, so that frames with bent knees count less.
    """
    eyes = np.nanmean(xy[:, [L.LEFT_EYE, L.RIGHT_EYE], 1], axis=1)
    shoulders = np.nanmean(xy[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER], 1], axis=1)
    top = eyes - 0.55 * (shoulders - eyes)
    feet = np.nanmax(xy[:, [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX], 1], axis=1)
    h = feet - top
    h = h[np.isfinite(h)]
    return float(np.percentile(h, 90)) if h.size else math.nan


def apparent_height_px(xy: np.ndarray, time_s: np.ndarray, fps: float) -> np.ndarray:
    """(T,) body height in pixels, smoothed (1 Hz) so that it follows the approach, not the stride."""
    filled, _ = cond.fill_gaps(body_height_px(xy), time_s, 0.5)
    smooth = cond.lowpass(filled, fps, 1.0)
    return np.where(np.isfinite(smooth), smooth, np.nanmedian(smooth))
