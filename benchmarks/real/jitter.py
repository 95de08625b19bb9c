"""Measure landmark jitter on real footage: white-noise SD of still landmarks, as a share of body height.

Usage: ``python -m benchmarks.real.jitter LANDMARKS.json`` (a ``posture landmarks`` output).

For each tracked person seen in at least 30 frames and each leg and trunk landmark:
frames where the landmark is still (its 3 Hz low-passed speed below 0.15 body heights
per second) give second differences ``x[t+1] - 2 x[t] + x[t-1]``, whose SD is
``sqrt(6)`` times that of white noise; a robust SD (1.4826 x median absolute value)
is used, so a few real motions do not count. Printed per coordinate in pixels and as
a share of the person's median landmark-box height. Correlated (slow) jitter is not
seen by this estimate.
"""

from __future__ import annotations

import sys

import numpy as np

from posture.data.skeleton import Landmark as L
from posture.gait.conditioning import fill_gaps, lowpass
from posture.io.landmarks import read_landmarks_json

LANDMARKS: tuple[L, ...] = (L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_HEEL, L.RIGHT_HEEL)
LANDMARKS += (L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
STILL_SPEED = 0.15
MIN_FRAMES = 15


def still_jitter(xy: np.ndarray, time_s: np.ndarray, fps: float, height_px: float) -> tuple[np.ndarray, int]:
    """Robust white-noise SD (px, per coordinate) of one (T, 2) landmark track while it is still."""
    filled, _ = fill_gaps(xy, time_s, 0.2)
    speed = np.linalg.norm(np.gradient(lowpass(filled, fps, 3.0), time_s, axis=0), axis=1) / height_px
    d2 = xy[2:] - 2 * xy[1:-1] + xy[:-2]
    ok = np.isfinite(d2).all(axis=1) & (speed[1:-1] < STILL_SPEED)
    if ok.sum() < MIN_FRAMES:
        return np.full(2, np.nan), int(ok.sum())
    return 1.4826 * np.median(np.abs(d2[ok]), axis=0) / np.sqrt(6.0), int(ok.sum())


def main(argv: list[str] | None = None) -> int:
    """Print the jitter table of one landmarks.json."""
    args = sys.argv[1:] if argv is None else argv
    seq = read_landmarks_json(args[0])
    fps = float(seq.fps or 30.0)
    heights = seq.body_height_px()
    for col, track in enumerate(seq.track_id):
        seen = seq.seen[:, col]
        if seen.sum() < 30:
            continue
        h = float(np.nanmedian(heights[seen, col]))
        print(f"track {track}: {int(seen.sum())} frames, median height {h:.0f} px")
        for lm in LANDMARKS:
            sd, n = still_jitter(seq.xy_px[:, col, lm], seq.time_s, fps, h)
            if np.isfinite(sd).all():
                print(f"  {lm.label:18s} x {sd[0]:.2f} y {sd[1]:.2f} px = {100 * sd.mean() / h:.2f}% (n={n})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
