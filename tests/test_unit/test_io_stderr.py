"""Native stderr silenced: file descriptor 2 goes nowhere inside, and comes back after."""

from __future__ import annotations

import os

import pytest

from posture.io.stderr import native_stderr_silenced


def test_writes_to_fd_2_inside_are_hidden_and_those_after_are_shown(capfd):
    with native_stderr_silenced():
        os.write(2, b"gpu probing chatter\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def test_exceptions_propagate_and_fd_2_is_restored(capfd):
    with pytest.raises(KeyError), native_stderr_silenced():
        raise KeyError("x")
    os.write(2, b"restored\n")
    assert capfd.readouterr().err == "restored\n"


def test_no_file_descriptors_are_leaked(capfd):
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(5):
        with native_stderr_silenced():
            pass
    assert len(os.listdir("/proc/self/fd")) == before
