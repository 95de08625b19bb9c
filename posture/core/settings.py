"""Reading and writing settings objects: frozen dataclasses, nested by stage, as plain tables.

Both checks keep their settings this way (:class:`~posture.gait.settings.GaitSettings`,
:class:`~posture.standing.check.StandingSettings`): written whole into ``result.json``
and read from a configuration file's tables (:mod:`posture.config`).
"""

from __future__ import annotations

import dataclasses
from typing import Any


def plain(value: Any) -> Any:
    """``value`` with tuples as lists, nested (a settings object's ``asdict`` made JSON-ready)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def settings_from_dict(cls: type, data: dict[str, Any], path: str) -> Any:
    """An instance of the frozen settings dataclass ``cls`` from a (partial) nested mapping: missing
    keys keep their defaults, nested dataclasses come from nested tables, values are checked
    against the defaults' kinds.

    Raises
    ------
    ValueError
        An unknown key or a value of the wrong kind, named by its path below ``path``.
    """
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a table, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"{path}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(fields))}")
    default = cls()
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        current = getattr(default, name)
        where = f"{path}.{name}"
        if dataclasses.is_dataclass(current):
            kwargs[name] = settings_from_dict(type(current), value, where)
        else:
            kwargs[name] = _coerce(current, value, where)
    return cls(**kwargs)


def _coerce(current: Any, value: Any, where: str) -> Any:
    """``value`` in the kind of the default ``current``, or a ValueError naming ``where``."""
    if isinstance(current, tuple):
        if not isinstance(value, list | tuple) or len(value) != len(current):
            raise ValueError(f"{where}: expected a list of {len(current)} numbers, got {value!r}")
        return tuple(_coerce(c, v, where) for c, v in zip(current, value, strict=True))
    if isinstance(current, bool | str):
        if type(value) is not type(current):
            raise ValueError(f"{where}: expected {type(current).__name__}, got {value!r}")
        return value
    if isinstance(current, int) and not isinstance(value, bool) and isinstance(value, int):
        return value
    if isinstance(current, float) and not isinstance(value, bool) and isinstance(value, int | float):
        return float(value)
    raise ValueError(f"{where}: expected {type(current).__name__}, got {value!r}")
