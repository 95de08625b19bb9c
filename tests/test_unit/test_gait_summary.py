"""The walking summary the terminal and the report show (planted walks, exact rows)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from posture.core.measure import Measure
from posture.core.view import View
from posture.gait import analyse_gait
from posture.gait import summary as ws
from tests.conftest import planted_walk


@pytest.fixture(scope="module")
def check():
    return analyse_gait(planted_walk()[0], height_cm=170).check_result()


def test_pace_and_both_sides_with_their_normal_ranges(check):
    rows = {r.label: r for r in ws.key_rows(check)}
    assert rows["Cadence"].right is None and rows["Cadence"].normal == "90 steps/min to 120 steps/min"
    stance = rows["Stance (foot on the floor)"]
    assert stance.left.startswith(f"{check.measures['stance_pct_left'].value:.2f} ±")  # a tiny spread
    speed = check.measures["speed_m_s"].value
    assert stance.normal == f"about {64.2 - 3.5 * speed:.0f}% at this speed"  # Kirtley
    assert rows["Step length"].left.endswith(" m")


@pytest.mark.parametrize(
    ("value", "sd", "verdict"),
    [(3.0, 2.0, "within measurement noise"), (-5.0, 2.0, "left longer"), (4.1, 2.0, "right longer")],
)
def test_a_difference_is_named_only_beyond_twice_its_uncertainty(value, sd, verdict):
    si = Measure("step_time_si_pct", value, "%", sd)
    assert ws.difference(si, "step time") == f"step time {value:+.1f}% ±{sd:.1f}% ({verdict})"
    assert "not judged" in ws.difference(replace(si, uncertainty=None), "step time")


def test_values_show_the_decimals_their_uncertainty_needs():
    assert ws.with_uncertainty(Measure("cadence_spm", 107.94, "steps/min", 0.45)) == "107.9 ±0.5 steps/min"
    assert ws.with_uncertainty(Measure("cadence_spm", 107.94, "steps/min", 3.0)) == "108 ±3 steps/min"
    assert ws.with_uncertainty(Measure("x", None, "s")) == "not measured"


def test_a_front_view_withholds_stance_and_says_why(check):
    front = replace(check, view=View.FRONT)
    note = "needs a side view: toe off is not timed reliably"
    measures = {k: replace(m, value=None, uncertainty=None, note=note) if k.startswith("stance_pct_") else m
                for k, m in front.measures.items()}  # fmt: skip
    front = replace(front, measures=measures)
    assert ws.withheld(front) == "needs a side view"
    assert "Stance (foot on the floor)" not in {r.label for r in ws.side_rows(front)}


@pytest.mark.parametrize(
    ("right", "sd", "flag", "difference"),
    [(0.62, 0.004, True, "right longer"), (0.62, 0.05, False, "within measurement noise")],
)
def test_result_json_flags_a_symmetry_index_only_beyond_the_threshold_and_its_noise(
    right, sd, flag, difference
):
    from posture.gait.spatiotemporal import Stat, symmetry

    sym = symmetry("step_time_s", Stat(0.55, sd * 2, 4), Stat(right, sd * 2, 4))
    assert sym.si_pct > 10.0  # beyond the 10% threshold either way
    assert (sym.flagged, sym.difference) == (flag, difference)
    assert sym.to_dict()["difference"] == difference


def test_the_heel_to_toe_pattern_is_summarised_per_side(check):
    rows = {r.label: r for r in ws.key_rows(check)}
    heel_first = check.measures["heel_strike_share_left"].value
    assert rows["Steps landing heel first"].left == f"{heel_first:.0f}%"  # a share of counted steps
    roll = rows["Heel to flat foot (roll-through)"]
    assert roll.left == ws.with_uncertainty(check.measures["roll_through_s_left"]) and roll.left.endswith(
        " s"
    )
    assert rows["Foot angle at landing"].right.endswith("°")
