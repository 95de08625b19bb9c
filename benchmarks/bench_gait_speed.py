"""Speed and memory of ``posture gait`` against a bare MediaPipe loop.

Speed: wall time of the whole ``posture gait`` command (start-up, model, tracking,
analysis, overlay video, plots, report) over the wall time of a bare loop
(``benchmarks/bare_loop.py``: start-up, model, decode + MediaPipe VIDEO mode with the
same number of poses, nothing else), each run as its own process on the same clip,
alternating, in the same run; the median of ``--repeat`` runs each. Measured on the
shipped side-view sample and on a longer clip made by looping it.

Memory: peak resident memory of each ``posture gait`` process (``os.wait4`` in
``benchmarks/peak_rss.py``, a small parent, so that the figure is the process's own) on a
10-second and a long clip made by looping the walking sample.

Both passes of ``posture gait`` are timed (``--inference full`` and ``locked``), with wall and
CPU time, against the bare 3-pose and 1-pose loops, alternating, with the 1-minute load
average noted per row.

Usage: python benchmarks/bench_gait_speed.py --out benchmarks/results/gait_speed.md
       [--long-s 600] [--speed-s 60] [--repeat 3] [--no-real] [--no-memory]
       python benchmarks/bench_gait_speed.py --memory-only --out benchmarks/results/gait_memory.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import cv2

from posture.pose.landmarker import default_threads

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "samples" / "walk_side.mp4"
#: The shipped walks, each a row of the speed table.
CLIPS = (CLIP, ROOT / "samples" / "walk_front.mp4")
#: ``posture gait`` looks for up to this many people (``GaitOptions.max_people``); the bare loop too.
NUM_POSES = 3
#: The real multi-person clip of the dev set timed beside the synthetic sample.
REAL_CLIP = "sports2d_demo"


def loop_clip(src: Path, seconds: float, out: Path) -> Path:
    """Write ``seconds`` of video by playing ``src`` forwards then backwards (so the walker turns)."""
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), fps, (w, h))
    cycle = frames + frames[::-1]
    for i in range(int(seconds * fps)):
        writer.write(cycle[i % len(cycle)])
    writer.release()
    return out


def timed_process(cmd: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and the process's own peak resident memory (MB).

    The command is started by ``benchmarks/peak_rss.py``, a small process: a child's
    ``ru_maxrss`` counts the resident size of whoever forked it, and this benchmark's
    own process (OpenCV, MediaPipe's modules) would otherwise set a floor under
    every figure (until 2026-12-08 it read 447 MB for every 10 s run).
    """
    wrapper = [sys.executable, str(ROOT / "benchmarks" / "peak_rss.py"), *cmd]
    proc = subprocess.run(wrapper, capture_output=True, text=True)
    try:
        report = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise SystemExit(f"{' '.join(cmd)}: no report ({proc.returncode}): {proc.stderr[-2000:]}") from None
    if report["returncode"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({report['returncode']}): {proc.stderr[-2000:]}")
    return report["wall_s"], report["cpu_s"], report["peak_mb"]


def gait_cmd(clip: Path, out: Path, inference: str = "locked") -> list[str]:
    cmd = [sys.executable, "-m", "posture.cli", "gait", str(clip), "--out", str(out), "--no-progress"]
    return cmd + ["--inference", inference]


def bare_cmd(clip: Path, threads: int | None, num_poses: int = NUM_POSES) -> list[str]:
    script = ROOT / "benchmarks" / "bare_loop.py"
    cmd = [sys.executable, str(script), str(clip), "--num-poses", str(num_poses)]
    return cmd + (["--threads", str(threads)] if threads else [])


def frame_count(clip: Path) -> int:
    cap = cv2.VideoCapture(str(clip))
    n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    cap.release()
    return n


RUNS = ("bare3", "bare1", "full", "locked")


def speed_row(
    name: str, clip: Path, work: Path, repeat: int, threads: int, runs: tuple[str, ...] = RUNS
) -> tuple[str, dict[str, float]]:
    """One table row: medians of the bare 3-pose and 1-pose loops (posture's threads) and of
    ``posture gait`` with the full and the locked pass, run alternately; wall and CPU seconds.
    Also the peak memory (MB, the largest of the runs) of each of ``runs``."""
    wall: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    peak: dict[str, float] = {}
    loads = [os.getloadavg()[0]]
    for k in range(repeat):
        cmds = {
            "bare3": bare_cmd(clip, threads),
            "bare1": bare_cmd(clip, threads, 1),
            "full": gait_cmd(clip, work / f"speed-{clip.stem}-full-{k}", "full"),
            "locked": gait_cmd(clip, work / f"speed-{clip.stem}-locked-{k}", "locked"),
        }
        for key in runs:
            w, c, m = timed_process(cmds[key])
            wall[key].append(w)
            cpu[key].append(c)
            peak[key] = max(peak.get(key, 0.0), m)
        loads.append(os.getloadavg()[0])
        print(
            name, k + 1, {key: f"{v[-1]:.2f}" for key, v in wall.items()}, f"load {loads[-1]:.2f}", flush=True
        )
    w = {key: statistics.median(v) for key, v in wall.items()}
    c = {key: statistics.median(v) for key, v in cpu.items()}

    def cell(key: str) -> str:
        return f"{w[key]:.2f} / {c[key]:.2f}" if key in w else "not run"

    def ratio(a: str, b: str, bold: bool = False) -> str:
        if a not in w or b not in w:
            return "-"
        first = f"{w[a] / w[b]:.2f}"
        return f"{f'**{first}**' if bold else first} / {c[a] / c[b]:.2f}"

    row = (
        f"| {name} | {frame_count(clip)} | {min(loads):.1f}-{max(loads):.1f} | "
        f"{cell('bare3')} | {cell('bare1')} | {cell('full')} | {cell('locked')} | "
        f"{ratio('full', 'bare3')} | {ratio('locked', 'bare3', True)} | {ratio('locked', 'bare1', True)} |"
    )
    return row, peak


def real_clip() -> Path | None:
    """The real multi-person clip (Sports2D's demo, 1768x994, 3 people), or None when it cannot be had."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.real.fetch import Unavailable, fetch

    try:
        return fetch(REAL_CLIP)
    except Unavailable as exc:
        print(f"{REAL_CLIP} skipped: {exc}", flush=True)
        return None


def memory_table(long_s: float, repeat: int) -> list[str]:
    """Peak memory of both passes on a 10 s and a ``long_s`` loop of the walk: ``repeat`` runs each on
    10 s (it varies by about 10 MB from run to run), one on the long clip; all runs listed."""
    lines = [
        "| clip | runs | `--inference full` (MB) | `--inference locked` (MB) |",
        "|---|---|---|---|",
    ]
    medians: dict[tuple[float, str], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for seconds, runs in ((10.0, repeat), (long_s, 1)):
            clip = loop_clip(CLIP, seconds, work / f"mem{seconds:.0f}.mp4")
            peaks: dict[str, list[float]] = {"full": [], "locked": []}
            for k in range(runs):
                for inference in peaks:
                    out = work / f"mem-{seconds:.0f}-{inference}-{k}"
                    peaks[inference].append(timed_process(gait_cmd(clip, out, inference))[2])
                    print(seconds, inference, f"{peaks[inference][-1]:.0f} MB", flush=True)
            cells = []
            for inference, values in peaks.items():
                medians[(seconds, inference)] = statistics.median(values)
                listed = ", ".join(f"{v:.0f}" for v in values)
                cells.append(f"{medians[(seconds, inference)]:.0f}" + (f" ({listed})" if runs > 1 else ""))
            lines.append(
                f"| {seconds:.0f} s ({frame_count(clip)} frames) | {runs} | {cells[0]} | {cells[1]} |"
            )
            clip.unlink()
    ratios = [f"{medians[(long_s, k)] / medians[(10.0, k)]:.2f}" for k in ("full", "locked")]
    lines.append(f"| {long_s:.0f} s / 10 s (median) | | {ratios[0]} | {ratios[1]} |")
    return lines


def write_report(out: Path, lines: list[str]) -> None:
    """Write the Markdown report (its folder created) and print it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "gait_speed.md")
    parser.add_argument("--long-s", type=float, default=600.0, help="length of the long memory clip (s)")
    parser.add_argument("--speed-s", type=float, default=60.0, help="long speed clip (s; 0: none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-real", action="store_true", help="skip the real multi-person clip")
    parser.add_argument("--no-memory", action="store_true", help="skip the 10 s / long memory runs")
    parser.add_argument(
        "--memory-only", action="store_true", help="only the memory table, 10 s runs repeated"
    )
    args = parser.parse_args()
    if args.memory_only:
        load = os.getloadavg()[0]
        table = memory_table(args.long_s, args.repeat)
        text = [
            "# posture gait: peak memory, 10 s against a long clip",
            "",
            f"{os.cpu_count()} CPU cores ({platform.machine()}), Python {platform.python_version()}; "
            f"1-minute load average {load:.2f} at the start. Peak resident memory of each whole "
            "`posture gait` process (`os.wait4` in `benchmarks/peak_rss.py`), on `walk_side.mp4` looped "
            "forwards and backwards; "
            "the 10 s figure is the median of the runs listed.",
            "",
            *table,
        ]
        write_report(args.out, text)
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        threads = default_threads()
        rows = []
        for clip in CLIPS:
            rows.append(speed_row(f"`{clip.name}`", clip, work, args.repeat, threads)[0])
        real = None if args.no_real else real_clip()
        if real is not None:
            rows.append(speed_row(f"`{REAL_CLIP}` (real, 3 people)", real, work, args.repeat, threads)[0])
        if args.speed_s > 0:
            minute = loop_clip(CLIP, args.speed_s, work / f"loop{args.speed_s:.0f}.mp4")
            name = f"`{CLIP.name}` looped to {args.speed_s:.0f} s"
            rows.append(speed_row(name, minute, work, args.repeat, threads)[0])
            minute.unlink()
        memory = []
        for seconds in () if args.no_memory else (10.0, args.long_s):
            clip = loop_clip(CLIP, seconds, work / f"mem{seconds:.0f}.mp4")
            long = seconds > 60
            # The long clip: one run each, and no bare 3-pose loop (it alone would take 12 minutes).
            runs = ("bare1", "full", "locked") if long else ("full", "locked")
            row, peak = speed_row(f"`{CLIP.name}` looped to {seconds:.0f} s", clip, work, 1 if long else 2,
                                  threads, runs)  # fmt: skip
            if long:
                rows.append(row)
            frames = frame_count(clip)
            memory.append(
                f"| {seconds:.0f} s ({frames} frames) | {peak['full']:.0f} | {peak['locked']:.0f} |"
            )
            print(memory[-1], flush=True)
            clip.unlink()
    load_after = os.getloadavg()[0]
    lines = [
        "# posture gait: speed and memory",
        "",
        f"{os.cpu_count()} CPU cores ({platform.machine()}), Python {platform.python_version()}; "
        f"1-minute load average {load_before:.2f} before and {load_after:.2f} after. Each figure is a "
        f"whole process (start-up included), median of {args.repeat} alternating runs.",
        "",
        "Wall / CPU seconds (CPU: user + system of the process). Ratios: `posture gait` over the bare loop.",
        "",
        "| clip | frames | load | bare 3-pose loop (s) | bare 1-pose loop (s) | "
        "`posture gait --inference full` (s) | `posture gait --inference locked` (s) | "
        "full / bare 3-pose | locked / bare 3-pose | locked / bare 1-pose |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "The bare loops (`benchmarks/bare_loop.py`) decode each frame and run the pose landmarker "
        "(VIDEO mode, 3 poses as the full pass asks for, or 1), nothing else, with the "
        f"{threads} inference threads `posture` gives the model on this machine. `posture gait` also "
        "tracks people, chooses the subject, analyses the walk, decodes the clip a second time to draw "
        "and encode `overlay.mp4` (H.264, at most 1280 px on its "
        "longer side), and writes the plots, `result.json`, `steps.csv` and `report.html`; "
        "the locked pass runs the 3-pose model on every 5th frame and the 1-pose landmarker on a crop "
        "around the walker on the others.",
        "",
        "Peak resident memory of `posture gait` (the process's own peak, Python and MediaPipe included):",
        "",
        "| clip | `--inference full` (MB) | `--inference locked` (MB) |",
        "|---|---|---|",
        *memory,
    ]
    write_report(args.out, lines)


if __name__ == "__main__":
    main()
