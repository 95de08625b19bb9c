"""Write ``docs/findings.md`` from the knowledge base, so the guide cannot drift from it.

Every rule, band, exercise and source in the page comes from
``posture/findings/knowledge.toml``. Usage::

    python scripts/make_findings_doc.py [--out docs/findings.md] [--check]

``--check`` writes nothing and exits 1 when the file differs from what would be written.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from posture.findings import Exercise, FindingRule, Knowledge, load_knowledge
from posture.findings.engine import NO_EXERCISE_NOTE
from posture.findings.types import Trigger
from posture.findings.units import unit_label
from posture.io.atomic import atomic_open

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "findings.md"

INTRO = """\
# From findings to exercises

<!-- Generated from posture/findings/knowledge.toml by scripts/make_findings_doc.py: do not edit by hand. -->

A **finding** is raised when a measure (see [measures.md](measures.md)) reaches a
screening band. Each finding links to the stretches and exercises that address
it, in priority order. All of it is data in
[posture/findings/knowledge.toml](../posture/findings/knowledge.toml): this page
is generated from that file, so it always shows what the reports use.

## How a finding is made

- Each rule compares one measure with up to three **screening bands**: *mild*,
  *moderate* and *marked*. A band applies from its threshold on; short of the
  mildest band there is no finding. Signs are the client's own left and right.
- Some rules can be judged on more than one measure (for example the hip rule
  on degrees, millimetres or a percentage of the hip width). Each available
  measure is judged and the most severe result is reported.
- A finding is confident (**beyond uncertainty**) when the measure passes the
  band's threshold by more than its uncertainty, and **within uncertainty**
  otherwise: then the report tags it *may be noise*.
- Findings are listed most severe first. Each exercise is recommended once,
  ranked by the most severe finding it addresses, then by its priority for
  that finding, and lists every finding it addresses.
- Measures that no rule below names are reported but raise no finding.

The bands are **screening bands for 2D estimates from photos and video, not
diagnostic criteria**; none has been validated for photos (see
[limits.md](limits.md)). Bands and exercises can be changed by editing the
knowledge base; the file is checked when it is loaded, and every problem is
reported with the entry it is in.
"""


def fmt(value: float, unit: str) -> str:
    """A threshold as written in the bands: ``2°``, ``5 mm``, ``10%``, ``0.02``, ``−13°``."""
    text = f"{value:g}".replace("-", "−")
    return f"{text}{unit_label(unit)}"


def band_cell(direction: str, threshold: float, reference: float, unit: str) -> str:
    """When one band applies, in the measure's own terms."""
    if direction == "positive":
        return f"≥ {fmt(reference + threshold, unit)}"
    if direction == "negative":
        return f"≤ {fmt(reference - threshold, unit)}"
    if direction == "absolute":
        centre = f"{fmt(reference, unit)} " if reference else ""
        return f"{centre}±{fmt(threshold, unit)} or beyond"
    if direction == "above":
        return f"≥ {fmt(threshold, unit)}"
    return f"≤ {fmt(threshold, unit)}"


def slug(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading (GitHub's rule)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def title_of(rule: FindingRule) -> str:
    """The rule's title with its side filled in, or 'Left or right' when it depends on the measure."""
    side = rule.side or "left or right"
    return rule.title.format(side=side, Side=side.capitalize())


def measure_names(trigger: Trigger) -> str:
    """The measure of a trigger, ``{side}`` spelled out."""
    name = trigger.measure
    if "{side}" in name:
        return " / ".join(f"`{name.replace('{side}', s)}`" for s in ("left", "right"))
    return f"`{name}`"


def exercise_link(ex: Exercise) -> str:
    """A link to the exercise's section on this page."""
    return f"[{ex.name}](#{slug(ex.name)})"


def exercise_list(rule: FindingRule, knowledge: Knowledge) -> str:
    """A rule's exercises on one line, numbered by priority."""
    if not rule.exercises:
        return "none in the sources: ask a professional"
    return "; ".join(f"{x.priority}. {exercise_link(knowledge.exercises[x.id])}" for x in rule.exercises)


def overview(knowledge: Knowledge) -> list[str]:
    """The table of every rule: measure, bands and exercises in priority order."""
    lines = [
        "## All findings at a glance",
        "",
        "| finding | measure | mild | moderate | marked | exercises, in priority order |",
        "|---|---|---|---|---|---|",
    ]
    for rule in knowledge.findings:
        for i, trigger in enumerate(rule.triggers):
            first = i == 0
            name = f"[{title_of(rule)}](#{slug(title_of(rule))})" if first else ""
            measure = measure_names(trigger) if first else f"or {measure_names(trigger)}"
            bands = {b.name: band_cell(rule.direction, b.threshold, trigger.reference, trigger.unit)
                     for b in trigger.bands}  # fmt: skip
            cells = [bands.get(s, "–") for s in ("mild", "moderate", "marked")]
            exercises = exercise_list(rule, knowledge) if first else ""
            lines.append(f"| {name} | {measure} | {' | '.join(cells)} | {exercises} |")
    return [*lines, ""]


_PLACEHOLDER_WORDS = {
    "value": "*value*",
    "uncertainty": "*± uncertainty*",
    "threshold": "*threshold*",
    "magnitude": "*amount*",
    "in_words": "*side and amount in words (± uncertainty)*",
    "band": "*band*",
    "unit": "*unit*",
}


def explanation_of(rule: FindingRule) -> str:
    """The rule's explanation with each number (and a side that depends on it) as a word in italics."""
    side = rule.side or "*side*"
    words = {**_PLACEHOLDER_WORDS, "side": side, "Side": rule.side.capitalize() if rule.side else "*Side*"}
    words["measure"] = measure_names(rule.triggers[0])
    return rule.explanation.format(**words)


def sign_note(rule: FindingRule) -> str:
    """For rules judged either way: which side each sign stands for (empty otherwise)."""
    sides = dict(rule.sides)
    if not sides:
        return ""
    positive, negative = sides["positive"], sides["negative"]
    ref = rule.triggers[0].reference
    if ref:
        centre = fmt(ref, rule.triggers[0].unit)
        return f" A value above {centre} means the {positive}, below {centre} the {negative}."
    return f" A positive value means the {positive}, a negative one the {negative}."


def finding_section(rule: FindingRule, knowledge: Knowledge) -> list[str]:
    """One rule: what it measures, its explanation, its exercises and its sources."""
    lines = [f"### {title_of(rule)}", "", f"Rule `{rule.id}`, judged on {measure_names(rule.triggers[0])}"]
    for alt in rule.triggers[1:]:
        lines[-1] += f" or {measure_names(alt)}"
    lines[-1] += "."
    lines[-1] += sign_note(rule)
    lines += ["", f"> {explanation_of(rule)}", ""]
    if rule.exercises:
        lines += ["Exercises, in priority order:", ""]
        lines += [f"{x.priority}. {exercise_link(knowledge.exercises[x.id])}" for x in rule.exercises]
    else:
        lines += [NO_EXERCISE_NOTE]
    lines += ["", "Sources: " + "; ".join(s.citation for s in rule.sources) + ".", ""]
    return lines


def dose_note(ex: Exercise) -> str:
    """Where the dose comes from."""
    if ex.dose_from_source:
        return "(as in the source article)"
    return "(a cautious starting point; the source article gives no dose)"


def exercise_section(ex: Exercise, used_by: Iterable[FindingRule]) -> list[str]:
    """One exercise: kind, targets, steps, dose, cautions, sources and the findings it addresses."""
    lines = [
        f"### {ex.name}",
        "",
        f"*{ex.kind}*; works on: {', '.join(ex.targets)}.",
        "",
    ]
    lines += [f"{i}. {step}" for i, step in enumerate(ex.how, start=1)]
    lines += ["", f"**Dose:** {ex.dose} {dose_note(ex)}", ""]
    if ex.cautions:
        lines += ["**Take care:**", ""] + [f"- {c}" for c in ex.cautions] + [""]
    findings = ", ".join(f"[{title_of(r)}](#{slug(title_of(r))})" for r in used_by)
    lines += [f"Recommended for: {findings}.", ""]
    lines += ["Sources: " + "; ".join(s.citation for s in ex.sources) + ".", ""]
    return lines


def render(knowledge: Knowledge) -> str:
    """The whole page."""
    lines = [INTRO, *overview(knowledge), "## The findings", ""]
    for rule in knowledge.findings:
        lines += finding_section(rule, knowledge)
    lines += ["## The exercises", ""]
    for ex in knowledge.exercises.values():
        used_by = [r for r in knowledge.findings if any(link.id == ex.id for link in r.exercises)]
        lines += exercise_section(ex, used_by)
    lines += ["## Before starting any exercise", "", "Every report gives this guidance:", ""]
    lines += [f"- {g}" for g in knowledge.general.guidance]
    lines += ["", "And this note:", "", f"> {knowledge.general.disclaimer}", ""]
    lines += ["## Sources", ""]
    lines += [f"- `{s.id}` ({s.kind}): {s.citation}" for s in knowledge.sources.values()]
    lines += ["", f"Knowledge base version {knowledge.version}."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the page; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the page (default docs/findings.md)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = parser.parse_args(argv)
    text = render(load_knowledge())
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out}: out of date; run python scripts/make_findings_doc.py", file=sys.stderr)
            return 1
        print(f"{args.out}: up to date")
        return 0
    with atomic_open(args.out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
