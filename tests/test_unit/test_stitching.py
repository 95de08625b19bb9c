import numpy as np
import pytest

from posture.data.stitching import StitchSettings, stitch_fragments
from tests.conftest import make_sequence, stencil_person


def _walk(n: int, x0: float, vx: float, y0: float = 100.0) -> np.ndarray:
    """(n, 33, 2) a stencil person moving vx px per frame."""
    return np.stack([stencil_person(x0 + vx * t, y0) for t in range(n)])


def _two_columns(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.stack([a, b], axis=1)


def test_a_walker_lost_for_a_few_frames_is_one_track_again():
    path = _walk(90, 20, 5)
    first, second = path.copy(), path.copy()
    first[40:] = np.nan  # lost behind a tree for frames 40-47
    second[:48] = np.nan
    seq, stitches = stitch_fragments(make_sequence(_two_columns(first, second), size=(800, 480)))
    assert seq.track_id.tolist() == [0]
    assert [(s.kept_id, s.merged_id) for s in stitches] == [(0, 1)]
    assert stitches[0].gap_s == pytest.approx(9 / 30)  # last seen at frame 39, again at 48
    seen = seq.seen[:, 0]
    assert seen[:40].all() and not seen[40:48].any() and seen[48:].all()
    np.testing.assert_array_equal(seq.xy_px[60, 0], path[60])


def test_two_people_seen_together_are_never_joined():
    a = _walk(60, 20, 5)
    b = _walk(60, 400, -5, 110)
    b[:20] = np.nan
    seq, stitches = stitch_fragments(make_sequence(_two_columns(a, b), size=(800, 480)))
    assert stitches == [] and seq.n_people == 2


def test_a_new_person_far_from_where_the_walker_would_be_is_not_joined():
    first = _walk(40, 20, 5)
    second = np.full_like(first, np.nan)
    second[5:] = _walk(35, 600, 0)[:35]  # appears 5 frames later, 400 px away, standing still
    first[40 - 35 :] = first[40 - 35 :]
    a = np.concatenate([first, np.full((30, 33, 2), np.nan)])
    b = np.concatenate([np.full((40, 33, 2), np.nan), _walk(30, 620, 0)])
    seq, stitches = stitch_fragments(make_sequence(_two_columns(a, b), size=(800, 480)))
    assert stitches == [] and seq.n_people == 2


def test_a_gap_longer_than_allowed_is_not_bridged():
    path = _walk(150, 20, 4)
    first, second = path.copy(), path.copy()
    first[40:] = np.nan
    second[:100] = np.nan  # 2 s apart
    seq, stitches = stitch_fragments(
        make_sequence(_two_columns(first, second), size=(800, 480)), settings=StitchSettings(max_gap_s=1.0)
    )
    assert stitches == [] and seq.n_people == 2


def test_different_clothes_keep_fragments_apart():
    path = _walk(90, 20, 5)
    first, second = path.copy(), path.copy()
    first[40:] = np.nan
    second[:48] = np.nan
    seq = make_sequence(_two_columns(first, second), size=(800, 480))
    red, blue = np.zeros(32), np.zeros(32)
    red[0], blue[20] = 1.0, 1.0
    _, joined = stitch_fragments(seq, {0: red, 1: red})
    _, apart = stitch_fragments(seq, {0: red, 1: blue})
    assert len(joined) == 1 and apart == []


def test_three_fragments_chain_into_one():
    path = _walk(120, 20, 5)
    parts = [path.copy() for _ in range(3)]
    parts[0][40:] = np.nan
    parts[1][:45] = np.nan
    parts[1][80:] = np.nan
    parts[2][:84] = np.nan
    seq, stitches = stitch_fragments(make_sequence(np.stack(parts, axis=1), size=(900, 480)))
    assert seq.track_id.tolist() == [0] and len(stitches) == 2
