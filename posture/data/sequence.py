"""One data model for landmarks over time: :class:`PoseSequence`.

Every measure consumes a ``PoseSequence``; nothing downstream re-parses
MediaPipe results. Missing values are NaN and mean "not seen".

Axes and units
--------------
- ``xy_px``: pixels, x to the right and y down from the image's top-left corner.
- ``z``: MediaPipe's relative depth, in the same normalised units as x
  (negative = nearer the camera than the hips).
- ``world_m``: metres, origin midway between the hips, as MediaPipe's
  ``pose_world_landmarks`` (x to the image right, y down, z away from camera).
- ``visibility`` / ``presence``: model scores in 0..1.
- ``time_s``: seconds from the start of the source (presentation time).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from posture.data.skeleton import MIRROR, N_LANDMARKS, Landmark

_PER_LANDMARK = {"xy_px": 2, "z": 0, "world_m": 3, "visibility": 0, "presence": 0}


@dataclass(frozen=True)
class Provenance:
    """How a sequence was made: source, model and settings."""

    source: str
    model_name: str
    model_sha256: str
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PoseSequence:
    """Landmarks of P tracked people over T frames (see the module docstring for axes).

    Attributes
    ----------
    time_s : (T,) float
    frame_index : (T,) int
    track_id : (P,) int
    xy_px : (T, P, 33, 2) float
    z, visibility, presence : (T, P, 33) float
    world_m : (T, P, 33, 3) float
    image_size : (width, height) in pixels
    fps : nominal frames per second of the source, ``None`` for a still image
    provenance : source path, model name and hash, settings

    The landmark arrays of a sequence tracked over a video are :data:`VIDEO_DTYPE`
    (float32); those of a picture, a file or a test are float64.
    """

    time_s: np.ndarray
    frame_index: np.ndarray
    track_id: np.ndarray
    xy_px: np.ndarray
    z: np.ndarray
    world_m: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    image_size: tuple[int, int]
    fps: float | None
    provenance: Provenance

    def __post_init__(self) -> None:
        problems = []
        n_t, n_p = len(self.time_s), len(self.track_id)
        if len(self.frame_index) != n_t:
            problems.append(f"frame_index: expected ({n_t},), got {np.shape(self.frame_index)}")
        for name, last in _PER_LANDMARK.items():
            want = (n_t, n_p, N_LANDMARKS) + ((last,) if last else ())
            got = np.shape(getattr(self, name))
            if got != want:
                problems.append(f"{name}: expected {want}, got {got}")
        if n_t > 1 and np.any(np.diff(self.time_s) <= 0):
            problems.append("time_s must increase strictly")
        if len(set(self.track_id.tolist())) != n_p:
            problems.append(f"track_id has duplicates: {self.track_id.tolist()}")
        if problems:
            raise ValueError("invalid PoseSequence: " + "; ".join(problems))

    @property
    def n_frames(self) -> int:
        """Number of frames T."""
        return len(self.time_s)

    @property
    def n_people(self) -> int:
        """Number of tracked people P."""
        return len(self.track_id)

    @property
    def seen(self) -> np.ndarray:
        """(T, P) bool: whether each person was detected in each frame."""
        return ~np.all(np.isnan(self.xy_px[..., 0]), axis=2)

    def column(self, track_id: int) -> int:
        """Return the person axis index of ``track_id``."""
        hits = np.flatnonzero(self.track_id == track_id)
        if hits.size == 0:
            raise KeyError(f"no person with track id {track_id}; ids are {self.track_id.tolist()}")
        return int(hits[0])

    def person(self, track_id: int) -> PoseSequence:
        """Return a one-person sequence for ``track_id``."""
        col = self.column(track_id)
        sel = slice(col, col + 1)
        return replace(
            self,
            track_id=self.track_id[sel],
            xy_px=self.xy_px[:, sel],
            z=self.z[:, sel],
            world_m=self.world_m[:, sel],
            visibility=self.visibility[:, sel],
            presence=self.presence[:, sel],
        )

    def xy(self, landmark: Landmark, track_id: int | None = None) -> np.ndarray:
        """(T, 2) pixel track of one landmark for one person (the first by default)."""
        col = 0 if track_id is None else self.column(track_id)
        return self.xy_px[:, col, int(landmark)]

    def mirrored(self) -> PoseSequence:
        """The sequence as seen in a left-right mirrored image, sides relabelled.

        x becomes ``width - x`` and every left landmark swaps with its right
        twin, so a measure on the mirror image of a photo can be compared with
        the original (test-time augmentation).
        """
        width = float(self.image_size[0])
        xy = self.xy_px[:, :, MIRROR].copy()
        xy[..., 0] = width - xy[..., 0]
        world = self.world_m[:, :, MIRROR].copy()
        world[..., 0] = -world[..., 0]
        return replace(
            self,
            xy_px=xy,
            z=self.z[:, :, MIRROR],
            world_m=world,
            visibility=self.visibility[:, :, MIRROR],
            presence=self.presence[:, :, MIRROR],
        )

    def to_xarray(self, world: bool = True) -> Any:
        """An xarray Dataset laid out as the ``movement`` package's poses datasets (dims time,
        space, keypoints, individuals; ``position``, ``confidence``; see :mod:`posture.interop.xarray`).
        Needs the research extra (``pip install 'posture[research]'``)."""
        from posture.interop.xarray import to_xarray

        return to_xarray(self, world)

    @classmethod
    def from_xarray(cls, ds: Any) -> PoseSequence:
        """A sequence from a movement-style poses Dataset (ours, or one from another tool)."""
        from posture.interop.xarray import from_xarray

        return from_xarray(ds)

    def to_dataframe(self, include_unseen: bool = False) -> Any:
        """A long pandas DataFrame: one row per frame, person and landmark (the research extra)."""
        from posture.interop.xarray import to_dataframe

        return to_dataframe(self, include_unseen)

    def body_height_px(self) -> np.ndarray:
        """(T, P) height of each person's landmark box in pixels (NaN when unseen)."""
        y = self.xy_px[..., 1]
        out = np.full(y.shape[:2], np.nan)
        seen = self.seen
        out[seen] = np.nanmax(y[seen], axis=1) - np.nanmin(y[seen], axis=1)
        return out


#: Landmarks tracked over a video are kept in single precision: the model computes them in float32
#: (1e-4 px on a 2000 px frame), and a 10-minute clip's landmarks take half the memory.
VIDEO_DTYPE = np.float32


#: Length of one person's packed row (33 landmarks x 8 numbers, in the order of :func:`pack_row`).
ROW_SIZE = N_LANDMARKS * sum(last or 1 for last in _PER_LANDMARK.values())


def empty_arrays(n_frames: int, n_people: int, dtype: type = np.float64) -> dict[str, np.ndarray]:
    """NaN-filled landmark arrays for a sequence of the given size."""
    out: dict[str, np.ndarray] = {}
    for name, last in _PER_LANDMARK.items():
        shape = (n_frames, n_people, N_LANDMARKS) + ((last,) if last else ())
        out[name] = np.full(shape, np.nan, dtype=dtype)
    return out


def pack_row(
    xy_px: np.ndarray,
    z: np.ndarray,
    world_m: np.ndarray,
    visibility: np.ndarray,
    presence: np.ndarray,
    out: np.ndarray,
) -> None:
    """Write one person's landmarks of one frame into ``out``, a (:data:`ROW_SIZE`,) array."""
    start = 0
    for values in (xy_px, z, world_m, visibility, presence):
        flat = np.ravel(values)
        out[start : start + flat.size] = flat
        start += flat.size


def unpack_rows(rows: np.ndarray) -> dict[str, np.ndarray]:
    """(N, :data:`ROW_SIZE`) packed rows -> each landmark array of N rows (views, no copy)."""
    out, start = {}, 0
    for name, last in _PER_LANDMARK.items():
        stop = start + N_LANDMARKS * (last or 1)
        out[name] = rows[:, start:stop].reshape((len(rows), N_LANDMARKS) + ((last,) if last else ()))
        start = stop
    return out
