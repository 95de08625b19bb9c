"""What ``posture gait`` prints of a walking analysis's document."""

from __future__ import annotations

import copy

from posture.commands.gait import gait_summary
from posture.pipeline.gait import GaitOptions
from posture.pipeline.gait_files import ALL_FILES
from tests.test_unit._fixtures import gait_document

GAIT = gait_document()


def test_a_side_walk_prints_view_subject_events_cadence_and_both_stances():
    lines = gait_summary(GAIT, GaitOptions(input="walk.mp4"))
    cadence = GAIT["spatiotemporal"]["cadence_spm"]["mean"]
    left, right = (GAIT["spatiotemporal"][s]["stance_pct"] for s in ("left", "right"))
    assert lines == [
        f"walk.mp4: side view, subject #0, {len(GAIT['events'])} events, cadence {cadence:.1f} steps/min",
        f"  walker #0: {GAIT['subject']['reason']}",
        f"  left  stance {left['mean']:.1f} % (n={left['n']})",
        f"  right stance {right['mean']:.1f} % (n={right['n']})",
    ]
    assert lines[2] == "  left  stance 65.6 % (n=4)"


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


def test_unmeasured_cadence_and_stance_say_not_measured():
    doc = copy.deepcopy(GAIT)
    doc["spatiotemporal"]["cadence_spm"] = {"mean": None, "sd": None, "n": 0}
    doc["spatiotemporal"]["left"]["stance_pct"] = {"mean": None, "sd": None, "n": 0}
    lines = gait_summary(doc, GaitOptions(input="w.mp4"))
    assert lines[0].endswith("cadence not measured")
    assert "  left  stance not measured (n=0)" in lines


def test_the_files_line_lists_what_is_in_the_folder_report_first(tmp_path):
    for name in ("steps.csv", "result.json", "report.html", "angles.png"):
        (tmp_path / name).write_text("x")
    (tmp_path / "unrelated.txt").write_text("x")
    lines = gait_summary(GAIT, GaitOptions(input="w.mp4", out=tmp_path))
    written = ", ".join(n for n in ALL_FILES if n in ("steps.csv", "result.json", "angles.png"))
    assert lines[-1] == f"  wrote {tmp_path}/report.html, {written}"
    assert lines[-1].endswith("result.json, steps.csv, angles.png")
