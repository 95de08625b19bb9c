"""Subject-locked inference: find the people on a few frames, then follow only the walker, on a crop.

The multi-person pose model pays about one landmark run per person in view, and
the walking check keeps one of them. This pass:

1. **sparse**: runs the multi-person model (VIDEO mode) on every ``stride``-th frame
   (about ``sparse_hz`` frames a second), tracks and stitches the people as the
   full pass does, and chooses the walker there
   (:func:`posture.gait.walker.select_walker`) unless a subject is named;
2. **dense**: on every frame of the walker's sparse track (and up to one sparse
   interval beyond its ends), runs the single-person landmarker (VIDEO mode) on a
   crop around the walker's torso, interpolated between the sparse frames. A frame
   where another person's box comes near the walker's, or where the crop's pose
   is not where the prediction says or of its size, goes through the multi-person
   model on the whole picture instead: the walker is the detection nearest the
   prediction, and the people near them are kept too (the crowding check needs
   them);
3. the crop search of :mod:`posture.gait.recover` beyond the track's ends and in
   its gaps, as after the full pass.

A clip where someone else is in the walker's way on more than ``crowded`` of the
walker's sparse frames goes through the full pass (:func:`posture.gait.recover.track_walker`)
after the sparse pass instead: following one person on a crop does not pay there.

Other people's landmarks are kept on the sparse frames and the whole-picture
frames only; the walker's on every frame. The report (frames cropped, frames on
the whole picture, the stride, the crowded share and whether the full pass
took over) goes into ``provenance.settings["locked"]``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture.core.memory import release_freed_memory
from posture.data.sequence import VIDEO_DTYPE, PoseSequence, Provenance, empty_arrays
from posture.data.tracking import Tracker
from posture.gait import crowding
from posture.gait.crowding import CrowdingSettings
from posture.gait.recover import RecoverSettings, _torso, recover_walker, track_walker
from posture.gait.view import detect_view
from posture.gait.walker import WalkerSettings, select_walker
from posture.pose.bundle import ModelInfo
from posture.pose.landmarker import Detections, PoseEstimator, PoseOptions, drop_duplicates
from posture.pose.run import FrameHook, track_source
from posture.sources.video import Frame, SourceInfo, VideoSource

#: ``--inference``: ``locked`` (this module) or ``full`` (the multi-person model on every frame).
INFERENCE_MODES = ("locked", "full")
_FIELDS = ("xy_px", "z", "world_m", "visibility", "presence")


@dataclass(frozen=True)
class LockedSettings:
    """How sparsely to look for people and how to follow the walker (lengths in torso lengths)."""

    #: Frames a second that the multi-person model sees (the stride is the frame rate over this, rounded).
    sparse_hz: float = 6.0
    #: The crop: this far either side of the predicted torso centre, above it and below it.
    half_width: float = 2.0
    above: float = 1.8
    below: float = 3.0
    #: The crop's pose is the walker when its torso centre is within this of the prediction ...
    gate: float = 0.6
    #: ... and its torso length within this factor of the predicted one.
    size_ratio: float = 1.5
    #: Another person whose predicted box comes within this of the walker's: the whole picture is run.
    clear: float = 0.5
    #: The single-person landmarker on the crops: VIDEO mode (follows the pose from frame to frame, finds
    #: the person again only when lost) or IMAGE mode (finds the person anew in every crop).
    crop_video: bool = True
    #: In VIDEO mode MediaPipe smooths the landmarks over time, more when they move slowly; in a crop
    #: that moves with the walker the body hardly moves, the smoothing turns heavy and the feet lag
    #: (heels 1-1.5 px further from the truth, events up to 4 frames late on the shipped side walk).
    #: The crops are given times ``TICK_S`` apart, which all but turns the smoothing off; the pose is
    #: still followed from frame to frame (no new person search in every crop).
    unsmoothed: bool = True
    #: Sparse frames of one person further apart than this (s) are not interpolated between.
    max_gap_s: float = 0.5
    #: When more than this share of the walker's sparse frames has a cue that someone else is in the way
    #: (:func:`crowded_share`), the clip goes through the full pass instead: on a crop that holds two
    #: people walking together the single-person landmarker mixes them worse than the full pass does (a
    #: toe off 3.8 frames from the truth on the two-walker composite of the tests, against within 2).
    #: Measured shares: that composite 0.26; the shipped side walk 0.04, front walk 0, the real
    #: ``sports2d_demo`` 0.
    crowded: float = 0.15


def sparse_stride(fps: float, settings: LockedSettings) -> int:
    """Frames between two frames of the sparse pass (at least 1)."""
    return max(1, int(round(fps / settings.sparse_hz)))


class _SparseSource:
    """Every ``stride``-th frame of a video as a source (for :func:`track_source`); all frame times kept."""

    def __init__(self, video: VideoSource, stride: int) -> None:
        self.video = video
        self.stride = stride
        base = video.info
        n = None if base.n_frames is None else math.ceil(base.n_frames / stride)
        fps = None if base.fps is None else base.fps / stride
        self.info = SourceInfo(base.name, base.kind, base.width, base.height, fps, n, base.rotation_deg)
        self.times: list[float] = []

    def __iter__(self) -> Any:
        for index, t, rgb in self.video.iter_selected(lambda i: i % self.stride == 0):
            self.times.append(t)
            if rgb is not None:
                yield Frame(index, t, rgb)

    def close(self) -> None:
        self.video.close()


def _features(seq: PoseSequence) -> np.ndarray:
    """(T, P, 7) per sparse frame and person: torso centre x, y, torso length, landmark box x0, y0, x1, y1."""
    xy = seq.xy_px
    t, p = xy.shape[:2]
    centre, torso = _torso(xy.reshape(t * p, *xy.shape[2:]))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows of people not seen
        lo, hi = np.nanmin(xy, axis=2), np.nanmax(xy, axis=2)
    out = np.concatenate([centre.reshape(t, p, 2), torso.reshape(t, p, 1), lo, hi], axis=-1)
    bad = ~np.isfinite(out).all(axis=-1) | ~(out[..., 2] > 0)
    out[bad] = np.nan
    return out


def interpolate(
    t_seen: np.ndarray, values: np.ndarray, t: np.ndarray, max_gap: float, reach: float
) -> np.ndarray:
    """(N, k) ``values`` (M, k), seen at times ``t_seen`` (M,), at times ``t`` (N,).

    Linear between two seen samples at most ``max_gap`` apart; within ``reach`` of a
    run's first or last sample, linear extrapolation from its two end samples (the
    end value when the run has one); NaN elsewhere.
    """
    out = np.full((len(t), values.shape[1]), np.nan)
    m = len(t_seen)
    if m == 0:
        return out
    j = np.searchsorted(t_seen, t)
    for i, (ti, ji) in enumerate(zip(t, j, strict=True)):
        a, b = ji - 1, ji
        if a >= 0 and b < m and t_seen[b] - t_seen[a] <= max_gap:
            w = (ti - t_seen[a]) / (t_seen[b] - t_seen[a])
            out[i] = (1 - w) * values[a] + w * values[b]
        elif b < m and t_seen[b] - ti <= reach:  # before a run's first sample
            out[i] = _extrapolate(t_seen, values, b, b + 1, ti, max_gap)
        elif a >= 0 and ti - t_seen[a] <= reach:  # after a run's last sample
            out[i] = _extrapolate(t_seen, values, a, a - 1, ti, max_gap)
    return out


def _extrapolate(
    t_seen: np.ndarray, values: np.ndarray, end: int, inner: int, ti: float, max_gap: float
) -> Any:
    if not 0 <= inner < len(t_seen) or abs(t_seen[inner] - t_seen[end]) > max_gap:
        return values[end]
    slope = (values[end] - values[inner]) / (t_seen[end] - t_seen[inner])
    return values[end] + slope * (ti - t_seen[end])


@dataclass
class _Prediction:
    """Where each person should be in every frame: (N, P, 7) like :func:`_features`, NaN where unknown."""

    values: np.ndarray

    @classmethod
    def of(cls, sparse: PoseSequence, times: np.ndarray, reach: float, max_gap: float) -> _Prediction:
        feats = _features(sparse)
        out = np.full((len(times), sparse.n_people, feats.shape[-1]), np.nan)
        for col in range(sparse.n_people):
            seen = np.isfinite(feats[:, col, 0])
            if seen.any():
                out[:, col] = interpolate(sparse.time_s[seen], feats[seen, col], times, max_gap, reach)
        return cls(out)


#: Time step (s) between crops handed to the landmarker when ``unsmoothed``: its smoothing filter's
#: weight of the new value grows with the time step (1 ms apart: heels 30 px off; 10 s: as unsmoothed).
TICK_S = 10.0
#: The crop is drawn at this size (width, height: the aspect of ``2 half_width : above + below``) whatever
#: the walker's size: the model then sees one image size all along.
CROP_HEIGHT = 480


def crop_warp(pred: np.ndarray, s: LockedSettings) -> tuple[np.ndarray, tuple[int, int]]:
    """The 2x3 affine map from the frame to the crop around a predicted torso, and the crop's size.

    One scale for both axes (the body is not distorted); parts of the crop outside
    the frame are black.
    """
    cx, cy, torso = (float(v) for v in pred[:3])
    scale = CROP_HEIGHT / ((s.above + s.below) * torso)
    width = int(round(2 * s.half_width * torso * scale))
    x0, y0 = cx - s.half_width * torso, cy - s.above * torso
    return np.array([[scale, 0.0, -x0 * scale], [0.0, scale, -y0 * scale]]), (width, CROP_HEIGHT)


def _to_frame(det: Detections, warp: np.ndarray, crop_width: int, frame_width: int) -> Detections:
    """A crop's detections in frame pixels, z normalised by the frame's width like x."""
    scale = float(warp[0, 0])
    xy = (det.xy_px - warp[:, 2]) / scale
    z = det.z * (crop_width / scale) / frame_width
    return Detections(xy, z, det.world_m, det.visibility, det.presence)


def _crossed(pred: np.ndarray, col: int, margin: float) -> bool:
    """Whether another person's predicted box comes within ``margin`` torso lengths of the walker's."""
    mine = pred[col]
    pad = margin * mine[2]
    for other, theirs in enumerate(pred):
        if other == col or not np.isfinite(theirs[0]):
            continue
        if (
            theirs[3] < mine[5] + pad
            and theirs[5] > mine[3] - pad
            and theirs[4] < mine[6] + pad
            and theirs[6] > mine[4] - pad
        ):
            return True
    return False


def crowded_share(sparse: PoseSequence, track_id: int, settings: CrowdingSettings | None = None) -> float:
    """The share of the sparse frames where the walker is seen with a cue that someone else is in the
    way (:func:`posture.gait.crowding.cue_frames`, in the view the sparse frames show)."""
    s = settings or CrowdingSettings()
    seen = sparse.seen[:, sparse.column(track_id)]
    if not seen.any():
        return 0.0
    xy = sparse.person(track_id).xy_px[:, 0]
    lateral = detect_view(xy)[0] == "side"
    return float(crowding.cue_frames(sparse, track_id, xy, lateral, s)[seen].mean())


def _nearest(det: Detections, pred: np.ndarray, s: LockedSettings, taken: set[int]) -> int | None:
    """The detection (not in ``taken``) whose torso is nearest the prediction, within the gate, or None."""
    if not det.count:
        return None
    centre, torso = _torso(det.xy_px)
    off = np.linalg.norm(centre - pred[:2], axis=1) / pred[2]
    with np.errstate(all="ignore"):
        ratio = torso / pred[2]
        ok = np.isfinite(off) & (off <= s.gate) & (ratio >= 1 / s.size_ratio) & (ratio <= s.size_ratio)
    ok[list(taken)] = False
    if not ok.any():
        return None
    return int(np.flatnonzero(ok)[np.argmin(off[ok])])


def _person(det: Detections, k: int) -> tuple[np.ndarray, ...]:
    return det.xy_px[k], det.z[k], det.world_m[k], det.visibility[k], det.presence[k]


class _Rows:
    """One person's landmark arrays over every frame, filled row by row (preallocated: memory stays flat)."""

    def __init__(self, n_frames: int) -> None:
        self.arrays = {k: v[:, 0] for k, v in empty_arrays(n_frames, 1, VIDEO_DTYPE).items()}
        self.found = np.zeros(n_frames, bool)

    def __setitem__(self, row: int, values: tuple[np.ndarray, ...]) -> None:
        for name, value in zip(_FIELDS, values, strict=True):
            self.arrays[name][row] = value
        self.found[row] = True


@dataclass
class _Dense:
    """What the dense pass found: the walker's rows; (row, col) -> another person's arrays."""

    walker: _Rows
    others: dict[tuple[int, int], tuple[np.ndarray, ...]]
    cropped: int = 0
    whole: int = 0


class _WholePicture:
    """The multi-person model on whole frames, loaded on first use (many clips never need it)."""

    def __init__(self, model: ModelInfo, options: PoseOptions) -> None:
        self.model = model
        self.options = options
        self._est: PoseEstimator | None = None

    def detect(self, rgb: np.ndarray, time_s: float) -> Detections:
        if self._est is None:
            self._est = PoseEstimator(self.model, self.options, video=True)
        return drop_duplicates(self._est.detect(rgb, time_s))

    def close(self) -> None:
        if self._est is not None:
            self._est.close()


def _whole_picture(
    found: Detections, row: int, pred: np.ndarray, col: int, s: LockedSettings, out: _Dense
) -> None:
    """Keep the walker and the people predicted near them from a whole-picture detection."""
    out.whole += 1
    taken: set[int] = set()
    k = _nearest(found, pred[col], s, taken)
    if k is not None:
        out.walker[row] = _person(found, k)
        taken.add(k)
    for other, theirs in enumerate(pred):
        if other == col or not np.isfinite(theirs[0]):
            continue
        k = _nearest(found, theirs, s, taken)
        if k is not None:
            out.others[(row, other)] = _person(found, k)
            taken.add(k)


def _dense_pass(
    video: VideoSource, pred: _Prediction, col: int, model: ModelInfo, options: PoseOptions, s: LockedSettings
) -> _Dense:
    """Follow the walker (column ``col``) on every frame where a prediction exists."""
    wanted = np.isfinite(pred.values[:, col, 0])
    out = _Dense(_Rows(len(wanted)), {})
    if not wanted.any():
        return out
    last = int(np.flatnonzero(wanted)[-1])
    width = video.info.width
    one = replace(options, max_people=1)
    whole = _WholePicture(model, options)
    with PoseEstimator(model, one, video=s.crop_video) as crop_est:
        for row, t, rgb in video.iter_selected(lambda i: i <= last and bool(wanted[i])):
            if row > last:
                break
            if rgb is None:
                continue
            here = pred.values[row]
            if not _crossed(here, col, s.clear):
                warp, size = crop_warp(here[col], s)
                crop = cv2.warpAffine(rgb, warp, size, flags=cv2.INTER_LINEAR)
                found = _to_frame(
                    crop_est.detect(crop, row * TICK_S if s.unsmoothed else t), warp, size[0], width
                )
                k = _nearest(found, here[col], s, set())
                if k is not None:
                    out.walker[row] = _person(found, k)
                    out.cropped += 1
                    continue
            _whole_picture(whole.detect(rgb, t), row, here, col, s, out)
    whole.close()
    return out


def _merge(sparse: PoseSequence, stride: int, times: np.ndarray, col: int, dense: _Dense) -> PoseSequence:
    """One sequence over every frame: sparse frames, the walker's dense rows, the people found near them."""
    arrays = empty_arrays(len(times), sparse.n_people, VIDEO_DTYPE)
    rows = sparse.frame_index
    for name in _FIELDS:
        arrays[name][rows] = getattr(sparse, name)
        arrays[name][rows, col] = np.nan  # the walker's sparse rows are replaced by the dense pass's
    found = dense.walker.found
    for name in _FIELDS:
        arrays[name][found, col] = dense.walker.arrays[name][found]
    missing = ~found[rows]
    for name in _FIELDS:  # where the dense pass found nothing, the sparse frame's walker stays
        arrays[name][rows[missing], col] = getattr(sparse, name)[missing, col]
    for (row, other), person in dense.others.items():
        for name, value in zip(_FIELDS, person, strict=True):
            arrays[name][row, other] = value
    return PoseSequence(
        time_s=np.asarray(times, dtype=np.float64),
        frame_index=np.arange(len(times), dtype=np.int64),
        track_id=sparse.track_id.copy(),
        image_size=sparse.image_size,
        fps=float(sparse.fps or 0.0) * stride or None,
        provenance=sparse.provenance,
        **arrays,
    )


def track_walker_locked(
    path: str | Path,
    model: ModelInfo,
    options: PoseOptions,
    subject: int | None = None,
    progress: bool = False,
    on_frame: FrameHook | None = None,
    walker: WalkerSettings | None = None,
    recover: RecoverSettings | None = None,
    locked: LockedSettings | None = None,
    check_times: Callable[[np.ndarray], None] | None = None,
    crowding_settings: CrowdingSettings | None = None,
) -> PoseSequence:
    """Everyone's tracks on the sparse frames and the walker's on every frame (see the module docstring).

    Same arguments and result shape as :func:`posture.gait.recover.track_walker`;
    ``on_frame`` is called for each frame of the sparse pass. ``check_times`` is
    called with every frame's time (s) once the sparse pass has read them (it may
    raise to refuse the clip before the dense pass). ``crowding_settings``: the
    analysis's, for :func:`crowded_share`.
    """
    s = locked or LockedSettings()
    video = VideoSource(Path(path))
    fps = float(video.info.fps or 30.0)
    stride = sparse_stride(fps, s)
    source = _SparseSource(video, stride)
    interval = stride / fps
    tracker = Tracker(tentative_gap_s=max(0.15, 1.5 * interval))
    try:
        sparse = track_source(source, model, options, progress, on_frame, tracker)  # type: ignore[arg-type]
    finally:
        source.close()
    times = np.asarray(source.times, dtype=np.float64)
    if check_times is not None:
        check_times(times)
    track = subject if subject is not None else select_walker(sparse, walker).track_id
    if track not in sparse.track_id:
        return _merge(sparse, stride, times, 0, _Dense(_Rows(len(times)), {})) if sparse.n_people else sparse
    col = int(np.flatnonzero(sparse.track_id == track)[0])
    crowded = crowded_share(sparse, int(track), crowding_settings)
    report: dict[str, Any] = {"settings": asdict(s), "stride": stride, "sparse_frames": int(sparse.n_frames)}
    report |= {"crowded_share": round(crowded, 3), "full_pass": crowded > s.crowded}
    if report["full_pass"]:
        seq = track_walker(path, model, options, subject, progress, on_frame, walker, recover)
        settings = {**seq.provenance.settings, "locked": report}
        return replace(seq, provenance=replace(seq.provenance, settings=settings))
    pred = _Prediction.of(sparse, times, reach=interval, max_gap=max(s.max_gap_s, 1.5 * interval))
    video = VideoSource(Path(path))
    try:
        dense = _dense_pass(video, pred, col, model, options, s)
    finally:
        video.close()
    seq = _merge(sparse, stride, times, col, dense)
    report |= {"cropped_frames": dense.cropped, "whole_picture_frames": dense.whole}
    del dense, sparse, pred  # merged into seq: the recovery's working copy need not sit beside them
    release_freed_memory()
    provenance: Provenance = replace(seq.provenance, settings={**seq.provenance.settings, "locked": report})
    seq = replace(seq, provenance=provenance)
    seq, found = recover_walker(seq, int(track), path, model, recover)
    settings = {**seq.provenance.settings, "walker_recovered": {"track_id": int(track), **found}}
    return replace(seq, provenance=replace(seq.provenance, settings=settings))
