"""The standing check's landmark measures from landmarks alone: a :class:`~posture.data.sequence.PoseSequence`
from any source (this package's ``landmarks.json``/CSV, another tool through
:meth:`PoseSequence.from_xarray`), no pictures.

What it gives: the measures of :mod:`posture.standing.landmarks` (hip line, hip
height difference, shoulder line, pelvic shift, leg length ratio, knee alignment;
side-on: trunk lean and head forward), each the mean over the frames where the
subject stands measurably, with the frame-to-frame spread as its uncertainty
(never below the floors of :data:`posture.standing.combine.FLOOR`), and millimetres
with a stated height (the head top extrapolated from the face).

What it cannot give, without the pixels: the pelvis level read from the picture,
the pelvic tilt outline, the clothing gate and the camera roll correction (the
camera is taken as level). Those measures are left out, with the reason, and the
standing check on the pictures (:func:`posture.standing.check.analyse_standing`)
remains the one to trust for findings.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from posture.core.measure import Measure
from posture.core.result import CheckResult
from posture.core.view import View
from posture.data.sequence import PoseSequence
from posture.data.tracking import select_subject
from posture.standing import pelvic_tilt as pt
from posture.standing.check import StandingSettings
from posture.standing.combine import Scale, frontal_measures, sagittal_measures
from posture.standing.quality import fatal_problem
from posture.standing.scale import scale_from_height
from posture.standing.view import detect_view, fix_sides

#: Why the measures that need the picture's pixels are missing.
NEEDS_PIXELS = "needs the picture itself (measured from landmarks only)"


def check_standing_landmarks(
    seq: PoseSequence, settings: StandingSettings | None = None, track_id: int | None = None
) -> CheckResult:
    """The landmark measures of one standing person over the frames of ``seq``.

    Parameters
    ----------
    seq : PoseSequence
        One or more frames of a person standing still (pixel landmarks with the picture size).
    settings : StandingSettings, optional
        ``view`` (default: decided from the landmarks), ``height_mm`` for millimetres, and the gates.
    track_id : int, optional
        The person to measure; default the one seen longest and largest.

    Raises
    ------
    ValueError
        Nobody in the sequence, or no frame where the person stands measurably (with the reason).
    """
    s = settings or StandingSettings()
    person = seq.person(select_subject(seq).track_id if track_id is None else track_id)
    xy, z, vis = person.xy_px[:, 0], person.z[:, 0], person.visibility[:, 0]
    usable: list[int] = []
    problems: list[str] = []
    for t in range(person.n_frames):
        if not np.isfinite(xy[t]).all(axis=1).any():
            continue
        problem = fatal_problem(xy[t], vis[t], seq.image_size, s.gates)
        if problem:
            problems.append(problem)
        else:
            usable.append(t)
    if not usable:
        why = Counter(problems).most_common(1)[0][0] if problems else "nobody is seen"
        raise ValueError(f"no frame where the person stands measurably: {why}")
    view, reason = _view(xy, z, usable, s.view)
    poses = [[fix_sides(xy[t], view)[0]] for t in usable]
    if view.is_side:
        measures = sagittal_measures(poses, view)
        measures[pt.NAME] = Measure(
            pt.NAME, None, pt.UNIT, None, pt.MEANING, estimate=True, note=NEEDS_PIXELS
        )
    else:
        measures = frontal_measures(poses, view, _scale(poses, s.height_mm))
    reason += (
        f"; {len(usable)} of {person.n_frames} frame(s) measured, from landmarks only (camera taken as level)"
    )
    return CheckResult("photo", view, reason, measures)


def _view(xy: np.ndarray, z: np.ndarray, frames: list[int], given: View | None) -> tuple[View, str]:
    """The given view, or the one most frames show."""
    if given is not None:
        return given, "given"
    guesses = [detect_view(xy[t], np.nan_to_num(z[t])) for t in frames]
    view, n = Counter(g.view for g in guesses).most_common(1)[0]
    first = next(g for g in guesses if g.view is view)
    return view, f"detected in {n} of {len(guesses)} frame(s): {first.reason}"


def _scale(poses: list[list[np.ndarray]], height_mm: float | None) -> Scale | None:
    """Millimetres per pixel from the stated height, the median over the frames."""
    if not height_mm:
        return None
    scales = []
    for (xy,) in poses:
        try:
            scales.append(scale_from_height(xy, None, height_mm))
        except ValueError:
            continue
    if not scales:
        return None
    mid = scales[len(scales) // 2]
    return Scale(float(np.median([sc.mm_per_px for sc in scales])), mid.method, mid.uncertainty_rel)
