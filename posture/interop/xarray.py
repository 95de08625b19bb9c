"""A :class:`PoseSequence` as an xarray Dataset laid out like a movement poses dataset, and back.

Layout (movement's "poses" dataset, neuroinformatics-unit/movement)
-------------------------------------------------------------------
- ``position`` (time, space, keypoints, individuals): pixels, space = ``x``, ``y``
  (x right, y down from the image's top-left corner).
- ``confidence`` (time, keypoints, individuals): MediaPipe's ``visibility``, 0..1.
- coordinates: ``time`` in seconds (the frames' presentation times, not
  ``frame / fps``), ``keypoints`` = landmark labels (``left_hip`` ...),
  ``individuals`` = ``id_<track id>``; also ``frame`` (on time) and
  ``track_id`` (on individuals).
- attrs: ``ds_type="poses"``, ``source_software="MediaPipe"``, ``fps`` (absent
  for a still), ``time_unit="seconds"``, ``source_file``, plus posture's own
  (``model_name``, ``model_sha256``, ``settings_json``, ``image_width``,
  ``image_height``).

posture's other arrays ride along as extra variables movement ignores:
``presence`` and ``z_relative`` (time, keypoints, individuals) and
``world_position`` (time, world_space, keypoints, individuals), metres,
MediaPipe's world frame (origin between the hips, x right, y down, z away).

Values are stored as float64, so :func:`from_xarray` gives back exactly the
sequence :func:`to_xarray` was given.

Needs the ``research`` extra: ``pip install posture[research]``.
"""

from __future__ import annotations

import json
import re

import numpy as np

from posture import __version__
from posture.data.sequence import PoseSequence, Provenance, empty_arrays
from posture.data.skeleton import Landmark

try:
    import pandas as pd
    import xarray as xr
except ImportError as err:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        f"posture.interop.xarray needs xarray and pandas ({err.name} is missing): "
        "pip install 'posture[research]'"
    ) from err

POSES_DIMS = ("time", "space", "keypoints", "individuals")
_POINT_DIMS = ("time", "keypoints", "individuals")
_WORLD_DIMS = ("time", "world_space", "keypoints", "individuals")
SOURCE_SOFTWARE = "MediaPipe"


def individual_name(track_id: int) -> str:
    """Name of a tracked person in the dataset, e.g. ``id_3``."""
    return f"id_{int(track_id)}"


def _points(values: np.ndarray) -> np.ndarray:
    """(T, P, 33) -> (time, keypoints, individuals)."""
    return np.transpose(values, (0, 2, 1))


def _vectors(values: np.ndarray) -> np.ndarray:
    """(T, P, 33, S) -> (time, space, keypoints, individuals)."""
    return np.transpose(values, (0, 3, 2, 1))


def _attrs(seq: PoseSequence) -> dict[str, object]:
    attrs: dict[str, object] = {
        "ds_type": "poses",
        "source_software": SOURCE_SOFTWARE,
        "time_unit": "seconds",
        "source_file": seq.provenance.source,
        "model_name": seq.provenance.model_name,
        "model_sha256": seq.provenance.model_sha256,
        "settings_json": json.dumps(seq.provenance.settings, sort_keys=True, default=str),
        "image_width": int(seq.image_size[0]),
        "image_height": int(seq.image_size[1]),
        "posture_version": __version__,
    }
    if seq.fps is not None:
        attrs["fps"] = float(seq.fps)
    return attrs


def to_xarray(seq: PoseSequence, world: bool = True) -> xr.Dataset:
    """Return ``seq`` as a movement-style poses dataset (layout in the module docstring).

    Parameters
    ----------
    seq : PoseSequence
    world : bool
        Also store ``world_position`` (metres); ``presence`` and ``z_relative`` are always stored.
    """
    data_vars = {
        "position": (POSES_DIMS, _vectors(seq.xy_px), {"units": "pixels", "axes": "x right, y down"}),
        "confidence": (_POINT_DIMS, _points(seq.visibility), {"meaning": "MediaPipe visibility, 0..1"}),
        "presence": (_POINT_DIMS, _points(seq.presence), {"meaning": "MediaPipe presence, 0..1"}),
        "z_relative": (_POINT_DIMS, _points(seq.z), {"meaning": "MediaPipe relative depth, image-x units"}),
    }
    coords = {
        "time": ("time", np.asarray(seq.time_s, dtype=float), {"units": "seconds"}),
        "space": ["x", "y"],
        "keypoints": [lm.label for lm in Landmark],
        "individuals": [individual_name(t) for t in seq.track_id],
        "frame": ("time", np.asarray(seq.frame_index, dtype=np.int64)),
        "track_id": ("individuals", np.asarray(seq.track_id, dtype=np.int64)),
    }
    if world:
        axes = "MediaPipe world: origin between the hips, x right, y down, z away from the camera"
        data_vars["world_position"] = (_WORLD_DIMS, _vectors(seq.world_m), {"units": "metres", "axes": axes})
        coords["world_space"] = ["x", "y", "z"]
    return xr.Dataset(data_vars=data_vars, coords=coords, attrs=_attrs(seq))


def _check_layout(ds: xr.Dataset) -> None:
    """Raise one ValueError naming every way ``ds`` is not a poses dataset."""
    problems = []
    if "position" not in ds.data_vars:
        problems.append(f"no 'position' variable (variables: {sorted(map(str, ds.data_vars))})")
    else:
        missing = [d for d in POSES_DIMS if d not in ds["position"].dims]
        if missing:
            problems.append(f"position: expected dims {POSES_DIMS}, got {ds['position'].dims}")
        elif not {"x", "y"} <= set(ds["space"].values.tolist()):
            problems.append(f"space: expected coordinates x and y, got {ds['space'].values.tolist()}")
    if "keypoints" in ds.coords:
        known = {lm.label for lm in Landmark}
        unknown = [str(k) for k in ds["keypoints"].values if str(k) not in known]
        if unknown:
            problems.append(f"keypoints not among the 33 BlazePose landmarks: {unknown}")
    if problems:
        raise ValueError("not a poses dataset posture can read: " + "; ".join(problems))


def _time_s(ds: xr.Dataset) -> np.ndarray:
    time = np.asarray(ds["time"].values, dtype=float)
    if ds.attrs.get("time_unit", "seconds") != "frames":
        return time
    if "fps" not in ds.attrs:
        raise ValueError("time is in frames and the dataset has no fps: set ds.attrs['fps'] first")
    return time / float(ds.attrs["fps"])


def _track_ids(ds: xr.Dataset) -> np.ndarray:
    if "track_id" in ds.coords:
        return np.asarray(ds["track_id"].values, dtype=np.int64)
    names = [str(n) for n in ds["individuals"].values]
    numbers = [m.group(1) for n in names if (m := re.search(r"(\d+)$", n))]
    if len(set(numbers)) == len(names):
        return np.array([int(m) for m in numbers], dtype=np.int64)
    return np.arange(len(names), dtype=np.int64)


def _frame_index(ds: xr.Dataset, time_s: np.ndarray) -> np.ndarray:
    if "frame" in ds.coords:
        return np.asarray(ds["frame"].values, dtype=np.int64)
    if "fps" in ds.attrs:
        return np.rint(time_s * float(ds.attrs["fps"])).astype(np.int64)
    return np.arange(len(time_s), dtype=np.int64)


def _fill(arrays: dict[str, np.ndarray], ds: xr.Dataset, columns: list[int]) -> None:
    """Copy the dataset's variables into posture's (T, P, 33[, S]) arrays, in place."""
    order = ("time", "individuals", "keypoints")
    xy = ds["position"].sel(space=["x", "y"]).transpose(*order, "space").values
    arrays["xy_px"][:, :, columns] = xy
    for name, var in (("visibility", "confidence"), ("presence", "presence"), ("z", "z_relative")):
        if var in ds.data_vars:
            arrays[name][:, :, columns] = ds[var].transpose(*order).values
    if "world_position" in ds.data_vars:
        world = ds["world_position"].sel(world_space=["x", "y", "z"]).transpose(*order, "world_space")
        arrays["world_m"][:, :, columns] = world.values


def _provenance(attrs: dict) -> Provenance:
    return Provenance(
        source=str(attrs.get("source_file", "")),
        model_name=str(attrs.get("model_name", attrs.get("source_software", "unknown"))),
        model_sha256=str(attrs.get("model_sha256", "")),
        settings=json.loads(attrs.get("settings_json", "{}")),
    )


def from_xarray(ds: xr.Dataset) -> PoseSequence:
    """Read a poses dataset (ours, or movement's with BlazePose keypoint names) into a PoseSequence.

    Variables the dataset lacks (``confidence``, ``presence``, ``z_relative``,
    ``world_position``) and landmarks it does not list are NaN. A dataset whose
    time is in frames needs its ``fps`` attribute.

    Raises
    ------
    ValueError
        If the layout is not a poses dataset, listing every problem found.
    """
    _check_layout(ds)
    time_s = _time_s(ds)
    arrays = empty_arrays(len(time_s), ds.sizes["individuals"])
    _fill(arrays, ds, [int(Landmark[str(k).upper()]) for k in ds["keypoints"].values])
    fps = ds.attrs.get("fps")
    return PoseSequence(
        time_s=time_s,
        frame_index=_frame_index(ds, time_s),
        track_id=_track_ids(ds),
        image_size=(int(ds.attrs.get("image_width", 0)), int(ds.attrs.get("image_height", 0))),
        fps=None if fps is None else float(fps),
        provenance=_provenance(ds.attrs),
        **arrays,
    )


#: Columns of :func:`to_dataframe`, in order.
DATAFRAME_COLUMNS = (
    "time_s", "frame", "individual", "track_id", "keypoint", "x_px", "y_px", "confidence",
    "presence", "z_relative", "world_x_m", "world_y_m", "world_z_m",
)  # fmt: skip


def to_dataframe(seq: PoseSequence, include_unseen: bool = False) -> pd.DataFrame:
    """Long ("tidy") table: one row per frame, person and landmark (columns :data:`DATAFRAME_COLUMNS`).

    ``confidence`` is the visibility; ``individual`` is ``id_<track id>``. By
    default only the frames in which a person was seen are kept (as in
    ``landmarks.csv``); ``include_unseen=True`` keeps every frame, with NaN.
    """
    n_t, n_p, n_k = seq.visibility.shape
    t, p, k = (a.ravel() for a in np.meshgrid(np.arange(n_t), np.arange(n_p), np.arange(n_k), indexing="ij"))
    labels = np.array([lm.label for lm in Landmark])
    names = np.array([individual_name(i) for i in seq.track_id])
    table = pd.DataFrame({
        "time_s": seq.time_s[t], "frame": seq.frame_index[t], "individual": names[p],
        "track_id": seq.track_id[p], "keypoint": labels[k],
        "x_px": seq.xy_px[..., 0].ravel(), "y_px": seq.xy_px[..., 1].ravel(),
        "confidence": seq.visibility.ravel(), "presence": seq.presence.ravel(), "z_relative": seq.z.ravel(),
        "world_x_m": seq.world_m[..., 0].ravel(), "world_y_m": seq.world_m[..., 1].ravel(),
        "world_z_m": seq.world_m[..., 2].ravel(),
    })  # fmt: skip
    if not include_unseen:
        table = table[seq.seen[t, p]].reset_index(drop=True)
    return table
