"""Heel strike and toe off from 2D landmark tracks, side views.

Front and back views have their own rules in :mod:`posture.gait.events_frontal`;
the gait-order checks below serve both.

Method (per foot, per straight walking segment, static camera):

1. **Swings (velocity method).** The foot's image speed (mean of heel and foot
   index, in body heights per second) has one large lobe per swing; each lobe
   peak is a swing, found with ``scipy.signal.find_peaks``.
2. **Position method (Zeni et al. 2008, side views).** Heel strike is a local
   maximum of (heel − pelvis) along the walking direction, toe off a local
   minimum of (toe − pelvis); extrema refined to sub-frame time by parabolic
   interpolation. Used to confirm each swing and as the fallback timing.
3. **Timing (foot velocities, after O'Connor et al. 2007 and Ghoussayni et
   al. 2004).** Heel strike is the end of the heel's last descent before the
   foot stops: the falling 50% crossing of the heel's downward image velocity
   after the swing peak. Toe off is where the heel, carried forward by the
   push-off, speeds up into the swing: the rising crossing of ``TO_FRACTION``
   of the heel's forward image velocity (along the walking direction) before
   its swing peak. The toe's own rise is not used: the model's toe point of the
   far foot, hidden behind the near leg at push-off, lags by 40-60 ms, while
   the heel's forward motion is seen equally well on both feet.
   Crossings are linearly interpolated between frames (sub-frame times).
   A swing under way at a segment's first or last frame counts only if the
   visible part carries the foot forward relative to the pelvis
   (``MIN_EDGE_TRAVEL``).
4. **Physiological order** (heel strike → opposite toe off → opposite heel
   strike → toe off) and plausible stance and swing durations are enforced;
   events that break them are dropped with a reason. Nothing is invented:
   a swing whose edges cannot be timed yields no event.

Image axes: x right, y down (pixels); times in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import find_peaks

from posture.data.skeleton import Side

#: Share of the heel's late-swing peak (downward velocity or speed) below which the heel has landed.
HS_FRACTION = 0.5
#: Share of the heel's swing peak of forward velocity above which the toe has left the floor (chosen
#: on the tuning clips of ``benchmarks/bench_gait.py``: 0.55 gave toe offs 5 ms early, 0.65 7 ms late).
TO_FRACTION = 0.6
#: Plausible durations in seconds (walking at 25-60 fps; slower or faster gaits are out of scope).
STANCE_S = (0.25, 2.0)
SWING_S = (0.15, 1.0)
STRIDE_S = (0.6, 2.5)
#: After this long (s) in swing without a heel strike, a foot's state is unknown (its heel strike was
#: missed, e.g. out of the picture): walking swings last 0.3-0.5 s.
SWING_STATE_S = 0.7
#: Least swing peak speed in body heights per second (about 0.5 m/s of foot speed for 1.7 m).
MIN_SWING_SPEED = 0.3
#: Least forward travel of the foot relative to the pelvis (body heights, about 10 cm) of the visible
#: part of a swing under way at a segment's start or end, for its event to count.
MIN_EDGE_TRAVEL = 0.06


@dataclass(frozen=True)
class CycleLimits:
    """How long a stance, a swing and a stride may plausibly last (s) for an event to be kept."""

    stance_s: tuple[float, float] = STANCE_S
    swing_s: tuple[float, float] = SWING_S
    stride_s: tuple[float, float] = STRIDE_S
    #: A foot counts as still in its swing this long (s) after its toe off.
    swing_state_s: float = SWING_STATE_S


HEEL_STRIKE = "heel_strike"
TOE_OFF = "toe_off"


@dataclass(frozen=True)
class GaitEvent:
    """One detected event.

    ``time_s`` is sub-frame; ``frame`` is the nearest frame index of the sequence.
    ``method`` says what timed it (``velocity`` or ``position``).
    """

    side: Side
    kind: str
    time_s: float
    frame: int
    method: str = "velocity"

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, as in result.json."""
        return {
            "side": str(self.side),
            "kind": self.kind,
            "frame": self.frame,
            "time_s": round(self.time_s, 4),
            "method": self.method,
        }


@dataclass
class FootSignals:
    """Conditioned signals of one foot over a segment (all (T,) arrays, NaN = unknown).

    ``speed``: image speed of the foot (mean of heel and toe), body heights/s.
    ``heel_down``: heel image velocity along y (down +), body heights/s.
    ``heel_forward``: heel image velocity along the walking direction (forward +), body heights/s.
    ``heel_rel``, ``toe_rel``: heel / toe minus pelvis along the walking
    direction, body heights.
    """

    time_s: np.ndarray
    speed: np.ndarray
    heel_down: np.ndarray
    heel_forward: np.ndarray
    heel_rel: np.ndarray
    toe_rel: np.ndarray


@dataclass
class EventReport:
    """Events found plus the reasons some could not be found or were dropped."""

    events: list[GaitEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def foot_signals(
    heel: np.ndarray,
    toe: np.ndarray,
    pelvis: np.ndarray,
    time_s: np.ndarray,
    body_px: float,
    direction_sign: float,
) -> FootSignals:
    """Build :class:`FootSignals` from filtered pixel tracks (each (T, 2)).

    ``direction_sign``: +1 when walking towards +x, -1 towards -x.
    """
    v_heel = np.gradient(heel, time_s, axis=0) / body_px
    v_toe = np.gradient(toe, time_s, axis=0) / body_px
    return FootSignals(
        time_s=time_s,
        speed=np.linalg.norm(0.5 * (v_heel + v_toe), axis=1),
        heel_down=v_heel[:, 1],
        heel_forward=direction_sign * v_heel[:, 0],
        heel_rel=direction_sign * (heel[:, 0] - pelvis[:, 0]) / body_px,
        toe_rel=direction_sign * (toe[:, 0] - pelvis[:, 0]) / body_px,
    )


def parabolic_peak(y: np.ndarray, i: int) -> float:
    """Sub-sample position of the extremum at index ``i`` from a parabola through i-1, i, i+1."""
    if i <= 0 or i >= len(y) - 1 or not np.all(np.isfinite(y[i - 1 : i + 2])):
        return float(i)
    a, b, c = y[i - 1], y[i], y[i + 1]
    den = a - 2 * b + c
    return float(i) if den == 0 else float(i + 0.5 * (a - c) / den)


def crossing(y: np.ndarray, level: float, start: int, stop: int, rising: bool) -> float | None:
    """First sub-sample index in [start, stop) where ``y`` crosses ``level`` (linear interpolation).

    ``rising``: crossing upwards (``y`` goes from below to at-or-above ``level``);
    otherwise downwards. Returns ``None`` when there is no crossing.
    """
    start, stop = max(start, 0), min(stop, len(y) - 1)
    for i in range(start, stop):
        a, b = y[i], y[i + 1]
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if (rising and a < level <= b) or (not rising and a > level >= b):
            return float(i + (level - a) / (b - a))
    return None


def last_crossing(y: np.ndarray, level: float, start: int, stop: int, rising: bool) -> float | None:
    """Last sub-sample index in [start, stop) where ``y`` crosses ``level`` (see :func:`crossing`)."""
    found = None
    pos = start
    while True:
        hit = crossing(y, level, pos, stop, rising)
        if hit is None:
            return found
        found, pos = hit, int(np.floor(hit)) + 1


def swing_peaks(speed: np.ndarray, fps: float, edges: bool = False) -> np.ndarray:
    """Indices of swing peaks in a foot's image speed (body heights/s): one per swing.

    ``edges``: also count a swing under way at the first or last sample (the speed
    falls from the clip's start, or rises to its end), so that its heel strike
    (toe off) can still be timed.
    """
    finite = np.where(np.isfinite(speed), speed, 0.0)
    if not np.any(finite > MIN_SWING_SPEED):
        return np.zeros(0, int)
    top = float(np.percentile(finite[finite > 0], 95))
    padded = np.concatenate([[0.0], finite, [0.0]]) if edges else finite
    peaks, _ = find_peaks(
        padded,
        height=max(MIN_SWING_SPEED, 0.4 * top),
        distance=max(int(STRIDE_S[0] * fps * 0.8), 1),
        prominence=0.3 * top,
    )
    return np.clip(peaks - 1, 0, len(finite) - 1) if edges else peaks


def significant_lobe(window: np.ndarray, share: float = 0.5) -> int:
    """Index of the first local maximum of ``window`` reaching ``share`` of its largest value.

    Picks the lobe next to the swing rather than a later one of similar size,
    e.g. a far foot's heel that the near leg hides during loading.
    """
    w = np.where(np.isfinite(window), window, -np.inf)
    top = float(np.max(w))
    padded = np.concatenate([[-np.inf], w, [-np.inf]])
    peaks = [i for i in range(len(w)) if padded[i + 1] >= padded[i] and padded[i + 1] > padded[i + 2]]
    good = [i for i in peaks if w[i] >= share * top]
    if not good:
        return int(np.argmax(w))
    return good[0]


def _index_to_time(time_s: np.ndarray, idx: float) -> float:
    return float(np.interp(idx, np.arange(len(time_s)), time_s))


def _zeni(signal: np.ndarray, lo: int, hi: int, maximum: bool) -> float | None:
    """Sub-frame index of the extremum of ``signal`` inside [lo, hi) when it is interior."""
    lo, hi = max(lo, 0), min(hi, len(signal))
    seg = signal[lo:hi]
    if seg.size < 3 or not np.isfinite(seg).all():
        return None
    i = int(np.argmax(seg) if maximum else np.argmin(seg))
    if i in (0, seg.size - 1):
        return None
    return parabolic_peak(signal if maximum else -signal, lo + i)


def time_heel_strike(sig: FootSignals, peak: int, fps: float) -> tuple[float | None, str]:
    """Sub-frame index of the heel strike after the swing peak at ``peak``, and the method used."""
    horizon = int(round(0.45 * STRIDE_S[1] * fps * 0.5)) + 2
    curve = sig.heel_down
    stop = min(peak + horizon, len(curve) - 1)
    # Position method as the anchor: the landing comes after the heel's most forward point
    # (Zeni), which excludes the heel's early-swing descent.
    zeni = _zeni(sig.heel_rel, peak, stop, maximum=True)
    lo = max(peak + 1, int(zeni - 0.05 * fps)) if zeni is not None else peak + max(int(0.02 * fps), 1)
    window = curve[lo:stop]
    if window.size >= 2 and np.isfinite(window).any() and np.nanmax(window) > 0.1 * MIN_SWING_SPEED:
        top = lo + significant_lobe(window)
        hit = crossing(curve, HS_FRACTION * float(curve[top]), top, stop, rising=False)
        if hit is not None:
            return hit, "velocity"
    if stop == peak + horizon:  # no fallback on a window cut short by the clip's end
        zeni = _zeni(sig.heel_rel, peak, stop, maximum=True)
        if zeni is not None:
            return zeni, "position"
    return None, ""


def time_toe_off(sig: FootSignals, peak: int, fps: float) -> tuple[float | None, str]:
    """Sub-frame index of the toe off before the swing peak at ``peak``, and the method used."""
    horizon = int(round(0.45 * STRIDE_S[1] * fps * 0.5)) + 2
    curve = sig.heel_forward
    start = max(peak - horizon, 0)
    stop = min(peak + max(int(0.15 * fps), 2), len(curve))
    window = curve[start:stop]
    if window.size >= 2 and np.isfinite(window).any() and np.nanmax(window) > 0.1 * MIN_SWING_SPEED:
        top = start + int(np.nanargmax(window))
        hit = last_crossing(curve, TO_FRACTION * float(curve[top]), start, top + 1, rising=True)
        if hit is not None:
            return hit, "velocity"
    if start == peak - horizon:  # no fallback on a window cut short by the clip's start
        zeni = _zeni(sig.toe_rel, start, peak + 1, maximum=False)
        if zeni is not None:
            return zeni, "position"
    return None, ""


def detect_foot_events(sig: FootSignals, side: Side, fps: float, frame0: int = 0) -> EventReport:
    """Heel strikes and toe offs of one foot over one segment, side view.

    Parameters
    ----------
    sig : FootSignals
        The foot's conditioned signals over the segment.
    side : Side
    fps : float
    frame0 : int
        Index of the segment's first frame in the whole sequence.
    """
    report = EventReport()
    peaks = swing_peaks(sig.speed, fps, edges=True)
    if len(peaks) == 0:
        report.notes.append(f"{side}: no swing found (the foot barely moves in the image)")
        return report
    for peak in peaks:
        for kind, (idx, method) in (
            (TOE_OFF, time_toe_off(sig, int(peak), fps)),
            (HEEL_STRIKE, time_heel_strike(sig, int(peak), fps)),
        ):
            if idx is not None and not _edge_swing_travels(sig, int(peak), idx, kind):
                report.notes.append(
                    f"{side} {kind.replace('_', ' ')} near {sig.time_s[peak]:.2f} s: the motion at the "
                    "clip's edge is not a swing (the foot does not move forward relative to the pelvis)"
                )
                continue
            if idx is None:
                t_peak = sig.time_s[peak]
                report.notes.append(f"{side} {kind.replace('_', ' ')} near {t_peak:.2f} s: edge not found")
                continue
            t = _index_to_time(sig.time_s, idx)
            report.events.append(GaitEvent(side, kind, t, frame0 + int(round(idx)), method))
    return report


def _edge_swing_travels(sig: FootSignals, peak: int, idx: float, kind: str) -> bool:
    """Whether a swing under way at the segment's first (last) sample really carries the foot forward.

    A swing's peak at the very edge may be the filter's edge transient or a wobbling
    landmark of a standing foot; a real swing moves the foot forward relative to the
    pelvis, by about two step lengths over a whole swing.
    """
    last = len(sig.time_s) - 1
    if 0 < peak < last:
        return True
    rel = sig.heel_rel if kind == HEEL_STRIKE else sig.toe_rel
    i = int(np.clip(round(idx), 0, last))
    part = rel[: i + 1] if peak == 0 else rel[i:]
    if not np.isfinite(part).any():
        return False
    travel = rel[i] - np.nanmin(part) if peak == 0 else np.nanmax(part) - rel[i]
    return bool(travel >= MIN_EDGE_TRAVEL)


def _current(
    state: dict[Side, str | None], last: dict[Side, GaitEvent | None], side: Side, t: float, lim: CycleLimits
) -> str | None:
    """A foot's state at ``t``; unknown once it has lasted longer than any stance or swing can
    (an event was missed), so one missed event does not drop the following ones."""
    ev = last[side]
    if ev is None or state[side] is None:
        return None
    limit = lim.stance_s[1] if state[side] == "stance" else lim.swing_state_s
    return state[side] if t - ev.time_s <= limit else None


def _allowed(
    ev: GaitEvent, state: dict[Side, str | None], last: dict[Side, GaitEvent | None], lim: CycleLimits
) -> str | None:
    """Why ``ev`` breaks the gait cycle given each foot's state, or ``None`` if it is allowed."""
    own = _current(state, last, ev.side, ev.time_s, lim)
    other = _current(state, last, ev.side.other, ev.time_s, lim)
    prev = last[ev.side]
    if ev.kind == HEEL_STRIKE:
        if own == "stance" and (prev is None or ev.time_s - prev.time_s < lim.stride_s[0]):
            # a second strike sooner than any stride: the foot is already down. Later than that
            # the foot's toe off was missed (it is often hidden while the other leg swings past),
            # and the strike starts the next stance.
            return "heel strike while the foot is already down"
        if (
            prev is not None
            and prev.kind == TOE_OFF
            and not lim.swing_s[0] <= ev.time_s - prev.time_s <= lim.swing_s[1]
        ):
            return f"swing of {ev.time_s - prev.time_s:.2f} s outside {lim.swing_s}"
        return None
    if own == "swing":
        return "toe off while the foot is already off the floor"
    if other == "swing":
        return "toe off while the other foot is off the floor (would be a flight phase)"
    if (
        prev is not None
        and prev.kind == HEEL_STRIKE
        and not lim.stance_s[0] <= ev.time_s - prev.time_s <= lim.stance_s[1]
    ):
        return f"stance of {ev.time_s - prev.time_s:.2f} s outside {lim.stance_s}"
    return None


def enforce_order(events: list[GaitEvent], limits: CycleLimits | None = None) -> EventReport:
    """Keep events that follow the walking cycle; drop the rest with a reason.

    Per foot, heel strikes and toe offs must alternate; a toe off needs the other
    foot on the floor (walking has no flight phase); stance and swing must last
    within ``limits`` (default :class:`CycleLimits`). A foot's state is unknown until
    its first kept event.
    """
    lim = limits or CycleLimits()
    report = EventReport()
    state: dict[Side, str | None] = {Side.LEFT: None, Side.RIGHT: None}
    last: dict[Side, GaitEvent | None] = {Side.LEFT: None, Side.RIGHT: None}
    for ev in sorted(events, key=lambda e: e.time_s):
        why = _allowed(ev, state, last, lim)
        if why is not None:
            report.notes.append(f"dropped {ev.side} {ev.kind.replace('_', ' ')} at {ev.time_s:.2f} s: {why}")
            continue
        report.events.append(ev)
        state[ev.side] = "stance" if ev.kind == HEEL_STRIKE else "swing"
        last[ev.side] = ev
    return report
