"""export_walk on a drawn walker whose knee angle follows a known curve."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from posture.data.skeleton import Landmark, Side
from posture.gait.conditioning import Segment
from posture.gait.events import HEEL_STRIKE, TOE_OFF, GaitEvent
from posture.interop.export import FILE_NAMES, export_walk, image_markers_m, opensim_axes
from tests.conftest import make_sequence
from tests.test_unit.test_gait_angles import stick_figure
from tests.test_unit.test_interop_opensim import read_mot, read_trc_like_opensim

FPS = 50.0
CYCLE_S = 1.0


def knee_curve(t: np.ndarray) -> np.ndarray:
    return 30.0 + 20.0 * np.sin(2 * np.pi * t / CYCLE_S)


def walk(direction: int = 1, n_frames: int = 151):
    """A walker drawn frame by frame: left knee = knee_curve(t), the rest fixed; world = known."""
    t = np.arange(n_frames) / FPS
    right = {"hip": -5.0, "knee": 10.0, "ankle": 0.0}
    xy = np.stack(
        [stick_figure({"hip": 20.0, "knee": knee_curve(ti), "ankle": 5.0}, right, 4.0, direction) for ti in t]
    )
    seq = make_sequence(xy[:, None], fps=FPS, size=(640, 480))
    world = np.zeros_like(seq.world_m)
    world[:, 0, :, 0] = np.linspace(-0.2, 0.2, 33)  # x right
    world[:, 0, :, 1] = 0.5  # y down
    world[:, 0, :, 2] = 0.1  # z away from the camera
    seq = replace(seq, world_m=world)
    strikes = [GaitEvent(Side.LEFT, HEEL_STRIKE, s, int(round(s * FPS))) for s in (0.0, 1.0, 2.0, 3.0)]
    events = strikes + [GaitEvent(Side.LEFT, TOE_OFF, 0.6, 30)]
    return seq, events


def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open()))


def test_writes_all_formats_with_known_angles(tmp_path: Path) -> None:
    seq, events = walk()
    paths = export_walk(tmp_path / "export", seq, events)
    assert {k: p.name for k, p in paths.items()} == FILE_NAMES
    rows = _read_csv(paths["angles"])
    knee = np.array([float(r["left_knee_flexion_deg"]) for r in rows])
    np.testing.assert_allclose(knee, knee_curve(seq.time_s), atol=1e-3)
    assert float(rows[0]["trunk_deg"]) == pytest.approx(86.0, abs=1e-3)
    header, table = read_mot(paths["mot"])
    assert header["inDegrees"] == "yes" and int(header["nRows"]) == seq.n_frames
    np.testing.assert_allclose(table["left_knee_flexion"], knee_curve(seq.time_s), atol=1e-4)
    cycles = [r for r in _read_csv(paths["cycles"]) if r["angle"] == "left_knee_flexion"]
    assert len(cycles) == 101 and cycles[0]["n_cycles"] == "3"
    mean = np.array([float(r["mean_deg"]) for r in cycles])
    np.testing.assert_allclose(mean, knee_curve(np.linspace(0, CYCLE_S, 101)), atol=0.1)


def test_trc_holds_world_landmarks_in_opensim_axes(tmp_path: Path) -> None:
    for direction in (1, -1):
        seq, events = walk(direction, n_frames=20)
        path = export_walk(tmp_path / str(direction), seq, events, formats=("trc",))["trc"]
        meta, names, time_s, markers = read_trc_like_opensim(path)
        assert names == [lm.label for lm in Landmark] and meta["DataRate"] == "50"
        x, y, z = seq.world_m[0, 0, Landmark.RIGHT_KNEE]
        np.testing.assert_allclose(
            markers[0, Landmark.RIGHT_KNEE], [direction * x, -y, -direction * z], atol=1e-5
        )
    np.testing.assert_allclose(time_s, seq.time_s, atol=1e-6)


def test_both_walking_directions_give_the_same_angle_files(tmp_path: Path) -> None:
    texts = []
    for direction in (1, -1):
        seq, events = walk(direction, n_frames=60)
        paths = export_walk(tmp_path / str(direction), seq, events, formats=("angles", "mot"))
        texts.append((paths["angles"].read_text(), paths["mot"].read_text()))
    assert texts[0] == texts[1]


def test_segments_set_direction_per_frame_and_blank_the_turn(tmp_path: Path) -> None:
    seq, events = walk(1, n_frames=30)
    segments = [Segment("left_to_right", 0, 20, 0.0, 0.38)]
    paths = export_walk(tmp_path, seq, events, segments=segments, formats=("angles", "trc"))
    rows = _read_csv(paths["angles"])
    assert rows[19]["left_knee_flexion_deg"] != "" and rows[20]["left_knee_flexion_deg"] == ""
    _, _, _, markers = read_trc_like_opensim(paths["trc"])
    assert np.isfinite(markers[19]).all() and np.isnan(markers[20]).all()


def test_image_markers_scaled_by_px_per_m(tmp_path: Path) -> None:
    seq, events = walk(-1, n_frames=10)
    path = export_walk(tmp_path, seq, events, formats=("trc",), px_per_m=200.0)["trc"]
    _, _, _, markers = read_trc_like_opensim(path)
    x, y = seq.xy_px[3, 0, Landmark.LEFT_ANKLE]
    np.testing.assert_allclose(
        markers[3, Landmark.LEFT_ANKLE], [-x / 200.0, (480 - y) / 200.0, 0.0], atol=1e-5
    )
    with pytest.raises(ValueError, match="positive scale"):
        image_markers_m(seq.xy_px[:, 0], 0.0, 480, 1)


def test_opensim_axes_is_a_rotation() -> None:
    world = np.random.default_rng(1).normal(size=(4, 33, 3))
    for d in (1, -1):
        moved = opensim_axes(world, d)
        np.testing.assert_allclose(np.linalg.norm(moved[:, 1] - moved[:, 0], axis=1),
                                   np.linalg.norm(world[:, 1] - world[:, 0], axis=1))  # fmt: skip
        a, b, c = (moved[0, i] - moved[0, 0] for i in (1, 2, 3))
        e, f, g = (world[0, i] - world[0, 0] for i in (1, 2, 3))
        assert np.dot(np.cross(a, b), c) == pytest.approx(np.dot(np.cross(e, f), g))  # handedness kept


def test_refuses_several_people_or_unknown_formats(tmp_path: Path) -> None:
    seq, events = walk(n_frames=5)
    two = make_sequence(np.repeat(seq.xy_px, 2, axis=1), fps=FPS)
    with pytest.raises(ValueError, match="expected one person and formats from"):
        export_walk(tmp_path, two, events)
    with pytest.raises(ValueError, match=r"\['c3d'\]"):
        export_walk(tmp_path, seq, events, formats=("c3d",))
