"""What the gait overlay draws where: its size, and people held between the frames they were seen in."""

import numpy as np
import pytest

from posture.pipeline.gait_files import HOLD_S, OVERLAY_MAX_SIDE, overlay_size, shown_rows
from tests.conftest import make_sequence, stencil_person


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1768, 994), (1280, 720)),
        ((1080, 1920), (720, 1280)),
        ((1280, 720), (1280, 720)),
        ((640, 480), (640, 480)),
    ],
)
def test_overlay_fits_its_longer_side_and_keeps_the_aspect(size, expected):
    out, factor = overlay_size(size)
    assert out == expected
    assert max(out) <= OVERLAY_MAX_SIDE
    assert factor == pytest.approx(max(expected) / max(size))


def _walker_and_bystander(n=12, every=5):
    """Person 0 (the subject) seen on every frame but frame 3; person 1 only on every ``every``-th frame."""
    xy = np.stack([np.stack([stencil_person(10 + t, 20), stencil_person(300, 40)]) for t in range(n)])
    xy[3, 0] = np.nan
    xy[[t for t in range(n) if t % every], 1] = np.nan
    return make_sequence(xy, fps=30.0)


def test_a_bystander_seen_a_few_times_a_second_is_held_between_sightings():
    seq = _walker_and_bystander()
    frames = list(shown_rows(seq, subject_col=0))
    assert len(frames) == seq.n_frames
    hold = int(HOLD_S * 30)  # 7 frames at 30 fps
    for t, (people, rows) in enumerate(frames):
        assert (1 in people.tolist()) == (t % 5 <= hold)
        if 1 in people.tolist():
            assert rows[people.tolist().index(1)] == t - t % 5  # drawn where last seen


def test_the_subject_is_never_held():
    seq = _walker_and_bystander()
    people, rows = list(shown_rows(seq, subject_col=0))[3]
    assert 0 not in people.tolist()
    people, rows = list(shown_rows(seq, subject_col=0))[4]
    assert rows[people.tolist().index(0)] == 4


def test_nobody_is_held_longer_than_the_hold():
    seq = _walker_and_bystander(n=20, every=15)
    shown = [1 in p.tolist() for p, _ in shown_rows(seq, subject_col=0)]
    assert shown[:8] == [True] * 8  # frames 0-7: within 0.25 s of frame 0
    assert shown[8:15] == [False] * 7
    assert shown[15]
