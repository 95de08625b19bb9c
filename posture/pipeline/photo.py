"""The standing check from pictures: detect, measure, judge the findings, make the document.

:func:`analyse_photos` returns data (:class:`PhotoAnalysis`); :func:`run_photo` also writes the
files (:mod:`posture.pipeline.photo_files`). The command and the Python API
(:func:`posture.check_standing`) both go through them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture import __version__
from posture.annotate.photo import annotate_standing
from posture.annotate.privacy import blur_faces
from posture.core.result import SCHEMA_VERSION
from posture.core.view import View
from posture.errors import InputError, NoPersonError
from posture.findings import Finding, Knowledge, Recommendation, evaluate, load_knowledge, recommend
from posture.pipeline.checks import check_height_cm, check_out_dir, check_range, document_header, when_taken
from posture.pipeline.photo_files import write_photo
from posture.pose.bundle import ModelInfo, resolve_model
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.sources.video import open_source
from posture.standing.check import NotMeasurable, StandingResult, StandingSettings, analyse_standing

#: Frames sampled from a standing video.
VIDEO_FRAMES = 8


@dataclass(frozen=True)
class PhotoOptions:
    """Options of ``posture photo`` (``out=None``: analyse only, write nothing)."""

    inputs: list[str]
    out: Path | None = None
    view: View | None = None
    height_cm: float | None = None
    marker_mm: float | None = None
    client: str | None = None
    blur_faces: bool = False
    model: str | None = None
    #: How strictly the check judges (``[photo.settings]`` of a configuration file); the facts above win.
    settings: StandingSettings = field(default_factory=StandingSettings)
    #: When the pictures were taken (``--date``); default: their metadata, else the file time.
    taken_at: datetime | None = None
    #: Also write report.pdf, laid out for this paper (``--pdf``, ``--paper``: ``a4`` or ``letter``).
    pdf: str | None = None


@dataclass(frozen=True)
class PhotoAnalysis:
    """What the standing check found, before anything is written.

    ``annotated`` is the first picture with the hip line, shoulder line, plumb line
    and numbers drawn on it, BGR uint8 (faces blurred when asked).
    """

    result: StandingResult
    findings: list[Finding]
    recommendations: list[Recommendation]
    knowledge: Knowledge
    doc: dict[str, Any]
    annotated: np.ndarray


def _frames_of(spec: str) -> list[tuple[str, np.ndarray]]:
    """One picture, or a few evenly spaced frames of a short standing clip."""
    source = open_source(spec)
    try:
        if source.info.kind == "image":
            return [(Path(spec).name, next(iter(source)).rgb)]
        frames = [(f"{Path(spec).name}@{f.time_s:.2f}s", f.rgb) for f in source]
    finally:
        source.close()
    step = max(1, len(frames) // VIDEO_FRAMES)
    return frames[::step][:VIDEO_FRAMES]


def _check_options(opts: PhotoOptions) -> None:
    if not opts.inputs:
        raise InputError("no picture given (expected one or more photos, or a short standing video)")
    check_height_cm(opts.height_cm)
    check_range("--marker-mm", opts.marker_mm, 10, 1000, "a marker size", "mm")
    if opts.out is not None:
        check_out_dir(opts.out)


def analyse_photos(opts: PhotoOptions) -> PhotoAnalysis:
    """Read the pictures, run the standing check, judge the findings; write nothing.

    Raises
    ------
    InputError
        A bad option, an unreadable input, or no picture that can be measured.
    NoPersonError
        No person in any picture.
    """
    _check_options(opts)
    images = [frame for spec in opts.inputs for frame in _frames_of(spec)]
    model = resolve_model(opts.model)
    settings = replace(
        opts.settings,
        view=opts.view,
        height_mm=None if opts.height_cm is None else opts.height_cm * 10.0,
        marker_mm=opts.marker_mm,
    )
    with PoseEstimator(model, PoseOptions(max_people=3, segmentation=True), video=False) as estimator:
        try:
            result = analyse_standing(images, estimator, settings)
        except NotMeasurable as exc:
            error = NoPersonError if exc.nobody else InputError
            raise error(str(exc), ", ".join(opts.inputs)) from exc
    knowledge = load_knowledge()
    findings, withheld = distinct_findings(evaluate(result.measures, knowledge))
    if result.protocol:
        reasons = " and ".join(result.protocol)
        withheld += [
            f"not reported as a finding: {f.title.lower()} ({f.value:+.2f} {f.unit}): the picture does not "
            f"follow the standing protocol ({reasons}); re-take it"
            for f in findings
        ]
        findings = []
    result.warnings.extend(withheld)
    recommendations = recommend(findings, knowledge)
    doc = result_document(result, opts, model, findings, recommendations)
    annotated = _annotated(result, opts.blur_faces)
    return PhotoAnalysis(result, findings, recommendations, knowledge, doc, annotated)


def distinct_findings(findings: list[Finding]) -> tuple[list[Finding], list[str]]:
    """The findings whose value lies more than one uncertainty from its reference, and notes on the rest.

    A value within its own uncertainty of level (or of the rule's reference) cannot
    tell a finding from measurement noise, so it is not presented as one, whatever
    band it reaches. The distance from the reference is the band's threshold plus
    the excess beyond it.
    """
    kept, notes = [], []
    for f in findings:
        distance = f.threshold + f.excess
        if f.uncertainty is not None and distance <= f.uncertainty:
            notes.append(
                f"not reported as a finding: {f.title.lower()} ({f.value:+.2f} ± {f.uncertainty:.2f} "
                f"{f.unit}) is within its uncertainty of level"
            )
            continue
        kept.append(f)
    return kept, notes


def run_photo(opts: PhotoOptions) -> dict[str, Any]:
    """Analyse the pictures and write the outputs (when ``opts.out`` is set); return the result document."""
    analysis = analyse_photos(opts)
    if opts.out is not None:
        write_photo(analysis, opts.out, opts.pdf)
    return analysis.doc


def _annotated(result: StandingResult, blur: bool) -> np.ndarray:
    first = result.pictures[0]
    bgr = cv2.cvtColor(first.rgb, cv2.COLOR_RGB2BGR)
    if blur:
        bgr = blur_faces(bgr, [v.xy for v in first.variants[:1]])
    xy = first.variants[0].xy
    return annotate_standing(bgr, xy, result.measures, result.roll.roll_deg, result.view.is_side)


def result_document(
    result: StandingResult, opts: PhotoOptions, model: ModelInfo, findings: list, recommendations: list
) -> dict[str, Any]:
    """The JSON document (schema ``SCHEMA_VERSION``)."""
    return {
        **document_header(
            "photo", SCHEMA_VERSION, opts.inputs, opts.client, when_taken(opts.inputs[0], opts.taken_at)
        ),
        **result.check_result().to_document(),
        "findings": [f.to_dict() for f in findings],
        "recommendations": [r.to_dict() for r in recommendations],
        "warnings": result.warnings,
        "provenance": {
            "posture_version": __version__,
            "model": {"name": model.name, "sha256": model.sha256},
            "settings": {
                "view": None if opts.view is None else opts.view.value,
                "height_cm": opts.height_cm,
                "marker_mm": opts.marker_mm,
                "augmentation": "original + mirror, 15% and 40% crops each with mirror",
                "check": opts.settings.to_dict(),
            },
            "camera_roll": {**asdict(result.roll), "corrected": result.roll.known},
            "scale": None if result.scale is None else asdict(result.scale),
            "quality": {**result.quality, "protocol_problems": result.protocol},
        },
    }
