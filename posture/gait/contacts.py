"""Heel strike and toe off from where the foot stands still (side views, static camera).

This is how a person labels a walk frame by frame (Kinovea-style 2D analysis):
a foot on the floor stays at one spot in the picture; **heel strike** is the
first frame the heel is within a few pixels of the spot where it then stays for
the stance, **toe off** the last frame the toe is still within a few pixels of
the spot it pushed off from. :class:`ContactEventDetection` does the same on the
conditioned heel and toe tracks:

1. *Stance cores*: runs of frames in which the heel is (nearly) still, slower
   than ``max_still_speed`` body heights per second, at least ``min_core_s`` long.
   Cores of the same foot whose heel spots are closer than ``same_spot`` body
   heights are one stance (the heel lifting and settling again before push-off);
   the toe's still runs are joined likewise (``same_toe_spot``: a jittering toe
   point that stays put).
2. *Heel strike*: the heel's spot is its median position over the core's first
   ``spot_s`` seconds; going back from the core's start, the strike is where the
   heel's distance to that spot crosses ``radius`` body heights (linearly
   interpolated: sub-frame).
3. *Toe off*: the toe's still run that overlaps the stance (it outlasts the
   heel's, which lifts first); its spot is the toe's median over the run's last
   ``spot_s``; going forward from the run's end, toe off is where the toe's
   distance from that spot crosses ``radius``.

Only image positions are used, no velocity peaks or ratios of them, so the rule
does not depend on how the model's foot points lag or how large a swing is; a
stance cut by the clip's start (end) yields no heel strike (toe off).
Image axes: x right, y down (pixels); times in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.data.skeleton import Side
from posture.gait.conditioning import nan_runs
from posture.gait.events import HEEL_STRIKE, TOE_OFF, EventReport, GaitEvent

#: Frames the foot must be seen moving before it arrives (after it leaves) for the event to count:
#: an arrival at a clip's or a track's edge is the filter's edge or a fragment's start, not a contact.
EDGE_FRAMES = 3


@dataclass(frozen=True)
class ContactSettings:
    """Settings of :class:`ContactEventDetection` (lengths in body heights, times in seconds).

    ``radius`` follows the labelling protocol (benchmarks/real/LABELLING.md: about
    10 px for a walker 400 px tall); ``max_still_speed`` sits above the speed the
    model's jitter gives a standing foot after the 6 Hz low-pass (about 0.3 body
    heights/s for 3 px of jitter) and far below a swinging foot's (over 1.5).
    """

    radius: float = 0.025
    floor_window_s: float = 1.5
    max_still_speed: float = 0.4
    min_core_s: float = 0.1
    spot_s: float = 0.15
    same_spot: float = 0.15
    same_toe_spot: float = 0.05
    toe_reach_s: float = 0.3


@dataclass(frozen=True)
class Stance:
    """One stance of one foot: frame range of the heel's still run (stop exclusive) and the events found."""

    start: int
    stop: int
    heel_strike: float | None
    toe_off: float | None


class ContactEventDetection:
    """Heel strikes and toe offs where the foot stops and leaves its spot (see the module docstring)."""

    def __init__(self, settings: ContactSettings | None = None) -> None:
        self.settings = settings or ContactSettings()

    def stances(self, heel: np.ndarray, toe: np.ndarray, time_s: np.ndarray, body_px: float) -> list[Stance]:
        """The stances of one foot with their sub-frame heel strike and toe off indices (None: not seen).

        Parameters
        ----------
        heel, toe : (T, 2) float
            Conditioned pixel tracks of the foot's heel and toe (NaN = not seen).
        time_s : (T,) float
        body_px : float
            The walker's body height in pixels.
        """
        s = self.settings
        fps = 1.0 / float(np.median(np.diff(time_s))) if len(time_s) > 1 else 30.0
        still_heel = _still(heel, time_s, body_px, s.max_still_speed)
        still_toe = _still(toe, time_s, body_px, s.max_still_speed)
        min_len = max(int(round(s.min_core_s * fps)), 2)
        # short still runs count too: on real clips the stance heel is hidden behind the swinging leg
        # for a few frames and its point wanders off, cutting the stance into pieces; pieces at one
        # spot are one stance, which must hold ``min_core_s`` of still frames in all
        runs = nan_runs(still_heel)
        cores = [
            (a, b)
            for a, b in _merge_same_spot(runs, heel, s.same_spot * body_px, blip=min_len)
            if int(still_heel[a:b].sum()) >= min_len
        ]
        n_spot = max(int(round(s.spot_s * fps)), 2)
        radius = s.radius * body_px
        toe_runs = _merge_same_spot(
            [(ta, tb) for ta, tb in nan_runs(still_toe) if tb - ta >= 2], toe, s.same_toe_spot * body_px
        )
        out = []
        for a, b in cores:
            first = next(r for r in runs if a <= r[0] < b)  # the heel's first still run of the stance
            spot = np.nanmedian(heel[first[0] : min(first[1], first[0] + n_spot)], axis=0)
            hs = _leave_backwards(heel, spot, a, radius)
            toe_run = _toe_run(toe_runs, still_toe, a, b, max(int(round(s.toe_reach_s * fps)), 1), min_len)
            to = None
            if toe_run is not None:
                ta, tb = toe_run
                toe_spot = np.nanmedian(toe[max(ta, tb - n_spot) : tb], axis=0)
                to = _leave_forwards(toe, toe_spot, tb - 1, radius)
            out.append(Stance(a, b, hs, to))
        return out

    def detect(
        self,
        heel: np.ndarray,
        toe: np.ndarray,
        time_s: np.ndarray,
        body_px: float,
        side: Side,
        frame0: int = 0,
    ) -> EventReport:
        """Events of one foot over one segment (``frame0``: the segment's first frame in the clip)."""
        report = EventReport()
        stances = self.stances(heel, toe, time_s, body_px)
        if not stances:
            report.notes.append(f"{side}: the foot is never seen standing still")
        for st in stances:
            for kind, idx in ((HEEL_STRIKE, st.heel_strike), (TOE_OFF, st.toe_off)):
                if idx is None:
                    continue
                t = float(np.interp(idx, np.arange(len(time_s)), time_s))
                report.events.append(GaitEvent(side, kind, t, frame0 + int(round(idx)), "contact"))
        return report


def _still(track: np.ndarray, time_s: np.ndarray, body_px: float, max_speed: float) -> np.ndarray:
    """(T,) bool: the point moves slower than ``max_speed`` body heights/s (False where unseen)."""
    speed = np.linalg.norm(np.gradient(track, time_s, axis=0), axis=1) / body_px
    return np.nan_to_num(speed, nan=np.inf) < max_speed


def _merge_same_spot(
    cores: list[tuple[int, int]], heel: np.ndarray, same: float, blip: int = 0
) -> list[tuple[int, int]]:
    """Join consecutive still runs whose heel spots are closer than ``same`` pixels (one stance).

    A run may also join an earlier one past runs shorter than ``blip`` frames lying elsewhere
    (the point resting for a frame at the top of a jump away); those are dropped.
    """
    merged: list[tuple[int, int]] = []
    for a, b in cores:
        spot = np.nanmedian(heel[a:b], axis=0)
        target = None
        for k in range(len(merged) - 1, -1, -1):
            pa, pb = merged[k]
            if float(np.linalg.norm(np.nanmedian(heel[pa:pb], axis=0) - spot)) < same:
                target = k
                break
            if pb - pa >= blip:
                break
        if target is None:
            merged.append((a, b))
        else:
            merged[target] = (merged[target][0], b)
            del merged[target + 1 :]
    return merged


def _toe_run(
    runs: list[tuple[int, int]], still: np.ndarray, a: int, b: int, reach: int, min_len: int
) -> tuple[int, int] | None:
    """The toe's still run that overlaps the stance [a, b) (or starts within ``reach`` frames after it)
    and holds ``min_len`` still frames."""
    found = None
    for ta, tb in runs:
        if tb > a and ta < b + reach and int(still[ta:tb].sum()) >= min_len:
            found = (ta, tb)  # the last one: the toe's final spot before push-off
    return found


def _leave_backwards(track: np.ndarray, spot: np.ndarray, start: int, radius: float) -> float | None:
    """Sub-frame index, going back from ``start``, where ``track`` enters the circle around ``spot``."""
    dist = np.linalg.norm(track - spot, axis=1)
    i = start
    while i > 0 and np.isfinite(dist[i - 1]) and dist[i - 1] <= radius:
        i -= 1
    if i < EDGE_FRAMES or not np.isfinite(dist[i - EDGE_FRAMES : i]).all() or not dist[i] <= radius:
        return None  # the stance was under way when the foot was first seen, or its arrival was not seen
    return (i - 1) + float((dist[i - 1] - radius) / (dist[i - 1] - dist[i]))


def _leave_forwards(track: np.ndarray, spot: np.ndarray, start: int, radius: float) -> float | None:
    """Sub-frame index, going forward from ``start``, where ``track`` leaves the circle around ``spot``."""
    dist = np.linalg.norm(track - spot, axis=1)
    last = len(dist) - 1
    j = start
    while j < last and np.isfinite(dist[j + 1]) and dist[j + 1] <= radius:
        j += 1
    if (
        j > last - EDGE_FRAMES
        or not np.isfinite(dist[j + 1 : j + 1 + EDGE_FRAMES]).all()
        or not dist[j] <= radius
    ):
        return None  # the clip ends (or the foot is lost) before the toe is seen leaving
    return j + float((radius - dist[j]) / (dist[j + 1] - dist[j]))
