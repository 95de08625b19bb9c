"""The OpenCV window of the live check: show a frame, read a key.

This is the only module that opens windows; it is imported only when a window
is asked for, so ``--no-window`` runs never touch the GUI.
"""

from __future__ import annotations

import os
import sys

import cv2
import numpy as np

from posture.errors import PostureError

TITLE = "posture live (space: burst, r: record walk, q: quit)"
#: cv2.waitKey codes and the keys they stand for (Esc quits too).
KEY_CODES = {32: "space", ord("r"): "r", ord("R"): "r", ord("q"): "q", ord("Q"): "q", 27: "q"}


def check_display() -> None:
    """Refuse to open a window where there is no display to show it on (Linux without X or Wayland)."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        raise PostureError(
            "no display to show the live window on; run it from a desktop session, or headless "
            "with --no-window (e.g. --camera VIDEO --no-window --keys 40:space)"
        )


class Window:
    """One resizable window; :meth:`show` draws a BGR frame and returns the key pressed, if any."""

    def __init__(self, title: str = TITLE) -> None:
        check_display()
        self.title = title
        try:
            cv2.namedWindow(title, cv2.WINDOW_NORMAL)
        except cv2.error as exc:
            raise PostureError(f"cannot open a window ({exc.msg.strip()}); use --no-window") from exc

    def show(self, bgr: np.ndarray) -> str | None:
        """Display ``bgr``; return ``"space"``, ``"r"``, ``"q"`` (also when the window closes) or ``None``."""
        cv2.imshow(self.title, bgr)
        key = KEY_CODES.get(cv2.waitKey(1) & 0xFF)
        if key is None and cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1:
            return "q"
        return key

    def close(self) -> None:
        """Close the window."""
        cv2.destroyWindow(self.title)
