"""Streaming frames from video files and cameras.

Frames are decoded one at a time (files a few frames ahead, on a background
thread), so memory does not grow with clip length.
Times come from the container's presentation timestamps (phones record with a
variable frame rate), and rotation metadata is applied so frames are upright.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import cv2
import numpy as np

from posture.errors import InputError
from posture.io.stderr import native_stderr_silenced
from posture.sources.image import IMAGE_SUFFIXES, check_file, check_frame_size, read_image
from posture.sources.prefetch import Prefetcher

_T = TypeVar("_T")
#: Frames a video file is decoded ahead of its consumer (bounded: memory stays flat).
PREFETCH_FRAMES = 4
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mpg", ".mpeg"})


@dataclass(frozen=True)
class Frame:
    """One decoded frame.

    Attributes
    ----------
    index
        Position of the frame in its source, from 0.
    time_s
        Presentation time in seconds from the start of the source.
    rgb
        Upright RGB ``uint8`` pixels, shape (height, width, 3).
    """

    index: int
    time_s: float
    rgb: np.ndarray


@dataclass(frozen=True)
class SourceInfo:
    """What a source is: its path or camera, kind, size and nominal frame rate."""

    name: str
    kind: str  # "image", "video" or "camera"
    width: int
    height: int
    fps: float | None
    n_frames: int | None
    rotation_deg: int = 0


class ImageSource:
    """A still image as a one-frame source."""

    def __init__(self, path: Path) -> None:
        self.rgb = read_image(path)
        height, width = self.rgb.shape[:2]
        self.info = SourceInfo(str(path), "image", width, height, None, 1)

    def __iter__(self) -> Iterator[Frame]:
        yield Frame(0, 0.0, self.rgb)

    def close(self) -> None:
        """Nothing to release for an image."""


def _frame_time(raw_ms: float, index: int, fps: float, last_s: float | None) -> float:
    """Return frame ``index``'s time in seconds, strictly after ``last_s``.

    ``raw_ms`` is the decoder's presentation time; where the container gives
    none (0 after the first frame) the nominal ``index / fps`` is used.
    """
    t = raw_ms / 1000.0 if raw_ms > 0 else index / fps
    if last_s is not None and t <= last_s:
        t = last_s + 1e-3
    return t


class VideoSource:
    """A video file or a camera, decoded frame by frame with OpenCV.

    Parameters
    ----------
    spec
        A path to a video file, or an integer camera index.
    max_frames
        Stop after this many frames (useful for cameras); ``None`` reads all.
    """

    def __init__(self, spec: Path | int, max_frames: int | None = None) -> None:
        self.spec: str | int = spec if isinstance(spec, int) else str(spec)
        self.max_frames = max_frames
        self.is_camera = isinstance(spec, int)
        if not self.is_camera:
            check_file(Path(str(self.spec)))
        self.cap = self._open()
        self.info = self._probe()
        self._reader: Prefetcher[Any] | None = None

    def _open(self) -> cv2.VideoCapture:
        with native_stderr_silenced():  # FFmpeg prints its own complaints; ours name the file
            if self.is_camera:
                cap = cv2.VideoCapture(int(self.spec))
            else:
                cap = cv2.VideoCapture(str(self.spec), cv2.CAP_FFMPEG)
        if not cap.isOpened():
            cap.release()
            if self.is_camera:
                raise InputError(
                    f"camera {self.spec} cannot be opened; cameras found: {list_cameras() or 'none'}"
                )
            raise InputError("not a readable video (expected MP4, MOV, AVI, MKV or WebM)", str(self.spec))
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
        return cap

    def _probe(self) -> SourceInfo:
        fps = float(self.cap.get(cv2.CAP_PROP_FPS) or 0.0)
        count = int(self.cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        width = int(self.cap.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(self.cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        # With ORIENTATION_AUTO the reported size is already that of the upright frames.
        rotation = int(self.cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0) % 360
        if width <= 0 or height <= 0:
            raise InputError("the video has no picture stream", str(self.spec))
        if not self.is_camera:
            check_frame_size(str(self.spec), width, height)
        name = f"camera:{self.spec}" if self.is_camera else str(self.spec)
        kind = "camera" if self.is_camera else "video"
        return SourceInfo(
            name, kind, width, height, fps if fps > 0 else None, count if count > 0 else None, rotation
        )

    def __iter__(self) -> Iterator[Frame]:
        """Frames in order; a file is decoded a few frames ahead on a background thread."""
        return self._read_ahead(self._decode())

    def iter_bgr(self) -> Iterator[np.ndarray]:
        """The frames as OpenCV decodes them: upright BGR ``uint8``, no colour conversion.

        For a consumer that draws and encodes with OpenCV (the overlay), which would
        otherwise turn each RGB frame straight back into BGR. A file is decoded a few
        frames ahead on a background thread.
        """
        return self._read_ahead(bgr for _, _, bgr in self._decode_bgr())

    def iter_selected(self, keep: Callable[[int], bool]) -> Iterator[tuple[int, float, np.ndarray | None]]:
        """Every frame's ``(index, time_s, rgb)``, the pixels (upright RGB) only where ``keep(index)``.

        The other frames are only grabbed (decoded, no colour conversion): a pass that
        looks at some frames still learns every frame's time. Decoded ahead like
        :meth:`__iter__`.
        """
        return self._read_ahead(self._decode_selected(keep))

    def _decode_selected(self, keep: Callable[[int], bool]) -> Iterator[tuple[int, float, np.ndarray | None]]:
        for index, t, bgr in self._decode_bgr(keep):
            yield index, t, None if bgr is None else cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def _read_ahead(self, frames: Iterator[_T]) -> Iterator[_T]:
        if self.is_camera:  # a camera's frames are timed as they are read: no reading ahead
            yield from frames
            return
        reader = Prefetcher(frames, depth=PREFETCH_FRAMES)
        self._reader = reader
        yield from reader

    def _decode(self) -> Iterator[Frame]:
        for index, t, bgr in self._decode_bgr():
            yield Frame(index, t, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))

    def _decode_bgr(self, keep: Callable[[int], bool] | None = None) -> Iterator[tuple[int, float, Any]]:
        """``(index, time_s, bgr)`` of every frame; ``bgr`` is None where ``keep`` says no (only grabbed)."""
        fps = self.info.fps or 30.0
        last: float | None = None
        start = time.monotonic()
        index = 0
        while self.max_frames is None or index < self.max_frames:
            if keep is None or keep(index):
                ok, bgr = self.cap.read()
                ok = ok and bgr is not None
            else:
                ok, bgr = self.cap.grab(), None
            if not ok:
                break
            if self.is_camera:
                t = time.monotonic() - start
            else:
                t = _frame_time(self.cap.get(cv2.CAP_PROP_POS_MSEC), index, fps, last)
            last = t
            yield index, t, bgr
            index += 1
        if index == 0:
            raise InputError("the video has no decodable frames", str(self.spec))

    def close(self) -> None:
        """Release the decoder or camera (after stopping any reading ahead)."""
        if self._reader is not None:
            self._reader.close()
        self.cap.release()


#: Highest frame rate taken as real, frames per second (phones film slow motion at up to 240 fps).
MAX_FPS = 300.0
#: Lowest frame rate taken as real (a time-lapse cannot time steps; a header of 0 fps is broken).
MIN_FPS = 1.0
#: An interval between frames is a gap when it is this many frame intervals or more ...
GAP_FACTOR = 1.5
#: ... and at least this long, in seconds (a heel strike and its foot flat are about 0.1 s apart).
GAP_MIN_S = 0.1
#: A clip whose gaps add up to more than this share of its duration is refused.
MAX_GAP_SHARE = 0.15
#: An interval is irregular when it differs from the median of its 7 neighbours by more than this share.
IRREGULAR_BY = 0.4
#: A clip with more irregular intervals than this share is refused: frames dropped here and there (the
#: walking sample with every third frame dropped gave 76 instead of 108 steps/min and false asymmetries).
MAX_IRREGULAR_SHARE = 0.1


@dataclass(frozen=True)
class FrameTiming:
    """How a clip's frames are spaced in time, from its presentation timestamps.

    Attributes
    ----------
    n_frames
        Frames decoded.
    duration_s
        Time from the first frame to the last, seconds.
    header_fps
        The frame rate the container's header states (``None`` when it states none).
    fps
        Frames per second from the timestamps (1 / the median interval; ``None`` below 2 frames).
    interval_s
        The clip's frame interval, seconds: a low percentile of the intervals (jitter aside).
    gap_share
        Share (0..1) of the duration that lies in gaps: intervals of :data:`GAP_FACTOR` frame
        intervals or more and at least :data:`GAP_MIN_S` long, where frames are missing.
    longest_gap_s
        The longest interval between two frames, seconds.
    irregular_share
        Share (0..1) of the intervals that differ from the median of their neighbours by more
        than :data:`IRREGULAR_BY` (frames dropped here and there; jitter stays below it).
    """

    n_frames: int
    duration_s: float
    header_fps: float | None
    fps: float | None
    interval_s: float | None
    gap_share: float
    longest_gap_s: float
    irregular_share: float = 0.0


def frame_times(path: str | Path) -> np.ndarray:
    """Every frame's presentation time in seconds, without converting the pictures (a fast pass)."""
    source = VideoSource(Path(path))
    try:
        fps = source.info.fps or 30.0
        times: list[float] = []
        last: float | None = None
        while source.cap.grab():
            last = _frame_time(source.cap.get(cv2.CAP_PROP_POS_MSEC), len(times), fps, last)
            times.append(last)
        return np.asarray(times, dtype=np.float64)
    finally:
        source.close()


def frame_timing(time_s: np.ndarray, header_fps: float | None) -> FrameTiming:
    """Describe the spacing of frames at ``time_s`` (seconds, increasing); see :class:`FrameTiming`."""
    dt = np.diff(np.asarray(time_s, dtype=np.float64))
    if dt.size == 0:
        return FrameTiming(len(time_s), 0.0, header_fps, None, None, 0.0, 0.0)
    duration = float(time_s[-1] - time_s[0])
    interval = float(np.percentile(dt, 10))
    gaps = dt[(dt >= GAP_FACTOR * interval) & (dt >= GAP_MIN_S)]
    share = float(gaps.sum() / duration) if duration > 0 else 0.0
    median = float(np.median(dt))
    fps = 1.0 / median if median > 0 else None
    irregular = _irregular_share(dt)
    return FrameTiming(len(time_s), duration, header_fps, fps, interval, share, float(dt.max()), irregular)


def _irregular_share(dt: np.ndarray, half: int = 3) -> float:
    """Share of the intervals ``dt`` off their neighbourhood's median by over :data:`IRREGULAR_BY`."""
    padded = np.pad(dt, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    local = np.median(windows, axis=1)
    return float(np.mean(np.abs(dt - local) > IRREGULAR_BY * local))


def check_frame_timing(timing: FrameTiming, name: str | Path) -> None:
    """Refuse a clip whose timestamps cannot time a walk: an implausible frame rate, or many missing frames.

    Raises
    ------
    InputError
        The header's or the timestamps' frame rate is outside :data:`MIN_FPS` .. :data:`MAX_FPS` (a
        wrong header makes a walk last a fraction of a second, or a broken one decodes one frame),
        or gaps cover more than :data:`MAX_GAP_SHARE` of the clip (events there could be timed only
        to within the gap: a false asymmetry), or more than :data:`MAX_IRREGULAR_SHARE` of the
        intervals are irregular (frames dropped here and there gave a wrong cadence and false
        asymmetries on the walking sample).
    """
    for what, fps in (("the header states", timing.header_fps), ("its timestamps give", timing.fps)):
        if fps is not None and not MIN_FPS <= fps <= MAX_FPS:
            raise InputError(
                f"implausible frame rate: {what} {fps:.3g} frames per second (expected {MIN_FPS:g}-"
                f"{MAX_FPS:g}), so {timing.n_frames} frame(s) last {timing.duration_s:.2f} s; the "
                "frame-rate header is probably wrong: re-encode the clip with its real frame rate",
                name,
            )
    if timing.n_frames == 0:
        raise InputError("the video has no decodable frames", name)
    if timing.n_frames == 1:
        raise InputError("the clip has a single frame; a walk needs a video of a second or more", name)
    if timing.gap_share > MAX_GAP_SHARE:
        interval_ms = 1000 * (timing.interval_s or 0.0)
        raise InputError(
            f"frames are missing: {100 * timing.gap_share:.0f}% of the clip lies in gaps of up to "
            f"{1000 * timing.longest_gap_s:.0f} ms (frame interval {interval_ms:.0f} ms), too many to time "
            "steps from; record at a constant frame rate",
            name,
        )
    if timing.irregular_share > MAX_IRREGULAR_SHARE:
        raise InputError(
            f"frames are missing here and there: {100 * timing.irregular_share:.0f}% of the intervals "
            f"between frames are irregular (frame interval {1000 * (timing.interval_s or 0.0):.0f} ms), "
            "which makes step timing unreliable; record at a constant frame rate",
            name,
        )


def list_cameras(max_index: int = 4) -> list[int]:
    """Return the camera indices that open, probing 0 .. ``max_index - 1``."""
    found = []
    with native_stderr_silenced():  # OpenCV warns about every index that does not open
        for index in range(max_index):
            cap = cv2.VideoCapture(index)
            if cap.isOpened():
                found.append(index)
            cap.release()
    return found


Source = ImageSource | VideoSource


def open_source(spec: str | Path | int, max_frames: int | None = None) -> Source:
    """Open an image, a video file or a camera index as a stream of :class:`Frame`.

    A string of digits that is not an existing file is taken as a camera index.
    The kind of a file is decided by its suffix; an unknown suffix is tried as
    an image and then as a video.
    """
    if isinstance(spec, int) or (isinstance(spec, str) and spec.isdigit() and not Path(spec).exists()):
        return VideoSource(int(spec), max_frames=max_frames)
    path = Path(spec)
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return ImageSource(path)
    if suffix in VIDEO_SUFFIXES:
        return VideoSource(path, max_frames=max_frames)
    check_file(path)
    try:
        return ImageSource(path)
    except InputError:
        try:
            return VideoSource(path, max_frames=max_frames)
        except InputError as exc:
            raise InputError(
                "neither a readable image nor a readable video "
                f"(suffix {suffix or 'none'!r}; expected e.g. .jpg, .png, .mp4, .mov)",
                path,
            ) from exc
