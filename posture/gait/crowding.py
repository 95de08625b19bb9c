"""Frames where the walker's landmarks cannot be trusted because someone else is in the way.

The pose model fits one skeleton to each person it finds, from a crop around them.
When a second person overlaps the walker (two people walking side by side, a
passer-by crossing in front) the model either finds both and their boxes overlap,
or finds one and builds the skeleton from parts of both. Two per-frame cues:

- **overlap**: another tracked person's landmark box covers more than
  ``max_overlap`` of the walker's;
- **mismatched legs** (side views only): seen from the side both legs have about
  the same image length (the far one a few percent shorter); a leg more than
  ``max_leg_mismatch`` (log ratio) longer or shorter than the other belongs to
  someone else, or is guessed behind an occluder.

The feet of such frames are not used. A single frame with a cue happens in clean
clips too (a far leg guessed for an instant); where cues come densely (at least
``min_share`` of the frames within ``window_s``) the whole stretch is
*crowded*, and no event within ``guard_s`` of it is reported: the skeleton
there may be built from two people, and its events would be made up.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from posture.data.sequence import PoseSequence
from posture.data.skeleton import Landmark as L


@dataclass(frozen=True)
class CrowdingSettings:
    """When another person is in the walker's way (shares, seconds, body heights)."""

    #: Largest share of the walker's landmark box another person's box may cover.
    max_overlap: float = 0.2
    #: Largest |log(left leg / right leg)| image length accepted in a side view (about 16%).
    max_leg_mismatch: float = 0.15
    #: Another "person" seen for less than this (s) in the whole clip is a ghost of the model, not a cue.
    min_other_s: float = 0.2
    #: Width (s) of the window over which cue frames are counted.
    window_s: float = 0.5
    #: Share of a window's frames with a cue that makes its centre crowded.
    min_share: float = 0.25
    #: Events closer than this (s) to a crowded frame are not reported.
    guard_s: float = 0.25
    #: Distance from the picture's edges, in body heights, within which a body may be cut off.
    edge_margin: float = 0.25


DEFAULT = CrowdingSettings()

#: Leg and foot landmarks not used in a frame with a cue.
FOOT_LANDMARKS = (
    L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE,
    L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX,
)  # fmt: skip


def _boxes(xy: np.ndarray) -> np.ndarray:
    """(T, P, 4) landmark boxes x0, y0, x1, y1 (NaN when unseen) of (T, P, 33, 2) landmarks."""
    with np.errstate(all="ignore"):
        lo = np.nanmin(xy, axis=2)
        hi = np.nanmax(xy, axis=2)
    return np.concatenate([lo, hi], axis=-1)


def overlapped_frames(seq: PoseSequence, track_id: int, settings: CrowdingSettings = DEFAULT) -> np.ndarray:
    """(T,) bool: frames where another person's box covers more than ``max_overlap`` of the walker's."""
    col = seq.column(track_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN frames of people not seen
        boxes = _boxes(seq.xy_px)
    mine = boxes[:, col]
    area = np.prod(mine[:, 2:] - mine[:, :2], axis=1)
    out = np.zeros(seq.n_frames, bool)
    seen = seq.seen
    fps = float(seq.fps or 30.0)
    for other in range(seq.n_people):
        if other == col or seen[:, other].sum() < settings.min_other_s * fps:
            continue  # a skeleton seen for a blink is the model's ghost, not a person in the way
        theirs = boxes[:, other]
        w = np.minimum(mine[:, 2], theirs[:, 2]) - np.maximum(mine[:, 0], theirs[:, 0])
        h = np.minimum(mine[:, 3], theirs[:, 3]) - np.maximum(mine[:, 1], theirs[:, 1])
        inter = np.clip(np.nan_to_num(w), 0, None) * np.clip(np.nan_to_num(h), 0, None)
        with np.errstate(all="ignore"):
            out |= np.nan_to_num(inter / area) > settings.max_overlap
    return out


def leg_mismatch_frames(xy: np.ndarray, settings: CrowdingSettings = DEFAULT) -> np.ndarray:
    """(T,) bool: frames whose two legs (hip-knee-ankle, image length) differ by more than the limit.

    ``xy``: one person's (T, 33, 2) pixel landmarks. Frames with a leg not seen are False.
    """

    def leg(hip: L, knee: L, ankle: L) -> np.ndarray:
        thigh = np.linalg.norm(xy[:, hip] - xy[:, knee], axis=1)
        return thigh + np.linalg.norm(xy[:, knee] - xy[:, ankle], axis=1)

    left = leg(L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE)
    right = leg(L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE)
    with np.errstate(all="ignore"):
        ratio = np.abs(np.log(left / right))
    return np.nan_to_num(ratio, nan=0.0) > settings.max_leg_mismatch


def at_frame_edge(
    xy: np.ndarray, image_size: tuple[int, int], margin: float = DEFAULT.edge_margin
) -> np.ndarray:
    """(T,) bool: frames where a landmark lies within ``margin`` body heights of the picture's left, right
    or bottom edge, or beyond it: the body is (about to be) cut off there and the model guesses the rest."""
    w, h = image_size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames where the walker is not seen
        body = np.nanmax(xy[..., 1], axis=1) - np.nanmin(xy[..., 1], axis=1)
        pad = margin * np.nan_to_num(body)[:, None]
        with np.errstate(invalid="ignore"):
            near = (xy[..., 0] < pad) | (xy[..., 0] > w - pad) | (xy[..., 1] > h - pad)
    return near.any(axis=1)


def cue_frames(
    seq: PoseSequence, track_id: int, xy: np.ndarray, lateral: bool, settings: CrowdingSettings = DEFAULT
) -> np.ndarray:
    """(T,) bool: frames with a cue that someone else is in the way (see the module docstring).

    Legs of unequal length at the edge of the picture are a body cut off by the
    frame, not another person: they are not a cue.
    """
    cues = overlapped_frames(seq, track_id, settings)
    if lateral:
        cues |= leg_mismatch_frames(xy, settings) & ~at_frame_edge(xy, seq.image_size, settings.edge_margin)
    return cues


def crowded_stretches(
    cues: np.ndarray, time_s: np.ndarray, settings: CrowdingSettings = DEFAULT
) -> np.ndarray:
    """(T,) bool: frames whose surrounding ``window_s`` has at least ``min_share`` cue frames."""
    t = np.asarray(time_s, dtype=float)
    lo = np.searchsorted(t, t - settings.window_s / 2, side="left")
    hi = np.searchsorted(t, t + settings.window_s / 2, side="right")
    counts = np.concatenate([[0], np.cumsum(cues)])
    share = (counts[hi] - counts[lo]) / np.maximum(hi - lo, 1)
    return share >= settings.min_share


def near_crowding(
    time_s: np.ndarray, crowded: np.ndarray, t: float, guard_s: float = DEFAULT.guard_s
) -> bool:
    """Whether ``t`` lies within ``guard_s`` seconds of a crowded frame."""
    near = np.abs(np.asarray(time_s) - t) <= guard_s
    return bool(np.any(crowded & near))


def mask_feet(xy: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """A copy of (T, 33, 2) ``xy`` with the leg and foot landmarks of ``frames`` set to NaN."""
    out = np.array(xy, dtype=float, copy=True)
    rows = np.flatnonzero(frames)
    out[np.ix_(rows, np.asarray(FOOT_LANDMARKS, dtype=np.intp))] = np.nan
    return out
