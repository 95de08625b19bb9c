"""What ``posture gait`` prints of a walking analysis's document."""

from __future__ import annotations

import copy

from posture.commands.gait import gait_summary
from posture.findings.units import uncertainty_number
from posture.pipeline.gait import GaitOptions
from posture.pipeline.gait_files import ALL_FILES
from tests.test_unit._fixtures import gait_document

GAIT = gait_document()


def test_a_side_walk_prints_view_subject_pace_both_sides_and_left_against_right():
    lines = gait_summary(GAIT, GaitOptions(input="walk.mp4"))
    measures = GAIT["measures"]
    cadence = GAIT["spatiotemporal"]["cadence_spm"]["mean"]
    left = measures["stance_pct_left"]
    assert (
        lines[0]
        == f"walk.mp4: side view, subject #0, {len(GAIT['events'])} events, cadence {cadence:.1f} steps/min"
    )
    assert lines[1] == f"  walker #0: {GAIT['subject']['reason']}"
    assert lines[2].startswith("  walking: cadence ")
    assert lines[3].startswith("  left  step time ")
    shown = uncertainty_number(left["uncertainty"], "%", 1)  # "<0.1" for this even synthetic walk
    assert f"stance {left['value']:.1f} ±{shown}%, swing " in lines[3]
    assert lines[4].startswith("  right step time ")
    assert lines[5].startswith("  left against right: step time ")


def test_a_difference_is_named_only_beyond_twice_its_uncertainty():
    doc = copy.deepcopy(GAIT)
    si = doc["measures"]["step_time_si_pct"]
    si.update(value=3.0, uncertainty=2.0)
    assert "step time +3.0% ±2.0% (within measurement noise)" in gait_summary(doc, GaitOptions(input="w"))[5]
    si.update(value=-5.0, uncertainty=2.0)
    assert "step time -5.0% ±2.0% (left longer)" in gait_summary(doc, GaitOptions(input="w"))[5]


def test_other_people_refusals_findings_missing_steps_and_notes_get_their_own_lines():
    doc = copy.deepcopy(GAIT)
    doc["subject"]["people"].append({"track_id": 4, "walked_body_heights": 0.25})
    doc["footage"] = {"refused": ["the clip is 12 fps"], "not_enough_steps": {"left": "only 1 left step"}}
    doc["findings"] = [{"title": "Short left stance", "severity": "mild"}]
    doc["event_notes"] = ["heel strikes from the ankle", "not analysed: 2.0-3.0 s crowded"]
    lines = gait_summary(doc, GaitOptions(input="w.mp4"))
    assert lines[2:4] == [
        "  others (body heights walked; choose one with --subject ID): #4 0.2",
        "  refused: the clip is 12 fps",
    ]
    assert lines[-3:] == [
        "  finding: Short left stance (mild)",
        "  not measured: only 1 left step",
        "  note: heel strikes from the ankle",
    ]


def test_unmeasured_cadence_and_a_withheld_stance_say_why():
    doc = copy.deepcopy(GAIT)
    doc["spatiotemporal"]["cadence_spm"] = {"mean": None, "sd": None, "n": 0}
    doc["measures"]["stance_pct_left"].update(value=None, uncertainty=None, note="needs a side view: toe off")
    lines = gait_summary(doc, GaitOptions(input="w.mp4"))
    assert lines[0].endswith("cadence not measured")
    assert any(
        line.startswith("  left ") and "stance not measured (needs a side view)" in line for line in lines
    )


def test_the_files_line_lists_what_is_in_the_folder_report_first(tmp_path):
    for name in ("steps.csv", "result.json", "report.html", "angles.png"):
        (tmp_path / name).write_text("x")
    (tmp_path / "unrelated.txt").write_text("x")
    lines = gait_summary(GAIT, GaitOptions(input="w.mp4", out=tmp_path))
    written = ", ".join(n for n in ALL_FILES if n in ("steps.csv", "result.json", "angles.png"))
    assert lines[-1] == f"  wrote {tmp_path}/report.html, {written}"
    assert lines[-1].endswith("result.json, steps.csv, angles.png")
