"""``posture landmarks``: landmarks.csv, landmarks.json and an annotated overlay."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posture.annotate.skeleton import draw_people, draw_timestamp
from posture.annotate.video import VideoWriter
from posture.data.sequence import PoseSequence
from posture.data.tracking import SubjectChoice, select_subject
from posture.errors import InputError
from posture.io.atomic import atomic_path, staged_folder
from posture.io.landmarks import write_landmarks_csv, write_landmarks_json
from posture.pipeline.checks import check_out_dir
from posture.pose.bundle import ModelInfo, resolve_model
from posture.pose.landmarker import PoseOptions
from posture.pose.run import TrackedFrame, track_source
from posture.sources.video import Source, SourceInfo, open_source


@dataclass(frozen=True)
class LandmarksOptions:
    """Options of ``posture landmarks``."""

    input: str
    out: Path
    max_people: int = 2
    model: str | None = None
    subject: int | None = None
    frames: int | None = None
    progress: bool = True


@dataclass(frozen=True)
class LandmarksResult:
    """What the command wrote and found."""

    sequence: PoseSequence
    subject: SubjectChoice
    files: list[Path]


class OverlayRecorder:
    """Frame hook that draws every tracked frame: into overlay.mp4 for a video,
    or keeps the single frame of an image for overlay.png."""

    def __init__(self, out: Path, info: SourceInfo, subject: int | None) -> None:
        self.subject = subject
        self.image: np.ndarray | None = None
        self.writer = None
        if info.kind != "image":
            self.writer = VideoWriter(
                out / "overlay.mp4", info.fps or 30.0, (info.width, info.height), "h264"
            )
        self.path = out / ("overlay.png" if self.writer is None else "overlay.mp4")

    def __call__(self, tracked: TrackedFrame) -> None:
        bgr = cv2.cvtColor(tracked.frame.rgb, cv2.COLOR_RGB2BGR)
        draw_people(bgr, tracked.detections.xy_px, tracked.track_ids, self.subject)
        if self.writer is None:
            self.image = bgr
            return
        draw_timestamp(bgr, tracked.frame.time_s, tracked.frame.index)
        self.writer.write(bgr)

    def finish(self) -> Path:
        """Close the video, or write the image."""
        if self.writer is not None:
            return self.writer.close()
        assert self.image is not None
        with atomic_path(self.path) as tmp:
            ok, data = cv2.imencode(".png", self.image)
            tmp.write_bytes(data.tobytes())
        return self.path

    def abort(self) -> None:
        """Drop a partial video."""
        if self.writer is not None:
            self.writer.abort()


def run_landmarks(opts: LandmarksOptions) -> LandmarksResult:
    """Detect, track and write the landmark files and the overlay.

    Everything is written into a hidden folder and moved into ``opts.out`` when complete:
    a failed run (no person, a full disk) leaves no files and no empty folder.
    """
    check_out_dir(opts.out)
    model = resolve_model(opts.model)
    source = open_source(opts.input, max_frames=opts.frames)
    try:
        with staged_folder(opts.out) as stage:
            seq, subject, overlay = _track_into(stage, source, model, opts)
            try:
                written = [
                    write_landmarks_csv(seq, stage / "landmarks.csv"),
                    write_landmarks_json(seq, stage / "landmarks.json", subject),
                    overlay.finish(),
                ]
            except BaseException:
                overlay.abort()
                raise
    finally:
        source.close()
    return LandmarksResult(seq, subject, [opts.out / path.name for path in written])


def _track_into(
    stage: Path, source: Source, model: ModelInfo, opts: LandmarksOptions
) -> tuple[PoseSequence, SubjectChoice, OverlayRecorder]:
    overlay = OverlayRecorder(stage, source.info, opts.subject)
    try:
        seq = track_source(source, model, PoseOptions(max_people=opts.max_people), opts.progress, overlay)
        return seq, choose_subject(seq, opts.subject), overlay
    except BaseException:
        overlay.abort()
        raise


def choose_subject(seq: PoseSequence, requested: int | None) -> SubjectChoice:
    """The automatic choice, or the track id the user asked for (checked)."""
    if requested is None:
        return select_subject(seq)
    if requested not in seq.track_id:
        raise InputError(
            f"--subject {requested}: no such person; track ids seen: {seq.track_id.tolist()}",
            seq.provenance.source,
        )
    return SubjectChoice(requested, "chosen with --subject")
