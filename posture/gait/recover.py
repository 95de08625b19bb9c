"""Find the chosen walker again where the whole-picture pass lost them: on a crop around where they must be.

The pose model looks for people in the whole picture, scaled to its small
input. A walker who steps out from behind a tree, is cut by the frame's edge or
is briefly hidden is often not found there at all, although the model finds
them readily in a crop around them (on the real demo clip the walker is found
22 frames earlier that way, with a heel strike in them). Once the walker is
chosen, this pass predicts their box in the frames just before their track
starts, just after it ends and in its short gaps (from the track's own motion:
walkers keep their speed over a second), runs the model (one person, still
image mode) on a crop around the prediction, and keeps a detection only when
its torso is where the prediction says and of the track's size. Going outwards
from the track, it stops after a few frames in a row without a match.

Only the chosen walker's column of the sequence changes; the frames it found
are listed for the provenance.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from posture.data.sequence import PoseSequence
from posture.data.skeleton import Landmark as L
from posture.gait.walker import WalkerSettings, select_walker
from posture.pose.bundle import ModelInfo
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.pose.run import FrameHook, track_source
from posture.sources.video import VideoSource, open_source


@dataclass(frozen=True)
class RecoverSettings:
    """How far and how strictly to look (times in seconds, lengths in torso lengths)."""

    #: Look this far before the track's first and after its last frame.
    extend_s: float = 1.0
    #: Gaps in the track up to this long are looked into.
    max_gap_s: float = 0.5
    #: Going outwards, stop after this many frames in a row without a match.
    max_misses: int = 3
    #: The crop: this many torso lengths either side of the predicted torso centre, and above/below it.
    half_width: float = 1.6
    above: float = 1.6
    below: float = 2.6
    #: A detection matches when its torso centre lies within this many torso lengths of the prediction
    #: (plus ``gate_growth`` per second away from the track's nearest seen frame) ...
    gate: float = 0.5
    gate_growth: float = 0.5
    #: ... and its torso length is within this factor of the track's.
    size_ratio: float = 1.4
    #: The track's motion and size are measured over this long at its ends.
    fit_s: float = 0.4
    #: A frame where another tracked person's torso centre is this close (torso lengths) to the
    #: prediction is not looked in: the crop could hold either of them.
    clear: float = 1.5


def _torso(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per frame, torso centre (T, 2) and torso length (T,): shoulder midpoint to hip midpoint."""
    shoulders = (xy[:, L.LEFT_SHOULDER] + xy[:, L.RIGHT_SHOULDER]) / 2
    hips = (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP]) / 2
    return (shoulders + hips) / 2, np.linalg.norm(hips - shoulders, axis=1)


def _fit(times: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares line through the centres: (position at time 0, velocity per second)."""
    if len(times) < 2:
        return centres[np.argmin(np.abs(times))], np.zeros(2)
    line = np.array([np.polyfit(times, centres[:, k], 1) for k in range(2)])
    return line[:, 1], line[:, 0]


@dataclass
class _Want:
    """A frame to look in: the predicted torso centre, the torso length and the gate (pixels)."""

    row: int
    centre: np.ndarray
    torso: float
    gate: float


def _wanted(seq: PoseSequence, col: int, s: RecoverSettings) -> tuple[list[_Want], list[list[int]]]:
    """The frames to look in, and the runs of rows that go outwards from the track (for the stop rule)."""
    centre, torso = _torso(seq.xy_px[:, col])
    seen = np.isfinite(centre).all(axis=1) & np.isfinite(torso) & (torso > 0)
    rows = np.flatnonzero(seen)
    t = seq.time_s
    fps = float(seq.fps or 30.0)
    if len(rows) < 2:
        return [], []
    wants: list[_Want] = []
    outward: list[list[int]] = []
    for end, step in ((rows[0], -1), (rows[-1], 1)):
        near = rows[np.abs(t[rows] - t[end]) <= s.fit_s]
        origin, vel = _fit(t[near] - t[end], centre[near])
        size = float(np.median(torso[near]))
        run = []
        for k in range(1, int(round(s.extend_s * fps)) + 1):
            r = end + step * k
            if r < 0 or r >= len(t) or seen[r]:
                break
            dt = abs(t[r] - t[end])
            wants.append(_Want(r, origin + vel * (t[r] - t[end]), size, size * (s.gate + s.gate_growth * dt)))
            run.append(r)
        outward.append(run)
    for a, b in zip(rows[:-1], rows[1:], strict=True):
        if b - a < 2 or t[b] - t[a] > s.max_gap_s:
            continue
        size = float((torso[a] + torso[b]) / 2)
        for r in range(a + 1, b):
            w = (t[r] - t[a]) / (t[b] - t[a])
            dt = min(t[r] - t[a], t[b] - t[r])
            wants.append(
                _Want(r, (1 - w) * centre[a] + w * centre[b], size, size * (s.gate + s.gate_growth * dt))
            )
    return [w for w in wants if _clear(seq, col, w, s.clear)], outward


def _clear(seq: PoseSequence, col: int, want: _Want, clear: float) -> bool:
    """Whether no other tracked person stands within ``clear`` torso lengths of the prediction."""
    others = np.delete(seq.xy_px[want.row], col, axis=0)
    if not len(others):
        return True
    centres, _ = _torso(others)
    dist = np.linalg.norm(centres - want.centre, axis=1)
    return not bool(np.any(dist[np.isfinite(dist)] < clear * want.torso))


def _crop_box(want: _Want, size: tuple[int, int], s: RecoverSettings) -> tuple[int, int, int, int] | None:
    w, h = size
    cx, cy = want.centre
    x0, x1 = int(max(0, cx - s.half_width * want.torso)), int(min(w, cx + s.half_width * want.torso))
    y0, y1 = int(max(0, cy - s.above * want.torso)), int(min(h, cy + s.below * want.torso))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return None
    return x0, y0, x1, y1


def _cut(want: _Want, frame_rgb: np.ndarray, s: RecoverSettings) -> tuple[np.ndarray, np.ndarray] | None:
    """The crop around ``want`` (a copy) and its top-left corner in the frame, or None."""
    box = _crop_box(want, (frame_rgb.shape[1], frame_rgb.shape[0]), s)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    return np.ascontiguousarray(frame_rgb[y0:y1, x0:x1]), np.array([x0, y0], float)


def _match(
    want: _Want, crop: tuple[np.ndarray, np.ndarray] | None, estimator: PoseEstimator, s: RecoverSettings
) -> tuple | None:
    """The walker's landmarks found in the crop around ``want`` (full-frame pixels), or None."""
    if crop is None:
        return None
    det = estimator.detect(crop[0])
    if not det.count:
        return None
    xy = det.xy_px[0] + crop[1]
    centre, torso = _torso(xy[None])
    if not np.isfinite(centre).all() or not torso[0] > 0:
        return None
    ratio = float(torso[0] / want.torso)
    off = float(np.linalg.norm(centre[0] - want.centre))
    if off > want.gate or not 1 / s.size_ratio <= ratio <= s.size_ratio:
        return None
    return xy, det.z[0], det.world_m[0], det.visibility[0], det.presence[0]


def _look(
    seq: PoseSequence,
    wants: list[_Want],
    outward: list[list[int]],
    source: str | Path,
    model: ModelInfo,
    s: RecoverSettings,
) -> dict[int, tuple]:
    """Row -> the walker's arrays found there.

    The clip is decoded once, up to the last wanted frame: gaps are looked into
    on the way; the crops before and after the track are kept and looked into
    afterwards, going outwards from the track, until ``max_misses`` frames in a
    row give no match (a frame not looked into, another person being near, counts
    as a miss).
    """
    by_row = {w.row: w for w in wants}
    outer = {r for run in outward for r in run}
    by_frame = {int(seq.frame_index[w.row]): w for w in wants}
    found: dict[int, tuple] = {}
    kept: dict[int, tuple[np.ndarray, np.ndarray] | None] = {}
    video = open_source(source)
    last = max(by_frame)
    # Only the wanted frames are turned into pixels; the rest are only grabbed (about a third of
    # the cost of a frame read and converted).
    frames = (
        video.iter_selected(lambda i: i in by_frame)
        if isinstance(video, VideoSource)
        else ((f.index, f.time_s, f.rgb) for f in video)
    )
    try:
        with PoseEstimator(model, PoseOptions(max_people=1), video=False) as estimator:
            for index, _, rgb in frames:
                if index > last:
                    break
                want = by_frame.get(index)
                if want is None or rgb is None:
                    continue
                crop = _cut(want, rgb, s)
                if want.row in outer:
                    kept[want.row] = crop
                elif (hit := _match(want, crop, estimator, s)) is not None:
                    found[want.row] = hit
            for run in outward:
                misses = 0
                for row in run:
                    hit = _match(by_row[row], kept.get(row), estimator, s) if row in by_row else None
                    if hit is not None:
                        found[row] = hit
                    misses = 0 if hit is not None else misses + 1
                    if misses >= s.max_misses:
                        break
    finally:
        video.close()
    return found


def recover_walker(
    seq: PoseSequence,
    track_id: int,
    source: str | Path,
    model: ModelInfo,
    settings: RecoverSettings | None = None,
) -> tuple[PoseSequence, dict[str, Any]]:
    """The sequence with the walker found in crops where the whole-picture pass lost them.

    Returns the new sequence and a report for the provenance (frames found
    before the track, after it and in its gaps).
    """
    s = settings or RecoverSettings()
    col = int(np.flatnonzero(seq.track_id == track_id)[0])
    wants, outward = _wanted(seq, col, s)
    report: dict[str, Any] = {"settings": asdict(s), "frames_tried": len(wants)}
    found = _look(seq, wants, outward, source, model, s) if wants else {}
    before, after = (sum(r in found for r in run) for run in outward) if wants else (0, 0)
    report.update(before=before, after=after, in_gaps=len(found) - before - after)
    report["frames"] = sorted(int(seq.frame_index[r]) for r in found)
    if not found:
        return seq, report
    arrays = {k: getattr(seq, k).copy() for k in ("xy_px", "z", "world_m", "visibility", "presence")}
    for r in found:
        for name, value in zip(arrays, found[r], strict=True):
            arrays[name][r, col] = value
    return replace(seq, **arrays), report


def track_walker(
    path: str | Path,
    model: ModelInfo,
    options: PoseOptions,
    subject: int | None = None,
    progress: bool = False,
    on_frame: FrameHook | None = None,
    walker: WalkerSettings | None = None,
    recover: RecoverSettings | None = None,
) -> PoseSequence:
    """Everyone's tracks over the clip, with the walker (or ``subject``) recovered where they were lost.

    The whole-picture pass (:func:`posture.pose.run.track_source`), the walker's
    choice (:func:`posture.gait.walker.select_walker`), then :func:`recover_walker`;
    what the recovery found is in ``provenance.settings["walker_recovered"]``.
    """
    source = open_source(path)
    try:
        seq = track_source(source, model, options, progress, on_frame)
    finally:
        source.close()
    track = subject if subject is not None else select_walker(seq, walker).track_id
    if track not in seq.track_id:
        return seq
    seq, report = recover_walker(seq, int(track), path, model, recover)
    settings = {**seq.provenance.settings, "walker_recovered": {"track_id": int(track), **report}}
    return replace(seq, provenance=replace(seq.provenance, settings=settings))
