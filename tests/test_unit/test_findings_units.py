"""Numbers with units as people read them."""

from __future__ import annotations

import math

import pytest

from posture.core.measure import Measure
from posture.findings.units import (
    SIDE_WORDS,
    conversion_factor,
    format_number,
    format_quantity,
    format_uncertainty,
    side_phrase,
    supported_digits,
    uncertainty_number,
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


@pytest.mark.parametrize(
    ("uncertainty", "unit", "text"),
    [
        (0.0, "deg", "±<0.1°"),  # a perfectly even synthetic walk
        (0.04, "deg", "±<0.1°"),
        (0.05001, "deg", "±0.1°"),
        (0.0004, "s", "±<0.001 s"),
        (0.3, "mm", "±<1 mm"),
        (0.0, "%", "±<0.1%"),
        (-0.5, "deg", "±0.5°"),
    ],
)
def test_a_shown_uncertainty_never_reads_as_zero(uncertainty, unit, text):
    assert format_uncertainty(uncertainty, unit) == text


@pytest.mark.parametrize(
    ("uncertainty", "unit", "digits"),
    [(4.2, "mm", 0), (0.3, "deg", 1), (1.9, "deg", 1), (4.3, "deg", 0), (14.0, "mm", 0), (0.0021, "s", 3),
     (0.042, "s", 2), (0.42, "s", 1), (None, "deg", 1), (0.0, "deg", 1)],
)  # fmt: skip
def test_digits_follow_the_uncertainty_but_never_exceed_the_unit_s_own(uncertainty, unit, digits):
    assert supported_digits(uncertainty, unit) == digits


def _m(name, value, unit, uncertainty):
    return Measure(name, value, unit, uncertainty)


@pytest.mark.parametrize(
    ("measure", "text"),
    [
        (_m("hip_height_diff_mm", 9.37, "mm", 4.2), "left hip higher by 9 mm (± 4)"),
        (_m("hip_height_diff_mm", -3.1, "mm", 4.2), "about level (within ± 4 mm)"),
        (_m("pelvic_obliquity_deg", -2.83, "deg", 1.9), "right hip higher by 2.8° (± 1.9)"),
        (_m("pelvic_obliquity_deg", 5.86, "deg", 4.3), "left hip higher by 6° (± 4)"),
        (_m("shoulder_tilt_deg", -3.04, "deg", 0.3), "right shoulder higher by 3.0° (± 0.3)"),
        (_m("lateral_pelvic_shift_pct_hip_width", 12.0, "%", 2.0), "pelvis shifted left by 12.0% (± 2.0)"),
        (_m("leg_length_ratio", 0.968, "ratio", 0.005), "right leg longer by 3.2% (± 0.5)"),
        (_m("pelvic_obliquity_deg", 2.83, "deg", None), "left hip higher by 2.8° (uncertainty unknown)"),
        (_m("pelvic_obliquity_deg", 0.0, "deg", 0.0), "about level (within ± <0.1°)"),
        (_m("trunk_lean_deg", -12.0, "deg", 0.5), "trunk leans back by 12.0° (± 0.5)"),
    ],
)
def test_side_phrase_says_which_side_rounded_to_what_the_uncertainty_supports(measure, text):
    assert side_phrase(measure) == text


@pytest.mark.parametrize("name", sorted(SIDE_WORDS))
@pytest.mark.parametrize("magnitude", [0.8, 7.5, 23.0])
def test_mirroring_a_measure_flips_its_side_word(name, magnitude):
    words = SIDE_WORDS[name]
    unit = "ratio" if name == "leg_length_ratio" else "deg"
    size = magnitude / 100 if unit == "ratio" else magnitude
    plus = side_phrase(_m(name, words.reference + size, unit, size / 4))
    minus = side_phrase(_m(name, words.reference - size, unit, size / 4))
    assert plus is not None and minus is not None
    assert plus.startswith(words.positive) and minus.startswith(words.negative)
    assert plus.removeprefix(words.positive) == minus.removeprefix(words.negative)


def test_side_phrase_on_a_picture_is_ascii_and_gives_none_without_a_value_or_words():
    text = side_phrase(_m("pelvic_obliquity_deg", 2.83, "deg", 0.34), ascii_only=True)
    assert text == "left hip higher by 2.8 deg (+/- 0.3)"
    assert text.isascii()
    assert side_phrase(_m("pelvic_obliquity_deg", None, "deg", 0.3)) is None
    assert side_phrase(_m("stance_pct_left", 60.0, "%", 1.0)) is None


def test_uncertainty_number_uses_the_digits_given():
    assert uncertainty_number(4.2, "mm", 0) == "4"
    assert uncertainty_number(0.2, "mm", 0) == "<1"


def test_the_side_words_follow_the_declared_mirroring():
    """A measure that flips sign (or inverts) in a mirrored picture names the left for + and the right
    for -, as docs/measures.md declares; one that stays the same in a mirror names no side."""
    from posture.standing.mirror import MIRRORING, Mirroring

    for name, mirroring in MIRRORING.items():
        if mirroring in (Mirroring.FLIP, Mirroring.INVERT):
            words = SIDE_WORDS[name]
            assert words.positive.startswith("left") or " left" in words.positive, name
            assert words.negative == words.positive.replace("left", "right"), name
    for name, words in SIDE_WORDS.items():
        if MIRRORING.get(name) is Mirroring.SAME:
            assert "left" not in words.positive and "right" not in words.negative, name
