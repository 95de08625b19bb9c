"""The longitudinal report of one client: before and after, trends, then against now, current findings.

A self-contained page rendered from ``posture/report/templates/history.html`` (the reports' base,
stylesheet and components; images as data URIs, every value escaped by the template). This module
gathers what the page shows; the pictures, plots and words come from :mod:`posture.history.pictures`,
:mod:`posture.history.plots` and :mod:`posture.history.words`.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.findings.units import supported_digits, uncertainty_number
from posture.history.compare import Change, K, Series, compare, load_series
from posture.history.db import HistoryDB, Session
from posture.history.pictures import Picture, PicturePair, pair_changes, picture_pairs
from posture.history.plots import figure_png, trend_figures
from posture.history.words import change_in_words, day_text, one_row_per_measure, plain_series
from posture.report.html import write_report
from posture.report.render import render_page

_KIND_TITLE = {"photo": "Standing checks", "gait": "Walking analyses"}


def _fmt(x: float | None, digits: int = 2) -> str:
    if x is None:
        return "–"
    x = round(x, digits) + 0.0  # no "-0.0"
    return f"{x:+.{digits}f}" if x != 0 else f"{x:.{digits}f}"


def _png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _change_row(c: Change) -> dict[str, Any]:
    """One measure then and now, to the decimals the change's uncertainty supports."""
    s = c.series
    digits = supported_digits(None if c.uncertainty is None else K * c.uncertainty, s.unit)
    return {
        "name": plain_series(s), "label": s.label, "unit": s.unit,
        "then": f"{_fmt(c.then.value, digits)} ({c.then.taken_at.date()})",
        "now": f"{_fmt(c.now.value, digits)} ({c.now.taken_at.date()})", "delta": _fmt(c.delta, digits),
        "spread": "–" if c.uncertainty is None else "± " + uncertainty_number(K * c.uncertainty, s.unit,
                                                                              digits),
        "verdict": c.verdict, "beyond": c.beyond,
    }  # fmt: skip


def _picture(picture: Picture, view: str, role: str) -> dict[str, Any]:
    when = day_text(picture.session.taken_at)
    return {
        "uri": picture.data_uri(), "alt": f"{view} view, {when}", "caption": f"{when} ({role})",
        "missing": picture.missing_note(),
    }  # fmt: skip


def _pair(pair: PicturePair, series: Sequence[Series], baseline: datetime | None) -> dict[str, Any]:
    """A view's first (or first from the baseline) and latest annotated picture, with the hip change."""
    first = "first session" if baseline is None else "first from the baseline"
    return {
        "view": pair.view,
        "pictures": [_picture(pair.then, pair.view, first), _picture(pair.now, pair.view, "latest")],
        "said": [change_in_words(c) for c in pair_changes(pair, series)],
    }


def _kind(
    kind: str, series: Sequence[Series], baseline: datetime | None, pairs: Sequence[PicturePair] = ()
) -> dict[str, Any] | None:
    mine = [s for s in series if s.kind == kind]
    if not mine:
        return None
    trends = [
        {"uri": _png_uri(figure_png(fig)), "caption": f"{fig.axes[0].get_title()} over the sessions"}
        for fig in trend_figures(kind, mine, _knowledge())
    ]
    changes = one_row_per_measure(compare(mine, baseline))
    ordered = sorted(changes, key=lambda c: (not c.beyond, c.series.name, c.series.side or ""))
    return {
        "title": _KIND_TITLE[kind],
        "pairs": [_pair(p, series, baseline) for p in pairs],
        "trends": trends,
        "changes": [_change_row(c) for c in ordered],
        "said": [change_in_words(c) for c in ordered if c.beyond],
    }


def _relative(target: Path, out: Path) -> str:
    try:
        return Path(os.path.relpath(target.resolve(), out.resolve())).as_posix()
    except ValueError:  # another drive
        return target.resolve().as_uri()


def _session_rows(sessions: Sequence[Session], out: Path) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "taken": s.taken_at,
            "taken_from": s.taken_from,
            "kind": s.kind,
            "view": s.view or "",
            "source": Path(s.source).name,
            "link": _relative(Path(s.report_path), out) if s.report_path else None,
        }  # fmt: skip
        for number, s in enumerate(sessions, 1)
    ]


def _current(db: HistoryDB, sessions: Sequence[Session]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The findings and exercises of the latest session of each kind."""
    latest: dict[str, Session] = {}
    for s in sessions:
        latest[s.kind] = s
    findings: list[Mapping[str, Any]] = []
    recommendations: dict[str, Mapping[str, Any]] = {}
    for s in latest.values():
        doc = db.document(s.id)
        findings.extend(doc.get("findings", []))
        for r in doc.get("recommendations", []):
            recommendations.setdefault(r["id"], r)
    shown = [
        {
            "title": f.get("title", ""),
            "severity": f.get("severity", ""),
            "explanation": f.get("explanation", ""),
        }
        for f in findings
    ]
    exercises = [
        {"name": r.get("name", ""), "dose": r.get("dose", ""), "how": r.get("how", [])}
        for r in recommendations.values()
    ]
    return shown, exercises


def render_history(db: HistoryDB, client: str, out: Path, baseline: datetime | None = None) -> str:
    """The client's longitudinal report as one HTML page."""
    sessions, series = load_series(db, client)
    span = f"{len(sessions)} session(s)"
    if sessions:
        span += f", {sessions[0].taken_at.date()} to {sessions[-1].taken_at.date()}"
    kinds = [
        _kind("photo", series, baseline, picture_pairs(sessions, baseline)),
        _kind("gait", series, baseline),
    ]
    findings, exercises = _current(db, sessions)
    return render_page(
        "history.html",
        title="Client history",
        span=span,
        client=client,
        created=datetime.now(),
        k=f"{K:g}",
        baseline_text="the first session" if baseline is None else f"the first session from {baseline}",
        kinds=[k for k in kinds if k is not None],
        findings=findings,
        exercises=exercises,
        sessions=_session_rows(sessions, out),
        general=_knowledge().general,
    )


def _knowledge() -> Any:
    from posture.findings import load_knowledge

    return load_knowledge()


def write_history(db: HistoryDB, client: str, out: Path, baseline: datetime | None = None) -> Path:
    """Write ``out/history.html`` atomically; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    return write_report(out / "history.html", render_history(db, client, out, baseline))
