"""The longitudinal report of one client: trends, then versus now, current findings.

A self-contained HTML page like the single-check reports (inline CSS, images as data
URIs, every user-given text escaped).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.history.compare import Change, K, Series, compare, load_series
from posture.history.db import HistoryDB, Session
from posture.history.pictures import Picture, PicturePair, pair_changes, picture_pairs
from posture.history.plots import figure_png, trend_figures
from posture.history.words import change_in_words, day_text, one_row_per_measure, plain_series
from posture.report.html import _CSS, _closing, _e, _header, _list, write_report

_KIND_TITLE = {"photo": "Standing checks", "gait": "Walking analyses"}
#: The history page's own rules, after the reports' shared CSS: before/after pictures side by side.
_HISTORY_CSS = (
    ".pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }"
    ".pair figure { margin: 0; } .pair .gone { border: 1px dashed var(--line); padding: 12px; }"
    ".trends { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 8px; }"
)


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:+.{digits}f}" if x < 0 or x > 0 else f"{x:.{digits}f}"


def _png_uri(data: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _change_row(c: Change) -> str:
    s = c.series
    unc = "–" if c.uncertainty is None else f"± {K * c.uncertainty:.2f}"
    cls = "confident" if c.beyond else "plain"
    return (
        f"<tr><td>{_e(plain_series(s))}<div><code>{_e(s.label)}</code></div></td><td>{_e(s.unit)}</td>"
        f"<td class='num'>{_e(_fmt(c.then.value))} ({_e(c.then.taken_at.date())})</td>"
        f"<td class='num'>{_e(_fmt(c.now.value))} ({_e(c.now.taken_at.date())})</td>"
        f"<td class='num'>{_e(_fmt(c.delta))}</td><td class='num'>{_e(unc)}</td>"
        f'<td><span class="badge {cls}">{_e(c.verdict)}</span></td></tr>'
    )


def _changes_table(changes: Sequence[Change]) -> str:
    if not changes:
        return '<p class="muted">One session so far: nothing to compare yet.</p>'
    changes = one_row_per_measure(changes)
    ordered = sorted(changes, key=lambda c: (not c.beyond, c.series.name, c.series.side or ""))
    rows = "".join(_change_row(c) for c in ordered)
    said = "".join(f"<li>{_e(change_in_words(c))}</li>" for c in ordered if c.beyond)
    words = (
        f"<p><strong>What changed:</strong></p><ul>{said}</ul>"
        if said
        else ('<p class="muted">No change beyond measurement noise.</p>')
    )
    return (
        f"{words}<table><thead><tr><th>Measure</th><th>Unit</th><th>Then</th><th>Now</th><th>Change</th>"
        f"<th>± {K:g} SD</th><th>Verdict</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _picture(picture: Picture, view: str, role: str) -> str:
    when = day_text(picture.session.taken_at)
    caption = f"<figcaption>{_e(when)} ({_e(role)})</figcaption>"
    uri = picture.data_uri()
    if uri is None:
        return f'<figure><p class="gone muted">{_e(picture.missing_note())}</p>{caption}</figure>'
    return f'<figure><img src="{uri}" alt="{_e(f"{view} view, {when}")}">{caption}</figure>'


def _pictures(pairs: Sequence[PicturePair], series: Sequence[Series], baseline: datetime | None) -> str:
    """Each view's first (or first from the baseline) and latest annotated picture, with the hip change."""
    first = "first session" if baseline is None else "first from the baseline"
    blocks = []
    for pair in pairs:
        said = "".join(f"<li>{_e(change_in_words(c))}</li>" for c in pair_changes(pair, series))
        blocks.append(
            f'<h3>Before and after: {_e(pair.view)} view</h3><div class="pair">'
            f"{_picture(pair.then, pair.view, first)}{_picture(pair.now, pair.view, 'latest')}</div>"
            + (f"<ul>{said}</ul>" if said else "")
        )
    return "".join(blocks)


def _kind_section(kind: str, series: Sequence[Series], baseline: datetime | None, pictures: str = "") -> str:
    mine = [s for s in series if s.kind == kind]
    if not mine:
        return ""
    panels = "".join(
        f'<img src="{_png_uri(figure_png(fig))}" alt="{_e(fig.axes[0].get_title())} over the sessions">'
        for fig in trend_figures(kind, mine, _knowledge())
    )
    plot = (
        f'<figure><div class="trends">{panels}</div><figcaption>Each point is one session, with its '
        "uncertainty (± 1 SD) as a bar; the green band is the typical adult range (walking) or the values "
        "that reach no screening band (standing).</figcaption></figure>"
        if panels
        else ""
    )
    return (
        f"<section><h2>{_e(_KIND_TITLE[kind])}</h2>{pictures}{plot}<h3>Then against now</h3>"
        f"{_changes_table(compare(mine, baseline))}</section>"
    )


def _sessions_table(sessions: Sequence[Session], out: Path) -> str:
    rows = []
    for number, s in enumerate(sessions, 1):
        link = _e(s.report_path) if s.report_path else ""
        if s.report_path:
            link = f'<a href="{_e(_relative(Path(s.report_path), out))}">report</a>'
        rows.append(
            f"<tr><td class='num'>{number}</td><td class='num'>{_e(s.taken_at)}</td>"
            f"<td>{_e(s.taken_from)}</td>"
            f"<td>{_e(s.kind)}</td><td>{_e(s.view or '')}</td><td>{_e(Path(s.source).name)}</td>"
            f"<td>{link}</td></tr>"
        )
    return (
        "<section><h2>Sessions</h2><table><thead><tr><th>#</th><th>Taken</th><th>Date from</th><th>Kind</th>"
        f"<th>View</th><th>Source</th><th></th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _relative(target: Path, out: Path) -> str:
    import os

    try:
        return Path(os.path.relpath(target.resolve(), out.resolve())).as_posix()
    except ValueError:  # another drive
        return target.resolve().as_uri()


def _current(db: HistoryDB, sessions: Sequence[Session]) -> str:
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
    cards = "".join(
        f'<div class="card {_e(f.get("severity", ""))}"><h3>{_e(f.get("title"))}'
        f'<span class="badge {_e(f.get("severity", ""))}">{_e(f.get("severity"))}</span></h3>'
        f"<div>{_e(f.get('explanation', ''))}</div></div>"
        for f in findings
    )
    if not findings:
        cards = '<p class="muted">The latest sessions reached no screening band.</p>'
    exercises = "".join(
        f'<div class="card"><h3>{_e(r.get("name"))}</h3><div class="muted">{_e(r.get("dose", ""))}</div>'
        f"{_list(r.get('how', []), 'ol')}</div>"
        for r in recommendations.values()
    )
    return (
        "<section><h2>Current findings (latest session of each kind)</h2>"
        f"{cards}</section><section><h2>Current exercises</h2>"
        f"{exercises or '<p class=muted>None.</p>'}</section>"
    )


def render_history(db: HistoryDB, client: str, out: Path, baseline: datetime | None = None) -> str:
    """The client's longitudinal report as one HTML page."""
    sessions, series = load_series(db, client)
    span = f"{len(sessions)} session(s)"
    if sessions:
        span += f", {sessions[0].taken_at.date()} to {sessions[-1].taken_at.date()}"
    note = (
        f'<p class="muted">A change is called <em>beyond uncertainty</em> when it is larger than {K:g} times '
        "the combined uncertainty of the two sessions; a smaller change may be measurement noise. "
        f"Baseline: {_e('the first session' if baseline is None else f'the first session from {baseline}')}."
        "</p>"
    )
    body = "".join(
        (
            _header("Client history", span, client, datetime.now()),
            note,
            _kind_section(
                "photo", series, baseline, _pictures(picture_pairs(sessions, baseline), series, baseline)
            ),
            _kind_section("gait", series, baseline),
            _current(db, sessions),
            _sessions_table(sessions, out),
            _closing_text(),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Client history</title><style>{_CSS}{_HISTORY_CSS}</style></head>\n"
        f"<body><main>{body}</main></body></html>\n"
    )


def _knowledge() -> Any:
    from posture.findings import load_knowledge

    return load_knowledge()


def _closing_text() -> str:
    return _closing(_knowledge().general)


def write_history(db: HistoryDB, client: str, out: Path, baseline: datetime | None = None) -> Path:
    """Write ``out/history.html`` atomically; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    return write_report(out / "history.html", render_history(db, client, out, baseline))
