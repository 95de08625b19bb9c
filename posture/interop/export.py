"""Export one walker's side-view walk for research tools: angle tables, OpenSim markers and angles.

Used by the walking check's files (:mod:`posture.pipeline.gait_files`): ``angles`` and
``cycles`` for every side view with events, ``trc`` and ``mot`` with ``--export trc``.
It needs only numpy (no extra).

Outputs, by format name:

- ``angles``: ``angles.csv`` (``time_s`` and ``<angle>_deg`` per frame, see
  :mod:`posture.gait.angles` for the names and signs).
- ``cycles``: ``angle_cycles.csv``, each side's hip, knee and ankle angles
  over that side's heel-strike-to-heel-strike cycles, 0-100 %.
- ``trc``: ``markers.trc``, the 33 landmarks (names = landmark labels) in
  metres in OpenSim's axes (X forward along the walk, Y up, Z to the
  subject's right). By default from MediaPipe's world landmarks
  (``world_m``: 3D, origin midway between the hips in every frame, so the
  walker does not travel); with ``px_per_m`` from the image landmarks
  scaled to metres instead (2D: the walker travels, Z = 0).
- ``mot``: ``angles.mot``, the same angles as ``angles.csv`` as an OpenSim
  storage file in degrees.

Frames outside the walking segments (turns), when ``segments`` are given,
have NaN angles and empty markers: the direction of travel is unknown there.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from posture.data.sequence import PoseSequence
from posture.data.skeleton import SIDES, Landmark
from posture.gait.angles import (
    compute_sagittal_angles,
    cycle_curves,
    direction_from_segments,
    walking_direction,
)
from posture.gait.events import HEEL_STRIKE, GaitEvent
from posture.interop.opensim import write_mot, write_trc
from posture.io.angles import write_angles_csv, write_cycles_csv

FORMATS = ("angles", "cycles", "trc", "mot")
LABELS = [lm.label for lm in Landmark]
FILE_NAMES = {"angles": "angles.csv", "cycles": "angle_cycles.csv", "trc": "markers.trc", "mot": "angles.mot"}


def opensim_axes(world_m: np.ndarray, direction: float | np.ndarray) -> np.ndarray:
    """(T, K, 3) MediaPipe world metres (x right, y down, z away) in OpenSim's axes.

    X = direction * x (forward), Y = -y (up), Z = -direction * z (the subject's
    right); a rotation, so lengths and angles are kept. ``direction`` is +1 / -1
    (walking towards image right / left) or a (T,) array of them.
    """
    d = np.broadcast_to(np.asarray(direction, dtype=float), (len(world_m),))[:, None]
    return np.stack([d * world_m[..., 0], -world_m[..., 1], -d * world_m[..., 2]], axis=-1)


def image_markers_m(
    xy_px: np.ndarray, px_per_m: float, image_height: int, direction: float | np.ndarray
) -> np.ndarray:
    """(T, K, 3) image landmarks in metres, OpenSim axes.

    X = direction * x / px_per_m (forward), Y = (image_height - y) / px_per_m (up from the image
    bottom), Z = 0 (no depth in a 2D view).
    """
    if not px_per_m > 0:
        raise ValueError(f"px_per_m: expected a positive scale, got {px_per_m}")
    d = np.broadcast_to(np.asarray(direction, dtype=float), (len(xy_px),))[:, None]
    x, y = xy_px[..., 0], xy_px[..., 1]
    return np.stack(
        [d * x / px_per_m, (image_height - y) / px_per_m, np.where(np.isnan(x), np.nan, 0.0)], axis=-1
    )


def _frame_rate(seq: PoseSequence, fps: float | None) -> float:
    if fps is not None:
        return float(fps)
    if seq.fps is not None:
        return float(seq.fps)
    if seq.n_frames > 1:
        return float(1.0 / np.median(np.diff(seq.time_s)))
    raise ValueError("a walk export needs a frame rate: pass fps")


def walk_direction(seq: PoseSequence, segments: Sequence | None = None) -> float | np.ndarray:
    """The direction of travel: per frame from the walking segments, else one read from the feet."""
    xy = seq.xy_px[:, 0]
    return walking_direction(xy) if segments is None else direction_from_segments(list(segments), len(xy))


def walk_angles(seq: PoseSequence, segments: Sequence | None = None) -> dict[str, np.ndarray]:
    """One person's sagittal angles per frame (:func:`~posture.gait.angles.compute_sagittal_angles`),
    in the direction of travel of each segment (``None``: one direction read from the feet)."""
    return compute_sagittal_angles(seq.xy_px[:, 0], walk_direction(seq, segments))


def side_cycles(
    angles: dict[str, np.ndarray], time_s: np.ndarray, events: Sequence[GaitEvent]
) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """Each side's angles over that side's heel-strike-to-heel-strike cycles: (mean, SD, cycles)."""
    out = {}
    for side in SIDES:
        strikes = [e.time_s for e in events if e.kind == HEEL_STRIKE and e.side == side]
        for name in (n for n in angles if n.startswith(f"{side}_")):
            out[name] = cycle_curves(angles[name], time_s, strikes)
    return out


def _markers(seq: PoseSequence, direction: float | np.ndarray, px_per_m: float | None) -> np.ndarray:
    if px_per_m is None:
        return opensim_axes(seq.world_m[:, 0], direction)
    return image_markers_m(seq.xy_px[:, 0], px_per_m, seq.image_size[1], direction)


def export_walk(
    out_dir: str | Path,
    seq: PoseSequence,
    events: Sequence[GaitEvent],
    *,
    segments: Sequence | None = None,
    fps: float | None = None,
    formats: Sequence[str] = FORMATS,
    px_per_m: float | None = None,
    angles: dict[str, np.ndarray] | None = None,
    cycles: dict[str, tuple[np.ndarray, np.ndarray, int]] | None = None,
) -> dict[str, Path]:
    """Write the walk of one person in the chosen formats; return ``{format: path}``.

    Parameters
    ----------
    out_dir : folder to write into (created if missing)
    seq : one-person sequence, e.g. ``seq.person(track_id)``
    events : gait events of that person (``GaitResult.events``); heel strikes cut the cycles
    segments : straight walking segments (``GaitResult.segments``) giving the direction per
        frame; ``None`` reads one direction from the feet
    fps : frame rate for the ``.trc`` header; defaults to ``seq.fps``
    formats : any of :data:`FORMATS` (file names in :data:`FILE_NAMES`)
    px_per_m : if given, ``markers.trc`` holds image landmarks scaled by it instead of world landmarks
    angles, cycles : :func:`walk_angles` and :func:`side_cycles` of this walk when the caller has them

    Raises
    ------
    ValueError
        For a sequence of more than one person, an unknown format, or no frame rate.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or seq.n_people != 1:
        raise ValueError(f"export_walk: expected one person and formats from {FORMATS}, "
                         f"got {seq.n_people} people and {list(formats)}")  # fmt: skip
    rate = _frame_rate(seq, fps)
    direction = walk_direction(seq, segments)
    if angles is None:
        angles = compute_sagittal_angles(seq.xy_px[:, 0], direction)
    joint_angles = angles
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {f: out / FILE_NAMES[f] for f in formats}
    writers = {
        "angles": lambda p: write_angles_csv(p, seq.time_s, joint_angles),
        "cycles": lambda p: write_cycles_csv(p, cycles or side_cycles(joint_angles, seq.time_s, events)),
        "trc": lambda p: write_trc(p, seq.time_s, _markers(seq, direction, px_per_m), LABELS, rate),
        "mot": lambda p: write_mot(p, seq.time_s, joint_angles),
    }
    for name, path in paths.items():
        writers[name](path)
    return paths
