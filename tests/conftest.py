"""Shared fixtures: synthetic pose sequences and the real pose model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from posture.data.sequence import PoseSequence, Provenance, empty_arrays
from posture.data.skeleton import Landmark

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

# A standing person's landmarks in a 100 x 200 box (x right, y down), used as a stencil.
_STENCIL = {
    Landmark.NOSE: (50, 15),
    Landmark.LEFT_EAR: (58, 15),
    Landmark.RIGHT_EAR: (42, 15),
    Landmark.LEFT_SHOULDER: (70, 40),
    Landmark.RIGHT_SHOULDER: (30, 40),
    Landmark.LEFT_ELBOW: (75, 70),
    Landmark.RIGHT_ELBOW: (25, 70),
    Landmark.LEFT_WRIST: (76, 100),
    Landmark.RIGHT_WRIST: (24, 100),
    Landmark.LEFT_HIP: (62, 100),
    Landmark.RIGHT_HIP: (38, 100),
    Landmark.LEFT_KNEE: (62, 145),
    Landmark.RIGHT_KNEE: (38, 145),
    Landmark.LEFT_ANKLE: (62, 190),
    Landmark.RIGHT_ANKLE: (38, 190),
    Landmark.LEFT_HEEL: (60, 195),
    Landmark.RIGHT_HEEL: (40, 195),
    Landmark.LEFT_FOOT_INDEX: (68, 198),
    Landmark.RIGHT_FOOT_INDEX: (32, 198),
}


def stencil_person(x0: float, y0: float, scale: float = 1.0) -> np.ndarray:
    """(33, 2) landmarks of a standing person whose box starts at (x0, y0)."""
    xy = np.full((33, 2), np.nan)
    for lm, (x, y) in _STENCIL.items():
        xy[lm] = (x0 + x * scale, y0 + y * scale)
    # Fill the face landmarks near the nose so that nothing is NaN.
    for lm in Landmark:
        if np.isnan(xy[lm]).any():
            xy[lm] = xy[Landmark.NOSE]
    return xy


def make_sequence(xy: np.ndarray, fps: float = 30.0, size: tuple[int, int] = (640, 480)) -> PoseSequence:
    """A PoseSequence from (T, P, 33, 2) pixel landmarks; other arrays filled plausibly."""
    n_t, n_p = xy.shape[:2]
    arrays = empty_arrays(n_t, n_p)
    arrays["xy_px"] = xy.astype(float)
    seen = ~np.isnan(xy[..., 0])
    arrays["z"] = np.where(seen, 0.0, np.nan)
    arrays["visibility"] = np.where(seen, 0.9, np.nan)
    arrays["presence"] = np.where(seen, 0.95, np.nan)
    arrays["world_m"] = np.where(seen[..., None], 0.0, np.nan) * np.ones(3)
    return PoseSequence(
        time_s=np.arange(n_t) / fps,
        frame_index=np.arange(n_t),
        track_id=np.arange(n_p),
        image_size=size,
        fps=fps,
        provenance=Provenance("synthetic", "none", "0" * 64),
        **arrays,
    )


@pytest.fixture(scope="session")
def model_info():
    """The real pose model bundle (built from the mediapipe wheel when missing)."""
    from posture.pose.bundle import ensure_model

    return ensure_model()


@pytest.fixture(autouse=True)
def _private_history(tmp_path_factory, monkeypatch):
    """Every test gets its own history database: nothing is written to the user's data folder."""
    monkeypatch.setenv("POSTURE_DB", str(tmp_path_factory.mktemp("history") / "history.sqlite"))


def planted_walk(
    fps: float = 30.0,
    duration_s: float = 5.0,
    cycle_s: float = 1.1,
    stance_share: float = 0.62,
    right_stance_share: float | None = None,
    body_px: float = 400.0,
    speed_heights: float = 0.75,
    direction: float = 1.0,
    image_size: tuple[int, int] = (1600, 800),
) -> tuple[PoseSequence, list[dict]]:
    """A side-view stick walker whose feet stand still on the floor in stance (as real feet do).

    Each foot alternates stance (heel and toe fixed; the heel lifts in the last 30% of stance while
    the toe stays) and swing (the foot travels one stride forwards on a cosine profile, lifted);
    the pelvis moves at ``speed_heights`` body heights per second. The left foot strikes at
    0.3 s, the right half a cycle later. Returns the sequence and its events (side, kind, time_s).
    """
    n = int(round(duration_s * fps))
    t = np.arange(n) / fps
    stride = speed_heights * body_px * cycle_s
    x0 = 200.0 if direction > 0 else image_size[0] - 200.0
    floor = 0.9 * image_size[1]
    xy = np.full((n, 33, 2), np.nan)
    events = []
    shares = {"left": stance_share, "right": right_stance_share or stance_share}
    for side, offset, heel_lm, toe_lm, ankle_lm, knee_lm in (
        ("left", 0.3, Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX, Landmark.LEFT_ANKLE, Landmark.LEFT_KNEE),
        ("right", 0.3 + cycle_s / 2, Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX, Landmark.RIGHT_ANKLE,
         Landmark.RIGHT_KNEE),
    ):  # fmt: skip
        stance = shares[side] * cycle_s
        heel = np.zeros((n, 2))
        toe = np.zeros((n, 2))
        k0 = int(np.floor((t[0] - offset) / cycle_s)) - 1
        for k in range(k0, int(duration_s / cycle_s) + 2):
            hs = offset + k * cycle_s
            to = hs + stance
            events += [{"side": side, "kind": "heel_strike", "time_s": hs}]
            events += [{"side": side, "kind": "toe_off", "time_s": to}]
            spot = x0 + direction * (speed_heights * body_px * hs + 0.1 * body_px)
            during = (t >= hs) & (t < to)
            lift = np.clip((t - (hs + 0.7 * stance)) / (0.3 * stance), 0, 1)
            heel[during] = np.stack([spot + 0 * t[during], floor - 0.05 * body_px * lift[during]], axis=1)
            toe[during] = (spot + direction * 0.13 * body_px, floor)
            swing = (t >= to) & (t < hs + cycle_s)
            u = (t[swing] - to) / (cycle_s - stance)
            prog = 0.5 * (1 - np.cos(np.pi * u))
            hx = spot + direction * stride * prog
            hy = floor - 0.05 * body_px * (1 - u) - 0.06 * body_px * np.sin(np.pi * u)
            heel[swing] = np.stack([hx, hy], axis=1)
            toe[swing] = np.stack([hx + direction * 0.13 * body_px, hy + 0.02 * body_px * (1 - u)], axis=1)
        xy[:, heel_lm], xy[:, toe_lm] = heel, toe
        xy[:, ankle_lm] = heel + (direction * 0.02 * body_px, -0.05 * body_px)
        xy[:, knee_lm] = np.nan  # placed after the hips
    pelvis_x = x0 + direction * speed_heights * body_px * t + direction * 0.1 * body_px
    hip_y = floor - 0.5 * body_px
    for lm, dx in ((Landmark.LEFT_HIP, 0.01), (Landmark.RIGHT_HIP, -0.01)):
        xy[:, lm] = np.stack([pelvis_x + dx * body_px * direction, hip_y + 0 * t], axis=1)
    for knee, ankle, hip in (
        (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE, Landmark.LEFT_HIP),
        (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE, Landmark.RIGHT_HIP),
    ):
        xy[:, knee] = 0.5 * (xy[:, hip] + xy[:, ankle]) + (direction * 0.03 * body_px, 0)
    for lm, dy in ((Landmark.LEFT_SHOULDER, -0.32), (Landmark.RIGHT_SHOULDER, -0.32)):
        xy[:, lm] = np.stack([pelvis_x, hip_y + dy * body_px + 0 * t], axis=1)
    for lm in Landmark:
        if np.isnan(xy[0, lm, 0]):
            xy[:, lm] = np.stack(
                [pelvis_x + direction * 0.03 * body_px, hip_y - 0.45 * body_px + 0 * t], axis=1
            )
    inside = [e for e in events if 0.0 < e["time_s"] < t[-1]]
    return make_sequence(xy[:, None], fps=fps, size=image_size), sorted(inside, key=lambda e: e["time_s"])
