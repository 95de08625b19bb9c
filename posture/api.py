"""The two checks as Python functions: :func:`check_standing` and :func:`analyse_walk`.

Both run exactly what ``posture photo`` and ``posture gait`` run (the analysis steps of
:mod:`posture.pipeline.photo` and :mod:`posture.pipeline.gait`) and return a small frozen
object with typed access to the results. Files are written only when ``out`` is given,
and then they are the command's files (result.json, report.html, ...).

Errors are :class:`posture.errors.PostureError` subclasses with a one-line message
naming the file and the problem (``InputError``, ``NoPersonError``, ``ModelError``).
Signs follow the subject's own left and right; units are in each measure's ``unit``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from posture.errors import InputError

if TYPE_CHECKING:
    from posture.core.measure import Measure
    from posture.core.view import View
    from posture.data.sequence import PoseSequence
    from posture.findings import Finding, Recommendation
    from posture.gait.events import GaitEvent
    from posture.gait.result import FootTracks

PathLike = str | os.PathLike[str]
STANDING_VIEWS = ("auto", "front", "back", "left", "right")


@dataclass(frozen=True)
class StandingCheck:
    """The standing check of one pose (one or more pictures combined).

    Attributes
    ----------
    doc : dict
        The result document, as ``posture photo`` writes it to result.json.
    view : str
        ``front``, ``back``, ``left`` or ``right`` (the side of the subject facing the camera).
    measures : dict of str -> Measure
        Every measure by name, with value (``None`` when not measurable), unit,
        uncertainty (one SD) and meaning with its sign convention.
    findings : tuple of Finding
        Screening findings, most severe first.
    recommendations : tuple of Recommendation
        Exercises in priority order, each with the findings it addresses.
    annotated : (H, W, 3) uint8 array
        The first picture, RGB, with hip line, shoulder line, plumb line and numbers drawn.
    warnings : tuple of str
        Quality notes (pictures skipped, camera roll unknown, ...).
    report_path : Path or None
        report.html when ``out`` was given.
    """

    doc: dict[str, Any]
    view: str
    measures: dict[str, Measure]
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]
    annotated: np.ndarray
    warnings: tuple[str, ...]
    report_path: Path | None = None


@dataclass(frozen=True)
class WalkAnalysis:
    """The walking analysis of one subject in one clip.

    Attributes
    ----------
    doc : dict
        The result document, as ``posture gait`` writes it to result.json.
    view : str
        ``side``, ``front`` or ``back``.
    feet : FootTracks
        Heel and toe pixel positions per side over time (``feet.time_s`` in s;
        ``feet.heel["left"]`` is (T, 2), x right, y down), conditioned exactly as
        the events were found on them.
    events : tuple of GaitEvent
        Heel strikes and toe offs in time order (``side``, ``kind``, sub-frame
        ``time_s``, nearest ``frame``, timing ``method``).
    steps : tuple of dict
        One row per heel strike, as in steps.csv (times in s, ``None`` = not measurable).
    spatiotemporal : dict
        Cadence, speed and per-side mean/SD/n of step, stride, stance, swing and
        double-support times, stance %, step length (result.json's section).
    symmetry : dict
        Per parameter: Robinson symmetry index (%, + = right larger), its SD, the
        left/right ratio, the gait asymmetry and whether it is flagged.
    foot_strike : dict
        Per side: the heel-to-toe pattern (shares of heel, flat and forefoot
        contacts, foot angle at contact, roll-through and push-off times).
    measures : dict of str -> Measure
        The measures the findings were judged on.
    findings, recommendations : tuple
        As in :class:`StandingCheck`.
    notes : tuple of str
        Why events were dropped or could not be found, gaps filled, labels repaired.
    sequence : PoseSequence
        Every tracked person's landmarks (the subject's track id is ``doc["subject"]``).
    report_path : Path or None
        report.html when ``out`` was given.
    """

    doc: dict[str, Any]
    view: str
    feet: FootTracks
    events: tuple[GaitEvent, ...]
    steps: tuple[dict[str, Any], ...]
    spatiotemporal: dict[str, Any]
    symmetry: dict[str, Any]
    foot_strike: dict[str, Any]
    measures: dict[str, Measure]
    findings: tuple[Finding, ...]
    recommendations: tuple[Recommendation, ...]
    notes: tuple[str, ...]
    sequence: PoseSequence
    report_path: Path | None = None


def _paths(images: PathLike | Sequence[PathLike]) -> list[str]:
    if isinstance(images, str | os.PathLike):
        return [os.fspath(images)]
    return [os.fspath(p) for p in images]


def _standing_view(view: str | None) -> View | None:
    from posture.core.view import View

    if view is None or view == "auto":
        return None
    if view not in STANDING_VIEWS:
        raise InputError(f"view must be one of {', '.join(STANDING_VIEWS)}, not {view!r}")
    return View(view)


def check_standing(
    images: PathLike | Sequence[PathLike],
    *,
    view: str | None = None,
    height_cm: float | None = None,
    marker_mm: float | None = None,
    out: PathLike | None = None,
    client: str | None = None,
    blur_faces: bool = False,
    model: str | None = None,
) -> StandingCheck:
    """Run the standing check on photos of one person in one pose.

    Parameters
    ----------
    images : path or sequence of paths
        One photo, several photos of the same pose, or a short standing video.
    view : {None, "auto", "front", "back", "left", "right"}
        The camera view; ``None``/``"auto"`` detects it from the landmarks.
    height_cm : float, optional
        The subject's standing height, for millimetre measures.
    marker_mm : float, optional
        Side of an ArUco marker at the subject's distance, for millimetre measures.
    out : path, optional
        Folder for result.json, report.html and annotated.png; ``None`` writes nothing.
    client : str, optional
        Client name for the document and the report.
    blur_faces : bool
        Blur faces in the annotated picture (and so in every written image).
    model : str, optional
        A ``.task`` file or a name in ``models/``; default: the built-in full model.

    Raises
    ------
    posture.errors.InputError
        A bad option, an unreadable input, or no picture that can be measured.
    posture.errors.NoPersonError
        Nobody in any picture.
    """
    import cv2

    from posture.pipeline.photo import PhotoOptions, analyse_photos
    from posture.pipeline.photo_files import write_photo

    opts = PhotoOptions(
        inputs=_paths(images),
        out=None if out is None else Path(out),
        view=_standing_view(view),
        height_cm=height_cm,
        marker_mm=marker_mm,
        client=client,
        blur_faces=blur_faces,
        model=model,
    )
    analysis = analyse_photos(opts)
    if opts.out is not None:
        write_photo(analysis, opts.out)
    return StandingCheck(
        doc=analysis.doc,
        view=analysis.result.view.value,
        measures=dict(analysis.result.measures),
        findings=tuple(analysis.findings),
        recommendations=tuple(analysis.recommendations),
        annotated=cv2.cvtColor(analysis.annotated, cv2.COLOR_BGR2RGB),
        warnings=tuple(analysis.result.warnings),
        report_path=None if opts.out is None else opts.out / "report.html",
    )


def analyse_walk(
    video: PathLike,
    *,
    view: str = "auto",
    height_cm: float | None = None,
    subject: int | None = None,
    out: PathLike | None = None,
    client: str | None = None,
    model: str | None = None,
    progress: bool = False,
) -> WalkAnalysis:
    """Analyse the walking in a video: events, step table, symmetry, heel-to-toe pattern.

    Parameters
    ----------
    video : path
        A walking clip from a static camera, side-on (best) or towards/away from it.
    view : {"auto", "side", "front", "back"}
        The camera view; ``auto`` decides from body widths and the direction of travel.
    height_cm : float, optional
        The walker's height, for step length and speed (side views).
    subject : int, optional
        Track id of the walker; default: the person who walks furthest (see ``posture.gait.walker``).
    out : path, optional
        Folder for result.json, steps.csv, overlay.mp4, feet.png, steps.png and
        report.html; ``None`` writes nothing.
    client : str, optional
        Client name for the document and the report.
    model : str, optional
        A ``.task`` file or a name in ``models/``; default: the built-in full model.
    progress : bool
        Show progress bars while tracking and drawing the overlay.

    Raises
    ------
    posture.errors.InputError
        A bad option, an unreadable or still input, an unknown subject, or a clip
        that cannot be analysed.
    posture.errors.NoPersonError
        Nobody in the clip.
    """
    from posture.pipeline.gait import GaitOptions, analyse_video
    from posture.pipeline.gait_files import write_gait

    opts = GaitOptions(
        input=os.fspath(video),
        out=None if out is None else Path(out),
        view=view,
        subject=subject,
        height_cm=height_cm,
        client=client,
        model=model,
        progress=progress,
    )
    analysis = analyse_video(opts)
    if opts.out is not None:
        write_gait(analysis, opts.out, progress)
    doc, result = analysis.doc, analysis.result
    return WalkAnalysis(
        doc=doc,
        view=result.view,
        feet=result.feet,
        events=tuple(result.events),
        steps=tuple(result.steps),
        spatiotemporal=doc["spatiotemporal"],
        symmetry=doc["symmetry"],
        foot_strike=doc["foot_strike"],
        measures=dict(analysis.measures),
        findings=tuple(analysis.findings),
        recommendations=tuple(analysis.recommendations),
        notes=tuple(result.notes),
        sequence=analysis.sequence,
        report_path=None if opts.out is None else opts.out / "report.html",
    )
