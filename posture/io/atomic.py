"""Atomic file writing: a temporary file beside the target, then a rename.

A run that is killed half-way never leaves a half-written output behind; a run that
fails (a full disk, a read-only folder) removes what it wrote and says why in one line.
A command's several outputs go through :func:`staged_folder`: they are written into a
hidden folder and moved into place together only when all of them are complete.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from posture.errors import PostureError

#: ``errno`` values that mean "no room left" (a full disk or a used-up quota).
FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
#: Marks the hidden folders :func:`staged_folder` writes into.
STAGING_MARK = ".partial-"


class OutputError(PostureError):
    """An output that cannot be written (full disk, read-only or unwritable folder)."""


def write_error(exc: OSError, path: str | Path) -> OutputError:
    """The one-line error for a failed write of ``path``: says "disk full" when it is."""
    if exc.errno in FULL:
        return OutputError(f"disk full while writing {Path(path).name}; nothing was written", path)
    if exc.errno == errno.EROFS:
        return OutputError("the folder is on a read-only file system; choose another --out", path)
    return OutputError(f"cannot write {Path(path).name} ({exc.strerror or exc}); nothing was written", path)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    Raises
    ------
    OutputError
        The file could not be written (disk full, read-only folder); the temporary is removed.
    """
    target = Path(path)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=target.suffix)
        os.close(fd)
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise write_error(exc, target) from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", **kwargs: object) -> Iterator[IO]:
    """Open a temporary file for writing; it replaces ``path`` only when closed cleanly."""
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as handle:  # type: ignore[call-overload]
        yield handle


def _nearest_existing(path: Path) -> Path:
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable(folder: Path) -> None:
    """Refuse an output folder that cannot be written, before any work starts.

    ``folder`` need not exist: its nearest existing parent is tried instead. A probe
    file is created and removed again; nothing is left behind.

    Raises
    ------
    OutputError
        Read-only file system, no permission, a full disk, or a file in the way.
    """
    base = _nearest_existing(folder)
    if not base.is_dir():
        raise OutputError("a file is in the way of the output folder; choose another --out", base)
    try:
        fd, probe = tempfile.mkstemp(dir=base, prefix=".posture-probe-")
    except OSError as exc:
        raise _unwritable(exc, base) from None
    os.close(fd)
    os.unlink(probe)


def _unwritable(exc: OSError, base: Path) -> OutputError:
    if exc.errno == errno.EROFS:
        return OutputError("the output folder is on a read-only file system; choose another --out", base)
    if exc.errno in FULL:
        return OutputError("the disk holding the output folder is full; free some space", base)
    return OutputError(f"cannot write the output folder ({exc.strerror}); choose another --out", base)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _host() -> str:
    """A short tag of this machine (a shared folder may be written from several)."""
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def clean_stale_staging(folder: Path) -> None:
    """Remove staging folders in ``folder`` left by runs on this machine that were killed (process gone)."""
    if not folder.is_dir():
        return
    for leftover in folder.glob(f".*{STAGING_MARK}*"):
        parts = leftover.name.rsplit(STAGING_MARK, 1)[-1].split("-")
        if len(parts) != 3 or not parts[0].isdigit() or parts[2] != _host():
            continue
        if not _pid_alive(int(parts[0])) and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _stage_for(out: Path) -> Path:
    """Where a run writes before its outputs move into ``out``: inside it, or beside it when missing."""
    tag = f"{STAGING_MARK}{os.getpid()}-{uuid.uuid4().hex[:8]}-{_host()}"
    return out / f".{tag}" if out.is_dir() else out.parent / f".{out.name}{tag}"


def _commit(stage: Path, out: Path) -> None:
    """Move the staged outputs into ``out``; when a move fails, undo the ones before it.

    Into an existing folder the items move one by one: each one it replaces is first
    set aside in a hidden backup folder, and put back if a later move fails, so
    ``out`` is either all new or as it was.
    """
    if not out.exists():
        os.replace(stage, out)
        return
    backup = _stage_for(out)
    backup.mkdir()
    moved: list[str] = []
    try:
        for item in sorted(stage.iterdir()):
            target = out / item.name
            moved.append(item.name)
            if target.exists() or target.is_symlink():
                os.replace(target, backup / item.name)
            os.replace(item, target)
    except OSError:
        _undo(moved, out, backup)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)
    stage.rmdir()


def _undo(moved: list[str], out: Path, backup: Path) -> None:
    """Put back what :func:`_commit` set aside and remove what it had moved in."""
    for name in reversed(moved):
        target, old = out / name, backup / name
        if old.exists() or old.is_symlink():
            _remove(target)
            os.replace(old, target)
        else:
            _remove(target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()


@contextlib.contextmanager
def staged_folder(out: str | Path) -> Iterator[Path]:
    """Yield a hidden folder to write a command's outputs into; move them into ``out`` on success.

    On any failure the staging folder is removed and ``out`` is left as it was (a
    folder that did not exist is not created). ``OSError`` becomes :class:`OutputError`.
    """
    out = Path(out)
    stage: Path | None = None
    existing = _nearest_existing(out.parent)
    done = False
    try:
        if not out.is_dir():
            out.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_staging(out if out.is_dir() else out.parent)
        stage = _stage_for(out)
        stage.mkdir()
        yield stage
        _commit(stage, out)
        done = True
    except OSError as exc:
        raise write_error(exc, out) from exc
    finally:
        if stage is not None and stage.exists():
            shutil.rmtree(stage, ignore_errors=True)
        if not done:
            _remove_empty_parents(out.parent.absolute(), existing)


def _remove_empty_parents(folder: Path, keep: Path) -> None:
    """Remove the empty folders from ``folder`` up to (not including) ``keep``: those a failed run made."""
    while folder != keep and keep in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
