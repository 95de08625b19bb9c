"""Signal conditioning for gait: gap filling, zero-lag low-pass, left/right swap repair, direction.

All functions take and return plain numpy arrays with time on axis 0. Pixel
coordinates follow :mod:`posture.data.sequence` (x right, y down); times are
seconds. NaN means "not seen" on input; a NaN that survives conditioning means
"not seen and not safely fillable".
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, filtfilt

#: Longest gap (s) bridged by interpolation; Stenum et al. 2021 filled gaps up to 120 ms.
MAX_GAP_S = 0.12
#: Default low-pass cut-off (Hz) of the zero-lag 2nd-order Butterworth filter.
CUTOFF_HZ = 6.0
#: Landmarks whose visibility score is below this are treated as not seen.
MIN_VISIBILITY = 0.05


def mask_low_confidence(
    xy: np.ndarray, visibility: np.ndarray, threshold: float = MIN_VISIBILITY
) -> np.ndarray:
    """Return ``xy`` (T, ..., 2) with points whose ``visibility`` (T, ...) is below ``threshold`` as NaN."""
    out = np.array(xy, dtype=float, copy=True)
    low = ~(np.nan_to_num(visibility, nan=0.0) >= threshold)
    out[low] = np.nan
    return out


#: Window (s) of the running median that spikes are judged against.
SPIKE_WINDOW_S = 0.2
#: A point further than this share of the body height from its running median is a spike.
SPIKE_BODY_SHARE = 0.06
#: Longest spike (s); longer departures are left to the swap repair.
SPIKE_MAX_S = 0.1


def reject_spikes(
    xy: np.ndarray,
    fps: float,
    body_px: float,
    window_s: float = SPIKE_WINDOW_S,
    body_share: float = SPIKE_BODY_SHARE,
    max_s: float = SPIKE_MAX_S,
) -> tuple[np.ndarray, np.ndarray]:
    """Blank single-frame jumps of the model (a leg swapped for a frame, a point thrown off) in ``xy``.

    A point is a spike when it lies more than ``body_share x body_px`` from the
    running median of its own track over ``window_s`` (at least 5 frames). A
    running median follows steady motion exactly (a heel swinging forwards is
    monotonic over such a window), so only points that jump away and back are
    hit; they become NaN, for :func:`fill_gaps` to bridge. Points whose window
    is not wholly seen (the clip's ends, next to a gap) are not judged, nor runs
    longer than ``max_s`` (a leg swap that lasts is for :func:`repair_swaps`).

    Parameters
    ----------
    xy : (T, K, 2) float
        Pixel tracks of K landmarks; NaN = not seen.
    fps : float
        Frames per second.
    body_px : float
        The person's body height in pixels.

    Returns
    -------
    The cleaned copy of ``xy``, and a (T, K) bool array of the points blanked.
    """
    n = max(5, int(round(window_s * fps)) | 1)
    out = np.array(xy, dtype=float, copy=True)
    if out.shape[0] < n or not np.isfinite(body_px):
        return out, np.zeros(out.shape[:2], bool)
    half = n // 2
    padded = np.pad(out, ((half, half), (0, 0), (0, 0)), constant_values=np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(padded, n, axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows stay NaN
        median = np.nanmedian(windows, axis=-1)
    full = np.isfinite(windows).all(axis=-1).all(axis=-1)  # judged only where the whole window is seen
    with np.errstate(invalid="ignore"):
        spikes = (np.linalg.norm(out - median, axis=-1) > body_share * body_px) & full
    longest = max(int(round(max_s * fps)), 1)
    for k in range(spikes.shape[1]):
        for a, b in nan_runs(spikes[:, k]):
            if b - a > longest:  # a sustained departure is motion or a swap for the swap repair
                spikes[a:b, k] = False
    out[spikes] = np.nan
    return out, spikes


def nan_runs(missing: np.ndarray) -> list[tuple[int, int]]:
    """Return ``(start, stop)`` index pairs (stop exclusive) of the True runs of a 1-D bool array."""
    padded = np.concatenate([[False], np.asarray(missing, bool), [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def fill_gaps(
    values: np.ndarray, time_s: np.ndarray, max_gap_s: float = MAX_GAP_S
) -> tuple[np.ndarray, np.ndarray]:
    """Linearly interpolate interior NaN gaps no longer than ``max_gap_s``.

    Parameters
    ----------
    values : (T, ...) float
        Any signal with time on axis 0; each trailing column is filled on its own.
    time_s : (T,) float
        Sample times in seconds.
    max_gap_s : float
        Longest bridged gap, measured between the last sample before and the first
        after it (so a single missing frame at 30 fps is a 0.067 s gap). Gaps at the
        start or end of the clip are never filled (no extrapolation).

    Returns
    -------
    filled : (T, ...) float
    was_filled : (T, ...) bool, True where a value was interpolated.
    """
    arr = np.array(values, dtype=float, copy=True)
    flat = arr.reshape(len(arr), -1)
    filled = np.zeros(flat.shape, bool)
    for col in range(flat.shape[1]):
        v = flat[:, col]
        for a, b in nan_runs(np.isnan(v)):
            if a == 0 or b == len(v) or time_s[b] - time_s[a - 1] > max_gap_s + 1e-9:
                continue
            v[a:b] = np.interp(time_s[a:b], [time_s[a - 1], time_s[b]], [v[a - 1], v[b]])
            filled[a:b, col] = True
    return arr, filled.reshape(arr.shape)


def default_cutoff_hz(fps: float, cutoff_hz: float = CUTOFF_HZ) -> float:
    """Return the cut-off to use at ``fps``: ``cutoff_hz`` but at most 40% of the Nyquist frequency."""
    return float(min(cutoff_hz, 0.2 * fps))


def lowpass(values: np.ndarray, fps: float, cutoff_hz: float | None = None) -> np.ndarray:
    """Zero-lag low-pass: 2nd-order Butterworth run forwards and backwards (``filtfilt``).

    Each finite run of samples is filtered on its own (NaN gaps stay NaN); runs
    too short for the filter's padding are returned unfiltered.

    Parameters
    ----------
    values : (T, ...) float
    fps : float
        Sampling rate in frames per second.
    cutoff_hz : float, optional
        Cut-off frequency; default :func:`default_cutoff_hz` (6 Hz, lower at low fps).
    """
    cut = default_cutoff_hz(fps) if cutoff_hz is None else cutoff_hz
    b, a = butter(2, min(cut / (fps / 2.0), 0.99))
    arr = np.array(values, dtype=float, copy=True)
    flat = arr.reshape(len(arr), -1)
    pad = 3 * max(len(a), len(b))
    for col in range(flat.shape[1]):
        v = flat[:, col]
        for start, stop in nan_runs(~np.isnan(v)):
            if stop - start > pad:
                v[start:stop] = filtfilt(b, a, v[start:stop])
    return arr


def _chain_cost(prev2: np.ndarray, prev1: np.ndarray, cur: np.ndarray, cap: float) -> float:
    """Distance (px) of ``cur`` from the constant-velocity prediction, each point's capped at ``cap``.

    The cap keeps a one-frame outlier of a single landmark from paying for a swap; NaN points are ignored.
    """
    pred = np.where(np.isnan(prev2), prev1, 2.0 * prev1 - prev2)
    d = np.minimum(np.linalg.norm(cur - pred, axis=-1), cap)
    return float(np.nansum(d)) if np.isfinite(d).any() else 0.0


def swap_states(
    left: np.ndarray, right: np.ndarray, penalty_px: float, depth_gap: np.ndarray | None = None
) -> np.ndarray:
    """Most continuous left/right labelling of two leg chains over time (Viterbi, 2nd order).

    Parameters
    ----------
    left, right : (T, K, 2) float
        Pixel positions of K landmarks of each leg as labelled by the model.
    penalty_px : float
        Cost of changing the labelling between two frames, in pixels of
        prediction error; higher values need stronger evidence to swap.
    depth_gap : (T,) float, optional
        Model depth of the left leg minus the right leg. In a side view one leg
        is nearer all along; a frame whose depth order contradicts the clip's
        majority costs ``penalty_px`` to keep (and nothing to swap). Away from
        crossings continuity alone cannot tell a wrong labelling from a right one.

    Returns
    -------
    (T,) bool, True where the model's labels should be exchanged.
    """
    n = len(left)
    if n < 3:
        return np.zeros(n, bool)
    unary = np.zeros((n, 2))
    if depth_gap is not None and np.isfinite(depth_gap).any():
        usual = np.sign(np.nanmedian(depth_gap))
        odd = np.nan_to_num(np.sign(depth_gap) == -usual, nan=0.0).astype(float)
        unary[:, 0], unary[:, 1] = penalty_px * odd, penalty_px * (1.0 - odd)
    legs = np.stack([left, right])  # (2, T, K, 2)
    view = [legs, legs[::-1]]  # state 0: as labelled, state 1: swapped
    # state pair (s_prev, s_cur) -> cost
    cost = np.zeros((2, 2))
    cost[0, 1] = cost[1, 0] = penalty_px
    back: list[np.ndarray] = []
    for t in range(2, n):
        new = np.full((2, 2), np.inf)
        arg = np.zeros((2, 2), int)
        for s1 in range(2):
            for s2 in range(2):
                step = (penalty_px if s1 != s2 else 0.0) + unary[t, s2]
                for s0 in range(2):
                    c = cost[s0, s1] + step
                    for leg in range(2):
                        c += _chain_cost(
                            view[s0][leg, t - 2], view[s1][leg, t - 1], view[s2][leg, t], 2.0 * penalty_px
                        )
                    if c < new[s1, s2]:
                        new[s1, s2], arg[s1, s2] = c, s0
        cost = new
        back.append(arg)
    best = np.unravel_index(int(np.argmin(cost)), cost.shape)
    states = [int(best[1]), int(best[0])]
    for arg in reversed(back):
        s0 = int(arg[states[-1], states[-2]])
        states.append(s0)
    out = np.array(states[::-1][:n], bool)
    # Keep the majority labelling as the model's: a clip-long swap cannot be seen by continuity.
    return ~out if out.mean() > 0.5 else out


def repair_swaps(
    xy: np.ndarray, pairs: list[tuple[int, int]], penalty_px: float, z: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Undo frames where the model exchanged the left and right leg (side views).

    Parameters
    ----------
    xy : (T, 33, 2) float
        One person's pixel landmarks.
    pairs : list of (left index, right index)
        The leg landmarks swapped together (e.g. knee, ankle, heel, foot index).
    penalty_px : float
        See :func:`swap_states`; a tenth of the body height works well.
    z : (T, 33) float, optional
        Model depth per landmark (smaller = nearer); adds the depth-order cue.

    Returns
    -------
    repaired : (T, 33, 2) float
    swapped : (T,) bool, frames whose leg labels were exchanged.
    """
    li = [p[0] for p in pairs]
    ri = [p[1] for p in pairs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames whose legs are not seen
        gap = None if z is None else np.nanmean(z[:, li], axis=1) - np.nanmean(z[:, ri], axis=1)
    swapped = swap_states(xy[:, li], xy[:, ri], penalty_px, gap)
    out = np.array(xy, dtype=float, copy=True)
    rows = np.flatnonzero(swapped)
    lcols, rcols = np.asarray(li, dtype=np.intp), np.asarray(ri, dtype=np.intp)
    out[np.ix_(rows, lcols)] = xy[np.ix_(rows, rcols)]
    out[np.ix_(rows, rcols)] = xy[np.ix_(rows, lcols)]
    return out, swapped


@dataclass(frozen=True)
class Segment:
    """A stretch of straight walking in one direction.

    ``direction``: ``left_to_right`` / ``right_to_left`` (image x, side views),
    ``towards_camera`` / ``away`` (front and back views). ``start``/``stop`` are
    frame indices (stop exclusive); times in seconds.
    """

    direction: str
    start: int
    stop: int
    start_s: float
    end_s: float

    @property
    def sign(self) -> float:
        """+1 when progression is towards +image x (side) or towards the camera (front)."""
        return 1.0 if self.direction in ("left_to_right", "towards_camera") else -1.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {"direction": self.direction, "start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3)}


#: Least sideways walking speed, body heights per second (about 0.25 m/s for 1.7 m).
MIN_SIDE_SPEED = 0.15
#: Least rate of change of the log apparent size (1/s) towards or away from the camera: walking
#: speed over camera distance, so 0.05/s is 0.4 m/s at 8 m (a walker far away changes size slowly).
MIN_FRONTAL_SPEED = 0.05


def progression_signal(pelvis_xy: np.ndarray, body_px: np.ndarray, lateral: bool) -> np.ndarray:
    """Return the signal whose increase means forward progression, in body heights.

    Side views (``lateral``): pelvis image x / median body height. Front and back
    views: log of the apparent body height (grows as the subject comes closer).
    """
    if lateral:
        return pelvis_xy[:, 0] / np.nanmedian(body_px)
    return np.log(body_px)


#: A dip below the walking speed shorter than this, between two stretches in the same direction,
#: is a wobble of the progression signal (a misplaced foot or head in a few frames), not a pause.
MAX_DIP_S = 0.5


def _bridge_slowdowns(sign: np.ndarray, time_s: np.ndarray, max_dip_s: float) -> np.ndarray:
    """``sign`` (T,) of -1/0/+1 with short 0 runs between equal non-zero neighbours set to them."""
    out = sign.copy()
    for a, b in nan_runs(sign == 0):
        if a > 0 and b < len(sign) and sign[a - 1] == sign[b] and time_s[b] - time_s[a - 1] <= max_dip_s:
            out[a:b] = sign[b]
    return out


def walking_segments(
    signal: np.ndarray,
    time_s: np.ndarray,
    fps: float,
    lateral: bool,
    min_speed: float | None = None,
    min_duration_s: float = 1.0,
    max_dip_s: float = MAX_DIP_S,
) -> list[Segment]:
    """Split a clip into straight walking segments; turns (reversals) and pauses split them.

    Parameters
    ----------
    signal : (T,) float
        :func:`progression_signal` (body heights, or log apparent size).
    time_s : (T,) float
    fps : float
    lateral : bool
        True for side views (directions left/right), False for front/back.
    min_speed : float, optional
        Least progression speed (signal units per second) counted as walking; default
        :data:`MIN_SIDE_SPEED` sideways, :data:`MIN_FRONTAL_SPEED` towards or away from the camera.
    min_duration_s : float
        Shorter segments are dropped.
    max_dip_s : float
        Slow-downs shorter than this between stretches in the same direction are bridged.
    """
    if min_speed is None:
        min_speed = MIN_SIDE_SPEED if lateral else MIN_FRONTAL_SPEED
    filled, _ = fill_gaps(signal, time_s, 0.5)
    smooth = lowpass(filled, fps, 1.0)
    vel = np.gradient(smooth, time_s)
    sign = _bridge_slowdowns(
        np.where(vel > min_speed, 1, np.where(vel < -min_speed, -1, 0)), time_s, max_dip_s
    )
    names = {1: "left_to_right", -1: "right_to_left"} if lateral else {1: "towards_camera", -1: "away"}
    out = []
    for value, name in names.items():
        for a, b in nan_runs(sign == value):
            if time_s[b - 1] - time_s[a] >= min_duration_s:
                out.append(Segment(name, a, b, float(time_s[a]), float(time_s[b - 1])))
    return sorted(out, key=lambda s: s.start)
