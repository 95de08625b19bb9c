"""Atomic writes: a failure inside leaves no half-written file and the old content intact."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from posture.io.atomic import (
    STAGING_MARK,
    OutputError,
    atomic_open,
    atomic_path,
    check_writable,
    clean_stale_staging,
    staged_folder,
    write_error,
)


class Boom(RuntimeError):
    """A failure in the middle of writing."""


def test_atomic_open_replaces_the_file_when_closed_cleanly(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with atomic_open(target) as handle:
        handle.write("new")
        assert target.read_text() == "old"  # not yet in place while writing
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_open_failure_keeps_the_old_content_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(Boom), atomic_open(target) as handle:
        handle.write("half")
        raise Boom
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_open_failure_creates_no_file_when_there_was_none(tmp_path):
    target = tmp_path / "new.txt"
    with pytest.raises(Boom), atomic_open(target) as handle:
        handle.write("half")
        raise Boom
    assert os.listdir(tmp_path) == []


def test_atomic_path_yields_a_hidden_sibling_with_the_same_suffix(tmp_path):
    target = tmp_path / "sub" / "plot.png"
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.name.startswith(".plot.") and tmp.suffix == ".png"
        tmp.write_bytes(b"\x89PNG")
    assert target.read_bytes() == b"\x89PNG"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert os.listdir(target.parent) == ["plot.png"]


def test_atomic_path_turns_an_os_error_into_one_output_error_naming_the_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(OutputError) as info, atomic_path(target):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert info.value.reason == "disk full while writing out.csv; nothing was written"
    assert info.value.path == str(target)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.csv"]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "disk full while writing a.json; nothing was written"),
        (errno.EDQUOT, "disk full while writing a.json; nothing was written"),
        (errno.EFBIG, "disk full while writing a.json; nothing was written"),
        (errno.EROFS, "the folder is on a read-only file system; choose another --out"),
        (errno.EACCES, "cannot write a.json (Permission denied); nothing was written"),
    ],
)
def test_write_error_says_what_went_wrong_in_one_line(tmp_path, code, reason):
    error = write_error(OSError(code, os.strerror(code)), tmp_path / "a.json")
    assert error.reason == reason
    assert "\n" not in str(error)


def test_staged_folder_moves_all_outputs_into_a_new_folder_together(tmp_path):
    out = tmp_path / "run" / "out"
    with staged_folder(out) as stage:
        (stage / "a.txt").write_text("a")
        (stage / "b.txt").write_text("b")
        assert not out.exists()
        assert STAGING_MARK in stage.name
    assert sorted(os.listdir(out)) == ["a.txt", "b.txt"]
    assert os.listdir(out.parent) == ["out"]


def test_staged_folder_adds_to_an_existing_folder_replacing_same_names(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("keep")
    (out / "a.txt").write_text("old")
    with staged_folder(out) as stage:
        (stage / "a.txt").write_text("new")
    assert sorted(os.listdir(out)) == ["a.txt", "keep.txt"]
    assert (out / "a.txt").read_text() == "new"
    assert (out / "keep.txt").read_text() == "keep"


def test_staged_folder_failure_leaves_an_existing_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old")
    with pytest.raises(Boom), staged_folder(out) as stage:
        (stage / "a.txt").write_text("new")
        raise Boom
    assert os.listdir(out) == ["a.txt"]
    assert (out / "a.txt").read_text() == "old"


def test_staged_folder_failure_creates_no_folders(tmp_path):
    out = tmp_path / "deep" / "er" / "out"
    with pytest.raises(Boom), staged_folder(out) as stage:
        (stage / "a.txt").write_text("half")
        raise Boom
    assert os.listdir(tmp_path) == []


def test_check_writable_accepts_a_missing_folder_and_leaves_nothing_behind(tmp_path):
    check_writable(tmp_path / "not" / "yet")
    assert os.listdir(tmp_path) == []


def test_check_writable_refuses_a_file_in_the_way(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="a file is in the way of the output folder"):
        check_writable(tmp_path / "file")


def _host_tag() -> str:
    import hashlib
    import socket

    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def _dead_pid() -> int:
    import subprocess

    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_clean_stale_staging_removes_only_this_machines_leftovers_of_dead_runs(tmp_path):
    dead = tmp_path / f".{STAGING_MARK}{_dead_pid()}-abcd1234-{_host_tag()}"
    alive = tmp_path / f".{STAGING_MARK}{os.getpid()}-abcd1234-{_host_tag()}"
    elsewhere = tmp_path / f".{STAGING_MARK}{_dead_pid()}-abcd1234-ffffff"
    beside = tmp_path / f".out{STAGING_MARK}{_dead_pid()}-abcd1234-{_host_tag()}"
    for folder in (dead, alive, elsewhere, beside):
        folder.mkdir()
        (folder / "half.json").write_text("{")
    (tmp_path / "result.json").write_text("{}")
    clean_stale_staging(tmp_path)
    assert sorted(os.listdir(tmp_path)) == sorted([alive.name, elsewhere.name, "result.json"])


def test_staged_folder_cleans_a_killed_runs_leftover_before_writing(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / f".{STAGING_MARK}{_dead_pid()}-abcd1234-{_host_tag()}"
    leftover.mkdir()
    with staged_folder(out) as stage:
        (stage / "a.txt").write_text("a")
    assert os.listdir(out) == ["a.txt"]


def _old_outputs(tmp_path):
    out = tmp_path / "out"
    (out / "plots").mkdir(parents=True)
    (out / "plots" / "old.png").write_text("old")
    (out / "a.txt").write_text("old")
    return out


def test_a_commit_into_an_existing_folder_replaces_files_and_folders_whole(tmp_path):
    out = _old_outputs(tmp_path)
    with staged_folder(out) as stage:
        (stage / "a.txt").write_text("new")
        (stage / "plots").mkdir()
        (stage / "plots" / "new.png").write_text("new")
    assert (out / "a.txt").read_text() == "new" and os.listdir(out / "plots") == ["new.png"]
    assert sorted(os.listdir(out)) == ["a.txt", "plots"]  # no backup or staging folder left


def test_a_commit_that_fails_halfway_puts_the_old_outputs_back(tmp_path, monkeypatch):
    """The disk fails on the second item's move (an OSError injected there): the first is undone."""
    import posture.io.atomic as atomic

    out = _old_outputs(tmp_path)
    real, calls, staged = os.replace, [], []

    def failing(src, dst):
        calls.append((src, dst))
        if staged and Path(src) == staged[0] / "plots":
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", failing)
    with pytest.raises(OutputError, match="nothing was written"), staged_folder(out) as stage:
        staged.append(stage)
        (stage / "a.txt").write_text("new")
        (stage / "plots").mkdir()
        (stage / "plots" / "new.png").write_text("new")
    assert (out / "a.txt").read_text() == "old" and os.listdir(out / "plots") == ["old.png"]
    assert sorted(os.listdir(out)) == ["a.txt", "plots"] and len(calls) >= 3


def test_a_file_in_place_of_the_folder_is_one_output_error_and_nothing_is_written(tmp_path):
    (tmp_path / "out").write_text("a file")
    with pytest.raises(OutputError) as info, atomic_open(tmp_path / "out" / "result.json") as handle:
        handle.write("{}")
    assert info.value.reason == "cannot write result.json (File exists); nothing was written"
    assert os.listdir(tmp_path) == ["out"] and (tmp_path / "out").read_text() == "a file"
