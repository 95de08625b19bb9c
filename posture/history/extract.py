"""What goes into the history from a result document: measures, content hash, the date taken.

Both checks store every measure with a value, as the check declared it (quantity,
side, unit) with its own uncertainty: the standing check's combined estimates, the
walking check's per-side means with their standard error, symmetry indices, contact
pattern and, from front or back views, the frontal measures.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.core.result import CheckResult
from posture.history.db import MeasureRow

_CHUNK = 1 << 20
#: Seconds from 1904-01-01 (QuickTime/MP4 epoch) to 1970-01-01.
_MP4_EPOCH = 2082844800


def measures_of(document: Mapping[str, Any]) -> list[MeasureRow]:
    """The measures of a photo or gait result document that have a value, ready to store.

    Each is stored under its quantity and side as the check declared them
    (:class:`~posture.core.result.CheckResult`), with its own uncertainty.

    Raises
    ------
    ValueError
        Not a result document of either check (see :meth:`CheckResult.from_document`).
    """
    check = CheckResult.from_document(document)
    return [
        MeasureRow(m.quantity, None if m.side is None else str(m.side), float(m.value), m.unit, m.uncertainty)
        for m in check.measures.values()
        if m.known and m.value is not None
    ]


def content_hash(paths: Sequence[str | Path]) -> str:
    """SHA-256 of the files' contents, in order (one file: its own SHA-256)."""
    digests = []
    for path in paths:
        h = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                h.update(chunk)
        digests.append(h.hexdigest())
    if len(digests) == 1:
        return digests[0]
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()


def date_taken(path: str | Path) -> tuple[datetime, str]:
    """When the picture or clip was taken, and where that came from.

    Returns ``(local time, "metadata")`` from EXIF ``DateTimeOriginal`` (pictures) or the
    MP4/MOV movie header (clips), else ``(file modification time, "file time")``.
    """
    path = Path(path)
    found = _exif_date(path) or _mp4_date(path)
    if found is not None:
        return found, "metadata"
    return datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0), "file time"


def _exif_date(path: Path) -> datetime | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            exif = image.getexif()
            text = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)  # DateTimeOriginal, DateTime
    except (OSError, UnidentifiedImageError, ValueError):
        return None
    try:
        return datetime.strptime(str(text).strip(), "%Y:%m:%d %H:%M:%S") if text else None
    except ValueError:
        return None


def _mp4_date(path: Path) -> datetime | None:
    """The creation time in an MP4/MOV ``mvhd`` box (UTC, shown as local time); ``None`` if absent."""
    if path.suffix.lower() not in (".mp4", ".mov", ".m4v"):
        return None
    with open(path, "rb") as handle:
        head = handle.read(8 << 20)
    at = head.find(b"mvhd")
    if at < 0 or at + 16 > len(head):
        return None
    version = head[at + 4]
    if version == 1:
        seconds = struct.unpack(">Q", head[at + 8 : at + 16])[0]
    else:
        seconds = struct.unpack(">I", head[at + 8 : at + 12])[0]
    if seconds <= _MP4_EPOCH:  # zero or before 1970: not set
        return None
    return datetime.fromtimestamp(seconds - _MP4_EPOCH)
