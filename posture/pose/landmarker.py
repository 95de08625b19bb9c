"""The MediaPipe Tasks pose backend: pixels in, per-person landmark arrays out.

This is the only module that touches MediaPipe's result objects; everything
downstream works on :class:`Detections` (numpy arrays) and then on
:class:`posture.data.sequence.PoseSequence`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from posture.data.skeleton import N_LANDMARKS, TORSO
from posture.errors import ModelError
from posture.io.stderr import native_stderr_silenced
from posture.pose.bundle import ModelInfo


@dataclass(frozen=True)
class Detections:
    """The people found in one frame.

    Attributes
    ----------
    xy_px
        (N, 33, 2) pixel coordinates, x right and y down from the top-left corner.
    z
        (N, 33) MediaPipe's depth, normalised like x (smaller = nearer the camera).
    world_m
        (N, 33, 3) metric landmarks in metres, origin between the hips
        (x subject-left-to-right as seen by the camera, y down, z away).
    visibility, presence
        (N, 33) scores in 0..1.
    """

    xy_px: np.ndarray
    z: np.ndarray
    world_m: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    masks: list[np.ndarray] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Number of people detected."""
        return int(self.xy_px.shape[0])

    @classmethod
    def empty(cls) -> Detections:
        """No one in the frame."""
        zeros = np.zeros((0, N_LANDMARKS))
        return cls(np.zeros((0, N_LANDMARKS, 2)), zeros, np.zeros((0, N_LANDMARKS, 3)), zeros, zeros)


@dataclass(frozen=True)
class PoseOptions:
    """Settings of the pose model run, recorded in every result's provenance."""

    max_people: int = 2
    min_detection_confidence: float = 0.5
    min_presence_confidence: float = 0.5
    min_tracking_confidence: float = 0.5
    segmentation: bool = False
    #: Threads of the model's CPU inference (XNNPACK); ``None``: :func:`default_threads`.
    #: The landmarks do not depend on it, only the speed.
    threads: int | None = None


#: Overrides :func:`default_threads` (batch workers set it to their share of the cores).
THREADS_ENV = "POSTURE_THREADS"


def default_threads() -> int:
    """Inference threads when none are asked for: ``$POSTURE_THREADS``, else one per core, at most 4.

    MediaPipe's own default on desktop Linux is a single thread; two threads run
    the full pose model about 12% faster on a 2-core machine.
    """
    env = os.environ.get(THREADS_ENV, "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(os.cpu_count() or 1, 4))


def threaded_base_options(model_path: Path, threads: int) -> Any:
    """MediaPipe ``BaseOptions`` for a ``.task`` file whose CPU inference uses ``threads`` XNNPACK threads.

    The Python API has no thread setting; the options it hands to the C++ task carry
    one (``Acceleration.xnnpack.num_threads``), so this sets it there.
    """
    from mediapipe.calculators.tensor.inference_calculator_pb2 import InferenceCalculatorOptions
    from mediapipe.tasks.cc.core.proto.acceleration_pb2 import Acceleration
    from mediapipe.tasks.python import BaseOptions

    class ThreadedBaseOptions(BaseOptions):  # type: ignore[misc]
        def to_pb2(self) -> Any:
            proto = super().to_pb2()
            xnnpack = InferenceCalculatorOptions.Delegate.Xnnpack(num_threads=threads)
            proto.acceleration.CopyFrom(Acceleration(xnnpack=xnnpack))
            return proto

    return ThreadedBaseOptions(model_asset_path=str(model_path))


def _to_detections(result: object, width: int, height: int) -> Detections:
    people = result.pose_landmarks  # type: ignore[attr-defined]
    if not people:
        return Detections.empty()
    norm = np.array([[(p.x, p.y, p.z, p.visibility, p.presence) for p in person] for person in people])
    worlds = result.pose_world_landmarks  # type: ignore[attr-defined]
    world = np.array([[(p.x, p.y, p.z) for p in person] for person in worlds])
    masks = [m.numpy_view().copy() for m in (result.segmentation_masks or [])]  # type: ignore[attr-defined]
    return Detections(
        xy_px=norm[:, :, :2] * np.array([width, height]),
        z=norm[:, :, 2],
        world_m=world,
        visibility=norm[:, :, 3],
        presence=norm[:, :, 4],
        masks=masks,
    )


def _forget_import_error() -> None:
    """Drop the traceback of the error MediaPipe keeps from its optional audio import.

    ``mediapipe.tasks.python.audio.core.audio_record`` keeps the ``OSError`` of a
    failed ``import sounddevice`` (no PortAudio here) in a module global; its
    traceback holds the frames of whatever first imported ``mediapipe.tasks``, and
    their callers: ``track_source``'s frame, with every frame's detections, stayed
    alive for the rest of the process (``posture gait``'s peak memory 36-64 MB higher
    on a 10 s clip, 66 MB on a 10-minute one).
    """
    module = sys.modules.get("mediapipe.tasks.python.audio.core.audio_record")
    error = getattr(module, "sd_error", None)
    if isinstance(error, BaseException):
        error.__traceback__ = None


class PoseEstimator:
    """A MediaPipe ``PoseLandmarker`` in IMAGE or VIDEO mode.

    Use as a context manager. In VIDEO mode frames must come in time order;
    times are turned into strictly increasing milliseconds as MediaPipe wants.
    """

    def __init__(self, model: ModelInfo, options: PoseOptions, video: bool) -> None:
        from mediapipe.tasks.python import vision

        _forget_import_error()
        mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
        task_options = vision.PoseLandmarkerOptions(
            base_options=threaded_base_options(model.path, options.threads or default_threads()),
            running_mode=mode,
            num_poses=options.max_people,
            min_pose_detection_confidence=options.min_detection_confidence,
            min_pose_presence_confidence=options.min_presence_confidence,
            min_tracking_confidence=options.min_tracking_confidence,
            output_segmentation_masks=options.segmentation,
        )
        try:
            with native_stderr_silenced():
                self._landmarker = vision.PoseLandmarker.create_from_options(task_options)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"MediaPipe cannot load the model ({exc})", model.path) from exc
        self.model = model
        self.options = options
        self.video = video
        self._last_ms = -1
        self._started = False
        self.last_count = 0

    def detect(self, rgb: np.ndarray, time_s: float = 0.0) -> Detections:
        """Find people in one RGB ``uint8`` frame (H, W, 3)."""
        import mediapipe as mp

        height, width = rgb.shape[:2]
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        quiet = native_stderr_silenced() if not self._started else contextlib.nullcontext()
        with quiet:
            if self.video:
                ms = max(int(round(time_s * 1000.0)), self._last_ms + 1)
                self._last_ms = ms
                result = self._landmarker.detect_for_video(image, ms)
            else:
                result = self._landmarker.detect(image)
        self._started = True
        found = _to_detections(result, width, height)
        self.last_count = found.count
        return found

    def close(self) -> None:
        """Release the MediaPipe graph."""
        self._landmarker.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Two skeletons in one frame whose landmark boxes overlap more than this (intersection over union),
#: or whose landmarks lie a median of less than DUPLICATE_SPREAD body heights apart, are one person
#: found twice.
DUPLICATE_IOU = 0.6
DUPLICATE_SPREAD = 0.1
#: A skeleton whose box lies this much inside a larger one's, with its torso centre within
#: DUPLICATE_CENTRE of the larger one's height of that one's, is a part of that person found again.
DUPLICATE_INSIDE = 0.85
DUPLICATE_CENTRE = 0.2


def _box(xy: np.ndarray) -> np.ndarray:
    return np.array([np.nanmin(xy[:, 0]), np.nanmin(xy[:, 1]), np.nanmax(xy[:, 0]), np.nanmax(xy[:, 1])])


def _area(box: np.ndarray) -> float:
    return float((box[2] - box[0]) * (box[3] - box[1]))


def _intersection(a: np.ndarray, b: np.ndarray) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return float(max(w, 0.0) * max(h, 0.0))


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    inter = _intersection(a, b)
    union = _area(a) + _area(b) - inter
    return float(inter / union) if union > 0 else 0.0


def _same_person(a: np.ndarray, b: np.ndarray, box_a: np.ndarray, box_b: np.ndarray, max_iou: float) -> bool:
    if _iou(box_a, box_b) > max_iou:
        return True
    height = max(box_a[3] - box_a[1], box_b[3] - box_b[1], 1.0)
    spread = np.nanmedian(np.linalg.norm(a - b, axis=1))
    return bool(np.isfinite(spread) and spread < DUPLICATE_SPREAD * height)


def _inside(small: np.ndarray, big: np.ndarray) -> float:
    """Share of box ``small``'s area that lies inside box ``big``."""
    area = _area(small)
    return _intersection(small, big) / area if area > 0 else 1.0


def _part_of(a: np.ndarray, b: np.ndarray, box_a: np.ndarray, box_b: np.ndarray) -> bool:
    """Whether skeleton ``a`` is a half skeleton of the person ``b`` (its box inside b's, same torso)."""
    if _area(box_a) >= _area(box_b) or _inside(box_a, box_b) < DUPLICATE_INSIDE:
        return False
    with np.errstate(invalid="ignore"):
        centre_a = np.nanmean(a[list(TORSO)], axis=0)
        centre_b = np.nanmean(b[list(TORSO)], axis=0)
    dist = float(np.linalg.norm(centre_a - centre_b))
    return bool(np.isfinite(dist) and dist < DUPLICATE_CENTRE * (box_b[3] - box_b[1]))


def drop_duplicates(found: Detections, max_iou: float = DUPLICATE_IOU) -> Detections:
    """The detections without second copies of one person (the copy with the lower mean visibility goes).

    With several poses asked for, the model sometimes fits two skeletons to one
    person; the tracker would then give that person two ids, which swap from frame
    to frame and split the walker into fragments. On real clips the second copy is
    often a half skeleton inside the whole one (legs folded up into the trunk); the
    half one goes whatever its visibility.
    """
    if found.count < 2:
        return found
    xy = found.xy_px
    boxes = [_box(p) for p in xy]
    parts = {
        i
        for i in range(found.count)
        for j in range(found.count)
        if i != j and _part_of(xy[i], xy[j], boxes[i], boxes[j])
    }
    order = np.argsort(-np.nanmean(found.visibility, axis=1))
    keep: list[int] = []
    for i in order:
        if i in parts:
            continue
        if not any(_same_person(xy[i], xy[j], boxes[i], boxes[j], max_iou) for j in keep):
            keep.append(int(i))
    if len(keep) == found.count:
        return found
    keep.sort()
    masks = [found.masks[i] for i in keep] if len(found.masks) == found.count else found.masks
    return Detections(
        found.xy_px[keep],
        found.z[keep],
        found.world_m[keep],
        found.visibility[keep],
        found.presence[keep],
        masks,
    )
