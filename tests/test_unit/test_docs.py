"""The user guide cannot rot: its links resolve, it names every measure, and findings.md is generated."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from posture.findings import load_knowledge
from posture.gait.spatiotemporal import summarise_side
from posture.pipeline.gait_files import STEP_COLUMNS
from posture.standing.combine import MEANINGS
from posture.standing.pelvic_tilt import NAME as PELVIC_TILT

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*$", re.M)
EXTERNAL = ("http://", "https://", "mailto:")


def _prose(path: Path) -> str:
    """The page without its fenced code blocks (their brackets are not links)."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor the headings of a Markdown page define (repeated headings get -1, -2 ...)."""
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING.findall(_prose(path)):
        base = slug(heading)
        out.add(f"{base}-{seen[base]}" if base in seen else base)
        seen[base] = seen.get(base, 0) + 1
    return out


def broken_links(path: Path) -> list[str]:
    """Relative links of ``path`` whose file, or whose #anchor in a Markdown file, does not exist."""
    problems = []
    for target in LINK.findall(_prose(path)):
        if target.startswith(EXTERNAL):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if not dest.exists():
            problems.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading with that anchor")
    return problems


def _findings_script() -> ModuleType:
    path = ROOT / "scripts" / "make_findings_doc.py"
    spec = importlib.util.spec_from_file_location("make_findings_doc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _knowledge_measures() -> set[str]:
    names = set()
    for rule in load_knowledge().findings:
        for trigger in rule.triggers:
            sides = ("left", "right") if "{side}" in trigger.measure else ("",)
            names |= {trigger.measure.replace("{side}", s) for s in sides}
    return names


def _walking_quantities() -> set[str]:
    """What the walking check declares (:meth:`GaitResult.measures`), without the sides."""
    from posture.gait import analyse_gait
    from tests.conftest import planted_walk

    return {m.quantity for m in analyse_gait(planted_walk()[0]).measures().values()}


MEASURE_NAMES = sorted(
    set(MEANINGS)
    | {PELVIC_TILT}
    | _knowledge_measures()
    | set(summarise_side([]))
    | set(STEP_COLUMNS)
    | _walking_quantities()
)


def test_the_readme_links_to_the_guide_and_the_guide_to_every_page():
    readme_links = LINK.findall(_prose(ROOT / "README.md"))
    assert "docs/README.md" in readme_links
    index_links = {t.partition("#")[0] for t in LINK.findall(_prose(DOCS / "README.md"))}
    pages = {p.name for p in DOCS.glob("*.md")} - {"README.md"}
    assert pages, "docs/ holds no pages"
    assert pages <= index_links, f"pages not linked from docs/README.md: {sorted(pages - index_links)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    assert broken_links(page) == []


def test_a_broken_link_or_anchor_is_caught(tmp_path):
    (tmp_path / "there.md").write_text("# A heading\n\ntext\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok](there.md#a-heading) [bad](missing.md) [bad](there.md#nowhere) "
        "[own](#title) [web](https://example.org/x)\n\n# Title\n\n```\n[not a link](nowhere.md)\n```\n"
    )
    assert broken_links(page) == ["missing.md: no such file", "there.md#nowhere: no heading with that anchor"]


@pytest.mark.parametrize("name", MEASURE_NAMES)
def test_the_measures_page_explains_every_measure(name):
    assert f"`{name}`" in (DOCS / "measures.md").read_text(encoding="utf-8")


def test_findings_page_is_what_the_knowledge_base_generates():
    expected = _findings_script().render(load_knowledge())
    current = (DOCS / "findings.md").read_text(encoding="utf-8")
    assert current == expected, "docs/findings.md is out of date: run python scripts/make_findings_doc.py"


def test_findings_page_shows_every_rule_and_exercise():
    knowledge = load_knowledge()
    text = _findings_script().render(knowledge)
    for rule in knowledge.findings:
        assert f"Rule `{rule.id}`" in text
    for exercise in knowledge.exercises.values():
        assert f"### {exercise.name}" in text
        assert exercise.dose in text


@pytest.mark.parametrize(
    ("direction", "threshold", "reference", "unit", "cell"),
    [
        ("positive", 2.0, 0.0, "deg", "≥ 2°"),
        ("positive", 3.0, 1.0, "mm", "≥ 4 mm"),
        ("negative", 3.5, 0.0, "deg", "≤ −3.5°"),
        ("absolute", 10.0, 0.0, "%", "±10% or beyond"),
        ("absolute", 0.02, 1.0, "ratio", "1 ±0.02 or beyond"),
        ("above", 5.0, 0.0, "deg", "≥ 5°"),
        ("below", -13.0, 0.0, "deg", "≤ −13°"),
        ("below", 56.0, 0.0, "%", "≤ 56%"),
    ],
)
def test_each_band_is_stated_in_the_measure_s_own_terms(direction, threshold, reference, unit, cell):
    assert _findings_script().band_cell(direction, threshold, reference, unit) == cell


def test_findings_script_check_mode_tells_stale_from_current(tmp_path, capsys):
    script = _findings_script()
    out = tmp_path / "findings.md"
    out.write_text("stale\n")
    assert script.main(["--out", str(out), "--check"]) == 1
    assert out.read_text() == "stale\n"
    assert script.main(["--out", str(out)]) == 0
    assert script.main(["--out", str(out), "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_every_declared_measure_has_a_plain_name():
    from posture.core.names import PLAIN

    side = ("_left", "_right")
    quantities = {n.removesuffix(side[0]).removesuffix(side[1]) for n in MEANINGS}
    quantities |= {PELVIC_TILT} | _walking_quantities()
    assert sorted(q for q in quantities if q not in PLAIN) == []
