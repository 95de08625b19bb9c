"""Landmark accuracy against ground truth and speed against a bare MediaPipe loop.

Accuracy: for every shipped sample with a ``.truth.json``, the distance between
the detected hip landmarks (subject) and the projected hip joint centres of the
synthetic body, in pixels and in % of the true hip width.

Speed: frames per second of ``posture landmarks`` (decode, model, tracking,
overlay video, CSV and JSON) and of a bare loop (decode + MediaPipe VIDEO mode,
nothing else) over the same clip, in the same run.

Usage: python benchmarks/bench_landmarks.py --out benchmarks/results/landmarks.md
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from posture.commands.landmarks import LandmarksOptions, run_landmarks
from posture.data.skeleton import Landmark
from posture.data.tracking import select_subject
from posture.pose.bundle import ensure_model
from posture.pose.landmarker import native_stderr_silenced
from posture.pose.run import load_pose

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bare_loop import bare_loop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HIPS = {"left": Landmark.LEFT_HIP, "right": Landmark.RIGHT_HIP}


def hip_errors(media: Path, truth: dict) -> tuple[np.ndarray, float, float]:
    """Per-frame hip errors (px) of the subject, hip width (px) and detection rate."""
    seq = load_pose(media)
    subject = seq.person(select_subject(seq).track_id)
    if truth["kind"] == "standing":
        true = {s: np.array([truth["joints_px"][f"{s}_hip"]]) for s in HIPS}
    else:
        true = {s: np.array(truth["frames"][f"{s}_hip_px"]) for s in HIPS}
    errors = []
    for side, lm in HIPS.items():
        detected = subject.xy(lm)
        errors.append(np.linalg.norm(detected - true[side][: len(detected)], axis=1))
    err = np.concatenate(errors)
    cam = truth["camera"]
    width = truth["subject"]["hip_width_m"] * cam["fy"] / cam["distance_m"]  # also right in side views
    rate = float(subject.seen[:, 0].mean())
    return err[np.isfinite(err)], width, rate


def bare_loop_fps(clip: Path) -> tuple[float, int]:
    """Decode and run MediaPipe VIDEO mode over every frame; nothing else (``bare_loop.py``)."""
    with native_stderr_silenced():
        n, seconds = bare_loop(clip, ensure_model().path, num_poses=2)
    return n / seconds, n


def posture_fps(clip: Path) -> tuple[float, int]:
    """Frames per second of the whole ``posture landmarks`` command."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = run_landmarks(LandmarksOptions(input=str(clip), out=Path(out), progress=False))
        elapsed = time.perf_counter() - start
    return result.sequence.n_frames / elapsed, result.sequence.n_frames


def accuracy_rows(samples: Path) -> list[str]:
    rows = []
    for truth_path in sorted(samples.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        stem = truth_path.name.removesuffix(".truth.json")
        media = next(p for p in samples.glob(stem + ".*") if not p.name.endswith(".json"))
        err, width, rate = hip_errors(media, truth)
        rows.append(
            f"| {media.name} | {truth['camera']['view']} | {100 * rate:.0f}% | {np.mean(err):.1f} | "
            f"{np.percentile(err, 95):.1f} | {100 * np.mean(err) / width:.1f}% | {width:.0f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--clip", type=Path, default=ROOT / "samples" / "walk_side.mp4")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "landmarks.md")
    args = parser.parse_args()
    lines = [
        "# Landmark accuracy and speed",
        "",
        "Hip landmarks (MediaPipe 23/24 of the chosen subject) against the projected hip joint",
        "centres of the synthetic body (`samples/*.truth.json`). Raw single-frame model output:",
        "no averaging, no mirror augmentation.",
        "",
        "| sample | view | frames detected | mean error px | p95 px | mean % hip width | hip width px |",  # noqa: E501
        "|---|---|---|---|---|---|---|",
        *accuracy_rows(args.samples),
    ]
    bare, n = bare_loop_fps(args.clip)
    full, _ = posture_fps(args.clip)
    lines += [
        "",
        f"Speed on `{args.clip.name}` ({n} frames), 2 CPU cores, same run:",
        "",
        "| pipeline | frames/s |",
        "|---|---|",
        f"| bare MediaPipe loop (decode + model) | {bare:.1f} |",
        f"| `posture landmarks` (+ tracking, overlay video, CSV, JSON) | {full:.1f} |",
        f"| ratio (wall time posture / bare) | {bare / full:.2f} |",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
