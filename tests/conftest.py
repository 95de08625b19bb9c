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
