"""The longitudinal report of one client: trends, then versus now, current findings.

A self-contained HTML page like the single-check reports (inline CSS, images as data
URIs, every user-given text escaped).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure

from posture.core.names import PLAIN
from posture.history.compare import Change, K, Series, compare, load_series
from posture.history.db import HistoryDB, Session
from posture.report.html import write_report
from posture.report.render import component, stylesheet
from posture.report.render import escape as _e
from posture.standing.mirror import MIRRORING, Mirroring

#: Measures plotted as trends (all measures are in the table); others are plotted when fewer.
HEADLINE = {
    "photo": (
        "pelvic_obliquity_deg", "hip_height_diff_mm", "shoulder_tilt_deg", "lateral_pelvic_shift_mm",
        "knee_alignment_deg", "anterior_pelvic_tilt_deg", "trunk_lean_deg", "head_forward_deg",
    ),
    "gait": (
        "cadence_spm", "speed_m_s", "stance_pct", "step_time_s", "step_length_m", "stance_time_si_pct",
        "step_time_si_pct", "pelvic_drop_deg", "foot_angle_at_contact_deg",
    ),
}  # fmt: skip
_KIND_TITLE = {"photo": "Standing checks", "gait": "Walking analyses"}
_COLOURS = {"left": "#ff8c00", "right": "#0078ff", None: "#1f2933"}


def _fmt(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:+.{digits}f}" if x < 0 or x > 0 else f"{x:.{digits}f}"


def _plot_kind(kind: str, series: Sequence[Series]) -> bytes | None:
    """A grid of trend plots (value ± 1 SD per session) for one kind; PNG bytes."""
    names = [n for n in HEADLINE[kind] if any(s.name == n and len(s.points) >= 2 for s in series)]
    if not names:
        return None
    cols = min(3, len(names))
    rows = (len(names) + cols - 1) // cols
    # a Figure, not pyplot: the caller's matplotlib backend (a notebook's inline plots) is left alone
    fig = Figure(figsize=(4.2 * cols, 2.9 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        for s in (s for s in series if s.name == name and len(s.points) >= 2):
            t = [p.taken_at for p in s.points]
            v = np.array([p.value for p in s.points])
            u = np.array([np.nan if p.uncertainty is None else p.uncertainty for p in s.points])
            ax.errorbar(t, v, yerr=u, marker="o", ms=4, capsize=3, lw=1.2, color=_COLOURS[s.side],
                        label=s.side or "")  # fmt: skip
            ax.set_ylabel(s.unit)
        ax.set_title(name, fontsize=9)
        ax.grid(alpha=0.3)
        locator = mdates.AutoDateLocator(minticks=2, maxticks=5)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.tick_params(axis="x", labelsize=7)
        if any(label for label in ax.get_legend_handles_labels()[1]):
            ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _png_uri(data: bytes) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


#: The same quantity in several units: only the first one stored is shown (millimetres over a share
#: of the hip width over image pixels), so each measure has one row.
_VARIANTS = (
    ("hip_height_diff_mm", "hip_height_diff_pct_hip_width", "hip_height_diff_px"),
    ("lateral_pelvic_shift_mm", "lateral_pelvic_shift_pct_hip_width", "lateral_pelvic_shift_px"),
)


def one_row_per_measure(changes: Sequence[Change]) -> list[Change]:
    """``changes`` without the other-unit variants of a measure that is there in a better unit."""
    present = {(c.series.name, c.series.side) for c in changes}
    dropped = set()
    for variants in _VARIANTS:
        for side in {side for _, side in present}:
            have = [v for v in variants if (v, side) in present]
            dropped |= {(v, side) for v in have[1:]}
    return [c for c in changes if (c.series.name, c.series.side) not in dropped]


def _plain(series: Series) -> str:
    base = PLAIN.get(series.name, series.name)
    return f"{base}, {series.side}" if series.side else base


def change_in_words(c: Change) -> str:
    """``Hip line tilt: 2.6 deg nearer level since 5 January 2026 (beyond measurement noise).``"""
    toward = "nearer level" if abs(c.now.value) < abs(c.then.value) else "further from level"
    if MIRRORING.get(c.series.name) is not Mirroring.FLIP:  # not a left/right tilt or shift
        toward = "higher" if c.delta > 0 else "lower"
    when = f"{c.then.taken_at.day} {c.then.taken_at:%B %Y}"
    noise = "beyond measurement noise" if c.beyond else "within measurement noise"
    return f"{_plain(c.series)}: {abs(c.delta):.1f} {c.series.unit} {toward} since {when} ({noise})."


def _change_row(c: Change) -> str:
    s = c.series
    unc = "–" if c.uncertainty is None else f"± {K * c.uncertainty:.2f}"
    cls = "confident" if c.beyond else "plain"
    return (
        f"<tr><td>{_e(_plain(s))}<div><code>{_e(s.label)}</code></div></td><td>{_e(s.unit)}</td>"
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


def _kind_section(kind: str, series: Sequence[Series], baseline: datetime | None) -> str:
    mine = [s for s in series if s.kind == kind]
    if not mine:
        return ""
    png = _plot_kind(kind, mine)
    plot = (
        f'<figure><img src="{_png_uri(png)}" alt="{_e(kind)} trends"><figcaption>Each point is one session, '
        "with its uncertainty (± 1 SD) as a bar.</figcaption></figure>"
        if png
        else ""
    )
    return (
        f"<section><h2>{_e(_KIND_TITLE[kind])}</h2>{plot}<h3>Then against now</h3>"
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
        f"{component('bullet_list', r.get('how', []), 'ol')}</div>"
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
            component("page_header", "Client history", span, client, datetime.now(), None),
            note,
            *(_kind_section(kind, series, baseline) for kind in ("photo", "gait")),
            _current(db, sessions),
            _sessions_table(sessions, out),
            _closing_text(),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Client history</title><style>{stylesheet()}</style></head>\n"
        f"<body><main>{body}</main></body></html>\n"
    )


def _closing_text() -> str:
    from posture.findings import load_knowledge

    return component("closing", load_knowledge().general)


def write_history(db: HistoryDB, client: str, out: Path, baseline: datetime | None = None) -> Path:
    """Write ``out/history.html`` atomically; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    return write_report(out / "history.html", render_history(db, client, out, baseline))
