"""Option checks shared by the commands (one message per kind of mistake)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from posture.errors import InputError


def check_range(flag: str, value: float | None, low: float, high: float, what: str, unit: str) -> None:
    """Refuse ``value`` of ``flag`` outside ``low..high`` (``None`` = not given, fine)."""
    if value is not None and not low <= value <= high:
        raise InputError(f"{flag} {value:g} is not {what} (expected {low:g}-{high:g} {unit})")


def check_height_cm(value: float | None) -> None:
    """Refuse a ``--height-cm`` that is not a person's standing height."""
    check_range("--height-cm", value, 50, 250, "a standing height", "cm")


def check_out_dir(out: Path, create: bool = False) -> None:
    """Refuse an output folder that is an existing file or cannot be written; optionally create it.

    Run before any work, so a read-only or full ``--out`` is said at once, not after the analysis.
    """
    from posture.io.atomic import check_writable

    if out.exists() and not out.is_dir():
        raise InputError("the output folder is a file; choose another --out", out)
    check_writable(out)
    if create:
        out.mkdir(parents=True, exist_ok=True)


def document_header(
    kind: str, schema_version: int, inputs: object, client: str | None, taken: tuple[datetime, str] | None
) -> dict[str, object]:
    """The fields every result.json starts with: ``taken`` is when the client was filmed and where
    that date came from; ``created`` is when this document was made."""
    from datetime import UTC

    return {
        "schema_version": schema_version,
        "kind": kind,
        "taken": None if taken is None else {"at": taken[0].isoformat(timespec="seconds"), "from": taken[1]},
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": inputs,
        "client": client,
    }


def when_taken(first_input: str, stated: datetime | None) -> tuple[datetime, str] | None:
    """When the pictures or the clip were taken: the stated date (``--date``), else the file's
    metadata (EXIF, the MP4 header), else its file time; ``None`` for a camera."""
    if stated is not None:
        return stated, "stated"
    from posture.history.extract import date_taken

    try:
        return date_taken(first_input)
    except OSError:
        return None


def parse_date(text: str | None, flag: str = "--date") -> datetime | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM[:SS]`` (local time); ``None`` stays ``None``."""
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise InputError(f"{flag} {text!r} is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM)") from None
    # a time with an offset (2026-03-01T09:30+02:00) is read as the local time it was: the history is local
    return when.astimezone().replace(tzinfo=None) if when.tzinfo is not None else when
