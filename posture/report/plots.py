"""Gait plots as PNG images (matplotlib, no display needed).

Figures are made with :class:`matplotlib.figure.Figure`, not ``pyplot``: nothing here
chooses or changes the caller's matplotlib backend (a notebook keeps its inline plots).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from posture.data.skeleton import SIDES
from posture.io.atomic import atomic_path

LEFT, RIGHT = "#ff8c00", "#0078ff"  # the overlay's side colours
COLOURS = {"left": LEFT, "right": RIGHT}


def _save(fig: Figure, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=110, bbox_inches="tight")
    return path


def plot_foot_trajectories(
    time_s: np.ndarray, feet: dict[str, dict[str, np.ndarray]], events: list[dict], path: Path
) -> Path:
    """Heel and toe height per side, with the events marked.

    ``feet[side]["heel"|"toe"]`` are (T,) heights in pixels above the picture's bottom edge.
    """
    fig = Figure(figsize=(10, 5.5))
    axes = fig.subplots(2, 1, sharex=True)
    for ax, side in zip(axes, SIDES, strict=True):
        for part, style in (("heel", "-"), ("toe", "--")):
            ax.plot(time_s, feet[side][part], style, color=COLOURS[side], lw=1.3, label=f"{side} {part}")
        for e in events:
            if e["side"] != side:
                continue
            marker = "v" if e["kind"] == "heel_strike" else "^"
            part = "heel" if e["kind"] == "heel_strike" else "toe"
            y = np.interp(e["time_s"], time_s, feet[side][part])
            ax.plot(e["time_s"], y, marker, color="black", ms=7)
        ax.set_ylabel("height above picture bottom (px)")
        ax.legend(loc="upper right", fontsize=8)
        ax.grid(alpha=0.3)
    axes[0].set_title("Heel and toe trajectories  (v heel strike, ^ toe off)")
    axes[-1].set_xlabel("time (s)")
    return _save(fig, path)


def plot_angle_cycles(cycles: dict[str, tuple[np.ndarray, np.ndarray, int]], path: Path) -> Path:
    """Hip, knee and ankle angles over the gait cycle (0-100 %, heel strike to heel strike), left
    against right: each side's mean with a band of one SD across its cycles."""
    joints = [("hip_flexion", "Hip flexion"), ("knee_flexion", "Knee flexion")]
    joints.append(("ankle_dorsiflexion", "Ankle dorsiflexion"))
    fig = Figure(figsize=(10, 3.6))
    axes = fig.subplots(1, 3)
    pct = np.linspace(0, 100, 101)
    for ax, (joint, title) in zip(axes, joints, strict=True):
        for side in SIDES:
            mean, sd, n = cycles.get(f"{side}_{joint}", (np.full(101, np.nan), np.full(101, np.nan), 0))
            if n == 0:
                continue
            ax.plot(pct, mean, color=COLOURS[side], lw=1.6, label=f"{side} ({n} cycle{'s' * (n != 1)})")
            ax.fill_between(
                pct, mean - np.nan_to_num(sd), mean + np.nan_to_num(sd), color=COLOURS[side], alpha=0.15
            )
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("% of the gait cycle")
        ax.set_xlim(0, 100)
        ax.grid(alpha=0.3)
        if ax.has_data():
            ax.legend(fontsize=8, loc="best")
    axes[0].set_ylabel("degrees (flexion / dorsiflexion positive)")
    fig.tight_layout()
    return _save(fig, path)


def plot_step_series(steps: list[dict], path: Path) -> Path:
    """Step time, stance time and foot angle at contact per step, left against right, over time."""
    series = [
        ("step_time_s", "step time (s)"),
        ("stance_s", "stance time (s)"),
        ("foot_angle_deg", "foot angle at contact (deg)"),
    ]
    fig = Figure(figsize=(10, 7))
    axes = fig.subplots(len(series), 1, sharex=True)
    for ax, (key, label) in zip(axes, series, strict=True):
        for side in SIDES:
            rows = [r for r in steps if r["side"] == side and r.get(key) is not None]
            ax.plot([r["heel_strike_s"] for r in rows], [r[key] for r in rows], "o-", color=COLOURS[side],
                    label=side)  # fmt: skip
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right", fontsize=8)
    axes[0].set_title("Left against right, step by step")
    axes[-1].set_xlabel("heel strike time (s)")
    return _save(fig, path)
