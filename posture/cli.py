"""The ``posture`` command line. Options are parsed once here into typed objects."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import os
import sqlite3
import sys
import warnings
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from posture import __version__
from posture.core.view import STANDING_VIEWS, WALKING_VIEWS, View
from posture.errors import PostureError
from posture.pipeline.checks import parse_date

if TYPE_CHECKING:
    from posture.gait.settings import GaitSettings


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite positive number of seconds, got {text!r}")
    return value


def _default_out(input_spec: str, command: str, client: str | None = None) -> Path:
    """``out/<command>/<input name>``; with a client ``out/<command>/<client>/<input name>-<hash>``.

    A client's reports never overwrite another client's or another session's: the history links to them.
    """
    stem = Path(input_spec).stem if not input_spec.isdigit() else f"camera{input_spec}"
    if client is None:
        return Path("out") / command / stem
    from posture.history.extract import content_hash
    from posture.history.store import client_slug

    with contextlib.suppress(OSError):  # the input is refused later with its own message
        stem = f"{stem}-{content_hash([input_spec])[:8]}"
    return Path("out") / command / client_slug(client) / stem


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(
        prog="posture", description="Offline posture and symmetry analysis from photos and video."
    )
    parser.add_argument("--version", action="version", version=f"posture {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    lm = sub.add_parser("landmarks", help="find and track body landmarks; write CSV, JSON and an overlay")
    lm.add_argument("input", help="an image, a video file, or a camera index such as 0")
    lm.add_argument("--out", type=Path, help="output folder (default: out/landmarks/<input name>)")
    lm.add_argument("--max-people", type=_positive_int, default=2, help="most people per frame (default 2)")
    lm.add_argument("--model", help="a .task file, or a name in models/ (default: built-in full model)")
    lm.add_argument("--subject", type=int, help="track id of the subject (default: seen longest and largest)")
    lm.add_argument("--frames", type=_positive_int, help="stop after this many frames (cameras)")
    lm.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    ph = sub.add_parser("photo", help="standing check: hips, pelvic tilt, symmetry; report with exercises")
    ph.add_argument("inputs", nargs="+", help="photos of one standing pose (or a short standing video)")
    ph.add_argument(
        "--view", choices=["auto", *STANDING_VIEWS], default="auto", help="camera view (default: auto)"
    )
    ph.add_argument("--height-cm", type=float, help="the subject's height, for millimetre measures")
    ph.add_argument("--marker-mm", type=float, help="side of an ArUco marker in the picture, in mm")
    ph.add_argument("--client", help="client name: shown in the report and stored in the history")
    ph.add_argument("--blur-faces", action="store_true", help="blur faces in every saved image")
    ph.add_argument("--model", help="a .task file, or a name in models/")
    ph.add_argument("--out", type=Path, help="output folder (default: out/photo/<first input name>)")
    _history_options(ph)
    ga = sub.add_parser("gait", help="walking video: heel strike, toe off, heel-to-toe, left against right")
    ga.add_argument("video", help="a walking video (side-on, or towards/away from the camera)")
    ga.add_argument(
        "--view", choices=["auto", *WALKING_VIEWS], default="auto", help="camera view (default: auto)"
    )
    ga.add_argument("--subject", type=int, help="track id of the walker (default: who walks furthest)")
    ga.add_argument("--height-cm", type=float, help="the walker's height, for step length and speed")
    ga.add_argument("--client", help="client name: shown in the report and stored in the history")
    ga.add_argument("--model", help="a .task file, or a name in models/")
    ga.add_argument("--out", type=Path, help="output folder (default: out/gait/<video name>)")
    ga.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    ga.add_argument(
        "--inference",
        choices=["locked", "full"],
        help="locked: find the people on a few frames a second, then follow the walker alone on a crop "
        "(faster); full: every person on every frame (default: the settings' value)",
    )
    ga.add_argument(
        "--export", choices=["trc"], help="also write markers.trc and angles.mot for OpenSim (side views)"
    )
    _history_options(ga)
    _history_parsers(sub)
    lv = sub.add_parser("live", help="camera check: skeleton, hip and shoulder lines; bursts and walks")
    lv.add_argument("--camera", default="0", help="a camera index (default 0) or a video file")
    lv.add_argument("--view", choices=["auto", *STANDING_VIEWS], default="auto")
    lv.add_argument("--height-cm", type=float, help="the subject's height, for millimetre measures")
    lv.add_argument("--client", help="client name: shown in the reports; checks stored in the history")
    lv.add_argument("--model", help="a .task file, or a name in models/")
    lv.add_argument("--out", type=Path, help="output folder (default: out/live/<camera or video name>)")
    lv.add_argument("--no-window", action="store_true", help="run without a window (keys come from --keys)")
    lv.add_argument("--frames", type=_positive_int, help="stop after this many frames")
    lv.add_argument("--keys", help="key presses by frame index, e.g. 40:space,60:r,180:r (space, r, q)")
    _db_option(lv)
    co = sub.add_parser("config", help="the configuration file: --example prints one with every default")
    co.add_argument("--example", action="store_true", help="print a commented file with every default")
    for command in ("photo", "gait", "batch"):
        sub.choices[command].add_argument(
            "--config", type=Path, help="a TOML file of options and settings (see `posture config --example`)"
        )
    return parser


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-command parsers by name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the parser has no sub-commands")


def _with_config(
    parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str]
) -> argparse.Namespace:
    """``args`` re-parsed with the configuration file's options as defaults; its settings attached."""
    from posture.config import SECTIONS, apply, load_config

    subs = _subparsers(parser)
    config = load_config(args.config, {name: subs[name] for name in SECTIONS})
    subs[args.command].set_defaults(**apply(config, args.command, subs[args.command], argv))
    args = parser.parse_args(argv)
    args.gait_settings = config.gait_settings
    args.photo_settings = config.photo_settings
    return args


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, help="history database file (default: $POSTURE_DB or the user's data folder)"
    )


def _pdf_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pdf", action="store_true", help="also write report.pdf, the client page printed")
    parser.add_argument(
        "--paper", choices=["a4", "letter"], default="a4", help="paper size of report.pdf (default a4)"
    )


def _history_options(parser: argparse.ArgumentParser) -> None:
    _pdf_options(parser)
    _db_option(parser)
    parser.add_argument("--date", help="when it was taken, YYYY-MM-DD[THH:MM] (default: file metadata)")


def _history_parsers(sub: argparse._SubParsersAction) -> None:
    hi = sub.add_parser("history", help="a client's trends and then-versus-now report")
    hi.add_argument("client", help="the client's name as stored with --client")
    hi.add_argument("--out", type=Path, help="output folder (default: out/history/<client>)")
    hi.add_argument("--baseline", help="compare against the first session from this date (default: first)")
    _db_option(hi)
    cl = sub.add_parser("clients", help="list the clients in the history")
    _db_option(cl)
    ex = sub.add_parser("export", help="a client's stored measures as CSV or JSON")
    ex.add_argument("client")
    ex.add_argument("--format", choices=["csv", "json"], default="csv")
    ex.add_argument("--out", type=Path, help="output file (default: standard output)")
    _db_option(ex)
    fo = sub.add_parser("forget", help="remove a client and everything stored about them")
    fo.add_argument("client")
    _db_option(fo)
    ba = sub.add_parser("batch", help="analyse a folder (or CSV manifest) of photos and videos in parallel")
    ba.add_argument("input", help="a folder (a sub-folder per client) or a CSV manifest")
    ba.add_argument("--workers", type=_positive_int, help="local worker processes (default: CPU cores)")
    ba.add_argument("--scheduler", help="a Dask scheduler address, tcp://HOST:PORT, instead of local workers")
    ba.add_argument("--out", type=Path, help="output folder (default: out/batch/<input name>)")
    ba.add_argument(
        "--time-limit", type=_positive_seconds, default=600.0, help="seconds allowed per clip (default 600)"
    )
    ba.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    _pdf_options(ba)
    _db_option(ba)


def _cmd_gait(args: argparse.Namespace) -> int:
    from posture.commands.gait import gait_summary
    from posture.pipeline.gait import GaitOptions, run_gait
    from posture.pipeline.gait_files import ALL_FILES

    out = args.out or _default_out(args.video, "gait", _client_name(args.client))
    opts = GaitOptions(
        input=args.video,
        out=out,
        view=args.view,
        subject=args.subject,
        height_cm=args.height_cm,
        client=args.client,
        model=args.model,
        progress=not args.no_progress,
        settings=_gait_settings(args),
        export=(args.export,) if args.export else (),
        pdf=args.paper if args.pdf else None,
    )
    taken_at = _history_checks(args, "gait", [opts.input], out)
    opts = dataclasses.replace(opts, taken_at=taken_at)
    existed = out.exists()
    doc = run_gait(opts)
    stored = _store(args, doc, [opts.input], out, taken_at, (ALL_FILES, existed))
    print("\n".join(gait_summary(doc, opts)))
    if stored:
        print(stored)
    return 0


def _gait_settings(args: argparse.Namespace) -> GaitSettings:
    """The walking check's settings from ``--config``, else the defaults."""
    from posture.gait.settings import GaitSettings

    settings = getattr(args, "gait_settings", None) or GaitSettings()
    inference = getattr(args, "inference", None)
    return dataclasses.replace(settings, inference=inference) if inference else settings


def _client_name(client: str | None) -> str | None:
    if client is None:
        return None
    from posture.history.db import check_client_name

    return check_client_name(client)


def _history_checks(args: argparse.Namespace, kind: str, sources: list[str], out: Path) -> datetime | None:
    """Check --client, --date and (with a client) the history database before any work; return the date."""
    _history_checks_client(args.client)
    taken_at = parse_date(args.date)
    if args.client is not None:
        from posture.commands.history import check_history

        check_history(args.db, args.client, kind, sources, out)
    return taken_at


def _history_checks_client(client: str | None) -> None:
    if client is not None:
        from posture.history.db import check_client_name

        check_client_name(client)


def _store(
    args: argparse.Namespace,
    doc: dict,
    sources: list[str],
    out: Path,
    taken_at: datetime | None,
    written: tuple[Sequence[str], bool],
) -> str | None:
    """Store the check in the history when a client was named; return the line to print.

    ``written``: the files the run wrote into ``out`` and whether ``out`` existed before; when
    storing fails they are removed again, so a failed run leaves nothing behind.
    """
    if not args.client:
        return None
    from posture.commands.history import store_check

    try:
        db_path, stored = store_check(doc, args.client, sources, out / "report.html", args.db, taken_at)
    except PostureError:
        _remove_outputs(out, *written)
        raise
    verb = "replaced the earlier session of this file" if stored.replaced else "stored"
    return f"  history: {verb} for {args.client!r} in {db_path}"


def _remove_outputs(out: Path, names: Sequence[str], existed: bool) -> None:
    for name in names:
        (out / name).unlink(missing_ok=True)
    if not existed:
        with contextlib.suppress(OSError):
            out.rmdir()


def _cmd_photo(args: argparse.Namespace) -> int:
    from posture.commands.photo import photo_summary
    from posture.pipeline.photo import PhotoOptions, run_photo
    from posture.pipeline.photo_files import ALL_FILES
    from posture.standing.check import StandingSettings

    out = args.out or _default_out(args.inputs[0], "photo", _client_name(args.client))
    opts = PhotoOptions(
        inputs=list(args.inputs),
        out=out,
        view=None if args.view == "auto" else View(args.view),
        height_cm=args.height_cm,
        marker_mm=args.marker_mm,
        client=args.client,
        blur_faces=args.blur_faces,
        model=args.model,
        settings=getattr(args, "photo_settings", None) or StandingSettings(),
        pdf=args.paper if args.pdf else None,
    )
    taken_at = _history_checks(args, "photo", opts.inputs, out)
    opts = dataclasses.replace(opts, taken_at=taken_at)
    existed = out.exists()
    doc = run_photo(opts)
    stored = _store(args, doc, opts.inputs, out, taken_at, (ALL_FILES, existed))
    print("\n".join(photo_summary(doc, opts)))
    if stored:
        print(stored)
    return 0


def _cmd_live(args: argparse.Namespace) -> int:
    from posture.commands.live import LiveOptions, run_live
    from posture.live.keys import parse_keys

    opts = LiveOptions(
        camera=args.camera,
        out=args.out or _default_out(args.camera, "live"),
        client=args.client,
        view=None if args.view == "auto" else View(args.view),
        height_cm=args.height_cm,
        model=args.model,
        window=not args.no_window,
        frames=args.frames,
        keys=parse_keys(args.keys) if args.keys is not None else {},
        db=args.db,
    )
    _history_checks_client(args.client)
    return run_live(opts)


def _cmd_landmarks(args: argparse.Namespace) -> int:
    from posture.commands.landmarks import LandmarksOptions, run_landmarks

    opts = LandmarksOptions(
        input=args.input,
        out=args.out or _default_out(args.input, "landmarks"),
        max_people=args.max_people,
        model=args.model,
        subject=args.subject,
        frames=args.frames,
        progress=not args.no_progress,
    )
    result = run_landmarks(opts)
    seq = result.sequence
    seen = int(seq.seen.any(axis=1).sum())
    print(
        f"{seq.provenance.source}: {seq.n_frames} frame(s), people detected in {seen}, "
        f"{seq.n_people} track(s); subject #{result.subject.track_id} ({result.subject.reason})"
    )
    for path in result.files:
        print(f"  wrote {path}")
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    from posture.commands.history import HistoryOptions, run_history

    baseline = parse_date(args.baseline, "--baseline")
    path = run_history(HistoryOptions(args.client, args.out, args.db, baseline))
    print(f"wrote {path}")
    return 0


def _cmd_clients(args: argparse.Namespace) -> int:
    from posture.commands.history import run_clients

    return run_clients(args.db)


def _cmd_export(args: argparse.Namespace) -> int:
    from posture.commands.history import run_export

    return run_export(args.client, args.format, args.out, args.db)


def _cmd_config(args: argparse.Namespace) -> int:
    from posture.config import SECTIONS, example

    if not args.example:
        print("posture config --example prints a configuration file with every option at its default")
        return 0
    subs = _subparsers(build_parser())
    sys.stdout.write(example({name: subs[name] for name in SECTIONS}))
    return 0


def _cmd_forget(args: argparse.Namespace) -> int:
    from posture.commands.history import run_forget

    return run_forget(args.client, args.db)


def _cmd_batch(args: argparse.Namespace) -> int:
    from posture.batch.run import BatchOptions, default_workers, run_batch
    from posture.standing.check import StandingSettings

    opts = BatchOptions(
        input=args.input,
        out=args.out or _default_out(args.input, "batch"),
        workers=args.workers or default_workers(),
        scheduler=args.scheduler,
        db=args.db,
        time_limit_s=args.time_limit,
        progress=not args.no_progress,
        gait_settings=_gait_settings(args),
        photo_settings=getattr(args, "photo_settings", None) or StandingSettings(),
        pdf=args.paper if args.pdf else None,
    )
    result = run_batch(opts)
    for row in result.rows:
        if row.status not in ("done", "skipped"):
            print(f"  {row.status}: {row.file}: {row.reason}")
    counts = ", ".join(f"{result.count(s)} {s}" for s in ("done", "skipped", "failed", "timeout", "ignored"))
    print(f"{opts.input}: {counts}")
    print(f"  wrote {result.index}, {result.summary}; history in {result.db_path}")
    return 1 if result.count("failed") or result.count("timeout") else 0


COMMANDS = {
    "landmarks": _cmd_landmarks, "photo": _cmd_photo, "gait": _cmd_gait, "history": _cmd_history,
    "clients": _cmd_clients, "export": _cmd_export, "forget": _cmd_forget, "batch": _cmd_batch,
    "live": _cmd_live, "config": _cmd_config,
}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    # NaN means "not seen" throughout; numpy's notes about all-NaN slices are not news to users.
    warnings.filterwarnings("ignore", message="(All-NaN slice|Mean of empty slice|Degrees of freedom)")
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "config", None) is not None:
            args = _with_config(parser, args, argv)
        return COMMANDS[args.command](args)
    except PostureError as exc:
        print(f"posture {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.Error as exc:  # a last resort: the commands turn these into PostureErrors themselves
        from posture.history.db import database_error, default_db_path

        db = getattr(args, "db", None) or default_db_path()
        print(f"posture {args.command}: error: {database_error(exc, Path(db))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (e.g. piped into head): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # a last resort: a file the commands did not expect to fail
        from posture.io.atomic import write_error

        print(f"posture {args.command}: error: {write_error(exc, exc.filename or '?')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"posture {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
