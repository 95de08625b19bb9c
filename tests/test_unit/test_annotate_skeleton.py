"""Drawing skeletons: colours per side, grey for other people, nothing drawn where nothing is known."""

from __future__ import annotations

import numpy as np
import pytest

from posture.annotate.skeleton import (
    OTHER_PERSON,
    SIDE_COLOURS,
    draw_people,
    draw_person,
    draw_timestamp,
    line_width,
    put_text,
)
from posture.data.skeleton import Landmark as L
from posture.data.skeleton import Side
from tests.test_unit._fixtures import black, mirrored, person, pixel

JOINTS = [
    L.LEFT_SHOULDER,
    L.LEFT_ELBOW,
    L.LEFT_KNEE,
    L.LEFT_ANKLE,
    L.RIGHT_SHOULDER,
    L.RIGHT_KNEE,
    L.RIGHT_WRIST,
]


def test_line_width_grows_with_the_frame_and_is_at_least_two():
    assert line_width(black(300, 300)) == 2
    assert line_width(black(1080, 1920)) == 5
    assert line_width(black(2160, 3840)) == 10


@pytest.mark.parametrize("lm", JOINTS)
def test_each_joint_is_drawn_in_its_sides_colour(lm):
    xy = person()
    frame = draw_person(black(), xy)
    assert pixel(frame, xy[lm]) == SIDE_COLOURS[lm.side]


def test_the_nose_is_drawn_in_the_midline_colour():
    xy = np.full((33, 2), np.nan)
    xy[L.NOSE] = (120, 80)
    frame = draw_person(black(), xy)
    assert pixel(frame, xy[L.NOSE]) == SIDE_COLOURS[None]


def test_draw_person_draws_in_place_and_returns_the_frame():
    frame = black()
    assert draw_person(frame, person()) is frame
    assert frame.any()


def test_a_bone_is_drawn_between_its_joints_in_its_sides_colour():
    xy = person()
    frame = draw_person(black(), xy)
    thigh = frame[int(xy[L.LEFT_HIP, 1]) + 10 : int(xy[L.LEFT_KNEE, 1]) - 10, int(xy[L.LEFT_HIP, 0])]
    assert (thigh == SIDE_COLOURS[Side.LEFT]).all(axis=1).all()
    shin = frame[int(xy[L.RIGHT_KNEE, 1]) + 10 : int(xy[L.RIGHT_ANKLE, 1]) - 10, int(xy[L.RIGHT_KNEE, 0])]
    assert (shin == SIDE_COLOURS[Side.RIGHT]).all(axis=1).all()


def test_mirroring_the_landmarks_mirrors_the_colours_at_the_joints():
    xy = person()
    frame = draw_person(black(), xy)
    flipped = draw_person(black(), mirrored(xy, 300))
    for lm in JOINTS:
        x, y = xy[lm]
        assert pixel(flipped, (299 - x, y)) == pixel(frame, (x, y))


def test_a_person_not_highlighted_is_grey_and_thinner():
    xy = person()
    frame = draw_person(black(), xy, highlight=False)
    colours = {tuple(c) for c in frame.reshape(-1, 3) if c.any()}
    assert colours and all(c[0] == c[1] == c[2] for c in colours)  # only greys (anti-aliased)
    assert pixel(frame, xy[L.LEFT_KNEE]) == OTHER_PERSON
    assert np.count_nonzero(frame.any(axis=2)) < np.count_nonzero(draw_person(black(), xy).any(axis=2))


def test_missing_landmarks_are_not_drawn():
    xy = np.full((33, 2), np.nan)
    assert not draw_person(black(), xy, label="#1").any()
    xy[L.LEFT_KNEE] = (150, 150)  # one joint, no bone
    frame = draw_person(black(), xy)
    drawn = np.argwhere(frame.any(axis=2))
    assert np.abs(drawn - (150, 150)).max() <= 4  # a dot of radius 3, anti-aliased


def test_face_landmarks_other_than_the_nose_get_no_dot():
    xy = np.full((33, 2), np.nan)
    xy[L.LEFT_EYE] = (100, 100)
    xy[L.MOUTH_RIGHT] = (200, 200)
    assert not draw_person(black(), xy).any()


def test_a_label_is_written_above_the_person():
    xy = person()
    plain = draw_person(black(), xy)
    labelled = draw_person(black(), xy, label="#7")
    changed = np.argwhere((plain != labelled).any(axis=2))
    assert len(changed) > 0
    assert changed[:, 0].max() <= np.nanmin(xy[:, 1])  # no lower than the top of the head


def test_draw_people_colours_only_the_subject():
    a, b = person(20, 50, 0.8), person(180, 50, 0.8)
    frame = draw_people(black(), np.stack([a, b]), [3, 9], subject_id=9)
    assert pixel(frame, a[L.LEFT_KNEE]) == OTHER_PERSON
    assert pixel(frame, b[L.LEFT_KNEE]) == SIDE_COLOURS[Side.LEFT]
    everyone = draw_people(black(), np.stack([a, b]), [3, 9])
    assert pixel(everyone, a[L.LEFT_KNEE]) == SIDE_COLOURS[Side.LEFT]


def test_draw_people_needs_one_track_id_per_person():
    with pytest.raises(ValueError):
        draw_people(black(), np.stack([person()]), [1, 2])


def test_put_text_writes_white_on_a_dark_outline_near_its_origin():
    frame = put_text(black(), "Hi", (20, 60), scale=1.0)
    ys, xs = np.nonzero(frame.any(axis=2))
    assert ys.max() <= 60 + 5 and ys.min() >= 20 and xs.min() >= 15
    assert (frame == 255).all(axis=2).any()


def test_draw_timestamp_writes_in_the_top_left_corner_only():
    frame = draw_timestamp(black(400, 600), 1.25, 37)
    ys, xs = np.nonzero(frame.any(axis=2))
    assert ys.max() < 60 and xs.min() >= 5
    assert not (draw_timestamp(black(400, 600), 1.25, 38) == frame).all()  # the index is written
