"""``posture gait``: walking analysis: result.json, steps.csv, plots, overlay.mp4 and report.html."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture import __version__
from posture.annotate.gait import draw_gait_frame, marks_from_events
from posture.annotate.video import VideoWriter
from posture.commands.checks import check_height_cm, check_out_dir, document_header
from posture.data.sequence import PoseSequence
from posture.data.skeleton import Landmark as L
from posture.errors import InputError
from posture.findings import evaluate, load_knowledge, recommend
from posture.gait.analysis import GaitResult, analyse_gait
from posture.io.atomic import atomic_open
from posture.pose.bundle import resolve_model
from posture.pose.landmarker import PoseOptions
from posture.pose.run import track_source
from posture.report.html import render_report, write_report
from posture.report.plots import plot_foot_trajectories, plot_step_series
from posture.sources.video import open_source

SCHEMA_VERSION = 1
STEP_COLUMNS = (
    "side", "heel_strike_s", "toe_off_s", "next_heel_strike_s", "step_time_s", "stride_time_s", "stance_s",
    "swing_s", "double_support_s", "stance_pct", "step_length_m", "foot_strike", "foot_angle_deg",
)  # fmt: skip


@dataclass(frozen=True)
class GaitOptions:
    """Options of ``posture gait``."""

    input: str
    out: Path
    view: str = "auto"
    subject: int | None = None
    height_cm: float | None = None
    client: str | None = None
    model: str | None = None
    max_people: int = 3
    progress: bool = True


def run_gait(opts: GaitOptions) -> dict[str, Any]:
    """Track, analyse and write every output; return the result document."""
    check_height_cm(opts.height_cm)
    check_out_dir(opts.out)
    model = resolve_model(opts.model)
    source = open_source(opts.input)
    try:
        if source.info.kind != "video":
            raise InputError("gait analysis needs a video, not a still image", opts.input)
        seq = track_source(source, model, PoseOptions(max_people=opts.max_people), opts.progress)
    finally:
        source.close()
    if opts.subject is not None and opts.subject not in seq.track_id:
        raise InputError(f"--subject {opts.subject}: no such person; track ids: {seq.track_id.tolist()}")
    try:
        result = analyse_gait(seq, view=opts.view, subject=opts.subject, height_cm=opts.height_cm)
    except ValueError as exc:
        raise InputError(str(exc), opts.input) from exc
    knowledge = load_knowledge()
    measures = result.measures()
    findings = evaluate(measures, knowledge)
    recommendations = recommend(findings, knowledge)
    doc = _document(result, opts, seq, findings, recommendations)
    opts.out.mkdir(parents=True, exist_ok=True)
    images = _plots(seq, result, opts.out)
    write_overlay(opts.input, seq, result, opts.out / "overlay.mp4", opts.progress)
    _write_steps(result, opts.out / "steps.csv")
    with atomic_open(opts.out / "result.json") as handle:
        json.dump(doc, handle, indent=2)
    html = render_report(
        title="Walking analysis",
        subtitle=f"{result.view} view, {len(result.events)} events, subject #{result.subject['track_id']}",
        images=images,
        measures=[m for m in measures.values() if m.value is not None],
        findings=findings,
        recommendations=recommendations,
        general=knowledge.general,
        provenance=doc["provenance"],
        client=opts.client,
        warnings=list(result.notes),
    )
    write_report(opts.out / "report.html", html)
    return doc


def _document(
    result: GaitResult, opts: GaitOptions, seq: PoseSequence, findings: list, recommendations: list
) -> dict[str, Any]:
    return {
        **document_header("gait", SCHEMA_VERSION, [opts.input], opts.client),
        **result.to_dict(),
        "findings": [f.to_dict() for f in findings],
        "recommendations": [r.to_dict() for r in recommendations],
        "provenance": {
            "posture_version": __version__,
            "model": {"name": seq.provenance.model_name, "sha256": seq.provenance.model_sha256},
            "fps": seq.fps,
            "frames": seq.n_frames,
            "image_size": list(seq.image_size),
            "settings": {"view": opts.view, "subject": opts.subject, "height_cm": opts.height_cm},
        },
    }


def _write_steps(result: GaitResult, path: Path) -> None:
    columns = STEP_COLUMNS + (("pelvic_drop_deg",) if result.view in ("front", "back") else ())
    with atomic_open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in result.steps:
            writer.writerow(row)


def _plots(seq: PoseSequence, result: GaitResult, out: Path) -> list[tuple[str, np.ndarray]]:
    person = seq.person(int(result.subject["track_id"]))
    height = seq.image_size[1]
    feet = {
        side: {"heel": height - person.xy(heel)[:, 1], "toe": height - person.xy(toe)[:, 1]}
        for side, heel, toe in (
            ("left", L.LEFT_HEEL, L.LEFT_FOOT_INDEX),
            ("right", L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX),
        )
    }
    events = [e.to_dict() for e in result.events]
    paths = [
        ("Heel and toe trajectories with the detected events", plot_foot_trajectories(
            seq.time_s, feet, events, out / "feet.png")),
        ("Left against right, step by step", plot_step_series(result.steps, out / "steps.png")),
    ]  # fmt: skip
    return [(caption, cv2.imread(str(path))) for caption, path in paths]


def write_overlay(source_path: str, seq: PoseSequence, result: GaitResult, out: Path, progress: bool) -> Path:
    """Second pass over the video: skeletons, the subject highlighted, events marked as they happen."""
    from tqdm import tqdm

    subject = int(result.subject["track_id"])
    col = seq.column(subject)
    marks = marks_from_events([e.to_dict() for e in result.events])
    seen = seq.seen
    source = open_source(source_path)
    writer = VideoWriter(out, seq.fps or 30.0, seq.image_size)
    try:
        bar = tqdm(total=seq.n_frames, disable=not progress, unit="frame", desc="overlay", leave=False)
        for t, frame in enumerate(source):
            if t >= seq.n_frames:
                break
            bgr = cv2.cvtColor(frame.rgb, cv2.COLOR_RGB2BGR)
            people = np.flatnonzero(seen[t])
            subject_xy = seq.xy_px[t, col] if seen[t, col] else None
            draw_gait_frame(
                bgr, seq.xy_px[t, people], seq.track_id[people].tolist(), subject, subject_xy,
                float(seq.time_s[t]), int(seq.frame_index[t]), marks,
            )  # fmt: skip
            writer.write(bgr)
            bar.update(1)
        bar.close()
    except BaseException:
        writer.abort()
        raise
    finally:
        source.close()
    return writer.close()
