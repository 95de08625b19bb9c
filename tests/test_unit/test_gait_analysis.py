"""analyse_gait end to end on exact landmark tracks (the walking sample's projected joints, no model)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.gait import analyse_gait
from tests.conftest import SAMPLES, make_sequence

_JOINTS = {"hip": (L.LEFT_HIP, L.RIGHT_HIP), "knee": (L.LEFT_KNEE, L.RIGHT_KNEE)}
_JOINTS |= {"ankle": (L.LEFT_ANKLE, L.RIGHT_ANKLE), "heel": (L.LEFT_HEEL, L.RIGHT_HEEL)}
_JOINTS |= {"toe": (L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)}


def truth_sequence(name: str):
    """A PoseSequence built from a walking truth's projected joints; upper body placed above the hips."""
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
    n = truth["n_frames"]
    xy = np.full((n, 1, 33, 2), np.nan)
    for joint, (left, right) in _JOINTS.items():
        xy[:, 0, left] = truth["frames"][f"left_{joint}_px"]
        xy[:, 0, right] = truth["frames"][f"right_{joint}_px"]
    hips = 0.5 * (xy[:, 0, L.LEFT_HIP] + xy[:, 0, L.RIGHT_HIP])
    feet = np.maximum(xy[:, 0, L.LEFT_HEEL, 1], xy[:, 0, L.RIGHT_HEEL, 1])
    leg = (feet - hips[:, 1])[:, None]  # grows as a walker comes closer to the camera
    half = 0.5 * (xy[:, 0, L.LEFT_HIP] - xy[:, 0, L.RIGHT_HIP])
    for lm, (dy, k) in {L.LEFT_SHOULDER: (-0.65, 1.3), L.RIGHT_SHOULDER: (-0.65, -1.3)}.items():
        xy[:, 0, lm] = hips + k * half + np.hstack([0 * leg, dy * leg])
    for lm in L:
        if np.isnan(xy[0, 0, lm, 0]):
            xy[:, 0, lm] = hips + np.hstack([0 * leg, -0.95 * leg])
    image = tuple(truth["image_size"])
    return make_sequence(xy, fps=truth["fps"], size=image), truth


def _errors(result, truth, kind):
    out = []
    for ev in (e for e in truth["events"] if e["kind"] == kind):
        times = [e.time_s for e in result.events if e.kind == kind and str(e.side) == ev["side"]]
        if times:
            best = min(times, key=lambda t: abs(t - ev["time_s"]))
            if abs(best - ev["time_s"]) < 0.2:
                out.append(best - ev["time_s"])
    return np.array(out)


def test_side_walk_from_exact_joints():
    seq, truth = truth_sequence("walk_side")
    result = analyse_gait(seq)
    assert result.view == "side" and [s.direction for s in result.segments] == [truth["direction"]]
    fps = truth["fps"]
    hs, to = _errors(result, truth, "heel_strike"), _errors(result, truth, "toe_off")
    assert len(hs) >= 6 and len(to) >= 6
    assert np.mean(np.abs(hs)) * fps < 0.6 and np.mean(np.abs(to)) * fps < 0.5
    assert len(result.events) == len(hs) + len(to)  # nothing extra
    m = result.measures()
    for side in ("left", "right"):
        assert m[f"stance_pct_{side}"].value == pytest.approx(truth["summary"][side]["stance_pct"], abs=2.0)
        assert m[f"heel_strike_share_{side}"].value == 100.0
    assert abs(m["stance_time_si_pct"].value) < 5.0
    assert m["pelvic_drop_deg_left"].value is None and m["pelvic_drop_deg_left"].note
    assert all(row["pelvic_drop_deg"] is None for row in result.steps)


def test_injected_leg_swap_is_repaired_and_events_survive():
    seq, truth = truth_sequence("walk_side")
    xy = seq.xy_px.copy()
    legs = [(L.LEFT_KNEE, L.RIGHT_KNEE), (L.LEFT_ANKLE, L.RIGHT_ANKLE)]
    legs += [(L.LEFT_HEEL, L.RIGHT_HEEL), (L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)]
    for a, b in legs:
        xy[40:44, 0, [a, b]] = seq.xy_px[40:44, 0, [b, a]]
    from dataclasses import replace

    result = analyse_gait(replace(seq, xy_px=xy))
    assert any("repaired in 4 frame" in n for n in result.notes)
    hs = _errors(result, truth, "heel_strike")
    assert len(hs) >= 6 and np.mean(np.abs(hs)) * truth["fps"] < 0.5


def test_front_walk_from_exact_joints_measures_pelvic_drop():
    seq, truth = truth_sequence("walk_front")
    result = analyse_gait(seq)
    assert result.view == "front"
    fps = truth["fps"]
    hs, to = _errors(result, truth, "heel_strike"), _errors(result, truth, "toe_off")
    # 12 true events; the right foot's first swing is under way at the clip's start and is missed
    assert len(hs) >= 4 and len(to) >= 5
    assert np.mean(np.abs(hs)) * fps < 1.0 and np.mean(np.abs(to)) * fps < 1.5
    m = result.measures()
    for side in ("left", "right"):
        drop = m[f"pelvic_drop_deg_{side}"].value
        assert drop is not None and drop == pytest.approx(truth["summary"][side]["pelvic_drop_deg"], abs=1.0)
    doc = result.to_dict()
    assert doc["frontal"]["step_width_px"]["n"] > 0
    per_step = doc["frontal"]["pelvic_drop_per_step"]
    assert {r["side"] for r in per_step} == {"left", "right"}
    for r in per_step:  # every stance of the walker drops the other side by 4 deg (truth per side)
        want = truth["summary"][r["side"]]["pelvic_drop_deg"]
        assert r["pelvic_drop_deg"] == pytest.approx(want, abs=1.5)
    drops = {row["heel_strike_s"]: row["pelvic_drop_deg"] for row in result.steps}
    assert all(drops[r["heel_strike_s"]] == pytest.approx(r["pelvic_drop_deg"], abs=0.01) for r in per_step)
    json.dumps(doc)


def test_a_person_standing_still_yields_no_events_and_a_reason():
    seq, _ = truth_sequence("walk_side")
    still = np.repeat(seq.xy_px[:1], seq.n_frames, axis=0)
    from dataclasses import replace

    result = analyse_gait(replace(seq, xy_px=still))
    assert result.events == [] and result.rows == []
    assert any("nobody walks" in n for n in result.notes)
    assert result.subject["walks"] is False
    assert math.isnan(result.cadence.mean)
    json.dumps(result.to_dict())
