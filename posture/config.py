"""A study's options in one TOML file: ``posture photo|gait|batch --config FILE``.

The file has a table per command (``[photo]``, ``[gait]``, ``[batch]``) whose keys
are that command's options, spelt as on the command line without the dashes
(``height_cm = 172``), ``[photo.settings.*]`` for how strictly the standing check
judges a picture (:class:`~posture.standing.check.StandingSettings`) and
``[gait.settings.*]`` tables for every setting of the walking check
(:class:`~posture.gait.settings.GaitSettings`); batch runs use both. An option given
on the command line wins over the file; the file wins over the defaults.
``posture config --example`` prints a commented file with every option at its default.
"""

from __future__ import annotations

import argparse
import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posture.errors import InputError
from posture.gait.settings import GaitSettings
from posture.standing.check import StandingSettings

#: Commands a configuration file can hold options for.
SECTIONS = ("photo", "gait", "batch")
#: Options that only make sense on the command line (positional inputs, the file itself, --help).
_NOT_IN_FILE = {"help", "config", "inputs", "video", "input"}


@dataclass(frozen=True)
class Config:
    """What a configuration file says: options per command and the walking check's settings."""

    path: Path | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    gait_settings: GaitSettings = field(default_factory=GaitSettings)
    photo_settings: StandingSettings = field(default_factory=StandingSettings)


def load_config(path: str | Path, parsers: dict[str, argparse.ArgumentParser]) -> Config:
    """Read and check ``path`` against the commands' ``parsers``.

    Raises
    ------
    InputError
        The file cannot be read, is not TOML, or holds an unknown table, option or value.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the configuration file ({exc.strerror or exc})", path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not a valid TOML file: {exc}", path) from None
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise InputError(f"unknown table [{unknown[0]}]; known: {', '.join(SECTIONS)}", path)
    options: dict[str, dict[str, Any]] = {}
    settings: dict[str, Any] = {"gait": GaitSettings(), "photo": StandingSettings()}
    for section in SECTIONS:
        table = dict(data.get(section, {}))
        if not isinstance(data.get(section, {}), dict):
            raise InputError(f"[{section}] must be a table", path)
        if section in settings and "settings" in table:
            try:
                settings[section] = type(settings[section]).from_dict(table.pop("settings"))
            except ValueError as exc:
                raise InputError(str(exc), path) from None
        options[section] = _checked_options(section, table, parsers[section], path)
    return Config(path, options, settings["gait"], settings["photo"])


def _actions(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """The parser's options that a file may set, by destination name."""
    return {
        a.dest: a
        for a in parser._actions
        if a.dest not in _NOT_IN_FILE and a.option_strings and a.dest != "help"
    }


def _checked_options(
    section: str, table: dict[str, Any], parser: argparse.ArgumentParser, path: Path
) -> dict[str, Any]:
    """``table``'s values converted as the command line would convert them, or an InputError."""
    actions = _actions(parser)
    out: dict[str, Any] = {}
    for key, value in table.items():
        action = actions.get(key)
        if action is None:
            known = ", ".join(sorted(actions))
            raise InputError(f"[{section}] unknown option {key!r}; known: {known}", path)
        try:
            out[key] = _convert(action, value)
        except (ValueError, TypeError, argparse.ArgumentTypeError) as exc:
            raise InputError(f"[{section}] {key} = {value!r}: {exc}", path) from None
    return out


def _convert(action: argparse.Action, value: Any) -> Any:
    """``value`` as the command line would have parsed it for ``action``."""
    if isinstance(action, argparse._StoreTrueAction):
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if isinstance(value, bool | dict | list):
        raise ValueError("expected a single number or text")
    converted = action.type(str(value)) if callable(action.type) else str(value)
    if action.choices is not None and converted not in action.choices:
        raise ValueError(f"expected one of {', '.join(map(str, action.choices))}")
    return converted


def apply(config: Config, command: str, parser: argparse.ArgumentParser, argv: list[str]) -> dict[str, Any]:
    """The file's options for ``command`` that ``argv`` does not give itself."""
    given = _given_dests(parser, argv)
    return {k: v for k, v in config.options.get(command, {}).items() if k not in given}


def _given_dests(parser: argparse.ArgumentParser, argv: list[str]) -> set[str]:
    """Destinations of the options spelt out in ``argv`` (``--height-cm 170`` or ``--height-cm=170``)."""
    flags = {arg.split("=", 1)[0] for arg in argv if arg.startswith("-")}
    return {a.dest for a in parser._actions if flags & set(a.option_strings)}


def example(parsers: dict[str, argparse.ArgumentParser]) -> str:
    """A commented configuration file with every option and setting at its default."""
    lines = [
        "# posture configuration: `posture photo|gait|batch --config FILE`.",
        "# Options given on the command line win over this file; this file wins over the defaults.",
        "# Options without a default are shown commented out.",
    ]
    for section in SECTIONS:
        lines += ["", f"[{section}]"]
        for dest, action in _actions(parsers[section]).items():
            lines.append(f"# {action.help or dest}")
            default = action.default
            if default is None or default is argparse.SUPPRESS:
                lines.append(f"# {dest} = ...")
            else:
                lines.append(f"{dest} = {_toml(default)}")
    lines += [
        "",
        "# How strictly the standing check judges a picture (result.json: provenance.settings.check)",
    ]
    lines += _settings_tables("photo.settings", StandingSettings(), skip=("view", "height_mm", "marker_mm"))
    lines += ["", "# Every setting of the walking check (result.json: gait_settings); batch uses them too."]
    lines += _settings_tables("gait.settings", GaitSettings())
    return "\n".join(lines) + "\n"


def _settings_tables(name: str, obj: Any, skip: tuple[str, ...] = ()) -> list[str]:
    fields = [f for f in dataclasses.fields(obj) if f.name not in skip]
    plain = [f for f in fields if not dataclasses.is_dataclass(getattr(obj, f.name))]
    nested = [f for f in dataclasses.fields(obj) if dataclasses.is_dataclass(getattr(obj, f.name))]
    lines = [f"[{name}]"] + [f"{f.name} = {_toml(getattr(obj, f.name))}" for f in plain]
    for f in nested:
        lines += [""] + _settings_tables(f"{name}.{f.name}", getattr(obj, f.name))
    return lines


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
