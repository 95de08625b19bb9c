"""``posture live``: the live check over a camera (or a recording), with bursts and walk recordings.

Bursts are checked with exactly what ``posture photo`` runs, walks with exactly
what ``posture gait`` runs, and the same lines are printed, so the live check
and the commands agree on the same frames.
"""

from __future__ import annotations

import csv
import math
import sys
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from posture.commands.gait import gait_summary
from posture.commands.photo import photo_summary
from posture.core.view import View
from posture.errors import InputError, PostureError
from posture.io.atomic import atomic_open
from posture.live.capture import Recording
from posture.live.session import Display, Handlers, LiveSession, SessionSettings
from posture.live.state import READING_COLUMNS, Reading, summarise
from posture.pipeline.checks import check_height_cm, check_out_dir
from posture.pipeline.gait import GaitOptions, run_gait
from posture.pipeline.photo import PhotoOptions, run_photo
from posture.pose.bundle import resolve_model
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.sources.video import Source, open_source
from posture.standing.scene import RollEstimate

Emit = Callable[[str], None]


@dataclass(frozen=True)
class LiveOptions:
    """Options of ``posture live``."""

    camera: str
    out: Path
    client: str | None = None
    view: View | None = None
    height_cm: float | None = None
    model: str | None = None
    window: bool = True
    frames: int | None = None
    keys: dict[int, str] = field(default_factory=dict)
    db: Path | None = None


def _check_options(opts: LiveOptions) -> None:
    check_height_cm(opts.height_cm)
    check_out_dir(opts.out)
    camera = opts.camera.isdigit() and not Path(opts.camera).exists()
    if camera and not opts.window and opts.frames is None:
        raise InputError("--no-window on a camera needs --frames N (a camera never ends by itself)")


def _gait_view(view: View | None) -> str:
    if view is None:
        return "auto"
    return "side" if view.is_side else view.value


class Analyses:
    """Runs the standing check on bursts and the gait analysis on walks, printing what the commands print.

    A failed analysis is reported on stderr and remembered in :attr:`exit_code`;
    the session goes on.
    """

    def __init__(self, opts: LiveOptions, emit: Emit, open_reports: bool) -> None:
        self.opts = opts
        self.emit = emit
        self.open_reports = open_reports
        self.exit_code = 0

    def burst(self, name: str, paths: list[Path]) -> None:
        """Run ``posture photo`` on the burst's PNG files, into the burst's folder."""
        folder = paths[0].parent
        self.emit(f"{name}: {len(paths)} frame(s) saved as PNG in {folder}")
        photo = PhotoOptions(
            inputs=[str(p) for p in paths], out=folder, view=self.opts.view, height_cm=self.opts.height_cm,
            client=self.opts.client, model=self.opts.model,
        )  # fmt: skip
        sources = [str(p) for p in paths]
        self._run(
            name,
            lambda: self._stored(photo_summary, run_photo(photo), photo, sources),
            folder / "report.html",
        )

    def walk(self, name: str, recording: Recording) -> None:
        """Run ``posture gait`` on the recording, into the recording's folder."""
        n = len(recording.indices)
        self.emit(
            f"{name}: frames {recording.indices[0]}-{recording.indices[-1]} ({n} frames) "
            f"recorded losslessly in {recording.path}"
        )
        gait = GaitOptions(
            input=str(recording.path), out=recording.path.parent, view=_gait_view(self.opts.view),
            height_cm=self.opts.height_cm, client=self.opts.client, model=self.opts.model, progress=False,
        )  # fmt: skip
        sources = [str(recording.path)]
        report = recording.path.parent / "report.html"
        self._run(name, lambda: self._stored(gait_summary, run_gait(gait), gait, sources), report)

    def _stored(
        self, summary: Callable[..., list[str]], doc: dict, opts: object, sources: list[str]
    ) -> list[str]:
        """The command's printed lines, plus the history line when a client was named (then stored)."""
        lines = summary(doc, opts)
        if self.opts.client:
            from posture.commands.history import store_check

            folder = Path(sources[0]).parent
            db_path, stored = store_check(
                doc, self.opts.client, sources, folder / "report.html", self.opts.db, None
            )
            lines.append(f"  history: stored for {self.opts.client!r} in {db_path}")
        return lines

    def note(self, text: str) -> None:
        """A remark about the session."""
        self.emit(f"note: {text}")

    def _run(self, name: str, job: Callable[[], list[str]], report: Path) -> None:
        try:
            lines = job()
        except PostureError as exc:
            print(f"posture live: {name}: error: {exc}", file=sys.stderr)
            self.exit_code = exc.exit_code
            return
        for line in lines:
            self.emit(line)
        if self.open_reports:
            webbrowser.open(report.resolve().as_uri())


def _open_display(opts: LiveOptions) -> Display | None:
    if not opts.window:
        return None
    from posture.live.window import Window

    return Window()


def _source(opts: LiveOptions) -> Source:
    source = open_source(opts.camera, max_frames=opts.frames)
    if source.info.kind == "image":
        source.close()
        raise InputError("the live check needs a camera index or a video, not a still image", opts.camera)
    return source


def run_live(opts: LiveOptions, emit: Emit = print) -> int:
    """Run the live check; return the exit code (that of the last failed analysis, else 0)."""
    _check_options(opts)
    if opts.window:
        from posture.live.window import check_display

        check_display()
    source = _source(opts)
    analyses = Analyses(opts, emit, open_reports=opts.window)
    handlers = Handlers(burst=analyses.burst, walk=analyses.walk, note=analyses.note)
    settings = SessionSettings(out=opts.out, schedule=opts.keys, wanted=opts.view)
    display: Display | None = None
    try:
        model = resolve_model(opts.model)
        pose_options = PoseOptions(max_people=2)
        with (
            PoseEstimator(model, pose_options, video=True) as estimator,
            PoseEstimator(model, pose_options, video=True) as mirror,
        ):
            display = _open_display(opts)
            session = LiveSession(source, estimator, settings, handlers, display, mirror)
            readings = session.run()
    finally:
        source.close()
        if display is not None:
            display.close()
    csv_path = write_readings(readings, opts.out / "readings.csv")
    for line in readings_summary(source.info.name, readings, session.roll, csv_path):
        emit(line)
    return analyses.exit_code


def write_readings(readings: list[Reading], path: Path) -> Path:
    """One CSV row per frame: angles (degrees, + = subject's left higher), steadiness, hints."""
    with atomic_open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=READING_COLUMNS)
        writer.writeheader()
        writer.writerows(r.to_row() for r in readings)
    return path


def readings_summary(
    name: str, readings: list[Reading], roll: RollEstimate | None, csv_path: Path
) -> list[str]:
    """The lines printed when the session ends: frames, median angles and steadiness, common hints."""
    s = summarise(readings)
    level = f"camera roll {roll.roll_deg:+.2f} deg (from {roll.method})" if roll else "camera roll unknown"
    lines = [f"{name}: {s.frames} frame(s), subject seen in {s.seen}; {level}"]
    if s.measured:
        lines += [
            f"  hip line      {s.hip_deg:+.2f} deg (median of {s.measured} front/back frame(s))",
            f"  shoulder line {s.shoulder_deg:+.2f} deg (+ = the subject's left side higher)",
        ]
    else:
        lines.append("  hip and shoulder lines not measured (no front or back view)")
    if math.isfinite(s.steadiness):
        lines.append(f"  steadiness    {s.steadiness:.2f} (median; 1 = still)")
    lines += [f"  hint: {action} ({count} frame(s))" for action, count in s.hints]
    lines.append(f"  wrote {csv_path}")
    return lines
