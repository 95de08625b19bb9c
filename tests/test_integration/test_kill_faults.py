"""``posture photo --client`` and ``posture gait --client`` killed (SIGKILL) at random moments.

After every kill the history database passes ``PRAGMA integrity_check`` and holds no partial
session (a session is there whole, with its measures and its report, or not at all), and the
output folder holds no half-written file under a final name. A run after the kills completes,
stores exactly one session and clears what the killed runs left in hidden folders.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from posture.pipeline.gait_files import ANGLE_FILES, OUTPUT_FILES
from posture.pipeline.photo_files import OUTPUT_FILES as PHOTO_FILES

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
COMMANDS = {
    "photo": (SAMPLES / "stand_front_hipdrop.png", PHOTO_FILES, []),
    "gait": (SAMPLES / "walk_side.mp4", OUTPUT_FILES + ANGLE_FILES, ["--no-progress"]),
}


def _argv(command: str, source: Path, folder: Path) -> list[str]:
    extra = COMMANDS[command][2]
    return [sys.executable, "-m", "posture.cli", command, str(source), "--client", "Ann",
            "--db", str(folder / "h.db"), "--out", str(folder / "out"), *extra]  # fmt: skip


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _staging_seen(folder: Path) -> bool:
    return any(".partial-" in p.name for p in (*folder.iterdir(), *_children(folder / "out")))


def _children(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.is_dir() else []


def _kill(proc: subprocess.Popen[bytes], folder: Path, rng: np.random.Generator, mode: str) -> None:
    """Kill at a random moment of the first seconds (start-up, model), or (``writing``) at a random
    moment after the outputs began to be written."""
    if mode == "writing":
        deadline = time.monotonic() + 1200
        while proc.poll() is None and not _staging_seen(folder) and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(float(rng.uniform(0.0, 0.4)))
    else:
        time.sleep(float(rng.uniform(0.3, 6.0)))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def _check_database(db: Path) -> int:
    """Integrity and no partial session; return the number of sessions."""
    if not db.exists():
        return 0
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sessions = con.execute("SELECT id, report_path FROM sessions").fetchall()
        for session_id, report in sessions:
            n = con.execute("SELECT COUNT(*) FROM measures WHERE session_id = ?", (session_id,)).fetchone()[0]
            assert n > 0, "a session without its measures"
            assert Path(report).is_file(), "a session links to a report that is not there"
        return len(sessions)
    finally:
        con.close()


def _check_file(path: Path) -> None:
    """A file under its final name is whole."""
    if path.suffix == ".json":
        json.loads(path.read_text())
    elif path.suffix == ".html":
        assert path.read_text().rstrip().endswith("</html>"), path
    elif path.suffix == ".png":
        assert cv2.imread(str(path)) is not None, path
    elif path.suffix == ".mp4":
        cap = cv2.VideoCapture(str(path))
        assert cap.isOpened() and cap.get(cv2.CAP_PROP_FRAME_COUNT) > 0, path
        cap.release()
    elif path.suffix == ".csv":
        assert path.read_text().startswith(("side,", "time_s,", "angle,")), path


def _check_outputs(out: Path, names: tuple[str, ...]) -> None:
    visible = sorted(p.name for p in _children(out) if not p.name.startswith("."))
    assert visible in ([], sorted(names)), f"a partial set of outputs: {visible}"
    for name in visible:
        _check_file(out / name)


KILLS = {"photo": ("time", "writing", "time", "writing"), "gait": ("time", "writing")}


@pytest.mark.slow
@pytest.mark.parametrize("command", ["photo", "gait"])
def test_killed_at_random_moments_the_history_and_the_outputs_stay_whole(command, tmp_path):
    source, names, _ = COMMANDS[command]
    rng = np.random.default_rng(2026)
    for mode in KILLS[command]:
        _kill(_start(_argv(command, source, tmp_path)), tmp_path, rng, mode)
        assert _check_database(tmp_path / "h.db") <= 1
        _check_outputs(tmp_path / "out", names)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(_argv(command, source, tmp_path), env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert _check_database(tmp_path / "h.db") == 1
    _check_outputs(tmp_path / "out", names)
    assert sorted(p.name for p in _children(tmp_path / "out")) == sorted(names), "the killed runs' leftovers"
    assert not [p.name for p in _children(tmp_path) if ".partial-" in p.name]
