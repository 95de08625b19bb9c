"""Joining track fragments that belong to one person.

The online :class:`~posture.data.tracking.Tracker` gives a new id whenever the
model loses a person for longer than its gate allows: behind a tree or a
passer-by, at the frame edge, or when the skeleton jumps for a few frames. On
real clips one walker then becomes two or three fragments, and none of them
looks like "the person who walks". :func:`stitch_fragments` looks at the whole
clip afterwards and joins a fragment that ends to one that starts soon after,
where the person would be by then, at the same size and (when known) in the same
clothes. Two fragments seen together in more than a few frames are two people
and are never joined.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np

from posture.data.sequence import PoseSequence
from posture.data.skeleton import TORSO


@dataclass(frozen=True)
class StitchSettings:
    """When two fragments are one person.

    Attributes
    ----------
    max_gap_s
        Longest time between the end of one fragment and the start of the next.
    max_overlap_frames
        Frames both fragments may share (the model sometimes sees one person twice
        as the tracker hands over); in them the two must be within ``duplicate_dist``.
    duplicate_dist
        Largest distance of two detections of one person, in body heights.
    base_dist, dist_per_s
        Largest miss of the predicted position, in body heights: ``base + per_s x gap``.
    max_log_size
        Largest |log| of the ratio of the two fragments' heights at the hand-over.
    max_look
        Largest clothing-colour distance (Hellinger, 0..1) when both colours are known.
    edge_s
        How much of each fragment's end (start) gives its position, height and velocity.
    """

    max_gap_s: float = 2.0
    max_overlap_frames: int = 3
    duplicate_dist: float = 0.35
    base_dist: float = 0.6
    dist_per_s: float = 0.8
    max_log_size: float = 0.4
    max_look: float = 0.45
    edge_s: float = 0.5


@dataclass(frozen=True)
class Stitch:
    """One join: ``merged_id``'s frames were given to ``kept_id``."""

    kept_id: int
    merged_id: int
    gap_s: float
    miss_heights: float

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready form."""
        return {
            "kept_id": self.kept_id,
            "merged_id": self.merged_id,
            "gap_s": round(self.gap_s, 3),
            "position_miss_body_heights": round(self.miss_heights, 3),
        }


@dataclass(frozen=True)
class _Edge:
    """Where a fragment is at one of its ends: frame, time, centre (px), height (px), velocity (px/s)."""

    frame: int
    time_s: float
    centre: np.ndarray
    height: float
    velocity: np.ndarray


def body_centre(xy: np.ndarray) -> np.ndarray:
    """(T, 2) centre of the torso (mean of shoulders and hips), else of all seen points; NaN when unseen."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames where nothing is seen stay NaN
        centre = np.nanmean(xy[:, list(TORSO)], axis=1)
        whole = np.nanmean(xy, axis=1)
    return np.where(np.isnan(centre), whole, centre)


def _edge(seq: PoseSequence, col: int, frames: np.ndarray, at_end: bool, span_s: float) -> _Edge:
    """Position, size and velocity of a fragment over ``span_s`` at its start or end."""
    t = seq.time_s
    xy = seq.xy_px[:, col]
    frame = int(frames[-1] if at_end else frames[0])
    near = frames[np.abs(t[frames] - t[frame]) <= span_s]
    centres = body_centre(xy[near])
    heights = seq.body_height_px()[near, col]
    velocity = np.zeros(2)
    if near.size >= 3:
        for k in range(2):
            velocity[k] = np.polyfit(t[near], centres[:, k], 1)[0]
    return _Edge(frame, float(t[frame]), centres[-1 if at_end else 0], float(np.nanmedian(heights)), velocity)


def _overlap_ok(seq: PoseSequence, a: int, b: int, settings: StitchSettings) -> bool:
    """Whether columns ``a`` and ``b`` are seen together in few enough frames, and then at one place."""
    both = np.flatnonzero(seq.seen[:, a] & seq.seen[:, b])
    if both.size == 0:
        return True
    if both.size > settings.max_overlap_frames:
        return False
    ca = body_centre(seq.xy_px[both, a])
    cb = body_centre(seq.xy_px[both, b])
    height = np.nanmax(seq.body_height_px()[both][:, [a, b]], axis=1)
    return bool(np.all(np.linalg.norm(ca - cb, axis=1) <= settings.duplicate_dist * height))


def _join_cost(
    end: _Edge, start: _Edge, look: float | None, settings: StitchSettings
) -> tuple[float, float] | None:
    """(cost, position miss in body heights) of joining a fragment ending at ``end`` to one starting at
    ``start``, or None when they cannot be one person."""
    gap = start.time_s - end.time_s
    if gap > settings.max_gap_s or start.frame < end.frame - settings.max_overlap_frames:
        return None
    height = 0.5 * (end.height + start.height)
    if not np.isfinite(height) or height <= 0:
        return None
    size = abs(float(np.log(start.height / end.height)))
    if size > settings.max_log_size:
        return None
    dt = max(gap, 0.0)
    forward = end.centre + end.velocity * dt
    backward = start.centre - start.velocity * dt
    miss = 0.5 * (np.linalg.norm(forward - start.centre) + np.linalg.norm(backward - end.centre)) / height
    if not np.isfinite(miss) or miss > settings.base_dist + settings.dist_per_s * dt:
        return None
    if look is not None and look > settings.max_look:
        return None
    return float(miss + size + (look or 0.0) + 0.2 * dt), float(miss)


def stitch_fragments(
    seq: PoseSequence,
    appearance: dict[int, np.ndarray] | None = None,
    settings: StitchSettings | None = None,
) -> tuple[PoseSequence, list[Stitch]]:
    """Join fragments of one person into one track (see the module docstring).

    Parameters
    ----------
    seq
        Tracked people of a video.
    appearance
        Optional clothing-colour histogram per track id (normalised, same bins for all).
    settings
        Thresholds; :class:`StitchSettings` defaults.

    Returns
    -------
    The sequence with joined columns (the earliest fragment's id is kept; merged
    columns are removed) and the joins made, in the order they were made.
    """
    settings = settings or StitchSettings()
    if seq.n_people < 2 or seq.fps is None:
        return seq, []
    candidates = _candidates(seq, appearance or {}, settings)
    owner = list(range(seq.n_people))  # column -> column it now belongs to
    tail = list(range(seq.n_people))  # chain head column -> its last fragment's column
    joined_start: set[int] = set()
    stitches: list[Stitch] = []
    for _, miss, a, b in sorted(candidates):
        head = owner[a]
        if tail[head] != a or b in joined_start or owner[b] != b or head == b:
            continue
        pairs = [(x, y) for x in _members(owner, head) for y in _members(owner, b)]
        if not all(_overlap_ok(seq, x, y, settings) for x, y in pairs):
            continue
        for col in _members(owner, b):
            owner[col] = head
        tail[head] = tail[b]
        joined_start.add(b)
        first_b, last_a = np.flatnonzero(seq.seen[:, b])[0], np.flatnonzero(seq.seen[:, a])[-1]
        gap = float(seq.time_s[first_b] - seq.time_s[last_a])
        stitches.append(Stitch(int(seq.track_id[head]), int(seq.track_id[b]), gap, miss))
    return _merge_columns(seq, owner), stitches


def _members(owner: list[int], head: int) -> list[int]:
    return [col for col, o in enumerate(owner) if o == head]


def _candidates(
    seq: PoseSequence, appearance: dict[int, np.ndarray], settings: StitchSettings
) -> list[tuple[float, float, int, int]]:
    """Every possible (cost, miss, ending column, starting column) join."""
    seen = seq.seen
    frames = [np.flatnonzero(seen[:, c]) for c in range(seq.n_people)]
    ends = {c: _edge(seq, c, f, True, settings.edge_s) for c, f in enumerate(frames) if f.size}
    starts = {c: _edge(seq, c, f, False, settings.edge_s) for c, f in enumerate(frames) if f.size}
    out = []
    for a, end in ends.items():
        for b, start in starts.items():
            if a == b or start.frame <= frames[a][0] or end.frame >= frames[b][-1]:
                continue
            look = _look(appearance, int(seq.track_id[a]), int(seq.track_id[b]))
            cost = _join_cost(end, start, look, settings)
            if cost is not None and _overlap_ok(seq, a, b, settings):
                out.append((cost[0], cost[1], a, b))
    return out


def _look(appearance: dict[int, np.ndarray], a: int, b: int) -> float | None:
    ha, hb = appearance.get(a), appearance.get(b)
    if ha is None or hb is None:
        return None
    return float(np.sqrt(max(0.0, 1.0 - float(np.sum(np.sqrt(ha * hb))))))


def _merge_columns(seq: PoseSequence, owner: list[int]) -> PoseSequence:
    """Fold every column into its owner's (the owner's own detections win where both are seen)."""
    heads = sorted(set(owner))
    if len(heads) == seq.n_people:
        return seq
    arrays = {name: getattr(seq, name).copy() for name in ("xy_px", "z", "world_m", "visibility", "presence")}
    seen = seq.seen
    for col, head in enumerate(owner):
        if col == head:
            continue
        take = seen[:, col] & ~seen[:, head]
        for values in arrays.values():
            values[take, head] = values[take, col]
        seen[take, head] = True
    return replace(
        seq,
        track_id=seq.track_id[heads],
        **{name: values[:, heads] for name, values in arrays.items()},
    )
