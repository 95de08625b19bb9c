"""The window refuses clearly where there is no display."""

import sys

import pytest

from posture.errors import PostureError
from posture.live import window


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for X and Wayland")
def test_no_display_is_refused_before_any_window(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(PostureError, match="no display.*--no-window"):
        window.check_display()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for X and Wayland")
def test_an_unreachable_display_is_refused_not_crashed(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":987")  # no X server there
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(PostureError, match="cannot open a window on display ':987'.*--no-window"):
        window.check_display()


def test_keys_map_to_actions():
    assert [window.KEY_CODES[c] for c in (32, ord("r"), ord("q"), 27)] == ["space", "r", "q", "q"]
