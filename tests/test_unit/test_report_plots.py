"""Gait plots: each writes a PNG that cv2 reads back, atomically, without changing pyplot's backend."""

from __future__ import annotations

import os
from dataclasses import replace

import cv2
import matplotlib
import numpy as np
import pytest

from posture.gait import analyse_gait
from posture.gait.summary import typical_range
from posture.report.plots import (
    STEP_PANELS,
    foot_heights,
    panel_limits,
    plot_angle_cycles,
    plot_foot_trajectories,
    plot_step_series,
    step_panels,
    step_series_caption,
)
from tests.conftest import planted_walk

WALK = analyse_gait(planted_walk()[0])
ORANGE_BGR, BLUE_BGR = (0, 140, 255), (255, 120, 0)  # the plots' left and right colours


def _has_colour(image: np.ndarray, bgr: tuple[int, int, int], tol: int = 10) -> bool:
    return bool((np.abs(image.astype(int) - bgr) <= tol).all(axis=2).any())


def _read(path) -> np.ndarray:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert image is not None, f"{path} is not a readable image"
    return image


def _feet(t: np.ndarray) -> dict:
    return {
        side: {"heel": 20 + 10 * np.sin(2 * np.pi * t + k), "toe": 25 + 10 * np.sin(2 * np.pi * t + k + 0.5)}
        for k, side in enumerate(("left", "right"))
    }


def test_foot_trajectories_png_shows_both_sides_colours(tmp_path):
    t = np.linspace(0, 3, 91)
    events = [
        {"side": "left", "kind": "heel_strike", "time_s": 0.5},
        {"side": "right", "kind": "toe_off", "time_s": 1.2},
    ]
    path = plot_foot_trajectories(t, _feet(t), events, tmp_path / "feet.png")
    assert path == tmp_path / "feet.png"
    image = _read(path)
    assert image.shape[1] > 600 and image.shape[0] > 300
    assert _has_colour(image, ORANGE_BGR) and _has_colour(image, BLUE_BGR)
    assert os.listdir(tmp_path) == ["feet.png"]


def test_foot_trajectories_of_a_real_walk(tmp_path):
    feet = WALK.feet
    height = {
        s: {"heel": 800 - feet.heel[s][:, 1], "toe": 800 - feet.toe[s][:, 1]} for s in ("left", "right")
    }
    events = [e.to_dict() for e in WALK.events]
    image = _read(plot_foot_trajectories(feet.time_s, height, events, tmp_path / "feet.png"))
    assert _has_colour(image, ORANGE_BGR) and _has_colour(image, BLUE_BGR)


def test_step_series_of_a_real_walk_draws_both_sides(tmp_path):
    image = _read(plot_step_series(WALK.steps, tmp_path / "steps.png"))
    assert _has_colour(image, ORANGE_BGR) and _has_colour(image, BLUE_BGR)


def _count(image: np.ndarray, bgr: tuple[int, int, int], tol: int = 10) -> int:
    return int((np.abs(image.astype(int) - bgr) <= tol).all(axis=2).sum())


def test_step_series_of_left_steps_only_draws_no_right_points(tmp_path):
    both = _read(plot_step_series(WALK.steps, tmp_path / "both.png"))
    left = [s for s in WALK.steps if s["side"] == "left"]
    image = _read(plot_step_series(left, tmp_path / "left.png"))
    assert _count(image, ORANGE_BGR) > 0
    # The legend still names the right side (its short line is blue); no right points are drawn.
    assert _count(image, BLUE_BGR) < 0.1 * _count(both, BLUE_BGR)


def test_angle_cycles_draw_the_sides_that_have_cycles(tmp_path):
    pct = np.linspace(0, 100, 101)
    curve = 30 * np.sin(np.pi * pct / 100)
    cycles = {"left_knee_flexion": (curve, np.full(101, 3.0), 4)}
    image = _read(plot_angle_cycles(cycles, tmp_path / "angles.png"))
    assert _has_colour(image, ORANGE_BGR) and not _has_colour(image, BLUE_BGR)
    both = {**cycles, "right_hip_flexion": (curve - 5, np.full(101, np.nan), 1)}
    image = _read(plot_angle_cycles(both, tmp_path / "angles.png"))
    assert _has_colour(image, BLUE_BGR)


def test_angle_cycles_without_any_cycle_still_write_a_png(tmp_path):
    image = _read(plot_angle_cycles({}, tmp_path / "angles.png"))
    assert not _has_colour(image, ORANGE_BGR) and not _has_colour(image, BLUE_BGR)


def test_a_plot_replaces_an_old_file_whole(tmp_path):
    (tmp_path / "steps.png").write_bytes(b"not a png")
    plot_step_series(WALK.steps, tmp_path / "steps.png")
    assert (tmp_path / "steps.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plotting_leaves_the_matplotlib_backend_alone(tmp_path):
    before = matplotlib.get_backend()
    plot_step_series(WALK.steps, tmp_path / "steps.png")
    assert matplotlib.get_backend() == before


@pytest.mark.parametrize("bad", [{"left": {"heel": np.zeros(3)}}])
def test_missing_foot_series_are_an_error_not_a_blank_plot(tmp_path, bad):
    with pytest.raises(KeyError):
        plot_foot_trajectories(np.arange(3.0), bad, [], tmp_path / "feet.png")
    assert os.listdir(tmp_path) == []


# --- readable step and foot plots -------------------------------------------------------------

MEASURES = WALK.check_result().measures
PANELS = {p.column: p for p in STEP_PANELS}


def test_the_side_view_draws_step_time_stance_and_foot_angle_and_says_pelvic_drop_needs_the_front():
    drawn, left_out = step_panels(WALK.steps, MEASURES)
    assert [p.column for p in drawn] == ["step_time_s", "stance_pct", "foot_angle_deg"]
    assert [(p.column, why) for p, why in left_out] == [("pelvic_drop_deg", "needs a front or back view")]
    assert step_series_caption(WALK.steps, MEASURES).endswith(
        "Not drawn: pelvic drop in single-leg stance, which needs a front or back view."
    )


def test_a_panel_whose_steps_have_no_value_is_not_drawn(tmp_path):
    no_angle = [{**row, "foot_angle_deg": None} for row in WALK.steps]
    drawn, _ = step_panels(no_angle, None)
    assert "foot_angle_deg" not in [p.column for p in drawn] and "step_time_s" in [p.column for p in drawn]
    full = _read(plot_step_series(WALK.steps, tmp_path / "full.png"))
    fewer = _read(plot_step_series(no_angle, tmp_path / "fewer.png"))
    assert fewer.shape[0] < full.shape[0] - 150  # one panel less, not an empty one


def test_what_the_check_did_not_measure_is_left_out_even_when_the_steps_hold_values():
    why = "needs a side view: from the front or back, toe off is not timed reliably"
    withheld = {
        name: replace(m, value=None, note=why)
        for name, m in MEASURES.items()
        if name.startswith("stance_pct_")
    }
    drawn, left_out = step_panels(WALK.steps, {**MEASURES, **withheld})
    assert "stance_pct" not in [p.column for p in drawn]
    assert (PANELS["stance_pct"], "needs a side view") in left_out
    assert "stance (share of the stride), which needs a side view" in step_series_caption(
        WALK.steps, {**MEASURES, **withheld}
    )


def test_no_step_at_all_still_writes_a_png_that_says_so(tmp_path):
    assert step_panels([], None) == ([], [])
    image = _read(plot_step_series([], tmp_path / "steps.png"))
    assert (image < 100).all(axis=2).any()  # dark text on white, not an empty panel


@pytest.mark.parametrize(
    ("column", "values"),
    [("step_time_s", [0.683, 0.700]), ("stance_pct", [67.0, 67.5]), ("foot_angle_deg", [18.0, 18.5])],
)
def test_a_small_difference_does_not_fill_the_panel(column, values):
    panel = PANELS[column]
    low, high = panel_limits(panel, values)
    assert (values[1] - values[0]) < 0.1 * (high - low)
    if panel.from_zero:
        assert low == 0.0
    if panel.neutral is not None:
        assert low <= panel.neutral <= high
    if typical_range(panel.measure):
        lo, hi = typical_range(panel.measure)
        assert low <= lo and hi <= high  # the shaded typical range is in view


def test_with_a_scale_foot_heights_are_centimetres_above_the_lowest_point():
    floor, px_per_m = 40.0, 250.0
    foot = {
        "heel": np.array([floor, floor + 0.10 * px_per_m]),
        "toe": np.array([floor + 0.02 * px_per_m, np.nan]),
    }
    heights = foot_heights(foot, px_per_m)
    assert heights["heel"] == pytest.approx([0.0, 10.0]) and heights["toe"][0] == pytest.approx(2.0)
    assert foot_heights(foot, None)["heel"] is foot["heel"]  # no scale: the pixels as given
