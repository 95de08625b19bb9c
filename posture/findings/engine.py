"""From measures to screening findings, and from findings to exercises (pure functions).

A rule in the knowledge base compares one measure (or the first of several
alternatives that are available) against severity bands. The result is a
:class:`~posture.findings.types.Finding` that carries the number that triggered it,
its uncertainty, the threshold it crossed and a sentence explaining it. Bands are
screening bands, not diagnostic criteria.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from posture.core.measure import Measure
from posture.data.skeleton import SIDES
from posture.findings.load import load_knowledge
from posture.findings.types import (
    DIRECTIONS,
    SEVERITIES,
    Band,
    Finding,
    FindingRule,
    Knowledge,
    KnowledgeError,
    Recommendation,
    Trigger,
)
from posture.findings.units import (
    conversion_factor,
    format_quantity,
    format_uncertainty,
    side_phrase,
    unit_label,
)

__all__ = [
    "beyond",
    "check_units",
    "evaluate",
    "evaluate_rule",
    "index_measures",
    "load_knowledge",
    "NoFinding",
    "no_finding_range",
    "recommend",
    "render_text",
]


@dataclass(frozen=True)
class _Hit:
    """A trigger whose measure crossed at least the mildest band."""

    order: int
    measure: str
    value: float
    unit: str
    uncertainty: float | None
    reference: float
    band: Band
    excess: float
    estimate: bool

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self.band.name) + 1

    @property
    def confident(self) -> bool:
        return self.uncertainty is not None and self.excess > self.uncertainty


def index_measures(measures: Iterable[Measure]) -> dict[str, Measure]:
    """Measures keyed by their name, as :func:`evaluate` takes them."""
    return {m.name: m for m in measures}


def beyond(direction: str, value: float, threshold: float, reference: float = 0.0) -> float:
    """How far ``value`` lies past ``threshold`` in the rule's direction (>= 0: crossed).

    See :data:`posture.findings.types.DIRECTIONS` for what each direction means.
    """
    if direction == "positive":
        return (value - reference) - threshold
    if direction == "negative":
        return (reference - value) - threshold
    if direction == "absolute":
        return abs(value - reference) - threshold
    if direction == "above":
        return value - threshold
    if direction == "below":
        return threshold - value
    raise ValueError(f"unknown direction {direction!r}; expected one of {', '.join(DIRECTIONS)}")


def _measure_name(trigger: Trigger, side: str | None) -> str:
    return trigger.measure.replace("{side}", side) if side else trigger.measure


def _rule_sides(rule: FindingRule) -> tuple[str | None, ...]:
    return tuple(str(s) for s in SIDES) if rule.per_side else (None,)


def check_units(measures: Mapping[str, Measure], knowledge: Knowledge) -> None:
    """Raise :class:`KnowledgeError` listing every measure whose unit a rule cannot use."""
    problems = []
    for rule in knowledge.findings:
        for side in _rule_sides(rule):
            for trigger in rule.triggers:
                name = _measure_name(trigger, side)
                m = measures.get(name)
                if m is not None and conversion_factor(m.unit, trigger.unit) is None:
                    problems.append(
                        f"finding '{rule.id}' expects '{name}' in '{trigger.unit}', "
                        f"but it arrived in '{m.unit}'"
                    )
    if problems:
        raise KnowledgeError("; ".join(problems), knowledge.path)


def _assess(rule: FindingRule, order: int, trigger: Trigger, name: str, m: Measure) -> _Hit | None:
    factor = conversion_factor(m.unit, trigger.unit)
    if m.value is None or not m.known or factor is None:
        return None
    value = float(m.value) * factor
    uncertainty = None if m.uncertainty is None else abs(m.uncertainty * factor)
    crossed = [b for b in trigger.bands if beyond(rule.direction, value, b.threshold, trigger.reference) >= 0]
    if not crossed:
        return None
    band = crossed[-1]
    excess = beyond(rule.direction, value, band.threshold, trigger.reference)
    return _Hit(order, name, value, trigger.unit, uncertainty, trigger.reference, band, excess, m.estimate)


def _side(rule: FindingRule, side: str | None, hit: _Hit) -> str | None:
    if side is not None:
        return side
    if rule.side is not None:
        return rule.side
    sign = "positive" if hit.value > hit.reference else "negative"
    return dict(rule.sides).get(sign)


def render_text(template: str, hit_fields: Mapping[str, str]) -> str:
    """Fill a title or explanation template (placeholders: see ``load.PLACEHOLDERS``)."""
    return template.format(**hit_fields)


#: The note a finding carries when its rule links no exercise.
NO_EXERCISE_NOTE = (
    "No exercise from the sources addresses this; if it concerns you, ask a physiotherapist "
    "or doctor to examine it."
)


def _in_words(hit: _Hit) -> str:
    """``left hip higher by 9 mm (± 4)`` (see :func:`side_phrase`), else the value and its uncertainty."""
    measured = Measure(hit.measure, hit.value, hit.unit, hit.uncertainty)
    phrase = side_phrase(measured)
    if phrase is not None:
        return phrase
    return f"{format_quantity(hit.value, hit.unit)} ({format_uncertainty(hit.uncertainty, hit.unit)})"


def _fields(hit: _Hit, side: str | None) -> dict[str, str]:
    return {
        "in_words": _in_words(hit),
        "value": format_quantity(hit.value, hit.unit),
        "unit": unit_label(hit.unit).strip(),
        "uncertainty": format_uncertainty(hit.uncertainty, hit.unit),
        "threshold": format_quantity(hit.band.threshold, hit.unit),
        "magnitude": format_quantity(abs(hit.value - hit.reference), hit.unit),
        "side": side or "",
        "Side": (side or "").capitalize(),
        "band": hit.band.name,
        "measure": hit.measure,
    }


def evaluate_rule(
    rule: FindingRule, measures: Mapping[str, Measure], side: str | None = None
) -> Finding | None:
    """Judge one rule (one side of a per-side rule); ``None`` when no band is reached.

    Of several available triggers the most severe wins, then the confident one,
    then the one listed first. Absent measures and measures without a value are skipped.
    """
    hits = []
    for order, trigger in enumerate(rule.triggers):
        name = _measure_name(trigger, side)
        m = measures.get(name)
        hit = None if m is None else _assess(rule, order, trigger, name, m)
        if hit is not None:
            hits.append(hit)
    if not hits:
        return None
    best = max(hits, key=lambda h: (h.rank, h.confident, -h.order))
    found_side = _side(rule, side, best)
    fields = _fields(best, found_side)
    return Finding(
        id=rule.id,
        title=render_text(rule.title, fields),
        severity=best.band.name,
        severity_rank=best.rank,
        side=found_side,
        measure=best.measure,
        value=best.value,
        unit=best.unit,
        uncertainty=best.uncertainty,
        threshold=best.band.threshold,
        excess=best.excess,
        confident=best.confident,
        explanation=render_text(rule.explanation, fields),
        estimate=best.estimate,
        sources=rule.sources,
        note="" if rule.exercises else NO_EXERCISE_NOTE,
    )


def evaluate(measures: Mapping[str, Measure], knowledge: Knowledge) -> list[Finding]:
    """Every finding the measures trigger: most severe first, then confident, then file order.

    Raises
    ------
    KnowledgeError
        A measure arrived in a unit its rule cannot use (e.g. ``mm`` for a ``deg`` rule).
    """
    check_units(measures, knowledge)
    found = [
        f
        for rule in knowledge.findings
        for side in _rule_sides(rule)
        if (f := evaluate_rule(rule, measures, side)) is not None
    ]
    return sorted(found, key=lambda f: (-f.severity_rank, not f.confident))


#: A finding brings at most this many exercises (its first by priority): a short plan is one people do.
MAX_PER_FINDING = 3


def recommend(findings: Sequence[Finding], knowledge: Knowledge) -> list[Recommendation]:
    """Exercises for the findings, each once, in priority order: each finding's first
    :data:`MAX_PER_FINDING` by priority.

    An exercise ranks by the most severe finding it addresses, then by its priority
    for that finding, then by the order of the findings given. It lists every
    finding it addresses, most severe first.
    """
    rules = {r.id: r for r in knowledge.findings}
    unknown = sorted({f.id for f in findings} - set(rules))
    if unknown:
        raise KnowledgeError(f"findings not in this knowledge base: {', '.join(unknown)}", knowledge.path)
    rank: dict[str, tuple[int, int, int]] = {}
    addresses: dict[str, list[Finding]] = {}
    for order, finding in enumerate(findings):
        for link in sorted(rules[finding.id].exercises, key=lambda e: e.priority)[:MAX_PER_FINDING]:
            key = (-finding.severity_rank, link.priority, order)
            rank[link.id] = min(rank.get(link.id, key), key)
            addresses.setdefault(link.id, []).append(finding)
    ordered = sorted(rank, key=rank.__getitem__)
    return [
        Recommendation(
            rank=i,
            exercise=knowledge.exercises[eid],
            addresses=tuple(sorted(addresses[eid], key=lambda f: -f.severity_rank)),
        )
        for i, eid in enumerate(ordered, start=1)
    ]


@dataclass(frozen=True)
class NoFinding:
    """The values of a measure at which no rule of the knowledge base starts a finding (below every
    mildest band); ``None`` = open on that side. ``reference`` is the value the distance rules
    (``positive``, ``negative``, ``absolute``) measure from, when they share one."""

    low: float | None
    high: float | None
    reference: float | None = None


def no_finding_range(knowledge: Knowledge, quantity: str, side: str | None, unit: str) -> NoFinding | None:
    """Where ``quantity`` (without its side; ``side`` for per-side rules) in ``unit`` gives no finding;
    ``None`` when no rule judges it in that unit."""
    low: float | None = None
    high: float | None = None
    references = set()
    for rule in knowledge.findings:
        for trigger in rule.triggers:
            if (
                trigger.measure.replace("_{side}", "") != quantity
                or trigger.unit != unit
                or not trigger.bands
            ):
                continue
            if "{side}" not in trigger.measure and side is not None:
                continue
            mild, ref = trigger.bands[0].threshold, trigger.reference
            top, bottom = {
                "positive": (ref + mild, None), "negative": (None, ref - mild),
                "absolute": (ref + mild, ref - mild), "above": (mild, None), "below": (None, mild),
            }[rule.direction]  # fmt: skip
            if rule.direction in ("positive", "negative", "absolute"):
                references.add(ref)
            high = top if top is not None and (high is None or top < high) else high
            low = bottom if bottom is not None and (low is None or bottom > low) else low
    if low is None and high is None:
        return None
    return NoFinding(low, high, references.pop() if len(references) == 1 else None)
