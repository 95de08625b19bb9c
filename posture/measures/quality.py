"""Quality gates for a standing photo: is the picture fit to measure from?

Each gate returns plain-language warnings; :func:`fatal_problem` names the
conditions under which no hip measure can be trusted at all.
"""

from __future__ import annotations

import numpy as np

from posture.data.skeleton import Landmark as L
from posture.measures.photo import View

MIN_VISIBILITY = 0.5
#: The subject should fill at least this share of the image height.
MIN_HEIGHT_SHARE = 0.35
#: Beyond this trunk angle from vertical the subject is not standing upright.
MAX_UPRIGHT_DEG = 15.0
#: Beyond this trunk angle from vertical the subject is lying or bent over: nothing is measured.
MAX_TRUNK_DEG = 45.0
#: Below this thigh length (hip to knee, in torso lengths, vertical extent) the subject is sitting.
MIN_THIGH_DROP = 0.35
_WHOLE_BODY = [L.NOSE, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE,
               L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_HEEL, L.RIGHT_HEEL]  # fmt: skip


def _in_frame(xy: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    w, h = size
    return (xy[:, 0] >= 0) & (xy[:, 0] < w) & (xy[:, 1] >= 0) & (xy[:, 1] < h)


def trunk_from_vertical_deg(xy: np.ndarray) -> float:
    """Angle of the hip-to-shoulder midpoint line from vertical, degrees (0 = upright)."""
    hips = (xy[L.LEFT_HIP] + xy[L.RIGHT_HIP]) / 2
    shoulders = (xy[L.LEFT_SHOULDER] + xy[L.RIGHT_SHOULDER]) / 2
    return abs(float(np.degrees(np.arctan2(shoulders[0] - hips[0], hips[1] - shoulders[1]))))


def fatal_problem(xy: np.ndarray, visibility: np.ndarray, size: tuple[int, int]) -> str | None:
    """Why nothing can be measured (hips or shoulders not seen, not standing), or ``None``."""
    core = [L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_SHOULDER, L.RIGHT_SHOULDER]
    inside = _in_frame(xy[core], size)
    if not inside.all():
        missing = [lm.label for lm, ok in zip(core, inside, strict=True) if not ok]
        return f"{', '.join(missing)} outside the picture: step back so the whole body is in view"
    trunk = trunk_from_vertical_deg(xy)
    if trunk > MAX_TRUNK_DEG:
        return f"the subject is not standing (trunk {trunk:.0f} degrees from vertical): stand for the picture"
    hips_y = (xy[L.LEFT_HIP, 1] + xy[L.RIGHT_HIP, 1]) / 2
    torso = hips_y - (xy[L.LEFT_SHOULDER, 1] + xy[L.RIGHT_SHOULDER, 1]) / 2
    knees = xy[[L.LEFT_KNEE, L.RIGHT_KNEE]]
    in_view = _in_frame(knees, size)
    if in_view.any() and torso > 0 and np.mean(knees[in_view, 1] - hips_y) < MIN_THIGH_DROP * torso:
        return "the knees are about level with the hips: the subject seems to sit; stand for the picture"
    return None


def quality_warnings(
    xy: np.ndarray, visibility: np.ndarray, size: tuple[int, int], view: View, requested: View | None
) -> list[str]:
    """Warnings about framing, size, posture, view and landmark visibility."""
    out = []
    body = xy[_WHOLE_BODY]
    outside = [lm.label for lm, ok in zip(_WHOLE_BODY, _in_frame(body, size), strict=True) if not ok]
    if outside:
        out.append(f"not the whole body is in the picture ({', '.join(outside)} outside): step back")
    height_share = float(np.ptp(body[:, 1])) / size[1]
    if height_share < MIN_HEIGHT_SHARE:
        out.append(
            f"the subject fills only {100 * height_share:.0f}% of the picture height "
            f"(at least {100 * MIN_HEIGHT_SHARE:.0f}% is advised): move closer or zoom in"
        )
    lean = trunk_from_vertical_deg(xy)
    if lean > MAX_UPRIGHT_DEG:
        out.append(f"the trunk is {lean:.0f} degrees from vertical: the subject should stand upright")
    if requested is not None and requested is not view:
        out.append(f"the picture looks like a {view.value} view, but --view {requested.value} was given")
    far = {"left": "right_", "right": "left_"}.get(view.value)  # the far side is hidden in a side view
    faint = [
        lm.label
        for lm in _WHOLE_BODY
        if visibility[lm] < MIN_VISIBILITY and not (far and lm.label.startswith(far))
    ]
    if faint:
        out.append(f"low confidence for {', '.join(faint)}: check clothing, lighting and occlusion")
    return out


#: Measures that need the ankles (and so the lower legs) in the picture.
NEEDS_ANKLES = (
    "leg_length_ratio", "knee_alignment_deg_left", "knee_alignment_deg_right",
    "lateral_pelvic_shift_px", "lateral_pelvic_shift_mm", "lateral_pelvic_shift_pct_hip_width",
)  # fmt: skip


def ankles_seen(xy: np.ndarray, visibility: np.ndarray, size: tuple[int, int]) -> bool:
    """Whether both ankles are inside the picture and confidently seen."""
    ankles = [L.LEFT_ANKLE, L.RIGHT_ANKLE]
    return bool(_in_frame(xy[ankles], size).all() and (visibility[ankles] >= MIN_VISIBILITY).all())
