"""The OpenCV window of the live check: show a frame, read a key.

This is the only module that opens windows; it is imported only when a window
is asked for, so ``--no-window`` runs never touch the GUI.
"""

from __future__ import annotations

import os
import subprocess
import sys

import cv2
import numpy as np

from posture.errors import PostureError

#: Largest starting size of the window, pixels (width, height).
MAX_SIZE = (1280, 900)
TITLE = "posture live (space: burst, r: record walk, q: quit)"
#: cv2.waitKey codes and the keys they stand for (Esc quits too).
KEY_CODES = {32: "space", ord("r"): "r", ord("R"): "r", ord("q"): "q", ord("Q"): "q", 27: "q"}


HEADLESS = "or headless with --no-window (e.g. --camera VIDEO --no-window --keys 40:space)"
_PROBE = "import cv2; cv2.namedWindow('probe'); cv2.waitKey(1); cv2.destroyAllWindows()"


def check_display() -> None:
    """Refuse to open a window where there is no display to show it on (Linux without X or Wayland).

    On Linux a window is first opened in a child process: OpenCV's Qt ends the
    whole process when the display named in ``DISPLAY`` cannot be reached.
    """
    if not sys.platform.startswith("linux"):
        return
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not display:
        raise PostureError(
            f"no display to show the live window on; run it from a desktop session, {HEADLESS}"
        )
    try:
        probe = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, timeout=60)
        failed = probe.returncode != 0
    except subprocess.TimeoutExpired:
        failed = True
    if failed:
        raise PostureError(
            f"cannot open a window on display {display!r}; check that it is running, {HEADLESS}"
        )


class Window:
    """One resizable window; :meth:`show` draws a BGR frame and returns the key pressed, if any.

    Call :func:`check_display` first.
    """

    def __init__(self, title: str = TITLE) -> None:
        self.title = title
        self._sized = False
        try:
            cv2.namedWindow(title, cv2.WINDOW_NORMAL)
        except cv2.error as exc:
            raise PostureError(f"cannot open a window ({exc.msg.strip()}); use --no-window") from exc

    def show(self, bgr: np.ndarray) -> str | None:
        """Display ``bgr``; return ``"space"``, ``"r"``, ``"q"`` (also when the window closes) or ``None``."""
        if not self._sized:
            self._fit(bgr.shape[1], bgr.shape[0])
        cv2.imshow(self.title, bgr)
        key = KEY_CODES.get(cv2.waitKey(1) & 0xFF)
        if key is None and cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1:
            return "q"
        return key

    def _fit(self, width: int, height: int) -> None:
        """Start at the frame's size, shrunk to fit ``MAX_SIZE`` (the window stays resizable)."""
        scale = min(1.0, MAX_SIZE[0] / width, MAX_SIZE[1] / height)
        cv2.resizeWindow(self.title, int(width * scale), int(height * scale))
        self._sized = True

    def close(self) -> None:
        """Close the window."""
        cv2.destroyWindow(self.title)
