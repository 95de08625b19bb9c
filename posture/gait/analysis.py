"""Walking analysis of one subject: :func:`analyse_gait` ties conditioning, events and measures together.

Pipeline: pick the walker (:mod:`~posture.gait.walker`) → mask low-confidence
points → bridge single-frame jumps of the leg points → fill gaps up to
:data:`~posture.gait.conditioning.MAX_GAP_S` → detect the view → refuse footage
that cannot be timed (:mod:`~posture.gait.adequacy`) → split into straight
walking segments → (front/back) relabel sides if the model saw a back as a
front, (side) repair near/far leg swaps → zero-lag low-pass → events per foot
and segment (side: :mod:`~posture.gait.contacts`; front/back:
:mod:`~posture.gait.events_frontal`) → gait-order checks → step table,
summaries, symmetry →
heel-to-toe pattern (side views) → pelvic drop, foot progression, step width
(front/back views).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from posture.data.sequence import PoseSequence
from posture.data.skeleton import MIRROR, Side
from posture.data.skeleton import Landmark as L
from posture.gait import conditioning as cond
from posture.gait import crowding, frontal
from posture.gait import footstrike as fs
from posture.gait.adequacy import assess_footage, step_shortfall
from posture.gait.contacts import ContactEventDetection
from posture.gait.events import (
    HEEL_STRIKE,
    STANCE_S,
    TOE_OFF,
    EventReport,
    GaitEvent,
    detect_foot_events,
    enforce_order,
    foot_signals,
)
from posture.gait.events_frontal import detect_frontal_events, frontal_foot
from posture.gait.spatiotemporal import (
    Stat,
    StepRow,
    Symmetry,
    cadence_spm,
    speed_m_s,
    step_rows,
    summarise_side,
    symmetry,
)
from posture.gait.walker import WalkerChoice, select_walker
from posture.measures.types import Measure

VIEWS = ("auto", "side", "front", "back")
#: (shoulder + hip width) / 2 over torso height below which a clip is a side view.
SIDE_WIDTH_RATIO = 0.35
#: Leg landmarks exchanged together by the swap repair.
LEG_PAIRS = [(L.LEFT_KNEE, L.RIGHT_KNEE), (L.LEFT_ANKLE, L.RIGHT_ANKLE), (L.LEFT_HEEL, L.RIGHT_HEEL)]
LEG_PAIRS += [(L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)]
HEEL = {Side.LEFT: L.LEFT_HEEL, Side.RIGHT: L.RIGHT_HEEL}
TOE = {Side.LEFT: L.LEFT_FOOT_INDEX, Side.RIGHT: L.RIGHT_FOOT_INDEX}
SIDES = (Side.LEFT, Side.RIGHT)
#: Side-view event rules: ``contact`` (where the foot stops and leaves its spot,
#: :mod:`posture.gait.contacts`) or ``velocity`` (foot velocity crossings, :mod:`posture.gait.events`).
SIDE_METHOD = "contact"
#: Why stance and swing are not reported from the front or back (benchmarks/results/gait_kinematics.md).
FRONTAL_TOE_OFF_NOTE = (
    "needs a side view: from the front or back, toe off is not timed reliably on real walkers (on real "
    "motion-capture walks seen from the front most toe offs were missed, from behind they read 80-130 ms "
    "early); heel strikes, step times and cadence are reported"
)
#: What the benchmark says of the walking pelvic drop (benchmarks/results/gait.md).
PELVIC_DROP_NOTE = (
    "from the model's hip landmarks, which follow the pelvis only weakly in walking: on synthetic walkers "
    "a 4-8 deg drop read 1-3 deg; a low value does not rule a drop out"
)


@dataclass(frozen=True)
class FootTracks:
    """Heel and toe positions of both feet over the clip, as the events were found on them.

    Gaps up to :data:`~posture.gait.conditioning.MAX_GAP_S` filled and low-passed;
    inside each walking segment also the near/far leg swap repair of side views,
    i.e. the very signals the events were timed on.

    Attributes
    ----------
    time_s : (T,) float
        Frame times in seconds.
    heel, toe : dict of {"left", "right"} -> (T, 2) float
        Pixel positions, x right and y down (image axes); NaN = not seen.
    """

    time_s: np.ndarray
    heel: dict[str, np.ndarray]
    toe: dict[str, np.ndarray]


@dataclass
class GaitResult:
    """Everything measured on one walking clip (see :meth:`to_dict` for result.json)."""

    subject: dict[str, Any]
    view: str
    view_reason: str
    fps: float
    segments: list[cond.Segment]
    events: list[GaitEvent]
    notes: list[str]
    rows: list[StepRow]
    summary: dict[str, dict[str, Stat]]
    cadence: Stat
    speed_m_s: float
    symmetry: dict[str, Symmetry]
    contacts: list[fs.Contact]
    frontal: dict[str, Any]
    scale_px_per_m: float | None
    feet: FootTracks
    settings: dict[str, Any] = field(default_factory=dict)
    #: Why the clip cannot support event timing at all (see :mod:`posture.gait.adequacy`).
    refused: list[str] = field(default_factory=list)
    #: Step-based measures the number of steps cannot support: {"symmetry"|"cadence": reason}.
    shortfall: dict[str, str] = field(default_factory=dict)

    @property
    def steps(self) -> list[dict[str, object]]:
        """Rows for steps.csv."""
        return [r.to_dict() for r in self.rows]

    def foot_strike_summary(self) -> dict[str, Any]:
        """Per side: shares of heel / flat / forefoot contacts, mean foot angle, roll-through time."""
        out: dict[str, Any] = {}
        for side in SIDES:
            mine = [c for c in self.contacts if c.side == side]
            out[str(side)] = {
                "n": sum(bool(c.kind) for c in mine),
                "heel_pct": _r(fs.share(mine, "heel")),
                "flat_pct": _r(fs.share(mine, "flat")),
                "forefoot_pct": _r(fs.share(mine, "forefoot")),
                "foot_angle_at_contact_deg": Stat.of([c.foot_angle_deg for c in mine]).to_dict(),
                "roll_through_s": Stat.of([c.roll_through_s for c in mine]).to_dict(),
                "push_off_s": Stat.of([c.push_off_s for c in mine]).to_dict(),
            }
        if not self.contacts:
            out["note"] = "heel-to-toe pattern needs a side view"
        return out

    def to_dict(self) -> dict[str, Any]:
        """The analysis sections of result.json."""
        spatio: dict[str, Any] = {"cadence_spm": self.cadence.to_dict(1), "speed_m_s": _r(self.speed_m_s)}
        for side in SIDES:
            spatio[str(side)] = {k: v.to_dict() for k, v in self.summary[str(side)].items()}
        if self.scale_px_per_m is None:
            spatio["note"] = "step length and speed need --height-cm and a side view"
        return {
            "subject": self.subject,
            "view": {"view": self.view, "reason": self.view_reason},
            "walking_segments": [s.to_dict() for s in self.segments],
            "events": [e.to_dict() for e in self.events],
            "event_notes": self.notes,
            "spatiotemporal": spatio,
            "symmetry": {k: v.to_dict() for k, v in self.symmetry.items()},
            "foot_strike": self.foot_strike_summary(),
            "frontal": self.frontal,
            "footage": {"refused": self.refused, "not_enough_steps": self.shortfall},
            "gait_settings": self.settings,
        }

    def measures(self) -> dict[str, Measure]:
        """Measures under the knowledge base's names (see posture/findings/knowledge.toml)."""
        out: dict[str, Measure] = {}
        refused = "; ".join(self.refused)
        no_sym = refused or self.shortfall.get("symmetry", "")
        no_steps = refused or self.shortfall.get("cadence", "")
        no_toe_off = no_steps or (FRONTAL_TOE_OFF_NOTE if self.view in ("front", "back") else "")
        for name, param, what in (
            ("stance_time_si_pct", "stance_time_s", "stance time"),
            ("step_time_si_pct", "step_time_s", "step time"),
            ("swing_time_si_pct", "swing_time_s", "swing time"),
        ):
            why_not = no_sym or (no_toe_off if param != "step_time_s" else "")
            sym = None if why_not else self.symmetry.get(param)
            out[name] = Measure(
                name,
                sym.si_pct if sym else None,
                "%",
                _f(sym.si_sd_pct) if sym else None,
                f"Robinson symmetry index of {what}, (right - left) / mean x 100; positive = right longer.",
                note=why_not or ("" if sym and math.isfinite(sym.si_pct) else "needs steps of both feet"),
            )
        cadence = Stat(math.nan, math.nan, 0) if no_steps else self.cadence
        out["cadence_spm"] = Measure(
            "cadence_spm", _f(cadence.mean), "steps/min", _se(cadence), note=no_steps
        )
        for side in SIDES:
            s = str(side)
            st = Stat(math.nan, math.nan, 0) if no_toe_off else self.summary[s]["stance_pct"]
            out[f"stance_pct_{s}"] = Measure(
                f"stance_pct_{s}",
                _f(st.mean),
                "%",
                _se(st),
                f"stance time as % of the {s} foot's gait cycle.",
                note=no_toe_off,
            )
            self._side_measures(out, side)
        return out

    def _side_measures(self, out: dict[str, Measure], side: Side) -> None:
        s = str(side)
        drop = self.frontal.get("pelvic_drop_deg", {}).get(s)
        out[f"pelvic_drop_deg_{s}"] = Measure(
            f"pelvic_drop_deg_{s}",
            _f(drop["mean"]) if drop else None,
            "deg",
            _f(drop["sd"]) if drop else None,
            f"drop of the opposite side of the pelvis while standing on the {s} leg; positive = drops.",
            estimate=True,
            note=PELVIC_DROP_NOTE if drop else "needs a front or back view",
        )
        mine = [c for c in self.contacts if c.side == side]
        heel = fs.share(mine, "heel")
        n = sum(bool(c.kind) for c in mine)
        out[f"heel_strike_share_{s}"] = Measure(
            f"heel_strike_share_{s}",
            _f(heel),
            "%",
            _f(100.0 * math.sqrt(heel / 100 * (1 - heel / 100) / n)) if n and math.isfinite(heel) else None,
            f"share of the {s} foot's initial contacts made heel first.",
            note="" if n else "needs a side view with detected contacts",
        )
        prog = self.frontal.get("foot_progression_deg", {}).get(s)
        out[f"foot_progression_deg_{s}"] = Measure(
            f"foot_progression_deg_{s}",
            _f(prog["mean"]) if prog else None,
            "deg",
            _f(prog["sd"]) if prog else None,
            f"toe-out angle of the {s} foot against the walking direction; positive = toes out.",
            estimate=True,
            note="from MediaPipe's 3D world landmarks; not validated"
            if prog
            else "needs a front or back view",
        )


def _r(x: float, digits: int = 3) -> float | None:
    return round(x, digits) if x is not None and math.isfinite(x) else None


def _f(x: float | None) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def _se(stat: Stat) -> float | None:
    return _f(stat.sd / math.sqrt(stat.n)) if stat.n > 1 else None


# --------------------------------------------------------------------------- view and scale
def body_height_px(xy: np.ndarray) -> np.ndarray:
    """(T,) landmark box height in pixels (NaN when unseen)."""
    y = xy[..., 1]
    out = np.full(y.shape[0], np.nan)
    seen = ~np.isnan(y).all(axis=1)
    out[seen] = np.nanmax(y[seen], axis=1) - np.nanmin(y[seen], axis=1)
    return out


def width_ratio(xy: np.ndarray) -> float:
    """Median of (shoulder width + hip width) / 2 over torso height (image x and y)."""
    sh = np.abs(xy[:, L.LEFT_SHOULDER, 0] - xy[:, L.RIGHT_SHOULDER, 0])
    hip = np.abs(xy[:, L.LEFT_HIP, 0] - xy[:, L.RIGHT_HIP, 0])
    torso = 0.5 * (xy[:, L.LEFT_HIP, 1] + xy[:, L.RIGHT_HIP, 1]) - 0.5 * (
        xy[:, L.LEFT_SHOULDER, 1] + xy[:, L.RIGHT_SHOULDER, 1]
    )
    with np.errstate(all="ignore"):
        return float(np.nanmedian(0.5 * (sh + hip) / torso))


def detect_view(xy: np.ndarray) -> tuple[str, str]:
    """``side`` or ``frontal`` (front or back, told apart later by the direction of travel), and why."""
    ratio = width_ratio(xy)
    if not math.isfinite(ratio):
        return "side", "shoulders and hips not seen; assumed a side view"
    kind = "side" if ratio < SIDE_WIDTH_RATIO else "frontal"
    return kind, f"shoulder/hip width is {ratio:.2f} of the torso height (side below {SIDE_WIDTH_RATIO})"


def stature_px(xy: np.ndarray) -> float:
    """Apparent standing height in pixels: head top (extrapolated from the face) to the lowest foot point.

    90th percentile over frames, so that frames with bent knees count less.
    """
    eyes = np.nanmean(xy[:, [L.LEFT_EYE, L.RIGHT_EYE], 1], axis=1)
    shoulders = np.nanmean(xy[:, [L.LEFT_SHOULDER, L.RIGHT_SHOULDER], 1], axis=1)
    top = eyes - 0.55 * (shoulders - eyes)
    feet = np.nanmax(xy[:, [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX], 1], axis=1)
    h = feet - top
    h = h[np.isfinite(h)]
    return float(np.percentile(h, 90)) if h.size else math.nan


# --------------------------------------------------------------------------- conditioning
def _midpoint(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    return 0.5 * (xy[:, a] + xy[:, b])


def relabel_frontal(xy: np.ndarray, towards: bool) -> tuple[np.ndarray, bool]:
    """Swap all left/right labels when the hips' image order contradicts the view.

    Facing the camera, the subject's left hip is on the image right; from behind, on the left.
    """
    dx = xy[:, L.LEFT_HIP, 0] - xy[:, L.RIGHT_HIP, 0]
    dx = dx[np.isfinite(dx)]
    if dx.size == 0:
        return xy, False
    wrong = np.mean(dx < 0) > 0.5 if towards else np.mean(dx > 0) > 0.5
    return (xy[:, list(MIRROR)], True) if wrong else (xy, False)


def condition(
    xy: np.ndarray, z: np.ndarray | None, fps: float, lateral: bool
) -> tuple[np.ndarray, list[str]]:
    """Swap repair (side views) and zero-lag low-pass of one segment's (T, 33, 2) landmarks.

    ``z``: (T, 33) model depth, used by the swap repair as a near/far cue.
    """
    notes = []
    if lateral:
        # a tenth of the body height per frame at 30 fps; prediction errors shrink with the frame step
        penalty = 0.1 * float(np.nanmedian(body_height_px(xy))) * 30.0 / fps
        xy, swapped = cond.repair_swaps(xy, [(int(a), int(b)) for a, b in LEG_PAIRS], penalty, z)
        if swapped.any():
            notes.append(f"left/right leg labels repaired in {int(swapped.sum())} frame(s)")
    return cond.lowpass(xy, fps), notes


# --------------------------------------------------------------------------- analysis
def _segment_events(
    xy: np.ndarray, z: np.ndarray, time_s: np.ndarray, fps: float, seg: cond.Segment, lateral: bool
) -> tuple[list[GaitEvent], list[str], np.ndarray]:
    """Events of one walking segment, with notes and the segment's conditioned (t, 33, 2) landmarks."""
    sl = slice(seg.start, seg.stop)
    part, notes = condition(xy[sl], z[sl], fps, lateral)
    if not lateral:
        rep = _frontal_events(part, time_s[sl], fps, seg)
        ordered = enforce_order(rep.events)
        return ordered.events, notes + rep.notes + ordered.notes, part
    body = float(np.nanmedian(body_height_px(part)))
    found: list[GaitEvent] = []
    if SIDE_METHOD == "contact":
        detector = ContactEventDetection()
        for side in SIDES:
            rep = detector.detect(part[:, HEEL[side]], part[:, TOE[side]], time_s[sl], body, side, seg.start)
            found += rep.events
            notes += rep.notes
    else:
        pelvis = _midpoint(part, L.LEFT_HIP, L.RIGHT_HIP)
        for side in SIDES:
            sig = foot_signals(part[:, HEEL[side]], part[:, TOE[side]], pelvis, time_s[sl], body, seg.sign)
            rep = detect_foot_events(sig, side, fps, frame0=seg.start)
            found += rep.events
            notes += rep.notes
    ordered = enforce_order(found)
    return ordered.events, notes + ordered.notes, part


def _foot_tracks(
    smooth: np.ndarray, parts: list[tuple[cond.Segment, np.ndarray]], t: np.ndarray
) -> FootTracks:
    """Heel and toe tracks: the whole-clip low-pass, with each segment's conditioned landmarks put in."""
    xy = smooth.copy()
    for seg, part in parts:
        xy[seg.start : seg.stop] = part
    heel = {str(s): xy[:, HEEL[s]].copy() for s in SIDES}
    toe = {str(s): xy[:, TOE[s]].copy() for s in SIDES}
    return FootTracks(np.asarray(t, dtype=float).copy(), heel, toe)


def apparent_height_px(xy: np.ndarray, time_s: np.ndarray, fps: float) -> np.ndarray:
    """(T,) body height in pixels, smoothed (1 Hz) so that it follows the approach, not the stride."""
    filled, _ = cond.fill_gaps(body_height_px(xy), time_s, 0.5)
    smooth = cond.lowpass(filled, fps, 1.0)
    return np.where(np.isfinite(smooth), smooth, np.nanmedian(smooth))


def _frontal_events(part: np.ndarray, time_s: np.ndarray, fps: float, seg: cond.Segment) -> EventReport:
    body = apparent_height_px(part, time_s, fps)
    feet = {side: frontal_foot(part[:, HEEL[side]], part[:, TOE[side]], time_s, body) for side in SIDES}
    return detect_frontal_events(feet, fps, seg.direction == "towards_camera", frame0=seg.start)


def _stances(events: list[GaitEvent], side: Side) -> list[tuple[float, float]]:
    own = sorted((e for e in events if e.side == side), key=lambda e: e.time_s)
    return [
        (a.time_s, b.time_s)
        for a, b in zip(own, own[1:], strict=False)
        if (a.kind, b.kind) == (HEEL_STRIKE, TOE_OFF)
    ]


def _loading_windows(events: list[GaitEvent], side: Side) -> list[tuple[float, float]]:
    """Each stance of ``side`` (heel strike to toe off); where its toe off was not found, from its heel
    strike to the other foot's next heel strike, which holds the single-leg stance (front/back views,
    where toe offs are often missed)."""
    found = _stances(events, side)
    strikes = sorted(e.time_s for e in events if e.kind == HEEL_STRIKE and e.side == side)
    other = sorted(e.time_s for e in events if e.kind == HEEL_STRIKE and e.side == side.other)
    for hs in strikes:
        if any(a == hs for a, _ in found):
            continue
        nxt = [t for t in other if hs < t <= hs + STANCE_S[1]]
        if nxt:
            found.append((hs, nxt[0]))
    return sorted(found)


def _contacts(xy: np.ndarray, time_s: np.ndarray, events: list[GaitEvent], sign: float) -> list[fs.Contact]:
    out = []
    for side in SIDES:
        angle = fs.foot_angle_deg(xy[:, HEEL[side]], xy[:, TOE[side]], sign)
        stances = _stances(events, side)
        flat = fs.flat_angle(angle, time_s, stances)
        if not math.isfinite(flat):
            continue
        for hs, to in stances:
            out.append(fs.contact(str(side), angle - flat, time_s, hs, to))
    return out


def _frontal(
    xy: np.ndarray, world: np.ndarray, time_s: np.ndarray, events: list[GaitEvent], towards: bool
) -> dict:
    obl = frontal.obliquity_deg(xy[:, L.LEFT_HIP], xy[:, L.RIGHT_HIP])
    drop, prog = {}, {}
    for side, sign in ((Side.LEFT, 1.0), (Side.RIGHT, -1.0)):
        st = _stances(events, side)
        drop[str(side)] = frontal.pelvic_drop(obl, time_s, _loading_windows(events, side), sign).to_dict(2)
        prog[str(side)] = frontal.foot_progression(
            world[:, HEEL[side]], world[:, TOE[side]], time_s, st, sign, towards
        ).to_dict(1)
    strikes = []
    for e in events:
        if e.kind == HEEL_STRIKE:
            x = float(np.interp(e.time_s, time_s, xy[:, HEEL[e.side], 0]))
            strikes.append((e.time_s, str(e.side), x))
    widths = frontal.step_widths_px(strikes)
    return {
        "pelvic_drop_deg": drop,
        "foot_progression_deg": prog,
        "step_width_px": Stat.of(widths).to_dict(1),
        "conventions": "pelvic drop: peak hip-line angle towards the swing side during each stance, "
        "positive = opposite side drops, level camera assumed; "
        "foot progression: toes out positive (estimate)",
    }


def _step_lengths(
    xy: np.ndarray, time_s: np.ndarray, events: list[GaitEvent], px_per_m: float | None
) -> dict:
    if not px_per_m:
        return {}
    out = {}
    for e in events:
        if e.kind == HEEL_STRIKE:
            xs = [float(np.interp(e.time_s, time_s, xy[:, HEEL[s], 0])) for s in (e.side, e.side.other)]
            out[e.time_s] = abs(xs[0] - xs[1]) / px_per_m
    return out


def analyse_gait(
    seq: PoseSequence, *, view: str = "auto", subject: int | None = None, height_cm: float | None = None
) -> GaitResult:
    """Analyse the walking of one tracked person.

    Parameters
    ----------
    seq : PoseSequence
        Tracked landmarks of a video (static camera).
    view : {"auto", "side", "front", "back"}
        Camera view; ``auto`` decides from body widths and the direction of travel.
    subject : int, optional
        Track id of the walker; default: :func:`posture.gait.walker.select_walker`.
    height_cm : float, optional
        The subject's standing height, for step length and speed (side views).

    Raises
    ------
    ValueError
        Bad ``view``, a sequence without frame rate, or an unknown ``subject``.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    if not seq.fps or seq.n_frames < 2:
        raise ValueError("gait analysis needs a video with a frame rate and at least 2 frames")
    choice = _choose_walker(seq, subject)
    track = choice.track_id
    person = seq.person(track)
    fps = float(seq.fps)
    t = seq.time_s
    xy = cond.mask_low_confidence(person.xy_px[:, 0], person.visibility[:, 0])
    xy, spikes = _reject_leg_spikes(xy, fps)
    kind, view_reason = (
        detect_view(xy) if view == "auto" else ("side" if view == "side" else "frontal", "given")
    )
    lateral = kind == "side"
    cues = crowding.cue_frames(seq, track, xy, lateral)
    crowded = crowding.crowded_stretches(cues, t)
    xy = crowding.mask_feet(xy, cues)
    xy, filled = cond.fill_gaps(xy, t)
    world, _ = cond.fill_gaps(person.world_m[:, 0], t)
    body = body_height_px(xy)
    pelvis = _midpoint(xy, L.LEFT_HIP, L.RIGHT_HIP)
    segments = cond.walking_segments(cond.progression_signal(pelvis, body, lateral), t, fps, lateral)
    refused = assess_footage(_frame_rate(t, fps), float(np.nanmedian(body)))
    if refused or not choice.walks:
        segments = []
    notes = _clip_notes(choice, refused, segments, cues, spikes, filled)
    events, parts, seg_notes = _all_events(xy, person.z[:, 0], t, fps, segments, lateral)
    notes += seg_notes
    events, withheld = _away_from_crowding(events, t, crowded)
    if withheld:
        notes.append(
            f"{withheld} event(s) not reported: within {crowding.GUARD_S} s of a stretch where another "
            "person overlaps the walker (the skeleton there may mix two people)"
        )
    final_view = _final_view(view, lateral, segments)
    smooth = cond.lowpass(xy, fps)
    px_per_m = None
    if height_cm and lateral:
        px_per_m = stature_px(smooth) / (height_cm / 100.0)
    rows = step_rows(events, _step_lengths(smooth, t, events, px_per_m))
    rows = _with_contacts(rows, smooth, t, events, segments, lateral)
    summary = {str(s): summarise_side([r for r in rows if r.side == str(s)]) for s in SIDES}
    sym = {p: symmetry(p, summary["left"][p], summary["right"][p]) for p in _SYM_PARAMS}
    contacts = _all_contacts(smooth, t, events, segments) if lateral else []
    front: dict[str, Any] = {"note": "frontal measures need a front or back view"}
    if not lateral and segments:
        towards = segments[0].direction == "towards_camera"
        front = _frontal(smooth, cond.lowpass(world, fps), t, events, towards)
        rows = _with_pelvic_drop(rows, smooth, t)
        front["pelvic_drop_per_step"] = _drop_series(rows)
    return GaitResult(
        subject=choice.to_dict(),
        view=final_view,
        view_reason=view_reason,
        fps=fps,
        segments=segments,
        events=sorted(events, key=lambda e: e.time_s),
        notes=notes,
        rows=rows,
        summary=summary,
        cadence=cadence_spm(rows),
        speed_m_s=speed_m_s(summary),
        symmetry=sym,
        contacts=contacts,
        frontal=front,
        scale_px_per_m=px_per_m,
        feet=_foot_tracks(smooth, parts, t),
        settings=_settings(px_per_m),
        refused=refused,
        shortfall=step_shortfall(summary["left"]["step_time_s"].n, summary["right"]["step_time_s"].n),
    )


def _reject_leg_spikes(xy: np.ndarray, fps: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~posture.gait.conditioning.reject_spikes` on the hips and legs (arms swing back and forth)."""
    legs = [int(k) for pair in LEG_PAIRS for k in pair] + [int(L.LEFT_HIP), int(L.RIGHT_HIP)]
    out = xy.copy()
    out[:, legs], spikes = cond.reject_spikes(xy[:, legs], fps, float(np.nanmedian(body_height_px(xy))))
    return out, spikes


def _clip_notes(
    choice: WalkerChoice,
    refused: list[str],
    segments: list[cond.Segment],
    cues: np.ndarray,
    spikes: np.ndarray,
    filled: np.ndarray,
) -> list[str]:
    """What the terminal and the report say about the clip before any event is found."""
    notes = [f"not analysed: {r}" for r in refused]
    if not choice.walks:
        notes.append(choice.reason)
    elif not segments and not refused:
        notes.append("no straight walking found (nobody walks, or the clip is too short)")
    if cues.any():
        notes.append(
            f"{int(cues.sum())} frame(s) with another person overlapping the walker or legs that do not "
            "match: their feet are not used"
        )
    if spikes.any():
        notes.append(f"{int(spikes.any(axis=1).sum())} frame(s) with points that jump away and back: bridged")
    if filled.any():
        notes.append(
            f"{int(filled[..., 0].any(axis=1).sum())} frame(s) with gaps up to {cond.MAX_GAP_S} s filled"
        )
    return notes


def _frame_rate(t: np.ndarray, nominal: float) -> float:
    """The lower of the nominal frame rate and the one the time stamps show (median frame interval)."""
    steps = np.diff(t)
    steps = steps[steps > 0]
    return min(nominal, 1.0 / float(np.median(steps))) if steps.size else nominal


def _choose_walker(seq: PoseSequence, subject: int | None) -> WalkerChoice:
    """The walker (:func:`~posture.gait.walker.select_walker`), or the person the user named."""
    choice = select_walker(seq)
    if subject is None:
        return choice
    if subject not in seq.track_id:
        raise ValueError(f"no person with track id {subject}; ids are {seq.track_id.tolist()}")
    mine = [e for e in choice.evidence if e.track_id == subject]
    rest = [e for e in choice.evidence if e.track_id != subject]
    return WalkerChoice(int(subject), "chosen by the user", True, mine + rest)


_SYM_PARAMS = (
    "step_time_s",
    "stance_time_s",
    "swing_time_s",
    "stance_pct",
    "double_support_time_s",
    "step_length_m",
)


def _all_events(
    xy: np.ndarray, z: np.ndarray, t: np.ndarray, fps: float, segments: list[cond.Segment], lateral: bool
) -> tuple[list[GaitEvent], list[tuple[cond.Segment, np.ndarray]], list[str]]:
    """Events of every segment with steady stepping, each segment's conditioned landmarks, and notes.

    Front/back segments get their side labels mirrored in ``xy`` (in place) when the
    model labelled them as if the walker faced the other way.
    """
    events: list[GaitEvent] = []
    parts = []
    notes: list[str] = []
    torso = np.isfinite(xy[:, [L.LEFT_HIP, L.RIGHT_HIP]]).all(axis=(1, 2))
    seen = (float(t[torso][0]), float(t[torso][-1])) if torso.any() else (float(t[0]), float(t[-1]))
    for seg in segments:
        if not lateral:
            xy_seg, swapped = relabel_frontal(xy[seg.start : seg.stop], seg.direction == "towards_camera")
            xy[seg.start : seg.stop] = xy_seg
            if swapped:
                notes.append(f"segment {seg.start_s:.1f}-{seg.end_s:.1f} s: side labels mirrored (back view)")
        found, seg_notes, part = _segment_events(xy, z, t, fps, seg, lateral)
        parts.append((seg, part))
        notes += seg_notes
        cut = seg.start_s - seen[0] <= EDGE_S or seen[1] - seg.end_s <= EDGE_S
        if not steady_stepping(found, 2 if cut else 3):
            notes.append(
                f"segment {seg.start_s:.1f}-{seg.end_s:.1f} s: no steady stepping (fewer than "
                f"{'two' if cut else 'three'} heel strikes of alternate feet in a row, "
                f"{STEP_S[0]:g}-{STEP_S[1]:g} s apart): its {len(found)} event(s) are left out"
            )
            continue
        events += found
    return events, parts, notes


#: Plausible time from one foot's heel strike to the other's while walking (s).
STEP_S = (0.25, 1.0)
#: A segment starting (ending) this close (s) to where the walker is first (last) seen is cut by the
#: picture: the walk goes on outside it, and one step in it is enough.
EDGE_S = 0.25


def steady_stepping(events: list[GaitEvent], strikes_needed: int = 3) -> bool:
    """Whether the events hold steady walking: ``strikes_needed`` heel strikes in a row, of alternate
    feet, each step in :data:`STEP_S`.

    A few steps between tennis serves or a shuffle on the spot are not a walk to
    time; a segment cut by the picture's edge or the clip's ends needs only two.
    """
    strikes = sorted((e for e in events if e.kind == HEEL_STRIKE), key=lambda e: e.time_s)
    run = 1
    for a, b in zip(strikes, strikes[1:], strict=False):
        ok = a.side != b.side and STEP_S[0] <= b.time_s - a.time_s <= STEP_S[1]
        run = run + 1 if ok else 1
        if run >= strikes_needed:
            return True
    return False


def _away_from_crowding(
    events: list[GaitEvent], t: np.ndarray, crowded: np.ndarray
) -> tuple[list[GaitEvent], int]:
    """The events not near a crowded stretch, and how many were left out."""
    kept = [e for e in events if not crowding.near_crowding(t, crowded, e.time_s)]
    return kept, len(events) - len(kept)


def _final_view(view: str, lateral: bool, segments: list[cond.Segment]) -> str:
    if view != "auto":
        return view
    if lateral:
        return "side"
    away = sum(s.stop - s.start for s in segments if s.direction == "away")
    towards = sum(s.stop - s.start for s in segments if s.direction == "towards_camera")
    return "back" if away > towards else "front"


def _all_contacts(
    xy: np.ndarray, t: np.ndarray, events: list[GaitEvent], segments: list[cond.Segment]
) -> list:
    out = []
    for seg in segments:
        mine = [e for e in events if seg.start_s - 1e-6 <= e.time_s <= seg.end_s + 1e-6]
        sl = slice(seg.start, seg.stop)
        out += _contacts(xy[sl], t[sl], mine, seg.sign)
    return out


def _with_contacts(
    rows: list[StepRow], xy: np.ndarray, t: np.ndarray, events: list[GaitEvent], segments: list, lateral: bool
) -> list[StepRow]:
    if not lateral:
        return rows
    by_time = {(c.side, round(c.heel_strike_s, 6)): c for c in _all_contacts(xy, t, events, segments)}
    out = []
    for r in rows:
        c = by_time.get((r.side, round(r.heel_strike_s, 6)))
        if c is None:
            out.append(r)
            continue
        out.append(StepRow(**{**r.__dict__, "foot_strike": c.kind, "foot_angle_deg": c.foot_angle_deg}))
    return out


def _with_pelvic_drop(rows: list[StepRow], xy: np.ndarray, t: np.ndarray) -> list[StepRow]:
    """Rows with the peak contralateral pelvic drop of their stance (front/back views)."""
    obl = frontal.obliquity_deg(xy[:, L.LEFT_HIP], xy[:, L.RIGHT_HIP])
    out = []
    for r in rows:
        sign = 1.0 if r.side == str(Side.LEFT) else -1.0
        end = r.toe_off_s if math.isfinite(r.toe_off_s) else r.next_heel_strike_s  # the step holds the stance
        drop = frontal.stance_drop(obl, t, r.heel_strike_s, end, sign)
        out.append(StepRow(**{**r.__dict__, "pelvic_drop_deg": drop}))
    return out


def _drop_series(rows: list[StepRow]) -> list[dict[str, Any]]:
    """Per-step pelvic drop for result.json: side, heel strike time (s), drop (deg)."""
    return [
        {"side": r.side, "heel_strike_s": _r(r.heel_strike_s, 4), "pelvic_drop_deg": _r(r.pelvic_drop_deg, 2)}
        for r in rows
        if math.isfinite(r.pelvic_drop_deg)
    ]


def _settings(px_per_m: float | None) -> dict[str, Any]:
    from posture.gait import events as ev
    from posture.gait import events_frontal as fe
    from posture.gait.contacts import ContactSettings

    contact = ContactSettings()

    return {
        "max_gap_s": cond.MAX_GAP_S,
        "lowpass": f"2nd-order Butterworth, zero lag (filtfilt), cut-off {cond.CUTOFF_HZ} Hz (max 0.2 x fps)",
        "min_visibility": cond.MIN_VISIBILITY,
        "heel_strike": f"side: the heel comes within {contact.radius} body heights of the spot where it "
        f"stays for the stance (still: slower than {contact.max_still_speed} body heights/s); towards the "
        f"camera: heel downward image velocity below {fe.HS_FRACTION[True]} of its late-swing peak; away: "
        f"the toe's downward velocity below {fe.HS_FRACTION[False]} of its peak",
        "toe_off": f"side: the toe leaves the spot it pushed off from by {contact.radius} body heights; "
        "towards the camera: peak of the heel's first downward lobe after the other foot's heel strike; "
        f"away: the foot's image speed rises above {fe.TO_FRACTION} of its first lobe after the other "
        "foot's heel strike",
        "crowding": {
            "max_box_overlap": crowding.MAX_OVERLAP,
            "max_leg_mismatch_log": crowding.MAX_LEG_MISMATCH,
            "window_s": crowding.WINDOW_S,
            "min_share": crowding.MIN_SHARE,
            "guard_s": crowding.GUARD_S,
        },
        "side_event_rule": SIDE_METHOD,
        "spike_rejection": f"leg points further than {cond.SPIKE_BODY_SHARE} body heights from their "
        f"{cond.SPIKE_WINDOW_S} s running median are bridged",
        "plausible_stance_s": list(ev.STANCE_S),
        "plausible_swing_s": list(ev.SWING_S),
        "si_flag_pct": 10.0,
        "scale_px_per_m": _r(px_per_m) if px_per_m else None,
    }
