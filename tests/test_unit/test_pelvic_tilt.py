"""Anterior pelvic tilt proxy on drawn side-view silhouettes with known geometry (no pose model)."""

from __future__ import annotations

import numpy as np
import pytest

from posture.core.view import View
from posture.data.skeleton import MIRROR
from posture.data.skeleton import Landmark as L
from posture.standing import pelvic_tilt as pt

WIDTH, HEIGHT = 400, 1000
HIP = (200.0, 550.0)
TRUNK_PX = 250.0  # shoulder 250 px above the hip


def side_landmarks(facing_right: bool = True) -> np.ndarray:
    """(33, 2) landmarks of a subject standing upright, facing image right (or left); NaN elsewhere."""
    f = 1.0 if facing_right else -1.0
    xy = np.full((33, 2), np.nan)
    points = {
        (L.LEFT_SHOULDER, L.RIGHT_SHOULDER): (0.0, -TRUNK_PX),
        (L.LEFT_HIP, L.RIGHT_HIP): (0.0, 0.0),
        (L.LEFT_KNEE, L.RIGHT_KNEE): (0.0, 210.0),
        (L.LEFT_EAR, L.RIGHT_EAR): (0.0, -340.0),
        (L.NOSE,): (40.0 * f, -330.0),
    }
    for marks, (dx, dy) in points.items():
        for m in marks:
            xy[m] = (HIP[0] + dx, HIP[1] + dy)
    return xy


def bump(y: np.ndarray, centre: float, size: float, width: float = 40.0) -> np.ndarray:
    """A smooth bump of height ``size`` px centred on row ``centre``."""
    return size * np.exp(-(((y - centre) / width) ** 2))


def side_mask(buttocks_px: float = 0.0, lordosis_px: float = 0.0, facing_right: bool = True) -> np.ndarray:
    """A float (H, W) silhouette from row 250 to 900, 60 px either side of the hip line.

    ``buttocks_px`` pushes the back edge backwards at the level of the hip (row 550), where
    the buttocks bulge most when the pelvis tips forward;
    ``lordosis_px`` pulls it forwards at the waist (row 480).
    """
    y = np.arange(HEIGHT, dtype=float)
    front = np.full(HEIGHT, 60.0)
    back = 60.0 + bump(y, HIP[1], buttocks_px) - bump(y, 480.0, lordosis_px)
    mask = np.zeros((HEIGHT, WIDTH))
    for row in range(250, 900):
        x0, x1 = int(round(HIP[0] - back[row])), int(round(HIP[0] + front[row]))
        mask[row, x0:x1] = 1.0
    return mask if facing_right else mask[:, ::-1].copy()


def mirrored(xy: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The same picture flipped left-right (landmark labels swapped as a model would)."""
    out = xy[list(MIRROR)].copy()
    out[:, 0] = mask.shape[1] - out[:, 0]
    return out, mask[:, ::-1].copy()


def test_rectangle_features_are_exact():
    """A straight-sided body gives front +60 px and back -60 px at every level (pixel centres)."""
    feats = pt.pelvic_tilt_features(side_landmarks(), side_mask(), View.RIGHT, pt.LEVELS)
    n = len(pt.LEVELS)
    np.testing.assert_allclose(feats[:n], (259.5 - HIP[0]) / TRUNK_PX)
    np.testing.assert_allclose(feats[n:], (140.5 - HIP[0]) / TRUNK_PX)


def test_buttock_protrusion_moves_the_back_edge_back():
    n = len(pt.LEVELS)
    flat = pt.pelvic_tilt_features(side_landmarks(), side_mask(), View.RIGHT, pt.LEVELS)
    bulge = pt.pelvic_tilt_features(side_landmarks(), side_mask(buttocks_px=20), View.RIGHT, pt.LEVELS)
    at_hip = pt.LEVELS.index(0.0)
    assert bulge[n + at_hip] == pytest.approx(flat[n + at_hip] - 20 / TRUNK_PX, abs=1 / TRUNK_PX)
    np.testing.assert_array_equal(bulge[:n], flat[:n])


@pytest.mark.parametrize(
    ("small", "large"),
    [
        ({"buttocks_px": 0.0}, {"buttocks_px": 25.0}),
        ({"lordosis_px": 0.0}, {"lordosis_px": 20.0}),
        ({}, {"buttocks_px": 25.0, "lordosis_px": 20.0}),
    ],
)
def test_more_lordosis_or_buttock_protrusion_gives_more_anterior_tilt(small, large):
    xy = side_landmarks()
    low = pt.estimate_anterior_pelvic_tilt(xy, side_mask(**small), View.RIGHT)
    high = pt.estimate_anterior_pelvic_tilt(xy, side_mask(**large), View.RIGHT)
    assert low.known and high.known
    assert high.value > low.value + 1.0


def test_left_view_and_its_mirror_right_view_agree():
    xy, mask = side_landmarks(facing_right=False), side_mask(25.0, 10.0, facing_right=False)
    xy[L.RIGHT_HIP, 0] += 3.0  # make the pair asymmetric so that the label swap matters
    left = pt.estimate_anterior_pelvic_tilt(xy, mask, View.LEFT)
    right = pt.estimate_anterior_pelvic_tilt(*mirrored(xy, mask), View.RIGHT)
    assert left.known
    assert right.value == pytest.approx(left.value, abs=1e-9)


def test_measure_metadata():
    m = pt.estimate_anterior_pelvic_tilt(side_landmarks(), side_mask(), View.RIGHT)
    assert (m.name, m.unit, m.estimate) == ("anterior_pelvic_tilt_deg", "deg", True)
    assert m.uncertainty == pt.HELD_OUT_RMSE_DEG
    assert "ASIS-PSIS" in m.meaning and "positive = anterior" in m.meaning


def _lying(xy: np.ndarray) -> np.ndarray:
    out = xy.copy()
    out[L.LEFT_SHOULDER] = out[L.RIGHT_SHOULDER] = (HIP[0] + TRUNK_PX, HIP[1])
    return out


def _no_hips(xy: np.ndarray) -> np.ndarray:
    out = xy.copy()
    out[[L.LEFT_HIP, L.RIGHT_HIP]] = np.nan
    return out


def _split_knees(xy: np.ndarray) -> np.ndarray:
    out = xy.copy()
    out[L.LEFT_KNEE, 1] -= 80.0
    return out


@pytest.mark.parametrize(
    ("xy_change", "mask", "view", "note"),
    [
        (None, side_mask(), View.FRONT, "side view"),
        (None, None, View.RIGHT, "no segmentation mask"),
        (None, side_mask(), View.LEFT, "nose is not ahead"),
        (None, np.zeros((HEIGHT, WIDTH)), View.RIGHT, "outside the segmentation mask"),
        (None, side_mask()[:600], View.RIGHT, "cut off"),
        (_lying, side_mask(), View.RIGHT, "not a standing pose"),
        (_no_hips, side_mask(), View.RIGHT, "landmarks not seen: hip"),
        (_split_knees, side_mask(), View.RIGHT, "knees"),
    ],
)
def test_unusable_input_gives_none_with_a_note(xy_change, mask, view, note):
    xy = side_landmarks()
    m = pt.estimate_anterior_pelvic_tilt(xy_change(xy) if xy_change else xy, mask, view)
    assert m.value is None and not m.known
    assert note in m.note


def test_too_deep_silhouette_is_rejected():
    mask = side_mask()
    mask[250:900, 20:380] = 1.0  # 360 px deep: 1.44 trunk lengths
    m = pt.estimate_anterior_pelvic_tilt(side_landmarks(), mask, View.RIGHT)
    assert m.value is None and "deep" in m.note


@pytest.mark.parametrize(
    ("xy", "mask", "message"),
    [(np.zeros((17, 2)), side_mask(), "(33, 2)"), (side_landmarks(), np.zeros((5, 5, 3)), "(H, W)")],
)
def test_wrong_shapes_raise(xy, mask, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        pt.estimate_anterior_pelvic_tilt(xy, mask, View.RIGHT)


def test_fit_recovers_a_linear_rule_and_round_trips():
    rng = np.random.default_rng(0)
    levels = (0.0, 0.1)
    x = rng.normal(size=(200, 4))
    y = 5.0 + x @ np.array([2.0, -1.0, 0.5, 3.0])
    model = pt.fit_tilt_model(x, y, levels, alpha=1e-8)
    np.testing.assert_allclose(model.predict(x), y, atol=1e-4)
    again = pt.TiltModel.from_dict(model.to_dict())
    np.testing.assert_allclose(again.predict(x), model.predict(x))


def test_model_file_with_wrong_lengths_is_refused():
    data = pt.load_tilt_model().to_dict()
    data["coef"] = data["coef"][:-1]
    with pytest.raises(ValueError, match="expected arrays of length"):
        pt.TiltModel.from_dict(data)
