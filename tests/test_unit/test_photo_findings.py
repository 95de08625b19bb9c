"""Findings within their uncertainty of level are not presented (``posture photo``)."""

import pytest

from posture.findings.types import Finding
from posture.pipeline.photo import distinct_findings


def _finding(value: float, uncertainty: float | None) -> Finding:
    threshold = 2.0
    return Finding(
        id="left_hip_higher", title="Left hip higher", severity="mild", severity_rank=1, side="left",
        measure="pelvic_obliquity_deg", value=value, unit="deg", uncertainty=uncertainty,
        threshold=threshold, excess=value - threshold, confident=False, explanation="",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("value", "uncertainty", "kept"),
    [(2.5, 1.0, True), (2.5, 2.6, False), (3.0, 3.0, False), (2.2, None, True)],
)
def test_findings_within_uncertainty_of_level_are_withheld(value, uncertainty, kept):
    findings, notes = distinct_findings([_finding(value, uncertainty)])
    assert bool(findings) is kept
    assert bool(notes) is not kept
    if notes:
        assert "within its uncertainty of level" in notes[0]
