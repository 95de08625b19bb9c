"""``posture gait``: walking analysis: result.json, steps.csv, plots, overlay.mp4 and report.html.

:func:`analyse_video` does the analysis and returns data; :func:`write_gait` writes the
files. The command (:func:`run_gait`) and the Python API (:func:`posture.analyse_walk`)
both go through them.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from posture import __version__
from posture.annotate.gait import draw_gait_frame, marks_from_events
from posture.annotate.video import VideoWriter
from posture.commands.checks import check_height_cm, check_out_dir, document_header
from posture.core.measure import Measure
from posture.core.result import SCHEMA_VERSION
from posture.data.sequence import PoseSequence
from posture.errors import InputError
from posture.findings import Finding, Knowledge, Recommendation, evaluate, load_knowledge, recommend
from posture.gait.check import VIEWS, analyse_gait, subject_landmarks
from posture.gait.recover import track_walker
from posture.gait.result import GaitResult
from posture.gait.settings import GaitSettings
from posture.interop.export import export_walk, side_cycles, walk_angles
from posture.io.atomic import atomic_open, staged_folder
from posture.pose.bundle import resolve_model
from posture.pose.landmarker import PoseOptions
from posture.pose.run import FrameHook
from posture.report.html import render_report, write_report
from posture.report.plots import plot_angle_cycles, plot_foot_trajectories, plot_step_series
from posture.sources.video import VideoSource, check_frame_timing, frame_times, frame_timing, open_source

#: The files :func:`write_gait` writes.
OUTPUT_FILES = ("result.json", "steps.csv", "overlay.mp4", "feet.png", "steps.png", "report.html")
#: Written for side views with events: joint angles per frame and over the gait cycle, and their plot.
ANGLE_FILES = ("angles.csv", "angle_cycles.csv", "angles.png")
#: Written with ``--export trc``: the walker's landmarks for OpenSim and the angles as a storage file.
EXPORT_FILES = ("markers.trc", "angles.mot")
#: Every file a run may write (removed again when storing the session fails).
ALL_FILES = OUTPUT_FILES + ANGLE_FILES + EXPORT_FILES
#: What ``--export`` can add.
EXPORTS = ("trc",)
STEP_COLUMNS = (
    "side", "heel_strike_s", "toe_off_s", "next_heel_strike_s", "step_time_s", "stride_time_s", "stance_s",
    "swing_s", "double_support_s", "stance_pct", "step_length_m", "foot_strike", "foot_angle_deg",
)  # fmt: skip


@dataclass(frozen=True)
class GaitOptions:
    """Options of ``posture gait`` (``out=None``: analyse only, write nothing)."""

    input: str
    out: Path | None = None
    view: str = "auto"
    subject: int | None = None
    height_cm: float | None = None
    client: str | None = None
    model: str | None = None
    max_people: int = 3
    progress: bool = True
    #: Called with each tracked frame (a batch worker counts frames with it).
    on_frame: FrameHook | None = None
    #: Every setting of the walking check (``[gait.settings]`` of a configuration file).
    settings: GaitSettings = field(default_factory=GaitSettings)
    #: Extra research files (:data:`EXPORTS`): ``trc`` writes markers.trc and angles.mot.
    export: tuple[str, ...] = ()


@dataclass(frozen=True)
class GaitAnalysis:
    """What the walking analysis found, before anything is written."""

    source: str
    sequence: PoseSequence
    result: GaitResult
    measures: dict[str, Measure]
    findings: list[Finding]
    recommendations: list[Recommendation]
    knowledge: Knowledge
    doc: dict[str, Any]
    settings: GaitSettings = field(default_factory=GaitSettings)
    export: tuple[str, ...] = ()


def _track(opts: GaitOptions) -> PoseSequence:
    """Every person's landmarks over the clip (refuses still images)."""
    model = resolve_model(opts.model)
    source = open_source(opts.input)
    try:
        if source.info.kind != "video":
            raise InputError("gait analysis needs a video, not a still image", opts.input)
        check_frame_timing(frame_timing(frame_times(opts.input), source.info.fps), opts.input)
    finally:
        source.close()
    options = PoseOptions(max_people=opts.max_people)
    s = opts.settings
    return track_walker(
        opts.input, model, options, opts.subject, opts.progress, opts.on_frame, s.walker, s.recover
    )


def analyse_video(opts: GaitOptions) -> GaitAnalysis:
    """Track the walker, find the events, measure and judge the findings; write nothing.

    Raises
    ------
    InputError
        A bad option, an unreadable or still input, an unknown subject, or a clip
        that cannot be analysed.
    """
    check_height_cm(opts.height_cm)
    if opts.view not in VIEWS:
        raise InputError(f"view must be one of {', '.join(VIEWS)}, not {opts.view!r}")
    unknown = [e for e in opts.export if e not in EXPORTS]
    if unknown:
        raise InputError(f"--export {unknown[0]!r}: expected one of {', '.join(EXPORTS)}")
    if opts.out is not None:
        check_out_dir(opts.out)
    seq = _track(opts)
    if opts.subject is not None and opts.subject not in seq.track_id:
        raise InputError(f"--subject {opts.subject}: no such person; track ids: {seq.track_id.tolist()}")
    try:
        result = analyse_gait(
            seq, view=opts.view, subject=opts.subject, height_cm=opts.height_cm, settings=opts.settings
        )
    except ValueError as exc:
        raise InputError(str(exc), opts.input) from exc
    knowledge = load_knowledge()
    measures = result.measures()
    findings = evaluate(measures, knowledge)
    recommendations = recommend(findings, knowledge)
    doc = _document(result, opts, seq, findings, recommendations)
    return GaitAnalysis(
        opts.input,
        seq,
        result,
        measures,
        findings,
        recommendations,
        knowledge,
        doc,
        opts.settings,
        opts.export,
    )


def write_gait(analysis: GaitAnalysis, out: Path, progress: bool = False) -> list[Path]:
    """Write every output file into ``out`` (created); return their paths.

    The overlay needs a second decode of ``analysis.source``. The files are written into a
    hidden folder and moved into ``out`` only when all are complete; a failure (a full disk)
    leaves ``out`` as it was.
    """
    with staged_folder(out) as stage:
        _write_gait_files(analysis, stage, progress)
    return [out / name for name in ALL_FILES if (out / name).is_file()]


def _write_gait_files(analysis: GaitAnalysis, out: Path, progress: bool) -> None:
    seq, result = analysis.sequence, analysis.result
    images = _plots(result, out, seq.image_size[1])
    images += _angles(analysis, out)
    write_overlay(analysis.source, seq, result, out / "overlay.mp4", progress)
    _write_steps(result, out / "steps.csv")
    with atomic_open(out / "result.json") as handle:
        json.dump(analysis.doc, handle, indent=2)
    html = render_report(
        title="Walking analysis",
        subtitle=f"{result.view} view, {len(result.events)} events, subject #{result.subject['track_id']}",
        images=images,
        measures=[m for m in analysis.measures.values() if m.value is not None],
        findings=analysis.findings,
        recommendations=analysis.recommendations,
        general=analysis.knowledge.general,
        provenance=analysis.doc["provenance"],
        client=analysis.doc["client"],
        warnings=[walker_line(result.subject)] + list(result.notes),
    )
    write_report(out / "report.html", html)


def _angles(analysis: GaitAnalysis, out: Path) -> list[tuple[str, np.ndarray]]:
    """Joint angles (side views with events): angles.csv, angle_cycles.csv, their plot, and with
    ``--export trc`` markers.trc and angles.mot. Returns the plot for the report."""
    result = analysis.result
    if not result.view.is_side or not result.events:
        return []
    person = subject_landmarks(analysis.sequence, result, analysis.settings)
    formats = ("angles", "cycles") + (("trc", "mot") if "trc" in analysis.export else ())
    export_walk(out, person, result.events, segments=result.segments, fps=result.fps, formats=formats)
    cycles = side_cycles(walk_angles(person, result.segments), person.time_s, result.events)
    plot_angle_cycles(cycles, out / "angles.png")
    caption = (
        "Hip, knee and ankle angles over the gait cycle (heel strike to heel strike), left against right"
    )
    return [(caption, cv2.imread(str(out / "angles.png")))]


def run_gait(opts: GaitOptions) -> dict[str, Any]:
    """Track, analyse and write every output (when ``opts.out`` is set); return the result document."""
    analysis = analyse_video(opts)
    if opts.out is not None:
        write_gait(analysis, opts.out, opts.progress)
    return analysis.doc


def gait_summary(doc: dict[str, Any], opts: GaitOptions) -> list[str]:
    """The lines ``posture gait`` prints: view, subject, events, cadence, stance, findings, notes, files."""
    spatio = doc["spatiotemporal"]
    cadence = spatio["cadence_spm"].get("mean")
    cadence_text = "not measured" if cadence is None else f"{cadence:.1f} steps/min"
    lines = [
        f"{opts.input}: {doc['view']} view, subject #{doc['subject']['track_id']}, "
        f"{len(doc['events'])} events, cadence {cadence_text}"
    ]
    lines.append(f"  walker #{doc['subject']['track_id']}: {doc['subject']['reason']}")
    others = [p for p in doc["subject"].get("people", []) if p["track_id"] != doc["subject"]["track_id"]]
    if others:
        listed = ", ".join(f"#{p['track_id']} {p['walked_body_heights']:.1f}" for p in others[:6])
        lines.append(f"  others (body heights walked; choose one with --subject ID): {listed}")
    lines += [f"  refused: {reason}" for reason in doc.get("footage", {}).get("refused", [])]
    for side in ("left", "right"):
        stance = spatio[side].get("stance_pct", {})
        mean = stance.get("mean")
        shown = "not measured" if mean is None else f"{mean:.1f} %"
        lines.append(f"  {side:5s} stance {shown} (n={stance.get('n')})")
    lines += [f"  finding: {f['title']} ({f['severity']})" for f in doc["findings"]]
    lines += [f"  not measured: {why}" for why in doc.get("footage", {}).get("not_enough_steps", {}).values()]
    lines += [f"  note: {note}" for note in doc.get("event_notes", []) if not note.startswith("not analysed")]
    if opts.out is not None:
        written = [name for name in ALL_FILES if (opts.out / name).is_file() and name != "report.html"]
        lines.append(f"  wrote {opts.out}/report.html, {', '.join(written)}")
    return lines


def walker_line(subject: dict[str, Any]) -> str:
    """Who was analysed and why, with the others' track ids (for --subject)."""
    others = [p for p in subject.get("people", []) if p["track_id"] != subject["track_id"]]
    line = f"Walker analysed: #{subject['track_id']} ({subject['reason']})."
    if others:
        listed = ", ".join(
            f"#{p['track_id']} ({p['walked_body_heights']:.1f} body heights)" for p in others[:6]
        )
        line += f" Others in view: {listed}; choose another with --subject ID."
    return line


def _document(
    result: GaitResult, opts: GaitOptions, seq: PoseSequence, findings: list, recommendations: list
) -> dict[str, Any]:
    return {
        **document_header("gait", SCHEMA_VERSION, [opts.input], opts.client),
        **result.check_result().to_document(),
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
            "tracking": {
                key: seq.provenance.settings[key]
                for key in ("stitched_tracks", "walker_recovered")
                if key in seq.provenance.settings
            },
        },
    }


def _write_steps(result: GaitResult, path: Path) -> None:
    columns = STEP_COLUMNS + (("pelvic_drop_deg",) if result.view in ("front", "back") else ())
    with atomic_open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in result.steps:
            writer.writerow(row)


def _plots(result: GaitResult, out: Path, image_height: int) -> list[tuple[str, np.ndarray]]:
    feet = result.feet
    heights = {
        side: {"heel": image_height - feet.heel[side][:, 1], "toe": image_height - feet.toe[side][:, 1]}
        for side in ("left", "right")
    }
    events = [e.to_dict() for e in result.events]
    paths = [
        ("Heel and toe trajectories with the detected events", plot_foot_trajectories(
            feet.time_s, heights, events, out / "feet.png")),
        ("Left against right, step by step", plot_step_series(result.steps, out / "steps.png")),
    ]  # fmt: skip
    return [(caption, cv2.imread(str(path))) for caption, path in paths]


def write_overlay(source_path: str, seq: PoseSequence, result: GaitResult, out: Path, progress: bool) -> Path:
    """Second pass over the video: skeletons, the subject highlighted, events marked as they happen.

    The frames are drawn on as OpenCV decodes them (BGR), without the RGB round trip of
    the analysis pass. Keeping the first pass's frames instead (JPEG-encoded in a temporary
    file) was measured and does not pay: decoding a JPEG costs about as much as decoding
    the clip again (VP9 1768x994: 14 against 18 ms a frame) and encoding it adds 6 ms
    a frame to the pass that is already the slowest (benchmarks/results/gait_speed.md).
    """
    from tqdm import tqdm

    subject = int(result.subject["track_id"])
    col = seq.column(subject)
    marks = marks_from_events([e.to_dict() for e in result.events])
    seen = seq.seen
    source = VideoSource(Path(source_path))
    writer = VideoWriter(out, seq.fps or 30.0, seq.image_size)
    try:
        bar = tqdm(total=seq.n_frames, disable=not progress, unit="frame", desc="overlay", leave=False)
        for t, bgr in enumerate(source.iter_bgr()):
            if t >= seq.n_frames:
                break
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
