"""View detection and pixel size of a walker, on drawn side and front skeletons."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.gait.view import (
    SIDE_WIDTH_RATIO,
    apparent_height_px,
    body_height_px,
    detect_view,
    stature_px,
    width_ratio,
)
from tests.conftest import planted_walk
from tests.test_unit._fixtures import person


def _frames(xy: np.ndarray, n: int = 5) -> np.ndarray:
    return np.repeat(xy[None], n, axis=0)


def _side_on(xy: np.ndarray) -> np.ndarray:
    """The same person turned side-on: left and right points on top of each other (x from the midline)."""
    out = xy.copy()
    out[:, 0] = 50 + 0.1 * (out[:, 0] - 50)
    return out


def test_the_stencil_front_view_has_the_width_ratio_drawn():
    # Shoulders 40 px, hips 24 px apart; shoulders at y=40, hips at y=100: (40 + 24) / 2 / 60.
    assert width_ratio(_frames(person(0, 0))) == pytest.approx(32 / 60)


def test_a_front_view_is_frontal_and_says_why():
    assert detect_view(_frames(person(0, 0))) == (
        "frontal",
        f"shoulder/hip width is 0.53 of the torso height (side below {SIDE_WIDTH_RATIO})",
    )


def test_a_side_on_walker_is_a_side_view():
    kind, why = detect_view(_frames(_side_on(person(0, 0))))
    assert kind == "side"
    assert why.startswith("shoulder/hip width is 0.05 of the torso height")


def test_the_side_threshold_can_be_set():
    assert detect_view(_frames(person(0, 0)), side_width_ratio=0.6)[0] == "side"


def test_the_planted_walk_is_seen_from_the_side():
    seq, _ = planted_walk()
    assert detect_view(seq.xy_px[:, 0])[0] == "side"


@pytest.mark.filterwarnings("ignore:All-NaN slice encountered:RuntimeWarning")
def test_without_shoulders_or_hips_a_side_view_is_assumed():
    xy = _frames(person(0, 0))
    xy[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER]] = np.nan
    assert detect_view(xy) == ("side", "shoulders and hips not seen; assumed a side view")


def test_body_height_px_is_the_landmark_box_height_and_nan_when_unseen():
    xy = _frames(person(10, 20, scale=2.0), 3)
    xy[1] = np.nan
    heights = body_height_px(xy)
    assert heights[0] == heights[2] == pytest.approx(2 * (198 - 15))
    assert math.isnan(heights[1])


def test_stature_px_runs_from_the_extrapolated_head_top_to_the_lowest_foot_point():
    xy = _frames(person(0, 0))
    # Eyes at the nose (y=15), shoulders at y=40: the head top is 0.55 * 25 above the eyes; feet at 198.
    assert stature_px(xy) == pytest.approx(198 - (15 - 0.55 * 25))


def test_stature_px_scales_with_the_drawing():
    assert stature_px(_frames(person(0, 0, scale=3.0))) == pytest.approx(
        3 * stature_px(_frames(person(0, 0)))
    )


def test_stature_px_is_nan_when_no_frame_has_a_face_and_feet():
    xy = _frames(person(0, 0))
    xy[:, [L.LEFT_EYE, L.RIGHT_EYE]] = np.nan
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        assert math.isnan(stature_px(xy))


def test_apparent_height_follows_a_steady_approach_and_fills_gaps():
    fps, n = 30.0, 90
    t = np.arange(n) / fps
    xy = np.stack([person(0, 0, scale=1.0 + 0.2 * ti) for ti in t])
    xy[40:43] = np.nan
    heights = apparent_height_px(xy, t, fps)
    assert np.isfinite(heights).all()
    truth = 183 * (1.0 + 0.2 * t)
    assert np.abs(heights[10:-10] - truth[10:-10]).max() < 1.0
