"""The history's trend panels: plain titles, units, the shaded range, an honest y axis."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from posture.core.names import PLAIN
from posture.findings import load_knowledge
from posture.gait.summary import NORMAL
from posture.history.compare import Point, Series
from posture.history.plots import (
    MIN_SPAN_SD,
    figure_png,
    reference_range,
    screening_range,
    trend_figure,
    trend_figures,
    trend_names,
    typical_range,
    value_limits,
)

KNOWLEDGE = load_knowledge()
JAN, MAR, MAY = datetime(2026, 1, 5), datetime(2026, 3, 2), datetime(2026, 5, 11)


def _series(name: str, unit: str, values, sd=0.5, kind="photo", side=None) -> Series:
    dates = (JAN, MAR, MAY)[: len(values)]
    points = tuple(Point(k, d, v, sd) for k, (d, v) in enumerate(zip(dates, values, strict=True), 1))
    return Series(kind, name, side, unit, points)


def _mildest(measure: str) -> list[float]:
    """The knowledge base's mildest thresholds for ``measure`` (read, not restated)."""
    return [t.bands[0].threshold for r in KNOWLEDGE.findings for t in r.triggers if t.measure == measure]


def test_a_panel_is_titled_with_the_plain_name_and_labelled_with_the_unit():
    fig = trend_figure(
        "pelvic_obliquity_deg", [_series("pelvic_obliquity_deg", "deg", [2.8, 0.3])], KNOWLEDGE
    )
    (ax,) = fig.axes
    assert ax.get_title() == PLAIN["pelvic_obliquity_deg"] == "Hip line tilt"
    assert ax.get_ylabel() == "degrees"
    assert figure_png(fig)[:8] == b"\x89PNG\r\n\x1a\n"


def test_each_side_is_one_line_with_its_uncertainty_bars():
    series = [
        _series("knee_alignment_deg", "deg", [3.0, 3.2], side="left"),
        _series("knee_alignment_deg", "deg", [4.0, 2.6], side="right"),
    ]
    (ax,) = trend_figure("knee_alignment_deg", series, KNOWLEDGE).axes
    assert ax.get_title() == "Knee alignment"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["left", "right"]
    assert len(ax.containers) == 2  # one errorbar container per side


def test_the_no_finding_range_comes_from_the_knowledge_bases_mildest_bands():
    (mild,) = set(_mildest("pelvic_obliquity_deg"))  # left and right hip higher: the same threshold
    shaded = screening_range(KNOWLEDGE, "pelvic_obliquity_deg", None, "deg")
    assert (shaded.low, shaded.high) == (-mild, mild)
    assert screening_range(KNOWLEDGE, "pelvic_obliquity_deg", None, "mm") is None  # bands are in degrees
    assert screening_range(KNOWLEDGE, "leg_length_diff_mm", None, "mm") is None  # no rule: nothing shaded
    trunk = screening_range(KNOWLEDGE, "trunk_lean_deg", None, "deg")  # leans forward / back, around -3
    assert (trunk.low, trunk.high) == (-11.0, 5.0)
    knee = screening_range(KNOWLEDGE, "knee_alignment_deg", "left", "deg")
    assert (knee.low, knee.high) == (
        -min(_mildest("knee_alignment_deg_{side}")),
        min(_mildest("knee_alignment_deg_{side}")),
    )


def test_walking_ranges_are_the_summarys_typical_adult_ranges():
    assert (typical_range("cadence_spm").low, typical_range("cadence_spm").high) == NORMAL["cadence_spm"]
    step = typical_range("step_time_s")
    assert step.low == pytest.approx(60 / NORMAL["cadence_spm"][1]) and step.high == pytest.approx(
        60 / NORMAL["cadence_spm"][0]
    )
    assert reference_range("cadence_spm", None, "steps/min", KNOWLEDGE).label == "typical adult range"


def test_the_shaded_range_is_drawn_and_inside_the_axis():
    fig = trend_figure(
        "pelvic_obliquity_deg", [_series("pelvic_obliquity_deg", "deg", [0.3, 0.2], sd=0.1)], KNOWLEDGE
    )
    (ax,) = fig.axes
    low, high = ax.get_ylim()
    (mild,) = set(_mildest("pelvic_obliquity_deg"))
    assert low < -mild and high > mild  # not zoomed into 0.2 vs 0.3
    assert len(ax.patches) == 1  # the band


@pytest.mark.parametrize(
    ("values", "sd", "neutral", "must_span"),
    [
        ([0.683, 0.700], [0.003, 0.003], 0.0, (0.0, 0.700)),  # durations: from zero
        ([1.001, 0.999], [0.01, 0.01], 1.0, (0.99, 1.01)),  # a ratio: around 1, at least 4 SD wide
        ([105.0, 107.0], [0.5, 0.5], None, (104.5, 107.5)),
    ],
)
def test_the_y_axis_spans_the_neutral_value_and_at_least_four_uncertainties(values, sd, neutral, must_span):
    low, high = value_limits(np.array(values), np.array(sd), neutral, None)
    assert low <= must_span[0] and high >= must_span[1]
    assert high - low >= MIN_SPAN_SD * max(sd)


def test_the_dates_are_the_sessions_days_and_do_not_collide():
    fig = trend_figure("pelvic_obliquity_deg", [_series("pelvic_obliquity_deg", "deg", [2.8, 1.0, 0.3])])
    (ax,) = fig.axes
    figure_png(fig)  # lays the ticks out
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["5 Jan\n2026", "2 Mar\n2026", "11 May\n2026"]
    boxes = [t.get_window_extent() for t in ax.get_xticklabels()]
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))


def test_one_panel_per_headline_measure_in_its_best_unit():
    series = [
        _series("hip_height_diff_px", "px", [5.0, 1.0]),
        _series("hip_height_diff_pct_hip_width", "%", [4.9, 0.6]),
        _series("pelvic_obliquity_deg", "deg", [2.8, 0.3]),
        _series("shoulder_tilt_deg", "deg", [0.1]),  # one session: no trend
        _series("cadence_spm", "steps/min", [105.0, 108.0], kind="gait"),
    ]
    assert trend_names("photo", series) == ["pelvic_obliquity_deg", "hip_height_diff_pct_hip_width"]
    titles = [f.axes[0].get_title() for f in trend_figures("photo", series, KNOWLEDGE)]
    assert titles == ["Hip line tilt", "Hip height difference (share of hip width)"]
    assert [f.axes[0].get_title() for f in trend_figures("gait", series, KNOWLEDGE)] == ["Cadence"]
