"""The standing check's files: annotated.png, report.html and result.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import cv2

from posture.io.atomic import atomic_open, atomic_path, staged_folder
from posture.report.html import render_report, taken_of, write_report

if TYPE_CHECKING:
    from posture.pipeline.photo import PhotoAnalysis


#: The annotated picture, beside report.html (the client history shows it again, before and after).
ANNOTATED = "annotated.png"

#: The files :func:`write_photo` writes.
OUTPUT_FILES = (ANNOTATED, "report.html", "result.json")


def write_photo(analysis: PhotoAnalysis, out: Path) -> list[Path]:
    """Write annotated.png, report.html and result.json into ``out`` (created); return their paths.

    The files are written into a hidden folder and moved into ``out`` only when all three are
    complete; a failure (a full disk) leaves ``out`` as it was.
    """
    with staged_folder(out) as stage:
        _write_photo_files(analysis, stage)
    return [out / name for name in OUTPUT_FILES]


def _write_photo_files(analysis: PhotoAnalysis, out: Path) -> None:
    result = analysis.result
    with atomic_path(out / ANNOTATED) as tmp:
        tmp.write_bytes(cv2.imencode(".png", analysis.annotated)[1].tobytes())
    html = render_report(
        title="Standing posture check",
        subtitle=f"{result.view.value} view, {len(result.pictures)} picture(s)",
        images=[("Annotated picture", analysis.annotated)],
        measures=list(result.measures.values()),
        findings=analysis.findings,
        recommendations=analysis.recommendations,
        general=analysis.knowledge.general,
        provenance=analysis.doc["provenance"],
        client=analysis.doc["client"],
        taken=taken_of(analysis.doc),
        warnings=result.warnings,
        withheld=withheld_reason(result.protocol),
    )
    write_report(out / "report.html", html)
    with atomic_open(out / "result.json") as handle:
        json.dump(analysis.doc, handle, indent=2)


def withheld_reason(protocol: list[str]) -> str | None:
    """Why no findings are given for pictures off the standing protocol, or None."""
    if not protocol:
        return None
    return (
        f"The picture does not follow the standing protocol ({' and '.join(protocol)}), so the measures "
        "cannot be read as findings; re-take it."
    )
