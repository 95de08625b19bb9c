"""Quality gates for a standing photo: is the picture fit to measure from?

Each gate returns plain-language warnings; :func:`fatal_problem` names the
conditions under which no hip measure can be trusted at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.core.view import View
from posture.data.skeleton import Landmark as L

_WHOLE_BODY = [L.NOSE, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE,
               L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_HEEL, L.RIGHT_HEEL]  # fmt: skip


@dataclass(frozen=True)
class GateSettings:
    """How strictly a picture is judged (the gates of :mod:`posture.standing.quality`)."""

    #: Landmarks scored less visible than this count as not seen.
    min_visibility: float = 0.5
    #: The subject should fill at least this share of the image height.
    min_height_share: float = 0.35
    #: Beyond this trunk angle from vertical the subject is not standing upright.
    max_upright_deg: float = 15.0
    #: Beyond this trunk angle from vertical the subject is lying or bent over: nothing is measured.
    max_trunk_deg: float = 45.0
    #: Below this thigh length (hip to knee, in torso lengths, vertical extent) the subject is sitting.
    min_thigh_drop: float = 0.35
    #: A knee bent more than this (deg, 180 minus the hip-knee-ankle angle) is not a standing knee.
    max_knee_bend_deg: float = 25.0
    #: Knees bent this much more on one side than the other: the weight is on one leg.
    max_knee_bend_diff_deg: float = 15.0
    #: Ankles further apart vertically than this share of the leg length (front/back view): one foot forward.
    max_ankle_rise: float = 0.08
    #: Ankles further apart horizontally than this share of the leg length in a side-on picture: mid-stride.
    max_side_stride: float = 0.3
    #: Between pictures of one standing pose, the hips may travel at most this share of a leg length ...
    max_hip_travel: float = 0.25
    #: ... and the feet's horizontal spacing may change by at most this share of a leg length.
    max_step_change: float = 0.2
    #: ... and the legs' length in the picture may change by at most this factor (walking towards the camera).
    max_size_change: float = 1.12
    #: An elbow bent more than this (deg, 180 minus the shoulder-elbow-wrist angle) is not a hanging arm.
    max_elbow_bend_deg: float = 40.0
    #: An upper arm further than this from vertical (deg, in the picture) is raised, not hanging.
    max_arm_raise_deg: float = 35.0


GATES = GateSettings()


def _in_frame(xy: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    return (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)


def trunk_from_vertical_deg(xy: np.ndarray) -> float:
    """Angle of the hip-to-shoulder midpoint line from vertical, degrees (0 = upright)."""
    hips = (xy[L.LEFT_HIP] + xy[L.RIGHT_HIP]) / 2
    shoulders = (xy[L.LEFT_SHOULDER] + xy[L.RIGHT_SHOULDER]) / 2
    return abs(float(np.degrees(np.arctan2(shoulders[0] - hips[0], hips[1] - shoulders[1]))))


def fatal_problem(
    xy: np.ndarray, visibility: np.ndarray, size: tuple[int, int], gates: GateSettings = GATES
) -> str | None:
    """Why nothing can be measured (hips or shoulders not seen, not standing), or ``None``."""
    core = [L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_SHOULDER, L.RIGHT_SHOULDER]
    inside = _in_frame(xy[core], size)
    if not inside.all():
        missing = [p for p in parts_out_of_view(xy, np.ones(len(xy)), size) if p in ("shoulders", "hips")]
        parts = " and ".join(missing or ["hips"])
        return f"{parts} not in view (the picture is cut off): step back so the whole body is in the picture"
    trunk = trunk_from_vertical_deg(xy)
    if trunk > gates.max_trunk_deg:
        return f"the subject is not standing (trunk {trunk:.0f} degrees from vertical): stand for the picture"
    hips_y = (xy[L.LEFT_HIP, 1] + xy[L.RIGHT_HIP, 1]) / 2
    torso = hips_y - (xy[L.LEFT_SHOULDER, 1] + xy[L.RIGHT_SHOULDER, 1]) / 2
    knees = xy[[L.LEFT_KNEE, L.RIGHT_KNEE]]
    in_view = _in_frame(knees, size)
    if in_view.any() and torso > 0:
        drops = knees[in_view, 1] - hips_y
        if np.all(drops < gates.min_thigh_drop * torso):
            return "the knees are about level with the hips: the subject seems to sit; stand for the picture"
        if np.any(drops < gates.min_thigh_drop * torso):
            return (
                "one knee is raised to hip height (a kick, a step or a lunge), not a standing posture: "
                "ask the client to stand still with the weight on both feet"
            )
    return stance_problem(xy, size, gates)


_LEGS = {"left": (L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE), "right": (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE)}
STANCE_REMEDY = "ask the client to stand still, feet side by side and hip-width apart, weight on both feet"


def bend_deg(start: np.ndarray, joint: np.ndarray, end: np.ndarray) -> float:
    """180° minus the angle at ``joint`` between the segments to ``start`` and ``end`` (0 = straight)."""
    a, b = start - joint, end - joint
    cos = float(np.dot(a, b) / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-9))
    return 180.0 - float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def knee_bend_deg(xy: np.ndarray, side: str) -> float:
    """180° minus the hip-knee-ankle angle in the picture (0 = a straight leg), degrees."""
    hip, knee, ankle = _LEGS[side]
    return bend_deg(xy[hip], xy[knee], xy[ankle])


def leg_length_px(xy: np.ndarray) -> float:
    """Mean hip-to-ankle distance of the two legs in the picture, pixels."""
    return float(np.mean([np.linalg.norm(xy[_LEGS[s][0]] - xy[_LEGS[s][2]]) for s in _LEGS]))


def stance_problem(xy: np.ndarray, size: tuple[int, int], gates: GateSettings = GATES) -> str | None:
    """Why the picture does not show a still, two-footed stance (mid-stride, weight on one leg), or ``None``.

    Needs both legs in the picture; judged from the landmarks: a knee bent much
    more than the other or bent a lot, the feet apart front to back (one ankle
    clearly lower in a front or back picture, far apart side to side in a side-on one).
    """
    legs = [j for joints in _LEGS.values() for j in joints]
    if not _in_frame(xy[legs], size).all() or not np.isfinite(xy[legs]).all():
        return None
    bend = {s: knee_bend_deg(xy, s) for s in _LEGS}
    seen: list[str] = []
    if (
        max(bend.values()) > gates.max_knee_bend_deg
        or abs(bend["left"] - bend["right"]) > gates.max_knee_bend_diff_deg
    ):
        seen.append(
            f"a knee is bent (left {bend['left']:.0f}, right {bend['right']:.0f} degrees): the weight seems "
            f"to be on one leg or the client is mid-stride"
        )
    leg = leg_length_px(xy)
    ankles = xy[[L.LEFT_ANKLE, L.RIGHT_ANKLE]]
    sideways = abs(ankles[0, 0] - ankles[1, 0]) / leg
    rise = abs(ankles[0, 1] - ankles[1, 1]) / leg
    side_on = abs(xy[L.LEFT_SHOULDER, 0] - xy[L.RIGHT_SHOULDER, 0]) < 0.35 * abs(
        (xy[L.LEFT_SHOULDER, 1] + xy[L.RIGHT_SHOULDER, 1]) / 2 - (xy[L.LEFT_HIP, 1] + xy[L.RIGHT_HIP, 1]) / 2
    )
    remedy = STANCE_REMEDY
    if side_on and sideways > gates.max_side_stride:
        seen.append(
            f"the feet are apart front to back ({100 * sideways:.0f}% of a leg length): the client seems "
            f"to be mid-stride"
        )
    if not side_on and rise > gates.max_ankle_rise:
        seen.append(
            f"one foot is ahead of the other (the ankles are {100 * rise:.0f}% of a leg length apart in "
            f"height): mid-stride or a split stance, or the camera is not square to the client"
        )
        remedy = f"{STANCE_REMEDY}, facing the camera"
    return f"{'; '.join(seen)}; {remedy}" if seen else None


#: Body parts a trainer names, and the landmarks that show them.
BODY_PARTS: dict[str, tuple[L, ...]] = {
    "head": (L.NOSE, L.LEFT_EAR, L.RIGHT_EAR),
    "shoulders": (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    "hips": (L.LEFT_HIP, L.RIGHT_HIP),
    "knees": (L.LEFT_KNEE, L.RIGHT_KNEE),
    "feet": (L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_HEEL, L.RIGHT_HEEL),
}


def parts_out_of_view(xy: np.ndarray, visibility: np.ndarray, size: tuple[int, int]) -> list[str]:
    """The body parts (head, shoulders, hips, knees, feet) not in the picture or not seen."""
    out = []
    for part, joints in BODY_PARTS.items():
        idx = list(joints)
        inside = _in_frame(xy[idx], size) & np.isfinite(xy[idx]).all(axis=1)
        if not inside.all() or np.nanmean(visibility[idx]) < 0.3:
            out.append(part)
    return out


def framing_remedy(parts: list[str]) -> str:
    """What to do about the parts out of view."""
    if parts and set(parts) <= {"feet", "knees"}:
        return "step back or tilt the camera down so the feet are in the picture"
    if parts == ["head"]:
        return "step back or tilt the camera up so the head is in the picture"
    return "step back so the whole body, head to feet, is in the picture"


def quality_warnings(
    xy: np.ndarray,
    visibility: np.ndarray,
    size: tuple[int, int],
    view: View,
    requested: View | None,
    gates: GateSettings = GATES,
) -> list[str]:
    """Warnings about framing, size, posture, view and landmark visibility."""
    out = []
    body = xy[_WHOLE_BODY]
    missing = parts_out_of_view(xy, visibility, size)
    if missing:
        parts = " and ".join(missing)
        out.append(f"not the whole body is in the picture: {parts} not in view; {framing_remedy(missing)}")
    height_share = float(np.ptp(body[:, 1])) / size[1]
    if height_share < gates.min_height_share:
        out.append(
            f"the subject fills only {100 * height_share:.0f}% of the picture height "
            f"(at least {100 * gates.min_height_share:.0f}% is advised): move closer or zoom in"
        )
    lean = trunk_from_vertical_deg(xy)
    if lean > gates.max_upright_deg:
        out.append(f"the trunk is {lean:.0f} degrees from vertical: the subject should stand upright")
    if requested is not None and requested is not view:
        out.append(f"the picture looks like a {view.value} view, but --view {requested.value} was given")
    far = {"left": "right_", "right": "left_"}.get(view.value)  # the far side is hidden in a side view
    faint = [
        lm.label
        for lm in _WHOLE_BODY
        if visibility[lm] < gates.min_visibility and not (far and lm.label.startswith(far))
    ]
    if faint:
        out.append(f"low confidence for {', '.join(faint)}: check clothing, lighting and occlusion")
    return out


#: Measures that need the ankles (and so the lower legs) in the picture.
NEEDS_ANKLES = (
    "leg_length_ratio", "knee_alignment_deg_left", "knee_alignment_deg_right",
    "lateral_pelvic_shift_px", "lateral_pelvic_shift_mm", "lateral_pelvic_shift_pct_hip_width",
)  # fmt: skip


def ankles_seen(
    xy: np.ndarray, visibility: np.ndarray, size: tuple[int, int], gates: GateSettings = GATES
) -> bool:
    """Whether both ankles are inside the picture and confidently seen."""
    ankles = [L.LEFT_ANKLE, L.RIGHT_ANKLE]
    return bool(_in_frame(xy[ankles], size).all() and (visibility[ankles] >= gates.min_visibility).all())


def movement_problem(poses: list[np.ndarray], gates: GateSettings = GATES) -> str | None:
    """Why several pictures do not show one still pose (the person walks or moves), or ``None``.

    ``poses`` are the subject's (33, 2) landmarks in each picture (same camera).
    """
    if len(poses) < 2:
        return None
    legs = np.array([leg_length_px(xy) for xy in poses])
    leg = float(np.nanmedian(legs))
    if not np.isfinite(leg) or leg <= 0:
        return None
    nearer = float(np.nanmax(legs) / np.nanmin(legs))
    if nearer > gates.max_size_change:
        return (
            f"the person moves between the pictures (their size in the picture changes by "
            f"{100 * (nearer - 1):.0f}%: walking towards or away from the camera): this looks like walking, "
            "not a standing pose; for a walking clip use `posture gait`, for the standing check ask the "
            "client to stand still"
        )
    hips = np.array([(xy[L.LEFT_HIP] + xy[L.RIGHT_HIP]) / 2 for xy in poses])
    travel = float(np.nanmax(np.linalg.norm(hips - np.nanmedian(hips, axis=0), axis=1))) / leg
    spacing = np.array([xy[L.LEFT_ANKLE, 0] - xy[L.RIGHT_ANKLE, 0] for xy in poses]) / leg
    change = float(np.nanmax(spacing) - np.nanmin(spacing))
    if travel > gates.max_hip_travel or change > gates.max_step_change:
        return (
            f"the person moves between the pictures (the hips travel {100 * travel:.0f}% and the feet's "
            f"spacing changes by {100 * change:.0f}% of a leg length): this looks like walking, not a "
            "standing pose; for a walking clip use `posture gait`, for the standing check ask the "
            "client to stand still"
        )
    return None


_ARMS = {
    "left": (L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST),
    "right": (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST),
}
ARMS_REMEDY = "ask the client to put down whatever they hold and let the arms hang relaxed at the sides"
#: Measures that depend on how the arms hang (the shoulder girdle rises with a raised or loaded arm),
#: each with what a trainer calls it: for front or back pictures, and for side-on ones.
NEEDS_HANGING_ARMS = {
    "front": {"shoulder_tilt_deg": "shoulder level"},
    "side": {"trunk_lean_deg": "trunk lean"},
}


def arm_angles(xy: np.ndarray, size: tuple[int, int]) -> dict[str, tuple[float, float]] | None:
    """Per side, (elbow bend, upper-arm angle from vertical) in degrees; None when an arm is not seen.

    ``xy`` has the subject's own sides (see :func:`posture.standing.view.fix_sides`).
    """
    joints = [j for arm in _ARMS.values() for j in arm]
    if not _in_frame(xy[joints], size).all() or not np.isfinite(xy[joints]).all():
        return None
    out = {}
    for side, (shoulder, elbow, wrist) in _ARMS.items():
        upper = xy[elbow] - xy[shoulder]
        raise_deg = float(np.degrees(np.arctan2(abs(upper[0]), upper[1])))
        out[side] = (bend_deg(xy[shoulder], xy[elbow], xy[wrist]), raise_deg)
    return out


def arms_problem(angles: dict[str, tuple[float, float]] | None, gates: GateSettings = GATES) -> str | None:
    """Why the arms do not hang relaxed at the sides (holding, carrying, hands in pockets, raised), or None.

    ``angles`` as from :func:`arm_angles`.
    """
    if angles is None:
        return None
    bent = {s: b for s, (b, _) in angles.items() if b > gates.max_elbow_bend_deg}
    raised = {s: r for s, (_, r) in angles.items() if r > gates.max_arm_raise_deg}
    seen = []
    if bent:
        which = " and ".join(f"{s} {b:.0f}" for s, b in bent.items())
        seen.append(
            f"the elbows are bent ({which} degrees): the client seems to hold or carry something, or has "
            "the hands in the pockets or on the hips"
        )
    if raised:
        which = " and ".join(f"{s} {r:.0f}" for s, r in raised.items())
        seen.append(f"the arms are raised from the sides ({which} degrees)")
    if not seen:
        return None
    remedy = ARMS_REMEDY if bent else "ask the client to let the arms hang relaxed at the sides"
    return f"{'; '.join(seen)}, which moves the shoulders; {remedy}"
