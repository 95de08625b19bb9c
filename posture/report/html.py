"""One self-contained HTML report: inline CSS, images as data URIs, no scripts, no fonts.

The page opens offline and prints cleanly. Every piece of text that reaches the page
(client name, file names, captions, measure notes, provenance values) is
HTML-escaped; only this module's own fixed markup is emitted raw.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture.core.measure import Measure
from posture.core.names import plain_name
from posture.findings.types import Finding, General, Recommendation, Source
from posture.findings.units import format_quantity, format_uncertainty
from posture.io.atomic import atomic_open

__all__ = ["image_data_uri", "render_report", "write_report"]

_CSS = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --paper: #ffffff; --tint: #f5f7fa;
        --mild: #b7791f; --moderate: #c05621; --marked: #c53030; --ok: #2f855a; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--tint); color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px; background: var(--paper); }
header { border-bottom: 3px solid var(--ink); padding-bottom: 12px; margin-bottom: 8px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 28px 0 10px; font-size: 19px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 0 0 6px; font-size: 16px; }
.sub, .meta, .muted { color: var(--muted); }
.meta { font-size: 13px; margin-top: 6px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin: 10px 0;
        break-inside: avoid; page-break-inside: avoid; }
.card.mild { border-left: 5px solid var(--mild); }
.card.moderate { border-left: 5px solid var(--moderate); }
.card.marked { border-left: 5px solid var(--marked); }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px;
         margin-left: 6px; color: #fff; background: var(--muted); vertical-align: middle; }
.badge.mild { background: var(--mild); } .badge.moderate { background: var(--moderate); }
.badge.marked { background: var(--marked); } .badge.confident { background: var(--ok); }
.badge.plain { background: #fff; color: var(--muted); border: 1px solid var(--line); }
.numbers { font-size: 13px; color: var(--muted); margin-top: 6px; }
figure { margin: 12px 0; break-inside: avoid; page-break-inside: avoid; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); display: block; }
figure video { max-width: 100%; height: auto; border: 1px solid var(--line); display: block; }
@media print { figure.video { display: none; } }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th, td { overflow-wrap: anywhere; }
th { background: var(--tint); font-weight: 600; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font-size: 12px; color: var(--muted); }
ol.steps { margin: 4px 0 8px 18px; padding: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
.closing { margin-top: 28px; padding: 12px 14px; border: 2px solid var(--ink); border-radius: 6px; }
code { overflow-wrap: anywhere; }
@media (max-width: 600px) {
  main { padding: 12px; }
  table, tbody, tr, th, td { display: block; width: auto; }
  th, td { overflow-wrap: anywhere; }
  thead { display: none; }
  tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
  td { border: none; padding: 2px 4px; }
  td.num { font-weight: 600; }
  td[data-label]::before { content: attr(data-label) " "; font-weight: 400; color: var(--muted); }
}
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .badge { border: 1px solid #000; }
}
@page { margin: 15mm; }
"""


def _e(text: object) -> str:
    """HTML-escape any value's text (quotes included)."""
    return html.escape(str(text), quote=True)


def image_data_uri(image: np.ndarray, fmt: str = "jpeg", quality: int = 90) -> str:
    """A ``data:`` URI of a BGR (or grey) uint8 image, encoded as JPEG or PNG.

    Raises
    ------
    ValueError
        The array is not an (H, W), (H, W, 3) or (H, W, 4) uint8 image, or ``fmt`` is unknown.
    """
    channels = image.shape[2] if image.ndim == 3 else 1
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or channels not in (1, 3, 4):
        raise ValueError(
            f"expected a uint8 image of shape (H, W), (H, W, 3) or (H, W, 4); got {image.dtype} {image.shape}"
        )
    if fmt not in ("jpeg", "png"):
        raise ValueError(f"expected fmt 'jpeg' or 'png', got {fmt!r}")
    if fmt == "jpeg" and image.ndim == 3 and image.shape[2] == 4:
        image = image[:, :, :3]
    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if fmt == "jpeg" else []
    ok, buffer = cv2.imencode(".jpg" if fmt == "jpeg" else ".png", np.ascontiguousarray(image), params)
    if not ok:
        raise ValueError(f"could not encode an image of shape {image.shape} as {fmt}")
    return f"data:image/{fmt};base64,{base64.b64encode(buffer.tobytes()).decode('ascii')}"


def _badge(text: str, cls: str) -> str:
    return f'<span class="badge {_e(cls)}">{_e(text)}</span>'


def _confidence_badge(finding: Finding) -> str:
    if finding.confident:
        return _badge("beyond uncertainty", "confident")
    return _badge("within uncertainty", "plain")


def taken_of(document: Mapping[str, Any]) -> tuple[datetime, str] | None:
    """A result document's ``taken`` date and its origin, or ``None``."""
    taken = document.get("taken")
    if not isinstance(taken, Mapping) or not taken.get("at"):
        return None
    return datetime.fromisoformat(str(taken["at"])), str(taken.get("from", ""))


def _header(
    title: str,
    subtitle: str,
    client: str | None,
    created: datetime,
    taken: tuple[datetime, str] | None = None,
) -> str:
    """The title, the client, when the pictures or clip were taken (and how that is known), and when
    the report was made."""
    client_line = f"<div><strong>Client:</strong> {_e(client)}</div>" if client else ""
    sub = f'<div class="sub">{_e(subtitle)}</div>' if subtitle else ""
    dates = ""
    if taken is not None:
        how = {"stated": "as stated", "metadata": "from the file's metadata", "file time": "the file's time"}
        when = (
            taken[0].strftime("%-d %B %Y")
            if taken[0].time() == datetime.min.time()
            else (taken[0].strftime("%-d %B %Y, %H:%M"))
        )
        dates += f"<div><strong>Taken:</strong> {_e(when)} ({_e(how.get(taken[1], taken[1]))})</div>"
    dates += f"<div><strong>Report made:</strong> {_e(created.strftime('%Y-%m-%d %H:%M'))}</div>"
    return f'<header><h1>{_e(title)}</h1>{sub}<div class="meta">{client_line}{dates}</div></header>'


def _finding_numbers(f: Finding) -> str:
    proxy = " (estimate)" if f.estimate else ""
    return (
        f'<div class="numbers">Measured <strong>{_e(format_quantity(f.value, f.unit))}</strong>'
        f" {_e(format_uncertainty(f.uncertainty, f.unit))}{_e(proxy)} · screening threshold"
        f" {_e(format_quantity(f.threshold, f.unit))} · measure <code>{_e(f.measure)}</code></div>"
    )


def _finding_card(f: Finding) -> str:
    return (
        f'<div class="card {_e(f.severity)}"><h3>{_e(f.title)}{_badge(f.severity, f.severity)}'
        f"{_confidence_badge(f)}</h3><div>{_e(f.explanation)}</div>{_finding_numbers(f)}</div>"
    )


def _summary(findings: Sequence[Finding], withheld: str | None = None) -> str:
    if withheld:
        body = (
            f'<div class="card"><h3>No findings from this picture</h3><div>{_e(withheld)}</div>'
            '<div class="muted">What to change is under "Quality notes and warnings" below; the '
            "measures that could still be taken are listed, without findings.</div></div>"
        )
    elif not findings:
        body = '<p class="muted">No measure reached a screening band.</p>'
    else:
        body = "".join(_finding_card(f) for f in findings)
    intro = (
        '<p class="muted">Most severe first. "Within uncertainty" means the value lies less than one '
        "uncertainty beyond its threshold, so the finding may be measurement noise.</p>"
    )
    return f"<section><h2>Summary of findings</h2>{intro if findings else ''}{body}</section>"


def _images(images: Sequence[tuple[str, np.ndarray]]) -> str:
    if not images:
        return ""
    figures = "".join(
        f'<figure><img src="{image_data_uri(img)}" alt="{_e(caption)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
        for caption, img in images
    )
    return f"<section><h2>Annotated images</h2>{figures}</section>"


def _video(video: tuple[str, str] | None) -> str:
    """The overlay video beside the report (linked, not embedded: ``(file name, caption)``)."""
    if video is None:
        return ""
    name, caption = video
    return (
        f'<section><h2>Video</h2><figure class="video"><video controls playsinline preload="metadata" '
        f'src="{_e(name)}"></video><figcaption>{_e(caption)} (<a href="{_e(name)}">{_e(name)}</a>)'
        "</figcaption></figure></section>"
    )


def _measure_row(m: Measure) -> str:
    if m.known:
        value = f"{format_quantity(m.value, m.unit)} {format_uncertainty(m.uncertainty, m.unit)}"
    else:
        value = "not measured"
    tag = _badge("estimate", "plain") if m.estimate else ""
    note = f'<div class="muted">{_e(m.note)}</div>' if m.note else ""
    return (
        f"<tr><td>{_e(plain_name(m))}{tag}<div><code>{_e(m.name)}</code></div></td>"
        f"<td class='num'>{_e(value)}</td>"
        f"<td>{_e(m.unit)}</td><td>{_e(m.meaning)}{note}</td></tr>"
    )


def _key_numbers(rows: Sequence[tuple[str, str, str | None, str]], notes: Sequence[str]) -> str:
    """The walking numbers that matter: (label, left or the one value, right or None, normal range)."""
    if not rows:
        return ""
    typical = "<td data-label='typical'>{}</td>"
    body = "".join(
        f"<tr><td>{_e(label)}</td><td class='num' colspan='2'>{_e(left)}</td>"
        f"{typical.format(_e(normal)) if normal else '<td></td>'}</tr>"
        if right is None
        else f"<tr><td>{_e(label)}</td><td class='num' data-label='left'>{_e(left)}</td>"
        f"<td class='num' data-label='right'>{_e(right)}</td>"
        f"{typical.format(_e(normal)) if normal else '<td></td>'}</tr>"
        for label, left, right, normal in rows
    )
    listed = "".join(f"<li>{_e(n)}</li>" for n in notes)
    return (
        "<section><h2>Walking at a glance</h2><table><thead><tr><th></th><th>Left</th><th>Right</th>"
        f"<th>Typical for adults</th></tr></thead><tbody>{body}</tbody></table>"
        f"{f'<ul>{listed}</ul>' if listed else ''}</section>"
    )


def _measures(measures: Sequence[Measure]) -> str:
    if not measures:
        return ""
    rows = "".join(_measure_row(m) for m in measures)
    return (
        "<section><h2>Measures</h2><table><thead><tr><th>Measure</th><th>Value (± 1 SD)</th><th>Unit</th>"
        f"<th>Meaning</th></tr></thead><tbody>{rows}</tbody></table>"
        '<p class="muted">Values marked "estimate" are proxies from 2D keypoints.</p></section>'
    )


def _list(items: Iterable[str], tag: str = "ul", cls: str = "") -> str:
    attr = f' class="{_e(cls)}"' if cls else ""
    return f"<{tag}{attr}>" + "".join(f"<li>{_e(x)}</li>" for x in items) + f"</{tag}>"


def _sources_text(sources: Sequence[Source]) -> str:
    return "; ".join(f"{s.title} ({s.id})" for s in sources)


def _recommendation_card(r: Recommendation) -> str:
    ex = r.exercise
    addressed = ", ".join(f"{f.title} ({f.severity})" for f in r.addresses)
    dose_note = "" if ex.dose_from_source else " (suggested starting dose)"
    facts = (
        f"<dt>Addresses</dt><dd>{_e(addressed)}</dd>"
        f"<dt>Dose</dt><dd>{_e(ex.dose)}{_e(dose_note)}</dd>"
        f"<dt>Targets</dt><dd>{_e(', '.join(ex.targets))}</dd>"
        f"<dt>Source</dt><dd>{_e(_sources_text(ex.sources))}</dd>"
    )
    cautions = f"<strong>Cautions</strong>{_list(ex.cautions)}" if ex.cautions else ""
    return (
        f'<div class="card"><h3>{r.rank}. {_e(ex.name)}{_badge(ex.kind, "plain")}</h3>'
        f'<dl class="facts">{facts}</dl><strong>How</strong>{_list(ex.how, "ol", "steps")}{cautions}</div>'
    )


def _recommendations(recommendations: Sequence[Recommendation], general: General) -> str:
    guidance = f"<h3>Before you start</h3>{_list(general.guidance)}" if general.guidance else ""
    if recommendations:
        cards = "".join(_recommendation_card(r) for r in recommendations)
    else:
        cards = '<p class="muted">No exercise is suggested because no finding was made.</p>'
    return f"<section><h2>Suggested exercises (priority order)</h2>{guidance}{cards}</section>"


def _warnings(warnings: Sequence[str]) -> str:
    if not warnings:
        return ""
    return f"<section><h2>Quality notes and warnings</h2>{_list(warnings)}</section>"


def _flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(_flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            rows.append((name, ", ".join(str(v) for v in value)))
        else:
            rows.append((name, "–" if value is None else str(value)))
    return rows


def _provenance(provenance: Mapping[str, Any]) -> str:
    if not provenance:
        return ""
    rows = "".join(f"<tr><th>{_e(k)}</th><td><code>{_e(v)}</code></td></tr>" for k, v in _flatten(provenance))
    return f"<section><h2>How this report was made</h2><table><tbody>{rows}</tbody></table></section>"


def _closing(general: General) -> str:
    text = general.disclaimer or "This report is a screening aid, not a diagnosis."
    return f'<section class="closing"><h3>Screening, not diagnosis</h3><p>{_e(text)}</p></section>'


def render_report(
    *,
    title: str,
    subtitle: str,
    images: Sequence[tuple[str, np.ndarray]],
    measures: Sequence[Measure],
    findings: Sequence[Finding],
    recommendations: Sequence[Recommendation],
    general: General,
    provenance: Mapping[str, Any],
    client: str | None,
    warnings: Sequence[str],
    created: datetime | None = None,
    withheld: str | None = None,
    taken: tuple[datetime, str] | None = None,
    video: tuple[str, str] | None = None,
    key_numbers: Sequence[tuple[str, str, str | None, str]] = (),
    key_notes: Sequence[str] = (),
) -> str:
    """The whole report as one HTML page (UTF-8 text).

    ``images`` are ``(caption, BGR uint8 array)`` pairs, embedded as JPEG data URIs.
    ``created`` defaults to now (local time); ``taken`` is when the pictures or clip were taken
    and how that is known ("stated", "metadata", "file time"); ``video`` is a (file name,
    caption) of a video in the report's folder, shown with controls. ``withheld`` says why no findings are
    given (the pictures do not follow the protocol), in place of the findings.
    """
    body = "".join(
        (
            _header(title, subtitle, client, created or datetime.now(), taken),
            _summary(findings, withheld),
            _key_numbers(key_numbers, key_notes),
            _video(video),
            _images(images),
            _measures(measures),
            _recommendations(recommendations, general),
            _warnings(warnings),
            _provenance(provenance),
            _closing(general),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n<body><main>{body}</main></body></html>\n"
    )


def write_report(path: str | Path, page: str) -> Path:
    """Write the page atomically (a half-written report never replaces a good one)."""
    target = Path(path)
    with atomic_open(target, "w", encoding="utf-8") as handle:
        handle.write(page)
    return target
