"""``posture history | clients | export | forget``, and storing a check under ``--client``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.errors import InputError
from posture.history.db import HistoryDB, Stored, check_client_name, default_db_path, history_errors
from posture.history.extract import content_hash
from posture.history.report import render_history
from posture.history.store import client_slug, export_text, store_result
from posture.io.atomic import atomic_open, check_writable, staged_folder
from posture.pipeline.checks import check_out_dir
from posture.report.html import write_report


def check_history(db_path: Path | None, client: str, kind: str, sources: list[str], out: Path) -> None:
    """Before a check with ``--client`` runs: check the database is sound (a missing one is not
    created yet: only its folder must be writable), and refuse an ``out`` whose report another
    stored session links to."""
    path = db_path or default_db_path()
    if not path.exists():
        if path.is_symlink():
            raise InputError("the history database is a broken symbolic link", path)
        check_writable(path.parent)
        return
    with history_errors(db_path), HistoryDB(path, create=False) as db:
        report = str((out / "report.html").resolve())
        rows = db.execute(
            "SELECT c.name AS client, s.kind, s.source, s.source_sha256 FROM sessions s"
            " JOIN clients c ON c.id = s.client_id WHERE s.report_path = ?",
            (report,),
        )
    if not rows:
        return
    try:
        sha = content_hash(sources)
    except OSError:
        return  # the input itself is refused later, with its own message
    name = check_client_name(client)
    for row in rows:
        if (row["client"], row["kind"], row["source_sha256"]) != (name, kind, sha):
            raise InputError(
                f"holds the report of another stored session (client {row['client']!r}, {row['source']}); "
                "choose another --out",
                out,
            )


def store_check(
    document: dict[str, Any],
    client: str,
    sources: list[str],
    report: Path,
    db_path: Path | None,
    taken_at: datetime | None,
) -> tuple[Path, Stored]:
    """Store a finished check for ``client``; return the database path and what was stored."""
    with history_errors(db_path), HistoryDB(db_path) as db:
        stored = store_result(db, document, client, sources, report, taken_at)
        return db.path, stored


@dataclass(frozen=True)
class HistoryOptions:
    """Options of ``posture history``."""

    client: str
    out: Path | None
    db: Path | None
    baseline: datetime | None = None


def run_history(opts: HistoryOptions) -> Path:
    """Write the client's longitudinal report; return its path (the database is only read)."""
    name = check_client_name(opts.client)
    with history_errors(opts.db), _reading(opts.db, name) as db:
        _require_client(db, name)
        out = opts.out or Path("out") / "history" / client_slug(name)
        check_out_dir(out)
        page = render_history(db, name, out, opts.baseline)
    with staged_folder(out) as stage:
        write_report(stage / "history.html", page)
    return out / "history.html"


def _reading(db_path: Path | None, name: str) -> HistoryDB:
    """Open an existing database; a missing one is not created (nothing to read in it)."""
    path = db_path or default_db_path()
    if not path.exists():
        raise InputError(
            f"no client named {name!r} in the history (no history database here yet; "
            "store a check with --client first)",
            path,
        )
    return HistoryDB(path, create=False)


def _require_client(db: HistoryDB, name: str) -> None:
    if not db.has_client(name):
        known = ", ".join(c.name for c in db.clients()[:10]) or "none yet"
        raise InputError(f"no client named {name!r} in the history (clients: {known})", db.path)


def run_clients(db_path: Path | None) -> int:
    """Print every client with the session count and the latest session (a missing database: none)."""
    path = db_path or default_db_path()
    if not path.exists():
        print(f"no clients in {path} (no history database yet)")
        return 0
    with history_errors(db_path), HistoryDB(db_path, create=False) as db:
        clients = db.clients()
        if not clients:
            print(f"no clients in {db.path}")
            return 0
        width = max(len(c.name) for c in clients)
        for c in clients:
            last = "-" if c.last_taken_at is None else f"{c.last_taken_at:%Y-%m-%d %H:%M} ({c.last_kind})"
            print(f"{c.name:{width}s}  {c.sessions:3d} session(s)  last {last}")
    return 0


def run_export(client: str, fmt: str, out: Path | None, db_path: Path | None) -> int:
    """Write the client's stored measures as CSV or JSON to ``out`` or standard output."""
    name = check_client_name(client)
    if out is not None:
        if out.is_dir():
            raise InputError("--out is a folder; give a file name", out)
        check_writable(out.parent)
    with history_errors(db_path), _reading(db_path, name) as db:
        _require_client(db, name)
        text = export_text(db, name, fmt)
    if out is None:
        sys.stdout.write(text)
        return 0
    with atomic_open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    print(f"wrote {out}")
    return 0


def run_forget(client: str, db_path: Path | None) -> int:
    """Remove a client and everything stored about them; say what was removed."""
    name = check_client_name(client)
    with history_errors(db_path), _reading(db_path, name) as db:
        counts = db.forget(name)
        where = db.path
    print(
        f"removed client {name!r} from {where}: {counts['sessions']} session(s), "
        f"{counts['measures']} measure(s), {counts['batch_jobs']} batch record(s)"
    )
    return 0
