"""``posture batch``: analyse a folder or manifest of clips in parallel, resumably.

The parent process plans the jobs, skips those already done (same content, same
settings, outputs still there), hands the rest to a pool (local processes or Dask) and
is the only writer of the database: each finished clip is stored in one transaction
(its history session when it has a client, and its batch record). A batch killed at
any moment resumes where it stopped; a clip is never stored twice.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from posture.batch.plan import Job, Skipped, plan
from posture.batch.pool import DaskPool, LocalPool, Task, check_scheduler
from posture.batch.summary import Row, headline, write_index, write_summary_csv
from posture.batch.work import WORK_PREFIX
from posture.errors import InputError
from posture.gait.settings import GaitSettings
from posture.history.db import HistoryDB, JobRecord, history_errors
from posture.history.report import write_history
from posture.history.store import client_slug, store_result, unique_slugs
from posture.io.atomic import STAGING_MARK, check_writable
from posture.standing.check import StandingSettings

UNASSIGNED = "_no_client"


@dataclass(frozen=True)
class BatchOptions:
    """Options of ``posture batch``."""

    input: str
    out: Path
    workers: int
    scheduler: str | None = None
    db: Path | None = None
    time_limit_s: float = 600.0
    progress: bool = True
    #: Settings of the walking check for every clip (``[gait.settings]`` of a configuration file).
    gait_settings: GaitSettings = field(default_factory=GaitSettings)
    #: Settings of the standing check for every picture (``[photo.settings]``).
    photo_settings: StandingSettings = field(default_factory=StandingSettings)
    #: Also write each check's report.pdf for this paper size (``a4``, ``letter``), or ``None``.
    pdf: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: every row of the summary and where it was written."""

    rows: list[Row]
    index: Path
    summary: Path
    db_path: Path

    def count(self, status: str) -> int:
        """How many clips ended with ``status``."""
        return sum(1 for r in self.rows if r.status == status)


def job_folder(out: Path, job: Job, slugs: Mapping[str, str] | None = None) -> Path:
    """The clip's own output folder: ``out/<client>/<file stem>-<hash>`` (never outside ``out``).

    ``slugs`` maps client names to folder names (:func:`unique_slugs`: colliding names get a hash).
    """
    client = UNASSIGNED if job.client is None else (slugs or {}).get(job.client) or client_slug(job.client)
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in Path(job.path).stem)[:60] or "clip"
    return out / client / f"{stem}-{job.sha256[:8]}"


def _unique(jobs: Sequence[Job]) -> tuple[list[Job], list[Skipped]]:
    seen: dict[str, Job] = {}
    skipped = []
    for job in jobs:
        if job.key in seen:
            skipped.append(Skipped(job.path, f"same content and settings as {seen[job.key].path}"))
        else:
            seen[job.key] = job
    return list(seen.values()), skipped


def _done_before(db: HistoryDB, job: Job) -> Row | None:
    r = db.finished_job(job.key)
    if r is None or not r["out_dir"] or not (Path(r["out_dir"]) / "report.html").is_file():
        return None
    return Row("skipped", job.client, job.kind, job.path, json.loads(r["headline"] or "{}"), r["seconds"],
               "done in an earlier run", str(Path(r["out_dir"]) / "report.html"))  # fmt: skip


def _store(db: HistoryDB, job: Job, outcome: dict[str, Any]) -> Row:
    """Store one finished clip (history session and batch record) in one transaction."""
    document: dict[str, Any] = outcome.get("document") or {}
    done = outcome["status"] == "done" and bool(document)
    head = headline(document) if done else {}
    report = str(Path(outcome["out_dir"]) / "report.html") if done else None
    with db.transaction() as con:
        session_id = None
        if done and job.client is not None:
            stored = store_result(
                db, document, job.client, [job.path], report, source_sha256=job.sha256, con=con
            )
            session_id = stored.session_id
        db.record_job(con, JobRecord(
            job.key, str(Path(job.path).resolve()), job.sha256, job.client, job.kind,
            "done" if done else "failed", outcome.get("reason"), outcome["out_dir"] if done else None,
            head, session_id, outcome.get("seconds"),
        ))  # fmt: skip
    return Row(outcome["status"], job.client, job.kind, job.path, head, outcome.get("seconds"),
               outcome.get("reason"), report)  # fmt: skip


def _expected_cost(job: Job) -> tuple[bool, int]:
    """Videos before pictures, larger files first."""
    return job.kind == "gait", Path(job.path).stat().st_size


def _clean_leftovers(out: Path) -> None:
    """Remove temporary folders a killed run left behind."""
    for leftover in (*out.glob(f"*/{WORK_PREFIX}*"), *out.glob(f"*/.{WORK_PREFIX}*{STAGING_MARK}*")):
        shutil.rmtree(leftover, ignore_errors=True)


def _write_histories(db: HistoryDB, slugs: Mapping[str, str], out: Path) -> dict[str, Path]:
    """Each client's history report, beside the client's clips (``out/<client>/history.html``)."""
    histories = {}
    for client, slug in sorted(slugs.items()):
        if db.sessions(client):
            histories[client] = write_history(db, client, out / slug)
    return histories


class _Progress:
    """The batch's progress bar: clips finished, and frames analysed so far (reported by local workers)."""

    def __init__(self, total: int, enabled: bool) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, disable=not enabled, unit="clip", desc="batch")
        self.frames = 0
        self.status = ""
        self._lock = threading.Lock()

    def add_frames(self, n: int) -> None:
        """Count ``n`` more frames (called from the workers' threads)."""
        with self._lock:
            self.frames += n
            self.bar.set_postfix_str(self._postfix())

    def _postfix(self) -> str:
        return ", ".join(p for p in (self.status, f"{self.frames} frames") if p)

    def follow(self, outcomes: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Yield ``outcomes``, counting each as a finished clip."""
        try:
            for outcome in outcomes:
                with self._lock:
                    self.status = outcome["status"]
                    self.bar.update(1)
                    self.bar.set_postfix_str(self._postfix())
                yield outcome
        finally:
            self.bar.close()


def _pool(opts: BatchOptions, progress: _Progress) -> LocalPool | DaskPool:
    if opts.scheduler:
        return DaskPool(opts.scheduler, opts.time_limit_s)
    return LocalPool(opts.workers, opts.time_limit_s, progress.add_frames)


def run_batch(opts: BatchOptions) -> BatchResult:
    """Plan, run what is not done yet, store, and write ``index.html`` and ``summary.csv``."""
    if opts.out.exists() and not opts.out.is_dir():
        raise InputError("the output folder is a file; choose another --out", opts.out)
    if not math.isfinite(opts.time_limit_s) or opts.time_limit_s <= 0:
        limit = opts.time_limit_s
        raise InputError(f"--time-limit must be a finite positive number of seconds, got {limit:g}")
    if opts.scheduler:
        check_scheduler(opts.scheduler)
    check_writable(opts.out)
    jobs, ignored = plan(opts.input)
    jobs = _with_settings(jobs, opts)
    jobs, duplicates = _unique(jobs)
    slugs = unique_slugs(job.client for job in jobs if job.client is not None)
    rows_by_key: dict[str, Row] = {}
    with history_errors(opts.db), HistoryDB(opts.db) as db:  # a bad database is refused before any output
        opts.out.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(opts.out)
        todo = []
        for job in jobs:
            before = _done_before(db, job)
            if before is None:
                todo.append(job)
            else:
                rows_by_key[job.key] = before
        by_key = {job.key: job for job in todo}
        todo.sort(key=_expected_cost, reverse=True)  # longest first: no worker idles at the end
        tasks: list[Task] = [
            ({**job.to_dict(), "key": job.key}, str(job_folder(opts.out, job, slugs))) for job in todo
        ]
        if tasks:
            progress = _Progress(len(tasks), opts.progress)
            for outcome in progress.follow(_pool(opts, progress).run(tasks)):
                rows_by_key[outcome["key"]] = _store(db, by_key[outcome["key"]], outcome)
        histories = _write_histories(db, slugs, opts.out)
        db_path = db.path
    rows = [rows_by_key[job.key] for job in jobs]
    rows += [Row(s.status, None, None, s.path, {}, None, s.reason, None) for s in (*duplicates, *ignored)]
    title = f"{opts.input} · {'Dask ' + opts.scheduler if opts.scheduler else f'{opts.workers} worker(s)'}"
    index = write_index(rows, opts.out, title, histories)
    summary = write_summary_csv(rows, opts.out)
    return BatchResult(rows, index, summary, db_path)


def _with_settings(jobs: list[Job], opts: BatchOptions) -> list[Job]:
    """The jobs with the settings that differ from the defaults (part of each job's key)."""
    gait = opts.gait_settings.to_dict() if opts.gait_settings != GaitSettings() else {}
    photo = (
        opts.photo_settings.to_dict() if opts.photo_settings.to_dict() != StandingSettings().to_dict() else {}
    )
    return [
        replace(job, gait_settings=gait, pdf=opts.pdf)
        if job.kind == "gait"
        else replace(job, photo_settings=photo, pdf=opts.pdf)
        for job in jobs
    ]


def default_workers() -> int:
    """One worker per CPU core."""
    return max(1, os.cpu_count() or 1)
