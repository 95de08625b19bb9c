"""The standing check's files: annotated.png, report.html, result.json and (``--pdf``) report.pdf."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2

from posture.io.atomic import atomic_open, atomic_path, staged_folder
from posture.pipeline.report_files import PDF_FILE, shared_parts, write_reports
from posture.report.client import screened_rows

if TYPE_CHECKING:
    from posture.pipeline.photo import PhotoAnalysis


#: The annotated picture, beside report.html (the client history shows it again, before and after).
ANNOTATED = "annotated.png"

#: The files :func:`write_photo` writes.
OUTPUT_FILES = (ANNOTATED, "report.html", "result.json")

#: Every file a run may write (removed again when storing the session fails).
ALL_FILES = OUTPUT_FILES + (PDF_FILE,)


def write_photo(analysis: PhotoAnalysis, out: Path, pdf: str | None = None) -> list[Path]:
    """Write annotated.png, report.html and result.json (and with ``pdf``, the paper size,
    report.pdf) into ``out`` (created); return their paths.

    The files are written into a hidden folder and moved into ``out`` only when all are
    complete; a failure (a full disk) leaves ``out`` as it was.
    """
    with staged_folder(out) as stage:
        _write_photo_files(analysis, stage, pdf)
    return [out / name for name in ALL_FILES if (out / name).is_file()]


def _report_parts(analysis: PhotoAnalysis) -> dict[str, Any]:
    result = analysis.result
    measures = list(result.measures.values())
    return {
        "title": "Standing posture check",
        "subtitle": f"{result.view.value} view, {len(result.pictures)} picture(s)",
        "images": [(_caption(result.view.is_side), analysis.annotated)],
        "measures": measures,
        **shared_parts(analysis.doc, analysis.findings, analysis.recommendations, analysis.knowledge),
        "warnings": result.warnings,
        "withheld": withheld_reason(result.protocol),
        "key_rows": screened_rows(measures, analysis.knowledge),
        "key_heading": "Key numbers",
        "beside": True,
    }


def _caption(side: bool) -> str:
    if side:
        return "The picture with the plumb line and the trunk, head and pelvis lines"
    return "The picture with the hip line, the shoulder line and the plumb line"


def _write_photo_files(analysis: PhotoAnalysis, out: Path, pdf: str | None) -> None:
    with atomic_path(out / ANNOTATED) as tmp:
        tmp.write_bytes(cv2.imencode(".png", analysis.annotated)[1].tobytes())
    write_reports(_report_parts(analysis), out, pdf)
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
