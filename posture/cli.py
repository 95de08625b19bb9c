"""The ``posture`` command line. Options are parsed once here into typed objects."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from posture import __version__
from posture.errors import PostureError
from posture.measures.photo import View


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def _default_out(input_spec: str, command: str) -> Path:
    stem = Path(input_spec).stem if not input_spec.isdigit() else f"camera{input_spec}"
    return Path("out") / command / stem


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
    ph.add_argument("--view", choices=["auto", *[v.value for v in View]], default="auto")
    ph.add_argument("--height-cm", type=float, help="the subject's height, for millimetre measures")
    ph.add_argument("--marker-mm", type=float, help="side of an ArUco marker in the picture, in mm")
    ph.add_argument("--client", help="client name shown in the report")
    ph.add_argument("--blur-faces", action="store_true", help="blur faces in every saved image")
    ph.add_argument("--model", help="a .task file, or a name in models/")
    ph.add_argument("--out", type=Path, help="output folder (default: out/photo/<first input name>)")
    ga = sub.add_parser("gait", help="walking video: heel strike, toe off, heel-to-toe, left against right")
    ga.add_argument("video", help="a walking video (side-on, or towards/away from the camera)")
    ga.add_argument("--view", choices=["auto", "side", "front", "back"], default="auto")
    ga.add_argument("--subject", type=int, help="track id of the walker (default: seen longest and largest)")
    ga.add_argument("--height-cm", type=float, help="the walker's height, for step length and speed")
    ga.add_argument("--client", help="client name shown in the report")
    ga.add_argument("--model", help="a .task file, or a name in models/")
    ga.add_argument("--out", type=Path, help="output folder (default: out/gait/<video name>)")
    ga.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    lv = sub.add_parser("live", help="camera check: skeleton, hip and shoulder lines; bursts and walks")
    lv.add_argument("--camera", default="0", help="a camera index (default 0) or a video file")
    lv.add_argument("--view", choices=["auto", *[v.value for v in View]], default="auto")
    lv.add_argument("--height-cm", type=float, help="the subject's height, for millimetre measures")
    lv.add_argument("--client", help="client name shown in the reports")
    lv.add_argument("--model", help="a .task file, or a name in models/")
    lv.add_argument("--out", type=Path, help="output folder (default: out/live/<camera or video name>)")
    lv.add_argument("--no-window", action="store_true", help="run without a window (keys come from --keys)")
    lv.add_argument("--frames", type=_positive_int, help="stop after this many frames")
    lv.add_argument("--keys", help="key presses by frame index, e.g. 40:space,60:r,180:r (space, r, q)")
    return parser


def _cmd_gait(args: argparse.Namespace) -> int:
    from posture.commands.gait import GaitOptions, gait_summary, run_gait

    opts = GaitOptions(
        input=args.video,
        out=args.out or _default_out(args.video, "gait"),
        view=args.view,
        subject=args.subject,
        height_cm=args.height_cm,
        client=args.client,
        model=args.model,
        progress=not args.no_progress,
    )
    print("\n".join(gait_summary(run_gait(opts), opts)))
    return 0


def _cmd_photo(args: argparse.Namespace) -> int:
    from posture.commands.photo import PhotoOptions, photo_summary, run_photo

    opts = PhotoOptions(
        inputs=list(args.inputs),
        out=args.out or _default_out(args.inputs[0], "photo"),
        view=None if args.view == "auto" else View(args.view),
        height_cm=args.height_cm,
        marker_mm=args.marker_mm,
        client=args.client,
        blur_faces=args.blur_faces,
        model=args.model,
    )
    print("\n".join(photo_summary(run_photo(opts), opts)))
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
    )
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


COMMANDS = {"landmarks": _cmd_landmarks, "photo": _cmd_photo, "gait": _cmd_gait, "live": _cmd_live}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit code."""
    # NaN means "not seen" throughout; numpy's notes about all-NaN slices are not news to users.
    warnings.filterwarnings("ignore", message="(All-NaN slice|Mean of empty slice|Degrees of freedom)")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except PostureError as exc:
        print(f"posture {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"posture {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
