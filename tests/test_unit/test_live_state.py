"""Live readings on landmarks with exactly known geometry: smoothing, steadiness, angles, hints."""

import math

import numpy as np
import pytest

from posture.core.geometry import unroll
from posture.core.view import View
from posture.data.skeleton import Landmark as L
from posture.live import state
from posture.live.state import Hint, LiveState, Smoother
from tests.conftest import stencil_person

SIZE = (640, 480)  # width, height


def _front(x0=270.0, y0=30.0, scale=2.0, left_hip_up=0.0, left_shoulder_up=0.0):
    """A standing stencil facing the camera (subject's left on the image right), 400 px tall."""
    xy = stencil_person(x0, y0, scale)
    xy[L.LEFT_HIP, 1] -= left_hip_up
    xy[L.LEFT_SHOULDER, 1] -= left_shoulder_up
    return xy


def _facing_z():
    """Depths of a person facing the camera: the nose nearer than the ears."""
    z = np.zeros(33)
    z[L.NOSE] = -0.1
    return z


def _actions(hints):
    return [h.action for h in hints]


# --- smoothing -------------------------------------------------------------------------------------


def test_smoother_takes_the_first_value_as_is():
    assert Smoother(tau_s=0.5).update(3.0, 10.0) == 3.0


def test_smoother_step_response_after_one_time_constant():
    s = Smoother(tau_s=0.5)
    s.update(0.0, 0.0)
    assert s.update(1.0, 0.5) == pytest.approx(1.0 - math.exp(-1.0))


def test_smoother_follows_time_not_frame_count():
    """Two steps of dt/2 move the estimate exactly as far as one step of dt (constant input)."""
    a, b = Smoother(tau_s=0.4), Smoother(tau_s=0.4)
    a.update(0.0, 0.0)
    b.update(0.0, 0.0)
    a.update(2.0, 0.1)
    a.update(2.0, 0.2)
    assert a.value == pytest.approx(b.update(2.0, 0.2))


def test_smoother_holds_through_short_gaps_and_forgets_after_long_ones():
    s = Smoother(tau_s=0.5, reset_after_s=1.0)
    s.update(4.0, 0.0)
    assert s.update(math.nan, 0.5) == 4.0
    assert math.isnan(s.update(math.nan, 1.5))
    assert s.update(-2.0, 1.6) == -2.0  # starts afresh, no blending with the old 4.0


def test_recent_values_keep_only_the_window():
    recent = state.RecentValues(window_s=1.0)
    for t in (0.0, 0.5, 1.0):
        recent.add(t, t)
    recent.add(math.nan, 1.2)
    np.testing.assert_array_equal(recent.add(9.0, 1.6), [1.0, 9.0])


# --- steadiness ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "spread", "steady"),
    [
        ([1.0] * 6, 0.0, 1.0),
        ([-0.5, 0.5] * 3, 0.5, 0.75),
        ([-1.0, 1.0] * 3, 1.0, 0.5),
        ([-3.0, 3.0] * 3, 3.0, 0.0),  # beyond full scale: clipped at 0
        ([1.0, math.nan, 2.0, math.nan, 1.0, 2.0, 1.0, 2.0], 0.5, 0.75),  # NaN (not seen) is left out
    ],
)
def test_steadiness_from_spread(values, spread, steady):
    assert state.spread_deg(np.array(values)) == pytest.approx(spread)
    assert state.steadiness(state.spread_deg(np.array(values)), full_scale_deg=2.0) == pytest.approx(steady)


def test_steadiness_needs_enough_samples():
    assert math.isnan(state.spread_deg(np.array([1.0, 2.0, 3.0]), min_samples=5))
    assert math.isnan(state.steadiness(math.nan))


# --- angles ----------------------------------------------------------------------------------------


def test_line_angles_of_a_raised_left_hip_and_shoulder():
    # stencil at scale 2: hips 48 px apart, shoulders 80 px apart
    xy = _front(left_hip_up=48 * math.tan(math.radians(5)), left_shoulder_up=-80 * math.tan(math.radians(2)))
    hip, shoulder = state.line_angles(xy, View.FRONT, 0.0, SIZE)
    assert hip == pytest.approx(5.0) and shoulder == pytest.approx(-2.0)


def test_line_angles_undo_the_camera_roll():
    xy = _front(left_hip_up=48 * math.tan(math.radians(3)))
    centre = (SIZE[0] / 2, SIZE[1] / 2)
    rolled = unroll(xy, -4.0, centre)  # a camera rolled by +4 degrees
    hip, shoulder = state.line_angles(rolled, View.FRONT, 4.0, SIZE)
    assert hip == pytest.approx(3.0) and shoulder == pytest.approx(0.0, abs=1e-9)
    assert state.line_angles(rolled, View.FRONT, 0.0, SIZE)[0] == pytest.approx(7.0)


def test_line_angles_fix_back_view_labels_and_skip_side_views():
    xy = _front(left_hip_up=48 * math.tan(math.radians(5)))
    # labelled as if facing the camera although seen from behind: the labels are swapped back
    assert state.line_angles(xy, View.BACK, 0.0, SIZE)[0] == pytest.approx(-5.0)
    assert all(math.isnan(a) for a in state.line_angles(xy, View.LEFT, 0.0, SIZE))


def test_mirror_mean_of_a_biased_pair_cancels_the_bias():
    xy = _front()
    biased = xy.copy()
    biased[L.LEFT_HIP, 1] -= 4.0  # the model's bias: left hip found 4 px too high ...
    in_mirror = state.unmirror(xy, SIZE[0])  # the body in the mirror image (unmirror is its own inverse)
    in_mirror[L.LEFT_HIP, 1] -= 4.0  # ... in the mirror image too, where that label is the other hip
    averaged = state.mirror_mean(biased, in_mirror[None], SIZE[0])
    assert state.line_angles(averaged, View.FRONT, 0.0, SIZE)[0] == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(state.unmirror(state.unmirror(xy, 640), 640), xy)


def test_mirror_mean_ignores_a_twin_that_is_someone_else():
    xy = _front(x0=40.0)
    stranger = state.unmirror(_front(x0=400.0), SIZE[0])
    np.testing.assert_array_equal(state.mirror_mean(xy, stranger[None], SIZE[0]), xy)
    np.testing.assert_array_equal(state.mirror_mean(xy, np.zeros((0, 33, 2)), SIZE[0]), xy)


def test_choose_subject_is_the_tallest():
    people = np.stack([_front(scale=1.0), _front(x0=20.0, scale=2.0), _front(x0=400.0, scale=1.5)])
    assert state.choose_subject(people) == 1
    assert state.choose_subject(np.zeros((0, 33, 2))) is None


# --- framing hints ---------------------------------------------------------------------------------


def test_a_well_framed_subject_gets_no_hint():
    assert state.framing_hints(_front(), View.FRONT, SIZE) == []


def test_feet_cut_off_at_the_bottom_means_step_back():
    hints = state.framing_hints(
        _front(y0=120.0), View.FRONT, SIZE
    )  # ankles and heels at y 500-510, below the 480 px picture
    assert _actions(hints) == ["step back"]
    assert "left_heel" in hints[0].reason and "left_knee" not in hints[0].reason


def test_cut_off_at_a_side_means_move_to_the_middle():
    hints = state.framing_hints(_front(x0=500.0), View.FRONT, SIZE)
    assert _actions(hints) == ["move to the middle"]
    assert "left_shoulder" in hints[0].reason and "right_shoulder" not in hints[0].reason


@pytest.mark.parametrize(
    ("scale", "action"),
    [(0.8, "come closer"), (2.5, "step back a little")],  # nose to heels 144 px and 450 px of 480 px
)
def test_subject_size(scale, action):
    xy = stencil_person(300.0, 475 - 195 * scale, scale)
    assert _actions(state.framing_hints(xy, View.FRONT, SIZE)) == [action]


def test_half_turned_subject():
    xy = _front()
    centre = xy[:, 0].mean()
    xy[:, 0] = centre + (xy[:, 0] - centre) * 0.6  # shoulders 48 px for a 120 px torso: ratio 0.4
    assert _actions(state.framing_hints(xy, View.FRONT, SIZE)) == [
        "square up to the camera or turn fully sideways"
    ]
    assert _actions(state.framing_hints(xy, View.FRONT, SIZE, wanted=View.FRONT)) == [
        "square up to the camera"
    ]


@pytest.mark.parametrize(
    ("seen", "wanted", "action"),
    [
        (View.FRONT, View.LEFT, "turn sideways"),
        (View.RIGHT, View.LEFT, "turn round"),
        (View.LEFT, View.LEFT, None),
        (View.LEFT, View.FRONT, "face the camera"),
        (View.FRONT, View.BACK, "turn your back to the camera"),
        (View.BACK, View.BACK, None),
        (View.BACK, None, None),
    ],
)
def test_turn_hints(seen, wanted, action):
    hints = state.framing_hints(_front(), seen, SIZE, wanted)
    assert _actions(hints) == ([] if action is None else [action])


def test_leaning_subject_is_asked_to_stand_upright():
    xy = _front()
    upper = [L.NOSE, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_EAR, L.RIGHT_EAR]
    xy[upper, 0] += 60.0  # shoulders 60 px right of the hips over a 120 px torso: 26.6 degrees
    assert _actions(state.framing_hints(xy, View.FRONT, SIZE)) == ["stand upright"]


# --- the state over frames -------------------------------------------------------------------------


def test_state_reads_nobody():
    reading = LiveState().update(0, 0.0, None, SIZE)
    assert reading.people == 0 and reading.view is None and reading.hints == (state.NOBODY,)
    assert math.isnan(reading.hip_deg) and math.isnan(reading.steadiness)


def test_state_over_still_frames_then_a_jump():
    live = LiveState()
    still = (_front(left_hip_up=48 * math.tan(math.radians(2))), _facing_z())
    readings = [live.update(k, k / 10, still, SIZE) for k in range(6)]
    assert readings[0].view is View.FRONT and readings[0].hints == ()
    assert [math.isnan(r.steadiness) for r in readings] == [True] * 4 + [False] * 2
    assert readings[-1].steadiness == 1.0 and readings[-1].hip_smooth_deg == pytest.approx(2.0)
    moved = (_front(left_hip_up=48 * math.tan(math.radians(6))), _facing_z())
    jump = live.update(6, 0.6, moved, SIZE)
    assert jump.hip_deg == pytest.approx(6.0)
    assert jump.hip_smooth_deg == pytest.approx(2.0 + (1 - math.exp(-0.1 / state.SMOOTHING_TAU_S)) * 4.0)
    assert jump.steadiness < 1.0


def test_side_view_steadiness_comes_from_the_trunk():
    live = LiveState()
    xy = _front()
    xy[:, 0] = 300.0 + (xy[:, 0] - 300.0) * 0.1  # very narrow: a side view
    z = np.zeros(33)
    z[[L.LEFT_SHOULDER, L.LEFT_HIP]] = -0.2  # the left side nearer the camera
    readings = [live.update(k, k / 10, (xy, z), SIZE) for k in range(5)]
    assert readings[-1].view is View.LEFT and math.isnan(readings[-1].hip_deg)
    assert readings[-1].steadiness == 1.0


def test_summary_counts_frames_and_hints():
    live = LiveState()
    frames = [None, (_front(), _facing_z()), (_front(y0=120.0), _facing_z()), None]
    readings = [live.update(k, k / 10, pose, SIZE) for k, pose in enumerate(frames)]
    summary = state.summarise(readings)
    assert (summary.frames, summary.seen, summary.measured) == (4, 2, 2)
    assert summary.hints == [("step into the picture", 2), ("step back", 1)]
    assert summary.hip_deg == pytest.approx(0.0)
    assert readings[2].to_row()["hints"].startswith("whole body not in view (")


def test_hint_text():
    assert Hint("step back", "feet cut off").text == "feet cut off: step back"
