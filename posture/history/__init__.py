"""Client history: an embedded SQLite database of sessions and measures, trends and reports.

Names are imported on first use so that ``posture.history.db`` stays light to import.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Change", "History", "HistoryDB", "open_history", "MeasureRow", "Series", "Session", "compare",
    "default_db_path", "export_text", "load_series", "store_result", "write_history",
]  # fmt: skip

_LAZY = {
    "Change": "compare", "Series": "compare", "compare": "compare", "load_series": "compare",
    "History": "facade", "open_history": "facade",
    "HistoryDB": "db", "MeasureRow": "db", "Session": "db", "default_db_path": "db",
    "write_history": "report", "export_text": "store", "store_result": "store",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"posture.history.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'posture.history' has no attribute {name!r}")
