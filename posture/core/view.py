"""The camera's view of the subject, shared by the standing and the walking check."""

from __future__ import annotations

from enum import StrEnum


class View(StrEnum):
    """Which side of the subject faces the camera.

    The standing check knows which side is turned to the camera (``LEFT`` /
    ``RIGHT``); a walk seen side-on may pass either way, so the walking check
    says ``SIDE``. Values compare equal to their strings (``View.SIDE == "side"``),
    which is what result documents hold.
    """

    FRONT = "front"
    BACK = "back"
    LEFT = "left"
    RIGHT = "right"
    SIDE = "side"

    @property
    def is_side(self) -> bool:
        """True for the sagittal views (left, right, or side-on without saying which)."""
        return self in (View.LEFT, View.RIGHT, View.SIDE)

    @property
    def is_frontal(self) -> bool:
        """True for the front and back views."""
        return self in (View.FRONT, View.BACK)


#: Views a standing picture can have (the side turned to the camera is known).
STANDING_VIEWS = (View.FRONT, View.BACK, View.LEFT, View.RIGHT)
#: Views a walk can have (side-on walks pass either way).
WALKING_VIEWS = (View.SIDE, View.FRONT, View.BACK)
