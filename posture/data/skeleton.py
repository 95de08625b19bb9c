"""The 33 named body landmarks, their left/right pairs and the drawn skeleton.

Sides are declared once here (:data:`SIDE_PAIRS`); every symmetric measure and
the left/right swap repair use this table. "Left" always means the *subject's*
left, as MediaPipe labels it (odd indices).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Side(StrEnum):
    """The subject's side."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        """Return the opposite side."""
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class Landmark(IntEnum):
    """MediaPipe BlazePose landmark indices (odd = subject's left)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32

    @property
    def label(self) -> str:
        """Lower-case name used in files, e.g. ``left_hip``."""
        return self.name.lower()

    @property
    def side(self) -> Side | None:
        """The side this landmark belongs to, ``None`` for the nose."""
        if self.name.startswith("LEFT_") or self.name == "MOUTH_LEFT":
            return Side.LEFT
        if self.name.startswith("RIGHT_") or self.name == "MOUTH_RIGHT":
            return Side.RIGHT
        return None


N_LANDMARKS = len(Landmark)

#: The torso's corners in outline order (left shoulder, right shoulder, right hip, left hip), as
#: indices: its centre and the quadrilateral the tracker reads clothing colours from.
TORSO: tuple[int, ...] = tuple(
    int(lm) for lm in (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP, Landmark.LEFT_HIP)
)

#: (left, right) pairs of mirror-image landmarks, declared once.
SIDE_PAIRS: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_EYE_INNER, Landmark.RIGHT_EYE_INNER),
    (Landmark.LEFT_EYE, Landmark.RIGHT_EYE),
    (Landmark.LEFT_EYE_OUTER, Landmark.RIGHT_EYE_OUTER),
    (Landmark.LEFT_EAR, Landmark.RIGHT_EAR),
    (Landmark.MOUTH_LEFT, Landmark.MOUTH_RIGHT),
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_ELBOW, Landmark.RIGHT_ELBOW),
    (Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_PINKY, Landmark.RIGHT_PINKY),
    (Landmark.LEFT_INDEX, Landmark.RIGHT_INDEX),
    (Landmark.LEFT_THUMB, Landmark.RIGHT_THUMB),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
    (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE),
    (Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL),
    (Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX),
)


def _mirror_permutation() -> tuple[int, ...]:
    perm = list(range(N_LANDMARKS))
    for left, right in SIDE_PAIRS:
        perm[left], perm[right] = int(right), int(left)
    return tuple(perm)


#: ``array[..., MIRROR, :]`` swaps every left landmark with its right twin.
MIRROR: tuple[int, ...] = _mirror_permutation()


def paired(side: Side, landmark: Landmark) -> Landmark:
    """Return the landmark of ``landmark``'s kind on ``side`` (e.g. the right knee)."""
    for left, right in SIDE_PAIRS:
        if landmark in (left, right):
            return left if side is Side.LEFT else right
    raise ValueError(f"{landmark.name} has no side; expected one of the paired landmarks")


#: Both sides, left first: the order of every per-side table and loop.
SIDES: tuple[Side, Side] = (Side.LEFT, Side.RIGHT)
#: Each side's heel and toe (foot index) landmark.
HEEL: dict[Side, Landmark] = {s: paired(s, Landmark.LEFT_HEEL) for s in SIDES}
TOE: dict[Side, Landmark] = {s: paired(s, Landmark.LEFT_FOOT_INDEX) for s in SIDES}

#: Skeleton edges drawn on overlays (and used for body-size estimates).
EDGES: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.NOSE, Landmark.LEFT_EYE),
    (Landmark.NOSE, Landmark.RIGHT_EYE),
    (Landmark.LEFT_EYE, Landmark.LEFT_EAR),
    (Landmark.RIGHT_EYE, Landmark.RIGHT_EAR),
)
