"""Speed and memory of ``posture gait`` against a bare MediaPipe loop.

Speed: wall time of the whole ``posture gait`` command (tracking, analysis,
overlay video, plots, report) over the wall time of a bare loop (decode +
MediaPipe VIDEO mode, nothing else) on the same clip, in the same run.
Memory: peak resident memory of ``posture gait`` in a child process on a short
and a long clip made by looping the walking sample.

Usage: python benchmarks/bench_gait_speed.py --out benchmarks/results/gait_speed.md [--long-s 120]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_landmarks import bare_loop_fps  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "samples" / "walk_side.mp4"


def loop_clip(src: Path, seconds: float, out: Path) -> Path:
    """Write ``seconds`` of video by repeating ``src`` back and forth (so the walker turns)."""
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


def run_gait(clip: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``posture gait`` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "posture.cli", "gait", str(clip), "--out", str(out), "--no-progress"]
    subprocess.run(cmd, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "gait_speed.md")
    parser.add_argument("--long-s", type=float, default=600.0, help="length of the long clip (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bare_fps, n = bare_loop_fps(CLIP)
        gait_s, _ = run_gait(CLIP, work / "o0")
        short_s, short_mb = run_gait(loop_clip(CLIP, 10, work / "short.mp4"), work / "o1")
        long_s, long_mb = run_gait(loop_clip(CLIP, args.long_s, work / "long.mp4"), work / "o2")
    bare_s = n / bare_fps
    lines = [
        "# posture gait: speed and memory",
        "",
        f"Clip `{CLIP.name}` ({n} frames), 2 CPU cores, same run.",
        "",
        "| | wall time (s) |",
        "|---|---|",
        f"| bare MediaPipe loop (decode + model) | {bare_s:.2f} |",
        f"| `posture gait` (start-up, model, tracking, analysis, overlay, plots, report) | {gait_s:.2f} |",
        f"| ratio | {gait_s / bare_s:.2f} |",
        "",
        "Peak resident memory of `posture gait` (child process, includes the Python and MediaPipe start-up):",
        "",
        "| clip | wall time (s) | peak memory (MB) |",
        "|---|---|---|",
        f"| 10 s (looped sample) | {short_s:.1f} | {short_mb:.0f} |",
        f"| {args.long_s:.0f} s (looped sample) | {long_s:.1f} | {long_mb:.0f} |",
        "",
        "Note: peak memory of the long clip is the largest of all runs so far in this process "
        "(getrusage reports the children's maximum).",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
