"""One batch job, run where a worker is: analyse a clip into its own folder, return the outcome.

The outputs are written into a hidden temporary folder beside the final one and renamed
into place when complete, so a killed run never leaves a half-written report folder.
Every outcome is a plain dict (it crosses process and machine boundaries):
``key``, ``status`` (``done``/``failed``/``timeout``), ``reason``, ``out_dir``,
``document`` (the result, when done) and ``seconds``.

Run as ``python -m posture.batch.work`` it reads one job (JSON) on standard input and
writes its outcome (JSON) on standard output; the Dask backend uses this to enforce
the per-clip time limit by ending the process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from posture.errors import PostureError

#: Prefix of the temporary folders; a new run removes any a killed run left behind.
WORK_PREFIX = ".work-"


def _analyse(job: dict[str, Any], out: Path) -> dict[str, Any]:
    if job["kind"] == "photo":
        from posture.commands.photo import PhotoOptions, run_photo
        from posture.measures.photo import View

        view = None if job["view"] is None else View(job["view"])
        return run_photo(
            PhotoOptions(
                inputs=[job["path"]], out=out, view=view, height_cm=job["height_cm"], client=job["client"]
            )
        )
    from posture.commands.gait import GaitOptions, run_gait

    options = GaitOptions(
        input=job["path"], out=out, view=job["view"] or "auto", height_cm=job["height_cm"],
        client=job["client"], progress=False,
    )  # fmt: skip
    return run_gait(options)


def _replace_folder(tmp: Path, final: Path) -> None:
    """Move ``tmp`` to ``final``, replacing an earlier folder of the same job."""
    old = None
    if final.exists():
        old = final.with_name(f"{WORK_PREFIX}old-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(tmp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def execute(job: dict[str, Any], out_dir: str) -> dict[str, Any]:
    """Analyse one clip into ``out_dir``; never raises for a bad clip (the reason is returned)."""
    start = time.perf_counter()
    final = Path(out_dir)
    tmp = final.with_name(f"{WORK_PREFIX}{final.name}-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    outcome: dict[str, Any] = {"key": job["key"], "out_dir": str(final), "document": None, "reason": None}
    try:
        document = _analyse(job, tmp)
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


def execute_in_subprocess(job: dict[str, Any], out_dir: str, time_limit_s: float) -> dict[str, Any]:
    """:func:`execute` in a child process that is ended after ``time_limit_s`` seconds."""
    start = time.perf_counter()
    request = json.dumps({"job": job, "out_dir": out_dir})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "posture.batch.work"], input=request, capture_output=True, text=True,
            timeout=time_limit_s, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return timeout_outcome(job, out_dir, time_limit_s, time.perf_counter() - start)
    if done.returncode != 0 or not done.stdout.strip():
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return failed_outcome(job, out_dir, f"worker process ended with code {done.returncode}: {tail[0]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


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


def _main() -> int:
    request = json.loads(sys.stdin.read())
    outcome = execute(request["job"], request["out_dir"])
    sys.stdout.write("\n" + json.dumps(outcome) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover - run by execute_in_subprocess
    sys.exit(_main())
