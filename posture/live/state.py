"""Per-frame readings of the live check: landmarks in, smoothed angles, steadiness and hints out.

Everything here is pure (no camera, no window, no files), so it is tested on
synthetic landmarks with exact answers.

Sign conventions follow :mod:`posture.standing.landmarks`: the hip line angle is
positive when the subject's LEFT hip is higher, the shoulder line angle when
the LEFT shoulder is higher; both in degrees against the true horizontal (the
camera roll is removed when it is known). Pixel coordinates are x right, y down.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np

from posture.core.geometry import lean_from_vertical_deg, unroll
from posture.core.view import View
from posture.data.skeleton import MIRROR
from posture.data.skeleton import Landmark as L
from posture.standing.landmarks import pelvic_obliquity_deg, shoulder_tilt_deg
from posture.standing.quality import GATES, trunk_from_vertical_deg
from posture.standing.view import detect_view, fix_sides, shoulder_ratio

#: Time constant of the exponential smoothing of the line angles, seconds.
SMOOTHING_TAU_S = 0.5
#: A line not seen for longer than this starts afresh, seconds.
RESET_AFTER_S = 1.0
#: The steadiness looks at the raw angles of this last stretch of time, seconds.
STEADY_WINDOW_S = 1.0
#: Fewest angles in the window before a steadiness is given.
MIN_STEADY_SAMPLES = 5
#: A spread (standard deviation) of this many degrees or more reads as steadiness 0.
STEADY_FULL_SCALE_DEG = 2.0
#: Steadiness from which a burst is worth taking (shown green).
STEADY_ENOUGH = 0.7
#: Facing the camera with shoulders narrower than this (x torso height) is half turned.
HALF_TURN_RATIO = 0.5
#: A body taller than this share of the picture height is too close to the edges.
MAX_HEIGHT_SHARE = 0.9
#: The mirror-image twin must lie within this many body heights of the subject.
MIRROR_MATCH = 0.25
#: Landmarks that must be inside the picture for the whole body to be in view.
WHOLE_BODY = (L.NOSE, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE,
              L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_HEEL, L.RIGHT_HEEL)  # fmt: skip


class Smoother:
    """Exponential smoothing in time, robust to uneven frame intervals.

    Each new value ``x`` at time ``t`` moves the estimate by
    ``(1 - exp(-dt / tau_s)) * (x - estimate)``, where ``dt`` is the time since
    the last value; the first value is taken as is. NaN (not seen) leaves the
    estimate alone, and after ``reset_after_s`` without a value it is forgotten.
    """

    def __init__(self, tau_s: float = SMOOTHING_TAU_S, reset_after_s: float = RESET_AFTER_S) -> None:
        self.tau_s = tau_s
        self.reset_after_s = reset_after_s
        self.value = math.nan
        self.last_time_s: float | None = None

    def update(self, x: float, time_s: float) -> float:
        """Feed the value ``x`` seen at ``time_s`` (seconds); return the smoothed value."""
        if not math.isfinite(x):
            if self.last_time_s is not None and time_s - self.last_time_s > self.reset_after_s:
                self.value, self.last_time_s = math.nan, None
            return self.value
        if self.last_time_s is None or math.isnan(self.value):
            self.value = x
        else:
            dt = max(time_s - self.last_time_s, 0.0)
            self.value += (1.0 - math.exp(-dt / self.tau_s)) * (x - self.value)
        self.last_time_s = time_s
        return self.value


class RecentValues:
    """The values of the last ``window_s`` seconds (NaN entries are kept out)."""

    def __init__(self, window_s: float = STEADY_WINDOW_S) -> None:
        self.window_s = window_s
        self._items: deque[tuple[float, float]] = deque()

    def add(self, x: float, time_s: float) -> np.ndarray:
        """Remember ``x`` at ``time_s``; return the finite values within the window."""
        if math.isfinite(x):
            self._items.append((time_s, x))
        while self._items and self._items[0][0] < time_s - self.window_s:
            self._items.popleft()
        return np.array([v for _, v in self._items])


def spread_deg(values: np.ndarray, min_samples: int = MIN_STEADY_SAMPLES) -> float:
    """Population standard deviation of ``values`` (degrees); NaN with fewer than ``min_samples``."""
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    return float(np.std(values)) if len(values) >= min_samples else math.nan


def steadiness(spread: float, full_scale_deg: float = STEADY_FULL_SCALE_DEG) -> float:
    """Map an angle spread to 0..1: 1 = perfectly still, 0 = spread of ``full_scale_deg`` or more."""
    if not math.isfinite(spread):
        return math.nan
    return float(np.clip(1.0 - spread / full_scale_deg, 0.0, 1.0))


def line_angles(xy: np.ndarray, view: View, roll_deg: float, size: tuple[int, int]) -> tuple[float, float]:
    """Hip and shoulder line angles (degrees, + = subject's left higher) of one front or back pose.

    ``xy`` is the (33, 2) pixel pose, ``size`` the picture's (width, height),
    ``roll_deg`` the camera roll to undo (0 when unknown). Side views give NaN:
    their hip and shoulder lines run towards the camera.
    """
    if view.is_side:
        return math.nan, math.nan
    labelled, _ = fix_sides(xy, view)
    level = unroll(labelled, roll_deg, (size[0] / 2, size[1] / 2))
    return pelvic_obliquity_deg(level), shoulder_tilt_deg(level)


def _outside(xy: np.ndarray, size: tuple[int, int]) -> tuple[list[str], list[str]]:
    """Names of whole-body landmarks beyond the top or bottom edge, and beyond the sides."""
    w, h = size
    pts = xy[list(WHOLE_BODY)]
    vertical = (pts[:, 1] < 0) | (pts[:, 1] >= h)
    sideways = ((pts[:, 0] < 0) | (pts[:, 0] >= w)) & ~vertical
    names = [lm.label for lm in WHOLE_BODY]
    return [n for n, v in zip(names, vertical, strict=True) if v], [
        n for n, s in zip(names, sideways, strict=True) if s
    ]


@dataclass(frozen=True)
class Hint:
    """A framing hint: what to do (``action``, a short fixed phrase) and why (``reason``)."""

    action: str
    reason: str

    @property
    def text(self) -> str:
        """The hint as shown: reason, then action."""
        return f"{self.reason}: {self.action}"


NOBODY = Hint("step into the picture", "no one in view")


def _size_hint(xy: np.ndarray, size: tuple[int, int], cut_off: bool) -> Hint | None:
    share = float(np.ptp(xy[list(WHOLE_BODY), 1])) / size[1]
    if share < GATES.min_height_share:
        return Hint("come closer", f"small in the picture ({100 * share:.0f}% of its height)")
    if share > MAX_HEIGHT_SHARE and not cut_off:
        return Hint("step back a little", "the body nearly touches the edges")
    return None


def _turn_hint(view: View, ratio: float, wanted: View | None) -> Hint | None:
    seen = f"{view.value} view"
    if wanted is not None and wanted.is_side:
        if not view.is_side:
            return Hint("turn sideways", f"{seen}; the {wanted.value} side should face the camera")
        turn = Hint("turn round", f"{seen}; the {wanted.value} side should face the camera")
        return None if view is wanted else turn
    if wanted is View.FRONT and view is not View.FRONT:
        return Hint("face the camera", seen)
    if wanted is View.BACK and view is not View.BACK:
        return Hint("turn your back to the camera", seen)
    if not view.is_side and ratio < HALF_TURN_RATIO:
        action = "square up to the camera" + (" or turn fully sideways" if wanted is None else "")
        return Hint(action, f"half turned (shoulders {ratio:.2f} x torso height)")
    return None


def framing_hints(
    xy: np.ndarray, view: View, size: tuple[int, int], wanted: View | None = None
) -> list[Hint]:
    """What the subject should do to be measurable, most important first.

    Parameters
    ----------
    xy
        The subject's (33, 2) pixel landmarks (MediaPipe places cut-off ones outside the picture).
    view
        The detected view.
    size
        The picture's (width, height) in pixels.
    wanted
        The view the check is for (``None``: any).
    """
    vertical, sideways = _outside(xy, size)
    hints = []
    if vertical:
        hints.append(Hint("step back", f"whole body not in view ({', '.join(vertical)} cut off)"))
    if sideways:
        hints.append(Hint("move to the middle", f"whole body not in view ({', '.join(sideways)} cut off)"))
    optional = (
        _size_hint(xy, size, bool(vertical or sideways)),
        _turn_hint(view, shoulder_ratio(xy), wanted),
    )
    hints.extend(h for h in optional if h is not None)
    lean = trunk_from_vertical_deg(xy)
    if lean > GATES.max_upright_deg:
        hints.append(Hint("stand upright", f"the trunk leans {lean:.0f} degrees"))
    return hints


@dataclass(frozen=True)
class Reading:
    """What the live check sees in one frame.

    Angles are degrees against the true horizontal, positive when the subject's
    left side is higher; NaN when not measurable (nobody, or a side view).
    ``steadiness`` is 0..1 (NaN until enough frames are seen).
    """

    frame_index: int
    time_s: float
    people: int
    view: View | None
    hip_deg: float
    shoulder_deg: float
    hip_smooth_deg: float
    shoulder_smooth_deg: float
    steadiness: float
    hints: tuple[Hint, ...]
    roll_deg: float | None = None

    def to_row(self) -> dict[str, object]:
        """One CSV row (angles rounded to 0.01 degree, empty where not measured)."""

        def num(x: float | None, digits: int = 2) -> object:
            return "" if x is None or not math.isfinite(x) else round(x, digits)

        return {
            "frame": self.frame_index, "time_s": round(self.time_s, 4), "people": self.people,
            "view": self.view.value if self.view else "", "hip_deg": num(self.hip_deg),
            "hip_smooth_deg": num(self.hip_smooth_deg), "shoulder_deg": num(self.shoulder_deg),
            "shoulder_smooth_deg": num(self.shoulder_smooth_deg), "steadiness": num(self.steadiness),
            "roll_deg": num(self.roll_deg), "hints": "; ".join(h.text for h in self.hints),
        }  # fmt: skip


_NAN = math.nan
READING_COLUMNS = tuple(Reading(0, 0.0, 0, None, _NAN, _NAN, _NAN, _NAN, _NAN, ()).to_row())


@dataclass
class LiveState:
    """Smoothers and recent values of the hip and shoulder lines, fed one frame at a time."""

    wanted: View | None = None
    hip: Smoother = field(default_factory=Smoother)
    shoulder: Smoother = field(default_factory=Smoother)
    #: Recent hip line, shoulder line and (side views) trunk lean angles, for the steadiness.
    recent: tuple[RecentValues, ...] = field(default_factory=lambda: tuple(RecentValues() for _ in range(3)))

    def update(
        self,
        frame_index: int,
        time_s: float,
        pose: tuple[np.ndarray, np.ndarray] | None,
        size: tuple[int, int],
        roll_deg: float | None = None,
        people: int = 1,
    ) -> Reading:
        """Read one frame; ``pose`` is the subject's (33, 2) pixels and (33,) depths, or ``None``."""
        view: View | None = None
        hip = shoulder = trunk = math.nan
        hints: tuple[Hint, ...] = (NOBODY,)
        if pose is not None:
            xy, z = pose
            view = detect_view(xy, z).view
            hip, shoulder = line_angles(xy, view, roll_deg or 0.0, size)
            trunk = trunk_lean_deg(xy) if view.is_side else math.nan
            hints = tuple(framing_hints(xy, view, size, self.wanted))
        spreads = [
            spread_deg(recent.add(x, time_s))
            for recent, x in zip(self.recent, (hip, shoulder, trunk), strict=True)
        ]
        return Reading(
            frame_index, time_s, people if pose is not None else 0, view, hip, shoulder,
            self.hip.update(hip, time_s), self.shoulder.update(shoulder, time_s),
            steadiness(_largest(spreads)), hints, roll_deg,
        )  # fmt: skip


def _largest(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return max(finite) if finite else math.nan


def trunk_lean_deg(xy: np.ndarray) -> float:
    """Signed angle of the hip-midpoint to shoulder-midpoint line from vertical (degrees, + = image right)."""
    hips = (xy[L.LEFT_HIP] + xy[L.RIGHT_HIP]) / 2
    shoulders = (xy[L.LEFT_SHOULDER] + xy[L.RIGHT_SHOULDER]) / 2
    return float(lean_from_vertical_deg(hips, shoulders, 1.0))


def choose_subject(xy_people: np.ndarray) -> int | None:
    """Index of the tallest person in (N, 33, 2) pixel landmarks (the one nearest the camera), or ``None``."""
    if len(xy_people) == 0:
        return None
    heights = np.ptp(xy_people[:, :, 1], axis=1)
    return int(np.argmax(heights))


def unmirror(xy: np.ndarray, width: int) -> np.ndarray:
    """Map (33, 2) pixels found in the mirror image back: ``x -> width - x``, left and right swapped."""
    back = np.asarray(xy, float)[list(MIRROR)].copy()
    back[:, 0] = width - back[:, 0]
    return back


def mirror_mean(xy: np.ndarray, mirrored_people: np.ndarray, width: int) -> np.ndarray:
    """Average the subject's (33, 2) landmarks with its twin found in the mirror image.

    The twin is the person of ``mirrored_people`` (N, 33, 2, mirror-image pixels)
    whose centre, mapped back, is nearest the subject's, if nearer than
    ``MIRROR_MATCH`` body heights; without one ``xy`` is returned unchanged.
    Averaging the pair cancels most of the model's own left/right bias (about
    1.5 degrees on the hip line of a level synthetic body).
    """
    if len(mirrored_people) == 0:
        return xy
    twins = np.stack([unmirror(other, width) for other in mirrored_people])
    gaps = np.linalg.norm(np.nanmean(twins, axis=1) - np.nanmean(xy, axis=0), axis=1)
    k = int(np.argmin(gaps))
    if gaps[k] > MIRROR_MATCH * max(float(np.ptp(xy[:, 1])), 1.0):
        return xy
    return (xy + twins[k]) / 2.0


@dataclass(frozen=True)
class Summary:
    """The readings of a whole session, in brief (angles in degrees, + = subject's left higher)."""

    frames: int
    seen: int
    measured: int  # frames with a hip line (front or back view)
    hip_deg: float  # median over the measured frames
    shoulder_deg: float
    steadiness: float  # median over the frames with a steadiness
    hints: list[tuple[str, int]]  # most frequent actions and their frame counts


def _median(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return float(np.median(finite)) if finite else math.nan


def summarise(readings: list[Reading], top: int = 3) -> Summary:
    """Frames, frames with the subject, median angles and steadiness, the most common hints."""
    counts = Counter(h.action for r in readings for h in r.hints)
    return Summary(
        frames=len(readings),
        seen=sum(r.people > 0 for r in readings),
        measured=sum(math.isfinite(r.hip_deg) for r in readings),
        hip_deg=_median([r.hip_deg for r in readings]),
        shoulder_deg=_median([r.shoulder_deg for r in readings]),
        steadiness=_median([r.steadiness for r in readings]),
        hints=counts.most_common(top),
    )
