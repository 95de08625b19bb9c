import cv2
import numpy as np

from posture.data.skeleton import Landmark
from posture.data.tracking import Tracker, greedy_matches, select_subject, torso_appearance
from tests.conftest import make_sequence, stencil_person

TORSO = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP, Landmark.LEFT_HIP]


def _frame(people, colours, size=(480, 640)):
    """A frame with each person's torso painted in its shirt colour."""
    rgb = np.full((*size, 3), 200, np.uint8)
    for xy, colour in zip(people, colours, strict=True):
        cv2.fillConvexPoly(rgb, np.round(xy[TORSO]).astype(np.int32), colour)
    return rgb


def test_ids_survive_two_people_crossing():
    tracker = Tracker()
    paths = {}
    for t in range(60):
        a = stencil_person(20 + 8 * t, 100)
        b = stencil_person(500 - 8 * t, 100)
        ids = tracker.update(np.stack([b, a]) if t % 2 else np.stack([a, b]), t / 30)
        order = [b, a] if t % 2 else [a, b]
        for track_id, xy in zip(ids, order, strict=True):
            paths.setdefault(track_id, []).append(xy[Landmark.NOSE, 0])
    assert sorted(paths) == [0, 1]
    steps = [np.sign(np.diff(paths[k])) for k in (0, 1)]
    assert {int(s[0]) for s in steps} == {1, -1}
    assert all(len(set(s.tolist())) == 1 for s in steps), "a track switched person"


def test_person_who_leaves_and_returns_keeps_the_id_by_shirt_colour():
    tracker = Tracker(max_gap_s=1.0, reid_window_s=30.0)
    red, blue, green = (220, 30, 30), (30, 30, 220), (30, 200, 30)
    ids_seen = []
    for t in range(150):
        a = stencil_person(40, 100)
        b = stencil_person(400, 100)
        people, colours = [b], [blue]
        if t < 20 or t >= 90:  # A gone for 2.3 s, then back somewhere else
            people.append(a if t < 20 else stencil_person(200, 110))
            colours.append(red)
        if t >= 120:
            people.append(stencil_person(300, 60, 0.9))
            colours.append(green)
        ids_seen.append(tracker.update(np.stack(people), t / 30, _frame(people, colours)))
    assert ids_seen[0] == [0, 1]
    assert ids_seen[100] == [0, 1], "the returning person should get id 1 again"
    assert ids_seen[130] == [0, 1, 2], "a new person gets a new id"


def test_torso_appearance_is_a_histogram_or_none():
    xy = stencil_person(40, 100)
    hist = torso_appearance(_frame([xy], [(220, 30, 30)]), xy)
    assert hist is not None and abs(hist.sum() - 1.0) < 1e-9
    xy[Landmark.LEFT_HIP] = np.nan
    assert torso_appearance(_frame([stencil_person(40, 100)], [(1, 2, 3)]), xy) is None


def test_select_subject_prefers_longest_and_largest():
    n = 10
    small = np.stack([stencil_person(10, 10, 0.5)] * n)
    big = np.stack([stencil_person(300, 10, 1.5)] * n)
    big[:3] = np.nan  # the big one is seen 7 of 10 frames: 7 * 1.5 > 10 * 0.5
    choice = select_subject(make_sequence(np.stack([small, big], axis=1)))
    assert choice.track_id == 1
    assert "seen in 7 of 10 frames" in choice.reason


def test_the_surest_match_is_taken_first():
    # tracks: the walker, a bystander; detections: half of the walker, the whole walker. The least
    # summed cost would give the walker's half to the walker and the whole walker to the bystander.
    cost = np.array([[1.2, 0.1], [1e6, 1.9]])
    assert greedy_matches(cost, 1e6) == [(0, 1)]


def _half(xy: np.ndarray) -> np.ndarray:
    """A half skeleton of one person: the legs folded up into the trunk (as the model does on real clips)."""
    out = xy.copy()
    centre = np.nanmean(xy[TORSO], axis=0)
    return centre + 0.45 * (out - centre) + np.array([6.0, -20.0])


def test_a_walker_seen_twice_for_a_moment_keeps_their_id_beside_a_lost_bystander():
    """A bystander jumps out of view; a moment later the walker passes below where they were and
    the model returns the walker twice (whole and half) for two frames: the whole walker stays
    with the walker's track and nobody inherits the bystander's."""
    tracker = Tracker()
    walker_ids, bystander = [], None
    for t in range(60):
        walker = stencil_person(40 + 6 * t, 200)
        people = [walker]
        if t < 30:
            people.append(stencil_person(260 + 3 * (t % 4), 20 + 12 * (t % 3)))  # jumping on a box
        if t in (34, 35):
            people.insert(0, _half(walker))
        ids = tracker.update(np.stack(people), t / 30)
        walker_ids.append(ids[people.index(walker) if t not in (34, 35) else 1])
        if t == 0:
            bystander = ids[1]
    assert set(walker_ids) == {walker_ids[0]} and walker_ids[0] != bystander


def test_a_one_frame_skeleton_is_forgotten():
    tracker = Tracker()
    for t in range(10):
        people = [stencil_person(40 + 6 * t, 200)]
        if t == 2:
            people.append(stencil_person(300, 40, 2.0))  # two people fitted as one giant, for a frame
        tracker.update(np.stack(people), t / 30)
    assert len(tracker.tracks) == 1
