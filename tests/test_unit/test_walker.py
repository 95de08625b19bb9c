import numpy as np
import pytest

from posture.data.skeleton import Landmark as L
from posture.gait.walker import select_walker, walking_evidence
from tests.conftest import make_sequence, stencil_person

FPS = 30.0
LEGS = {
    L.LEFT_ANKLE: 1.0, L.LEFT_HEEL: 1.0, L.LEFT_FOOT_INDEX: 1.0, L.LEFT_KNEE: 0.5,
    L.RIGHT_ANKLE: -1.0, L.RIGHT_HEEL: -1.0, L.RIGHT_FOOT_INDEX: -1.0, L.RIGHT_KNEE: -0.5,
}  # fmt: skip


def _person(
    n: int, x0: float, y0: float, vx: float = 0.0, stride: float = 0.0, hop: float = 0.0, scale: float = 1.0
) -> np.ndarray:
    """(n, 33, 2): a stencil person moving vx px/frame, legs swinging +-stride px at 1 Hz, hopping hop px."""
    out = []
    for t in range(n):
        phase = 2 * np.pi * t / FPS
        xy = stencil_person(x0 + vx * t, y0 - hop * abs(np.sin(phase)), scale)
        for lm, k in LEGS.items():
            xy[lm, 0] += k * stride * np.sin(phase)
        out.append(xy)
    return np.stack(out)  # fmt: skip


def test_the_walker_wins_over_a_larger_bystander_seen_longer():
    n = 150
    walker = _person(n, 20, 250, vx=4.0, stride=30)
    walker[:30] = np.nan  # enters late
    bystander = _person(n, 700, 20, stride=0, hop=0, scale=1.3)
    choice = select_walker(make_sequence(np.stack([bystander, walker], axis=1), size=(1000, 500)))
    assert choice.track_id == 1 and choice.walks
    assert "walks" in choice.reason and "#0" in choice.reason
    assert [e.track_id for e in choice.evidence] == [1, 0]
    assert choice.evidence[1].walked_body_heights < 0.2


def test_a_person_jumping_in_place_does_not_count_as_walking():
    n = 150
    jumper = _person(n, 300, 100, hop=40, stride=25)
    ev = walking_evidence(make_sequence(jumper[:, None], size=(800, 500)), 0)
    assert ev.walked_body_heights < 0.5


def test_walking_distance_is_in_body_heights():
    n = 120  # 4 s at 3 px/frame = 360 px for a 198 px tall stencil person: about 1.8 heights
    ev = walking_evidence(make_sequence(_person(n, 20, 100, vx=3.0, stride=30)[:, None], size=(800, 500)), 0)
    assert ev.walked_body_heights == pytest.approx(360 / 198, rel=0.25)
    assert ev.walking_s > 3.0


def test_nobody_walking_is_said():
    n = 90
    still = _person(n, 100, 100)
    choice = select_walker(make_sequence(still[:, None], size=(800, 500)))
    assert not choice.walks and choice.reason.startswith("nobody walks")


def test_a_walk_towards_the_camera_counts_through_the_change_of_size():
    n = 120
    frames = []
    for t in range(n):
        scale = 1.0 + 0.01 * t  # grows 2.2x over 4 s
        xy = stencil_person(300 - 50 * scale, 50, scale)
        for lm, k in LEGS.items():
            xy[lm, 1] += 0.0
            xy[lm, 0] += k * 8 * scale * np.sin(2 * np.pi * t / FPS)
        frames.append(xy)
    ev = walking_evidence(make_sequence(np.stack(frames)[:, None], size=(640, 640)), 0)
    assert ev.walked_body_heights > 1.0
