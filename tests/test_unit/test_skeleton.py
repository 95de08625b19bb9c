import pytest

from posture.data.skeleton import EDGES, MIRROR, N_LANDMARKS, SIDE_PAIRS, Landmark, Side, paired


def test_there_are_33_landmarks_with_mediapipe_indices():
    assert N_LANDMARKS == 33
    assert Landmark.LEFT_HIP == 23 and Landmark.RIGHT_HIP == 24
    assert Landmark.LEFT_HEEL == 29 and Landmark.RIGHT_FOOT_INDEX == 32


def test_every_pair_is_left_then_right_and_covers_all_sided_landmarks():
    sided = {lm for lm in Landmark if lm.side is not None}
    in_pairs = {lm for pair in SIDE_PAIRS for lm in pair}
    assert in_pairs == sided
    for left, right in SIDE_PAIRS:
        assert left.side is Side.LEFT and right.side is Side.RIGHT


def test_mirror_is_an_involution_that_swaps_pairs():
    assert [MIRROR[i] for i in MIRROR] == list(range(N_LANDMARKS))
    assert MIRROR[Landmark.LEFT_KNEE] == Landmark.RIGHT_KNEE
    assert MIRROR[Landmark.NOSE] == Landmark.NOSE


@pytest.mark.parametrize(
    ("side", "landmark", "expected"),
    [
        (Side.RIGHT, Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
        (Side.LEFT, Landmark.LEFT_KNEE, Landmark.LEFT_KNEE),
        (Side.LEFT, Landmark.RIGHT_HEEL, Landmark.LEFT_HEEL),
    ],
)
def test_paired_finds_the_same_landmark_on_a_side(side, landmark, expected):
    assert paired(side, landmark) is expected


def test_paired_refuses_a_midline_landmark():
    with pytest.raises(ValueError, match="NOSE has no side"):
        paired(Side.LEFT, Landmark.NOSE)


def test_edges_join_distinct_landmarks_and_side_other():
    assert all(a != b for a, b in EDGES)
    assert Side.LEFT.other is Side.RIGHT
