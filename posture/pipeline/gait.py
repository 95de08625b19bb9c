"""The walking check from a video: track the walker, analyse, judge the findings, make the document.

:func:`analyse_video` returns data (:class:`GaitAnalysis`); :func:`run_gait` also writes the
files (:mod:`posture.pipeline.gait_files`). The command and the Python API
(:func:`posture.analyse_walk`) both go through them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from posture import __version__
from posture.core.measure import Measure
from posture.core.memory import release_freed_memory
from posture.core.result import SCHEMA_VERSION
from posture.data.sequence import PoseSequence
from posture.errors import InputError
from posture.findings import Finding, Knowledge, Recommendation, evaluate, load_knowledge, recommend
from posture.gait.check import VIEWS, analyse_gait
from posture.gait.locked import track_walker_locked
from posture.gait.recover import track_walker
from posture.gait.result import GaitResult
from posture.gait.settings import GaitSettings
from posture.pipeline.checks import check_height_cm, check_out_dir, document_header, when_taken
from posture.pipeline.gait_files import write_gait
from posture.pose.bundle import resolve_model
from posture.pose.landmarker import PoseOptions
from posture.pose.run import FrameHook
from posture.sources.video import check_frame_timing, frame_times, frame_timing, open_source

#: What ``--export`` can add.
EXPORTS = ("trc",)


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
    #: When the clip was filmed (``--date``); default: its header, else the file time.
    taken_at: datetime | None = None
    #: Also write report.pdf, laid out for this paper (``--pdf``, ``--paper``: ``a4`` or ``letter``).
    pdf: str | None = None


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
    """Every person's landmarks over the clip (refuses still images, and timing that cannot time a walk).

    The full pass reads every frame's time first; the locked pass learns them in its
    sparse pass and checks them there, before its dense pass.
    """
    model = resolve_model(opts.model)
    source = open_source(opts.input)
    try:
        if source.info.kind != "video":
            raise InputError("gait analysis needs a video, not a still image", opts.input)
        fps = source.info.fps
    finally:
        source.close()

    def check(times: np.ndarray) -> None:
        check_frame_timing(frame_timing(times, fps), opts.input)

    options = PoseOptions(max_people=opts.max_people)
    s = opts.settings
    if s.inference == "locked":
        return track_walker_locked(
            opts.input,
            model,
            options,
            opts.subject,
            opts.progress,
            opts.on_frame,
            s.walker,
            s.recover,
            s.locked,
            check_times=check,
            crowding_settings=s.crowding,
        )
    check(frame_times(opts.input))
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
    release_freed_memory()  # what tracking freed, before the analysis and the overlay's encoder
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


def run_gait(opts: GaitOptions) -> dict[str, Any]:
    """Track, analyse and write every output (when ``opts.out`` is set); return the result document."""
    analysis = analyse_video(opts)
    if opts.out is not None:
        write_gait(analysis, opts.out, opts.progress, opts.pdf)
    return analysis.doc


def _document(
    result: GaitResult, opts: GaitOptions, seq: PoseSequence, findings: list, recommendations: list
) -> dict[str, Any]:
    return {
        **document_header(
            "gait", SCHEMA_VERSION, [opts.input], opts.client, when_taken(opts.input, opts.taken_at)
        ),
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
                for key in ("stitched_tracks", "walker_recovered", "locked")
                if key in seq.provenance.settings
            },
        },
    }
