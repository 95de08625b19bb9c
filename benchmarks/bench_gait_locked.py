"""Subject-locked against full inference: gait events and foot landmarks against the truth of synthetic walks.

For each clip with a truth file (the shipped walks, and any ``*.truth.json`` + ``.mp4`` pair in
``--clips``, e.g. the cache of ``bench_gait.py --prepare-only``), ``posture gait``'s analysis
(:func:`posture.pipeline.gait.analyse_video`, as the command runs it, the walker's height given)
is run with ``--inference full`` and ``--inference locked``. Reported per clip and mode: heel
strikes and toe offs matched to the truth (within 0.2 s, as ``bench_gait.py``), their mean
absolute error in ms, missed and extra events, and the median pixel distance of the walker's
heel, toe and ankle landmarks from the projected truth.

Usage: python benchmarks/bench_gait_locked.py --out benchmarks/results/gait_locked.md [--clips DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_gait import match_events  # noqa: E402

MODES = ("full", "locked")
FEET = {"heel": (29, 30), "toe": (31, 32), "ankle": (27, 28)}


def landmark_errors(seq: object, track_id: int, frames: dict) -> dict[str, float]:
    """Median distance (px) of the walker's heel, toe and ankle landmarks from the truth, both feet."""
    col = seq.column(track_id)  # type: ignore[attr-defined]
    xy = seq.xy_px[:, col]  # type: ignore[attr-defined]
    out = {}
    for name, (left, right) in FEET.items():
        errs = [
            np.linalg.norm(xy[:, k] - np.asarray(frames[f"{side}_{name}_px"], float), axis=1)
            for side, k in (("left", left), ("right", right))
        ]
        out[name] = float(np.nanmedian(np.concatenate(errs)))
    return out


def run_clip(video: Path, truth: dict, mode: str) -> dict:
    from posture.gait.settings import GaitSettings
    from posture.pipeline.gait import GaitOptions, analyse_video

    height_cm = 100.0 * truth["subject"]["height_m"]
    opts = GaitOptions(
        input=str(video), progress=False, height_cm=height_cm, settings=GaitSettings(inference=mode)
    )
    start, cpu = time.perf_counter(), time.process_time()
    analysis = analyse_video(opts)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    found = [{"side": e["side"], "kind": e["kind"], "time_s": e["time_s"]} for e in analysis.doc["events"]]
    matched = match_events(found, truth["events"], truth["duration_s"])
    track = int(analysis.result.subject["track_id"])
    return {
        "hs": matched["heel_strike"],
        "to": matched["toe_off"],
        "missed": len(matched["missed"]),
        "extra": len(matched["extra"]),
        "px": landmark_errors(analysis.sequence, track, truth["frames"]),
        "wall": wall,
        "cpu": cpu,
    }


def _mae_ms(errors: list[float]) -> str:
    return f"{1000 * float(np.mean(np.abs(errors))):.0f}" if errors else "-"


def clips(extra: Path | None, samples: bool = True) -> list[tuple[str, Path, dict]]:
    """(name, video, truth) of the shipped walks (unless ``samples`` is False) and the pairs in ``extra``."""
    pairs = [ROOT / "samples" / "walk_side.mp4", ROOT / "samples" / "walk_front.mp4"] if samples else []
    if extra is not None:
        pairs += sorted(
            p.with_name(p.name.replace(".truth.json", ".mp4")) for p in extra.glob("*.truth.json")
        )
    out = []
    for video in pairs:
        truth_path = video.with_name(f"{video.stem}.truth.json")
        if video.exists() and truth_path.exists():
            out.append((video.stem, video, json.loads(truth_path.read_text())))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "gait_locked.md")
    parser.add_argument("--clips", type=Path, help="a folder of rendered clips with truth files")
    parser.add_argument("--no-samples", action="store_true", help="leave out the shipped walks")
    args = parser.parse_args()
    rows, totals = [], {m: {"hs": [], "to": [], "missed": 0, "extra": 0} for m in MODES}
    load = [os.getloadavg()[0]]
    for name, video, truth in clips(args.clips, not args.no_samples):
        for mode in MODES:
            r = run_clip(video, truth, mode)
            for key in ("hs", "to"):
                totals[mode][key] += r[key]
            totals[mode]["missed"] += r["missed"]
            totals[mode]["extra"] += r["extra"]
            px = r["px"]
            rows.append(
                f"| {name} | {mode} | {len(r['hs'])} / {_mae_ms(r['hs'])} | "
                f"{len(r['to'])} / {_mae_ms(r['to'])} | {r['missed']} / {r['extra']} | "
                f"{px['heel']:.1f} | {px['toe']:.1f} | {px['ankle']:.1f} | "
                f"{r['wall']:.1f} / {r['cpu']:.1f} |"
            )
            print(rows[-1], flush=True)
        load.append(os.getloadavg()[0])
    summary = [
        f"| all | {mode} | {len(t['hs'])} / {_mae_ms(t['hs'])} | {len(t['to'])} / {_mae_ms(t['to'])} | "
        f"{t['missed']} / {t['extra']} | | | | |"
        for mode, t in totals.items()
    ]
    lines = [
        "# Subject-locked against full inference (synthetic walks with truth)",
        "",
        f"1-minute load average {min(load):.1f}-{max(load):.1f} during the run (times: not the point here).",
        "",
        "| clip | inference | heel strikes matched / MAE (ms) | toe offs matched / MAE (ms) | "
        "missed / extra | heel px | toe px | ankle px | analysis wall / CPU (s) |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        *summary,
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
