"""Choosing the walker: the person who walks, not the one seen longest.

On real clips the person in view longest is often a bystander who stands, sits
or jumps in place while the client walks past. :func:`walking_evidence` scores
every tracked person by how far they *walk*: frames count only while the body
moves over the ground at a walking pace (sideways in the picture, or towards or
away from the camera, seen as a change of size) *and* the legs alternate
(the ankles move relative to each other). :func:`select_walker` takes the
person who walked furthest, in their own body heights, and says why, with
everybody else's figures so that ``--subject`` is easy to use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from posture.data.sequence import PoseSequence
from posture.data.skeleton import Landmark as L
from posture.data.stitching import body_centre
from posture.data.tracking import SubjectChoice
from posture.gait import conditioning as cond


@dataclass(frozen=True)
class WalkerSettings:
    """What counts as walking.

    Attributes
    ----------
    min_speed, max_speed
        Walking pace over the ground in body heights per second (0.15-3: a slow
        shuffle to a run; a 1.7 m person at 1.2 m/s covers 0.7 heights a second).
    min_alternation
        Least spread (SD over ``window_s``) of the ankle-to-ankle vector, in body
        heights, for the legs to count as alternating.
    window_s
        Window of that spread, and of the smoothing of the body's path.
    translation_s
        Window over which the body's displacement is taken: a walk keeps going one
        way, a jump or a bend comes back.
    min_walked
        Least distance walked, in body heights, for anyone to count as a walker.
    focal_per_width
        Assumed focal length over image width, to turn a change of size into a
        distance towards or away from the camera (0.9: about a 60 deg lens).
    """

    min_speed: float = 0.15
    max_speed: float = 3.0
    min_alternation: float = 0.04
    window_s: float = 1.0
    translation_s: float = 2.0
    min_walked: float = 1.0
    focal_per_width: float = 0.9


@dataclass(frozen=True)
class WalkingEvidence:
    """How much one tracked person walked."""

    track_id: int
    seen_s: float
    walking_s: float
    walked_body_heights: float
    median_height_px: float

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-ready form."""
        return {
            "track_id": self.track_id,
            "seen_s": round(self.seen_s, 2),
            "walking_s": round(self.walking_s, 2),
            "walked_body_heights": round(self.walked_body_heights, 2),
            "median_height_px": round(self.median_height_px, 1)
            if math.isfinite(self.median_height_px)
            else None,
        }


@dataclass(frozen=True)
class WalkerChoice(SubjectChoice):
    """The walker chosen, why, and everyone's walking evidence (the walker first)."""

    walks: bool = True
    evidence: list[WalkingEvidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The ``subject`` section of result.json."""
        return {
            "track_id": self.track_id,
            "reason": self.reason,
            "walks": self.walks,
            "people": [e.to_dict() for e in self.evidence],
        }


def _smooth_path(values: np.ndarray, time_s: np.ndarray, fps: float, window_s: float) -> np.ndarray:
    filled, _ = cond.fill_gaps(values, time_s, 0.3)
    return cond.lowpass(filled, fps, 1.0 / window_s)


#: Torso + thigh + shank length over standing height (anthropometric tables: 0.30 + 0.245 + 0.246).
SKELETON_PER_HEIGHT = 0.79


def _length(xy: np.ndarray, a: list[L], b: list[L]) -> np.ndarray:
    """(T,) distance between the midpoints of landmarks ``a`` and of landmarks ``b``, in pixels."""
    pa = np.mean(xy[:, [int(k) for k in a]], axis=1)
    pb = np.mean(xy[:, [int(k) for k in b]], axis=1)
    return np.linalg.norm(pa - pb, axis=1)


def skeleton_length_px(xy: np.ndarray) -> np.ndarray:
    """(T,) torso + mean thigh + mean shank length in pixels (NaN when unseen), median-filtered over 7 frames.

    Unlike the body's height it hardly changes when the person crouches, jumps or
    raises the arms, so its change tells a walk towards or away from the camera.
    """
    torso = _length(xy, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER], [L.LEFT_HIP, L.RIGHT_HIP])
    thigh = 0.5 * (_length(xy, [L.LEFT_HIP], [L.LEFT_KNEE]) + _length(xy, [L.RIGHT_HIP], [L.RIGHT_KNEE]))
    shank = 0.5 * (_length(xy, [L.LEFT_KNEE], [L.LEFT_ANKLE]) + _length(xy, [L.RIGHT_KNEE], [L.RIGHT_ANKLE]))
    return _running_median(torso + thigh + shank, 7)


def _running_median(values: np.ndarray, n: int) -> np.ndarray:
    """(T,) NaN-aware centred running median over ``n`` frames (NaN stays NaN)."""
    out = np.full(values.shape[0], np.nan)
    half = n // 2
    for t in np.flatnonzero(np.isfinite(values)):
        out[t] = float(np.nanmedian(values[max(0, t - half) : t + half + 1]))
    return out


def _shifted_diff(values: np.ndarray, n: int) -> np.ndarray:
    """(T,) ``values[t + n/2] - values[t - n/2]``, both ends kept inside the finite run that holds ``t``."""
    out = np.full(values.shape[0], np.nan)
    for start, stop in cond.nan_runs(np.isfinite(values)):
        idx = np.arange(start, stop)
        hi = np.minimum(idx + n // 2, stop - 1)
        lo = np.maximum(idx - n // 2, start)
        out[idx] = values[hi] - values[lo]
    return out


def _running_sd(values: np.ndarray, n: int) -> np.ndarray:
    """(T,) SD of the rows of ``values`` (T, k) in a centred window of ``n`` frames (NaN-aware)."""
    out = np.full(values.shape[0], np.nan)
    half = max(n // 2, 1)
    for t in range(values.shape[0]):
        win = values[max(0, t - half) : t + half + 1]
        win = win[np.isfinite(win).all(axis=1)]
        if win.shape[0] >= max(3, half):
            out[t] = float(np.sqrt(np.sum(np.var(win, axis=0))))
    return out


def walking_evidence(seq: PoseSequence, col: int, settings: WalkerSettings | None = None) -> WalkingEvidence:
    """Score how far the person in column ``col`` walks (see the module docstring)."""
    settings = settings or WalkerSettings()
    fps = float(seq.fps or 30.0)
    t = seq.time_s
    xy = seq.xy_px[:, col]
    seen = seq.seen[:, col]
    heights = seq.body_height_px()[:, col]
    median_h = float(np.nanmedian(heights)) if seen.any() else math.nan
    if seen.sum() < max(5, int(0.5 * fps)) or not math.isfinite(median_h):
        return WalkingEvidence(int(seq.track_id[col]), seen.sum() / fps, 0.0, 0.0, median_h)
    centre = _smooth_path(body_centre(xy), t, fps, settings.window_s)
    skeleton = _smooth_path(skeleton_length_px(xy), t, fps, settings.window_s)
    size = _smooth_path(heights, t, fps, settings.window_s)
    n = max(int(round(settings.translation_s * fps)), 2)
    lateral = np.abs(_shifted_diff(centre[:, 0], n)) / size  # sideways over the ground, not up and down
    focal = settings.focal_per_width * float(seq.image_size[0])
    # towards or away from the camera, in body heights
    depth = focal * SKELETON_PER_HEIGHT * np.abs(_shifted_diff(1.0 / skeleton, n))
    span = _shifted_diff(np.where(np.isfinite(centre[:, 0]), t, np.nan), n)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.hypot(lateral, depth) / span
    dt = np.gradient(t)
    ankles = (xy[:, int(L.LEFT_ANKLE)] - xy[:, int(L.RIGHT_ANKLE)]) / size[:, None]
    alternation = _running_sd(ankles, int(round(settings.window_s * fps)))
    with np.errstate(invalid="ignore"):
        walking = (
            seen
            & (speed >= settings.min_speed)
            & (speed <= settings.max_speed)
            & (alternation >= settings.min_alternation)
        )
    walked = float(np.nansum(speed[walking] * dt[walking]))
    return WalkingEvidence(
        int(seq.track_id[col]), float(seen.sum() / fps), float(walking.sum() / fps), walked, median_h
    )


def select_walker(seq: PoseSequence, settings: WalkerSettings | None = None) -> WalkerChoice:
    """Choose the person who walks furthest (in body heights); say why and list the others.

    When nobody walks at least ``settings.min_walked`` body heights, the person
    who came closest is returned with ``walks=False``.

    Raises
    ------
    ValueError
        The sequence has nobody in it.
    """
    settings = settings or WalkerSettings()
    if seq.n_people == 0:
        raise ValueError("the sequence has no people")
    found = [walking_evidence(seq, col, settings) for col in range(seq.n_people)]
    ranked = sorted(found, key=lambda e: (e.walked_body_heights, e.seen_s), reverse=True)
    best = ranked[0]
    walks = best.walked_body_heights >= settings.min_walked
    others = ranked[1:]
    if walks:
        reason = (
            f"walks {best.walked_body_heights:.1f} body heights in {best.walking_s:.1f} s "
            f"(median height {best.median_height_px:.0f} px)"
        )
        if others:
            runner = others[0]
            reason += (
                f"; the one who walks furthest of {seq.n_people} people "
                f"(next: #{runner.track_id}, {runner.walked_body_heights:.1f} body heights)"
            )
    else:
        reason = (
            f"nobody walks: the furthest anyone moves at a walking pace with alternating legs is "
            f"{best.walked_body_heights:.1f} body heights (#{best.track_id}; "
            f"at least {settings.min_walked:g} needed)"
        )
    return WalkerChoice(best.track_id, reason, walks, ranked)
