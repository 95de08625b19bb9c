"""A scripted walk with planted feet and geometric ground-truth gait events, rendered to video.

Script: sagittal hip, knee and ankle angles follow normative curves of level
walking (knots read off Winter's / Perry's adult averages, periodic cubic
splines over the gait cycle, 0 % = heel strike, toe off near 62 %). The hip
curves are relative to a pelvis tilted ``PELVIC_TILT_DEG`` forward; the drawn
pelvis is level, so the thigh's angle in the world is the hip angle minus that
tilt. Each leg's cycle can be time-warped (``stance_fraction``) and the right
leg's cycle is offset by ``right_phase_offset`` of a cycle. The pelvis rotates,
lists (contralateral drop, ``pelvic_drop_deg`` per stance side) and sways; the
arms swing opposite the legs.

Planted feet (why: played open-loop, the curves do not close the chain over
the floor - the script's stance foot sweeps backwards relative to the pelvis
at a rate that changes three-fold over stance, and its two feet in double
support move apart or together by decimetres - so any rule that only moves the
pelvis makes some foot in contact slide):

- the pelvis moves forward at a constant speed (:func:`stance_speed`: the
  speed at which a fixed heel matches the script from heel strike to
  mid-stance), sways as scripted, and bobs (:func:`pelvis_height`: lowest at
  heel strikes, highest at mid-stance, ``_REACH_MARGIN_M`` below the scripted
  legs' reach);
- each foot has a plant per stance, the floor points under its heel and toe
  landmarks where the scripted foot is at its scripted heel strike. From then
  until ``_PLANT_END`` (just before the curves' toe off) the foot keeps the
  scripted pitch (but lies flat from foot-flat until heel-off), turns about its
  heel landmark while flat or toe-up and about its toe landmark while toe-down
  (heel and toe rockers), has no yaw, and its lowest sole point is on the floor.
  So the heel does not move over the floor from contact until it rises, nor the
  toe until it leaves;
- the leg reaches that foot by inverse kinematics (:func:`solve_leg`: hip
  flexion, abduction and rotation, knee flexion, ankle dorsiflexion and
  inversion; Newton iterations on the rigid foot);
- the foot is released over ``_RELEASE`` of the cycle (it lifts first, then
  joins its swing path) and lands over the last ``_LANDING`` (it moves over its
  plant first, then down); in free swing the scripted leg is kept, raised by
  inverse kinematics where its sole would pass less than ``_CLEARANCE_M`` over
  the floor;
- finally the pelvis is lowered until the lowest foot vertex (of either foot)
  touches z = 0, so no foot ever goes through the floor (a fraction of a
  millimetre when the legs reach their plants).

Events come from this geometry, never from the script's phases: a foot is in
contact while its lowest vertex is within ``contact_tolerance_mm`` of the floor.
Heel strike = the instant contact starts, toe off = the instant it ends (linear
interpolation on a time grid ``oversample`` times finer than the video).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
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
    forward_frames,
    named_joints,
    pose_batch,
    rot_x,
    rot_z,
)
from posture.synth.render import Appearance, Camera, make_camera, render_body
from posture.synth.truth import base_truth
from posture.synth.world import World, WorldScene, compress

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
#: Anterior pelvic tilt (deg) under the hip curves: they give the thigh relative to the
#: pelvis, the drawn pelvis is level, so the thigh's angle in the world is hip - tilt.
PELVIC_TILT_DEG = 10.0
#: Script phase at which the reference curves leave stance (used by the time warp).
REFERENCE_STANCE = 0.62
_SIGN = {"left": 1.0, "right": -1.0}  # +x side
_SFX = {"left": ".L", "right": ".R"}


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
    #: Bystanders, an occluder, sensor noise and compression (:mod:`posture.synth.world`);
    #: ``None``: the clean render (one body, plain room, mp4v).
    world: World | None = None

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
    thigh = mean_hip + params.stride_scale * (hip - mean_hip) + params.thigh_offset_deg - PELVIC_TILT_DEG
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


def scripted_pose(subject: Subject, params: WalkingParams, t: float) -> BodyPose:
    """Return the scripted body pose at time ``t`` with the pelvis at (sway, 0, 0)."""
    obliquity, rotation, sway = pelvis_script(params, t)
    legs, arms = {}, {}
    hips = {}
    for side in SIDES:
        hip, knee, ankle = sagittal_angles(params, side, t)
        hips[side] = hip
        # keep the legs' frontal angle in the world (stance foot flat): undo the list
        ref_half_width = abs(subject.ref_heads[subject.bone("upperleg01.L")][0])
        adduction = np.degrees(np.arctan2(ref_half_width - params.step_width_m / 2, 0.85))
        legs[side] = LegPose(
            hip_flexion=hip,
            knee_flexion=knee,
            ankle_dorsiflexion=ankle,
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


# --------------------------------------------------------------------- planted feet
#: Curve-phase spans over which a foot's plant fades out after the reference toe
#: off and fades in before the next heel strike (the swing in between is scripted).
_RELEASE, _LANDING = 0.1, 0.08
#: Curve phase at which a foot starts to leave its plant (a little before the curves' toe off, so that
#: the release ends the contact near it).
_PLANT_END = 0.585
#: Reference-curve phase at which the heel starts to rise (before it the loaded foot lies flat).
_HEEL_OFF = 0.3
_LEG_DOF = (
    "hip_flexion",
    "hip_abduction",
    "hip_rotation",
    "knee_flexion",
    "ankle_dorsiflexion",
    "ankle_inversion",
)
_IK_STEP_DEG, _IK_MAX_STEP_DEG, _IK_ITERATIONS, _IK_TOL_M = 0.05, 8.0, 12, 1e-5
_PITCH_LEVER_M = 0.1
_MID_STANCE = 0.31  # reference-curve phase of mid-stance (pelvis highest)
#: The pelvis runs this much below the scripted legs' reach, so planted legs can always reach the floor.
_REACH_MARGIN_M = 0.01
#: Least height (m) of a swinging foot's sole over the floor.
_CLEARANCE_M = 0.015


def curve_phase(params: WalkingParams, side: str, t: float) -> float:
    """Return the reference-curve phase of ``side`` at ``t`` (0 = heel strike, 0.62 = toe off)."""
    return warp_phase(leg_phase(params, side, t), params.side_value(params.stance_fraction, side))


def _smoothstep(s: float) -> float:
    s = min(max(s, 0.0), 1.0)
    return s * s * (3.0 - 2.0 * s)


def plant_weight(c: float) -> float:
    """Return 0 while a foot at curve phase ``c`` swings free of its plants, else a positive share."""
    return max(plant_shares(c))


def plant_time(params: WalkingParams, side: str, t: float) -> float:
    """Return the scripted heel-strike time of the stance that ``t`` belongs to (or lands into)."""
    p, period = leg_phase(params, side, t), cycle_time(params)
    return t + (1.0 - p) * period if curve_phase(params, side, t) > 1.0 - _LANDING else t - p * period


def _sole_indices(subject: Subject, side: str) -> NDArray[np.int64]:
    idx = subject.foot_vertices[side]
    z = subject.ref_vertices[idx, 2]
    return idx[z < z.min() + 0.03]


def foot_pivots(subject: Subject, side: str) -> tuple[FloatArray, FloatArray]:
    """Return the reference-pose heel and toe pivots of a foot: its heel and toe landmarks."""
    return tuple(subject.ref_vertices[subject.landmark_vertices[f"{side}_{p}"]] for p in ("heel", "toe"))


def _foot_frame(subject: Subject, pose: BodyPose, side: str) -> tuple[FloatArray, FloatArray]:
    heads, g = forward_frames(subject, pose)
    f = subject.bone("foot" + _SFX[side])
    return heads[f], g[f]


def _with_leg(pose: BodyPose, side: str, values: FloatArray) -> BodyPose:
    leg = replace(pose.leg(side), **{k: float(v) for k, v in zip(_LEG_DOF, values, strict=True)})
    return replace(pose, left_leg=leg) if side == "left" else replace(pose, right_leg=leg)


def _xyz(v: FloatArray) -> tuple[float, float, float]:
    return float(v[0]), float(v[1]), float(v[2])


def leg_values(pose: BodyPose, side: str) -> FloatArray:
    """Return the leg's planted degrees of freedom (:data:`_LEG_DOF`, degrees)."""
    return np.array([getattr(pose.leg(side), k) for k in _LEG_DOF])


def planted_foot_head(
    subject: Subject, side: str, pivots: tuple[FloatArray, FloatArray], rot: FloatArray, plant: FloatArray
) -> FloatArray:
    """Return the foot-bone head that puts a foot of rotation ``rot`` on its ``plant``.

    ``plant`` (2, 3) holds the floor points under the heel and toe pivots. While
    the foot is flat or toe-up it turns about its heel pivot, toe-down about its
    toe pivot (heel and toe rockers): that pivot keeps its place over the floor,
    and the foot's lowest sole point is on the floor.
    """
    heel, toe = pivots
    anchor, at = (heel, plant[0]) if rot[2, 1] <= 0.0 else (toe, plant[1])
    head = subject.ref_heads[subject.bone("foot" + _SFX[side])]
    out = at - rot @ (anchor - head)
    sole = subject.ref_vertices[_sole_indices(subject, side)] - head
    out[2] = -float((sole @ rot.T)[:, 2].min())
    return out


def solve_leg(
    subject: Subject, pose: BodyPose, side: str, head: FloatArray, rot: FloatArray, start: FloatArray
) -> FloatArray:
    """Return leg values (:data:`_LEG_DOF`) putting the foot head at ``head`` in the orientation ``rot``.

    Newton iterations with a finite-difference Jacobian from ``start``; the
    foot's pitch, yaw and roll are matched with a lever of ``_PITCH_LEVER_M``.
    """

    def residual(values: FloatArray) -> FloatArray:
        h, g = _foot_frame(subject, _with_leg(pose, side, values), side)
        return np.append(h - head, _PITCH_LEVER_M * (g[[2, 0, 0], [1, 1, 2]] - rot[[2, 0, 0], [1, 1, 2]]))

    x = np.asarray(start, dtype=float).copy()
    r = residual(x)
    for _ in range(_IK_ITERATIONS):
        if np.abs(r[:3]).max() < _IK_TOL_M:
            break
        jac = np.empty((6, 6))
        for j in range(6):
            step = np.zeros(6)
            step[j] = _IK_STEP_DEG
            jac[:, j] = (residual(x + step) - r) / _IK_STEP_DEG
        x = x - np.clip(np.linalg.lstsq(jac, r, rcond=None)[0], -_IK_MAX_STEP_DEG, _IK_MAX_STEP_DEG)
        x[3] = max(x[3], 0.0)  # the knee does not hyperextend
        r = residual(x)
    return x


def stance_speed(subject: Subject, params: WalkingParams) -> float:
    """Return the walking speed (m/s) at which a planted left heel fits the script at strike and mid-stance.

    Between the scripted heel strike and mid-stance the script moves the heel
    pivot backwards relative to the pelvis by some distance; a foot fixed on the
    floor does the same when the pelvis covers that distance in that time.
    """
    period, stance = cycle_time(params), params.stance_fraction[0]
    heel, _ = foot_pivots(subject, "left")
    f = subject.bone("foot.L")
    t_hs = (-params.start_phase % 1.0) * period
    t_mid = t_hs + warp_phase_inverse(_MID_STANCE, stance) * period
    ys = []
    for t in (t_hs, t_mid):
        h, g = _foot_frame(subject, scripted_pose(subject, params, t), "left")
        ys.append((h + g @ (heel - subject.ref_heads[f]))[1])
    return float((ys[1] - ys[0]) / (t_mid - t_hs))


def pelvis_heights(subject: Subject, params: WalkingParams) -> tuple[float, float]:
    """Return the pelvis heights (m) putting the scripted left sole on the floor at strike and mid-stance."""
    period, stance = cycle_time(params), params.stance_fraction[0]
    t_hs = (-params.start_phase % 1.0) * period
    f = subject.bone("foot.L")
    sole = subject.ref_vertices[_sole_indices(subject, "left")] - subject.ref_heads[f]
    out = []
    for t in (t_hs, t_hs + warp_phase_inverse(_MID_STANCE, stance) * period):
        h, g = _foot_frame(subject, scripted_pose(subject, params, t), "left")
        out.append(-float(h[2] + (sole @ g.T)[:, 2].min()))
    return out[0], out[1]


def pelvis_height(params: WalkingParams, t: float, heights: tuple[float, float]) -> float:
    """Return the pelvis height (m): lowest at heel strikes, highest at mid-stance (two bobs a cycle).

    ``heights`` are :func:`pelvis_heights`; the path runs ``_REACH_MARGIN_M`` below them.
    """
    low, high = heights
    lag = warp_phase_inverse(_MID_STANCE, params.stance_fraction[0])
    wave = np.cos(4.0 * np.pi * (leg_phase(params, "left", t) - lag))
    return float(0.5 * (low + high) + 0.5 * (high - low) * wave - _REACH_MARGIN_M)


def flattened_foot(rot: FloatArray, c: float) -> FloatArray:
    """Return the foot rotation ``rot`` with toe-down pitch removed before heel-off.

    A loaded foot lies flat from foot-flat until the heel rises (curve phase
    ``_HEEL_OFF``, full scripted pitch by ``_HEEL_OFF + 0.15``); toe-up pitch
    (the heel rocker) is kept.
    """
    pitch = np.degrees(np.arcsin(np.clip(rot[2, 1], -1.0, 1.0)))  # + = toe down
    if pitch <= 0.0 or c > 1.0 - _LANDING:
        return rot
    keep = _smoothstep((c - _HEEL_OFF) / 0.15)
    return rot_x(pitch * (keep - 1.0)) @ rot


def plant_shares(c: float) -> tuple[float, float]:
    """Return how much a foot at curve phase ``c`` follows its plant horizontally and vertically.

    1 in stance, 0 in free swing. Landing (the last ``_LANDING`` of the cycle):
    the foot moves over its plant first and then down onto it. Release
    (``_RELEASE`` from ``_PLANT_END``): it lifts off first and then leaves.
    """
    if c <= _PLANT_END:
        return 1.0, 1.0
    if c > 1.0 - _LANDING:
        s = (c - 1.0 + _LANDING) / _LANDING
        return _smoothstep(s / 0.8), _smoothstep(s)
    s = (c - _PLANT_END) / _RELEASE
    return 1.0 - _smoothstep((s - 0.4) / 0.6), 1.0 - _smoothstep(s / 0.6)


def leg_target(
    subject: Subject,
    side: str,
    pivots: tuple[FloatArray, FloatArray],
    rot: FloatArray,
    plant: FloatArray | None,
    now: FloatArray,
    c: float,
) -> FloatArray:
    """Return the foot-head target at curve phase ``c`` (``now``: the scripted foot head).

    Between the swing path and the planted foot by :func:`plant_shares`
    (``plant`` is None in free swing). The swing path is the scripted one,
    raised where the sole would pass less than ``_CLEARANCE_M`` over the floor.
    """
    swing = now.copy()
    floor_head = planted_foot_head(subject, side, pivots, rot, np.stack([now, now]))[2]
    swing[2] = max(now[2], floor_head + _CLEARANCE_M)
    if plant is None:
        return swing
    w_xy, w_z = plant_shares(c)
    planted = planted_foot_head(subject, side, pivots, rot, plant)
    return swing + np.array([w_xy, w_xy, w_z]) * (planted - swing)


# --------------------------------------------------------------------- floor and progression
@dataclass(frozen=True)
class Trajectory:
    """The solved walk on a fine time grid (body frame: the subject walks towards -y).

    ``root`` (N, 3) pelvis positions; ``legs`` (N, 2, 6) left / right leg values
    (:data:`_LEG_DOF`, degrees) after planting; ``foot_min_z`` (N, 2) lowest
    vertex z of the left / right foot after flooring; ``times`` (N,) seconds.
    """

    times: FloatArray
    root: FloatArray
    legs: FloatArray
    foot_min_z: FloatArray


def trajectory_pose(subject: Subject, params: WalkingParams, traj: Trajectory, i: int) -> BodyPose:
    """Return the body pose of sample ``i`` of ``traj`` (planted legs, solved pelvis)."""
    pose = scripted_pose(subject, params, float(traj.times[i]))
    for k, side in enumerate(SIDES):
        pose = _with_leg(pose, side, traj.legs[i, k])
    return replace(pose, pelvis_position=_xyz(traj.root[i]))


def _plant(
    subject: Subject, params: WalkingParams, side: str, t0: float, root: FloatArray, pivots: tuple
) -> FloatArray:
    """Return the floor points (2, 3) of the heel and toe pivots of the stance starting at ``t0``."""
    pose = replace(scripted_pose(subject, params, t0), pelvis_position=_xyz(root))
    h, g = _foot_frame(subject, pose, side)
    heel, toe = pivots
    at = h + g @ (heel - subject.ref_heads[subject.bone("foot" + _SFX[side])])
    heel_pt = np.array([at[0], at[1], 0.0])
    toe_pt = heel_pt + np.array([toe[0] - heel[0], toe[1] - heel[1], 0.0])  # the reference foot is flat
    return np.stack([heel_pt, toe_pt])


def _root_at(params: WalkingParams, t: float, speed: float, heights: tuple[float, float]) -> FloatArray:
    return np.array([pelvis_script(params, t)[2], -speed * t, pelvis_height(params, t, heights)])


def solve_trajectory(subject: Subject, params: WalkingParams, duration: float, chunk: int = 96) -> Trajectory:
    """Solve the walk on a fine grid: pelvis path, planted legs and the floor."""
    dt = 1.0 / (params.fps * params.oversample)
    times = np.arange(int(round(duration / dt)) + 1) * dt
    speed, heights = stance_speed(subject, params), pelvis_heights(subject, params)
    pivots = {side: foot_pivots(subject, side) for side in SIDES}
    root = np.array([_root_at(params, t, speed, heights) for t in times])
    legs = np.empty((len(times), 2, len(_LEG_DOF)))
    plants: dict[tuple[str, float], FloatArray] = {}
    warm: dict[str, FloatArray] = {}
    for i, t in enumerate(times):
        pose = replace(scripted_pose(subject, params, float(t)), pelvis_position=_xyz(root[i]))
        for k, side in enumerate(SIDES):
            scripted = leg_values(pose, side)
            c = curve_phase(params, side, float(t))
            plant = None
            if plant_weight(c) > 0.0:
                t0 = round(plant_time(params, side, float(t)), 9)
                if (side, t0) not in plants:
                    at = _root_at(params, t0, speed, heights)
                    plants[(side, t0)] = _plant(subject, params, side, t0, at, pivots[side])
                plant = plants[(side, t0)]
            now, rot = _foot_frame(subject, pose, side)
            rot = flattened_foot(rot, c)
            if plant is not None:  # a planted foot does not turn about the vertical
                rot = rot_z(-plant_shares(c)[0] * np.degrees(np.arctan2(-rot[0, 1], rot[1, 1]))) @ rot
            head = leg_target(subject, side, pivots[side], rot, plant, now, c)
            if plant is None and head[2] == now[2]:
                legs[i, k] = scripted
                warm.pop(side, None)
                continue
            legs[i, k] = warm[side] = solve_leg(subject, pose, side, head, rot, warm.get(side, scripted))
    traj = Trajectory(times, root, legs, np.zeros((len(times), 2)))
    min_z = np.empty((len(times), 2))
    for start in range(0, len(times), chunk):
        verts, _ = pose_batch(
            subject,
            [trajectory_pose(subject, params, traj, i) for i in range(start, min(start + chunk, len(times)))],
        )
        for k, side in enumerate(SIDES):
            min_z[start : start + len(verts), k] = verts[:, subject.foot_vertices[side], 2].min(axis=1)
    floor = min_z.min(axis=1)
    root = root - np.outer(floor, [0.0, 0.0, 1.0])
    return Trajectory(times, root, legs, min_z - floor[:, None])


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
    """Render the walk to ``video_path`` (mp4v, streamed frame by frame); return its truth.

    With ``params.world`` the frames are drawn by :class:`~posture.synth.world.WorldScene`
    (bystanders, occluder, sensor noise), the file is re-encoded as the world asks, and the
    truth gains a ``world`` entry; the events stay the walker's.
    """
    subject = build_subject(params.phenotype)
    n_frames = int(round(params.n_strides * cycle_time(params) * params.fps))
    traj = solve_trajectory(subject, params, (n_frames - 1) / params.fps)
    events = clean_contacts(name, traj, params)  # refuse before rendering, not after
    frame_idx = np.arange(n_frames) * params.oversample
    camera, direction = walking_camera(params, (traj.root[0, 1], traj.root[-1, 1]))
    fourcc = cv2.VideoWriter_fourcc(*"mp4v")  # type: ignore[attr-defined]
    scene = None if params.world is None else WorldScene(params.world, camera, params.appearance, subject)
    out_path = Path(video_path)
    raw = out_path if scene is None else out_path.with_name(out_path.stem + ".mp4v" + out_path.suffix)
    writer = cv2.VideoWriter(str(raw), fourcc, params.fps, (params.width, params.height))
    if not writer.isOpened():
        raise OSError(f"cannot open a video writer for {video_path}")
    frames: dict[str, list] = {"time_s": []}
    obliquity = []
    try:
        for f, gi in enumerate(frame_idx):
            pose = trajectory_pose(subject, params, traj, int(gi))
            verts, heads = pose_batch(subject, [pose])
            joints = named_joints(subject, heads[0], verts[0])
            if scene is None:
                writer.write(render_body(camera, verts[0], subject.faces, subject.region, params.appearance))
            else:
                points = camera.project(np.array([joints[f"{s}_{j}"] for j in _FRAME_JOINTS for s in SIDES]))
                writer.write(scene.render(f, f / params.fps, verts[0], points))
            frames["time_s"].append(f / params.fps)
            for j in _FRAME_JOINTS:
                for side in SIDES:
                    frames.setdefault(f"{side}_{j}_px", []).append(camera.project(joints[f"{side}_{j}"]))
            hl, hr = joints["left_hip"], joints["right_hip"]
            obliquity.append(np.degrees(np.arctan2(hl[2] - hr[2], np.hypot(*(hl - hr)[:2]))))
    finally:
        writer.release()
    truth = walking_truth(
        name, params, subject, traj, events, camera, direction, frames, np.array(obliquity), n_frames
    )
    if scene is not None and params.world is not None:
        truth["world"] = scene.truth(compress(raw, out_path, params.world, params.fps))
    return truth


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
    as_dict = asdict(params)
    if params.world is None:
        del as_dict["world"]  # the clean render's truth stays as it was
    truth = base_truth(
        "walking",
        name,
        params.seed,
        as_dict,
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
