"""Scoring detected gait events against events labelled by eye (see LABELLING.md).

Labels: ``benchmarks/real/labels/<name>.json`` with ``events`` (frame, side, kind,
uncertain). Detected events are (frame, side, kind) with a fractional frame.
Each label is matched to the nearest unmatched detection of the same kind and
side within ``tolerance`` frames; detections of a kind inside the labelled span
that match no label are *extra*.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

LABELS = Path(__file__).resolve().with_name("labels")


@dataclass(frozen=True)
class Event:
    """One event: frame (fractional for detections), the subject's side, heel_strike or toe_off."""

    frame: float
    side: str
    kind: str
    uncertain: bool = False


@dataclass
class Score:
    """How the detections of one kind compare with the labels."""

    kind: str
    labelled: int = 0
    hits: int = 0
    errors: list[float] = field(default_factory=list)  # detected - labelled, frames, for each hit
    missed: list[Event] = field(default_factory=list)
    extra: list[Event] = field(default_factory=list)

    @property
    def hit_rate(self) -> float:
        return self.hits / self.labelled if self.labelled else float("nan")

    @property
    def mae(self) -> float:
        return sum(abs(e) for e in self.errors) / len(self.errors) if self.errors else float("nan")


def load_labels(name: str) -> dict:
    """The label document of one clip."""
    return json.loads((LABELS / f"{name}.json").read_text())


def labelled_events(doc: dict) -> list[Event]:
    """The events of a label document (unlabelable ones are not events)."""
    return [
        Event(float(e["frame"]), str(e["side"]), str(e["kind"]), bool(e.get("uncertain", False)))
        for e in doc.get("events", [])
    ]


def score(
    detected: list[Event], labels: list[Event], kind: str, tolerance: float, span: tuple[float, float]
) -> Score:
    """Match detections of ``kind`` to labels of ``kind`` within ``tolerance`` frames (one to one).

    ``span``: the frames the labels cover; detections outside it are not counted as extra.
    """
    out = Score(kind)
    todo = sorted((e for e in labels if e.kind == kind), key=lambda e: e.frame)
    free = [e for e in detected if e.kind == kind]
    out.labelled = len(todo)
    for lab in todo:
        near = [d for d in free if d.side == lab.side and abs(d.frame - lab.frame) <= tolerance]
        if not near:
            out.missed.append(lab)
            continue
        best = min(near, key=lambda d: abs(d.frame - lab.frame))
        free.remove(best)
        out.hits += 1
        out.errors.append(best.frame - lab.frame)
    out.extra = [d for d in free if span[0] - tolerance <= d.frame <= span[1] + tolerance]
    return out


def label_span(doc: dict, labels: list[Event]) -> tuple[float, float]:
    """The frames over which the labels claim completeness (``labelled_span``, else first to last label)."""
    span = doc.get("labelled_span")
    if span:
        return float(span[0]), float(span[1])
    frames = [e.frame for e in labels]
    return (min(frames), max(frames)) if frames else (0.0, -1.0)
