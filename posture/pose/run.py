"""Running the pose model over a source: frames -> detections -> tracked sequence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from posture.data.sequence import (
    ROW_SIZE,
    VIDEO_DTYPE,
    PoseSequence,
    Provenance,
    empty_arrays,
    pack_row,
    unpack_rows,
)
from posture.data.stitching import stitch_fragments
from posture.data.tracking import Tracker
from posture.errors import NoPersonError
from posture.pose.bundle import ModelInfo, resolve_model
from posture.pose.landmarker import Detections, PoseEstimator, PoseOptions, drop_duplicates
from posture.sources.video import Frame, Source, open_source


@dataclass(frozen=True)
class TrackedFrame:
    """One frame with its detections and the track id of each detected person."""

    frame: Frame
    detections: Detections
    track_ids: list[int]


FrameHook = Callable[[TrackedFrame], None]


def iter_tracked(source: Source, estimator: PoseEstimator, tracker: Tracker) -> Iterator[TrackedFrame]:
    """Yield each frame of ``source`` with its people detected and tracked."""
    for frame in source:
        found = drop_duplicates(estimator.detect(frame.rgb, frame.time_s))
        ids = tracker.update(found.xy_px, frame.time_s, frame.rgb)
        yield TrackedFrame(frame, found, ids)


class _PersonRows:
    """One track's packed landmark rows (:func:`~posture.data.sequence.pack_row`), in a buffer that
    doubles when full: a few bytes of bookkeeping a frame instead of a kept ``Detections``."""

    def __init__(self, dtype: type) -> None:
        self.frames: list[int] = []
        self.data: np.ndarray = np.empty((64, ROW_SIZE), dtype=dtype)

    def add(self, t: int, det: Detections, k: int) -> None:
        n = len(self.frames)
        if n == len(self.data):
            grown = np.empty((2 * n, ROW_SIZE), dtype=self.data.dtype)
            grown[:n] = self.data
            self.data = grown
        pack_row(det.xy_px[k], det.z[k], det.world_m[k], det.visibility[k], det.presence[k], self.data[n])
        self.frames.append(t)


class SequenceBuilder:
    """Collects tracked frames and packs them into a :class:`PoseSequence`.

    Each person's landmarks are copied out of the frame's detections as they arrive
    (``dtype``: :data:`~posture.data.sequence.VIDEO_DTYPE` for a video), so a long clip
    holds one compact row per person and frame, not every frame's model output.
    """

    def __init__(self, dtype: type = np.float64) -> None:
        self.dtype = dtype
        self.times: list[float] = []
        self.indices: list[int] = []
        self.rows: dict[int, _PersonRows] = {}

    def add(self, tracked: TrackedFrame) -> None:
        """Remember one frame (its time even when nobody is in it)."""
        t = len(self.times)
        self.times.append(tracked.frame.time_s)
        self.indices.append(tracked.frame.index)
        for k, track_id in enumerate(tracked.track_ids):
            if track_id not in self.rows:
                self.rows[track_id] = _PersonRows(self.dtype)
            self.rows[track_id].add(t, tracked.detections, k)

    def build(self, image_size: tuple[int, int], fps: float | None, provenance: Provenance) -> PoseSequence:
        """Pack everything added so far (people ordered by track id)."""
        track_ids = sorted(self.rows)
        arrays = empty_arrays(len(self.times), len(track_ids), self.dtype)
        for col, track_id in enumerate(track_ids):
            person = self.rows[track_id]
            frames = np.asarray(person.frames, dtype=np.intp)
            for name, values in unpack_rows(person.data[: len(frames)]).items():
                arrays[name][frames, col] = values
        return PoseSequence(
            time_s=np.asarray(self.times, dtype=np.float64),
            frame_index=np.asarray(self.indices, dtype=np.int64),
            track_id=np.asarray(track_ids, dtype=np.int64),
            image_size=image_size,
            fps=fps,
            provenance=provenance,
            **arrays,
        )


def _progress(total: int | None, enabled: bool, desc: str) -> object:
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, unit="frame", desc=desc, leave=False)


def track_source(
    source: Source,
    model: ModelInfo,
    options: PoseOptions,
    progress: bool = False,
    on_frame: FrameHook | None = None,
    tracker: Tracker | None = None,
) -> PoseSequence:
    """Detect and track people in every frame of an open ``source`` (see :func:`load_pose`).

    ``tracker``: the tracker to use (default: a new :class:`~posture.data.tracking.Tracker`).
    """
    video = source.info.kind != "image"
    builder = SequenceBuilder(VIDEO_DTYPE if video else np.float64)
    bar = _progress(source.info.n_frames, progress and video, Path(source.info.name).name)
    tracker = tracker or Tracker()
    with PoseEstimator(model, options, video=video) as estimator:
        for tracked in iter_tracked(source, estimator, tracker):
            builder.add(tracked)
            if on_frame is not None:
                on_frame(tracked)
            bar.update(1)  # type: ignore[attr-defined]
    bar.close()  # type: ignore[attr-defined]
    if not builder.rows:
        raise NoPersonError(f"no person detected in {len(builder.times)} frame(s)", source.info.name)
    provenance = Provenance(
        source=source.info.name,
        model_name=model.name,
        model_sha256=model.sha256,
        settings={**asdict(options), "rotation_deg": source.info.rotation_deg},
    )
    size = (source.info.width, source.info.height)
    seq = builder.build(size, source.info.fps, provenance)
    if not video:
        return seq
    looks = {t.track_id: t.appearance for t in tracker.tracks if t.appearance is not None}
    seq, stitches = stitch_fragments(seq, looks)
    if stitches:
        settings = {**provenance.settings, "stitched_tracks": [s.to_dict() for s in stitches]}
        seq = replace(seq, provenance=replace(provenance, settings=settings))
    return seq


def load_pose(
    path: str | Path | int,
    *,
    max_people: int = 2,
    model: str | Path | ModelInfo | None = None,
    options: PoseOptions | None = None,
    max_frames: int | None = None,
    progress: bool = False,
    on_frame: FrameHook | None = None,
) -> PoseSequence:
    """Find and track the people in an image, a video file or a camera.

    Parameters
    ----------
    path
        An image or video path, or a camera index.
    max_people
        Most people the model looks for in a frame (ignored when ``options`` is given).
    model
        ``None`` for the built-in full model, a ``.task`` path or a name in ``models/``.
    options
        Full model settings; overrides ``max_people``.
    max_frames
        Stop after this many frames (cameras run until then).
    progress
        Show a progress bar on videos.
    on_frame
        Called with every :class:`TrackedFrame` as it is made (e.g. to draw an overlay).

    Raises
    ------
    posture.errors.InputError
        The input cannot be read.
    posture.errors.NoPersonError
        Nobody was found in any frame.
    """
    info = model if isinstance(model, ModelInfo) else resolve_model(model)
    opts = options or PoseOptions(max_people=max_people)
    source = open_source(path, max_frames=max_frames)
    try:
        return track_source(source, info, opts, progress, on_frame)
    finally:
        source.close()
