"""Check synthetic renders against MediaPipe: is the person detected, where are the hips.

Used by ``scripts/make_samples.py`` and the synth tests. Landmarks are returned in
pixels with the truth files' convention (``u = x_norm * width``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

LEFT_HIP, RIGHT_HIP = 23, 24


@contextmanager
def landmarker(video: bool = False) -> Iterator[object]:
    """Yield a MediaPipe ``PoseLandmarker`` (IMAGE or VIDEO mode) on the bundled model."""
    from mediapipe.tasks.python import BaseOptions, vision

    from posture.pose.bundle import ensure_model

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(ensure_model().path)),
        running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
        num_poses=1,
    )
    with vision.PoseLandmarker.create_from_options(options) as lm:
        yield lm


def landmarks_px(result: object, width: int, height: int) -> NDArray[np.float64] | None:
    """Return the first pose's 33 landmarks as (33, 2) pixels, or None when nobody was found."""
    poses = result.pose_landmarks  # type: ignore[attr-defined]
    if not poses:
        return None
    return np.array([[p.x * width, p.y * height] for p in poses[0]], dtype=np.float64)


def detect_image(
    lm: object, image_bgr: NDArray[np.uint8], timestamp_ms: int | None = None
) -> NDArray[np.float64] | None:
    """Run ``lm`` on one BGR image (VIDEO mode when ``timestamp_ms`` is given)."""
    import mediapipe as mp

    rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
    mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
    task: Any = lm
    result = task.detect(mp_image) if timestamp_ms is None else task.detect_for_video(mp_image, timestamp_ms)
    return landmarks_px(result, image_bgr.shape[1], image_bgr.shape[0])


@dataclass(frozen=True)
class HipError:
    """Distances (px) from detected hip landmarks to the true hip centres.

    ``swapped`` compares landmark 23 with the right hip and 24 with the left
    (the back-view labelling MediaPipe may use).
    """

    left_px: float
    right_px: float
    swapped_left_px: float
    swapped_right_px: float
    hip_width_px: float

    @property
    def mean_px(self) -> float:
        """Return the mean of the left and right errors (as labelled)."""
        return 0.5 * (self.left_px + self.right_px)

    @property
    def best_mean_px(self) -> float:
        """Return the smaller of the labelled and swapped mean errors."""
        return min(self.mean_px, 0.5 * (self.swapped_left_px + self.swapped_right_px))


def hip_error(
    landmarks: NDArray[np.float64], left_hip: NDArray[np.float64], right_hip: NDArray[np.float64]
) -> HipError:
    """Compare detected hips (landmarks 23, 24) with the true projected hip centres."""
    d = np.linalg.norm
    return HipError(
        float(d(landmarks[LEFT_HIP] - left_hip)),
        float(d(landmarks[RIGHT_HIP] - right_hip)),
        float(d(landmarks[LEFT_HIP] - right_hip)),
        float(d(landmarks[RIGHT_HIP] - left_hip)),
        float(d(np.asarray(left_hip) - np.asarray(right_hip))),
    )


def check_video(path: str | Path, truth: dict) -> dict:
    """Run MediaPipe (VIDEO mode) over a rendered walk; summarise detection and hip errors."""
    cap = cv2.VideoCapture(str(path))
    fps = truth["fps"]
    frames = truth["frames"]
    errors, detected, n = [], 0, 0
    with landmarker(video=True) as lm:
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            pts = detect_image(lm, np.asarray(frame, np.uint8), int(round(n * 1000.0 / fps)))
            if pts is not None:
                detected += 1
                err = hip_error(pts, np.array(frames["left_hip_px"][n]), np.array(frames["right_hip_px"][n]))
                errors.append((err.left_px, err.right_px, err.best_mean_px))
            n += 1
    cap.release()
    e = np.array(errors) if errors else np.full((1, 3), np.nan)
    return {
        "frames": n,
        "detected_fraction": detected / max(n, 1),
        "left_hip_err_px_median": float(np.median(e[:, 0])),
        "right_hip_err_px_median": float(np.median(e[:, 1])),
        "best_mean_err_px_median": float(np.median(e[:, 2])),
    }
