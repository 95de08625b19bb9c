"""What goes into the history from a result document: measures, content hash, the date taken.

Photo checks store every measure with a value, as reported (the uncertainty is the
check's own). Walking analyses store per-side means with their standard error
(SD / sqrt(n)) as the uncertainty, the symmetry indices, the foot-strike summary and,
from front or back views, the frontal measures.
"""

from __future__ import annotations

import hashlib
import math
import struct
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from posture.history.db import MeasureRow

_SIDES = ("left", "right")
_CHUNK = 1 << 20
#: Seconds from 1904-01-01 (QuickTime/MP4 epoch) to 1970-01-01.
_MP4_EPOCH = 2082844800


def measures_of(document: Mapping[str, Any]) -> list[MeasureRow]:
    """The measures of a photo or gait result document, ready to store."""
    kind = document.get("kind")
    if kind == "photo":
        return _photo_measures(document)
    if kind == "gait":
        return _gait_measures(document)
    raise ValueError(f"expected a result document of kind 'photo' or 'gait', got {kind!r}")


def _split_side(name: str) -> tuple[str, str | None]:
    for side in _SIDES:
        if name.endswith(f"_{side}"):
            return name[: -len(side) - 1], side
    return name, None


def _finite(x: object) -> float | None:
    if isinstance(x, int | float) and math.isfinite(x):
        return float(x)
    return None


def _photo_measures(document: Mapping[str, Any]) -> list[MeasureRow]:
    rows = []
    for full, m in document.get("measures", {}).items():
        value = _finite(m.get("value"))
        if value is None:
            continue
        name, side = _split_side(full)
        rows.append(MeasureRow(name, side, value, m.get("unit", ""), _finite(m.get("uncertainty"))))
    return rows


def _unit_of(param: str) -> str:
    for suffix, unit in (("_pct", "%"), ("_s", "s"), ("_m", "m"), ("_deg", "deg"), ("_px", "px")):
        if param.endswith(suffix):
            return unit
    return ""


def _stat_row(name: str, side: str | None, stat: object, unit: str) -> MeasureRow | None:
    """A row from ``{"mean", "sd", "n"}``: the mean with its standard error."""
    if not isinstance(stat, Mapping):
        return None
    mean, sd, n = _finite(stat.get("mean")), _finite(stat.get("sd")), stat.get("n") or 0
    if mean is None or n < 1:
        return None
    se = sd / math.sqrt(n) if sd is not None and n > 1 else None
    return MeasureRow(name, side, mean, unit, se)


def _gait_measures(document: Mapping[str, Any]) -> list[MeasureRow]:
    spatio = document.get("spatiotemporal", {})
    rows = [_stat_row("cadence_spm", None, spatio.get("cadence_spm"), "steps/min")]
    speed = _finite(spatio.get("speed_m_s"))
    if speed is not None:
        rows.append(MeasureRow("speed_m_s", None, speed, "m/s", None))
    for side in _SIDES:
        for param, stat in spatio.get(side, {}).items():
            rows.append(_stat_row(param, side, stat, _unit_of(param)))
    rows.extend(_symmetry_rows(document.get("symmetry", {}), spatio))
    rows.extend(_foot_rows(document.get("foot_strike", {})))
    rows.extend(_frontal_rows(document.get("frontal", {})))
    return [r for r in rows if r is not None]


def _symmetry_rows(symmetry: Mapping[str, Any], spatio: Mapping[str, Any]) -> Iterable[MeasureRow]:
    for param, sym in symmetry.items():
        si = _finite(sym.get("si_pct")) if isinstance(sym, Mapping) else None
        if si is None:
            continue
        counts = [spatio.get(side, {}).get(param, {}).get("n") or 0 for side in _SIDES]
        sd = _finite(sym.get("si_sd_pct"))
        se = sd / math.sqrt(min(counts)) if sd is not None and min(counts) > 1 else None
        yield MeasureRow(f"{param.removesuffix('_s')}_si", None, si, "%", se)


def _foot_rows(foot: Mapping[str, Any]) -> Iterable[MeasureRow | None]:
    for side in _SIDES:
        summary = foot.get(side)
        if not isinstance(summary, Mapping) or not summary.get("n"):
            continue
        heel = _finite(summary.get("heel_pct"))
        if heel is not None:
            yield MeasureRow("heel_strike_pct", side, heel, "%", None)
        yield _stat_row("foot_angle_at_contact_deg", side, summary.get("foot_angle_at_contact_deg"), "deg")
        yield _stat_row("roll_through_s", side, summary.get("roll_through_s"), "s")


def _frontal_rows(frontal: Mapping[str, Any]) -> Iterable[MeasureRow | None]:
    for name in ("pelvic_drop_deg", "foot_progression_deg"):
        per_side = frontal.get(name)
        if isinstance(per_side, Mapping):
            for side in _SIDES:
                yield _stat_row(name, side, per_side.get(side), "deg")
    for name, stat in frontal.items():
        if name.startswith("step_width"):
            yield _stat_row(name, None, stat, _unit_of(name))


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
