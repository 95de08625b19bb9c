"""``posture gait``: what the terminal shows of a walking analysis (see :mod:`posture.pipeline.gait`)."""

from __future__ import annotations

from typing import Any

from posture.core.measure import Measure
from posture.core.result import CheckResult
from posture.data.skeleton import SIDES
from posture.findings.units import DECIMALS, format_quantity, format_uncertainty, unit_label
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


#: Per side, what the terminal shows: measure quantity -> label.
_SIDE_LINE = {
    "stance_pct": "stance", "swing_pct": "swing", "double_support_time_s": "double support",
    "step_time_s": "step", "step_length_m": "step length",
}  # fmt: skip
#: Left against right, what the terminal shows: symmetry measure -> what is compared.
_SYMMETRY_LINE = {
    "step_time_si_pct": "step time", "stance_time_si_pct": "stance time",
    "step_length_m_si_pct": "step length",
}  # fmt: skip


def _with_uncertainty(m: Measure) -> str:
    """``0.54 ±0.03 m``: the value to the decimals its uncertainty needs (at least the unit's own)."""
    label = unit_label(m.unit)
    digits = DECIMALS.get(m.unit, 2)
    if m.uncertainty is None:
        return f"{format_quantity(m.value, m.unit)}"
    while m.uncertainty > 0 and round(m.uncertainty, digits) == 0 and digits < 4:
        digits += 1  # 108 ±0 steps/min would hide a real uncertainty of 0.5
    return f"{m.value:.{digits}f} ±{m.uncertainty:.{digits}f}{label}"


def walking_lines(check: CheckResult) -> list[str]:
    """The walking summary: pace, each side's timing and step length, and left against right.

    A left/right difference is called one only when it is larger than twice its
    uncertainty (as the history judges a change); otherwise it is within measurement noise.
    """
    m = check.measures
    pace = [f"{label} {_with_uncertainty(m[name])}" for name, label in (("cadence_spm", "cadence"),
            ("speed_m_s", "speed")) if name in m and m[name].known]  # fmt: skip
    lines = [
        f"  walking: {', '.join(pace)}" if pace else f"  walking: not measured ({m['cadence_spm'].note})"
    ]
    for side in SIDES:
        shown = [f"{label} {_with_uncertainty(m[f'{q}_{side}'])}" for q, label in _SIDE_LINE.items()
                 if f"{q}_{side}" in m and m[f"{q}_{side}"].known]  # fmt: skip
        stance = m.get(f"stance_pct_{side}")
        if stance is not None and not stance.known and stance.note:
            shown.append(f"stance not measured ({stance.note.split(':')[0]})")
        lines.append(f"  {side:5s} {', '.join(shown) or 'not measured'}")
    compared = [
        _difference(m[name], what) for name, what in _SYMMETRY_LINE.items() if name in m and m[name].known
    ]
    if compared:
        lines.append(f"  left against right: {'; '.join(compared)}")
    return lines


def _difference(si: Measure, what: str) -> str:
    """``step time +2.4 ±0.8%: right longer`` or ``... within measurement noise``."""
    value = si.value or 0.0
    text = f"{what} {format_quantity(value, '%')} {format_uncertainty(si.uncertainty, '%')}"
    if si.uncertainty is None:
        return f"{text} (uncertainty unknown: not judged)"
    if abs(value) <= 2 * si.uncertainty:
        return f"{text} (within measurement noise)"
    return (
        f"{text} ({'right' if value > 0 else 'left'} {'longer' if 'length' not in what else 'longer steps'})"
    )
