"""``posture history | clients | export | forget``, and storing a check under ``--client``."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.errors import InputError
from posture.history.db import HistoryDB, Stored, check_client_name
from posture.history.report import write_history
from posture.history.store import export_text, store_result
from posture.io.atomic import atomic_open


def client_slug(name: str) -> str:
    """A file-name-safe folder name for a client (never a path: no separators, no dots first)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", check_client_name(name)).strip("._") or "client"
    return slug[:60]


def store_check(
    document: dict[str, Any],
    client: str,
    sources: list[str],
    report: Path,
    db_path: Path | None,
    taken_at: datetime | None,
) -> tuple[Path, Stored]:
    """Store a finished check for ``client``; return the database path and what was stored."""
    with HistoryDB(db_path) as db:
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
    """Write the client's longitudinal report; return its path."""
    name = check_client_name(opts.client)
    with HistoryDB(opts.db) as db:
        _require_client(db, name)
        out = opts.out or Path("out") / "history" / client_slug(name)
        if out.exists() and not out.is_dir():
            raise InputError("the output folder is a file; choose another --out", out)
        return write_history(db, name, out, opts.baseline)


def _require_client(db: HistoryDB, name: str) -> None:
    if not db.has_client(name):
        known = ", ".join(c.name for c in db.clients()[:10]) or "none yet"
        raise InputError(f"no client named {name!r} in the history (clients: {known})", db.path)


def run_clients(db_path: Path | None) -> int:
    """Print every client with the session count and the latest session."""
    with HistoryDB(db_path) as db:
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
    with HistoryDB(db_path) as db:
        _require_client(db, name)
        text = export_text(db, name, fmt)
    if out is None:
        sys.stdout.write(text)
        return 0
    if out.is_dir():
        raise InputError("--out is a folder; give a file name", out)
    with atomic_open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    print(f"wrote {out}")
    return 0


def run_forget(client: str, db_path: Path | None) -> int:
    """Remove a client and everything stored about them; say what was removed."""
    name = check_client_name(client)
    with HistoryDB(db_path) as db:
        counts = db.forget(name)
        where = db.path
    print(
        f"removed client {name!r} from {where}: {counts['sessions']} session(s), "
        f"{counts['measures']} measure(s), {counts['batch_jobs']} batch record(s)"
    )
    return 0
