"""Person tracking across frames, and choosing "the subject".

MediaPipe returns the people in a frame in no stable order. :class:`Tracker`
gives each person one id for the whole clip: detections are matched to tracks
by predicted position (constant velocity), body size and clothing colour
(a hue-saturation histogram of the torso), surest match first. A track
that is lost for a short while keeps its id; a person who leaves and comes back
within ``reid_window_s`` is recognised again by size and colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from posture.data.sequence import PoseSequence
from posture.data.skeleton import TORSO

_NO_MATCH = 1e6
#: A detection within this |log| of the track's size is the whole person; smaller ones (half a
#: skeleton) keep the id but do not change the track's velocity.
WHOLE_SCALE = 0.25


@dataclass
class Track:
    """The tracker's memory of one person."""

    track_id: int
    centre: np.ndarray
    velocity: np.ndarray
    scale: float
    appearance: np.ndarray | None
    last_time: float
    hits: int = 1


@dataclass(frozen=True)
class PersonFeatures:
    """Where a detected person is, how big, and what their torso looks like."""

    centre: np.ndarray
    scale: float
    appearance: np.ndarray | None


def torso_appearance(rgb: np.ndarray, xy: np.ndarray) -> np.ndarray | None:
    """Return a normalised 8x4 hue-saturation histogram of the torso quadrilateral.

    ``xy`` is one person's (33, 2) pixel landmarks; ``None`` when the torso is
    not seen or covers too few pixels.
    """
    quad = xy[list(TORSO)]
    if np.isnan(quad).any():
        return None
    h, w = rgb.shape[:2]
    x0, y0 = np.clip(np.floor(quad.min(axis=0)).astype(int), 0, (w, h))
    x1, y1 = np.clip(np.ceil(quad.max(axis=0)).astype(int) + 1, 0, (w, h))
    if x1 <= x0 or y1 <= y0:
        return None
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillConvexPoly(mask, np.round(quad - (x0, y0)).astype(np.int32), (1,))
    if mask.sum() < 50:
        return None
    hsv = cv2.cvtColor(np.ascontiguousarray(rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1], mask, [8, 4], [0, 180, 0, 256]).ravel()
    return hist / max(float(hist.sum()), 1.0)


def person_features(xy: np.ndarray, rgb: np.ndarray | None = None) -> PersonFeatures:
    """Summarise one person's (33, 2) landmarks for matching."""
    torso = xy[list(TORSO)]
    pts = torso if not np.isnan(torso).all() else xy
    centre = np.nanmean(pts, axis=0)
    extent = np.nanmax(xy, axis=0) - np.nanmin(xy, axis=0)
    scale = max(float(np.nanmax(extent)) / 3.0, 1.0)
    appearance = torso_appearance(rgb, xy) if rgb is not None else None
    return PersonFeatures(centre, scale, appearance)


def _appearance_distance(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    return float(np.sqrt(max(0.0, 1.0 - np.sum(np.sqrt(a * b)))))


class Tracker:
    """Online multi-person tracker (see the module docstring).

    Parameters
    ----------
    max_gap_s
        A track unseen for longer than this is "lost" and can only be re-identified.
    reid_window_s
        A lost track can be re-identified for this long after it was last seen.
    gate
        Largest accepted distance from the predicted position, in body scales.
    predict_s
        The prediction follows the track's velocity for at most this long.
    confirm_hits, tentative_gap_s
        A track seen fewer than ``confirm_hits`` times is tentative: it is kept only
        while it is seen again within ``tentative_gap_s`` and is never re-identified.
        On real clips the model now and then returns a skeleton that spans two
        people or half a person for a frame; without this, such a one-frame track
        keeps a wide gate for a second and takes over the next person who passes.
    """

    def __init__(
        self,
        max_gap_s: float = 1.0,
        reid_window_s: float = 30.0,
        gate: float = 1.5,
        confirm_hits: int = 3,
        tentative_gap_s: float = 0.15,
        predict_s: float = 0.2,
    ) -> None:
        self.predict_s = predict_s
        self.confirm_hits = confirm_hits
        self.tentative_gap_s = tentative_gap_s
        self.max_gap_s = max_gap_s
        self.reid_window_s = reid_window_s
        self.gate = gate
        self.tracks: list[Track] = []
        self._next_id = 0

    def _cost(self, track: Track, feat: PersonFeatures, time_s: float) -> float:
        dt = time_s - track.last_time
        size = abs(np.log(feat.scale / track.scale))
        look = _appearance_distance(track.appearance, feat.appearance)
        if dt <= self.max_gap_s:
            # constant velocity for a short while only: a velocity learnt from a few jittery frames,
            # carried over a second, would send the prediction onto whoever walks past
            pred = track.centre + track.velocity * min(dt, self.predict_s)
            dist = float(np.linalg.norm(pred - feat.centre)) / track.scale
            ok = dist < self.gate + dt * 2.0 and size < 0.7
            return dist + size + 2.0 * look if ok else _NO_MATCH
        if dt <= self.reid_window_s and track.appearance is not None and feat.appearance is not None:
            ok = look < 0.35 and size < 0.5
            return 10.0 + 4.0 * look + size if ok else _NO_MATCH
        return _NO_MATCH

    def _update_track(self, track: Track, feat: PersonFeatures, time_s: float) -> None:
        dt = time_s - track.last_time
        whole = abs(np.log(feat.scale / track.scale)) < WHOLE_SCALE
        if 0 < dt <= self.max_gap_s:
            if whole:  # a half skeleton's torso jumps about: no velocity from it
                track.velocity = 0.5 * track.velocity + 0.5 * (feat.centre - track.centre) / dt
        else:
            track.velocity = np.zeros(2)
        track.centre = feat.centre
        track.scale = 0.7 * track.scale + 0.3 * feat.scale
        if feat.appearance is not None:
            old = track.appearance
            track.appearance = feat.appearance if old is None else 0.9 * old + 0.1 * feat.appearance
        track.last_time = time_s
        track.hits += 1

    def _new_track(self, feat: PersonFeatures, time_s: float) -> Track:
        track = Track(self._next_id, feat.centre, np.zeros(2), feat.scale, feat.appearance, time_s)
        self._next_id += 1
        self.tracks.append(track)
        return track

    def update(self, xy_people: np.ndarray, time_s: float, rgb: np.ndarray | None = None) -> list[int]:
        """Assign a track id to each detected person of one frame.

        Parameters
        ----------
        xy_people
            (N, 33, 2) pixel landmarks of the N people in this frame.
        time_s
            The frame's time in seconds (increasing).
        rgb
            The frame's pixels, for clothing colour; optional.
        """
        feats = [person_features(xy, rgb) for xy in xy_people]
        self.tracks = [
            t
            for t in self.tracks
            if t.hits >= self.confirm_hits or time_s - t.last_time <= self.tentative_gap_s
        ]
        live = [t for t in self.tracks if time_s - t.last_time <= self.reid_window_s]
        ids = [-1] * len(feats)
        if live and feats:
            cost = np.array([[self._cost(t, f, time_s) for f in feats] for t in live])
            # confirmed tracks choose first: a person seen twice at once (a half skeleton beside the
            # whole one) must not hand their own track to the newcomer
            tentative = np.array([t.hits < self.confirm_hits for t in live])
            for rows in (np.flatnonzero(~tentative), np.flatnonzero(tentative)):
                free = [c for c in range(len(feats)) if ids[c] < 0]
                if rows.size == 0 or not free:
                    continue
                for r, c in greedy_matches(cost[np.ix_(rows, np.asarray(free, dtype=np.intp))], _NO_MATCH):
                    track = live[int(rows[r])]
                    self._update_track(track, feats[free[c]], time_s)
                    ids[free[c]] = track.track_id
        for c, feat in enumerate(feats):
            if ids[c] < 0:
                ids[c] = self._new_track(feat, time_s).track_id
        return ids


def greedy_matches(cost: np.ndarray, no_match: float) -> list[tuple[int, int]]:
    """(row, column) pairs taken cheapest first, each row and column once, none costing ``no_match``.

    Not an optimal assignment on purpose: the optimum of the summed cost would rather
    make two doubtful matches than one sure one and leave a detection unmatched (a
    partial skeleton of the walker then pushes the walker's own detection onto a
    bystander's track). The surest match is taken first and is never undone.
    """
    order = np.argsort(cost, axis=None, kind="stable")
    rows_used: set[int] = set()
    cols_used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for flat in order:
        r, c = divmod(int(flat), cost.shape[1])
        if cost[r, c] >= no_match:
            break
        if r in rows_used or c in cols_used:
            continue
        rows_used.add(r)
        cols_used.add(c)
        pairs.append((r, c))
    return pairs


@dataclass(frozen=True)
class SubjectChoice:
    """Which tracked person is the subject, and why."""

    track_id: int
    reason: str


def select_subject(seq: PoseSequence) -> SubjectChoice:
    """Pick the person seen longest and largest: max of (frames seen x median height)."""
    if seq.n_people == 0:
        raise ValueError("the sequence has no people")
    seen = seq.seen
    heights = seq.body_height_px()
    scores = []
    for col in range(seq.n_people):
        frames = int(seen[:, col].sum())
        median_h = float(np.nanmedian(heights[seen[:, col], col])) if frames else 0.0
        scores.append((frames * median_h, frames, median_h))
    best = int(np.argmax([s[0] for s in scores]))
    _, frames, median_h = scores[best]
    share = 100.0 * frames / max(seq.n_frames, 1)
    others = seq.n_people - 1
    reason = f"seen in {frames} of {seq.n_frames} frames ({share:.0f}%), median height {median_h:.0f} px" + (
        f"; the longest-seen and largest of {seq.n_people} people" if others else "; the only person"
    )
    return SubjectChoice(int(seq.track_id[best]), reason)
