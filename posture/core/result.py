"""What both checks hand on, typed: :class:`CheckResult`, and its place in ``result.json``.

The standing and the walking check each return a rich result of their own
(:class:`~posture.standing.check.StandingResult`, :class:`~posture.gait.result.GaitResult`);
both reduce to a ``CheckResult``: the kind of check, the view and every measure with
its unit, side, uncertainty and meaning. ``to_document()`` writes the sections of
``result.json`` they share (``kind``, ``view``, ``view_reason``, ``measures``), and
``from_document()`` reads them back, so the history, batch summaries and reports
never guess units or sides from key names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from posture.core.measure import Measure
from posture.core.view import View

#: Version of the result documents written now. 2: the walking check's ``view`` is a plain
#: string with ``view_reason`` beside it (as the standing check's), and it has ``measures`` too.
SCHEMA_VERSION = 2
#: The kinds of check.
KINDS = ("photo", "gait")


@dataclass(frozen=True)
class CheckResult:
    """The kind of check, its view and its measures.

    Attributes
    ----------
    kind : {"photo", "gait"}
    view : View
        The camera's view of the subject (``side`` for a walk seen side-on).
    view_reason : str
        How the view was decided.
    measures : dict of str -> Measure
        Every measure of the check by name, those the footage could not support
        without a value and with the reason in their note.
    """

    kind: str
    view: View
    view_reason: str
    measures: dict[str, Measure] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")

    def known(self) -> dict[str, Measure]:
        """The measures that have a value."""
        return {name: m for name, m in self.measures.items() if m.known}

    def to_frame(self) -> Any:
        """The measures as a tidy pandas DataFrame, one row each (needs pandas: the research extra)."""
        import pandas as pd

        rows = [
            (
                name,
                m.quantity,
                None if m.side is None else str(m.side),
                m.value,
                m.unit,
                m.uncertainty,
                m.note,
            )
            for name, m in self.measures.items()
        ]
        columns = ["measure", "quantity", "side", "value", "unit", "uncertainty", "note"]
        return pd.DataFrame(rows, columns=columns)

    def to_document(self) -> dict[str, Any]:
        """The shared sections of ``result.json``."""
        return {
            "kind": self.kind,
            "view": str(self.view),
            "view_reason": self.view_reason,
            "measures": {name: m.to_dict() for name, m in self.measures.items()},
        }

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> CheckResult:
        """The shared sections of a result document (schema 2, or a schema-1 photo document).

        Raises
        ------
        ValueError
            Not a result document of either check, or one without measures.
        """
        kind = document.get("kind")
        if kind not in KINDS:
            raise ValueError(f"expected a result document of kind 'photo' or 'gait', got {kind!r}")
        measures = document.get("measures")
        if not isinstance(measures, Mapping):
            version = document.get("schema_version")
            raise ValueError(f"a {kind} result document of schema {version} has no measures section")
        view = document.get("view")
        if view not in set(View):
            raise ValueError(f"a {kind} result document with an unknown view {view!r}")
        return cls(
            kind,
            View(str(view)),
            str(document.get("view_reason", "")),
            {name: Measure.from_dict(name, m) for name, m in measures.items()},
        )
