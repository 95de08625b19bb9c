"""Heel strike and toe off when the subject walks towards or away from the camera.

Seen from the front or the back the feet move mostly in depth. A foot on the
floor stays still in the image (static camera); a swinging foot moves along the
image's vertical axis: down when it comes towards the camera, up when it goes
away. Lifting a foot also moves it up, so lift and progression add up when the
walker goes away and oppose each other when the walker comes closer. The rules
below follow from that (all image velocities in body heights per second, the
body height taken frame by frame because it changes as the walker approaches):

1. **Swings.** One lobe of the foot's image speed per swing
   (:func:`posture.gait.events.swing_peaks`), including a swing under way at
   the segment's first or last frame.
2. **Heel strike** ends the foot's last downward image motion after the swing
   peak: the falling crossing of ``HS_FRACTION[towards]`` of that lobe's peak.
   Coming closer, the lobe is the heel moving forward and down, and it ends when
   the heel stops (a small share). Going away, forward motion moves the heel up
   and hides its descent; the forefoot coming down onto the floor right after
   the heel is the clearest downward motion, so the toe's lobe is used, with the
   side views' share (0.5). For a swing under way at the clip's start the
   landing lobe is ambiguous when there are several, and no heel strike is given.
3. **Toe off** is searched after the other foot's heel strike (walking has a
   double support: a foot leaves the floor only once the other one is down).
   Coming closer, the heel, which has risen in the image during push-off,
   turns and moves forward and down fastest as the toe leaves the floor: toe
   off is the peak of the heel's first downward lobe after the other foot's
   heel strike (sub-frame, parabolic). Going away, lift and progression both
   move the foot up, so toe off is the rising crossing of ``TO_FRACTION`` of
   the foot's first image-speed lobe after the other foot's heel strike.
4. Events within half a filter period (``1 / (2 x cut-off)``) of the segment's
   ends are not trusted (the zero-lag filter's edge transient).
5. Order and durations are enforced afterwards, as for side views
   (:func:`posture.gait.events.enforce_order`).

Image axes: x right, y down (pixels); times in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from posture.data.skeleton import Side
from posture.gait.conditioning import default_cutoff_hz
from posture.gait.events import (
    HEEL_STRIKE,
    MIN_SWING_SPEED,
    STRIDE_S,
    SWING_S,
    TOE_OFF,
    EventReport,
    GaitEvent,
    crossing,
    last_crossing,
    parabolic_peak,
    swing_peaks,
)

#: Share of the late-swing downward velocity peak (heel towards the camera, toe away) below which
#: the foot has landed (key: walking towards the camera). Chosen on the benchmark's synthetic walkers.
HS_FRACTION = {True: 0.1, False: 0.5}
#: Walking away: share of the foot's early-swing image speed peak above which the toe has left the floor.
TO_FRACTION = 0.4
#: How long after its swing peak a heel strike is looked for, and before it a toe off, in strides.
SEARCH_STRIDES = 0.6


@dataclass
class FrontalFoot:
    """Conditioned image signals of one foot, front or back view (all (T,) arrays, NaN = unknown).

    ``speed``: image speed of the foot (mean of heel and toe), body heights/s.
    ``heel_down``, ``toe_down``: image velocity along y (down +), body heights/s.
    """

    time_s: np.ndarray
    speed: np.ndarray
    heel_down: np.ndarray
    toe_down: np.ndarray


def frontal_foot(heel: np.ndarray, toe: np.ndarray, time_s: np.ndarray, body_px: np.ndarray) -> FrontalFoot:
    """Build :class:`FrontalFoot` from filtered pixel tracks (each (T, 2)) and the body height (T,) in px."""
    scale = np.asarray(body_px, dtype=float)[:, None]
    v_heel = np.gradient(heel, time_s, axis=0) / scale
    v_toe = np.gradient(toe, time_s, axis=0) / scale
    return FrontalFoot(
        time_s=time_s,
        speed=np.linalg.norm(0.5 * (v_heel + v_toe), axis=1),
        heel_down=v_heel[:, 1],
        toe_down=v_toe[:, 1],
    )


def _horizon(fps: float) -> int:
    return int(round(SEARCH_STRIDES * STRIDE_S[1] * fps * 0.5)) + 2


def _lobe_tops(curve: np.ndarray, lo: int, hi: int, from_start: bool) -> list[int]:
    """Indices of the significant positive lobes of ``curve`` peaking in [lo, hi - 1), in time order.

    Significant: at least half the highest such lobe. ``from_start``: a lobe that falls from
    the window's first sample counts (it peaks there); otherwise it is the tail of an earlier lobe.
    """
    lo, hi = max(lo, 0), min(hi, len(curve))
    w = np.where(np.isfinite(curve[lo:hi]), curve[lo:hi], -np.inf)
    inner = [i for i in range(1, len(w) - 1) if w[i - 1] < w[i] >= w[i + 1]]
    if from_start and len(w) > 1 and w[0] >= w[1]:
        inner.insert(0, 0)
    if not inner or max(w[i] for i in inner) <= 0.1 * MIN_SWING_SPEED:
        return []
    top = max(w[i] for i in inner)
    return [lo + i for i in inner if w[i] >= 0.5 * top]


def _lobe_top(curve: np.ndarray, lo: int, hi: int, from_start: bool) -> int | None:
    """Index of the first significant positive lobe (see :func:`_lobe_tops`), ``None`` if there is none."""
    tops = _lobe_tops(curve, lo, hi, from_start)
    return tops[0] if tops else None


def heel_strike_index(foot: FrontalFoot, peak: int, fps: float, towards: bool) -> float | None:
    """Sub-frame index of the heel strike after the swing peak at ``peak`` (``None``: not found)."""
    curve = foot.heel_down if towards else foot.toe_down
    stop = min(peak + _horizon(fps), len(curve) - 1)
    tops = _lobe_tops(curve, peak, stop, from_start=True)
    if not tops or (peak == 0 and len(tops) > 1):
        return None  # a swing under way at the clip's start: its landing lobe is ambiguous
    return crossing(curve, HS_FRACTION[towards] * float(curve[tops[0]]), tops[0], stop, rising=False)


def toe_off_index(
    foot: FrontalFoot, peak: int, fps: float, towards: bool, after: int, before: float | None
) -> float | None:
    """Sub-frame index of the toe off before the swing peak at ``peak``.

    The lobe that times it starts after index ``after`` (the other foot's heel strike) and
    peaks at least :data:`~posture.gait.events.SWING_S` ``[0]`` before ``before`` (this
    swing's heel strike, when found).
    """
    earliest = max(peak - _horizon(fps), 0)
    start = max(earliest, after)
    stop = min(peak + max(int(0.15 * fps), 2), len(foot.speed))
    if before is not None:
        stop = min(stop, int(np.floor(before - SWING_S[0] * fps)) + 1)
    curve = foot.heel_down if towards else foot.speed
    top = _lobe_top(curve, start, stop, from_start=False)
    if top is None:
        return None
    if towards:
        return None if top == stop - 1 else parabolic_peak(curve, top)
    return last_crossing(curve, TO_FRACTION * float(curve[top]), earliest, top + 1, rising=True)


def _index_to_time(time_s: np.ndarray, idx: float) -> float:
    return float(np.interp(idx, np.arange(len(time_s)), time_s))


def _strikes(foot: FrontalFoot, peaks: np.ndarray, fps: float, towards: bool) -> list[float | None]:
    return [heel_strike_index(foot, int(p), fps, towards) for p in peaks]


def _last_before(indices: list[float | None], limit: int) -> int:
    """First whole index after the last of ``indices`` below ``limit`` (0 when there is none)."""
    before = [i for i in indices if i is not None and i < limit]
    return int(np.ceil(before[-1])) if before else 0


def _add_event(
    report: EventReport, foot: FrontalFoot, side: Side, kind: str, idx: float | None, peak: int, frame0: int
) -> None:
    """Append the event at sub-frame ``idx``, or a note when it was not found or is not trusted."""
    fps = (len(foot.time_s) - 1) / float(foot.time_s[-1] - foot.time_s[0])
    guard = fps / (2.0 * default_cutoff_hz(fps))  # the zero-lag filter's start and end transient
    if idx is None or not guard <= idx <= len(foot.time_s) - 1 - guard:
        report.notes.append(f"{side} {kind.replace('_', ' ')} near {foot.time_s[peak]:.2f} s: edge not found")
        return
    t = _index_to_time(foot.time_s, idx)
    report.events.append(GaitEvent(side, kind, t, frame0 + int(round(idx)), "velocity"))


def detect_frontal_events(
    feet: dict[Side, FrontalFoot], fps: float, towards: bool, frame0: int = 0
) -> EventReport:
    """Heel strikes and toe offs of both feet over one straight segment, front or back view.

    Parameters
    ----------
    feet : dict of Side to FrontalFoot
        Both feet's signals over the segment (at least two samples each).
    fps : float
    towards : bool
        True when the subject walks towards the camera, False when away.
    frame0 : int
        Index of the segment's first frame in the whole sequence.
    """
    report = EventReport()
    peaks = {side: swing_peaks(foot.speed, fps, edges=True) for side, foot in feet.items()}
    strikes = {side: _strikes(feet[side], peaks[side], fps, towards) for side in feet}
    for side, foot in feet.items():
        if len(peaks[side]) == 0:
            report.notes.append(f"{side}: no swing found (the foot barely moves in the image)")
        for peak, hs in zip(peaks[side], strikes[side], strict=True):
            after = _last_before(strikes.get(side.other, []), int(peak))
            to = toe_off_index(foot, int(peak), fps, towards, after, hs)
            _add_event(report, foot, side, TOE_OFF, to, int(peak), frame0)
            _add_event(report, foot, side, HEEL_STRIKE, hs, int(peak), frame0)
    return report
