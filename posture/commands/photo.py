"""``posture photo``: what the terminal shows of a standing check (see :mod:`posture.pipeline.photo`)."""

from __future__ import annotations

from typing import Any

from posture.pipeline.photo import PhotoOptions


def photo_summary(doc: dict[str, Any], opts: PhotoOptions) -> list[str]:
    """The lines ``posture photo`` prints: view, each measure with its uncertainty, findings, notes, files."""
    lines = [f"{', '.join(opts.inputs)}: {doc['view']} view ({doc['view_reason']})"]
    for name, m in doc["measures"].items():
        if m["value"] is not None:
            unc = f" ± {m['uncertainty']:.2f}" if m["uncertainty"] is not None else ""
            lines.append(f"  {name:38s} {m['value']:+9.2f}{unc} {m['unit']}")
    for f in doc["findings"]:
        lines.append(f"  finding: {f['title']} ({f['severity']})")
        if f.get("note"):  # e.g. no exercise from the sources addresses it
            lines.append(f"    {f['note']}")
    lines += [f"  note: {w}" for w in doc["warnings"]]
    if opts.out is not None:
        pdf = ", report.pdf" if opts.pdf else ""
        lines.append(f"  wrote {opts.out / 'report.html'}{pdf}, result.json, annotated.png")
    return lines
