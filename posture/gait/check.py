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

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from posture.core.measure import rounded
from posture.core.view import WALKING_VIEWS, View
from posture.data.sequence import PoseSequence
from posture.data.skeleton import HEEL, MIRROR, SIDES, TOE
from posture.data.skeleton import Landmark as L
from posture.gait import conditioning as cond
from posture.gait import crowding
from posture.gait.adequacy import assess_footage, step_shortfall
from posture.gait.contacts import ContactEventDetection
from posture.gait.events import (
    HEEL_STRIKE,
    EventReport,
    GaitEvent,
    detect_foot_events,
    enforce_order,
    foot_signals,
)
from posture.gait.events_frontal import detect_frontal_events, frontal_foot
from posture.gait.measures import (
    FrontalMeasures,
    all_contacts,
    drop_series,
    frontal_measures,
    step_lengths,
    with_contacts,
    with_pelvic_drop,
)
from posture.gait.result import SYMMETRY_PARAMETERS, FootTracks, GaitResult
from posture.gait.settings import ConditioningSettings, GaitSettings
from posture.gait.spatiotemporal import (
    Stat,
    StepRow,
    cadence_spm,
    speed_m_s,
    step_rows,
    summarise_side,
    symmetry,
)
from posture.gait.view import apparent_height_px, body_height_px, detect_view, stature_px
from posture.gait.walker import WalkerChoice, select_walker

#: What ``view`` may be: ``auto`` or one of the walking views.
VIEWS = ("auto", *WALKING_VIEWS)
#: Leg landmarks exchanged together by the swap repair.
LEG_PAIRS = [(L.LEFT_KNEE, L.RIGHT_KNEE), (L.LEFT_ANKLE, L.RIGHT_ANKLE), (L.LEFT_HEEL, L.RIGHT_HEEL)]
LEG_PAIRS += [(L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)]


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
    xy: np.ndarray, z: np.ndarray | None, fps: float, lateral: bool, settings: GaitSettings | None = None
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
    return _lowpass(xy, fps, settings or GaitSettings()), notes


# --------------------------------------------------------------------------- analysis
def _segment_events(
    prep: _Prepared, seg: cond.Segment, s: GaitSettings
) -> tuple[list[GaitEvent], list[str], np.ndarray]:
    """Events of one walking segment, with notes and the segment's conditioned (t, 33, 2) landmarks."""
    sl = slice(seg.start, seg.stop)
    time_s, fps, lateral = prep.time_s, prep.fps, prep.lateral
    part, notes = condition(prep.xy[sl], prep.z[sl], fps, lateral, s)
    if not lateral:
        rep = _frontal_events(part, time_s[sl], fps, seg)
        ordered = enforce_order(rep.events, s.cycle)
        return ordered.events, notes + rep.notes + ordered.notes, part
    body = float(np.nanmedian(body_height_px(part)))
    found: list[GaitEvent] = []
    if s.side_method == "contact":
        detector = ContactEventDetection(s.contacts)
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
    ordered = enforce_order(found, s.cycle)
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


def _frontal_events(part: np.ndarray, time_s: np.ndarray, fps: float, seg: cond.Segment) -> EventReport:
    body = apparent_height_px(part, time_s, fps)
    feet = {side: frontal_foot(part[:, HEEL[side]], part[:, TOE[side]], time_s, body) for side in SIDES}
    return detect_frontal_events(feet, fps, seg.direction == "towards_camera", frame0=seg.start)


@dataclass
class _Prepared:
    """The walker's landmarks cleaned and split into walking segments, before any event is timed."""

    xy: np.ndarray
    world: np.ndarray
    z: np.ndarray
    time_s: np.ndarray
    fps: float
    lateral: bool
    view_reason: str
    cues: np.ndarray
    crowded: np.ndarray
    spikes: np.ndarray
    filled: np.ndarray
    segments: list[cond.Segment]
    refused: list[str]


def analyse_gait(
    seq: PoseSequence,
    *,
    view: str = "auto",
    subject: int | None = None,
    height_cm: float | None = None,
    settings: GaitSettings | None = None,
) -> GaitResult:
    """Analyse the walking of one tracked person.

    Parameters
    ----------
    seq : PoseSequence
        Tracked landmarks of a video (static camera), from this package's tracker or
        any other source (see :mod:`posture.interop`).
    view : {"auto", "side", "front", "back"}
        Camera view; ``auto`` decides from body widths and the direction of travel.
    subject : int, optional
        Track id of the walker; default: :func:`posture.gait.walker.select_walker`.
    height_cm : float, optional
        The subject's standing height, for step length and speed (side views).
    settings : GaitSettings, optional
        Every setting of the check; default :class:`~posture.gait.settings.GaitSettings`.

    Raises
    ------
    ValueError
        Bad ``view``, a sequence without frame rate, or an unknown ``subject``.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {VIEWS}, got {view!r}")
    if not seq.fps or seq.n_frames < 2:
        raise ValueError("gait analysis needs a video with a frame rate and at least 2 frames")
    s = settings or GaitSettings()
    choice = _choose_walker(seq, subject, s)
    prep = _prepare(seq, choice, view, s)
    t, fps, lateral, segments = prep.time_s, prep.fps, prep.lateral, prep.segments
    notes = _clip_notes(choice, prep, s)
    events, parts, seg_notes = _all_events(prep, s)
    notes += seg_notes
    events, withheld = _away_from_crowding(events, t, prep.crowded, s.crowding.guard_s)
    if withheld:
        notes.append(
            f"{withheld} event(s) not reported: within {s.crowding.guard_s} s of a stretch where another "
            "person overlaps the walker (the skeleton there may mix two people)"
        )
    smooth = _lowpass(prep.xy, fps, s)
    px_per_m = stature_px(smooth) / (height_cm / 100.0) if height_cm and lateral else None
    rows, summary, front = _steps(prep, smooth, events, px_per_m, s)
    return GaitResult(
        subject=choice.to_dict(),
        view=_final_view(view, lateral, segments),
        view_reason=prep.view_reason,
        fps=fps,
        segments=segments,
        events=sorted(events, key=lambda e: e.time_s),
        notes=notes,
        rows=rows,
        summary=summary,
        cadence=cadence_spm(rows),
        speed_m_s=speed_m_s(summary),
        symmetry={
            p: symmetry(p, summary["left"][p], summary["right"][p], s.si_flag_pct)
            for p in SYMMETRY_PARAMETERS
        },
        contacts=all_contacts(smooth, t, events, segments) if lateral else [],
        frontal=front,
        scale_px_per_m=px_per_m,
        feet=_foot_tracks(smooth, parts, t),
        settings=_settings(s, px_per_m),
        refused=prep.refused,
        shortfall=step_shortfall(
            summary["left"]["step_time_s"].n, summary["right"]["step_time_s"].n, s.footage
        ),
    )


def _steps(
    prep: _Prepared, smooth: np.ndarray, events: list[GaitEvent], px_per_m: float | None, s: GaitSettings
) -> tuple[list[StepRow], dict[str, dict[str, Stat]], FrontalMeasures | None]:
    """The step table, each side's summary and (front/back views) the frontal measures."""
    t, segments = prep.time_s, prep.segments
    rows = step_rows(events, step_lengths(smooth, t, events, px_per_m))
    rows = with_contacts(rows, smooth, t, events, segments, prep.lateral)
    summary = {str(side): summarise_side([r for r in rows if r.side == str(side)]) for side in SIDES}
    if prep.lateral or not segments:
        return rows, summary, None
    towards = segments[0].direction == "towards_camera"
    rows = with_pelvic_drop(rows, smooth, t)
    front = frontal_measures(smooth, _lowpass(prep.world, prep.fps, s), t, events, towards)
    return rows, summary, replace(front, per_step=drop_series(rows))


def _prepare(seq: PoseSequence, choice: WalkerChoice, view: str, s: GaitSettings) -> _Prepared:
    """Mask, de-spike, judge crowding, fill gaps, tell the view and find the walking segments."""
    c = s.conditioning
    person = seq.person(choice.track_id)
    fps, t = float(seq.fps or 0.0), seq.time_s
    xy = cond.mask_low_confidence(person.xy_px[:, 0], person.visibility[:, 0], c.min_visibility)
    xy, spikes = _reject_leg_spikes(xy, fps, c)
    kind, view_reason = (
        detect_view(xy, s.segments.side_width_ratio)
        if view == "auto"
        else ("side" if view == "side" else "frontal", "given")
    )
    lateral = kind == "side"
    cues = crowding.cue_frames(seq, choice.track_id, xy, lateral, s.crowding)
    crowded = crowding.crowded_stretches(cues, t, s.crowding)
    xy = crowding.mask_feet(xy, cues)
    xy, filled = cond.fill_gaps(xy, t, c.max_gap_s)
    world, _ = cond.fill_gaps(person.world_m[:, 0], t, c.max_gap_s)
    body = body_height_px(xy)
    pelvis = _midpoint(xy, L.LEFT_HIP, L.RIGHT_HIP)
    seg = s.segments
    segments = cond.walking_segments(
        cond.progression_signal(pelvis, body, lateral),
        t,
        fps,
        lateral,
        min_speed=seg.min_side_speed if lateral else seg.min_frontal_speed,
        min_duration_s=seg.min_duration_s,
        max_dip_s=seg.max_dip_s,
    )
    refused = assess_footage(_frame_rate(t, fps), float(np.nanmedian(body)), s.footage)
    if refused or not choice.walks:
        segments = []
    return _Prepared(
        xy,
        world,
        person.z[:, 0],
        t,
        fps,
        lateral,
        view_reason,
        cues,
        crowded,
        spikes,
        filled,
        segments,
        refused,
    )


def subject_landmarks(
    seq: PoseSequence, result: GaitResult, settings: GaitSettings | None = None
) -> PoseSequence:
    """The walker's own sequence with their landmarks conditioned for joint angles and exports:
    low-confidence points removed, gaps up to ``max_gap_s`` filled, near/far leg swaps repaired in
    each side-view walking segment and the zero-lag low-pass applied, as for the events. Unlike the
    events' signals, one-frame jumps are not bridged (on the rendered walker that made the ankle
    angles worse: 2.1 / 4.6 against 2.8 / 4.9 deg RMSE) and the feet of crowded frames are kept."""
    s = settings or GaitSettings()
    c = s.conditioning
    person = seq.person(int(result.subject["track_id"]))
    fps = float(seq.fps or 30.0)
    xy = cond.mask_low_confidence(person.xy_px[:, 0], person.visibility[:, 0], c.min_visibility)
    xy, _ = cond.fill_gaps(xy, seq.time_s, c.max_gap_s)
    world, _ = cond.fill_gaps(person.world_m[:, 0], seq.time_s, c.max_gap_s)
    smooth = _lowpass(xy, fps, s)
    for seg in result.segments:
        sl = slice(seg.start, seg.stop)
        smooth[sl], _ = condition(xy[sl], person.z[sl, 0], fps, result.view.is_side, s)
    return replace(person, xy_px=smooth[:, None], world_m=_lowpass(world, fps, s)[:, None])


def _lowpass(values: np.ndarray, fps: float, s: GaitSettings) -> np.ndarray:
    """The zero-lag low-pass at the settings' cut-off (at most 0.2 x ``fps``)."""
    return cond.lowpass(values, fps, cond.default_cutoff_hz(fps, s.conditioning.cutoff_hz))


def _reject_leg_spikes(xy: np.ndarray, fps: float, c: ConditioningSettings) -> tuple[np.ndarray, np.ndarray]:
    """:func:`~posture.gait.conditioning.reject_spikes` on the hips and legs (arms swing back and forth)."""
    legs = [int(k) for pair in LEG_PAIRS for k in pair] + [int(L.LEFT_HIP), int(L.RIGHT_HIP)]
    out = xy.copy()
    body = float(np.nanmedian(body_height_px(xy)))
    out[:, legs], spikes = cond.reject_spikes(
        xy[:, legs], fps, body, c.spike_window_s, c.spike_body_share, c.spike_max_s
    )
    return out, spikes


def _clip_notes(choice: WalkerChoice, prep: _Prepared, s: GaitSettings) -> list[str]:
    """What the terminal and the report say about the clip before any event is found."""
    refused, segments, cues, spikes, filled = prep.refused, prep.segments, prep.cues, prep.spikes, prep.filled
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
            f"{int(filled[..., 0].any(axis=1).sum())} frame(s) with gaps up to "
            f"{s.conditioning.max_gap_s} s filled"
        )
    return notes


def _frame_rate(t: np.ndarray, nominal: float) -> float:
    """The lower of the nominal frame rate and the one the time stamps show (median frame interval)."""
    steps = np.diff(t)
    steps = steps[steps > 0]
    return min(nominal, 1.0 / float(np.median(steps))) if steps.size else nominal


def _choose_walker(seq: PoseSequence, subject: int | None, s: GaitSettings) -> WalkerChoice:
    """The walker (:func:`~posture.gait.walker.select_walker`), or the person the user named."""
    choice = select_walker(seq, s.walker)
    if subject is None:
        return choice
    if subject not in seq.track_id:
        raise ValueError(f"no person with track id {subject}; ids are {seq.track_id.tolist()}")
    mine = [e for e in choice.evidence if e.track_id == subject]
    rest = [e for e in choice.evidence if e.track_id != subject]
    return WalkerChoice(int(subject), "chosen by the user", True, mine + rest)


def _all_events(
    prep: _Prepared, s: GaitSettings
) -> tuple[list[GaitEvent], list[tuple[cond.Segment, np.ndarray]], list[str]]:
    """Events of every segment with steady stepping, each segment's conditioned landmarks, and notes.

    Front/back segments get their side labels mirrored in ``prep.xy`` (in place) when the
    model labelled them as if the walker faced the other way.
    """
    xy, t, lateral, step = prep.xy, prep.time_s, prep.lateral, s.stepping
    events: list[GaitEvent] = []
    parts = []
    notes: list[str] = []
    torso = np.isfinite(xy[:, [L.LEFT_HIP, L.RIGHT_HIP]]).all(axis=(1, 2))
    seen = (float(t[torso][0]), float(t[torso][-1])) if torso.any() else (float(t[0]), float(t[-1]))
    for seg in prep.segments:
        if not lateral:
            xy_seg, swapped = relabel_frontal(xy[seg.start : seg.stop], seg.direction == "towards_camera")
            xy[seg.start : seg.stop] = xy_seg
            if swapped:
                notes.append(f"segment {seg.start_s:.1f}-{seg.end_s:.1f} s: side labels mirrored (back view)")
        found, seg_notes, part = _segment_events(prep, seg, s)
        parts.append((seg, part))
        notes += seg_notes
        cut = seg.start_s - seen[0] <= step.edge_s or seen[1] - seg.end_s <= step.edge_s
        needed = 2 if cut else step.strikes_needed
        if not steady_stepping(found, needed, step.step_s):
            notes.append(
                f"segment {seg.start_s:.1f}-{seg.end_s:.1f} s: no steady stepping (fewer than "
                f"{needed} heel strikes of alternate feet in a row, "
                f"{step.step_s[0]:g}-{step.step_s[1]:g} s apart): its {len(found)} event(s) are left out"
            )
            continue
        events += found
    return events, parts, notes


def steady_stepping(
    events: list[GaitEvent], strikes_needed: int = 3, step_s: tuple[float, float] = (0.25, 1.0)
) -> bool:
    """Whether the events hold steady walking: ``strikes_needed`` heel strikes in a row, of alternate
    feet, each step (one foot's heel strike to the other's) lasting ``step_s`` seconds.

    A few steps between tennis serves or a shuffle on the spot are not a walk to
    time; a segment cut by the picture's edge or the clip's ends needs only two.
    """
    strikes = sorted((e for e in events if e.kind == HEEL_STRIKE), key=lambda e: e.time_s)
    run = 1
    for a, b in zip(strikes, strikes[1:], strict=False):
        ok = a.side != b.side and step_s[0] <= b.time_s - a.time_s <= step_s[1]
        run = run + 1 if ok else 1
        if run >= strikes_needed:
            return True
    return False


def _away_from_crowding(
    events: list[GaitEvent], t: np.ndarray, crowded: np.ndarray, guard_s: float
) -> tuple[list[GaitEvent], int]:
    """The events not near a crowded stretch, and how many were left out."""
    kept = [e for e in events if not crowding.near_crowding(t, crowded, e.time_s, guard_s)]
    return kept, len(events) - len(kept)


def _final_view(view: str, lateral: bool, segments: list[cond.Segment]) -> View:
    if view != "auto":
        return View(view)
    if lateral:
        return View.SIDE
    away = sum(s.stop - s.start for s in segments if s.direction == "away")
    towards = sum(s.stop - s.start for s in segments if s.direction == "towards_camera")
    return View.BACK if away > towards else View.FRONT


def _settings(s: GaitSettings, px_per_m: float | None) -> dict[str, Any]:
    """result.json's ``gait_settings``: every setting (:meth:`GaitSettings.to_dict`), the methods in
    words, and the pixel scale found."""
    from posture.gait import events_frontal as fe

    c, k = s.conditioning, s.contacts
    methods = {
        "lowpass": f"2nd-order Butterworth, zero lag (filtfilt), cut-off {c.cutoff_hz} Hz (max 0.2 x fps)",
        "heel_strike": f"side: the heel comes within {k.radius} body heights of the spot where it "
        f"stays for the stance (still: slower than {k.max_still_speed} body heights/s); towards the "
        f"camera: heel downward image velocity below {fe.HS_FRACTION[True]} of its late-swing peak; away: "
        f"the toe's downward velocity below {fe.HS_FRACTION[False]} of its peak",
        "toe_off": f"side: the toe leaves the spot it pushed off from by {k.radius} body heights; "
        "towards the camera: peak of the heel's first downward lobe after the other foot's heel strike; "
        f"away: the foot's image speed rises above {fe.TO_FRACTION} of its first lobe after the other "
        "foot's heel strike",
        "spike_rejection": f"leg points further than {c.spike_body_share} body heights from their "
        f"{c.spike_window_s} s running median are bridged",
    }
    return {**s.to_dict(), "methods": methods, "scale_px_per_m": rounded(px_per_m) if px_per_m else None}
