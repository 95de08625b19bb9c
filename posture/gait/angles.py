"""Sagittal joint-angle curves from side-view 2D landmarks, and their mean gait cycle.

Conventions (as Sports2D states them; all angles in degrees)
------------------------------------------------------------
Angles are measured in the *walker's* sagittal frame: u forward along the
walking direction, v up. In image pixels (x right, y down) that is
``u = direction * x`` and ``v = -y``, with ``direction = +1`` for a walker
moving towards +x (image right) and ``-1`` towards image left. So a walker
moving left or right gives the same angles, and mirroring a picture
horizontally leaves every flexion angle unchanged (sides swap with the
mirror, as in :meth:`posture.data.sequence.PoseSequence.mirrored`).

Joint angles (Sports2D's "joint angle conventions"):

- ``<side>_ankle_dorsiflexion``: between heel -> foot index (big toe) and
  ankle -> knee; 0 when the foot is perpendicular to the shank, positive in
  dorsiflexion (toes towards the shin), -90 when the foot is aligned with the
  shank (full plantarflexion). Note the model's heel-to-toe line is not the
  sole, so a flat foot reads a few degrees off zero.
- ``<side>_knee_flexion``: between hip, knee and ankle; 0 when the shank is
  aligned with the thigh, positive in flexion (shank behind the thigh line),
  negative in hyperextension.
- ``<side>_hip_flexion``: between knee, hip and the trunk (shoulder midpoint
  -> hip midpoint, the model has no neck point); 0 when the thigh is aligned
  with the trunk, positive in flexion (thigh in front of the trunk line),
  negative in extension.

Segment angles (Sports2D's "segment angle conventions": anticlockwise from the
horizontal, here the forward horizontal of the walker's frame):

- ``trunk``: hip midpoint -> shoulder midpoint; 90 upright, below 90 when
  leaning forward (forward lean = ``90 - trunk``).
- ``pelvis``: left hip -> right hip. In a side view the two hips nearly
  coincide, so this angle is poorly determined; it is NaN where they do.
  Unlike the joint angles it turns by 180 degrees under a relabelling mirror
  (left and right hips swap).

2D angles hold only for motion parallel to the image plane (a side view with
the camera square to the walking line). Missing landmarks give NaN.
"""

from __future__ import annotations

import numpy as np

from posture.data.skeleton import N_LANDMARKS, Landmark, Side, paired
from posture.gait.events import STRIDE_S

#: Names of the curves :func:`compute_sagittal_angles` returns, in order.
ANGLE_NAMES: tuple[str, ...] = (
    "left_hip_flexion", "left_knee_flexion", "left_ankle_dorsiflexion",
    "right_hip_flexion", "right_knee_flexion", "right_ankle_dorsiflexion",
    "trunk", "pelvis",
)  # fmt: skip

#: Points of the normalised gait cycle: 0, 1, ..., 100 % from one heel strike to the next.
CYCLE_POINTS = 101


def _signed_angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Anticlockwise angle (deg, in (-180, 180]) from vectors ``a`` to ``b``, both (T, 2) in (u, v)."""
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    dot = np.sum(a * b, axis=1)
    out = np.degrees(np.arctan2(cross, dot))
    degenerate = (np.hypot(*a.T) == 0) | (np.hypot(*b.T) == 0)
    return np.where(degenerate, np.nan, out)


def _direction_angle(v: np.ndarray) -> np.ndarray:
    """Anticlockwise angle (deg) of (T, 2) vectors from the forward horizontal; NaN for zero vectors."""
    out = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    return np.where(np.hypot(*v.T) == 0, np.nan, out)


def _wrap(deg: np.ndarray) -> np.ndarray:
    """Angles wrapped into (-180, 180]."""
    return 180.0 - np.mod(180.0 - deg, 360.0)


def walking_direction(xy_px: np.ndarray) -> int:
    """Return +1 if the walker faces image right (+x), -1 if image left.

    Read from the feet, as Sports2D does: the median over frames of the
    heel -> foot index x offset of both feet; if no foot is seen, the travel of
    the hip midpoint from its first to its last seen frame.

    Parameters
    ----------
    xy_px : (T, 33, 2) float
        One person's pixel landmarks (x right, y down), NaN where unseen.

    Raises
    ------
    ValueError
        If neither the feet nor the hips tell a direction.
    """
    toes = xy_px[:, [Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX], 0]
    heels = xy_px[:, [Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL], 0]
    foot = (toes - heels).ravel()
    foot = foot[np.isfinite(foot)]
    if foot.size and np.median(foot) != 0:
        return int(np.sign(np.median(foot)))
    hips = np.mean(xy_px[:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP], 0], axis=1)
    hips = hips[np.isfinite(hips)]
    if hips.size >= 2 and hips[-1] != hips[0]:
        return int(np.sign(hips[-1] - hips[0]))
    raise ValueError(
        "cannot tell the walking direction: no foot seen and the hips do not move; "
        "pass direction=+1 (walking towards image right) or -1 (towards image left)"
    )


def sagittal_frame(xy_px: np.ndarray, direction: int | float | np.ndarray) -> np.ndarray:
    """(T, 33, 2) landmarks in the walker's frame: u = direction * x (forward), v = -y (up).

    ``direction`` is +1 / -1, or a (T,) array of them (NaN frames give NaN).
    """
    d = np.broadcast_to(np.asarray(direction, dtype=float), (len(xy_px),))
    uv = np.empty_like(xy_px, dtype=float)
    uv[..., 0] = d[:, None] * xy_px[..., 0]
    uv[..., 1] = -xy_px[..., 1]
    return uv


def _midpoint(uv: np.ndarray, a: Landmark, b: Landmark) -> np.ndarray:
    return 0.5 * (uv[:, a] + uv[:, b])


def _side_angles(uv: np.ndarray, side: Side, trunk_down: np.ndarray) -> dict[str, np.ndarray]:
    """Hip flexion, knee flexion and ankle dorsiflexion of one side, (T,) each."""
    hip, knee, ankle, heel, toe = (
        uv[:, paired(side, lm)]
        for lm in (Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL,
                   Landmark.LEFT_FOOT_INDEX)
    )  # fmt: skip
    thigh, shank = knee - hip, ankle - knee
    return {
        f"{side}_hip_flexion": _signed_angle(trunk_down, thigh),
        f"{side}_knee_flexion": -_signed_angle(thigh, shank),
        f"{side}_ankle_dorsiflexion": _wrap(90.0 - _signed_angle(toe - heel, knee - ankle)),
    }


def compute_sagittal_angles(
    xy_px: np.ndarray, direction: int | float | np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Joint and segment angle curves of one person walking in a side view.

    Parameters
    ----------
    xy_px : (T, 33, 2) float
        Pixel landmarks (x right, y down) of one person, NaN where unseen,
        e.g. ``seq.xy_px[:, seq.column(track_id)]``.
    direction : +1, -1, (T,) array of them, or None
        Walking direction in the image (+1 towards image right). ``None``
        reads one direction from the feet (:func:`walking_direction`); pass a
        per-frame array for a clip with several passes
        (:func:`direction_from_segments`).

    Returns
    -------
    dict
        ``{name: (T,) degrees}`` for each name in :data:`ANGLE_NAMES`; the
        conventions are in the module docstring.
    """
    xy_px = np.asarray(xy_px, dtype=float)
    if xy_px.ndim != 3 or xy_px.shape[1:] != (N_LANDMARKS, 2):
        raise ValueError(f"xy_px: expected (T, {N_LANDMARKS}, 2), got {xy_px.shape}")
    if direction is None:
        direction = walking_direction(xy_px)
    uv = sagittal_frame(xy_px, direction)
    shoulders = _midpoint(uv, Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    hips = _midpoint(uv, Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    out = _side_angles(uv, Side.LEFT, hips - shoulders)
    out |= _side_angles(uv, Side.RIGHT, hips - shoulders)
    out["trunk"] = _direction_angle(shoulders - hips)
    out["pelvis"] = _direction_angle(uv[:, Landmark.RIGHT_HIP] - uv[:, Landmark.LEFT_HIP])
    return {name: out[name] for name in ANGLE_NAMES}


def direction_from_segments(segments: list, n_frames: int) -> np.ndarray:
    """(T,) walking direction per frame from side-view walking segments, NaN outside them.

    ``segments`` are :class:`posture.gait.conditioning.Segment` objects (``start``/``stop``
    frame indices, ``sign`` +1 for left-to-right); frames in no segment (turns,
    standing) get NaN, so their angles are NaN.
    """
    out = np.full(n_frames, np.nan)
    for seg in segments:
        out[seg.start : seg.stop] = seg.sign
    return out


def _cycle_samples(angle: np.ndarray, time_s: np.ndarray, t0: float, t1: float) -> np.ndarray | None:
    """One cycle resampled at 0..100 %, or None if the angle is unseen anywhere in it."""
    first = max(int(np.searchsorted(time_s, t0, side="right")) - 1, 0)
    last = min(int(np.searchsorted(time_s, t1, side="left")), len(time_s) - 1)
    if time_s[first] > t0 or time_s[last] < t1 or not np.all(np.isfinite(angle[first : last + 1])):
        return None
    grid = np.linspace(t0, t1, CYCLE_POINTS)
    return np.interp(grid, time_s[first : last + 1], angle[first : last + 1])


def cycle_curves(
    angle: np.ndarray,
    time_s: np.ndarray,
    heel_strikes: np.ndarray | list[float],
    max_cycle_s: float = STRIDE_S[1],
) -> tuple[np.ndarray, np.ndarray, int]:
    """Mean and SD of an angle over the gait cycle, 0-100 % from heel strike to heel strike.

    Each interval between consecutive heel strikes of one side is a cycle; its
    samples are linearly interpolated at 101 evenly spaced times (0, 1, ..., 100 %).
    A cycle counts only if the angle is seen (finite) at every frame from the one
    at or before its first heel strike to the one at or after its last, and it
    lasts at most ``max_cycle_s`` (a longer one hides a missed heel strike).

    Parameters
    ----------
    angle : (T,) degrees
        One angle curve, e.g. ``compute_sagittal_angles(...)["left_knee_flexion"]``.
    time_s : (T,) seconds, strictly increasing
    heel_strikes : times in seconds of that side's heel strikes (sub-frame times are fine)
    max_cycle_s : longest cycle kept, seconds

    Returns
    -------
    mean : (101,) degrees, NaN if no cycle counts
    sd : (101,) degrees, sample SD (ddof=1), NaN with fewer than two cycles
    n_cycles : number of cycles that count
    """
    angle, time_s = np.asarray(angle, dtype=float), np.asarray(time_s, dtype=float)
    if angle.shape != time_s.shape or angle.ndim != 1:
        raise ValueError(f"angle and time_s: expected two (T,) arrays, got {angle.shape} and {time_s.shape}")
    strikes = np.sort(np.asarray(heel_strikes, dtype=float))
    cycles = []
    for t0, t1 in zip(strikes[:-1], strikes[1:], strict=True):
        samples = _cycle_samples(angle, time_s, t0, t1) if 0 < t1 - t0 <= max_cycle_s else None
        if samples is not None:
            cycles.append(samples)
    if not cycles:
        return np.full(CYCLE_POINTS, np.nan), np.full(CYCLE_POINTS, np.nan), 0
    stack = np.vstack(cycles)
    sd = stack.std(axis=0, ddof=1) if len(cycles) > 1 else np.full(CYCLE_POINTS, np.nan)
    return stack.mean(axis=0), sd, len(cycles)
