"""Knowledge base loading and validation; findings and recommendations from exact measures."""

import json
import math
import tomllib

import pytest

from posture.core.measure import Measure
from posture.findings import KnowledgeError, evaluate, index_measures, load_knowledge, recommend
from posture.findings.engine import beyond, evaluate_rule
from posture.findings.load import parse_knowledge
from posture.findings.types import SEVERITIES

REQUIRED_FINDINGS = {
    "left_hip_higher",
    "right_hip_higher",
    "anterior_pelvic_tilt",
    "posterior_pelvic_tilt",
    "leg_length_asymmetry",
    "shoulder_tilt",
    "lateral_pelvic_shift",
    "knee_valgus",
    "knee_varus",
    "stance_time_asymmetry",
    "step_time_asymmetry",
    "heel_not_first",
    "feet_turned_out",
    "pelvic_drop",
    "head_forward",
    "trunk_leans_forward",
    "trunk_leans_back",
}

# A small, valid knowledge base; the broken-file tests each break one thing in it.
MINIMAL = """
version = "test"

[sources."seed.txt"]
title = "A seed"
kind = "seed"

[general]
guidance = ["Stop if it hurts."]
disclaimer = "Screening, not diagnosis."

[[finding]]
id = "tilt"
title = "{Side} side high"
measure = "tilt_deg"
unit = "deg"
direction = "absolute"
sides = { positive = "left", negative = "right" }
bands = { mild = 2.0, moderate = 4.0, marked = 6.0 }
explanation = "Tilt {value} ({uncertainty}) past {threshold}."
sources = ["seed.txt"]
exercises = [{ id = "stretch_a", priority = 1 }]

[[exercise]]
id = "stretch_a"
name = "Stretch A"
kind = "stretch"
how = ["Do it."]
dose = "hold 30 s"
targets = ["hips"]
source = "seed.txt"
cautions = ["Gently."]
"""


def _m(name, value, unit="deg", uncertainty=0.3, estimate=False):
    return Measure(name, value, unit, uncertainty, estimate=estimate)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def test_shipped_knowledge_loads_and_covers_the_required_findings(kb):
    ids = {rule.id for rule in kb.findings}
    assert ids >= REQUIRED_FINDINGS
    assert len(kb.sha256) == 64
    assert kb.general.guidance and "not a diagnosis" in kb.general.disclaimer


def test_every_shipped_exercise_is_used_and_every_link_resolves(kb):
    linked = {link.id for rule in kb.findings for link in rule.exercises}
    assert linked == set(kb.exercises)
    for ex in kb.exercises.values():
        assert ex.kind in ("stretch", "strength", "drill", "mobility")
        assert ex.how and ex.dose and ex.targets and ex.sources and ex.cautions


def test_shipped_bands_are_screening_bands_in_severity_order(kb):
    for rule in kb.findings:
        for trigger in rule.triggers:
            names = [b.name for b in trigger.bands]
            assert names == sorted(names, key=SEVERITIES.index)
            sign = -1 if rule.direction == "below" else 1
            values = [sign * b.threshold for b in trigger.bands]
            assert values == sorted(values), rule.id


def test_minimal_knowledge_loads(tmp_path):
    path = tmp_path / "kb.toml"
    path.write_text(MINIMAL)
    kb = load_knowledge(path)
    assert [r.id for r in kb.findings] == ["tilt"]
    assert kb.findings[0].triggers[0].bands[-1].threshold == 6.0
    assert kb.provenance()["knowledge_version"] == "test"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '{ id = "stretch_a", priority = 1 }',
            '{ id = "nope", priority = 1 }',
            "exercise 'nope' is not defined",
        ),
        ("mild = 2.0, moderate = 4.0", "mild = 5.0, moderate = 4.0", "strictly ascending"),
        ("mild = 2.0", "severe = 2.0", "'bands' should be one of mild, moderate, marked"),
        ('direction = "absolute"', 'direction = "sideways"', "'direction' should be one of"),
        ('explanation = "Tilt {value} ({uncertainty}) past {threshold}."\n', "", "missing key 'explanation'"),
        ("Tilt {value}", "Tilt {valeu}", "unknown placeholder {valeu}"),
        ('sources = ["seed.txt"]', 'sources = ["other.txt"]', "source 'other.txt' is not declared"),
        ('kind = "stretch"', 'kind = "yoga"', "'kind' should be one of stretch, strength, drill, mobility"),
        ('dose = "hold 30 s"', "dose = 30", "'dose' should be non-empty text"),
        ('id = "tilt"', 'id = "tilt"\nexplaination = "typo"', "unknown key 'explaination'"),
        ("mild = 2.0,", "mild = -1.0,", "must be >= 0"),
    ],
)
def test_broken_knowledge_names_the_file_the_entry_and_the_problem(tmp_path, old, new, expected):
    assert old in MINIMAL
    path = tmp_path / "broken.toml"
    path.write_text(MINIMAL.replace(old, new, 1))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message
    assert "finding 'tilt'" in message or "exercise 'stretch_a'" in message


def test_all_problems_are_reported_at_once(tmp_path):
    text = MINIMAL.replace('kind = "stretch"', 'kind = "yoga"').replace(
        '"stretch_a", priority', '"x", priority'
    )
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(KnowledgeError, match=r"2 problem\(s\)"):
        load_knowledge(path)


def test_invalid_toml_and_missing_file_are_clear_errors(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[[finding]\nid = 1")
    with pytest.raises(KnowledgeError, match="not valid TOML") as info:
        load_knowledge(path)
    assert info.value.path == str(path)
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_knowledge(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("direction", "value", "threshold", "reference", "expected"),
    [
        ("positive", 3.0, 2.0, 0.0, 1.0),
        ("positive", -3.0, 2.0, 0.0, -5.0),
        ("negative", -3.0, 2.0, 0.0, 1.0),
        ("absolute", 0.96, 0.02, 1.0, 0.02),
        ("above", 25.0, 23.0, 0.0, 2.0),
        ("below", -3.0, 0.0, 0.0, 3.0),
    ],
)
def test_beyond(direction, value, threshold, reference, expected):
    assert beyond(direction, value, threshold, reference) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("measures", "expected"),
    [
        ([_m("pelvic_obliquity_deg", 3.0)], [("left_hip_higher", "mild", "left")]),
        ([_m("pelvic_obliquity_deg", -6.0)], [("right_hip_higher", "marked", "right")]),
        ([_m("pelvic_obliquity_deg", 1.0)], []),
        ([_m("shoulder_tilt_deg", -4.0)], [("shoulder_tilt", "moderate", "right")]),
        ([_m("leg_length_ratio", 1.05, "ratio", 0.005)], [("leg_length_asymmetry", "marked", "left")]),
        (
            [_m("lateral_pelvic_shift_pct_hip_width", -12.0, "%", 2.0)],
            [("lateral_pelvic_shift", "mild", "right")],
        ),
        ([_m("knee_alignment_deg_right", -9.0)], [("knee_varus", "moderate", "right")]),
        ([_m("knee_alignment_deg_left", 13.0)], [("knee_valgus", "marked", "left")]),
        ([_m("anterior_pelvic_tilt_deg", 25.0, estimate=True)], [("anterior_pelvic_tilt", "marked", None)]),
        ([_m("anterior_pelvic_tilt_deg", 3.0)], []),  # relative to a typical pelvis
        ([_m("anterior_pelvic_tilt_deg", -18.0)], [("posterior_pelvic_tilt", "moderate", None)]),
        ([_m("stance_time_si_pct", -12.0, "%")], [("stance_time_asymmetry", "mild", "left")]),
        ([_m("step_time_si_pct", 30.0, "%")], [("step_time_asymmetry", "marked", "right")]),
        ([_m("stance_pct_left", 52.0, "%")], [("short_stance", "moderate", "left")]),
        ([_m("pelvic_drop_deg_right", 9.0)], [("pelvic_drop", "moderate", "right")]),
        ([_m("heel_strike_share_left", 0.4, "ratio", 0.05)], [("heel_not_first", "moderate", "left")]),
        ([_m("heel_strike_share_right", 20.0, "%", 5.0)], [("heel_not_first", "marked", "right")]),
        ([_m("foot_progression_deg_left", 21.0)], [("feet_turned_out", "moderate", "left")]),
        # side view: bands are distances from the reading of a well-aligned synthetic body
        ([_m("head_forward_deg", 27.0)], [("head_forward", "mild", None)]),
        ([_m("head_forward_deg", 34.0)], [("head_forward", "marked", None)]),
        ([_m("head_forward_deg", 17.0)], []),  # what an ear straight over the shoulder reads
        ([_m("head_forward_deg", 5.0)], []),
        ([_m("trunk_lean_deg", 6.0, uncertainty=0.5)], [("trunk_leans_forward", "mild", None)]),
        ([_m("trunk_lean_deg", -12.0, uncertainty=0.5)], [("trunk_leans_back", "mild", None)]),
        ([_m("trunk_lean_deg", -20.0, uncertainty=0.5)], [("trunk_leans_back", "marked", None)]),
        ([_m("trunk_lean_deg", 1.0, uncertainty=0.5)], []),
        ([_m("trunk_lean_deg", -6.0, uncertainty=0.5)], []),
    ],
)
def test_evaluate_gives_the_expected_finding_band_and_side(kb, measures, expected):
    found = evaluate(index_measures(measures), kb)
    assert [(f.id, f.severity, f.side) for f in found] == expected


def test_finding_carries_the_number_threshold_and_a_rendered_sentence(kb):
    (f,) = evaluate(index_measures([_m("pelvic_obliquity_deg", -6.0, uncertainty=0.5)]), kb)
    assert (f.measure, f.value, f.unit, f.uncertainty, f.threshold) == (
        "pelvic_obliquity_deg",
        -6.0,
        "deg",
        0.5,
        5.0,
    )
    assert f.excess == pytest.approx(1.0)
    assert f.confident
    assert f.title == "Right hip higher"
    assert f.explanation.startswith("Measured: right hip higher by 6.0° (± 0.5).")
    assert "5.0°" in f.explanation
    assert "{" not in f.explanation
    json.dumps(f.to_dict())


@pytest.mark.parametrize(
    ("value", "uncertainty", "confident"),
    [(3.0, 0.5, True), (2.3, 0.5, False), (5.2, 0.5, False), (5.2, 0.1, True), (4.0, None, False)],
)
def test_confident_only_when_beyond_the_crossed_threshold_by_more_than_the_uncertainty(
    kb, value, uncertainty, confident
):
    (f,) = evaluate({"pelvic_obliquity_deg": _m("pelvic_obliquity_deg", value, uncertainty=uncertainty)}, kb)
    assert f.confident is confident


def test_the_most_severe_alternative_measure_wins(kb):
    measures = [_m("pelvic_obliquity_deg", 2.5), _m("hip_height_diff_mm", 12.0, "mm", 2.0)]
    (f,) = evaluate(index_measures(measures), kb)
    assert (f.id, f.severity, f.measure, f.threshold) == (
        "left_hip_higher",
        "moderate",
        "hip_height_diff_mm",
        10.0,
    )
    assert "12 mm" in f.explanation


@pytest.mark.parametrize("value", [None, math.nan])
def test_missing_values_and_unknown_measures_give_no_finding(kb, value):
    measures = {
        "pelvic_obliquity_deg": _m("pelvic_obliquity_deg", value),
        "not_a_measure": _m("not_a_measure", 99.0),
    }
    assert evaluate(measures, kb) == []


def test_a_unit_the_rule_cannot_use_is_a_clear_error(kb):
    with pytest.raises(
        KnowledgeError, match="expects 'pelvic_obliquity_deg' in 'deg', but it arrived in 'mm'"
    ):
        evaluate({"pelvic_obliquity_deg": _m("pelvic_obliquity_deg", 3.0, "mm")}, kb)


def test_estimate_flag_is_carried_over(kb):
    (f,) = evaluate({"anterior_pelvic_tilt_deg": _m("anterior_pelvic_tilt_deg", 25.0, estimate=True)}, kb)
    assert f.estimate


def test_findings_are_ordered_most_severe_first(kb):
    measures = [
        _m("shoulder_tilt_deg", 2.5),
        _m("pelvic_obliquity_deg", -6.0),
        _m("knee_alignment_deg_left", 9.0),
    ]
    found = evaluate(index_measures(measures), kb)
    assert [f.severity for f in found] == ["marked", "moderate", "mild"]


def _two_finding_kb():
    """Finding 'a' links x (1), y (2); finding 'b' links y (1), z (2)."""
    text = MINIMAL.replace('exercises = [{ id = "stretch_a", priority = 1 }]', "")
    raw = tomllib.loads(text)
    exercise = raw["exercise"][0]
    raw["exercise"] = [{**exercise, "id": i, "name": i.upper()} for i in ("x", "y", "z", "stretch_a")]
    rule = raw["finding"][0]
    raw["finding"] = [
        {
            **rule,
            "id": "a",
            "measure": "a_deg",
            "exercises": [{"id": "x", "priority": 1}, {"id": "y", "priority": 2}],
        },
        {
            **rule,
            "id": "b",
            "measure": "b_deg",
            "exercises": [{"id": "z", "priority": 2}, {"id": "y", "priority": 1}],
        },
    ]
    return parse_knowledge(raw)


def test_recommend_deduplicates_and_orders_by_severity_then_priority():
    kb = _two_finding_kb()
    # 'b' is marked and 'a' mild, so b's exercises come first: y (priority 1), z (2), then a's x.
    found = evaluate({"a_deg": _m("a_deg", 2.5), "b_deg": _m("b_deg", -7.0)}, kb)
    assert [f.id for f in found] == ["b", "a"]
    recs = recommend(found, kb)
    assert [r.exercise.id for r in recs] == ["y", "z", "x"]
    assert [r.rank for r in recs] == [1, 2, 3]
    assert [f.id for f in recs[0].addresses] == ["b", "a"]
    json.dumps([r.to_dict() for r in recs])


def test_recommend_lists_an_exercise_once_for_both_sides(kb):
    measures = [_m("knee_alignment_deg_left", 9.0), _m("knee_alignment_deg_right", 6.0)]
    recs = recommend(evaluate(index_measures(measures), kb), kb)
    ids = [r.exercise.id for r in recs]
    assert len(ids) == len(set(ids))
    clam = next(r for r in recs if r.exercise.id == "clamshell")
    assert ids[0] == "clamshell"
    assert [(f.id, f.side) for f in clam.addresses] == [("knee_valgus", "left"), ("knee_valgus", "right")]


def test_a_finding_brings_at_most_its_first_three_exercises(kb):
    rule = next(r for r in kb.findings if r.id == "anterior_pelvic_tilt")
    assert len(rule.exercises) > 3
    recs = recommend(evaluate({"anterior_pelvic_tilt_deg": _m("anterior_pelvic_tilt_deg", 20.0)}, kb), kb)
    first = [e.id for e in sorted(rule.exercises, key=lambda e: e.priority)[:3]]
    assert [r.exercise.id for r in recs] == first


def test_recommend_nothing_for_no_findings_and_rejects_foreign_findings(kb):
    assert recommend([], kb) == []
    other = _two_finding_kb()
    found = evaluate({"a_deg": _m("a_deg", 2.5)}, other)
    with pytest.raises(KnowledgeError, match="not in this knowledge base: a"):
        recommend(found, kb)


def test_evaluate_rule_judges_one_side_of_a_per_side_rule(kb):
    rule = next(r for r in kb.findings if r.id == "knee_valgus")
    measures = {"knee_alignment_deg_left": _m("knee_alignment_deg_left", 9.0)}
    assert evaluate_rule(rule, measures, "right") is None
    found = evaluate_rule(rule, measures, "left")
    assert found is not None and found.title.startswith("Left knee")


@pytest.mark.parametrize(
    ("value", "uncertainty", "confident"),
    [(27.5, 0.3, True), (25.2, 0.3, False), (25.2, None, False)],
)
def test_head_forward_honours_its_uncertainty_at_the_band_edge(kb, value, uncertainty, confident):
    (f,) = evaluate({"head_forward_deg": _m("head_forward_deg", value, uncertainty=uncertainty)}, kb)
    assert (f.id, f.threshold, f.confident) == ("head_forward", 8.0, confident)
    assert f.excess == pytest.approx(value - 17.0 - 8.0)


def test_a_rule_without_exercises_says_to_ask_a_professional_and_recommends_nothing(kb):
    (f,) = evaluate({"head_forward_deg": _m("head_forward_deg", 30.0)}, kb)
    assert "no exercise from the sources" in f.note.lower() and "physiotherapist" in f.note
    assert f.to_dict()["note"] == f.note
    assert recommend([f], kb) == []
    assert "shoulder-to-ear line leans forward by 30.0° (± 0.3)" in f.explanation
    (hip,) = evaluate({"pelvic_obliquity_deg": _m("pelvic_obliquity_deg", 3.0)}, kb)
    assert hip.note == "" and "note" not in hip.to_dict()


def test_sources_are_cited_by_the_article_s_own_title_and_author(kb):
    seeds = {sid: s for sid, s in kb.sources.items() if s.kind == "seed"}
    assert len(seeds) == 5
    for sid, source in seeds.items():
        assert not source.title.lower().startswith("seed article"), sid
        assert source.citation.startswith(source.title)
    assert kb.sources["000_a0dcf41023bb4a8f.txt"].citation == (
        "Overcoming Lower Back Pain: The Importance of Limb Symmetry and Opposing Muscle Balance"
    )
    assert kb.sources["001_6699fb5934fa2153.txt"].citation.endswith(", by Halle Bose")
    assert (
        kb.sources["003_68340d9c2374d385.txt"].citation == "Does Muscle Balancing Help in Back Pain Relief?"
    )
    assert kb.sources["001_6699fb5934fa2153.txt"].to_dict()["author"] == "Halle Bose"


def test_a_source_author_is_read_and_an_unknown_source_key_is_refused(tmp_path):
    path = tmp_path / "kb.toml"
    path.write_text(MINIMAL.replace('title = "A seed"', 'title = "A seed"\nauthor = "A. Writer"'))
    assert load_knowledge(path).sources["seed.txt"].citation == "A seed, by A. Writer"
    path.write_text(MINIMAL.replace('title = "A seed"', 'title = "A seed"\nauthors = "A. Writer"'))
    with pytest.raises(KnowledgeError, match="unknown key 'authors'"):
        load_knowledge(path)
