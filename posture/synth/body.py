"""Posed anny bodies with named joint centres in world metres.

World frame (anny's): x lateral (the subject's left is +x), y depth (the subject
faces -y), z up; metres. Bodies are placed with their lowest foot point on the
floor plane z = 0 by the generators (see :func:`place_on_floor`).

Pose parameterisation: anny's ``local-ref`` deltas are rotations about each bone
head in world-aligned axes, composed down the chain. This module works with
*segment world rotations* ``G`` (the rotation of a segment away from anny's
reference pose) and converts them to deltas with ``D_child = G_parent.T @ G_child``.

Angle conventions (degrees, :class:`LegPose`, :class:`ArmPose`, :class:`BodyPose`):

- hip: flexion (thigh forward +), abduction (thigh away from the midline +),
  internal rotation (+); applied as ``Rz(rot) @ Ry(abd) @ Rx(flex)`` with the
  side signs below, relative to the pelvis, on top of a per-side neutral that
  makes the hip-ankle line vertical when every angle is zero.
- knee: flexion (+, shank backwards). ankle: dorsiflexion (+, toes up),
  inversion (+, sole turned to the midline), internal rotation (+); zero = the
  foot flat on the floor when the leg is vertical.
- pelvis (world): anterior tilt (+, top of the pelvis forward), obliquity
  (+, the subject's left hip higher), rotation (+, counter-clockwise seen from
  above, i.e. the left hip moves back).
- trunk (world, not relative to the pelvis): forward lean (+), side bend to the
  subject's left (+), rotation (+ as for the pelvis). The spine bones share the
  difference between pelvis and trunk evenly; neck and head follow the trunk.
- shoulder (relative to the trunk): flexion (arm forward +), abduction (+);
  elbow flexion (+). Zero = the arm hanging straight down.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.spatial.transform import Rotation

FloatArray = NDArray[np.float64]
SIDES = ("left", "right")
_SUFFIX = {"left": ".L", "right": ".R"}
#: Sign applied to abduction / rotation / inversion angles per side (left is +x).
_SIDE_SIGN = {"left": -1.0, "right": 1.0}

# Bone groups used for clothing regions (by each vertex's dominant bone).
_SHIRT_PREFIXES = ("spine", "clavicle", "shoulder01", "upperarm01")
_SHORTS_PREFIXES = ("root", "pelvis", "upperleg01")
_SHOE_PREFIXES = ("foot", "toe")
REGIONS = ("skin", "shirt", "shorts", "shoes", "hair")


# --------------------------------------------------------------------- rotations
def rot_x(deg: float) -> FloatArray:
    """Return the rotation matrix about +x by ``deg`` degrees (right-handed)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> FloatArray:
    """Return the rotation matrix about +y by ``deg`` degrees (right-handed)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> FloatArray:
    """Return the rotation matrix about +z by ``deg`` degrees (right-handed)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def align_vectors(src: FloatArray, dst: FloatArray) -> FloatArray:
    """Return the smallest rotation taking the direction of ``src`` to that of ``dst``."""
    a = np.asarray(src, float) / np.linalg.norm(src)
    b = np.asarray(dst, float) / np.linalg.norm(dst)
    axis = np.cross(a, b)
    sin, cos = np.linalg.norm(axis), float(np.dot(a, b))
    if sin < 1e-12:
        return np.eye(3)
    return Rotation.from_rotvec(axis / sin * np.arctan2(sin, cos)).as_matrix()


def fractional_rotation(rot: FloatArray, fraction: float) -> FloatArray:
    """Return the rotation about the same axis as ``rot`` by ``fraction`` of its angle."""
    return Rotation.from_rotvec(Rotation.from_matrix(rot).as_rotvec() * fraction).as_matrix()


def zyx_angles(rot: FloatArray) -> tuple[float, float, float]:
    """Decompose ``rot = Rz(a) @ Ry(b) @ Rx(c)``; return ``(a, b, c)`` in degrees."""
    a, b, c = Rotation.from_matrix(rot).as_euler("ZYX", degrees=True)
    return float(a), float(b), float(c)


# --------------------------------------------------------------------- parameters
@dataclass(frozen=True)
class Phenotype:
    """Anny phenotype, each value in [0, 1].

    ``gender`` 0 = male, 1 = female; ``age`` 0.667 = young adult, 1 = old
    (0.333 = child); ``height``, ``weight``, ``muscle`` 0 = minimum,
    1 = maximum; ``proportions`` 0 = ideal, 1 = uncommon.
    """

    gender: float = 0.0
    age: float = 0.75
    muscle: float = 0.5
    weight: float = 0.5
    height: float = 0.35
    proportions: float = 0.5

    def __post_init__(self) -> None:
        bad = {k: v for k, v in asdict(self).items() if not 0.0 <= v <= 1.0}
        if bad:
            raise ValueError(f"phenotype values must lie in [0, 1], got {bad}")


@dataclass(frozen=True)
class LegPose:
    """Joint angles of one leg in degrees (see the module docstring)."""

    hip_flexion: float = 0.0
    hip_abduction: float = 0.0
    hip_rotation: float = 0.0
    knee_flexion: float = 0.0
    ankle_dorsiflexion: float = 0.0
    ankle_inversion: float = 0.0
    ankle_rotation: float = 0.0
    extra_length_mm: float = 0.0


@dataclass(frozen=True)
class ArmPose:
    """Joint angles of one arm in degrees; the default hangs relaxed at the side."""

    shoulder_flexion: float = 0.0
    shoulder_abduction: float = 7.0
    elbow_flexion: float = 12.0


@dataclass(frozen=True)
class BodyPose:
    """A whole-body pose: named angles in degrees and the pelvis position in metres."""

    left_leg: LegPose = field(default_factory=LegPose)
    right_leg: LegPose = field(default_factory=LegPose)
    left_arm: ArmPose = field(default_factory=ArmPose)
    right_arm: ArmPose = field(default_factory=ArmPose)
    pelvis_tilt: float = 0.0
    pelvis_obliquity: float = 0.0
    pelvis_rotation: float = 0.0
    trunk_lean: float = 0.0
    trunk_side_bend: float = 0.0
    trunk_rotation: float = 0.0
    pelvis_position: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def leg(self, side: str) -> LegPose:
        """Return the :class:`LegPose` of ``side`` ("left" or "right")."""
        return self.left_leg if side == "left" else self.right_leg

    def arm(self, side: str) -> ArmPose:
        """Return the :class:`ArmPose` of ``side`` ("left" or "right")."""
        return self.left_arm if side == "left" else self.right_arm


# --------------------------------------------------------------------- the model
@functools.lru_cache(maxsize=1)
def load_model() -> object:
    """Build the anny model once per process (lazy import; needs the ``synth`` extra)."""
    try:
        import anny
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "posture.synth needs the 'synth' extra (anny, torch); "
            "install it with `pip install posture[synth]`"
        ) from exc
    return anny.Anny()


@dataclass(frozen=True)
class Subject:
    """An anny body of one phenotype in its reference pose (root at the origin).

    Attributes
    ----------
    ref_heads : (104, 3) bone heads of the reference pose, metres.
    ref_vertices : (V, 3) vertices of the reference pose, metres.
    faces : (F, 3) triangle vertex indices.
    region : (V,) index into :data:`REGIONS` per vertex (skin, shirt, ...).
    foot_vertices : vertex indices of each foot (dominant bone foot or toes).
    landmark_vertices : vertex index of surface landmarks (heels, toes, ears, ...).
    """

    phenotype: Phenotype
    bone_labels: tuple[str, ...]
    parents: tuple[int, ...]
    ref_heads: FloatArray
    ref_vertices: FloatArray
    faces: NDArray[np.int64]
    region: NDArray[np.int64]
    foot_vertices: dict[str, NDArray[np.int64]]
    landmark_vertices: dict[str, int]

    def bone(self, label: str) -> int:
        """Return the index of bone ``label``."""
        return self.bone_labels.index(label)

    def leg_neutral(self, side: str) -> FloatArray:
        """Return the rotation making the reference hip-ankle line vertical."""
        sfx = _SUFFIX[side]
        hip = self.ref_heads[self.bone("upperleg01" + sfx)]
        ankle = self.ref_heads[self.bone("foot" + sfx)]
        return align_vectors(ankle - hip, np.array([0.0, 0.0, -1.0]))

    def arm_neutral(self, side: str) -> tuple[FloatArray, FloatArray]:
        """Return rotations hanging the reference upper arm and forearm straight down."""
        sfx = _SUFFIX[side]
        shoulder = self.ref_heads[self.bone("upperarm01" + sfx)]
        elbow = self.ref_heads[self.bone("lowerarm01" + sfx)]
        wrist = self.ref_heads[self.bone("wrist" + sfx)]
        down = np.array([0.0, 0.0, -1.0])
        return align_vectors(elbow - shoulder, down), align_vectors(wrist - elbow, down)

    def segment_lengths(self, side: str) -> tuple[float, float]:
        """Return the reference thigh (hip-knee) and shank (knee-ankle) lengths in metres."""
        sfx = _SUFFIX[side]
        hip, knee, ankle = (self.ref_heads[self.bone(b + sfx)] for b in ("upperleg01", "lowerleg01", "foot"))
        return float(np.linalg.norm(knee - hip)), float(np.linalg.norm(ankle - knee))


def _dominant_labels(model: object) -> list[str]:
    weights = model.vertex_bone_weights.numpy()  # type: ignore[attr-defined]
    indices = model.vertex_bone_indices.numpy()  # type: ignore[attr-defined]
    dom = indices[np.arange(len(indices)), weights.argmax(1)]
    labels = list(model.bone_labels)  # type: ignore[attr-defined]
    return [labels[i] for i in dom]


def _regions(dom: list[str], verts: FloatArray, head_bone: FloatArray) -> NDArray[np.int64]:
    region = np.zeros(len(dom), dtype=np.int64)
    for i, lab in enumerate(dom):
        if lab.startswith(_SHIRT_PREFIXES):
            region[i] = REGIONS.index("shirt")
        elif lab.startswith(_SHORTS_PREFIXES):
            region[i] = REGIONS.index("shorts")
        elif lab.startswith(_SHOE_PREFIXES):
            region[i] = REGIONS.index("shoes")
    is_head = np.array([lab in ("head", "neck03") for lab in dom])
    # hair: the cap of the head above the brows, and the back of the head
    top = verts[:, 2] > head_bone[2] + 0.075
    back = (verts[:, 1] > head_bone[1] + 0.02) & (verts[:, 2] > head_bone[2] - 0.02)
    region[is_head & (top | back)] = REGIONS.index("hair")
    return region


def _landmarks(dom: list[str], verts: FloatArray, heads: FloatArray, labels: list[str]) -> dict:
    out: dict[str, int] = {}
    idx = np.arange(len(verts))
    for side in SIDES:
        sfx = _SUFFIX[side]
        foot = idx[[lab == "foot" + sfx or (lab.startswith("toe") and lab.endswith(sfx)) for lab in dom]]
        out[f"{side}_heel"] = int(foot[np.argmax(verts[foot, 1])])
        out[f"{side}_toe"] = int(foot[np.argmin(verts[foot, 1])])
    head = idx[[lab == "head" for lab in dom]]
    eye_z = heads[labels.index("eye.L"), 2]
    head_y = heads[labels.index("head"), 1]
    band = head[(np.abs(verts[head, 2] - (eye_z - 0.03)) < 0.02) & (np.abs(verts[head, 1] - head_y) < 0.03)]
    out["left_ear"] = int(band[np.argmax(verts[band, 0])])
    out["right_ear"] = int(band[np.argmin(verts[band, 0])])
    out["head_top"] = int(head[np.argmax(verts[head, 2])])
    out["nose"] = int(head[np.argmin(verts[head, 1])])
    return out


@functools.lru_cache(maxsize=16)
def build_subject(phenotype: Phenotype) -> Subject:
    """Build the reference-pose :class:`Subject` of ``phenotype`` (cached)."""
    import torch

    model = load_model()
    with torch.no_grad():
        out = model(phenotype_kwargs=asdict(phenotype))  # type: ignore[operator]
    heads = out["bone_poses"][0, :, :3, 3].numpy().astype(np.float64)
    verts = out["vertices"][0].numpy().astype(np.float64)
    labels = list(model.bone_labels)  # type: ignore[attr-defined]
    parents = [int(p) for p in model.bone_parents]  # type: ignore[attr-defined]
    if any(p >= i for i, p in enumerate(parents) if i > 0):
        raise RuntimeError("anny bones are not ordered parents-first; update posture.synth")
    dom = _dominant_labels(model)
    feet = {
        side: np.array(
            [
                i
                for i, lab in enumerate(dom)
                if lab == "foot" + _SUFFIX[side] or (lab.startswith("toe") and lab.endswith(_SUFFIX[side]))
            ]
        )
        for side in SIDES
    }
    faces = model.get_triangular_faces().numpy().astype(np.int64)  # type: ignore[attr-defined]
    return Subject(
        phenotype=phenotype,
        bone_labels=tuple(labels),
        parents=tuple(parents),
        ref_heads=heads,
        ref_vertices=verts,
        faces=faces,
        region=_regions(dom, verts, heads[labels.index("head")]),
        foot_vertices=feet,
        landmark_vertices=_landmarks(dom, verts, heads, labels),
    )


# --------------------------------------------------------------------- pose -> rotations
def hip_rotation(side: str, leg: LegPose) -> FloatArray:
    """Return the hip rotation (thigh relative to the pelvis, before the neutral)."""
    s = _SIDE_SIGN[side]
    return rot_z(s * leg.hip_rotation) @ rot_y(s * leg.hip_abduction) @ rot_x(-leg.hip_flexion)


def ankle_rotation(side: str, leg: LegPose) -> FloatArray:
    """Return the ankle rotation (foot relative to the shank, before the neutral)."""
    s = _SIDE_SIGN[side]
    return rot_z(s * leg.ankle_rotation) @ rot_y(-s * leg.ankle_inversion) @ rot_x(-leg.ankle_dorsiflexion)


def pelvis_rotation(pose: BodyPose) -> FloatArray:
    """Return the pelvis world rotation ``Rz(rotation) @ Ry(-obliquity) @ Rx(tilt)``."""
    return rot_z(pose.pelvis_rotation) @ rot_y(-pose.pelvis_obliquity) @ rot_x(pose.pelvis_tilt)


def trunk_rotation(pose: BodyPose) -> FloatArray:
    """Return the trunk world rotation ``Rz(rotation) @ Ry(side_bend) @ Rx(lean)``."""
    return rot_z(pose.trunk_rotation) @ rot_y(pose.trunk_side_bend) @ rot_x(pose.trunk_lean)


def segment_rotations(subject: Subject, pose: BodyPose) -> dict[str, FloatArray]:
    """Return the world rotation of every driven bone for ``pose``.

    Bones not listed keep their parent's rotation (identity delta).
    """
    g_pelvis = pelvis_rotation(pose)
    g_trunk = trunk_rotation(pose)
    rots: dict[str, FloatArray] = {"root": g_pelvis}
    spine = ("spine05", "spine04", "spine03", "spine02", "spine01")
    step = fractional_rotation(g_pelvis.T @ g_trunk, 1.0 / len(spine))
    g = g_pelvis
    for bone in spine:
        g = g @ step
        rots[bone] = g
    for side in SIDES:
        sfx, s = _SUFFIX[side], _SIDE_SIGN[side]
        leg = pose.leg(side)
        neutral = subject.leg_neutral(side)
        thigh = g_pelvis @ hip_rotation(side, leg) @ neutral
        shank = thigh @ rot_x(leg.knee_flexion)
        rots["upperleg01" + sfx] = thigh
        rots["lowerleg01" + sfx] = shank
        rots["foot" + sfx] = shank @ ankle_rotation(side, leg) @ neutral.T
        arm = pose.arm(side)
        ua0, fa0 = subject.arm_neutral(side)
        base = g_trunk @ rot_y(s * arm.shoulder_abduction) @ rot_x(-arm.shoulder_flexion)
        rots["upperarm01" + sfx] = base @ ua0
        rots["lowerarm01" + sfx] = base @ rot_x(-arm.elbow_flexion) @ fa0
    return rots


def leg_length_offsets(subject: Subject, pose: BodyPose) -> dict[str, FloatArray]:
    """Return head translations that lengthen each leg by ``extra_length_mm``.

    Half the extra length goes into the thigh (at ``upperleg02``, mid-thigh) and
    half into the shank (at ``lowerleg02``, mid-shank), along each reference
    segment, so the hip-knee plus knee-ankle length changes by exactly that amount.
    """
    out: dict[str, FloatArray] = {}
    for side in SIDES:
        extra = pose.leg(side).extra_length_mm / 1000.0
        if extra == 0.0:
            continue
        sfx = _SUFFIX[side]
        h = {b: subject.ref_heads[subject.bone(b + sfx)] for b in ("upperleg01", "lowerleg01", "foot")}
        thigh, shank = h["lowerleg01"] - h["upperleg01"], h["foot"] - h["lowerleg01"]
        out["upperleg02" + sfx] = 0.5 * extra * thigh / np.linalg.norm(thigh)
        out["lowerleg02" + sfx] = 0.5 * extra * shank / np.linalg.norm(shank)
    return out


def world_rotations(subject: Subject, driven: dict[str, FloatArray]) -> FloatArray:
    """Expand driven bone rotations to all bones (children inherit); return (B, 3, 3)."""
    g = np.empty((len(subject.bone_labels), 3, 3))
    for i, label in enumerate(subject.bone_labels):
        g[i] = driven.get(label, g[subject.parents[i]] if i else np.eye(3))
    return g


def local_deltas(subject: Subject, pose: BodyPose) -> tuple[FloatArray, FloatArray]:
    """Return anny ``local-ref`` deltas (104, 4, 4) and the world rotations (104, 3, 3)."""
    g = world_rotations(subject, segment_rotations(subject, pose))
    offsets = leg_length_offsets(subject, pose)
    deltas = np.tile(np.eye(4), (len(g), 1, 1))
    deltas[0, :3, :3] = g[0]
    deltas[0, :3, 3] = pose.pelvis_position
    for i in range(1, len(g)):
        deltas[i, :3, :3] = g[subject.parents[i]].T @ g[i]
        label = subject.bone_labels[i]
        if label in offsets:
            deltas[i, :3, 3] = offsets[label]
    return deltas, g


def forward_frames(subject: Subject, pose: BodyPose) -> tuple[FloatArray, FloatArray]:
    """Return the world bone heads (104, 3) and bone world rotations (104, 3, 3) of ``pose``.

    Pure numpy, no skinning. A vertex skinned rigidly to bone ``b`` sits at
    ``heads[b] + g[b] @ (v_ref - ref_heads[b])``.
    """
    deltas, g = local_deltas(subject, pose)
    q = subject.ref_heads
    heads = np.empty_like(q)
    heads[0] = deltas[0, :3, 3]
    for i in range(1, len(q)):
        p = subject.parents[i]
        heads[i] = heads[p] + g[p] @ (q[i] - q[p] + deltas[i, :3, 3])
    return heads, g


def forward_heads(subject: Subject, pose: BodyPose) -> FloatArray:
    """Return the world bone heads (104, 3) of ``pose`` without skinning (pure numpy)."""
    return forward_frames(subject, pose)[0]


# --------------------------------------------------------------------- posing
@dataclass(frozen=True)
class PosedBody:
    """A posed body in world metres: mesh, bone heads and named joint centres."""

    vertices: FloatArray
    faces: NDArray[np.int64]
    bone_heads: FloatArray
    joints: dict[str, FloatArray]


_JOINT_BONES = {
    "hip": "upperleg01",
    "knee": "lowerleg01",
    "ankle": "foot",
    "shoulder": "upperarm01",
    "elbow": "lowerarm01",
    "wrist": "wrist",
    "eye": "eye",
}


def named_joints(subject: Subject, heads: FloatArray, verts: FloatArray) -> dict[str, FloatArray]:
    """Return named joint centres (bone heads) and surface landmarks (vertices)."""
    joints = {
        f"{side}_{name}": heads[subject.bone(bone + _SUFFIX[side])]
        for side in SIDES
        for name, bone in _JOINT_BONES.items()
    }
    joints["pelvis_centre"] = heads[0]
    joints["neck"] = heads[subject.bone("neck01")]
    joints.update({k: verts[v] for k, v in subject.landmark_vertices.items()})
    return {k: np.asarray(v, dtype=np.float64).copy() for k, v in joints.items()}


def pose_batch(subject: Subject, poses: Sequence[BodyPose]) -> tuple[FloatArray, FloatArray]:
    """Skin ``poses`` with anny in one batch; return vertices (N, V, 3) and heads (N, 104, 3)."""
    import torch

    model = load_model()
    deltas = np.stack([local_deltas(subject, p)[0] for p in poses])
    with torch.no_grad():
        out = model(  # type: ignore[operator]
            pose_parameters=torch.from_numpy(deltas),
            phenotype_kwargs=asdict(subject.phenotype),
        )
    verts = out["vertices"].numpy().astype(np.float64)
    heads = out["bone_poses"][:, :, :3, 3].numpy().astype(np.float64)
    return verts, heads


def pose_body(subject: Subject, pose: BodyPose) -> PosedBody:
    """Skin one pose; return the :class:`PosedBody` (not moved to the floor)."""
    verts, heads = pose_batch(subject, [pose])
    return PosedBody(verts[0], subject.faces, heads[0], named_joints(subject, heads[0], verts[0]))


def place_on_floor(body: PosedBody, floor_z: float | None = None) -> tuple[PosedBody, float]:
    """Shift ``body`` vertically so its lowest vertex (or ``floor_z``) lands on z = 0.

    Returns the shifted body and the applied shift in metres.
    """
    shift = -(float(body.vertices[:, 2].min()) if floor_z is None else floor_z)
    move = np.array([0.0, 0.0, shift])
    return (
        PosedBody(
            body.vertices + move,
            body.faces,
            body.bone_heads + move,
            {k: v + move for k, v in body.joints.items()},
        ),
        shift,
    )
