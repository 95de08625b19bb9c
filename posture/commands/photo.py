"""``posture photo``: the standing check, written as result.json, report.html and annotated.png."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture import __version__
from posture.analysis.standing import NotMeasurable, StandingResult, StandingSettings, analyse_standing
from posture.annotate.photo import annotate_standing
from posture.annotate.privacy import blur_faces
from posture.commands.checks import check_height_cm, check_out_dir, check_range, document_header
from posture.errors import InputError, NoPersonError
from posture.findings import evaluate, load_knowledge, recommend
from posture.io.atomic import atomic_open, atomic_path
from posture.measures.photo import View
from posture.pose.bundle import ModelInfo, resolve_model
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.report.html import render_report, write_report
from posture.sources.video import open_source

SCHEMA_VERSION = 1
#: Frames sampled from a standing video.
VIDEO_FRAMES = 8


@dataclass(frozen=True)
class PhotoOptions:
    """Options of ``posture photo``."""

    inputs: list[str]
    out: Path
    view: View | None = None
    height_cm: float | None = None
    marker_mm: float | None = None
    client: str | None = None
    blur_faces: bool = False
    model: str | None = None


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
    check_height_cm(opts.height_cm)
    check_range("--marker-mm", opts.marker_mm, 10, 1000, "a marker size", "mm")
    check_out_dir(opts.out)


def run_photo(opts: PhotoOptions) -> dict[str, Any]:
    """Analyse the pictures and write the outputs; return the result document."""
    _check_options(opts)
    images = [frame for spec in opts.inputs for frame in _frames_of(spec)]
    model = resolve_model(opts.model)
    settings = StandingSettings(
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
    findings = evaluate(result.measures, knowledge)
    recommendations = recommend(findings, knowledge)
    doc = result_document(result, opts, model, findings, recommendations)
    annotated = _annotated(result, opts.blur_faces)
    opts.out.mkdir(parents=True, exist_ok=True)
    with atomic_path(opts.out / "annotated.png") as tmp:
        tmp.write_bytes(cv2.imencode(".png", annotated)[1].tobytes())
    html = render_report(
        title="Standing posture check",
        subtitle=f"{result.view.value} view, {len(result.pictures)} picture(s)",
        images=[("Annotated picture", annotated)],
        measures=list(result.measures.values()),
        findings=findings,
        recommendations=recommendations,
        general=knowledge.general,
        provenance=doc["provenance"],
        client=opts.client,
        warnings=result.warnings,
    )
    write_report(opts.out / "report.html", html)
    with atomic_open(opts.out / "result.json") as handle:
        json.dump(doc, handle, indent=2)
    return doc


def photo_summary(doc: dict[str, Any], opts: PhotoOptions) -> list[str]:
    """The lines ``posture photo`` prints: view, each measure with its uncertainty, findings, notes, files."""
    lines = [f"{', '.join(opts.inputs)}: {doc['view']} view ({doc['view_reason']})"]
    for name, m in doc["measures"].items():
        if m["value"] is not None:
            unc = f" ± {m['uncertainty']:.2f}" if m["uncertainty"] is not None else ""
            lines.append(f"  {name:38s} {m['value']:+9.2f}{unc} {m['unit']}")
    lines += [f"  finding: {f['title']} ({f['severity']})" for f in doc["findings"]]
    lines += [f"  note: {w}" for w in doc["warnings"]]
    lines.append(f"  wrote {opts.out / 'report.html'}, result.json, annotated.png")
    return lines


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
        **document_header("photo", SCHEMA_VERSION, opts.inputs, opts.client),
        "view": result.view.value,
        "view_reason": result.view_reason,
        "measures": {name: m.to_dict() for name, m in result.measures.items()},
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
            },
            "camera_roll": {**asdict(result.roll), "corrected": result.roll.known},
            "scale": None if result.scale is None else asdict(result.scale),
            "quality": result.quality,
        },
    }
