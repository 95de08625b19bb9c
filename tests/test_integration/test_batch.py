"""``posture batch`` on real clips: process pool, Dask, one process; kill and resume; bad files."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from posture.cli import main
from posture.history.db import HistoryDB
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


def _folder(root: Path, with_walk: bool = True) -> Path:
    (root / "Ann").mkdir(parents=True)
    (root / "Bob").mkdir()
    shutil.copy(SAMPLES / "stand_front_hipdrop.png", root / "Ann")
    shutil.copy(SAMPLES / "stand_back_level.png", root / "Bob")
    shutil.copy(SAMPLES / "stand_side_tilt.png", root)  # no client: analysed, not stored
    (root / "Bob" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (root / "notes.txt").write_text("appointments")
    if with_walk:
        shutil.copy(SAMPLES / "walk_side.mp4", root / "Ann")
    return root


def _stored(db_path: Path) -> dict[tuple[str, str, str, str | None], float]:
    with HistoryDB(db_path) as db:
        rows = db.execute(
            "SELECT c.name, s.kind, m.name AS measure, m.side, m.value FROM measures m"
            " JOIN sessions s ON s.id = m.session_id JOIN clients c ON c.id = s.client_id"
        )
        return {(r["name"], r["kind"], r["measure"], r["side"]): r["value"] for r in rows}


@pytest.fixture(scope="module")
def week(tmp_path_factory):
    return _folder(tmp_path_factory.mktemp("week"))


@pytest.fixture(scope="module")
def single(week, tmp_path_factory):
    """The reference: one worker process."""
    out = tmp_path_factory.mktemp("single")
    code = main(["batch", str(week), "--workers", "1", "--out", str(out), "--db", str(out / "h.sqlite"),
                 "--no-progress", "--pdf"])  # fmt: skip
    return code, out


def test_batch_isolates_the_bad_file_and_finishes_the_rest(single, capsys):
    code, out = single
    assert code == 1  # one clip failed
    summary = (out / "summary.csv").read_text().splitlines()
    status = {line.split(",")[3].rsplit("/", 1)[-1]: line.split(",")[0] for line in summary[1:]}
    assert status == {
        "stand_front_hipdrop.png": "done", "walk_side.mp4": "done", "broken.jpg": "failed",
        "stand_back_level.png": "done", "stand_side_tilt.png": "done", "notes.txt": "ignored",
    }  # fmt: skip
    assert "damaged or truncated" in (out / "summary.csv").read_text()
    index = (out / "index.html").read_text()
    assert index.count('">report</a>') == 4
    assert index.count('">PDF</a>') == 4 and len(list(out.rglob("report.pdf"))) == 4
    for link in ("Ann/history.html", "Bob/history.html"):
        assert f'href="{link}"' in index and (out / link).is_file()
    with HistoryDB(out / "h.sqlite") as db:
        assert [(c.name, c.sessions) for c in db.clients()] == [("Ann", 2), ("Bob", 1)]
        assert db.integrity_check() == "ok"


def test_process_pool_and_dask_give_the_same_results_as_one_process(week, single, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, reference = single
    expected = _stored(reference / "h.sqlite")
    assert len(expected) > 30
    pool = tmp_path / "pool"
    assert main(["batch", str(week), "--workers", "2", "--out", str(pool), "--db", str(pool / "h.sqlite"),
                 "--no-progress"]) == 1  # fmt: skip
    assert _stored(pool / "h.sqlite") == expected
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    try:
        dask = tmp_path / "dask"
        code = main(["batch", str(week), "--scheduler", cluster.scheduler_address, "--out", str(dask),
                     "--db", str(dask / "h.sqlite"), "--no-progress"])  # fmt: skip
    finally:
        cluster.close()
    assert code == 1
    assert _stored(dask / "h.sqlite") == expected


def test_a_second_run_skips_what_is_done_and_retries_the_failure(week, single, capsys):
    _, out = single
    capsys.readouterr()
    args = ["batch", str(week), "--out", str(out), "--db", str(out / "h.sqlite"), "--no-progress", "--pdf"]
    assert main(args) == 1
    printed = capsys.readouterr().out
    assert "0 done, 4 skipped, 1 failed" in printed
    with HistoryDB(out / "h.sqlite") as db:
        assert sum(c.sessions for c in db.clients()) == 3  # nothing stored twice


def _done_count(db_path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT COUNT(*) FROM batch_jobs WHERE status = 'done'").fetchone()[0])
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def test_a_batch_killed_mid_run_resumes_and_stores_every_clip_once(tmp_path):
    folder = tmp_path / "clients"
    names = [f"Client {k}" for k in range(6)]
    for name, sample in zip(
        names, ["stand_front_hipdrop", "stand_back_level", "stand_side_tilt"] * 2, strict=True
    ):
        (folder / name).mkdir(parents=True)
        shutil.copy(SAMPLES / f"{sample}.png", folder / name / f"{sample}.png")
    out, db = tmp_path / "out", tmp_path / "h.sqlite"
    args = [sys.executable, "-m", "posture.cli", "batch", str(folder), "--workers", "2", "--out", str(out),
            "--db", str(db), "--no-progress"]  # fmt: skip
    run = subprocess.Popen(args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _done_count(db) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert run.poll() is None, "the batch finished before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    killed_at = _done_count(db)
    assert 2 <= killed_at < 6
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{6 - killed_at} done, {killed_at} skipped, 0 failed" in done.stdout
    with HistoryDB(db) as history:
        assert history.integrity_check() == "ok"
        assert [(c.name, c.sessions) for c in history.clients()] == [(n, 1) for n in names]
        assert history.execute("SELECT COUNT(*) FROM batch_jobs WHERE status = 'done'")[0][0] == 6
    assert not list(out.glob("*/.work-*"))
    reports = list(out.glob("*/*/report.html"))
    assert len(reports) == 6 and all(r.read_text().rstrip().endswith("</html>") for r in reports)


def test_a_clip_over_the_time_limit_is_stopped_and_reported(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "walk_side.mp4", folder)
    out = tmp_path / "out"
    code = main(["batch", str(folder), "--workers", "1", "--time-limit", "1.5", "--out", str(out),
                 "--db", str(tmp_path / "h.sqlite"), "--no-progress"])  # fmt: skip
    assert code == 1
    row = (out / "summary.csv").read_text().splitlines()[1]
    assert row.startswith("timeout,") and "time limit of 1.5 s" in row
    assert not list(out.rglob("report.html"))


def test_a_worker_reports_every_frame_it_analyses(tmp_path):
    from posture.batch.plan import plan
    from posture.batch.work import WorkerServer

    (tmp_path / "in").mkdir()
    shutil.copy(SAMPLES / "walk_side.mp4", tmp_path / "in")
    shutil.copy(SAMPLES / "stand_back_level.png", tmp_path / "in")
    jobs, _ = plan(str(tmp_path / "in"))
    frames: list[int] = []
    server = WorkerServer(threads=1)
    try:
        for job in jobs:
            outcome = server.run(
                {**job.to_dict(), "key": job.key}, str(tmp_path / job.kind), 300, frames.append
            )
            assert outcome["status"] == "done", outcome["reason"]
    finally:
        server.close()
    assert sum(frames) == 133 + 1  # every video frame, and the picture
