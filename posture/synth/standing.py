"""Standing subjects with a known pelvis: obliquity, sagittal tilt, leg-length difference.

The pelvis is posed first (tilt, then obliquity about the pelvis centre); the
legs are then solved analytically so both ankles reach targets on one level
(feet flat, toes out a little), the less-bent knee keeping ``knee_flexion_deg``;
the trunk stays upright in the world (the spine side-bends / extends back),
so the head stays over the feet. The body is finally lowered so the soles
rest on z = 0.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
from numpy.typing import NDArray

from posture.synth.body import (
    SIDES,
    BodyPose,
    FloatArray,
    LegPose,
    Phenotype,
    PosedBody,
    Subject,
    align_vectors,
    build_subject,
    pelvis_rotation,
    place_on_floor,
    pose_body,
    rot_x,
    rot_z,
    zyx_angles,
)
from posture.synth.render import Appearance, Camera, make_camera, render_body
from posture.synth.truth import base_truth

_SIGN = {"left": -1.0, "right": 1.0}
TRUTH_JOINTS = ("hip", "knee", "ankle", "heel", "toe", "shoulder", "elbow", "wrist", "ear")


@dataclass(frozen=True)
class StandingParams:
    """Everything that defines one standing render (lengths in metres unless named _mm).

    ``hip_height_diff_mm`` is left minus right (positive: left hip higher);
    ``pelvic_tilt_deg`` anterior positive from anny's neutral;
    ``leg_length_diff_mm`` left minus right (split half/half between the legs).
    """

    phenotype: Phenotype = field(default_factory=Phenotype)
    view: str = "front"
    distance_m: float = 2.6
    camera_height_m: float = 0.9
    roll_deg: float = 0.0
    vfov_deg: float = 50.0
    width: int = 720
    height: int = 1280
    hip_height_diff_mm: float = 0.0
    pelvic_tilt_deg: float = 0.0
    leg_length_diff_mm: float = 0.0
    stance_width_m: float = 0.22
    toe_out_deg: float = 6.0
    knee_flexion_deg: float = 2.0
    appearance: Appearance = field(default_factory=Appearance)
    seed: int = 0


def obliquity_for_drop(subject: Subject, hip_height_diff_mm: float, tilt_deg: float) -> float:
    """Return the pelvis obliquity (deg) that puts the left hip ``hip_height_diff_mm`` higher."""
    hips = [subject.ref_heads[subject.bone(f"upperleg01.{s}")] for s in "LR"]
    v = rot_x(tilt_deg) @ (hips[0] - hips[1])
    ratio = hip_height_diff_mm / 1000.0 / np.hypot(v[0], v[2])
    if abs(ratio) >= 0.5:
        raise ValueError(
            f"hip height difference {hip_height_diff_mm} mm is too large for "
            f"a hip width of {np.hypot(v[0], v[2]) * 1000:.0f} mm"
        )
    # z of Ry(-ob) @ v is v_x sin(ob) + v_z cos(ob)
    return float(np.degrees(np.arcsin(ratio) - np.arctan2(v[2], v[0])))


def leg_vectors(subject: Subject, side: str, extra_m: float) -> tuple[FloatArray, FloatArray]:
    """Return the reference thigh and shank vectors of ``side``, lengthened by ``extra_m``."""
    sfx = ".L" if side == "left" else ".R"
    hip, knee, ankle = (
        subject.ref_heads[subject.bone(b + sfx)] for b in ("upperleg01", "lowerleg01", "foot")
    )
    thigh, shank = knee - hip, ankle - knee
    thigh = thigh * (1 + 0.5 * extra_m / np.linalg.norm(thigh))
    shank = shank * (1 + 0.5 * extra_m / np.linalg.norm(shank))
    return thigh, shank


def knee_for_reach(thigh: FloatArray, shank: FloatArray, reach: float) -> float:
    """Return the knee flexion (deg, >= 0) at which the hip-ankle distance equals ``reach``."""

    def dist(k: float) -> float:
        return float(np.linalg.norm(thigh + rot_x(k) @ shank))

    lo, hi = 0.0, 150.0
    if reach >= dist(lo):
        return 0.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if dist(mid) > reach else (lo, mid)
    return 0.5 * (lo + hi)


def solve_leg(
    subject: Subject,
    side: str,
    g_pelvis: FloatArray,
    hip: FloatArray,
    ankle: FloatArray,
    extra_m: float,
    toe_out_deg: float,
) -> LegPose:
    """Return the :class:`LegPose` putting the ankle at ``ankle`` with the foot flat."""
    thigh, shank = leg_vectors(subject, side, extra_m)
    knee = knee_for_reach(thigh, shank, float(np.linalg.norm(ankle - hip)))
    neutral = subject.leg_neutral(side)
    leg_world = neutral @ (thigh + rot_x(knee) @ shank)
    g_thigh = align_vectors(leg_world, ankle - hip) @ neutral
    s = _SIGN[side]
    h_rot, h_abd, h_flex = zyx_angles(g_pelvis.T @ g_thigh @ neutral.T)
    g_foot = rot_z(-s * toe_out_deg)
    a_rot, a_inv, a_dorsi = zyx_angles((g_thigh @ rot_x(knee)).T @ g_foot @ neutral)
    return LegPose(
        hip_flexion=-h_flex,
        hip_abduction=s * h_abd,
        hip_rotation=s * h_rot,
        knee_flexion=knee,
        ankle_dorsiflexion=-a_dorsi,
        ankle_inversion=-s * a_inv,
        ankle_rotation=s * a_rot,
        extra_length_mm=extra_m * 1000.0,
    )


def solve_standing_pose(subject: Subject, params: StandingParams) -> BodyPose:
    """Return the :class:`BodyPose` of ``params``: pelvis as commanded, feet flat and level."""
    obliquity = obliquity_for_drop(subject, params.hip_height_diff_mm, params.pelvic_tilt_deg)
    pelvis = BodyPose(pelvis_tilt=params.pelvic_tilt_deg, pelvis_obliquity=obliquity)
    g_pelvis = pelvis_rotation(pelvis)
    extra = {"left": 0.5e-3 * params.leg_length_diff_mm, "right": -0.5e-3 * params.leg_length_diff_mm}
    hips, ankles_xy, ankle_z = {}, {}, []
    for side in SIDES:
        hips[side] = g_pelvis @ subject.ref_heads[subject.bone(f"upperleg01.{side[0].upper()}")]
        ankles_xy[side] = np.array([-_SIGN[side] * params.stance_width_m / 2.0, 0.0])
        thigh, shank = leg_vectors(subject, side, extra[side])
        reach = np.linalg.norm(thigh + rot_x(params.knee_flexion_deg) @ shank)
        horizontal = np.linalg.norm(ankles_xy[side] - hips[side][:2])
        ankle_z.append(hips[side][2] - np.sqrt(reach**2 - horizontal**2))
    z = max(ankle_z)
    legs = {
        side: solve_leg(
            subject,
            side,
            g_pelvis,
            hips[side],
            np.append(ankles_xy[side], z),
            extra[side],
            params.toe_out_deg,
        )
        for side in SIDES
    }
    return BodyPose(
        left_leg=legs["left"],
        right_leg=legs["right"],
        pelvis_tilt=params.pelvic_tilt_deg,
        pelvis_obliquity=obliquity,
    )


def standing_body(params: StandingParams) -> tuple[Subject, BodyPose, PosedBody]:
    """Build, pose and floor the standing body of ``params``."""
    subject = build_subject(params.phenotype)
    pose = solve_standing_pose(subject, params)
    body, _ = place_on_floor(pose_body(subject, pose))
    return subject, pose, body


def truth_joint_names() -> list[str]:
    """Return the names of the joints written to a standing truth file."""
    names = [f"{side}_{j}" for j in TRUTH_JOINTS for side in SIDES]
    return names + ["nose", "head_top", "pelvis_centre"]


def standing_truth(
    name: str, params: StandingParams, subject: Subject, pose: BodyPose, body: PosedBody, camera: Camera
) -> dict:
    """Return the truth dictionary of a standing render."""
    joints = {k: body.joints[k] for k in truth_joint_names()}
    px = {k: camera.project(v) for k, v in joints.items()}
    hip_l, hip_r = joints["left_hip"], joints["right_hip"]
    dz = hip_l[2] - hip_r[2]
    feet_min = {side: float(body.vertices[subject.foot_vertices[side], 2].min()) for side in SIDES}
    truth = base_truth(
        "standing",
        name,
        params.seed,
        params_dict(params),
        (params.width, params.height),
        camera.as_dict(),
        {
            "phenotype": asdict(params.phenotype),
            "height_m": float(body.vertices[:, 2].max()),
            "hip_width_m": float(np.linalg.norm(hip_l - hip_r)),
        },
    )
    truth.update(
        {
            "joints_3d_m": joints,
            "joints_px": px,
            "pelvic_obliquity_deg": float(np.degrees(np.arctan2(dz, np.hypot(*(hip_l - hip_r)[:2])))),
            "hip_height_diff_mm": float(dz * 1000.0),
            "pelvic_tilt_deg": params.pelvic_tilt_deg,
            "leg_length_diff_mm": params.leg_length_diff_mm,
            "hip_width_px": float(np.linalg.norm(px["left_hip"] - px["right_hip"])),
            "feet_lowest_z_mm": {side: v * 1000.0 for side, v in feet_min.items()},
            "pose_deg": asdict(pose),
        }
    )
    return truth


def params_dict(params: StandingParams) -> dict:
    """Return ``params`` as plain JSON-ready values."""
    return asdict(params)


def standing_camera(params: StandingParams) -> Camera:
    """The camera that ``params`` describe."""
    return make_camera(
        params.view,
        params.distance_m,
        params.camera_height_m,
        params.roll_deg,
        params.width,
        params.height,
        params.vfov_deg,
    )


def render_standing(name: str, params: StandingParams) -> tuple[NDArray[np.uint8], dict]:
    """Render the standing subject of ``params``; return the BGR image and its truth."""
    subject, pose, body = standing_body(params)
    camera = standing_camera(params)
    image = render_body(
        camera, body.vertices, body.faces, subject.region, params.appearance, subject.ref_vertices
    )
    return image, standing_truth(name, params, subject, pose, body, camera)
