"""The client history: an embedded SQLite database of clients, sessions and measures.

One file holds everything (default: the user's data folder, see :func:`default_db_path`).
The schema is versioned with ``PRAGMA user_version`` and upgraded by the migrations in
:data:`MIGRATIONS`; the database runs in WAL mode with foreign keys on. Every value that
comes from a user (client names, paths) is bound as an SQL parameter.

A session is one stored check: a photo check or a walking analysis of one source. The
same source (by content hash) stored again for the same client and kind replaces the
earlier session instead of adding a second one, so a re-run never double-counts.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.errors import InputError

#: Each entry upgrades the schema by one version (``PRAGMA user_version`` counts them).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE clients (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('photo', 'gait')),
        taken_at TEXT NOT NULL,
        taken_from TEXT NOT NULL CHECK (taken_from IN ('metadata', 'file time', 'stated')),
        source TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        view TEXT,
        settings TEXT NOT NULL,
        posture_version TEXT NOT NULL,
        result TEXT NOT NULL,
        report_path TEXT,
        stored_at TEXT NOT NULL,
        UNIQUE (client_id, kind, source_sha256)
    );
    CREATE INDEX sessions_by_client ON sessions (client_id, taken_at);
    CREATE TABLE measures (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        side TEXT CHECK (side IN ('left', 'right')),
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        uncertainty REAL
    );
    CREATE INDEX measures_by_session ON measures (session_id);
    CREATE TABLE batch_jobs (
        job_key TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        source_sha256 TEXT NOT NULL,
        client TEXT,
        kind TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
        reason TEXT,
        out_dir TEXT,
        headline TEXT,
        session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
        seconds REAL,
        finished_at TEXT NOT NULL
    );
    """,
    # 2: one name per walking measure, as the check declares it (result documents of schema 2)
    """
    UPDATE measures SET name = name || '_pct' WHERE name LIKE '%\\_si' ESCAPE '\\';
    UPDATE measures SET name = 'heel_strike_share' WHERE name = 'heel_strike_pct';
    """,
)

#: Longest client name accepted.
MAX_NAME = 120


@dataclass(frozen=True)
class MeasureRow:
    """One stored value: ``name`` (without side suffix), ``side`` ``left``/``right`` or ``None``."""

    name: str
    side: str | None
    value: float
    unit: str
    uncertainty: float | None

    @property
    def key(self) -> str:
        """The measure's name with its side, e.g. ``stance_pct (left)``."""
        return self.name if self.side is None else f"{self.name} ({self.side})"


@dataclass(frozen=True)
class Session:
    """One stored check of a client."""

    id: int
    client: str
    kind: str
    taken_at: datetime
    taken_from: str
    source: str
    source_sha256: str
    view: str | None
    settings: dict[str, Any]
    posture_version: str
    report_path: str | None
    stored_at: str


@dataclass(frozen=True)
class ClientSummary:
    """A client with the number of sessions and the latest one."""

    name: str
    sessions: int
    last_taken_at: datetime | None
    last_kind: str | None


@dataclass(frozen=True)
class JobRecord:
    """How one batch job ended (a row of ``batch_jobs``)."""

    key: str
    source: str
    source_sha256: str
    client: str | None
    kind: str
    status: str
    reason: str | None
    out_dir: str | None
    headline: dict[str, Any]
    session_id: int | None
    seconds: float | None


@dataclass(frozen=True)
class Stored:
    """What :meth:`HistoryDB.store` did: the session id and whether it replaced an earlier one."""

    session_id: int
    replaced: bool


def default_db_path() -> Path:
    """Where the history lives unless ``--db`` or ``POSTURE_DB`` says otherwise.

    Linux: ``$XDG_DATA_HOME/posture/history.sqlite`` (``~/.local/share/...``); macOS:
    ``~/Library/Application Support/posture/``; Windows: ``%APPDATA%\\posture\\``.
    """
    if os.environ.get("POSTURE_DB"):
        return Path(os.environ["POSTURE_DB"]).expanduser()
    home = Path.home()
    if sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", home / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "posture" / "history.sqlite"


def check_client_name(name: str) -> str:
    """The client name with outer spaces removed; refuse empty, over-long or control characters."""
    clean = name.strip() if isinstance(name, str) else ""
    if not clean:
        raise InputError("a client name cannot be empty")
    if len(clean) > MAX_NAME:
        raise InputError(f"a client name is at most {MAX_NAME} characters; got {len(clean)}")
    if any(ord(c) < 32 or ord(c) == 127 for c in clean):
        raise InputError(f"the client name {clean!r} contains control characters")
    return clean


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class HistoryDB:
    """An open history database (a context manager; close it when done).

    Parameters
    ----------
    path
        The SQLite file; created with its folder when missing. ``None`` = :func:`default_db_path`.
    create
        ``False``: refuse a missing file instead of creating it (commands that only read).
    """

    def __init__(self, path: str | Path | None = None, create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        if self.path.exists() and self.path.is_dir():
            raise InputError("the history database path is a folder; give a file with --db", self.path)
        existed = self.path.exists()
        if not existed and not create:
            raise InputError("no history database here yet; store a check with --client first", self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"cannot open the history database: {exc}", self.path) from exc
        self._con.row_factory = sqlite3.Row
        try:
            if existed:
                self._check_sound()
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._abandon(existed)
            raise database_error(exc, self.path) from exc
        except InputError:
            self._abandon(existed)
            raise

    def _abandon(self, existed: bool) -> None:
        """Close after a failed open; a file this open created (e.g. on a full disk) is removed again."""
        self._con.close()
        if not existed:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _check_sound(self) -> None:
        """Read-only check of an existing file before anything is written to it.

        Raises
        ------
        InputError
            The file is damaged (``PRAGMA quick_check`` finds problems); nothing was changed.
        """
        rows = self._con.execute("PRAGMA quick_check(3)").fetchall()
        problems = [" ".join(str(r[0]).split()) for r in rows]
        if problems != ["ok"]:
            raise InputError(_damaged("; ".join(problems)[:160], self.path), self.path)
        self._check_version()

    def _configure(self) -> None:
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA foreign_keys=ON")
        self._con.execute("PRAGMA synchronous=NORMAL")

    def _check_version(self) -> None:
        version = self.schema_version
        if version > len(MIGRATIONS):
            raise InputError(
                f"the history database has schema version {version}, newer than this posture "
                f"understands ({len(MIGRATIONS)}); upgrade posture",
                self.path,
            )

    def _migrate(self) -> None:
        self._check_version()
        version = self.schema_version
        for number in range(version, len(MIGRATIONS)):
            with self.transaction() as con:
                for statement in _statements(MIGRATIONS[number]):
                    con.execute(statement)
                con.execute(f"PRAGMA user_version={number + 1}")

    @property
    def schema_version(self) -> int:
        """The schema version stored in the file (0 for a new file)."""
        return int(self._con.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error."""
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield self._con
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def __enter__(self) -> HistoryDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------

    def _client_id(self, con: sqlite3.Connection, name: str) -> int:
        row = con.execute("SELECT id FROM clients WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return int(row["id"])
        cur = con.execute("INSERT INTO clients (name, created_at) VALUES (?, ?)", (name, _now()))
        return int(cur.lastrowid or 0)

    def store(
        self,
        *,
        client: str,
        kind: str,
        document: dict[str, Any],
        measures: Sequence[MeasureRow],
        source: str,
        source_sha256: str,
        taken_at: datetime,
        taken_from: str,
        report_path: str | None = None,
        view: str | None = None,
        con: sqlite3.Connection | None = None,
    ) -> Stored:
        """Store one session with its measures; replace an earlier one of the same source.

        Pass ``con`` to take part in a transaction the caller already holds.
        """
        name = check_client_name(client)
        if con is None:
            with self.transaction() as own:
                return self.store(
                    client=name, kind=kind, document=document, measures=measures, source=source,
                    source_sha256=source_sha256, taken_at=taken_at, taken_from=taken_from,
                    report_path=report_path, view=view, con=own,
                )  # fmt: skip
        client_id = self._client_id(con, name)
        settings = document.get("provenance", {}).get("settings", {})
        row = con.execute(
            "SELECT id FROM sessions WHERE client_id = ? AND kind = ? AND source_sha256 = ?",
            (client_id, kind, source_sha256),
        ).fetchone()
        values = (
            taken_at.isoformat(timespec="seconds"), taken_from, source, view, json.dumps(settings),
            document.get("provenance", {}).get("posture_version", "unknown"), json.dumps(document),
            report_path, _now(),
        )  # fmt: skip
        if row is None:
            cur = con.execute(
                "INSERT INTO sessions (taken_at, taken_from, source, view, settings, posture_version, result,"
                " report_path, stored_at, client_id, kind, source_sha256)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, client_id, kind, source_sha256),
            )
            session_id, replaced = int(cur.lastrowid or 0), False
        else:
            session_id, replaced = int(row["id"]), True
            con.execute(
                "UPDATE sessions SET taken_at = ?, taken_from = ?, source = ?, view = ?, settings = ?,"
                " posture_version = ?, result = ?, report_path = ?, stored_at = ? WHERE id = ?",
                (*values, session_id),
            )
            con.execute("DELETE FROM measures WHERE session_id = ?", (session_id,))
        con.executemany(
            "INSERT INTO measures (session_id, name, side, value, unit, uncertainty)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(session_id, m.name, m.side, m.value, m.unit, m.uncertainty) for m in measures],
        )
        return Stored(session_id, replaced)

    def forget(self, client: str) -> dict[str, int]:
        """Remove a client and everything stored about them; return the counts removed."""
        name = check_client_name(client)
        with self.transaction() as con:
            row = con.execute("SELECT id FROM clients WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise InputError(f"no client named {name!r} in the history", self.path)
            counts = {
                "sessions": _count(con, "SELECT COUNT(*) FROM sessions WHERE client_id = ?", row["id"]),
                "measures": _count(
                    con,
                    "SELECT COUNT(*) FROM measures JOIN sessions ON sessions.id = measures.session_id"
                    " WHERE sessions.client_id = ?",
                    row["id"],
                ),
                "batch_jobs": _count(con, "SELECT COUNT(*) FROM batch_jobs WHERE client = ?", name),
            }
            con.execute("DELETE FROM batch_jobs WHERE client = ?", (name,))
            con.execute("DELETE FROM clients WHERE id = ?", (row["id"],))
        return counts

    # --- reading -------------------------------------------------------------------------

    def clients(self) -> list[ClientSummary]:
        """Every client, by name, with the session count and the latest session."""
        rows = self._con.execute(
            "SELECT c.name, COUNT(s.id) AS n, MAX(s.taken_at) AS last,"
            " (SELECT kind FROM sessions WHERE client_id = c.id ORDER BY taken_at DESC, id DESC LIMIT 1)"
            " AS last_kind FROM clients c LEFT JOIN sessions s ON s.client_id = c.id"
            " GROUP BY c.id ORDER BY c.name COLLATE NOCASE"
        ).fetchall()
        return [
            ClientSummary(
                r["name"],
                int(r["n"]),
                None if r["last"] is None else datetime.fromisoformat(r["last"]),
                r["last_kind"],
            )  # fmt: skip
            for r in rows
        ]

    def has_client(self, client: str) -> bool:
        """Whether a client of that name is stored."""
        name = check_client_name(client)
        return self._con.execute("SELECT 1 FROM clients WHERE name = ?", (name,)).fetchone() is not None

    def sessions(self, client: str) -> list[Session]:
        """The client's sessions, oldest first."""
        name = check_client_name(client)
        rows = self._con.execute(
            "SELECT s.*, c.name AS client FROM sessions s JOIN clients c ON c.id = s.client_id"
            " WHERE c.name = ? ORDER BY s.taken_at, s.id",
            (name,),
        ).fetchall()
        return [_session(r) for r in rows]

    def measures(self, session_id: int) -> list[MeasureRow]:
        """The measures of one session."""
        rows = self._con.execute(
            "SELECT name, side, value, unit, uncertainty FROM measures WHERE session_id = ? ORDER BY id",
            (session_id,),
        ).fetchall()
        return [MeasureRow(r["name"], r["side"], r["value"], r["unit"], r["uncertainty"]) for r in rows]

    def document(self, session_id: int) -> dict[str, Any]:
        """The full result document stored with a session."""
        row = self._con.execute("SELECT result FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise KeyError(session_id)
        return dict(json.loads(row["result"]))

    # --- batch runs ------------------------------------------------------------------------

    def finished_job(self, job_key: str) -> sqlite3.Row | None:
        """The record of a batch job with this key that finished, or ``None``."""
        rows = self.execute("SELECT * FROM batch_jobs WHERE job_key = ? AND status = 'done'", (job_key,))
        return rows[0] if rows else None

    def record_job(self, con: sqlite3.Connection, job: JobRecord) -> None:
        """Record how a batch job ended, inside the caller's transaction ``con``."""
        con.execute(
            "INSERT OR REPLACE INTO batch_jobs (job_key, source, source_sha256, client, kind, status, reason,"
            " out_dir, headline, session_id, seconds, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " datetime('now', 'localtime'))",
            (job.key, job.source, job.source_sha256, job.client, job.kind, job.status, job.reason,
             job.out_dir, json.dumps(job.headline), job.session_id, job.seconds),
        )  # fmt: skip

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer (``ok`` when sound)."""
        return str(self._con.execute("PRAGMA integrity_check").fetchone()[0])

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Run a read query with bound parameters (for reports, exports and tests)."""
        return self._con.execute(sql, tuple(params)).fetchall()


#: SQLite's primary result codes for a full disk and for an I/O error.
SQLITE_FULL, SQLITE_IOERR = 13, 10


def _damaged(detail: str, path: Path) -> str:
    return (
        f"the history database is damaged ({detail}); nothing was changed. "
        f"Check it with: sqlite3 '{path}' 'PRAGMA integrity_check' (restore a backup or move it away)"
    )


def _disk_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent if path.parent.exists() else Path.cwd()).free < 1 << 20
    except OSError:
        return False


def database_error(exc: sqlite3.Error, path: Path) -> InputError:
    """The one-line error for an SQLite failure on the history file ``path``.

    Says "disk full" for a full disk (SQLite may report it as a disk I/O error), "damaged"
    for a malformed file, "not a posture history database" for anything else.
    """
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == SQLITE_FULL or (code == SQLITE_IOERR and _disk_full(path)):
        return InputError("the disk holding the history database is full; free some space", path)
    text = " ".join(str(exc).split())
    if "malformed" in text or code == 11:  # SQLITE_CORRUPT
        return InputError(_damaged(text, path), path)
    if code == SQLITE_IOERR:
        return InputError(f"cannot read or write the history database (disk I/O error: {text})", path)
    return InputError(f"not a posture history database ({text})", path)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _count(con: sqlite3.Connection, sql: str, param: object) -> int:
    return int(con.execute(sql, (param,)).fetchone()[0])


def _session(r: sqlite3.Row) -> Session:
    return Session(
        id=int(r["id"]),
        client=r["client"],
        kind=r["kind"],
        taken_at=datetime.fromisoformat(r["taken_at"]),
        taken_from=r["taken_from"],
        source=r["source"],
        source_sha256=r["source_sha256"],
        view=r["view"],
        settings=json.loads(r["settings"]),
        posture_version=r["posture_version"],
        report_path=r["report_path"],
        stored_at=r["stored_at"],
    )


@contextmanager
def history_errors(db_path: Path | None) -> Iterator[None]:
    """Turn an SQLite failure on the history file into a one-line :class:`InputError`."""
    try:
        yield
    except sqlite3.Error as exc:
        raise database_error(exc, db_path or default_db_path()) from exc
