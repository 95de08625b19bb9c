"""Writing annotated videos frame by frame (atomically: temp file, then rename)."""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
from pathlib import Path

import cv2
import numpy as np

from posture.errors import PostureError
from posture.io.atomic import OutputError, write_error
from posture.io.stderr import native_stderr_silenced

#: Free space (bytes) below which a video that did not come out whole is put down to a full disk.
LOW_SPACE = 4 << 20


class VideoWriter:
    """A video writer (MP4 by default) that creates its file only when closed successfully.

    Frames are BGR ``uint8`` of the size given at construction; ``codec`` is a
    FourCC the container of ``path`` accepts (``"FFV1"`` in ``.avi`` is lossless), or
    ``"h264"``: H.264 in MP4 through PyAV's own FFmpeg and libx264, the video that plays
    in every browser (OpenCV's wheels have no H.264 encoder). Encoding runs on a
    background thread (OpenCV and FFmpeg release the GIL), so it overlaps with the
    drawing instead of adding to it; the queue is bounded, so memory stays flat.
    """

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int], codec: str = "mp4v") -> None:
        self.path = Path(path)
        suffix = self.path.suffix or ".mp4"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}.", suffix=suffix)
        except OSError as exc:
            raise write_error(exc, self.path) from exc
        os.close(fd)
        self._tmp = Path(tmp)
        self.size = size
        self._writer: cv2.VideoWriter | _H264Writer
        if codec == "h264":
            self._writer = _H264Writer(self._tmp, float(fps or 30.0), size)
        else:
            self._writer = cv2.VideoWriter(
                str(self._tmp), cv2.VideoWriter.fourcc(*codec), float(fps or 30.0), size
            )
        if not self._writer.isOpened():
            self._tmp.unlink(missing_ok=True)
            if shutil.disk_usage(self.path.parent).free < LOW_SPACE:
                raise OutputError(f"disk full while writing {self.path.name}; nothing was written", self.path)
            raise PostureError(
                f"cannot open a {suffix} video writer (OpenCV has no {codec} encoder)", self.path
            )
        self.frames = 0
        self._finished = False
        #: What stopped the encoder (a full disk under FFmpeg): the file is refused at close.
        self._error: Exception | None = None
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=8)
        self._thread = threading.Thread(target=self._encode, daemon=True)
        self._thread.start()

    def _encode(self) -> None:
        while (frame := self._queue.get()) is not None:
            if self._error is not None:
                continue  # keep taking frames, so that write() never blocks on a stopped encoder
            try:
                self._writer.write(frame)
            except Exception as exc:  # noqa: BLE001  (FFmpeg's errors: reported at close)
                self._error = exc

    def write(self, bgr: np.ndarray) -> None:
        """Append one frame (resized if it differs from the writer's size)."""
        if (bgr.shape[1], bgr.shape[0]) != self.size:
            bgr = cv2.resize(bgr, self.size, interpolation=cv2.INTER_AREA)
        self._queue.put(bgr)
        self.frames += 1

    def _finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        self._queue.put(None)
        self._thread.join()
        try:
            self._writer.release()
        except Exception as exc:  # noqa: BLE001  (flushing the encoder can meet the full disk too)
            self._error = self._error or exc

    def close(self) -> Path:
        """Finish the file, check that every frame is in it, and move it into place.

        Raises
        ------
        OutputError
            The encoder could not write the whole video (a full disk, an I/O error);
            the partial file is removed.
        """
        self._finish()
        try:
            if self._error is not None:
                raise self._failure(self._error)
            self._check_complete()
            os.chmod(self._tmp, 0o644)
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self._tmp.unlink(missing_ok=True)
            raise write_error(exc, self.path) from exc
        except OutputError:
            self._tmp.unlink(missing_ok=True)
            raise
        return self.path

    def _failure(self, exc: Exception) -> OutputError:
        """The one-line error for an encoder that stopped: a full disk, or what the OS said."""
        if shutil.disk_usage(self._tmp.parent).free < LOW_SPACE:
            return OutputError(f"disk full while writing {self.path.name}; nothing was written", self.path)
        if isinstance(exc, OSError):
            return write_error(exc, self.path)
        return OutputError(f"cannot write {self.path.name} ({exc}); nothing was written", self.path)

    def _check_complete(self) -> None:
        """OpenCV's encoder does not report failed writes: read the finished file's frame count back."""
        if self.frames == 0:
            return
        with native_stderr_silenced():
            cap = cv2.VideoCapture(str(self._tmp), cv2.CAP_FFMPEG)
            count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0) if cap.isOpened() else 0
            cap.release()
        if count >= self.frames:
            return
        if shutil.disk_usage(self._tmp.parent).free < LOW_SPACE:
            raise OutputError(f"disk full while writing {self.path.name}; nothing was written", self.path)
        raise OutputError(
            f"the video came out incomplete ({count} of {self.frames} frames); nothing was written", self.path
        )

    def abort(self) -> None:
        """Drop the partial file."""
        self._finish()
        self._tmp.unlink(missing_ok=True)


class _H264Writer:
    """H.264 (libx264, yuv420p, ``+faststart`` for streaming) in MP4 through PyAV, with the
    ``isOpened`` / ``write`` / ``release`` calls of :class:`cv2.VideoWriter`."""

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        from fractions import Fraction

        import av

        self._container = None
        try:
            self._container = av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})
            self._stream = self._container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
            self._stream.width, self._stream.height = size[0] - size[0] % 2, size[1] - size[1] % 2
            self._stream.pix_fmt = "yuv420p"
            self._stream.options = {"preset": "superfast", "crf": "23"}
        except (OSError, av.FFmpegError):
            self._container = None
        self._even = (self._stream.width, self._stream.height) if self._container is not None else size

    def isOpened(self) -> bool:  # noqa: N802  (the cv2.VideoWriter call)
        return self._container is not None

    def write(self, bgr: np.ndarray) -> None:
        import av

        if self._container is None:
            return
        even = np.ascontiguousarray(bgr[: self._even[1], : self._even[0]])
        # OpenCV's BT.601 conversion (limited range, as libswscale's, within one level) costs a
        # ninth of swscale's here: 0.4 against 3.6 ms a frame at 1768x994.
        yuv = np.asarray(cv2.cvtColor(even, cv2.COLOR_BGR2YUV_I420), dtype=np.uint8)
        for packet in self._stream.encode(av.VideoFrame.from_ndarray(yuv, "yuv420p")):
            self._container.mux(packet)

    def release(self) -> None:
        if self._container is None:
            return
        container, self._container = self._container, None
        try:
            for packet in self._stream.encode():
                container.mux(packet)
        finally:
            container.close()
