"""The standing check's landmark measures from a PoseSequence alone (drawn landmarks, exact answers)."""

from __future__ import annotations

import numpy as np
import pytest

from posture.core.view import View
from posture.data.skeleton import Landmark as L
from posture.standing import landmarks as photo
from posture.standing.check import StandingSettings
from posture.standing.from_landmarks import NEEDS_PIXELS, check_standing_landmarks
from tests.conftest import make_sequence, stencil_person

SIZE = (400, 400)
FRONT = StandingSettings(view=View.FRONT)


def _standing(n_frames: int = 5, left_hip_dy: float = 0.0, jitter: float = 0.0, seed: int = 3):
    rng = np.random.default_rng(seed)
    frames = []
    for _ in range(n_frames):
        xy = stencil_person(100, 60)
        xy[L.LEFT_HIP, 1] -= left_hip_dy  # image y down: the left hip higher
        frames.append(xy + rng.normal(0, jitter, xy.shape))
    return make_sequence(np.array(frames)[:, None], size=SIZE)


def test_a_raised_left_hip_reads_as_the_drawn_obliquity():
    seq = _standing(left_hip_dy=4.0)
    check = check_standing_landmarks(seq, FRONT)
    want = photo.pelvic_obliquity_deg(seq.xy_px[0, 0])
    assert want > 0
    m = check.measures["pelvic_obliquity_deg"]
    assert m.value == pytest.approx(want, abs=1e-9) and m.uncertainty == pytest.approx(0.3)  # the floor
    assert check.kind == "photo" and check.view is View.FRONT and "5 of 5 frame(s)" in check.view_reason


def test_the_mirrored_sequence_reads_the_opposite_side_exactly():
    seq = _standing(left_hip_dy=4.0, jitter=0.5)
    direct = check_standing_landmarks(seq, FRONT).measures
    mirror = check_standing_landmarks(seq.mirrored(), FRONT).measures
    for name in ("pelvic_obliquity_deg", "shoulder_tilt_deg", "lateral_pelvic_shift_px"):
        assert mirror[name].value == pytest.approx(-direct[name].value, abs=1e-9), name
    assert mirror["knee_alignment_deg_left"].value == pytest.approx(direct["knee_alignment_deg_right"].value)


def test_the_spread_over_frames_is_the_uncertainty():
    seq = _standing(n_frames=12, jitter=1.5)
    m = check_standing_landmarks(seq, FRONT).measures["pelvic_obliquity_deg"]
    per_frame = [photo.pelvic_obliquity_deg(xy) for xy in seq.xy_px[:, 0]]
    assert m.value == pytest.approx(np.mean(per_frame))
    assert m.uncertainty == pytest.approx(max(np.std(per_frame, ddof=1), 0.3))


def test_a_stated_height_gives_millimetres():
    seq = _standing(left_hip_dy=4.0)
    m = check_standing_landmarks(seq, StandingSettings(view=View.FRONT, height_mm=1700.0)).measures
    assert m["hip_height_diff_mm"].value is not None and m["hip_height_diff_mm"].value > 0
    assert check_standing_landmarks(seq, FRONT).measures["hip_height_diff_mm"].value is None


def test_a_side_view_leaves_out_what_needs_the_picture():
    xy = stencil_person(100, 60)
    xy[:, 0] = 150 + 0.05 * (xy[:, 0] - 150)  # squeezed sideways: shoulders narrow against the torso
    xy[L.LEFT_EAR, 0] += 6  # the head forward of the shoulders
    seq = make_sequence(np.array([xy] * 3)[:, None], size=SIZE)
    check = check_standing_landmarks(seq, StandingSettings(view=View.RIGHT))
    assert check.view is View.RIGHT and "trunk_lean_deg" in check.measures
    tilt = check.measures["anterior_pelvic_tilt_deg"]
    assert tilt.value is None and tilt.note == NEEDS_PIXELS


def test_no_standing_frame_is_refused_with_the_reason():
    xy = stencil_person(100, 60)
    xy[[L.LEFT_KNEE, L.RIGHT_KNEE], 1] = xy[L.LEFT_HIP, 1]  # knees at hip height: sitting
    seq = make_sequence(np.array([xy] * 2)[:, None], size=SIZE)
    with pytest.raises(ValueError, match="no frame where the person stands measurably: .*sit"):
        check_standing_landmarks(seq, FRONT)


def test_landmarks_from_another_tool_give_the_same_measures():
    pytest.importorskip("xarray", reason="xarray is in the research extra: pip install 'posture[research]'")
    seq = _standing(left_hip_dy=3.0, jitter=0.4)
    other = type(seq).from_xarray(seq.to_xarray(world=False))
    a = check_standing_landmarks(seq, FRONT).measures
    b = check_standing_landmarks(other, FRONT).measures
    assert {k: m.value for k, m in a.items()} == pytest.approx({k: m.value for k, m in b.items()})
