"""``angles.csv`` and ``angle_cycles.csv``: joint-angle curves as plain tables.

``angles.csv``: one row per frame, ``time_s`` then one column per angle named
``<angle>_deg`` (e.g. ``left_knee_flexion_deg``); unseen values are empty.
``angle_cycles.csv``: the mean gait cycle, one row per angle and percent of the
cycle: ``angle, percent, mean_deg, sd_deg, n_cycles``.
Sign conventions are those of :mod:`posture.gait.angles`.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from posture.io.atomic import atomic_open

CYCLE_COLUMNS = ("angle", "percent", "mean_deg", "sd_deg", "n_cycles")


def _cell(value: float, decimals: int = 3) -> str:
    return f"{value:.{decimals}f}" if np.isfinite(value) else ""


def write_angles_csv(path: str | Path, time_s: np.ndarray, angles: Mapping[str, np.ndarray]) -> Path:
    """Write ``time_s`` and each ``(T,)`` angle curve (degrees) as ``<name>_deg`` columns."""
    time_s = np.asarray(time_s, dtype=float)
    wrong = {n: np.shape(v) for n, v in angles.items() if np.shape(v) != time_s.shape}
    if wrong:
        raise ValueError(f"angles: expected ({len(time_s)},) each, got {wrong}")
    names = list(angles)
    with atomic_open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["time_s"] + [f"{n}_deg" for n in names])
        for i, t in enumerate(time_s):
            writer.writerow([f"{t:.4f}"] + [_cell(angles[n][i]) for n in names])
    return Path(path)


def write_cycles_csv(path: str | Path, cycles: Mapping[str, tuple[np.ndarray, np.ndarray, int]]) -> Path:
    """Write mean gait cycles: ``{angle: (mean (101,), sd (101,), n_cycles)}`` as in ``cycle_curves``."""
    with atomic_open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CYCLE_COLUMNS)
        for name, (mean, sd, n) in cycles.items():
            for pct, (m, s) in enumerate(zip(mean, sd, strict=True)):
                writer.writerow([name, pct, _cell(m), _cell(s), n])
    return Path(path)
