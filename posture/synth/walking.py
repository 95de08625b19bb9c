"""A scripted walk with geometric ground-truth gait events, rendered to video.

Script: sagittal hip, knee and ankle angles follow normative curves of level
walking (knots read off Winter's / Perry's adult averages, periodic cubic
splines over the gait cycle, 0 % = heel strike, toe off near 62 %). Each leg's
cycle can be time-warped (``stance_fraction``) and the right leg's cycle is
offset by ``right_phase_offset`` of a cycle. The pelvis rotates, lists
(contralateral drop, ``pelvic_drop_deg`` per stance side) and sways; the arms
swing opposite the legs.

Floor and progression (no drawn assumption about speed):

- height: at every instant the pelvis is lowered until the lowest foot vertex
  (of either foot) touches z = 0, so no foot ever goes through the floor;
- forward: the pelvis moves so that the supporting foot's lowest vertex has no
  horizontal velocity (rolling without slipping); in double support the two
  feet share by how close each is to the floor.

Events come from this geometry, never from the script's phases: a foot is in
contact while its lowest vertex is within ``contact_tolerance_mm`` of the floor.
Heel strike = the instant contact starts, toe off = the instant it ends (linear
interpolation on a time grid ``oversample`` times finer than the video).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import CubicSpline

from posture.synth.body import (
    SIDES,
    ArmPose,
    BodyPose,
    FloatArray,
    LegPose,
    Phenotype,
    Subject,
    build_subject,
    forward_heads,
    local_deltas,
    named_joints,
    pose_batch,
    rot_x,
)
from posture.synth.render import Appearance, Camera, make_camera, render_body
from posture.synth.truth import base_truth

# Normative sagittal angles over one gait cycle (percent, degrees), 0 % = heel strike.
HIP_FLEXION_KNOTS = (
    (0, 30),
    (10, 27),
    (20, 19),
    (30, 10),
    (40, 1),
    (50, -7),
    (55, -10),
    (60, -7),
    (65, 0),
    (70, 10),
    (75, 19),
    (80, 25),
    (85, 30),
    (90, 32),
    (95, 31),
)
KNEE_FLEXION_KNOTS = (
    (0, 4),
    (5, 10),
    (12, 17),
    (18, 16),
    (25, 11),
    (35, 5),
    (42, 4),
    (48, 7),
    (55, 18),
    (60, 33),
    (65, 48),
    (70, 59),
    (73, 61),
    (78, 57),
    (85, 40),
    (90, 22),
    (95, 8),
)
ANKLE_DORSIFLEXION_KNOTS = (
    (0, 0),
    (5, -5),
    (10, -3),
    (20, 4),
    (30, 7),
    (40, 10),
    (47, 11),
    (52, 6),
    (57, -4),
    (62, -14),
    (66, -16),
    (70, -8),
    (75, -1),
    (80, 3),
    (90, 3),
    (95, 1.5),
)
#: Script phase at which the reference curves leave stance (used by the time warp).
REFERENCE_STANCE = 0.62
_SIGN = {"left": 1.0, "right": -1.0}  # +x side


def periodic_curve(knots: tuple[tuple[float, float], ...]) -> CubicSpline:
    """Return a periodic cubic spline through ``knots`` (percent, degrees) over phase [0, 1]."""
    x = np.array([k[0] for k in knots] + [100.0]) / 100.0
    y = np.array([k[1] for k in knots] + [knots[0][1]], dtype=float)
    return CubicSpline(x, y, bc_type="periodic")


_CURVES = {
    name: periodic_curve(k)
    for name, k in (
        ("hip", HIP_FLEXION_KNOTS),
        ("knee", KNEE_FLEXION_KNOTS),
        ("ankle", ANKLE_DORSIFLEXION_KNOTS),
    )
}


@dataclass(frozen=True)
class WalkingParams:
    """Everything that defines one walking video.

    ``view``: ``left``/``right`` (the camera sees that side; the subject walks
    right-to-left / left-to-right in the image), ``front`` (towards the camera)
    or ``back`` (away). ``stance_fraction`` per side is the scripted stance share
    of that leg's cycle (the measured one is in the truth); ``pelvic_drop_deg``
    per side is the contralateral pelvic drop during that side's stance.
    """

    phenotype: Phenotype = field(default_factory=Phenotype)
    view: str = "left"
    fps: float = 30.0
    n_strides: float = 4.0
    cadence_spm: float = 108.0
    stride_scale: float = 1.0
    thigh_offset_deg: float = 0.0
    pushoff_window: tuple[float, float] = (0.5, 0.8)
    stance_fraction: tuple[float, float] = (REFERENCE_STANCE, REFERENCE_STANCE)
    right_phase_offset: float = 0.5
    pelvic_drop_deg: tuple[float, float] = (4.0, 4.0)
    pelvic_rotation_deg: float = 4.0
    step_width_m: float = 0.12
    arm_swing: float = 0.6
    width: int = 1280
    height: int = 720
    vfov_deg: float = 50.0
    camera_distance_m: float = 3.8
    camera_height_m: float = 0.95
    roll_deg: float = 0.0
    start_phase: float = 0.3
    contact_tolerance_mm: float = 5.0
    oversample: int = 8
    appearance: Appearance = field(default_factory=Appearance)
    seed: int = 0

    def side_value(self, pair: tuple[float, float], side: str) -> float:
        """Return the left or right entry of a per-side pair."""
        return pair[0] if side == "left" else pair[1]


# --------------------------------------------------------------------- the script
def cycle_time(params: WalkingParams) -> float:
    """Return the stride (gait cycle) duration in seconds (two steps)."""
    return 120.0 / params.cadence_spm


def leg_phase(params: WalkingParams, side: str, t: float) -> float:
    """Return the leg's cycle phase in [0, 1) at time ``t`` (0 = scripted heel strike)."""
    offset = 0.0 if side == "left" else -params.right_phase_offset
    return (t / cycle_time(params) + params.start_phase + offset) % 1.0


def warp_phase(phase: float, stance: float) -> float:
    """Map a leg phase with stance share ``stance`` onto the reference curves' phase."""
    if phase < stance:
        return phase * REFERENCE_STANCE / stance
    return REFERENCE_STANCE + (phase - stance) * (1 - REFERENCE_STANCE) / (1 - stance)


def warp_phase_inverse(q: float, stance: float) -> float:
    """Return the leg phase whose warped (reference-curve) phase is ``q``."""
    if q < REFERENCE_STANCE:
        return q * stance / REFERENCE_STANCE
    return stance + (q - REFERENCE_STANCE) * (1 - stance) / (1 - REFERENCE_STANCE)


def sagittal_angles(params: WalkingParams, side: str, t: float) -> tuple[float, float, float]:
    """Return scripted (hip flexion, knee flexion, ankle dorsiflexion) in degrees."""
    q = warp_phase(leg_phase(params, side, t), params.side_value(params.stance_fraction, side))
    hip = float(_CURVES["hip"](q))
    mean_hip = 10.0
    thigh = mean_hip + params.stride_scale * (hip - mean_hip) + params.thigh_offset_deg
    return (thigh, float(_CURVES["knee"](q)), float(_CURVES["ankle"](q)))


def pelvis_script(params: WalkingParams, t: float) -> tuple[float, float, float]:
    """Return scripted pelvis (obliquity, rotation, lateral sway m) at time ``t``.

    Obliquity is positive when the left hip is higher (the right side drops
    during left stance); rotation positive moves the left hip back.
    """
    phase_l = leg_phase(params, "left", t)
    wave = np.sin(2 * np.pi * phase_l)
    drop = params.pelvic_drop_deg[0] if wave > 0 else params.pelvic_drop_deg[1]
    rotation = -params.pelvic_rotation_deg * np.cos(2 * np.pi * phase_l)
    return float(drop * wave), float(rotation), float(0.02 * wave)


def scripted_pose(
    subject: Subject, params: WalkingParams, t: float, plantarflex: tuple[float, float] = (0.0, 0.0)
) -> BodyPose:
    """Return the body pose at time ``t`` with the pelvis at (sway, 0, 0).

    ``plantarflex`` (deg, left, right) is added ankle plantarflexion (see
    :func:`pushoff_correction`).
    """
    obliquity, rotation, sway = pelvis_script(params, t)
    legs, arms = {}, {}
    hips = {}
    for side in SIDES:
        hip, knee, ankle = sagittal_angles(params, side, t)
        hips[side] = hip
        # keep the legs' frontal angle in the world (stance foot flat): undo the list
        ref_half_width = abs(subject.ref_heads[subject.bone("upperleg01.L")][0])
        adduction = np.degrees(np.arctan2(ref_half_width - params.step_width_m / 2, 0.85))
        extra = plantarflex[0] if side == "left" else plantarflex[1]
        legs[side] = LegPose(
            hip_flexion=hip,
            knee_flexion=knee,
            ankle_dorsiflexion=ankle - extra,
            hip_abduction=-adduction - _SIGN[side] * obliquity,
            hip_rotation=_SIGN[side] * rotation,
        )
    for side in SIDES:
        other = "right" if side == "left" else "left"
        swing = params.arm_swing * (hips[other] - 10.0)
        arms[side] = ArmPose(
            shoulder_flexion=swing, shoulder_abduction=7.0, elbow_flexion=15.0 + 0.6 * max(swing, 0.0)
        )
    return BodyPose(
        left_leg=legs["left"],
        right_leg=legs["right"],
        left_arm=arms["left"],
        right_arm=arms["right"],
        pelvis_obliquity=obliquity,
        pelvis_rotation=rotation,
        trunk_rotation=-0.4 * rotation,
        pelvis_position=(sway, 0.0, 0.0),
    )


_PUSHOFF_FADE, _PUSHOFF_MAX = 0.08, 50.0


def _sole_indices(subject: Subject, side: str) -> NDArray[np.int64]:
    idx = subject.foot_vertices[side]
    z = subject.ref_vertices[idx, 2]
    return idx[z < z.min() + 0.03]


def _rigid_sole_min_z(subject: Subject, pose: BodyPose, side: str, extra: FloatArray) -> FloatArray:
    """Return the lowest sole z (pelvis frame) for each added plantarflexion in ``extra``.

    The sole is moved rigidly with the foot bone (its vertices are skinned to the
    foot and toe bones only), so no skinning pass is needed.
    """
    sfx = ".L" if side == "left" else ".R"
    deltas, g = local_deltas(subject, pose)
    heads = forward_heads(subject, pose)
    foot = subject.bone("foot" + sfx)
    shank = g[subject.parents[foot]]
    base = shank.T @ g[foot]  # ankle rotation @ neutral.T, in the shank frame
    pts = subject.ref_vertices[_sole_indices(subject, side)] - subject.ref_heads[foot]
    z = np.empty(len(extra))
    for i, e in enumerate(extra):
        rot = shank @ rot_x(float(e)) @ base
        z[i] = heads[foot, 2] + (pts @ rot.T)[:, 2].min()
    return z


def _needed_plantarflexion(subject: Subject, params: WalkingParams, t: float, side: str) -> float:
    """Return the plantarflexion (deg) that brings the trailing toe down to the other foot."""
    pose = scripted_pose(subject, params, t)
    other = "right" if side == "left" else "left"
    floor = _rigid_sole_min_z(subject, pose, other, np.zeros(1))[0]
    grid = np.linspace(0.0, _PUSHOFF_MAX, 71)
    z = _rigid_sole_min_z(subject, pose, side, grid)
    reached = np.flatnonzero(z <= floor)
    if len(reached) == 0:
        return _PUSHOFF_MAX
    i = int(reached[0])
    if i == 0:
        return 0.0
    frac = (z[i - 1] - floor) / (z[i - 1] - z[i])
    return float(grid[i - 1] + frac * (grid[i] - grid[i - 1]))


def pushoff_correction(subject: Subject, params: WalkingParams, t: float) -> tuple[float, float]:
    """Return added ankle plantarflexion (left, right) keeping the trailing toe on the floor.

    Within ``params.pushoff_window`` (leg phases; the end is shifted by the
    leg's stance warp), the trailing
    foot plantarflexes just enough for its lowest point to stay level with the
    other foot (the push-off rocker); afterwards the correction fades out over
    ``_PUSHOFF_FADE`` of the cycle.
    """
    out = []
    period = cycle_time(params)
    for side in SIDES:
        start, end = params.pushoff_window
        stance = warp_phase_inverse(end, params.side_value(params.stance_fraction, side))
        p = leg_phase(params, side, t)
        if start <= p <= stance:
            out.append(_needed_plantarflexion(subject, params, t, side))
        elif stance < p < stance + _PUSHOFF_FADE:
            at_off = _needed_plantarflexion(subject, params, t - (p - stance) * period, side)
            fade = (p - stance) / _PUSHOFF_FADE
            out.append(at_off * (1.0 - fade) ** 2)
        else:
            out.append(0.0)
    return out[0], out[1]


def walking_pose(subject: Subject, params: WalkingParams, t: float) -> BodyPose:
    """Return the full scripted pose at ``t``: curves plus the push-off correction."""
    return scripted_pose(subject, params, t, pushoff_correction(subject, params, t))


# --------------------------------------------------------------------- floor and progression
@dataclass(frozen=True)
class Trajectory:
    """The solved walk on a fine time grid (body frame: the subject walks towards -y).

    ``root`` (N, 3) pelvis positions; ``foot_min_z`` (N, 2) lowest vertex z of the
    left / right foot after flooring; ``times`` (N,) seconds.
    """

    times: FloatArray
    root: FloatArray
    foot_min_z: FloatArray


def _foot_samples(
    subject: Subject, params: WalkingParams, times: FloatArray, chunk: int = 96
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Skin the feet at ``times``; return lowest z (N, 2), contact vertex y now and next (N, 2)."""
    feet = [subject.foot_vertices[s] for s in SIDES]
    min_z = np.empty((len(times), 2))
    y_now = np.empty((len(times), 2))
    y_next = np.empty((len(times), 2))
    dt = times[1] - times[0]
    for start in range(0, len(times), chunk):
        ts = times[start : start + chunk]
        poses = [walking_pose(subject, params, t) for t in ts]
        poses += [walking_pose(subject, params, t + dt) for t in ts]
        verts, _ = pose_batch(subject, poses)
        n = len(ts)
        for k, idx in enumerate(feet):
            fz = verts[:n, idx, 2]
            low = idx[np.argmin(fz, axis=1)]
            rows = np.arange(n)
            min_z[start : start + n, k] = fz.min(axis=1)
            y_now[start : start + n, k] = verts[rows, low, 1]
            y_next[start : start + n, k] = verts[n + rows, low, 1]
    return min_z, y_now, y_next


def solve_trajectory(subject: Subject, params: WalkingParams, duration: float) -> Trajectory:
    """Solve pelvis height (feet on the floor) and progression (no slip) on a fine grid."""
    dt = 1.0 / (params.fps * params.oversample)
    times = np.arange(int(round(duration / dt)) + 1) * dt
    min_z, y_now, y_next = _foot_samples(subject, params, times)
    floor = min_z.min(axis=1)
    tol = params.contact_tolerance_mm / 1000.0
    # share of support of the left foot: 1 when only it is down, 0.5 when both are level
    share = np.clip(0.5 + (min_z[:, 1] - min_z[:, 0]) / (2 * tol), 0.0, 1.0)
    slip = (y_next - y_now) / dt
    velocity = -(share * slip[:, 0] + (1 - share) * slip[:, 1])
    y = np.concatenate([[0.0], np.cumsum(velocity[:-1]) * dt])
    sway = np.array([pelvis_script(params, t)[2] for t in times])
    root = np.stack([sway, y, -floor], axis=1)
    return Trajectory(times, root, min_z - floor[:, None])


# --------------------------------------------------------------------- events
def contact_events(traj: Trajectory, tolerance_mm: float, fps: float) -> list[dict]:
    """Return heel-strike / toe-off events from floor contact, sorted by time."""
    events = []
    tol = tolerance_mm / 1000.0
    for k, side in enumerate(SIDES):
        gap = traj.foot_min_z[:, k] - tol  # <= 0 while in contact
        down = gap <= 0
        for i in np.flatnonzero(down[1:] != down[:-1]):
            frac = gap[i] / (gap[i] - gap[i + 1])
            t = float(traj.times[i] + frac * (traj.times[i + 1] - traj.times[i]))
            kind = "heel_strike" if down[i + 1] else "toe_off"
            events.append({"side": side, "kind": kind, "time_s": t, "frame": int(round(t * fps))})
    return sorted(events, key=lambda e: e["time_s"])


def clean_contacts(name: str, traj: Trajectory, params: WalkingParams) -> list[dict]:
    """The walk's contact events; ``ValueError`` when they break the walking cycle (a scuffing foot)."""
    events = contact_events(traj, params.contact_tolerance_mm, params.fps)
    problems = event_order_problems(events)
    if problems:
        raise ValueError(
            f"{name}: the scripted walk of this subject does not give a clean contact pattern "
            f"({'; '.join(problems)}); the swing foot probably scuffs the floor - try another "
            "phenotype or a larger stride_scale"
        )
    return events


def event_order_problems(events: list[dict]) -> list[str]:
    """Return breaks of the physiological order HS_L, TO_R, HS_R, TO_L, ... (empty when fine).

    A foot must alternate heel strike and toe off, and each heel strike must be
    followed by the other foot's toe off (double support) before anything else.
    """
    problems = []
    for side in SIDES:
        kinds = [e["kind"] for e in events if e["side"] == side]
        for a, b in zip(kinds, kinds[1:], strict=False):
            if a == b:
                problems.append(f"{side}: two {a} events in a row")
    cycle = [("left", "heel_strike"), ("right", "toe_off"), ("right", "heel_strike"), ("left", "toe_off")]
    seq = [(e["side"], e["kind"]) for e in events]
    for a, b in zip(seq, seq[1:], strict=False):
        if cycle[(cycle.index(a) + 1) % 4] != b:
            problems.append(f"{a} followed by {b} at {events[seq.index(b)]['time_s']:.3f} s")
            break
    return problems


def step_table(events: list[dict]) -> list[dict]:
    """Return one row per complete stride: stride, stance, swing, step times and stance %.

    A row starts at a heel strike of ``side`` and needs the following toe off and
    heel strike of that side; ``step_time_s`` is from the previous opposite heel
    strike to this one.
    """
    rows = []
    for side in SIDES:
        own = [e for e in events if e["side"] == side]
        for a, b, c in zip(own, own[1:], own[2:], strict=False):
            if (a["kind"], b["kind"], c["kind"]) != ("heel_strike", "toe_off", "heel_strike"):
                continue
            stride = c["time_s"] - a["time_s"]
            stance = b["time_s"] - a["time_s"]
            prior = [
                e["time_s"]
                for e in events
                if e["side"] != side and e["kind"] == "heel_strike" and e["time_s"] < a["time_s"]
            ]
            rows.append(
                {
                    "side": side,
                    "heel_strike_s": a["time_s"],
                    "toe_off_s": b["time_s"],
                    "next_heel_strike_s": c["time_s"],
                    "stride_time_s": stride,
                    "stance_time_s": stance,
                    "swing_time_s": stride - stance,
                    "stance_pct": 100.0 * stance / stride,
                    "step_time_s": a["time_s"] - prior[-1] if prior else None,
                }
            )
    return sorted(rows, key=lambda r: r["heel_strike_s"])


def summarise(rows: list[dict], drop: dict[str, float | None]) -> dict:
    """Return per-side means of the step table plus the measured pelvic drop."""
    out: dict[str, dict] = {}
    for side in SIDES:
        mine = [r for r in rows if r["side"] == side]
        steps = [r["step_time_s"] for r in mine if r["step_time_s"] is not None]
        out[side] = {
            "n_strides": len(mine),
            "stance_pct": float(np.mean([r["stance_pct"] for r in mine])) if mine else None,
            "stance_time_s": float(np.mean([r["stance_time_s"] for r in mine])) if mine else None,
            "swing_time_s": float(np.mean([r["swing_time_s"] for r in mine])) if mine else None,
            "stride_time_s": float(np.mean([r["stride_time_s"] for r in mine])) if mine else None,
            "step_time_s": float(np.mean(steps)) if steps else None,
            "pelvic_drop_deg": drop[side],
        }
    return out


# --------------------------------------------------------------------- camera and rendering
def walking_camera(params: WalkingParams, path_y: tuple[float, float]) -> tuple[Camera, str]:
    """Return the fixed camera for ``params`` and the walking direction in the image.

    Side cameras aim at the middle of the path, a front camera at its end (the
    walker comes towards it), a back camera at its start (the walker walks away).
    """
    if params.view in ("left", "right"):
        target = 0.5 * (path_y[0] + path_y[1])
        direction = "right_to_left" if params.view == "left" else "left_to_right"
    elif params.view == "front":
        target, direction = path_y[1], "towards_camera"
    else:
        target, direction = path_y[0], "away"
    cam = make_camera(
        params.view,
        params.camera_distance_m,
        params.camera_height_m,
        params.roll_deg,
        params.width,
        params.height,
        params.vfov_deg,
        target_xy=(0.0, target),
    )
    return cam, direction


_FRAME_JOINTS = ("hip", "heel", "toe", "ankle", "knee")


def render_walk(name: str, params: WalkingParams, video_path: str | Path) -> dict:
    """Render the walk to ``video_path`` (mp4v, streamed frame by frame); return its truth."""
    subject = build_subject(params.phenotype)
    n_frames = int(round(params.n_strides * cycle_time(params) * params.fps))
    traj = solve_trajectory(subject, params, (n_frames - 1) / params.fps)
    events = clean_contacts(name, traj, params)  # refuse before rendering, not after
    frame_idx = np.arange(n_frames) * params.oversample
    camera, direction = walking_camera(params, (traj.root[0, 1], traj.root[-1, 1]))
    fourcc = cv2.VideoWriter_fourcc(*"mp4v")  # type: ignore[attr-defined]
    writer = cv2.VideoWriter(str(video_path), fourcc, params.fps, (params.width, params.height))
    if not writer.isOpened():
        raise OSError(f"cannot open a video writer for {video_path}")
    frames: dict[str, list] = {"time_s": []}
    obliquity = []
    try:
        for f, gi in enumerate(frame_idx):
            t = float(traj.times[gi])
            pose = walking_pose(subject, params, t)
            pose = BodyPose(**{**pose.__dict__, "pelvis_position": tuple(traj.root[gi])})
            verts, heads = pose_batch(subject, [pose])
            joints = named_joints(subject, heads[0], verts[0])
            writer.write(render_body(camera, verts[0], subject.faces, subject.region, params.appearance))
            frames["time_s"].append(f / params.fps)
            for j in _FRAME_JOINTS:
                for side in SIDES:
                    frames.setdefault(f"{side}_{j}_px", []).append(camera.project(joints[f"{side}_{j}"]))
            hl, hr = joints["left_hip"], joints["right_hip"]
            obliquity.append(np.degrees(np.arctan2(hl[2] - hr[2], np.hypot(*(hl - hr)[:2]))))
    finally:
        writer.release()
    return walking_truth(
        name, params, subject, traj, events, camera, direction, frames, np.array(obliquity), n_frames
    )


def measured_drop(events: list[dict], obliquity: FloatArray, fps: float) -> dict[str, float | None]:
    """Return the largest contralateral pelvic drop (deg) seen during each side's stance."""
    times = np.arange(len(obliquity)) / fps
    out: dict[str, float | None] = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        in_stance = np.zeros(len(times), bool)
        own = [e for e in events if e["side"] == side]
        for a, b in zip(own, own[1:], strict=False):
            if a["kind"] == "heel_strike" and b["kind"] == "toe_off":
                in_stance |= (times >= a["time_s"]) & (times <= b["time_s"])
        out[side] = float(np.max(sign * obliquity[in_stance])) if in_stance.any() else None
    return out


def walking_truth(
    name: str,
    params: WalkingParams,
    subject: Subject,
    traj: Trajectory,
    events: list[dict],
    camera: Camera,
    direction: str,
    frames: dict,
    obliquity: FloatArray,
    n_frames: int,
) -> dict:
    """Return the truth dictionary of a rendered walk (``events``: its :func:`clean_contacts`)."""
    rows = step_table(events)
    duration = n_frames / params.fps
    travelled = abs(traj.root[-1, 1] - traj.root[0, 1])
    hips = [subject.ref_heads[subject.bone(f"upperleg01.{s}")] for s in "LR"]
    height = float(subject.ref_vertices[:, 2].max() - subject.ref_vertices[:, 2].min())
    steps = [r["step_time_s"] for r in rows if r["step_time_s"] is not None]
    truth = base_truth(
        "walking",
        name,
        params.seed,
        asdict(params),
        (params.width, params.height),
        camera.as_dict(),
        {
            "phenotype": asdict(params.phenotype),
            "height_m": height,
            "hip_width_m": float(np.linalg.norm(hips[0] - hips[1])),
        },
    )
    truth.update(
        {
            "fps": params.fps,
            "n_frames": n_frames,
            "duration_s": duration,
            "direction": direction,
            "speed_m_s": float(travelled / traj.times[-1]),
            "cadence_spm": float(60.0 / np.mean(steps)) if steps else params.cadence_spm,
            "events": events,
            "steps": rows,
            "summary": summarise(rows, measured_drop(events, obliquity, params.fps)),
            "frames": frames,
            "walking_axis": "the subject walks towards world -y",
        }
    )
    return truth


def stream_frames_px(truth: dict, key: str) -> NDArray[np.float64]:
    """Return a per-frame pixel track (n_frames, 2) from a walking truth dictionary."""
    return np.asarray(truth["frames"][key], dtype=np.float64)
