"""CSV cells that a spreadsheet cannot run: formula injection neutralised."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: A text cell starting with one of these is taken as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``.

    Numbers (a negative angle included) are left alone; only text is changed, so
    ``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)`` and shows as the text it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of ``row`` through :func:`safe_cell`."""
    return {key: safe_cell(value) for key, value in row.items()}
