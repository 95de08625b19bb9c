"""The client history as one object: :func:`open_history` returns a :class:`History`.

The layers below it import one way only: :mod:`~posture.history.db` (rows and SQL),
:mod:`~posture.history.extract` (what a result document gives to store),
:mod:`~posture.history.store` (storing and exporting), :mod:`~posture.history.compare`
(series and then-against-now) and :mod:`~posture.history.report` (history.html).
This facade sits on top of them; the commands, the batch runner and the Python API
use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.history.compare import Change, Series, compare, load_series
from posture.history.db import ClientSummary, HistoryDB, Session, Stored, check_client_name
from posture.history.report import write_history
from posture.history.store import export_text, store_result


class History:
    """A client history database, with storing, trends, comparisons and reports.

    Use as a context manager, or call :meth:`close`. The SQL layer is :attr:`db`.
    """

    def __init__(self, path: str | Path | None = None, create: bool = True) -> None:
        self.db = HistoryDB(path, create)

    @property
    def path(self) -> Path:
        """The database file."""
        return self.db.path

    @property
    def schema_version(self) -> int:
        """The database's schema version (the migrations applied)."""
        return self.db.schema_version

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def add(
        self, result: Any, client: str, *, sources: Sequence[str | Path] | None = None,
        taken_at: datetime | None = None,
    ) -> Stored:  # fmt: skip
        """Store a check for ``client``: a :class:`posture.StandingCheck`, a :class:`posture.WalkAnalysis`
        or a result document (dict). ``sources`` default to the document's inputs."""
        document = result if isinstance(result, dict) else result.doc
        report = getattr(result, "report_path", None)
        return store_result(self.db, document, client, list(sources or document["inputs"]), report, taken_at)

    def clients(self) -> list[ClientSummary]:
        """Every client with the number of sessions and the latest one."""
        return self.db.clients()

    def sessions(self, client: str) -> list[Session]:
        """The client's sessions, oldest first."""
        return self.db.sessions(client)

    def forget(self, client: str) -> dict[str, int]:
        """Remove the client and everything stored about them; how many rows went."""
        return self.db.forget(client)

    def series(self, client: str) -> list[Series]:
        """Every measure of the client over the sessions."""
        return load_series(self.db, client)[1]

    def changes(self, client: str, baseline: datetime | None = None) -> list[Change]:
        """Then against now for every measure, with the verdict."""
        return compare(self.series(client), baseline)

    def write_report(self, client: str, out: str | Path, baseline: datetime | None = None) -> Path:
        """Write ``out/history.html``; return its path."""
        return write_history(self.db, check_client_name(client), Path(out), baseline)

    def export(self, client: str, fmt: str = "csv") -> str:
        """The client's stored measures as CSV (one row per measure) or JSON (sessions with measures)."""
        return export_text(self.db, client, fmt)

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer (``ok`` when sound)."""
        return self.db.integrity_check()


def open_history(path: str | Path | None = None, create: bool = True) -> History:
    """Open (or create) the history; ``None`` = :func:`~posture.history.db.default_db_path`.

    ``create=False`` refuses a missing file instead of creating it (for reading only).
    Close it when done (or use ``with``).
    """
    return History(path, create)
