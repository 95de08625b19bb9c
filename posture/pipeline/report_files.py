"""What both checks' reports share: the parts every report takes from the analysis, and report.pdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from posture.findings.types import Finding, Knowledge, Recommendation
from posture.report.html import render_report, taken_of, write_report

#: Written with ``--pdf``: the client page, printed.
PDF_FILE = "report.pdf"


def shared_parts(
    doc: dict[str, Any], findings: list[Finding], recommendations: list[Recommendation], knowledge: Knowledge
) -> dict[str, Any]:
    """The report's parts that come from the result document and the knowledge base alike for
    both checks: findings, exercises, the disclaimer, provenance, client and date taken."""
    return {
        "findings": findings,
        "recommendations": recommendations,
        "general": knowledge.general,
        "provenance": doc["provenance"],
        "client": doc["client"],
        "taken": taken_of(doc),
    }


def write_reports(parts: dict[str, Any], out: Path, pdf: str | None) -> None:
    """report.html, and with ``pdf`` (the paper size) report.pdf of the client page."""
    write_report(out / "report.html", render_report(**parts))
    if pdf is not None:
        from posture.report.pdf import write_pdf

        write_pdf(render_report(**parts, printed=True, paper=pdf), out / PDF_FILE)
