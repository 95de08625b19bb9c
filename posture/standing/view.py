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

from posture.core.view import View
from posture.data.skeleton import MIRROR
from posture.data.skeleton import Landmark as L

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


def mirror_view(view: View) -> View:
    """The view of the mirrored picture: front and back stay, left and right swap."""
    return {View.LEFT: View.RIGHT, View.RIGHT: View.LEFT}.get(view, view)


@dataclass(frozen=True)
class ViewEvidence:
    """What :func:`detect_view` decides on, as numbers that can be averaged over a picture and its mirror.

    ``ratio``: shoulder width over torso height; ``near``: left minus right depth of
    shoulder and hip (negative: the left side is nearer the camera; flips sign in a
    mirror image); ``face``: nose depth minus the ears' (negative: facing the camera).
    """

    ratio: float
    near: float
    face: float

    def mirrored(self) -> ViewEvidence:
        """The evidence as the mirror image shows it."""
        return ViewEvidence(self.ratio, -self.near, self.face)


def view_evidence(xy: np.ndarray, z: np.ndarray) -> ViewEvidence:
    """The numbers :func:`detect_view` uses, from one person's (33, 2) pixels and (33,) depths."""
    near = z[[L.LEFT_SHOULDER, L.LEFT_HIP]].sum() - z[[L.RIGHT_SHOULDER, L.RIGHT_HIP]].sum()
    face = z[L.NOSE] - (z[L.LEFT_EAR] + z[L.RIGHT_EAR]) / 2
    return ViewEvidence(shoulder_ratio(xy), float(near), float(face))


def view_from_evidence(evidence: ViewEvidence) -> ViewGuess:
    """The view that ``evidence`` shows (the rule of :func:`detect_view`)."""
    ratio = evidence.ratio
    if ratio < SIDE_RATIO:
        view = View.LEFT if evidence.near < 0 else View.RIGHT
        return ViewGuess(
            view, f"shoulder width {ratio:.2f} x torso height; {view.value} side nearer the camera"
        )
    view = View.FRONT if evidence.face < 0 else View.BACK
    where = "in front of" if evidence.face < 0 else "behind"
    return ViewGuess(view, f"shoulder width {ratio:.2f} x torso height; nose {where} the ears")


def symmetric_view(direct: ViewEvidence, mirror: ViewEvidence) -> ViewGuess:
    """The view of a picture from its own evidence and its mirror image's, averaged.

    The mirror's evidence is mapped back first, so the mirrored picture gets the
    mirrored view exactly.
    """
    back = mirror.mirrored()
    mean = ViewEvidence(
        (direct.ratio + back.ratio) / 2, (direct.near + back.near) / 2, (direct.face + back.face) / 2
    )
    return view_from_evidence(mean)
