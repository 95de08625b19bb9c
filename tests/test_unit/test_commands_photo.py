"""What ``posture photo`` prints of a standing check's document."""

from __future__ import annotations

from pathlib import Path

from posture.commands.photo import photo_summary
from posture.pipeline.photo import PhotoOptions
from tests.test_unit._fixtures import PHOTO_DOCUMENT


def test_the_lines_show_view_measured_values_findings_and_notes():
    lines = photo_summary(PHOTO_DOCUMENT, PhotoOptions(inputs=["front.jpg", "front2.jpg"]))
    assert lines == [
        "front.jpg, front2.jpg: front view (shoulders 0.9 of the torso height apart)",
        f"  {'pelvic_obliquity_deg':38s}     +2.50 ± 0.50 deg",
        f"  {'hip_height_diff_mm':38s}     -8.25 mm",
        "  finding: Left hip higher (mild)",
        "  note: the picture is tilted 3 degrees; corrected",
    ]


def test_a_measure_without_a_value_is_not_printed():
    lines = photo_summary(PHOTO_DOCUMENT, PhotoOptions(inputs=["a.jpg"]))
    assert not any("anterior_pelvic_tilt_deg" in line for line in lines)


def test_with_an_output_folder_the_written_files_are_named():
    lines = photo_summary(PHOTO_DOCUMENT, PhotoOptions(inputs=["a.jpg"], out=Path("out")))
    assert lines[-1] == f"  wrote {Path('out') / 'report.html'}, result.json, annotated.png"


def test_a_finding_s_note_is_printed_under_it():
    finding = {"id": "head_forward", "title": "Head carried forward of the shoulders", "severity": "mild",
               "note": "No exercise from the sources addresses this."}  # fmt: skip
    doc = {**PHOTO_DOCUMENT, "findings": [*PHOTO_DOCUMENT["findings"], finding]}
    lines = photo_summary(doc, PhotoOptions(inputs=["side.jpg"]))
    at = lines.index("  finding: Head carried forward of the shoulders (mild)")
    assert lines[at + 1] == "    No exercise from the sources addresses this."
    assert lines[at - 1] == "  finding: Left hip higher (mild)"  # a finding without a note adds no line
