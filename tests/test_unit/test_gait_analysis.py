"""analyse_gait end to end on exact landmark tracks (the walking sample's projected joints, no model)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.gait import analyse_gait
from tests.conftest import SAMPLES, make_sequence, planted_walk

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


def _planted_errors(result, events, kind, fps):
    """Frames from each true event to the nearest detection of its side and kind (None: not found)."""
    out = []
    for ev in (e for e in events if e["kind"] == kind):
        near = [e.time_s for e in result.events if e.kind == kind and str(e.side) == ev["side"]]
        near = [t for t in near if abs(t - ev["time_s"]) < 0.15]
        out.append((near[0] - ev["time_s"]) * fps if near else None)
    return out


@pytest.mark.parametrize(("fps", "direction"), [(30.0, 1.0), (30.0, -1.0), (60.0, 1.0)])
def test_side_walk_with_planted_feet(fps, direction):
    seq, events = planted_walk(fps=fps, direction=direction)
    result = analyse_gait(seq)
    assert result.view == "side" and result.subject["walks"]
    hs = _planted_errors(result, events, "heel_strike", fps)
    to = _planted_errors(result, events, "toe_off", fps)
    assert None not in hs and None not in to
    assert len(result.events) == len(hs) + len(to)  # nothing extra
    # within the 10 px radius (2.5% of 400 px) the heel is "there" 30 ms before it stops; the toe just after
    assert all(-0.045 * fps <= e <= 0.0 for e in hs), hs
    assert all(-0.01 * fps <= e <= 0.015 * fps for e in to), to
    m = result.measures()
    for side in ("left", "right"):
        assert m[f"stance_pct_{side}"].value == pytest.approx(62.0, abs=4.5)
    assert abs(m["stance_time_si_pct"].value) < 2.0
    assert m["pelvic_drop_deg_left"].value is None and m["pelvic_drop_deg_left"].note
    assert all(row["pelvic_drop_deg"] is None for row in result.steps)


def test_a_longer_right_stance_reads_as_a_positive_stance_symmetry_index():
    seq, _ = planted_walk(stance_share=0.60, right_stance_share=0.66)
    m = analyse_gait(seq).measures()
    # SI = (R - L) / mean x 100 = (0.66 - 0.60) / 0.63 x 100 = 9.5
    assert m["stance_time_si_pct"].value == pytest.approx(9.5, abs=3.0)


def test_side_walk_from_the_rendered_walkers_exact_joints():
    """The synthetic walker plants its feet; its geometric floor contacts are the truth."""
    seq, truth = truth_sequence("walk_side")
    result = analyse_gait(seq)
    assert result.view == "side" and [s.direction for s in result.segments] == [truth["direction"]]
    fps = truth["fps"]
    hs, to = _errors(result, truth, "heel_strike") * fps, _errors(result, truth, "toe_off") * fps
    n_truth = {k: sum(e["kind"] == k for e in truth["events"]) for k in ("heel_strike", "toe_off")}
    assert len(hs) == n_truth["heel_strike"] and len(to) == n_truth["toe_off"]
    assert len(result.events) == len(hs) + len(to)  # nothing extra
    # the toe has left the floor ~1 frame before it is 2.5% of the body height from its spot
    assert np.all(np.abs(hs) < 0.6) and np.all((to > 0.5) & (to < 1.5)), (hs, to)
    m = result.measures()
    for side in ("left", "right"):
        assert m[f"stance_pct_{side}"].value == pytest.approx(truth["summary"][side]["stance_pct"], abs=5.0)
        assert m[f"heel_strike_share_{side}"].value == 100.0


@pytest.mark.parametrize(
    ("frames", "note"), [((50, 54), "repaired in 4 frame"), ((61, 62), "jump away and back")]
)
def test_injected_leg_swaps_are_repaired_and_events_survive(frames, note):
    seq, events = planted_walk()
    clean = _planted_errors(analyse_gait(seq), events, "heel_strike", 30.0)
    xy = seq.xy_px.copy()
    legs = [(L.LEFT_KNEE, L.RIGHT_KNEE), (L.LEFT_ANKLE, L.RIGHT_ANKLE)]
    legs += [(L.LEFT_HEEL, L.RIGHT_HEEL), (L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)]
    a0, a1 = frames
    for a, b in legs:
        xy[a0:a1, 0, [a, b]] = seq.xy_px[a0:a1, 0, [b, a]]
    from dataclasses import replace

    result = analyse_gait(replace(seq, xy_px=xy))
    assert any(note in n for n in result.notes), result.notes
    hs = _planted_errors(result, events, "heel_strike", 30.0)
    assert None not in hs and np.max(np.abs(np.subtract(hs, clean))) < 0.5


def test_front_walk_from_exact_joints_measures_pelvic_drop():
    seq, truth = truth_sequence("walk_front")
    result = analyse_gait(seq)
    assert result.view == "front"
    fps = truth["fps"]
    hs = _errors(result, truth, "heel_strike")
    # 6 true heel strikes; the first swing of each foot is under way at the clip's start
    assert len(hs) >= 4 and np.mean(np.abs(hs)) * fps < 1.0
    m = result.measures()
    # from the front, toe offs are not trusted (on real walkers most are missed): stance is refused
    assert m["stance_pct_left"].value is None and "side view" in m["stance_pct_left"].note
    assert m["cadence_spm"].value is not None
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


def _strikes(times_sides: list[tuple[float, str]]) -> list:
    from posture.data.skeleton import Side
    from posture.gait.events import HEEL_STRIKE, GaitEvent

    return [GaitEvent(Side(side), HEEL_STRIKE, t, int(t * 30), "contact") for t, side in times_sides]


@pytest.mark.parametrize(
    ("strikes", "steady"),
    [
        ([(0.0, "left"), (0.55, "right"), (1.1, "left")], True),  # one stride of walking
        ([(0.0, "left"), (0.55, "right")], False),  # two steps only
        ([(0.0, "left"), (1.43, "right"), (1.53, "left")], False),  # a long pause, then a shuffle
        ([(0.0, "left"), (0.55, "left"), (1.1, "left")], False),  # one foot only
        ([(0.0, "left"), (0.5, "right"), (2.5, "left"), (3.0, "right"), (3.5, "left")], True),
    ],
)
def test_steady_stepping_needs_three_alternating_strikes_a_step_apart(strikes, steady):
    from posture.gait.check import steady_stepping

    assert steady_stepping(_strikes(strikes)) is steady
