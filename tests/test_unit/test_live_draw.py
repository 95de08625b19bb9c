"""The live overlay draws what it says, where it says (no window needed)."""

import dataclasses
import math

import cv2
import numpy as np
import pytest

from posture.live import draw
from posture.live.state import LiveState
from posture.standing.scene import RollEstimate
from tests.conftest import stencil_person

H, W = 480, 640


def _reading(**changes):
    return dataclasses.replace(LiveState().update(0, 0.0, None, (W, H)), **changes)


def _has(frame, colour, region):
    """Whether any pixel in ``region`` (y0, y1, x0, x1) has ``colour``, possibly dimmed by anti-aliasing."""
    y0, y1, x0, x1 = region
    pixels = frame[y0:y1, x0:x1].reshape(-1, 3).astype(float)
    bright = pixels.max(axis=1)
    hue = pixels / np.maximum(bright, 1)[:, None]
    return bool(((bright > 80) & (np.abs(hue - np.array(colour) / max(colour)).max(axis=1) < 0.15)).any())


def test_rec_marker_only_while_recording():
    top_row = (0, 40, 0, W)
    nobody = np.zeros((0, 33, 2))
    idle = draw.draw_live(np.zeros((H, W, 3), np.uint8), nobody, None, _reading(), None, draw.Status())
    status = draw.Status(recording_s=2.5)
    rec = draw.draw_live(np.zeros((H, W, 3), np.uint8), nobody, None, _reading(), None, status)
    assert _has(rec, draw.REC_COLOUR, top_row) and not _has(idle, draw.REC_COLOUR, top_row)


@pytest.mark.parametrize("roll_deg", [0.0, 5.0, -5.0])
def test_level_guide_runs_along_the_true_horizontal(roll_deg):
    frame = np.zeros((H, W, 3), np.uint8)
    draw.draw_level_guide(frame, RollEstimate(roll_deg, 0.2, "lines"))
    x = W / 2 + 200
    y = H / 2 - 200 * math.tan(math.radians(roll_deg))  # counter-clockwise on a y-up picture
    near = (int(y) - 2, int(y) + 3, int(x) - 2, int(x) + 3)
    assert _has(frame, draw.LEVEL_COLOUR, near)
    wrong = H / 2 + 200 * math.tan(math.radians(roll_deg)) if roll_deg else H / 2 + 20
    assert not _has(frame, draw.LEVEL_COLOUR, (int(wrong) - 2, int(wrong) + 3, int(x) - 2, int(x) + 3))


def test_level_guide_through_a_given_point():
    frame = np.zeros((H, W, 3), np.uint8)
    draw.draw_level_guide(frame, RollEstimate(0.0, 0.2, "lines"), through=np.array([300.0, 100.0]))
    column = frame[:400, 320].astype(int)  # above the text at the bottom
    weight = column.sum(axis=1)
    assert np.average(np.arange(400), weights=weight) == pytest.approx(100, abs=0.5)
    assert column[100, 2] == 0 and column[100, 0] > 200  # cyan


def test_body_line_labels_stay_in_the_picture():
    frame = np.zeros((H, W, 3), np.uint8)
    draw.draw_body_line(
        frame, np.array([560.0, 200.0]), np.array([620.0, 200.0]), "shoulders +0.3 deg", (0, 0, 255)
    )
    text = (frame > 200).all(axis=-1)  # the label's white fill
    assert text.any() and np.flatnonzero(text.any(axis=0)).max() < 540  # written left of the line


def test_unknown_level_draws_no_guide():
    frame = np.zeros((H, W, 3), np.uint8)
    draw.draw_level_guide(frame, RollEstimate(0.0, None, "none"))
    assert not _has(frame, draw.LEVEL_COLOUR, (0, H, 0, W))


@pytest.mark.parametrize(("value", "colour"), [(0.9, draw.STEADY_COLOURS[1]), (0.3, draw.STEADY_COLOURS[0])])
def test_steadiness_bar_length_and_colour(value, colour):
    frame = np.zeros((H, W, 3), np.uint8)
    draw.draw_steadiness(frame, value)
    cols = np.flatnonzero((frame == colour).all(axis=-1).any(axis=0))
    assert cols.min() == 10 and cols.max() == pytest.approx(10 + 300 * draw._text_scale(frame) * value, abs=1)


def test_hip_and_shoulder_lines_are_drawn_for_the_subject_only_when_measured():
    people = stencil_person(220, 40, 2.0)[None]
    lines = _reading(hip_smooth_deg=1.5, shoulder_smooth_deg=-0.5)
    measured = draw.draw_live(np.zeros((H, W, 3), np.uint8), people, 0, lines, None, draw.Status())
    side = draw.draw_live(np.zeros((H, W, 3), np.uint8), people, 0, _reading(), None, draw.Status())
    everywhere = (0, H, 0, W)
    assert _has(measured, draw.HIP_COLOUR, everywhere) and _has(measured, draw.SHOULDER_COLOUR, everywhere)
    assert not _has(side, draw.HIP_COLOUR, everywhere) and not _has(side, draw.SHOULDER_COLOUR, everywhere)


def test_hints_are_wrapped_to_the_picture_width():
    lines = draw.wrap("turn sideways (front view; the left side should face the camera)", 300, 0.5)
    assert (
        len(lines) > 1
        and " ".join(lines) == "turn sideways (front view; the left side should face the camera)"
    )
    assert all(cv2.getTextSize(line, cv2.FONT_HERSHEY_SIMPLEX, 0.5, 1)[0][0] <= 300 for line in lines)
    assert draw.wrap("step back", 300, 0.5) == ["step back"]
