"""Storing a check's result document for a client, and exporting a client's history."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.core.result import CheckResult
from posture.history.db import HistoryDB, Stored, check_client_name
from posture.history.extract import content_hash, date_taken, measures_of
from posture.io.csvcells import safe_row


def store_result(
    db: HistoryDB,
    document: dict[str, Any],
    client: str,
    sources: Sequence[str | Path],
    report_path: str | Path | None = None,
    taken_at: datetime | None = None,
    *,
    source_sha256: str | None = None,
    con: sqlite3.Connection | None = None,
) -> Stored:
    """Store a photo or gait result document as one session of ``client``.

    The session date is ``taken_at`` when given ("stated"), else the first source's
    metadata, else its file time. The same sources stored again for the same client
    replace the earlier session. ``source_sha256``: the sources' content hash when the
    caller has it already; ``con``: a transaction the caller holds.
    """
    if taken_at is not None:
        when, origin = taken_at, "stated"
    else:
        when, origin = date_taken(sources[0])
    return db.store(
        client=client,
        kind=str(document["kind"]),
        document=document,
        measures=measures_of(document),
        source=", ".join(str(Path(s).resolve()) for s in sources),
        source_sha256=source_sha256 or content_hash(sources),
        taken_at=when,
        taken_from=origin,
        report_path=None if report_path is None else str(Path(report_path).resolve()),
        view=str(CheckResult.from_document(document).view),
        con=con,
    )


EXPORT_FIELDS = (
    "client", "session", "taken_at", "taken_from", "kind", "view", "source", "source_sha256",
    "measure", "side", "value", "unit", "uncertainty",
)  # fmt: skip


def export_rows(db: HistoryDB, client: str) -> list[dict[str, Any]]:
    """One row per stored measure of the client, oldest session first."""
    rows = []
    for session in db.sessions(client):
        for m in db.measures(session.id):
            rows.append(
                {
                    "client": session.client,
                    "session": session.id,
                    "taken_at": session.taken_at.isoformat(),
                    "taken_from": session.taken_from,
                    "kind": session.kind,
                    "view": session.view,
                    "source": session.source,
                    "source_sha256": session.source_sha256,
                    "measure": m.name,
                    "side": m.side,
                    "value": m.value,
                    "unit": m.unit,
                    "uncertainty": m.uncertainty,
                }  # fmt: skip
            )
    return rows


def export_text(db: HistoryDB, client: str, fmt: str) -> str:
    """The client's history as CSV (one row per measure) or JSON (sessions with their measures)."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(safe_row(row) for row in export_rows(db, client))
        return buffer.getvalue()
    if fmt == "json":
        sessions = [
            {
                "session": s.id,
                "taken_at": s.taken_at.isoformat(),
                "taken_from": s.taken_from,
                "kind": s.kind,
                "view": s.view,
                "source": s.source,
                "source_sha256": s.source_sha256,
                "settings": s.settings,
                "posture_version": s.posture_version,
                "measures": [
                    {
                        "measure": m.name,
                        "side": m.side,
                        "value": m.value,
                        "unit": m.unit,
                        "uncertainty": m.uncertainty,
                    }
                    for m in db.measures(s.id)
                ],
            }  # fmt: skip
            for s in db.sessions(client)
        ]
        return json.dumps({"client": client, "sessions": sessions}, indent=2) + "\n"
    raise ValueError(f"expected format csv or json, got {fmt!r}")


def client_slug(name: str) -> str:
    """A file-name-safe folder name for a client (never a path: no separators, no dots first)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", check_client_name(name)).strip("._") or "client"
    return slug[:60]


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """Each name's folder name; names whose :func:`client_slug` collide get a short hash of the name.

    ``a b`` and ``a_b`` both slug to ``a_b``: each then becomes ``a_b-<6 hex digits>``, so no
    two clients of one batch share a folder (or a history report).
    """
    names = sorted(set(names))
    slugs = {name: client_slug(name) for name in names}
    counts: dict[str, int] = {}
    for slug in slugs.values():
        counts[slug] = counts.get(slug, 0) + 1
    return {
        name: slug if counts[slug] == 1 else f"{slug[:53]}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"
        for name, slug in slugs.items()
    }
