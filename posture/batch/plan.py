"""What a batch has to do: one job per clip, from a folder or a CSV manifest.

A folder's pictures and videos are found recursively; a file inside a sub-folder
belongs to the client named by its top-level sub-folder, a file at the top belongs to
nobody (it is analysed but not stored in the history). A manifest is a CSV file with
a header and the columns ``path`` (required; relative paths are taken from the
manifest's folder), ``client``, ``kind`` (``photo``/``gait``), ``view`` and ``height_cm``.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from posture.errors import InputError
from posture.history.db import check_client_name

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"})
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm"})
PHOTO_VIEWS = ("front", "back", "left", "right")
GAIT_VIEWS = ("side", "front", "back")
MANIFEST_COLUMNS = ("path", "client", "kind", "view", "height_cm")


@dataclass(frozen=True)
class Job:
    """One clip to analyse.

    ``view`` ``None`` = detect; ``height_cm`` ``None`` = no scale; ``sha256`` is the file's.
    """

    path: str
    client: str | None
    kind: str
    view: str | None
    height_cm: float | None
    sha256: str
    #: Walking-check settings that differ from the defaults (:meth:`GaitSettings.to_dict` form; gait only).
    gait_settings: dict[str, Any] = field(default_factory=dict)
    #: Standing-check settings that differ from the defaults (:meth:`StandingSettings.to_dict`; photo only).
    photo_settings: dict[str, Any] = field(default_factory=dict)
    #: Also write report.pdf for this paper size (``a4``, ``letter``), or ``None``.
    pdf: str | None = None

    @property
    def settings(self) -> dict[str, Any]:
        """What, besides the file's content, decides the result."""
        out: dict[str, Any] = {
            "client": self.client,
            "kind": self.kind,
            "view": self.view,
            "height_cm": self.height_cm,
        }
        if self.gait_settings:
            out["gait_settings"] = self.gait_settings
        if self.photo_settings:
            out["photo_settings"] = self.photo_settings
        if self.pdf:
            out["pdf"] = self.pdf
        return out

    @property
    def key(self) -> str:
        """Content hash and settings: a job with the same key gives the same result."""
        settings = hashlib.sha256(json.dumps(self.settings, sort_keys=True).encode()).hexdigest()
        return f"{self.sha256}:{settings[:16]}"

    def to_dict(self) -> dict[str, Any]:
        """Plain form (sent to worker processes)."""
        return asdict(self)


@dataclass(frozen=True)
class Skipped:
    """A file the batch does not analyse, and why."""

    path: str
    reason: str
    #: ``ignored`` (not for the batch) or ``failed`` (meant for it, cannot be done: a bad client folder).
    status: str = "ignored"


def kind_of(path: Path) -> str | None:
    """``photo`` for pictures, ``gait`` for videos, ``None`` for anything else."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return "photo"
    if suffix in VIDEO_SUFFIXES:
        return "gait"
    return None


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's content."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def plan(spec: str | Path) -> tuple[list[Job], list[Skipped]]:
    """The jobs of a folder or a CSV manifest, and the files left out (with the reason)."""
    path = Path(spec)
    if not path.exists():
        raise InputError("no such folder or manifest", path)
    if path.is_dir():
        return plan_folder(path)
    if path.suffix.lower() == ".csv":
        return plan_manifest(path)
    raise InputError("expected a folder of pictures and videos, or a CSV manifest", path)


def plan_folder(folder: Path) -> tuple[list[Job], list[Skipped]]:
    """One job per picture or video under ``folder`` (hidden files and folders ignored)."""
    jobs: list[Job] = []
    skipped: list[Skipped] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        kind = kind_of(path)
        if kind is None:
            skipped.append(Skipped(str(path), "not a picture or a video (by its extension)"))
            continue
        client = rel.parts[0] if len(rel.parts) > 1 else None
        if client is not None:
            try:
                client = check_client_name(client)
            except InputError as exc:
                where = str(folder / rel.parts[0])
                reason = f"the client folder {where!r} is not a client name: {exc.reason}"
                skipped.append(Skipped(str(path), reason, "failed"))
                continue
        jobs.append(Job(str(path), client, kind, None, None, file_sha256(path)))
    return jobs, skipped


def plan_manifest(manifest: Path) -> tuple[list[Job], list[Skipped]]:
    """One job per row of a CSV manifest; every bad row is reported at once."""
    try:
        with open(manifest, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            header = rows[0].keys() if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read the manifest: {exc}", manifest) from exc
    if "path" not in header:
        raise InputError(
            f"the manifest needs a header with a 'path' column (columns: {MANIFEST_COLUMNS})", manifest
        )
    jobs, skipped, problems = [], [], []
    for line, row in enumerate(rows, start=2):
        try:
            job = _manifest_job(manifest.parent, row)
        except InputError as exc:
            problems.append(f"line {line}: {exc.reason}")
            continue
        if isinstance(job, Skipped):
            skipped.append(job)
        else:
            jobs.append(job)
    if problems:
        raise InputError("; ".join(problems), manifest)
    return jobs, skipped


def _manifest_job(base: Path, row: dict[str, str | None]) -> Job | Skipped:
    text = {k: (v or "").strip() for k, v in row.items() if k}
    if not text.get("path"):
        raise InputError("the path is empty")
    try:
        path = Path(text["path"]).expanduser()
    except RuntimeError:  # ~name of a user this machine does not have
        raise InputError(f"the path {text['path']!r} starts with an unknown user's home folder") from None
    path = path if path.is_absolute() else base / path
    kind = text.get("kind") or kind_of(path)
    if kind not in ("photo", "gait"):
        raise InputError(f"kind must be photo or gait, got {text.get('kind') or path.suffix!r}")
    view = text.get("view") or None
    allowed = PHOTO_VIEWS if kind == "photo" else GAIT_VIEWS
    if view is not None and view != "auto" and view not in allowed:
        raise InputError(f"view {view!r} is not one of {', '.join(allowed)} for {kind}")
    client = check_client_name(text["client"]) if text.get("client") else None
    height = _height(text.get("height_cm"))
    if not path.is_file():
        return Skipped(str(path), "no such file")
    return Job(str(path), client, kind, None if view == "auto" else view, height, file_sha256(path))


def _height(text: str | None) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"height_cm {text!r} is not a number") from None
    if not 50 <= value <= 250:
        raise InputError(f"height_cm {value:g} is not a standing height (expected 50-250 cm)")
    return value
