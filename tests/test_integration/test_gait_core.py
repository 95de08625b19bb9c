"""Gait analysis with the real pose model on the shipped walking samples, against their truth events.

Tolerances are what the analysis reaches on these clips, with a margin (see
benchmarks/results/gait.md for the full synthetic benchmark).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from posture.gait import analyse_gait
from posture.pose.run import load_pose
from tests.conftest import SAMPLES

#: name -> (view, HS MAE limit in frames, TO MAE limit in frames, least share of truth events found)
CASES = {
    "walk_side": ("side", 0.6, 1.6, 0.7),
    "walk_front": ("front", 1.0, 1.0, 0.8),
}
#: The front/back event rules were made on a synthetic walker whose feet slid; on the walker that plants
#: its feet, as on real walkers (benchmarks/results/gait_kinematics.md), their heel strikes come late
#: and most toe offs are missed. Expected to fail until those rules are redone.
FRONTAL_RULES_FAIL = "front/back event rules do not hold on planted feet (nor on real walkers)"


def _errors(found: list[dict], truth: list[dict], kind: str, fps: float) -> list[float]:
    out = []
    for ev in (e for e in truth if e["kind"] == kind):
        times = [f["time_s"] for f in found if f["kind"] == kind and f["side"] == ev["side"]]
        if times:
            best = min(times, key=lambda t: abs(t - ev["time_s"]))
            if abs(best - ev["time_s"]) < 0.2:
                out.append((best - ev["time_s"]) * fps)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "walk_side",
        pytest.param("walk_front", marks=pytest.mark.xfail(strict=True, reason=FRONTAL_RULES_FAIL)),
    ],
)
def test_events_match_the_truth(name):
    view, hs_limit, to_limit, share = CASES[name]
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
    result = analyse_gait(load_pose(SAMPLES / f"{name}.mp4"))
    assert result.view == view
    found = result.to_dict()["events"]
    fps = truth["fps"]
    hs = _errors(found, truth["events"], "heel_strike", fps)
    to = _errors(found, truth["events"], "toe_off", fps)
    n_truth = {k: sum(e["kind"] == k for e in truth["events"]) for k in ("heel_strike", "toe_off")}
    assert len(hs) >= share * n_truth["heel_strike"] and len(to) >= share * n_truth["toe_off"]
    assert np.mean(np.abs(hs)) <= hs_limit, f"heel strike errors (frames): {np.round(hs, 2)}"
    assert np.mean(np.abs(to)) <= to_limit, f"toe off errors (frames): {np.round(to, 2)}"
    extra = len(found) - len(hs) - len(to)
    assert extra == 0, f"{extra} detected event(s) match no true event"
    doc = {**result.check_result().to_document(), **result.to_dict()}
    assert {"subject", "view", "walking_segments", "events", "spatiotemporal", "symmetry"} <= set(doc)
    assert {"measures", "view_reason"} <= set(doc) and "view" not in result.to_dict()
    assert {"foot_strike", "frontal"} <= set(doc)
    measures = result.measures()
    for side in ("left", "right"):
        stance = measures[f"stance_pct_{side}"]
        if view == "side":
            assert abs(stance.value - truth["summary"][side]["stance_pct"]) < 8.0
        else:  # toe off from the front is not trusted on real walkers: refused, with the reason
            assert stance.value is None and "side view" in stance.note
    assert measures["cadence_spm"].value is not None
    json.dumps(doc)
