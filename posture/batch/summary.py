"""The batch's own outputs: ``summary.csv`` and ``index.html``, one row per clip."""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.core.measure import rounded
from posture.core.result import CheckResult
from posture.io.atomic import atomic_open
from posture.io.csvcells import safe_row
from posture.report.render import render_page

#: The headline measures shown for every clip (empty where they do not apply).
HEADLINE = (
    "view", "pelvic_obliquity_deg", "hip_height_diff_mm", "anterior_pelvic_tilt_deg", "cadence_spm",
    "stance_pct_left", "stance_pct_right", "stance_time_si_pct", "findings",
)  # fmt: skip
#: Short column titles for the HTML table.
LABELS = {
    "view": "view", "pelvic_obliquity_deg": "obliquity (°)", "hip_height_diff_mm": "hip diff. (mm)",
    "anterior_pelvic_tilt_deg": "ant. tilt (°)", "cadence_spm": "cadence (/min)",
    "stance_pct_left": "stance L (%)", "stance_pct_right": "stance R (%)",
    "stance_time_si_pct": "stance SI (%)", "findings": "findings",
}  # fmt: skip
COLUMNS = ("status", "client", "kind", "file", *HEADLINE, "seconds", "reason", "report")


@dataclass(frozen=True)
class Row:
    """One clip's line in the summary."""

    status: str  # done | skipped (done before) | failed | timeout | ignored
    client: str | None
    kind: str | None
    file: str
    headline: Mapping[str, Any]
    seconds: float | None
    reason: str | None
    report: str | None  # path of report.html

    def cells(self, out: Path) -> dict[str, Any]:
        """The CSV cells (the report as a path relative to ``out``)."""
        report = None if self.report is None else _relative(Path(self.report), out)
        base = {"status": self.status, "client": self.client, "kind": self.kind, "file": self.file}
        return {**base, **{k: self.headline.get(k) for k in HEADLINE}, "seconds": self.seconds,
                "reason": self.reason, "report": report}  # fmt: skip


#: The measures of each kind of check among the summary's columns (:data:`HEADLINE`).
HEADLINE_MEASURES: dict[str, tuple[str, ...]] = {
    "photo": ("pelvic_obliquity_deg", "hip_height_diff_mm", "anterior_pelvic_tilt_deg"),
    "gait": ("cadence_spm", "stance_pct_left", "stance_pct_right", "stance_time_si_pct"),
}


def headline(document: Mapping[str, Any]) -> dict[str, Any]:
    """The headline numbers of a photo or gait result document (``None`` where not measured)."""
    check = CheckResult.from_document(document)
    out: dict[str, Any] = {
        "view": str(check.view),
        "findings": "; ".join(f["title"] for f in document.get("findings", [])),
    }
    for name in HEADLINE_MEASURES[check.kind]:
        m = check.measures.get(name)
        out[name] = None if m is None or not m.known else rounded(m.value)
    return out


def _relative(target: Path, out: Path) -> str:
    try:
        return Path(os.path.relpath(target.resolve(), out.resolve())).as_posix()
    except ValueError:  # another drive
        return target.resolve().as_uri()


def write_summary_csv(rows: Sequence[Row], out: Path) -> Path:
    """``out/summary.csv``, written atomically."""
    path = out / "summary.csv"
    with atomic_open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(safe_row(row.cells(out)) for row in rows)
    return path


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _index_row(row: Row, out: Path) -> dict[str, Any]:
    """One clip's row of ``index.html`` as the template takes it."""
    cells = row.cells(out)
    pdf = None
    if row.report is not None and Path(row.report).with_suffix(".pdf").is_file():
        pdf = _relative(Path(row.report).with_suffix(".pdf"), out)
    shown = [
        _cell(row.client),
        _cell(row.kind),
        Path(row.file).name,
        *(_cell(cells[k]) for k in HEADLINE[:-1]),
    ]
    return {
        "status": row.status, "ok": row.status in ("done", "skipped"), "cells": shown,
        "findings": _cell(cells["findings"]), "reason": _cell(row.reason), "report": cells["report"],
        "pdf": pdf,
    }  # fmt: skip


def write_index(
    rows: Sequence[Row], out: Path, title: str, histories: Mapping[str, Path] | None = None
) -> Path:
    """``out/index.html``: a self-contained table of every clip with a link to its report."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    page = render_page(
        "batch_index.html",
        title="Batch summary",
        wide=True,
        subtitle=title,
        created=datetime.now(),
        tally=", ".join(f"{n} {status}" for status, n in sorted(counts.items())),
        headings=("status", "client", "kind", "file", *(LABELS[h] for h in HEADLINE[:-1])),
        rows=[_index_row(row, out) for row in rows],
        histories=[(client, _relative(path, out)) for client, path in (histories or {}).items()],
    )
    path = out / "index.html"
    with atomic_open(path, "w", encoding="utf-8") as handle:
        handle.write(page)
    return path
