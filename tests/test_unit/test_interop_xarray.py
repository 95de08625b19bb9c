"""PoseSequence <-> movement-style xarray poses dataset, and the tidy table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

pytest.importorskip("xarray", reason="needs the research extra: pip install 'posture[research]'")
pytest.importorskip("pandas", reason="needs the research extra: pip install 'posture[research]'")

import xarray as xr  # noqa: E402

from posture.data.sequence import PoseSequence, Provenance  # noqa: E402
from posture.data.skeleton import Landmark  # noqa: E402
from posture.interop.xarray import (  # noqa: E402
    DATAFRAME_COLUMNS,
    POSES_DIMS,
    from_xarray,
    to_dataframe,
    to_xarray,
)
from tests.conftest import make_sequence, stencil_person  # noqa: E402

SPEED_PX_S = 60.0


def two_walkers(n_frames: int = 12, fps: float = 30.0) -> PoseSequence:
    """Two people moving right at SPEED_PX_S; the second is unseen in frames 3-4."""
    rng = np.random.default_rng(7)
    xy = np.stack(
        [
            np.stack([stencil_person(20 + SPEED_PX_S * t / fps, 10), stencil_person(300 - 2 * t, 40)])
            for t in range(n_frames)
        ]
    )
    xy[3:5, 1] = np.nan
    seq = make_sequence(xy, fps=fps)
    seen = ~np.isnan(xy[..., 0])
    return replace(
        seq,
        track_id=np.array([4, 9]),
        frame_index=np.arange(n_frames) + 100,
        time_s=(np.arange(n_frames) + 100) / fps + 0.001 * rng.random(n_frames),
        visibility=np.where(seen, rng.uniform(0.2, 1.0, seen.shape), np.nan),
        z=np.where(seen, rng.normal(0, 0.1, seen.shape), np.nan),
        world_m=np.where(seen[..., None], rng.normal(0, 0.5, seen.shape + (3,)), np.nan),
        provenance=Provenance(
            "clip.mp4", "pose_landmarker_full", "ab" * 32, {"num_poses": 2, "stitch": True}
        ),
    )


def _assert_same(a: PoseSequence, b: PoseSequence) -> None:
    for name in ("time_s", "frame_index", "track_id", "xy_px", "z", "world_m", "visibility", "presence"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    assert (a.image_size, a.fps, a.provenance) == (b.image_size, b.fps, b.provenance)


def test_dataset_has_movement_layout() -> None:
    seq = two_walkers()
    ds = to_xarray(seq)
    assert ds["position"].dims == POSES_DIMS
    assert ds["confidence"].dims == ("time", "keypoints", "individuals")
    assert ds["world_position"].dims == ("time", "world_space", "keypoints", "individuals")
    assert ds["space"].values.tolist() == ["x", "y"]
    assert ds["individuals"].values.tolist() == ["id_4", "id_9"]
    assert ds["keypoints"].values[int(Landmark.LEFT_HIP)] == "left_hip"
    assert {k: ds.attrs[k] for k in ("ds_type", "source_software", "fps", "time_unit")} == {
        "ds_type": "poses", "source_software": "MediaPipe", "fps": 30.0, "time_unit": "seconds",
    }  # fmt: skip
    x = ds["position"].sel(space="x", keypoints="left_hip", individuals="id_4").values
    np.testing.assert_array_equal(x, seq.xy_px[:, 0, Landmark.LEFT_HIP, 0])
    np.testing.assert_array_equal(ds["confidence"].sel(individuals="id_9").values, seq.visibility[:, 1])
    assert "world_position" not in to_xarray(seq, world=False)


def test_round_trip_is_exact_and_keeps_provenance() -> None:
    seq = two_walkers()
    _assert_same(from_xarray(to_xarray(seq)), seq)
    still = replace(seq, fps=None)
    assert "fps" not in to_xarray(still).attrs
    _assert_same(from_xarray(to_xarray(still)), still)


def test_reads_a_plain_movement_dataset_in_frames_with_some_keypoints() -> None:
    position = np.arange(4 * 2 * 2 * 1, dtype=float).reshape(4, 2, 2, 1)
    ds = xr.Dataset(
        {
            "position": (POSES_DIMS, position),
            "confidence": (POSES_DIMS[:1] + POSES_DIMS[2:], np.ones((4, 2, 1))),
        },
        coords={
            "time": np.arange(4),
            "space": ["x", "y"],
            "keypoints": ["left_knee", "nose"],
            "individuals": ["individual_3"],
        },
        attrs={"fps": 25.0, "time_unit": "frames", "source_software": "SLEAP"},
    )
    seq = from_xarray(ds)
    assert seq.time_s.tolist() == [0.0, 0.04, 0.08, 0.12]
    assert seq.frame_index.tolist() == [0, 1, 2, 3]
    assert seq.track_id.tolist() == [3]
    np.testing.assert_array_equal(seq.xy_px[:, 0, Landmark.LEFT_KNEE], position[:, :, 0, 0])
    np.testing.assert_array_equal(seq.xy_px[:, 0, Landmark.NOSE], position[:, :, 1, 0])
    assert np.isnan(seq.xy_px[:, 0, Landmark.LEFT_HIP]).all() and np.isnan(seq.world_m).all()
    assert seq.provenance.model_name == "SLEAP"
    no_fps = ds.copy()
    del no_fps.attrs["fps"]
    with pytest.raises(ValueError, match="no fps"):
        from_xarray(no_fps)


def test_bad_layout_names_every_problem() -> None:
    ds = xr.Dataset(
        {"position": (("time", "space", "keypoints"), np.zeros((2, 2, 1)))},
        coords={"time": [0.0, 0.1], "space": ["x", "y"], "keypoints": ["snout"]},
    )
    with pytest.raises(ValueError, match=r"expected dims .*individuals.*; keypoints not among .*'snout'"):
        from_xarray(ds)
    with pytest.raises(ValueError, match="no 'position' variable"):
        from_xarray(xr.Dataset({"pos": ("time", [1.0])}))


def test_tidy_table_rows_and_values() -> None:
    seq = two_walkers()
    table = to_dataframe(seq)
    assert tuple(table.columns) == DATAFRAME_COLUMNS
    assert len(table) == (12 + 10) * 33  # the second person is unseen in two frames
    row = table[(table.frame == 105) & (table.individual == "id_9") & (table.keypoint == "right_ankle")]
    assert len(row) == 1
    t, p, k = 5, 1, int(Landmark.RIGHT_ANKLE)
    assert row[["x_px", "y_px"]].to_numpy()[0].tolist() == seq.xy_px[t, p, k].tolist()
    assert row["confidence"].item() == seq.visibility[t, p, k]
    assert (
        row[["world_x_m", "world_y_m", "world_z_m"]].to_numpy()[0].tolist() == seq.world_m[t, p, k].tolist()
    )
    assert len(to_dataframe(seq, include_unseen=True)) == 12 * 2 * 33


# --- movement's own tools on our dataset (movement 0.6.1 is the last release that accepts numpy<2) ---


def test_movement_accepts_and_processes_our_dataset() -> None:
    pytest.importorskip("movement", reason="movement not installed (it needs numpy>=2 from 0.7 on)")
    from movement import filtering, kinematics
    from movement.io import save_poses
    from movement.validators.datasets import ValidPosesDataset

    seq = two_walkers()
    ds = to_xarray(seq)
    ValidPosesDataset(
        position_array=ds["position"].values, confidence_array=ds["confidence"].values,
        individual_names=ds["individuals"].values.tolist(), keypoint_names=ds["keypoints"].values.tolist(),
        fps=ds.attrs["fps"], source_software=ds.attrs["source_software"],
    )  # fmt: skip
    # Velocity on an evenly timed copy: the first walker moves right at SPEED_PX_S.
    even = ds.assign_coords(time=np.arange(ds.sizes["time"]) / ds.attrs["fps"])
    velocity = kinematics.compute_velocity(even["position"]).sel(individuals="id_4", keypoints="left_hip")
    np.testing.assert_allclose(velocity.sel(space="x").values, SPEED_PX_S, rtol=1e-9)
    np.testing.assert_allclose(velocity.sel(space="y").values, 0.0, atol=1e-9)
    # Confidence filtering, then back into a PoseSequence.
    filtered = ds.assign(position=filtering.filter_by_confidence(ds["position"], ds["confidence"], 0.6))
    back = from_xarray(filtered)
    low = seq.visibility < 0.6
    assert np.isnan(back.xy_px[low]).all()
    kept = seq.visibility >= 0.6
    np.testing.assert_array_equal(back.xy_px[kept], seq.xy_px[kept])
    # DeepLabCut-style table from movement's own writer.
    dlc = save_poses.to_dlc_style_df(ds, split_individuals=False)
    hip_x = dlc.xs(("id_4", "left_hip", "x"), level=("individuals", "bodyparts", "coords"), axis=1)
    np.testing.assert_array_equal(hip_x.to_numpy().ravel(), seq.xy_px[:, 0, Landmark.LEFT_HIP, 0])


def test_track_ids_from_names_or_in_order() -> None:
    def ids(names: list[str]) -> list[int]:
        ds = xr.Dataset(
            {"position": (POSES_DIMS, np.zeros((1, 2, 1, len(names))))},
            coords={"time": [0.0], "space": ["x", "y"], "keypoints": ["nose"], "individuals": names},
        )
        return from_xarray(ds).track_id.tolist()

    assert ids(["id_7", "individual_2"]) == [7, 2]
    assert ids(["mouse", "rat"]) == [0, 1]
    assert ids(["a1", "b1"]) == [0, 1]  # the same number twice: not ids
