"""Read and validate the knowledge base (``knowledge.toml``, stdlib ``tomllib``).

Every problem in the file is collected and reported at once, each naming the entry
it was found in, so a broken file can be fixed in one pass.
"""

from __future__ import annotations

import hashlib
import math
import tomllib
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from posture.findings.types import (
    DIRECTIONS,
    EXERCISE_KINDS,
    SEVERITIES,
    SIDES,
    Band,
    Exercise,
    ExerciseLink,
    FindingRule,
    General,
    Knowledge,
    KnowledgeError,
    Source,
    Trigger,
)

#: Placeholders an explanation or title may use (see :func:`posture.findings.engine.render_text`).
PLACEHOLDERS: tuple[str, ...] = (
    "value", "unit", "uncertainty", "threshold", "magnitude", "side", "Side", "band", "measure",
    "in_words",
)  # fmt: skip

_TOP_KEYS = {"version", "sources", "general", "finding", "exercise"}
_FINDING_KEYS = {
    "id", "title", "measure", "unit", "direction", "bands", "explanation", "sources", "exercises",
    "reference", "side", "sides", "alternative",
}  # fmt: skip
_TRIGGER_KEYS = {"measure", "unit", "bands", "reference"}
_EXERCISE_KEYS = {"id", "name", "kind", "how", "dose", "targets", "source", "cautions", "dose_from_source"}

_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "text": (lambda v: isinstance(v, str) and bool(v.strip()), "non-empty text"),
    "number": (
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
        "a finite number",
    ),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer"),
    "bool": (lambda v: isinstance(v, bool), "true or false"),
    "texts": (
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
        "a list of text",
    ),
    "table": (lambda v: isinstance(v, dict), "a table"),
    "tables": (lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v), "a list of tables"),
}


def default_knowledge_path() -> Path:
    """The knowledge base shipped inside the package."""
    return Path(str(resources.files("posture.findings").joinpath("knowledge.toml")))


def load_knowledge(path: str | Path | None = None) -> Knowledge:
    """Read and validate a knowledge base (default: the one shipped with the package).

    Raises
    ------
    KnowledgeError
        The file cannot be read or parsed, or breaks the schema; the message lists
        every problem with the entry it concerns.
    """
    file = default_knowledge_path() if path is None else Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"cannot read the knowledge base: {exc.strerror or exc}", file) from exc
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"not valid TOML: {exc}", file) from exc
    return parse_knowledge(raw, path=str(file), sha256=hashlib.sha256(data).hexdigest())


def parse_knowledge(raw: Mapping[str, Any], *, path: str = "<memory>", sha256: str = "") -> Knowledge:
    """Validate a parsed TOML document and build the :class:`Knowledge` from it."""
    check = _Checker()
    check.unknown_keys(raw, _TOP_KEYS, "top level")
    version = check.get(raw, "version", "text", "top level")
    sources = _sources(check, raw.get("sources", {}))
    general = _general(check, check.get(raw, "general", "table", "top level") or {})
    exercises = _exercises(check, raw, sources)
    findings = _findings(check, raw, sources, exercises)
    if check.problems:
        listing = "\n  - ".join(check.problems)
        raise KnowledgeError(
            f"invalid knowledge base ({len(check.problems)} problem(s)):\n  - {listing}", path
        )
    return Knowledge(findings, exercises, sources, general, str(version), path, sha256)


class _Checker:
    """Collects problems; ``get`` returns ``None`` for a missing or ill-typed value."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def get(self, table: Mapping[str, Any], key: str, kind: str, where: str, required: bool = True) -> Any:
        if key not in table:
            if required:
                self.add(where, f"missing key '{key}'")
            return None
        value = table[key]
        ok, expected = _TYPES[kind]
        if not ok(value):
            self.add(where, f"'{key}' should be {expected}, got {value!r}")
            return None
        return value

    def unknown_keys(self, table: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(table) - allowed):
            self.add(where, f"unknown key '{key}' (allowed: {', '.join(sorted(allowed))})")

    def one_of(self, value: Any, allowed: tuple[str, ...], key: str, where: str) -> None:
        if value is not None and value not in allowed:
            self.add(where, f"'{key}' should be one of {', '.join(allowed)}, got {value!r}")


def _sources(check: _Checker, raw: Any) -> dict[str, Source]:
    if not isinstance(raw, dict):
        check.add("sources", f"should be a table of tables, got {raw!r}")
        return {}
    out = {}
    for sid, entry in raw.items():
        where = f"source '{sid}'"
        if not isinstance(entry, dict):
            check.add(where, "should be a table with 'title' and 'kind' (and optionally 'author')")
            continue
        check.unknown_keys(entry, {"title", "kind", "author"}, where)
        title = check.get(entry, "title", "text", where)
        kind = check.get(entry, "kind", "text", where)
        author = check.get(entry, "author", "text", where, required=False)
        check.one_of(kind, ("seed", "reference"), "kind", where)
        out[sid] = Source(sid, str(title), str(kind), str(author or ""))
    return out


def _source_refs(check: _Checker, ids: Any, sources: Mapping[str, Source], where: str) -> tuple[Source, ...]:
    if isinstance(ids, str):
        ids = [ids]
    if not ids:
        check.add(where, "names no source")
        return ()
    for sid in ids:
        if sid not in sources:
            check.add(where, f"source '{sid}' is not declared under [sources]")
    return tuple(sources[s] for s in ids if s in sources)


def _general(check: _Checker, raw: Mapping[str, Any]) -> General:
    check.unknown_keys(raw, {"guidance", "disclaimer"}, "general")
    guidance = check.get(raw, "guidance", "texts", "general") or []
    disclaimer = check.get(raw, "disclaimer", "text", "general") or ""
    return General(tuple(guidance), str(disclaimer))


def _entries(check: _Checker, raw: Mapping[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    """The ``[[key]]`` tables with a label each; duplicate or missing ids are problems."""
    tables = check.get(raw, key, "tables", "top level") or []
    out, seen = [], set()
    for i, table in enumerate(tables, start=1):
        eid = table.get("id")
        where = f"{key} '{eid}'" if isinstance(eid, str) else f"{key} #{i}"
        if not isinstance(eid, str) or not eid.strip():
            check.add(where, "missing key 'id' (non-empty text)")
        elif eid in seen:
            check.add(where, "duplicate id")
        seen.add(eid)
        out.append((where, table))
    return out


def _exercises(check: _Checker, raw: Mapping[str, Any], sources: Mapping[str, Source]) -> dict[str, Exercise]:
    out = {}
    for where, e in _entries(check, raw, "exercise"):
        check.unknown_keys(e, _EXERCISE_KEYS, where)
        kind = check.get(e, "kind", "text", where)
        check.one_of(kind, EXERCISE_KINDS, "kind", where)
        source = e.get("source")
        if not (_TYPES["text"][0](source) or _TYPES["texts"][0](source)):
            check.add(where, f"'source' should be a source id or a list of them, got {source!r}")
            source = []
        out[str(e.get("id"))] = Exercise(
            id=str(e.get("id")),
            name=str(check.get(e, "name", "text", where)),
            kind=str(kind),
            how=tuple(check.get(e, "how", "texts", where) or ()),
            dose=str(check.get(e, "dose", "text", where)),
            targets=tuple(check.get(e, "targets", "texts", where) or ()),
            sources=_source_refs(check, source, sources, where),
            cautions=tuple(check.get(e, "cautions", "texts", where) or ()),
            dose_from_source=bool(check.get(e, "dose_from_source", "bool", where, required=False)),
        )
    return out


def _findings(
    check: _Checker, raw: Mapping[str, Any], sources: Mapping[str, Source], exercises: Mapping[str, Exercise]
) -> tuple[FindingRule, ...]:
    out = []
    for where, f in _entries(check, raw, "finding"):
        check.unknown_keys(f, _FINDING_KEYS, where)
        direction = check.get(f, "direction", "text", where)
        check.one_of(direction, DIRECTIONS, "direction", where)
        alternatives = check.get(f, "alternative", "tables", where, required=False) or []
        triggers = [_trigger(check, f, str(direction), where)]
        for i, alt in enumerate(alternatives, start=1):
            check.unknown_keys(alt, _TRIGGER_KEYS, f"{where}, alternative #{i}")
            triggers.append(_trigger(check, alt, str(direction), f"{where}, alternative #{i}"))
        side, sides = _sides(check, f, str(direction), triggers, where)
        title = str(check.get(f, "title", "text", where))
        explanation = str(check.get(f, "explanation", "text", where))
        _check_template(check, title, "title", where)
        _check_template(check, explanation, "explanation", where)
        out.append(
            FindingRule(
                id=str(f.get("id")),
                title=title,
                direction=str(direction),
                triggers=tuple(triggers),
                explanation=explanation,
                sources=_source_refs(check, check.get(f, "sources", "texts", where), sources, where),
                exercises=_links(check, f, exercises, where),
                side=side,
                sides=sides,
            )
        )
    return tuple(out)


def _trigger(check: _Checker, t: Mapping[str, Any], direction: str, where: str) -> Trigger:
    measure = check.get(t, "measure", "text", where)
    reference = check.get(t, "reference", "number", where, required=False)
    bands = _bands(check, check.get(t, "bands", "table", where) or {}, direction, where)
    return Trigger(str(measure), str(check.get(t, "unit", "text", where)), bands, float(reference or 0.0))


def _bands(check: _Checker, raw: Mapping[str, Any], direction: str, where: str) -> tuple[Band, ...]:
    """Bands in severity order; thresholds must grow more extreme with severity."""
    for name in raw:
        check.one_of(name, SEVERITIES, "bands", where)
    bands = [Band(n, float(raw[n])) for n in SEVERITIES if n in raw and _TYPES["number"][0](raw[n])]
    if len(bands) < len([n for n in raw if n in SEVERITIES]):
        check.add(where, f"every band threshold should be a finite number, got {dict(raw)!r}")
    if not bands:
        check.add(where, f"needs at least one band ({', '.join(SEVERITIES)}) with a threshold")
    sign = -1.0 if direction == "below" else 1.0
    ordered = all(sign * a.threshold < sign * b.threshold for a, b in zip(bands, bands[1:], strict=False))
    if not ordered:
        trend = "descending" if direction == "below" else "ascending"
        check.add(where, f"band thresholds should be strictly {trend} from mild to marked, got {dict(raw)!r}")
    if direction in ("positive", "negative", "absolute") and any(b.threshold < 0 for b in bands):
        check.add(where, f"'{direction}' thresholds are distances from the reference and must be >= 0")
    return tuple(bands)


def _sides(
    check: _Checker, f: Mapping[str, Any], direction: str, triggers: list[Trigger], where: str
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    side = check.get(f, "side", "text", where, required=False)
    check.one_of(side, SIDES, "side", where)
    sides = check.get(f, "sides", "table", where, required=False) or {}
    for sign, s in sides.items():
        check.one_of(sign, ("positive", "negative"), "sides key", where)
        check.one_of(s, SIDES, "sides value", where)
    if sides and direction != "absolute":
        check.add(where, "'sides' only applies to direction 'absolute'; use 'side' for a fixed side")
    per_side = ["{side}" in t.measure for t in triggers]
    if any(per_side) and not all(per_side):
        check.add(where, "either every measure of a finding contains '{side}' or none does")
    if all(per_side) and (side or sides):
        check.add(where, "a per-side measure ('{side}' in its name) sets the side; drop 'side'/'sides'")
    return side, tuple(sorted(sides.items()))


def _links(
    check: _Checker, f: Mapping[str, Any], exercises: Mapping[str, Exercise], where: str
) -> tuple[ExerciseLink, ...]:
    out = []
    for link in check.get(f, "exercises", "tables", where) or []:
        eid = check.get(link, "id", "text", where)
        priority = check.get(link, "priority", "integer", where)
        if eid is not None and eid not in exercises:
            check.add(where, f"exercise '{eid}' is not defined in any [[exercise]]")
        elif eid is not None and priority is not None:
            out.append(ExerciseLink(eid, priority))
    if len({x.id for x in out}) < len(out):
        check.add(where, "lists the same exercise twice")
    return tuple(sorted(out, key=lambda x: x.priority))


def _check_template(check: _Checker, text: str, key: str, where: str) -> None:
    """The template must format with the known placeholders only."""
    try:
        text.format(**dict.fromkeys(PLACEHOLDERS, "x"))
    except KeyError as exc:
        known = ", ".join(PLACEHOLDERS)
        check.add(where, f"'{key}' uses unknown placeholder {{{exc.args[0]}}} (known: {known})")
    except (ValueError, IndexError) as exc:
        check.add(where, f"'{key}' is not a valid template: {exc}")
