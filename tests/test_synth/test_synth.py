"""Exact-geometry checks of the synthetic subjects (needs the ``synth`` extra)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("anny")

from posture.synth.body import (  # noqa: E402
    SIDES,
    BodyPose,
    LegPose,
    Phenotype,
    build_subject,
    forward_heads,
    pose_body,
)
from posture.synth.render import make_camera  # noqa: E402
from posture.synth.standing import StandingParams, standing_body, standing_truth  # noqa: E402
from posture.synth.truth import validate_truth  # noqa: E402
from posture.synth.walking import (  # noqa: E402
    WalkingParams,
    contact_events,
    cycle_time,
    event_order_problems,
    solve_trajectory,
    step_table,
)


@pytest.fixture(scope="module")
def subject():
    """The default subject, built once per module (anny loads in a few seconds)."""
    return build_subject(Phenotype())


def test_numpy_forward_kinematics_matches_anny(subject):
    pose = BodyPose(
        left_leg=LegPose(hip_flexion=25, knee_flexion=40, extra_length_mm=20),
        pelvis_obliquity=4,
        pelvis_tilt=10,
        trunk_lean=5,
    )
    body = pose_body(subject, pose)
    assert np.abs(forward_heads(subject, pose) - body.bone_heads).max() < 1e-9


@pytest.mark.parametrize("diff_mm", [-15.0, 0.0, 15.0, 25.0])
def test_commanded_hip_height_difference_with_feet_on_floor(diff_mm):
    params = StandingParams(hip_height_diff_mm=diff_mm)
    subject, pose, body = standing_body(params)
    truth = standing_truth("t", params, subject, pose, body, make_camera("front"))
    assert truth["hip_height_diff_mm"] == pytest.approx(diff_mm, abs=0.5)
    assert np.sign(truth["pelvic_obliquity_deg"]) == np.sign(diff_mm)
    for side in SIDES:
        assert abs(body.vertices[subject.foot_vertices[side], 2].min()) < 0.002
    # the head stays over the feet
    feet_x = 0.5 * (body.joints["left_ankle"][0] + body.joints["right_ankle"][0])
    assert abs(body.joints["head_top"][0] - feet_x) < 0.02
    assert validate_truth(truth) == []


def test_leg_length_difference_is_exact():
    params = StandingParams(leg_length_diff_mm=20.0)
    _, _, body = standing_body(params)
    j = body.joints
    length = {
        s: np.linalg.norm(j[f"{s}_knee"] - j[f"{s}_hip"]) + np.linalg.norm(j[f"{s}_ankle"] - j[f"{s}_knee"])
        for s in SIDES
    }
    assert (length["left"] - length["right"]) * 1000 == pytest.approx(20.0, abs=0.1)


def test_pelvic_tilt_keeps_trunk_upright_and_feet_down():
    params = StandingParams(pelvic_tilt_deg=15.0, view="left")
    subject, pose, body = standing_body(params)
    _, level, _ = standing_body(StandingParams(view="left"))
    assert pose.left_leg.hip_flexion - level.left_leg.hip_flexion == pytest.approx(15.0, abs=0.5)
    neck, pelvis = body.joints["neck"], body.joints["pelvis_centre"]
    assert abs(np.degrees(np.arctan2(neck[1] - pelvis[1], neck[2] - pelvis[2]))) < 6.0
    for side in SIDES:
        assert abs(body.vertices[subject.foot_vertices[side], 2].min()) < 0.002


@pytest.mark.parametrize("view", ["front", "back", "left", "right"])
def test_point_on_optical_axis_projects_to_principal_point(view):
    cam = make_camera(view, distance_m=3.0, height_m=1.0, width=720, height=1280)
    assert cam.project(np.array([0.0, 0.0, 1.0])) == pytest.approx((360.0, 640.0))


def test_projection_left_is_image_right_in_front_view():
    cam = make_camera("front", distance_m=3.0, height_m=1.0, width=720, height=1280, vfov_deg=50)
    u, v = cam.project(np.array([0.3, 0.0, 1.2]))
    fy = 640 / np.tan(np.radians(25))
    assert u == pytest.approx(360 + fy * 0.3 / 3.0)
    assert v == pytest.approx(640 - fy * 0.2 / 3.0)


def test_camera_roll_rotates_horizontal_clockwise():
    cam = make_camera("front", distance_m=3.0, height_m=1.0, roll_deg=5.0)
    a, b = cam.project(np.array([[-0.3, 0.0, 1.0], [0.3, 0.0, 1.0]]))
    assert np.degrees(np.arctan2(b[1] - a[1], b[0] - a[0])) == pytest.approx(5.0, abs=1e-6)


def _walk_events(params: WalkingParams):
    subject = build_subject(params.phenotype)
    traj = solve_trajectory(subject, params, params.n_strides * cycle_time(params))
    events = contact_events(traj, params.contact_tolerance_mm, params.fps)
    return traj, events, step_table(events)


def test_symmetric_walk_events_alternate_and_stance_is_normal():
    traj, events, rows = _walk_events(WalkingParams(n_strides=2.2))
    seq = [(e["side"], e["kind"]) for e in events]
    order = [("left", "heel_strike"), ("right", "toe_off"), ("right", "heel_strike"), ("left", "toe_off")]
    assert len(seq) >= 6
    for a, b in zip(seq, seq[1:], strict=False):
        assert order[(order.index(a) + 1) % 4] == b
    assert event_order_problems(events) == []
    assert rows
    for r in rows:
        assert 55.0 <= r["stance_pct"] <= 65.0
    assert np.all(traj.foot_min_z >= -1e-9)  # no foot below the floor


def test_asymmetric_walk_gives_longer_stance_on_commanded_side():
    _, _, rows = _walk_events(WalkingParams(n_strides=2.2, stance_fraction=(0.62, 0.68)))
    stance = {s: np.mean([r["stance_pct"] for r in rows if r["side"] == s]) for s in SIDES}
    assert stance["right"] > stance["left"] + 1.0


def test_event_order_check_flags_a_scuff():
    events = [
        {"side": "left", "kind": "heel_strike", "time_s": 0.0},
        {"side": "right", "kind": "toe_off", "time_s": 0.1},
        {"side": "right", "kind": "heel_strike", "time_s": 0.5},
        {"side": "right", "kind": "toe_off", "time_s": 0.52},
    ]
    assert event_order_problems(events)
