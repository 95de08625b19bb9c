"""Numbers with units as people read them."""

from __future__ import annotations

import math

import pytest

from posture.findings.units import (
    conversion_factor,
    format_number,
    format_quantity,
    format_uncertainty,
    unit_label,
)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (3.24, "deg", "3.2°"),
        (12.4, "mm", "12 mm"),
        (1.0324, "ratio", "1.032"),
        (55.55, "%", "55.5%"),  # round-half-even on the binary value
        (112.4, "steps/min", "112 steps/min"),
        (0.4567, "s", "0.457 s"),
        (3.14159, "", "3.14"),
        (7.0, "px", "7 px"),
        (1.234, "cm", "1.23 cm"),
    ],
)
def test_format_quantity_uses_the_units_precision_and_label(value, unit, text):
    assert format_quantity(value, unit) == text


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf])
def test_format_quantity_shows_an_en_dash_without_a_value(value):
    assert format_quantity(value, "deg") == "–"


def test_negative_zero_is_shown_as_zero():
    assert format_number(-0.0, "deg") == "0.0"
    assert format_quantity(-0.0, "mm") == "0 mm"


@pytest.mark.parametrize(("value", "unit", "text"), [(-0.04, "deg", "0.0"), (-0.2, "mm", "0")])
def test_a_small_negative_value_rounding_to_zero_is_shown_without_a_minus(value, unit, text):
    assert format_number(value, unit) == text


def test_format_number_says_n_a_for_non_finite():
    assert format_number(math.nan, "mm") == "n/a"


def test_unit_labels():
    assert [unit_label(u) for u in ("deg", "%", "ratio", "mm", "")] == ["°", "%", "", " mm", ""]


def test_format_uncertainty():
    assert format_uncertainty(0.84, "deg") == "±0.8°"
    assert format_uncertainty(None, "deg") == "uncertainty unknown"
    assert format_uncertainty(math.nan, "mm") == "uncertainty unknown"


def test_only_declared_conversions_exist_and_they_are_inverse():
    assert conversion_factor("mm", "mm") == 1.0
    assert conversion_factor("ratio", "%") == 100.0
    assert conversion_factor("ratio", "%") * conversion_factor("%", "ratio") == pytest.approx(1.0)
    assert conversion_factor("deg", "mm") is None
    assert conversion_factor("mm", "cm") is None
