"""The walking result's measures: values where the footage supports them, otherwise no value and why."""

from __future__ import annotations

import dataclasses

import pytest

from posture.core.view import View
from posture.gait import analyse_gait
from posture.gait.result import (
    FRONTAL_TOE_OFF_NOTE,
    SIDE_PARAMETERS,
    SYMMETRY_PARAMETERS,
    symmetry_name,
)
from tests.conftest import planted_walk

SIDE_WALK = analyse_gait(planted_walk()[0])
SCALED_WALK = analyse_gait(planted_walk()[0], height_cm=170)
LONG_RIGHT = analyse_gait(planted_walk(stance_share=0.60, right_stance_share=0.68)[0])


def test_symmetry_names_drop_the_seconds_suffix():
    assert symmetry_name("step_time_s") == "step_time_si_pct"
    assert symmetry_name("stance_pct") == "stance_pct_si_pct"
    assert symmetry_name("step_length_m") == "step_length_m_si_pct"


def test_every_declared_parameter_is_a_measure_per_side_and_as_a_symmetry():
    names = set(SIDE_WALK.measures())
    for param in SIDE_PARAMETERS:
        assert {f"{param}_left", f"{param}_right"} <= names
    assert {symmetry_name(p) for p in SYMMETRY_PARAMETERS} <= names


def test_a_side_walk_measures_stance_as_planted():
    m = SIDE_WALK.measures()
    assert m["stance_pct_left"].value == pytest.approx(62, abs=5)
    assert m["stance_pct_left"].side == "left" and m["stance_pct_left"].unit == "%"
    assert m["stride_time_s_left"].value == pytest.approx(1.1, abs=0.02)
    assert m["cadence_spm"].value == pytest.approx(60 / 0.55, abs=1.5)
    assert m["stance_pct_left"].note.startswith("mean of ")


def test_a_longer_right_stance_gives_a_positive_stance_symmetry_index():
    m = LONG_RIGHT.measures()
    assert m["stance_time_si_pct"].value > 5
    assert m["stance_pct_right"].value > m["stance_pct_left"].value


def test_without_a_height_step_length_and_speed_are_withheld_with_the_reason():
    m = SIDE_WALK.measures()
    why = "step length and speed need --height-cm and a side view"
    for name in ("speed_m_s", "step_length_m_left", "step_length_m_right", "step_length_m_si_pct"):
        assert m[name].value is None and m[name].note == why
    assert SIDE_WALK.to_dict()["spatiotemporal"]["note"] == why


def test_with_a_height_step_length_and_speed_are_given():
    m = SCALED_WALK.measures()
    assert SCALED_WALK.scale_px_per_m is not None
    assert m["speed_m_s"].known and m["step_length_m_left"].known
    assert "note" not in SCALED_WALK.to_dict()["spatiotemporal"]


def test_a_front_view_result_withholds_stance_and_swing_with_the_reason_but_keeps_step_times():
    front = dataclasses.replace(SIDE_WALK, view=View.FRONT)
    m = front.measures()
    for name in ("stance_pct_left", "swing_time_s_right", "double_support_pct_left", "stance_time_si_pct"):
        assert m[name].value is None
        assert m[name].note == FRONTAL_TOE_OFF_NOTE
    assert m["step_time_s_left"].value == SIDE_WALK.measures()["step_time_s_left"].value
    assert m["cadence_spm"].known


def test_a_refused_clip_gives_no_value_and_the_refusal_as_the_reason():
    refused = dataclasses.replace(SIDE_WALK, refused=["the clip is 10 fps; 15 needed", "the walker is small"])
    m = refused.measures()
    why = "the clip is 10 fps; 15 needed; the walker is small"
    for name in ("cadence_spm", "step_time_s_left", "stance_pct_right", "step_time_si_pct", "speed_m_s"):
        assert m[name].value is None and m[name].note == why


def test_too_few_steps_for_symmetry_withholds_only_the_symmetry():
    short = dataclasses.replace(SIDE_WALK, shortfall={"symmetry": "2 steps per side needed"})
    m = short.measures()
    assert all(m[symmetry_name(p)].note == "2 steps per side needed" for p in SYMMETRY_PARAMETERS)
    assert m["cadence_spm"].known and m["stance_pct_left"].known


def test_too_few_steps_for_cadence_withholds_the_step_measures():
    short = dataclasses.replace(SIDE_WALK, shortfall={"cadence": "3 steps needed"})
    m = short.measures()
    assert m["cadence_spm"].value is None and m["cadence_spm"].note == "3 steps needed"
    assert m["stance_pct_left"].value is None and m["stance_pct_left"].note == "3 steps needed"


def test_a_side_walk_has_no_frontal_measures_and_says_why():
    m = SIDE_WALK.measures()
    for name in ("pelvic_drop_deg_left", "foot_progression_deg_right", "step_width_px"):
        assert m[name].value is None and m[name].note == "needs a front or back view"
    assert m["pelvic_drop_deg_left"].estimate
    assert SIDE_WALK.to_dict()["frontal"] == {"note": "frontal measures need a front or back view"}


def test_planted_flat_feet_are_contacts_but_not_heel_strikes():
    summary = SIDE_WALK.foot_strike_summary()
    assert summary["left"]["n"] >= 3 and summary["left"]["heel_pct"] == 0.0
    m = SIDE_WALK.measures()
    assert m["heel_strike_share_left"].value == 0.0


def test_without_contacts_the_heel_to_toe_pattern_says_it_needs_a_side_view():
    bare = dataclasses.replace(SIDE_WALK, contacts=[])
    assert bare.foot_strike_summary()["note"] == "heel-to-toe pattern needs a side view"
    m = bare.measures()
    assert m["heel_strike_share_left"].value is None
    assert m["roll_through_s_right"].note == "needs a side view with detected contacts"


def test_steps_are_the_step_rows_as_dicts():
    assert SIDE_WALK.steps == [r.to_dict() for r in SIDE_WALK.rows]
    assert len(SIDE_WALK.steps) >= 6


def test_the_check_result_carries_kind_view_and_measures():
    check = SIDE_WALK.check_result()
    assert (check.kind, check.view) == ("gait", View.SIDE)
    assert check.measures == SIDE_WALK.measures()


def test_the_document_sections_are_present():
    doc = SIDE_WALK.to_dict()
    assert set(doc) == {
        "subject", "walking_segments", "events", "event_notes", "spatiotemporal", "symmetry",
        "foot_strike", "frontal", "footage", "gait_settings",
    }  # fmt: skip
    assert len(doc["events"]) == len(SIDE_WALK.events)
    assert doc["footage"] == {"refused": [], "not_enough_steps": {}}
