"""Which way the subject faces the camera, from the landmarks alone.

- Side views have narrow shoulders and hips relative to the torso's height; the
  side nearer the camera has the smaller MediaPipe depth ``z``.
- Front and back views are told apart by the nose's depth against the ears'
  (in front of them when the face is towards the camera).
- In a back view the subject's left is on the image left. When the model's
  labels disagree with the detected view (it sometimes labels a back view as if
  the subject faced the camera), :func:`fix_sides` swaps them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.data.skeleton import MIRROR
from posture.data.skeleton import Landmark as L
from posture.measures.photo import View

#: Shoulder width below this fraction of the torso height means a side view.
SIDE_RATIO = 0.35


@dataclass(frozen=True)
class ViewGuess:
    """The detected view and the evidence for it."""

    view: View
    reason: str


def shoulder_ratio(xy: np.ndarray) -> float:
    """Shoulder width over torso height in the image (about 0.7 facing the camera, below 0.35 side-on)."""
    shoulders = abs(xy[L.LEFT_SHOULDER, 0] - xy[L.RIGHT_SHOULDER, 0])
    torso = abs(
        (xy[L.LEFT_SHOULDER, 1] + xy[L.RIGHT_SHOULDER, 1]) / 2 - (xy[L.LEFT_HIP, 1] + xy[L.RIGHT_HIP, 1]) / 2
    )
    return float(shoulders / max(torso, 1.0))


def detect_view(xy: np.ndarray, z: np.ndarray) -> ViewGuess:
    """Guess the view from one person's (33, 2) pixels and (33,) depths."""
    ratio = shoulder_ratio(xy)
    if ratio < SIDE_RATIO:
        left_z = z[[L.LEFT_SHOULDER, L.LEFT_HIP]].sum()
        right_z = z[[L.RIGHT_SHOULDER, L.RIGHT_HIP]].sum()
        view = View.LEFT if left_z < right_z else View.RIGHT
        return ViewGuess(
            view, f"shoulder width {ratio:.2f} x torso height; {view.value} side nearer the camera"
        )
    face = z[L.NOSE] - (z[L.LEFT_EAR] + z[L.RIGHT_EAR]) / 2
    view = View.FRONT if face < 0 else View.BACK
    where = "in front of" if face < 0 else "behind"
    return ViewGuess(view, f"shoulder width {ratio:.2f} x torso height; nose {where} the ears")


def sides_consistent(xy: np.ndarray, view: View) -> bool:
    """Whether the left/right labels agree with the view (front: subject's left on image right)."""
    if view.is_side:
        return True
    left_on_right = xy[L.LEFT_SHOULDER, 0] + xy[L.LEFT_HIP, 0] > xy[L.RIGHT_SHOULDER, 0] + xy[L.RIGHT_HIP, 0]
    return bool(left_on_right) == (view is View.FRONT)


def fix_sides(xy: np.ndarray, view: View) -> tuple[np.ndarray, bool]:
    """Swap left and right labels when they contradict the view; say whether it did."""
    if sides_consistent(xy, view):
        return xy, False
    return xy[list(MIRROR)], True
