"""The real model on the shipped samples, against the synthetic bodies' ground truth."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from posture.commands.landmarks import LandmarksOptions, run_landmarks
from posture.data.skeleton import Landmark as L
from posture.data.tracking import select_subject
from posture.pose.run import load_pose
from tests.conftest import SAMPLES

STANDING = sorted(p for p in SAMPLES.glob("stand_*.png"))
WALKING = sorted(p for p in SAMPLES.glob("walk_*.mp4"))
#: Largest accepted distance of a visible hip landmark from the true hip joint centre,
#: as a share of the true hip width (raw single frame; measured errors are 3-9%).
HIP_TOLERANCE = 0.15
#: The far hip in a side view is hidden behind the body and guessed by the model.
HIDDEN_HIP_TOLERANCE = 0.35
#: Hip midpoint of a walker, median over frames (moving legs blur the pelvis; measured 15%).
WALKING_HIP_TOLERANCE = 0.25


def _truth(media):
    return json.loads(media.with_name(media.name.split(".")[0] + ".truth.json").read_text())


def _hip_width_px(truth) -> float:
    """True hip width in pixels at the subject's distance (also right for side views)."""
    cam = truth["camera"]
    return truth["subject"]["hip_width_m"] * cam["fy"] / cam["distance_m"]


def test_samples_are_shipped():
    assert len(STANDING) >= 4 and all(_truth(p)["kind"] == "standing" for p in STANDING)


@pytest.mark.parametrize("media", STANDING, ids=lambda p: p.stem)
def test_hip_landmarks_match_the_true_hip_centres(media):
    truth = _truth(media)
    seq = load_pose(media)
    subject = seq.person(select_subject(seq).track_id)
    width = _hip_width_px(truth)
    view = truth["camera"]["view"]
    for side, lm in (("left", L.LEFT_HIP), ("right", L.RIGHT_HIP)):
        error = np.linalg.norm(subject.xy(lm)[0] - truth["joints_px"][f"{side}_hip"])
        hidden = view in ("left", "right") and side != view
        limit = HIDDEN_HIP_TOLERANCE if hidden else HIP_TOLERANCE
        share = 100 * error / width
        assert error / width <= limit, f"{side} hip {error:.1f} px off ({share:.0f}% of hip width)"


def test_landmarks_command_writes_every_file(tmp_path):
    result = run_landmarks(LandmarksOptions(input=str(STANDING[0]), out=tmp_path, progress=False))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["landmarks.csv", "landmarks.json", "overlay.png"]
    overlay = cv2.imread(str(tmp_path / "overlay.png"))
    source = cv2.imread(str(STANDING[0]))
    assert overlay.shape == source.shape and np.abs(overlay.astype(int) - source).sum() > 0
    assert result.subject.track_id == 0


def _person_cutout(path, height):
    """The person in a sample, cropped with a margin and scaled to ``height`` px."""
    truth = _truth(path)
    img = cv2.imread(str(path))
    pts = np.array(list(truth["joints_px"].values()))
    x0, y0 = pts.min(axis=0) - (60, 120)
    x1, y1 = pts.max(axis=0) + (60, 40)
    crop = img[int(max(y0, 0)) : int(y1), int(max(x0, 0)) : int(x1)]
    scale = height / crop.shape[0]
    return cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def _crossing_clip(path, n_frames=60):
    """Two real renders walking past each other; the second passes in front of the first."""
    a = _person_cutout(STANDING[0], 560)
    b = _person_cutout(next(p for p in STANDING if "back" in p.name), 600)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 25.0, (1280, 720))
    for t in range(n_frames):
        frame = np.full((720, 1280, 3), (190, 200, 205), np.uint8)
        for person, x, y in ((a, 60 + 14 * t, 120), (b, 1280 - b.shape[1] - 60 - 14 * t, 90)):
            frame[y : y + person.shape[0], x : x + person.shape[1]] = person
        writer.write(frame)
    writer.release()


def test_tracking_keeps_identities_through_a_crossing(tmp_path):
    clip = tmp_path / "crossing.mp4"
    _crossing_clip(clip)
    seq = load_pose(clip, max_people=2)
    long_tracks = [k for k in range(seq.n_people) if seq.seen[:, k].sum() >= 10]
    assert len(long_tracks) == 2, f"expected two people, tracks seen: {seq.seen.sum(axis=0).tolist()}"
    directions = []
    for k in long_tracks:
        seen = seq.seen[:, k]
        x = seq.xy_px[seen, k][:, [L.LEFT_HIP, L.RIGHT_HIP], 0].mean(axis=1)
        steps = np.sign(np.diff(x))
        assert np.mean(steps == np.sign(x[-1] - x[0])) > 0.9, "a track jumped to the other person"
        directions.append(np.sign(x[-1] - x[0]))
    assert sorted(directions) == [-1.0, 1.0]


@pytest.mark.parametrize("media", WALKING, ids=lambda p: p.stem)
def test_walking_samples_are_tracked_in_most_frames(media):
    truth = _truth(media)
    seq = load_pose(media)
    subject = seq.person(select_subject(seq).track_id)
    assert seq.n_frames == truth["n_frames"]
    assert subject.seen.mean() >= 0.9
    true_hips = np.array(truth["frames"]["left_hip_px"]) + np.array(truth["frames"]["right_hip_px"])
    found = subject.xy(L.LEFT_HIP) + subject.xy(L.RIGHT_HIP)
    error = np.nanmedian(np.linalg.norm(found - true_hips, axis=1) / 2)
    assert error / _hip_width_px(truth) <= WALKING_HIP_TOLERANCE


def test_the_number_of_inference_threads_changes_nothing_but_the_speed():
    from posture.pose.landmarker import PoseOptions

    one = load_pose(SAMPLES / "walk_side.mp4", options=PoseOptions(max_people=3, threads=1), max_frames=12)
    two = load_pose(SAMPLES / "walk_side.mp4", options=PoseOptions(max_people=3, threads=2), max_frames=12)
    assert one.n_frames == two.n_frames == 12
    np.testing.assert_array_equal(one.xy_px, two.xy_px)
    np.testing.assert_array_equal(one.world_m, two.world_m)
