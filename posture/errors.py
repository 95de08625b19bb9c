"""Errors the product reports to users.

Every error that reaches the command line is a :class:`PostureError`: it names
the file concerned and says what was wrong, so the CLI prints one line and exits
non-zero instead of showing a traceback.
"""

from __future__ import annotations

from pathlib import Path


class PostureError(Exception):
    """A problem the user can act on (bad input, missing model, no person)."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = None if path is None else str(path)
        self.reason = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


class InputError(PostureError):
    """An input file or camera that cannot be read as asked."""


class NoPersonError(PostureError):
    """The model found nobody in the input."""

    exit_code = 3


class ModelError(PostureError):
    """The pose model bundle cannot be built or loaded."""

    exit_code = 4
