"""The walking check's files: result.json, steps.csv, plots, angles, exports, overlay.mp4, report.html
(and with ``--pdf``, report.pdf)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cv2
import numpy as np

from posture.annotate.gait import draw_gait_frame, marks_from_events
from posture.annotate.video import VideoWriter
from posture.core.memory import release_freed_memory
from posture.core.result import CheckResult
from posture.data.sequence import PoseSequence
from posture.data.skeleton import SIDES
from posture.gait import summary
from posture.gait.check import subject_landmarks
from posture.gait.result import GaitResult
from posture.interop.export import export_walk, side_cycles, walk_angles
from posture.io.atomic import atomic_open, staged_folder
from posture.pipeline.report_files import PDF_FILE, shared_parts, write_reports
from posture.report.client import KeyRow
from posture.report.plots import (
    plot_angle_cycles,
    plot_foot_trajectories,
    plot_step_series,
    step_series_caption,
)
from posture.sources.video import VideoSource

if TYPE_CHECKING:
    from posture.pipeline.gait import GaitAnalysis


#: The files :func:`write_gait` writes.
OUTPUT_FILES = ("result.json", "steps.csv", "overlay.mp4", "feet.png", "steps.png", "report.html")


#: Written for side views with events: joint angles per frame and over the gait cycle, and their plot.
ANGLE_FILES = ("angles.csv", "angle_cycles.csv", "angles.png")


#: Written with ``--export trc``: the walker's landmarks for OpenSim and the angles as a storage file.
EXPORT_FILES = ("markers.trc", "angles.mot")


#: Every file a run may write (removed again when storing the session fails).
ALL_FILES = OUTPUT_FILES + ANGLE_FILES + EXPORT_FILES + (PDF_FILE,)


STEP_COLUMNS = (
    "side", "heel_strike_s", "toe_off_s", "next_heel_strike_s", "step_time_s", "stride_time_s", "stance_s",
    "swing_s", "double_support_s", "stance_pct", "step_length_m", "foot_strike", "foot_angle_deg",
)  # fmt: skip


def write_gait(
    analysis: GaitAnalysis, out: Path, progress: bool = False, pdf: str | None = None
) -> list[Path]:
    """Write every output file into ``out`` (created; with ``pdf``, the paper size, report.pdf
    too); return their paths.

    The overlay needs a second decode of ``analysis.source``. The files are written into a
    hidden folder and moved into ``out`` only when all are complete; a failure (a full disk)
    leaves ``out`` as it was.
    """
    with staged_folder(out) as stage:
        _write_gait_files(analysis, stage, progress, pdf)
    return [out / name for name in ALL_FILES if (out / name).is_file()]


def _key_notes(check: CheckResult) -> list[str]:
    """Left against right in words, and why stance and swing are missing when they are."""
    notes = [f"Left against right: {line}." for line in summary.symmetry_lines(check)]
    why = summary.withheld(check)
    if why:
        notes.append(f"Stance, swing and both-feet-down times are not given: {why}.")
    return notes


def _write_gait_files(analysis: GaitAnalysis, out: Path, progress: bool, pdf: str | None) -> None:
    seq, result = analysis.sequence, analysis.result
    check = result.check_result()
    feet, steps = _plots(result, check, out, seq.image_size[1])
    angles = _angles(analysis, out)
    write_overlay(analysis.source, seq, result, out / "overlay.mp4", progress)
    _write_steps(result, out / "steps.csv")
    with atomic_open(out / "result.json") as handle:
        json.dump(analysis.doc, handle, indent=2)
    parts: dict[str, Any] = {
        "title": "Walking analysis",
        "subtitle": f"{result.view} view, {len(result.events)} events, subject #{result.subject['track_id']}",
        "images": [steps],
        "technical_images": [feet, *angles],
        "measures": [m for m in analysis.measures.values() if m.value is not None],
        **shared_parts(analysis.doc, analysis.findings, analysis.recommendations, analysis.knowledge),
        "video": ("overlay.mp4", "The walk with the skeleton, the walker highlighted and every event marked"),
        "key_heading": "Walking at a glance",
        "pictures_heading": "Step by step",
        "key_rows": [KeyRow(r.label, r.left, r.right, r.normal) for r in summary.key_rows(check)],
        "key_notes": _key_notes(check),
        "paired": True,
        "warnings": [walker_line(result.subject)] + list(result.notes),
    }
    write_reports(parts, out, pdf)


def _angles(analysis: GaitAnalysis, out: Path) -> list[tuple[str, np.ndarray]]:
    """Joint angles (side views with events): angles.csv, angle_cycles.csv, their plot, and with
    ``--export trc`` markers.trc and angles.mot. Returns the plot for the report."""
    result = analysis.result
    if not result.view.is_side or not result.events:
        return []
    person = subject_landmarks(analysis.sequence, result, analysis.settings)
    formats = ("angles", "cycles") + (("trc", "mot") if "trc" in analysis.export else ())
    angles = walk_angles(person, result.segments)
    cycles = side_cycles(angles, person.time_s, result.events)
    export_walk(
        out, person, result.events, segments=result.segments, fps=result.fps, formats=formats,
        angles=angles, cycles=cycles,
    )  # fmt: skip
    plot_angle_cycles(cycles, out / "angles.png")
    caption = (
        "Hip, knee and ankle angles over the gait cycle (heel strike to heel strike), left against right"
    )
    return [(caption, cv2.imread(str(out / "angles.png")))]


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


def _write_steps(result: GaitResult, path: Path) -> None:
    columns = STEP_COLUMNS + (("pelvic_drop_deg",) if result.view in ("front", "back") else ())
    with atomic_open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in result.steps:
            writer.writerow(row)


def _plots(
    result: GaitResult, check: CheckResult, out: Path, image_height: int
) -> tuple[tuple[str, np.ndarray], tuple[str, np.ndarray]]:
    """feet.png and steps.png, each as (caption, image) for the report."""
    feet = result.feet
    heights = {
        str(s): {"heel": image_height - feet.heel[s][:, 1], "toe": image_height - feet.toe[s][:, 1]}
        for s in SIDES
    }
    events = [e.to_dict() for e in result.events]
    paths = [
        ("Heel and toe trajectories with the detected events", plot_foot_trajectories(
            feet.time_s, heights, events, out / "feet.png", result.scale_px_per_m)),
        (step_series_caption(result.steps, check.measures),
         plot_step_series(result.steps, out / "steps.png", check.measures)),
    ]  # fmt: skip
    (feet_caption, feet_path), (steps_caption, steps_path) = paths
    return (feet_caption, cv2.imread(str(feet_path))), (steps_caption, cv2.imread(str(steps_path)))


#: The overlay's longer side at most (px): a 1280x720 video plays smoothly in a report and encodes in a
#: third of the time of a 1768x994 one (libx264 veryfast; benchmarks/results/gait_speed.md).
OVERLAY_MAX_SIDE = 1280


def overlay_size(image_size: tuple[int, int]) -> tuple[tuple[int, int], float]:
    """The overlay's (width, height) for a clip's frame size, and the factor from clip to overlay pixels."""
    width, height = image_size
    factor = min(1.0, OVERLAY_MAX_SIDE / max(width, height))
    if factor == 1.0:
        return (width, height), 1.0
    return (max(2, round(width * factor)), max(2, round(height * factor))), factor


#: Another person not seen in a frame is drawn where they were last seen up to this long before (s):
#: the subject-locked pass sees them only a few frames a second, and they would blink.
HOLD_S = 0.25


def shown_rows(
    seq: PoseSequence, subject_col: int, hold_s: float = HOLD_S
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Frame by frame, the columns of the people to draw and the row each is drawn from.

    The subject only where seen; anyone else where seen, or from their last sighting
    at most ``hold_s`` earlier.
    """
    seen = seq.seen
    last = np.full(seq.n_people, -1)
    for t in range(seq.n_frames):
        last[seen[t]] = t
        held = (last >= 0) & (seq.time_s[t] - seq.time_s[np.maximum(last, 0)] <= hold_s)
        held[subject_col] = seen[t, subject_col]
        people = np.flatnonzero(held)
        yield people, last[people]


def write_overlay(source_path: str, seq: PoseSequence, result: GaitResult, out: Path, progress: bool) -> Path:
    """Second pass over the video: skeletons, the subject highlighted, events marked as they happen.

    The frames are drawn on as OpenCV decodes them (BGR), without the RGB round trip of
    the analysis pass. Keeping the first pass's frames instead (JPEG-encoded in a temporary
    file) was measured and does not pay: decoding a JPEG costs about as much as decoding
    the clip again (VP9 1768x994: 14 against 18 ms a frame) and encoding it adds 6 ms
    a frame to the pass that is already the slowest (benchmarks/results/gait_speed.md).
    """
    from tqdm import tqdm

    release_freed_memory()  # the plots' and the analysis's freed heap, before the encoder's buffers
    subject = int(result.subject["track_id"])
    col = seq.column(subject)
    marks = marks_from_events([e.to_dict() for e in result.events])
    seen = seq.seen
    shown = shown_rows(seq, col)
    source = VideoSource(Path(source_path))
    size, factor = overlay_size(seq.image_size)
    writer = VideoWriter(out, seq.fps or 30.0, size, codec="h264")
    try:
        bar = tqdm(total=seq.n_frames, disable=not progress, unit="frame", desc="overlay", leave=False)
        for t, ((people, rows), bgr) in enumerate(zip(shown, source.iter_bgr(), strict=False)):
            if factor != 1.0:
                bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_LINEAR)  # INTER_AREA: 15 ms a frame
            subject_xy = seq.xy_px[t, col] * factor if seen[t, col] else None
            draw_gait_frame(
                bgr, seq.xy_px[rows, people] * factor, seq.track_id[people].tolist(), subject, subject_xy,
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
