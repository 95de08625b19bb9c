"""Keeping what the live check captures, without losing a bit of it.

- A *burst* is a few consecutive frames saved as PNG files (lossless) in a folder
  of their own, for the standing check.
- A *recording* is a walk saved as FFV1 in AVI: lossless, and AVI keeps the
  frame times exact (frame ``i`` is at ``i / fps`` seconds), so the gait
  analysis of the file sees the very pixels and times the camera gave.

Every file appears only once it is complete (a temporary file, then a rename).
"""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np

from posture.annotate.video import VideoWriter
from posture.io.atomic import atomic_path
from posture.sources.video import Frame

#: Frames in a burst.
BURST_FRAMES = 5
#: Lossless codec and container of walk recordings.
RECORD_CODEC = "FFV1"
RECORD_SUFFIX = ".avi"
#: A camera whose measured frame rate differs from its stated one by more than this share is re-timed.
RETIME_TOLERANCE = 0.02


def next_name(folder: Path, prefix: str) -> str:
    """The first ``prefix-NNN`` after every ``prefix-NNN`` already in ``folder`` (``prefix-001`` if none)."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)")
    taken = [int(m.group(1)) for p in folder.glob(f"{prefix}-*") if (m := pattern.fullmatch(p.stem))]
    return f"{prefix}-{max(taken, default=0) + 1:03d}"


def write_png(path: Path, rgb: np.ndarray) -> Path:
    """Save an RGB ``uint8`` picture as a PNG file, atomically."""
    ok, data = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    if not ok:  # pragma: no cover - PNG encoding of uint8 pictures does not fail
        raise ValueError(f"cannot encode {path.name} as PNG")
    with atomic_path(path) as tmp:
        tmp.write_bytes(data.tobytes())
    return path


class Burst:
    """Consecutive frames collected for the standing check, saved when complete.

    Parameters
    ----------
    folder
        Where the PNG files go (created on :meth:`save`).
    size
        How many frames make the burst.
    """

    def __init__(self, folder: Path, size: int = BURST_FRAMES) -> None:
        self.folder = folder
        self.size = size
        self.frames: list[Frame] = []

    @property
    def complete(self) -> bool:
        """Whether all frames are in."""
        return len(self.frames) >= self.size

    def add(self, frame: Frame) -> None:
        """Take one more frame (ignored once complete)."""
        if not self.complete:
            self.frames.append(frame)

    def save(self) -> list[Path]:
        """Write every frame as ``frame-NNNNNN.png`` (its index in the source); return the paths."""
        return [write_png(self.folder / f"frame-{f.index:06d}.png", f.rgb) for f in self.frames]


def measured_fps(times_s: list[float]) -> float | None:
    """Frames per second from frame times (seconds), or ``None`` with fewer than two distinct times."""
    if len(times_s) < 2 or times_s[-1] <= times_s[0]:
        return None
    return (len(times_s) - 1) / (times_s[-1] - times_s[0])


class Recording:
    """A lossless walk recording, encoded on a background thread while frames arrive.

    Parameters
    ----------
    path
        The ``.avi`` file to create.
    fps
        The source's frame rate (frames per second) written into the file.
    size
        Frame (width, height) in pixels.
    live_camera
        Frames come from a camera: its stated rate is not trusted, the file is
        re-timed to the rate measured from the frame times when they disagree.
    """

    def __init__(self, path: Path, fps: float, size: tuple[int, int], live_camera: bool = False) -> None:
        self.path = path
        self.fps = fps
        self.live_camera = live_camera
        self.indices: list[int] = []
        self.times_s: list[float] = []
        self._writer = VideoWriter(path, fps, size, codec=RECORD_CODEC)

    def add(self, frame: Frame) -> None:
        """Append one frame."""
        self._writer.write(cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2BGR))
        self.indices.append(frame.index)
        self.times_s.append(frame.time_s)

    def finish(self) -> Path:
        """Close the file (re-timed for a camera if needed) and return its path."""
        path = self._writer.close()
        rate = measured_fps(self.times_s) if self.live_camera else None
        if rate is not None and abs(rate / self.fps - 1.0) > RETIME_TOLERANCE:
            retime(path, rate)
        return path

    def abort(self) -> None:
        """Drop the unfinished file."""
        self._writer.abort()


def retime(path: Path, fps: float) -> Path:
    """Rewrite a lossless recording with another frame rate (same frames, bit for bit)."""
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    writer = VideoWriter(path, fps, size, codec=RECORD_CODEC)
    try:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            writer.write(bgr)
    except BaseException:
        writer.abort()
        raise
    finally:
        cap.release()
    return writer.close()
