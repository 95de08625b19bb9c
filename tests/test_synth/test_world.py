"""World options of the walking render: a bystander is drawn, options reach the truth, clean stays clean."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import cv2
import numpy as np
import pytest

pytest.importorskip("anny")

from posture.synth.body import Phenotype, build_subject, pose_batch  # noqa: E402
from posture.synth.render import render_body  # noqa: E402
from posture.synth.truth import to_jsonable, validate_truth  # noqa: E402
from posture.synth.walking import (  # noqa: E402
    WalkingParams,
    cycle_time,
    render_walk,
    solve_trajectory,
    trajectory_pose,
    walking_camera,
)
from posture.synth.world import Bystander, Occluder, World  # noqa: E402

TINY = WalkingParams(n_strides=1.0, fps=10.0, width=192, height=108, oversample=2)
BYSTANDER = Bystander(
    Phenotype(gender=1.0, height=0.6), depth_m=1.5, lateral_m=-0.6, motion="jump", amplitude=0.1
)


def _frames(path) -> np.ndarray:
    cap = cv2.VideoCapture(str(path))
    out = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        out.append(frame)
    cap.release()
    return np.array(out)


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    """The tiny walk with a bystander and a pole, and the same world without the bystander (mp4v)."""
    tmp = tmp_path_factory.mktemp("world")
    world = World(bystanders=(BYSTANDER,), occluder=Occluder(depth_m=1.0, lateral_m=0.0), compression="mp4v")
    with_b = render_walk("with", replace(TINY, world=world), tmp / "with.mp4")
    without = render_walk("without", replace(TINY, world=replace(world, bystanders=())), tmp / "without.mp4")
    return tmp, with_b, without


def test_bystander_is_drawn(renders):
    tmp, truth, _ = renders
    a, b = _frames(tmp / "with.mp4"), _frames(tmp / "without.mp4")
    assert a.shape == b.shape and len(a) == truth["n_frames"]
    boxes = truth["world"]["frames"]["bystander_box_px"]
    for f in (0, len(a) // 2):
        u0, v0, u1, v1 = (int(round(x)) for x in boxes[f][0])
        inside = np.abs(
            a[f, max(v0, 0) : v1, max(u0, 0) : u1].astype(int) - b[f, max(v0, 0) : v1, max(u0, 0) : u1]
        )
        assert inside.mean() > 5.0  # the bystander's pixels
    # the bystander stands on the floor between hops and is off it during one
    pelvis_v = [p[0][1] for p in truth["world"]["frames"]["bystander_pelvis_px"]]
    assert max(pelvis_v) - min(pelvis_v) > 1.0


def test_world_options_are_in_the_truth(renders):
    _, truth, _ = renders
    assert validate_truth(truth) == []
    options = truth["params"]["world"]
    assert options["bystanders"][0]["motion"] == "jump"
    assert options["occluder"]["depth_m"] == 1.0
    assert options["compression"] == "mp4v"
    world = truth["world"]
    assert world["compression"]["codec"] == "mp4v"
    assert len(world["bystanders"]) == 1 and world["bystanders"][0]["depth_from_camera_m"] > 3.8
    assert world["occluder"]["walker_frames_partly_hidden"] > 0  # the walker passes behind the pole
    json.dumps(to_jsonable(truth))  # writable
    assert all(e["side"] in ("left", "right") for e in truth["events"])  # the walker's events


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="no ffmpeg")
def test_x264_reencode_keeps_every_frame(tmp_path):
    params = replace(TINY, n_strides=0.6, world=World(noise_sd=3.0, bitrate_kbps=300.0, seed=1))
    try:
        truth = render_walk("x264", params, tmp_path / "x.mp4")
    except ValueError:
        pytest.skip("the generator refused this short walk")
    assert truth["world"]["compression"]["codec"] == "libx264"
    assert len(_frames(tmp_path / "x.mp4")) == truth["n_frames"]
    assert not (tmp_path / "x.mp4v.mp4").exists()


def test_without_world_the_render_is_the_clean_one(tmp_path):
    truth = render_walk("clean", TINY, tmp_path / "clean.mp4")
    assert "world" not in truth and "world" not in truth["params"]
    # every frame is the one body over the plain room, as render_body draws it
    subject = build_subject(TINY.phenotype)
    n = truth["n_frames"]
    traj = solve_trajectory(subject, TINY, (n - 1) / TINY.fps)
    camera, _ = walking_camera(TINY, (traj.root[0, 1], traj.root[-1, 1]))
    path = tmp_path / "again.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), TINY.fps, (TINY.width, TINY.height))  # type: ignore[attr-defined]
    for f in range(n):
        verts, _ = pose_batch(subject, [trajectory_pose(subject, TINY, traj, f * TINY.oversample)])
        writer.write(render_body(camera, verts[0], subject.faces, subject.region, TINY.appearance))
    writer.release()
    assert np.array_equal(_frames(tmp_path / "clean.mp4"), _frames(path))
    assert n == int(round(TINY.n_strides * cycle_time(TINY) * TINY.fps))
