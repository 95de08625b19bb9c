"""One batch job, run where a worker is: analyse a clip into its own folder, return the outcome.

The outputs are written into a hidden temporary folder beside the final one and renamed
into place when complete, so a killed run never leaves a half-written report folder.
Every outcome is a plain dict (it crosses process and machine boundaries):
``key``, ``status`` (``done``/``failed``/``timeout``), ``reason``, ``out_dir``,
``document`` (the result, when done) and ``seconds``.

Run as ``python -m posture.batch.work`` it serves jobs (JSON lines on standard input,
outcomes on standard output) until its input closes: :class:`WorkerServer` keeps one
such child per worker thread, local or on a Dask worker, and ends it when a clip runs
past the time limit.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from posture.errors import PostureError
from posture.pose.landmarker import THREADS_ENV as POSE_THREADS_ENV

#: Prefix of the temporary folders; a new run removes any a killed run left behind.
WORK_PREFIX = ".work-"


FramesHook = Callable[[int], None]


def _analyse(job: dict[str, Any], out: Path, on_frames: FramesHook | None = None) -> dict[str, Any]:
    if job["kind"] == "photo":
        from posture.core.view import View
        from posture.pipeline.photo import PhotoOptions, run_photo
        from posture.standing.check import StandingSettings

        view = None if job["view"] is None else View(job["view"])
        settings = StandingSettings.from_dict(job.get("photo_settings") or {})
        document = run_photo(
            PhotoOptions(
                inputs=[job["path"]], out=out, view=view, height_cm=job["height_cm"], client=job["client"],
                settings=settings, pdf=job.get("pdf"),
            )
        )  # fmt: skip
        if on_frames is not None:
            on_frames(1)
        return document
    from posture.gait.settings import GaitSettings
    from posture.pipeline.gait import GaitOptions, run_gait

    counter = None if on_frames is None else _FrameCounter(on_frames)
    options = GaitOptions(
        input=job["path"], out=out, view=job["view"] or "auto", height_cm=job["height_cm"],
        client=job["client"], progress=False, on_frame=counter,
        settings=GaitSettings.from_dict(job.get("gait_settings") or {}), pdf=job.get("pdf"),
    )  # fmt: skip
    document = run_gait(options)
    if counter is not None:
        counter.flush()
    return document


class _FrameCounter:
    """Counts tracked frames and reports them in batches of :data:`FRAMES_EVERY`."""

    def __init__(self, report: FramesHook) -> None:
        self.report = report
        self.pending = 0

    def __call__(self, _frame: object) -> None:
        self.pending += 1
        if self.pending >= FRAMES_EVERY:
            self.flush()

    def flush(self) -> None:
        """Report the frames counted since the last report."""
        if self.pending:
            self.report(self.pending)
            self.pending = 0


def _replace_folder(tmp: Path, final: Path) -> None:
    """Move ``tmp`` to ``final``, replacing an earlier folder of the same job."""
    old = None
    if final.exists():
        old = final.with_name(f"{WORK_PREFIX}old-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def execute(job: dict[str, Any], out_dir: str, on_frames: FramesHook | None = None) -> dict[str, Any]:
    """Analyse one clip into ``out_dir``; never raises for a bad clip (the reason is returned).

    ``on_frames`` is told how many frames (video) or pictures were analysed, as they are.
    """
    start = time.perf_counter()
    final = Path(out_dir)
    tmp = final.with_name(f"{WORK_PREFIX}{final.name}-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    outcome: dict[str, Any] = {"key": job["key"], "out_dir": str(final), "document": None, "reason": None}
    try:
        document = _analyse(job, tmp, on_frames)
        _replace_folder(tmp, final)
        outcome.update(status="done", document=document)
    except PostureError as exc:
        outcome.update(status="failed", reason=str(exc.reason))
    except Exception as exc:  # noqa: BLE001 - one clip's fault must not stop the batch
        outcome.update(status="failed", reason=f"internal error: {type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    outcome["seconds"] = round(time.perf_counter() - start, 3)
    return outcome


#: Threads a worker child may use for the pose model and OpenCV (unset: their defaults).
THREADS_ENV = POSE_THREADS_ENV
#: Marks the outcome lines a worker server writes (anything else on its output is ignored).
MARK = "posture-outcome "
#: Marks the progress lines (frames analysed since the last one) a worker server writes.
FRAMES_MARK = "posture-frames "
#: A worker reports its progress every this many frames.
FRAMES_EVERY = 10


class WorkerServer:
    """A long-lived child process that runs jobs one at a time (``python -m posture.batch.work``).

    The child starts once and keeps its imports and model files warm. A job that runs
    past the time limit has its child killed (the next job starts a new one); a child
    that dies fails only its own job.
    """

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            env = dict(os.environ)
            if self.threads is not None:
                env[THREADS_ENV] = str(self.threads)
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "posture.batch.work"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=env,
            )  # fmt: skip
            self._buffer = b""
        return self._proc

    def run(
        self, job: dict[str, Any], out_dir: str, time_limit_s: float, on_frames: FramesHook | None = None
    ) -> dict[str, Any]:
        """Run one job in the child; return its outcome (``timeout``/``failed`` when the child did not).

        ``on_frames`` is called with the child's progress reports (frames analysed) as they arrive.
        """
        start = time.monotonic()
        proc = self._ensure()
        assert proc.stdin is not None
        try:
            proc.stdin.write((json.dumps({"job": job, "out_dir": out_dir}) + "\n").encode())
            proc.stdin.flush()
        except OSError:
            self.close()
            return failed_outcome(job, out_dir, "worker process could not be started")
        line = self._read_outcome(start + time_limit_s, on_frames)
        if line is None:
            self.close()
            return timeout_outcome(job, out_dir, time_limit_s, time.monotonic() - start)
        if line == "":
            code = proc.wait()
            self._proc = None
            return failed_outcome(job, out_dir, f"worker process died (exit code {code})")
        return dict(json.loads(line))

    def _read_outcome(self, deadline: float, on_frames: FramesHook | None = None) -> str | None:
        """The next outcome line; ``""`` when the child ended, ``None`` at the deadline."""
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                text = line.decode("utf-8", "replace")
                if text.startswith(MARK):
                    return text[len(MARK) :]
                frames = text[len(FRAMES_MARK) :] if text.startswith(FRAMES_MARK) else ""
                if on_frames is not None and frames.isdigit():
                    on_frames(int(frames))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return ""
            self._buffer += chunk

    def close(self) -> None:
        """End the child (killing it if it is busy)."""
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            self._proc = None


_SERVERS = threading.local()


def execute_with_limit(job: dict[str, Any], out_dir: str, time_limit_s: float) -> dict[str, Any]:
    """Run a job in this thread's own :class:`WorkerServer` (started on first use, one model thread)."""
    server = getattr(_SERVERS, "server", None)
    if server is None:
        # A Dask host may run several workers; one model thread each is MediaPipe's own default.
        server = _SERVERS.server = WorkerServer(threads=1)
    return server.run(job, out_dir, time_limit_s)


def timeout_outcome(job: dict[str, Any], out_dir: str, limit: float, seconds: float) -> dict[str, Any]:
    """The outcome of a clip stopped at its time limit."""
    return {
        "key": job["key"], "status": "timeout", "reason": f"stopped at the time limit of {limit:g} s",
        "out_dir": out_dir, "document": None, "seconds": round(seconds, 3),
    }  # fmt: skip


def failed_outcome(job: dict[str, Any], out_dir: str, reason: str) -> dict[str, Any]:
    """The outcome of a clip whose worker failed."""
    return {"key": job["key"], "status": "failed", "reason": reason, "out_dir": out_dir, "document": None,
            "seconds": None}  # fmt: skip


def _serve() -> int:
    """Read jobs (JSON lines) on standard input until it closes; write each outcome as a marked line."""
    if os.environ.get(THREADS_ENV):
        import cv2

        cv2.setNumThreads(int(os.environ[THREADS_ENV]))
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything else printed goes to the error stream, never among the outcomes

    def report(frames: int) -> None:
        out.write(f"{FRAMES_MARK}{frames}\n")
        out.flush()

    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            out.write(MARK + json.dumps(execute(request["job"], request["out_dir"], report)) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover - run by WorkerServer
    sys.exit(_serve())
