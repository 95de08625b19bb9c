"""The knowledge base's parts and what the engine produces from it.

The knowledge base (``knowledge.toml``) is data: screening rules (``FindingRule``)
that compare one measure against severity bands, and the exercises that address
them. :func:`posture.findings.load.load_knowledge` builds these frozen objects;
:mod:`posture.findings.engine` turns measures into :class:`Finding` and
:class:`Recommendation` objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from posture.data import skeleton
from posture.errors import PostureError

#: Severity band names, mildest first. A value short of the first band gives no finding.
SEVERITIES: tuple[str, ...] = ("mild", "moderate", "marked")

#: How a measure's value is compared with its thresholds.
#:
#: - ``positive``: ``value - reference`` at or above the threshold (thresholds >= 0).
#: - ``negative``: ``reference - value`` at or above the threshold (thresholds >= 0).
#: - ``absolute``: ``|value - reference|`` at or above the threshold (thresholds >= 0).
#: - ``above``: ``value`` at or above the threshold (thresholds on the measure's own scale).
#: - ``below``: ``value`` at or below the threshold (thresholds on the measure's own scale).
DIRECTIONS: tuple[str, ...] = ("positive", "negative", "absolute", "above", "below")

EXERCISE_KINDS: tuple[str, ...] = ("stretch", "strength", "drill", "mobility")
SIDES: tuple[str, ...] = tuple(str(s) for s in skeleton.SIDES)


class KnowledgeError(PostureError):
    """The knowledge base file is malformed, or does not fit the measures it is given."""


@dataclass(frozen=True)
class Source:
    """Where a piece of knowledge comes from (a seed article or a published reference).

    ``title`` is the article's own headline (or the reference's title), ``author`` who
    wrote it when the article says so (``""`` when it does not). Reports cite
    :attr:`citation`; the ``id`` (a file name or a short key) belongs in a technical appendix.
    """

    id: str
    title: str
    kind: str  # "seed" or "reference"
    author: str = ""

    @property
    def citation(self) -> str:
        """How a report cites it: ``Title`` or ``Title, by Author``."""
        return f"{self.title}, by {self.author}" if self.author else self.title

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = {"id": self.id, "title": self.title, "kind": self.kind, "citation": self.citation}
        if self.author:
            out["author"] = self.author
        return out


@dataclass(frozen=True)
class Band:
    """A severity band: it applies from ``threshold`` on, in the rule's direction."""

    name: str
    threshold: float


@dataclass(frozen=True)
class Trigger:
    """One measure a rule can be judged on, with its unit and bands (mildest first).

    ``measure`` may contain ``{side}``: the rule is then judged once per side, on
    ``..._left`` and ``..._right``.
    """

    measure: str
    unit: str
    bands: tuple[Band, ...]
    reference: float = 0.0


@dataclass(frozen=True)
class ExerciseLink:
    """An exercise that addresses a rule; priority 1 comes first."""

    id: str
    priority: int


@dataclass(frozen=True)
class FindingRule:
    """A screening rule from the knowledge base.

    ``triggers`` lists the measures the rule can be judged on, preferred first; when
    several are available the most severe result wins. ``side`` is fixed for rules
    such as "left hip higher"; ``sides`` maps the sign of ``value - reference``
    (``positive`` / ``negative``) to a side for ``absolute`` rules.
    """

    id: str
    title: str
    direction: str
    triggers: tuple[Trigger, ...]
    explanation: str
    sources: tuple[Source, ...]
    exercises: tuple[ExerciseLink, ...]
    side: str | None = None
    sides: tuple[tuple[str, str], ...] = ()

    @property
    def per_side(self) -> bool:
        """True when the rule is judged separately on the left and right measures."""
        return "{side}" in self.triggers[0].measure


@dataclass(frozen=True)
class Exercise:
    """A stretch, strength exercise, drill or mobility routine, in the product's words."""

    id: str
    name: str
    kind: str
    how: tuple[str, ...]
    dose: str
    targets: tuple[str, ...]
    sources: tuple[Source, ...]
    cautions: tuple[str, ...]
    dose_from_source: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "how": list(self.how),
            "dose": self.dose,
            "dose_from_source": self.dose_from_source,
            "targets": list(self.targets),
            "sources": [s.to_dict() for s in self.sources],
            "cautions": list(self.cautions),
        }


@dataclass(frozen=True)
class General:
    """Guidance shared by every recommendation, and the report's disclaimer."""

    guidance: tuple[str, ...]
    disclaimer: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"guidance": list(self.guidance), "disclaimer": self.disclaimer}


@dataclass(frozen=True)
class Knowledge:
    """The whole knowledge base, validated; ``sha256`` identifies the file it came from."""

    findings: tuple[FindingRule, ...]
    exercises: dict[str, Exercise]
    sources: dict[str, Source]
    general: General
    version: str
    path: str
    sha256: str

    def provenance(self) -> dict[str, str]:
        """What a report should record about the knowledge base it used."""
        return {
            "knowledge_version": self.version,
            "knowledge_file": self.path,
            "knowledge_sha256": self.sha256,
        }


@dataclass(frozen=True)
class Finding:
    """A rule whose threshold a measure crossed.

    Attributes
    ----------
    id, title
        The rule's id and its title (with the side filled in).
    severity, severity_rank
        Band name (``mild``, ``moderate``, ``marked``) and its rank (1 = mild).
    side
        ``"left"``, ``"right"`` or ``None``.
    measure, value, unit, uncertainty
        The triggering measure, in the rule's unit (uncertainty: one SD, or ``None``).
    threshold
        The crossed band's threshold, as written in the knowledge base (for
        ``positive``/``negative``/``absolute`` rules, a distance from the reference).
    excess
        How far the value lies beyond that threshold, in the rule's direction.
    confident
        ``excess`` exceeds the uncertainty (False when the uncertainty is unknown).
    estimate
        The measure is a proxy (e.g. pelvic tilt from 2D keypoints).
    note
        A sentence a report shows with the finding, e.g. that no exercise from the
        sources addresses it and a professional should be asked (``""``: nothing to add).
    """

    id: str
    title: str
    severity: str
    severity_rank: int
    side: str | None
    measure: str
    value: float
    unit: str
    uncertainty: float | None
    threshold: float
    excess: float
    confident: bool
    explanation: str
    estimate: bool = False
    sources: tuple[Source, ...] = ()
    note: str = ""

    @property
    def key(self) -> str:
        """Unique within one evaluation: the id, with the side for per-side rules."""
        return self.id if self.side is None else f"{self.id}:{self.side}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (numbers rounded)."""
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "side": self.side,
            "measure": self.measure,
            "value": round(self.value, 3),
            "unit": self.unit,
            "uncertainty": None if self.uncertainty is None else round(self.uncertainty, 3),
            "threshold": self.threshold,
            "excess": round(self.excess, 3),
            "confident": self.confident,
            "estimate": self.estimate,
            "explanation": self.explanation,
            "sources": [s.id for s in self.sources],
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class Recommendation:
    """An exercise, once, with every finding it addresses (most severe first)."""

    rank: int
    exercise: Exercise
    addresses: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rank": self.rank,
            **self.exercise.to_dict(),
            "addresses": [{"id": f.id, "side": f.side, "title": f.title} for f in self.addresses],
        }
