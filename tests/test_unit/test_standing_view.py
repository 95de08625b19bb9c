"""Which way a standing subject faces, from drawn front, back and side landmark sets."""

from __future__ import annotations

import numpy as np
import pytest

from posture.core.view import View
from posture.data.skeleton import MIRROR
from posture.data.skeleton import Landmark as L
from posture.standing.view import (
    ViewEvidence,
    detect_view,
    fix_sides,
    mirror_view,
    shoulder_ratio,
    sides_consistent,
    symmetric_view,
    view_evidence,
    view_from_evidence,
)
from tests.test_unit._fixtures import mirrored, person

WIDTH = 300


def _depths(nose: float = -0.1, left: float = 0.0, right: float = 0.0) -> np.ndarray:
    """(33,) depths: the ears at 0, the nose at ``nose``; left and right shoulder and hip as given."""
    z = np.zeros(33)
    z[L.NOSE] = nose
    z[[L.LEFT_SHOULDER, L.LEFT_HIP]] = left
    z[[L.RIGHT_SHOULDER, L.RIGHT_HIP]] = right
    return z


def _front() -> np.ndarray:
    return person(100, 50)  # the subject's left (x=170) on the image right


def _back() -> np.ndarray:
    return mirrored(_front(), WIDTH)  # the subject's left on the image left


def _side_on() -> np.ndarray:
    xy = _front()
    xy[:, 0] = 150 + 0.2 * (xy[:, 0] - 150)
    return xy


def test_shoulder_ratio_of_the_drawn_front_view():
    assert shoulder_ratio(_front()) == pytest.approx(40 / 60)


def test_a_face_towards_the_camera_is_a_front_view():
    guess = detect_view(_front(), _depths(nose=-0.1))
    assert guess.view is View.FRONT
    assert guess.reason == "shoulder width 0.67 x torso height; nose in front of the ears"


def test_a_nose_behind_the_ears_is_a_back_view():
    guess = detect_view(_back(), _depths(nose=0.1))
    assert guess.view is View.BACK
    assert guess.reason == "shoulder width 0.67 x torso height; nose behind the ears"


@pytest.mark.parametrize(("left", "right", "view"), [(-0.2, 0.2, View.LEFT), (0.2, -0.2, View.RIGHT)])
def test_a_narrow_torso_is_a_side_view_named_by_the_nearer_side(left, right, view):
    guess = detect_view(_side_on(), _depths(left=left, right=right))
    assert guess.view is view
    assert guess.reason == f"shoulder width 0.13 x torso height; {view.value} side nearer the camera"


def test_view_from_evidence_follows_the_same_rule_as_detect_view():
    cases = [(_front(), _depths(nose=-0.1)), (_back(), _depths(nose=0.1)), (_side_on(), _depths(left=-0.2)),
             (_side_on(), _depths(right=-0.2))]  # fmt: skip
    for xy, z in cases:
        assert view_from_evidence(view_evidence(xy, z)) == detect_view(xy, z)


def test_labels_are_consistent_when_the_subjects_left_is_where_the_view_puts_it():
    assert sides_consistent(_front(), View.FRONT)
    assert not sides_consistent(_front(), View.BACK)
    assert sides_consistent(_back(), View.BACK)
    assert not sides_consistent(_back(), View.FRONT)
    assert sides_consistent(_front(), View.LEFT) and sides_consistent(_back(), View.RIGHT)


def test_fix_sides_swaps_labels_that_contradict_the_view():
    swapped_labels = _front()[list(MIRROR)]  # a front view labelled as if seen from the back
    fixed, changed = fix_sides(swapped_labels, View.FRONT)
    assert changed
    assert np.array_equal(fixed, _front(), equal_nan=True)


def test_fix_sides_leaves_consistent_labels_alone():
    xy = _front()
    fixed, changed = fix_sides(xy, View.FRONT)
    assert not changed and fixed is xy


def test_mirror_view_swaps_only_left_and_right():
    assert [mirror_view(v) for v in (View.FRONT, View.BACK, View.LEFT, View.RIGHT)] == [
        View.FRONT, View.BACK, View.RIGHT, View.LEFT,
    ]  # fmt: skip


def test_evidence_mirrored_flips_only_the_near_side():
    assert ViewEvidence(0.2, -0.4, 0.1).mirrored() == ViewEvidence(0.2, 0.4, 0.1)


@pytest.mark.parametrize(
    "evidence",
    [
        ViewEvidence(0.2, -0.4, 0.1),
        ViewEvidence(0.2, 0.3, -0.1),
        ViewEvidence(0.7, 0.1, -0.2),
        ViewEvidence(0.7, -0.1, 0.3),
    ],  # fmt: skip
)
def test_the_mirrored_picture_gets_the_mirrored_view_exactly(evidence):
    direct = symmetric_view(evidence, evidence.mirrored())
    flipped = symmetric_view(evidence.mirrored(), evidence)
    assert direct == view_from_evidence(evidence)
    assert flipped.view is mirror_view(direct.view)


def test_symmetric_view_averages_a_picture_and_its_mirror():
    # The picture alone says left (near -0.1), its mirror mapped back says right (+0.3): the mean is right.
    guess = symmetric_view(ViewEvidence(0.2, -0.1, 0.0), ViewEvidence(0.2, -0.3, 0.0))
    assert guess.view is View.RIGHT
