"""The gait overlay: event markers at the feet for a short while, in the foot's side colour."""

from __future__ import annotations

import numpy as np

from posture.annotate.gait import MARK_S, Mark, draw_gait_frame, marks_from_events
from posture.annotate.skeleton import SIDE_COLOURS, line_width
from posture.data.skeleton import Landmark as L
from posture.data.skeleton import Side
from tests.test_unit._fixtures import black, person

XY = person(150, 100)


def _frame(time_s: float, marks: list[Mark], subject_xy: np.ndarray | None = XY) -> np.ndarray:
    return draw_gait_frame(black(400, 400), XY[None], [1], 1, subject_xy, time_s, 12, marks)


def _ring_pixels(frame: np.ndarray, centre: np.ndarray, radius: int) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    # Below the foot only: the skeleton and labels are above and to the right of it.
    angles = angles[(np.sin(angles) > 0.3)]
    xs = np.round(centre[0] + radius * np.cos(angles)).astype(int)
    ys = np.round(centre[1] + radius * np.sin(angles)).astype(int)
    return frame[ys, xs]


def test_marks_from_events_reads_side_kind_and_time():
    events = [{"side": "left", "kind": "heel_strike", "time_s": 1, "frame": 30}]
    assert marks_from_events(events) == [Mark("left", "heel_strike", 1.0)]


def test_a_fresh_heel_strike_is_ringed_at_the_heel_in_the_sides_colour():
    frame = _frame(1.0, [Mark("left", "heel_strike", 1.0)])
    radius = int(4 * line_width(frame) * 1.5)
    ring = _ring_pixels(frame, XY[L.LEFT_HEEL], radius)
    assert (ring == SIDE_COLOURS[Side.LEFT]).all(axis=1).mean() > 0.5


def test_a_right_toe_off_is_ringed_at_the_right_toe():
    frame = _frame(2.0, [Mark("right", "toe_off", 2.0)])
    radius = int(4 * line_width(frame) * 1.5)
    ring = _ring_pixels(frame, XY[L.RIGHT_FOOT_INDEX], radius)
    assert (ring == SIDE_COLOURS[Side.RIGHT]).all(axis=1).mean() > 0.5


def test_marks_show_only_from_their_time_for_mark_s_seconds():
    mark = [Mark("left", "heel_strike", 1.0)]
    plain = _frame(1.0, [])
    # The steps counter differs once the strike has happened, so compare below the text lines.
    below = (slice(150, 400), slice(None))
    assert (_frame(0.9, mark)[below] == _frame(0.9, [])[below]).all()  # not yet
    assert not (_frame(1.0, mark)[below] == plain[below]).all()
    last = 1.0 + MARK_S - 0.01
    assert not (_frame(last, mark)[below] == _frame(last, [])[below]).all()
    assert (_frame(1.0 + MARK_S + 0.05, mark)[below] == _frame(1.0 + MARK_S + 0.05, [])[below]).all()


def test_a_mark_shrinks_as_it_ages():
    mark = [Mark("left", "heel_strike", 1.0)]
    fresh = np.count_nonzero((_frame(1.0, mark) != _frame(1.0, [])).any(axis=2))
    old = np.count_nonzero((_frame(1.3, mark) != _frame(1.3, [])).any(axis=2))
    assert 0 < old < fresh


def test_the_step_counter_counts_heel_strikes_up_to_now():
    marks = [
        Mark("left", "heel_strike", 0.5),
        Mark("left", "toe_off", 0.9),
        Mark("right", "heel_strike", 1.1),
    ]
    counter = (slice(40, 80), slice(0, 200))
    # Far from the marks (so none is drawn), only the counter text can differ.
    at_zero_steps = _frame(10.0, [m for m in marks if m.time_s > 20])
    two_steps = _frame(10.0, marks)
    assert not (at_zero_steps[counter] == two_steps[counter]).all()
    two_steps_later = draw_gait_frame(black(400, 400), XY[None], [1], 1, XY, 10.0, 12, marks[:1] + marks[2:])
    assert (two_steps_later == two_steps).all()  # a toe off is not a step


def test_without_the_subjects_landmarks_no_marks_are_drawn():
    mark = [Mark("left", "heel_strike", 1.0)]
    assert (
        _frame(1.0, mark, subject_xy=None) == _frame(1.0, [Mark("left", "heel_strike", -5.0)], None)
    ).all()


def test_a_mark_at_a_missing_foot_is_skipped():
    xy = XY.copy()
    xy[L.LEFT_HEEL] = np.nan
    mark = [Mark("left", "heel_strike", 1.0)]
    with_mark = draw_gait_frame(black(400, 400), XY[None], [1], 1, xy, 1.0, 12, mark)
    without = draw_gait_frame(
        black(400, 400), XY[None], [1], 1, xy, 1.0, 12, [Mark("left", "heel_strike", -5.0)]
    )
    assert (with_mark == without).all()
