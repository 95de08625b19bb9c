"""Gait plots: each writes a PNG that cv2 reads back, atomically, without changing pyplot's backend."""

from __future__ import annotations

import os

import cv2
import matplotlib
import numpy as np
import pytest

from posture.gait import analyse_gait
from posture.report.plots import plot_angle_cycles, plot_foot_trajectories, plot_step_series
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
