"""``posture gait``: what the terminal shows of a walking analysis (see :mod:`posture.pipeline.gait`)."""

from __future__ import annotations

from typing import Any

from posture.core.result import CheckResult
from posture.data.skeleton import SIDES
from posture.gait import summary
from posture.pipeline.gait import GaitOptions
from posture.pipeline.gait_files import ALL_FILES


def gait_summary(doc: dict[str, Any], opts: GaitOptions) -> list[str]:
    """The lines ``posture gait`` prints: view, subject, events, cadence, stance, findings, notes, files."""
    cadence = doc["spatiotemporal"]["cadence_spm"].get("mean")
    cadence_text = "not measured" if cadence is None else f"{cadence:.1f} steps/min"
    lines = [
        f"{opts.input}: {doc['view']} view, subject #{doc['subject']['track_id']}, "
        f"{len(doc['events'])} events, cadence {cadence_text}"
    ]
    lines.append(f"  walker #{doc['subject']['track_id']}: {doc['subject']['reason']}")
    others = [p for p in doc["subject"].get("people", []) if p["track_id"] != doc["subject"]["track_id"]]
    if others:
        listed = ", ".join(f"#{p['track_id']} {p['walked_body_heights']:.1f}" for p in others[:6])
        lines.append(f"  others (body heights walked; choose one with --subject ID): {listed}")
    lines += [f"  refused: {reason}" for reason in doc.get("footage", {}).get("refused", [])]
    lines += walking_lines(CheckResult.from_document(doc))
    lines += [f"  finding: {f['title']} ({f['severity']})" for f in doc["findings"]]
    lines += [f"  not measured: {why}" for why in doc.get("footage", {}).get("not_enough_steps", {}).values()]
    lines += [f"  note: {note}" for note in doc.get("event_notes", []) if not note.startswith("not analysed")]
    if opts.out is not None:
        written = [name for name in ALL_FILES if (opts.out / name).is_file() and name != "report.html"]
        lines.append(f"  wrote {opts.out}/report.html, {', '.join(written)}")
    return lines


def walking_lines(check: CheckResult) -> list[str]:
    """The walking summary (:mod:`posture.gait.summary`): pace, each side, left against right."""
    pace = [f"{r.label.lower()} {r.left}" for r in summary.pace_rows(check) if r.left != "not measured"]
    cadence = check.measures.get("cadence_spm")
    lines = [
        f"  walking: {', '.join(pace)}" if pace else f"  walking: not measured ({cadence and cadence.note})"
    ]
    rows = summary.side_rows(check)
    for k, side in enumerate(SIDES):
        shown = [f"{r.label.split(' (')[0].lower()} {(r.left, r.right)[k]}" for r in rows]
        why = summary.withheld(check)
        if why:
            shown.append(f"stance not measured ({why})")
        lines.append(f"  {side:5s} {', '.join(shown) or 'not measured'}")
    compared = summary.symmetry_lines(check)
    if compared:
        lines.append(f"  left against right: {'; '.join(compared)}")
    return lines
