"""Walking analysis on real footage: the walker chosen, events against labels by eye, refusals.

For every real clip in ``benchmarks/real/sources.json`` (fetched from registry
packages and cached, see ``benchmarks/real/fetch.py``) the clip is tracked with
the product's own pipeline and analysed with :func:`posture.gait.analyse_gait`
exactly as ``posture gait CLIP`` does, without options. Then:

- walking clips with labels (``benchmarks/real/labels/``): was the labelled
  walker chosen (box overlap at the labelled frames), is the walker one track
  over the frames in view, and how the heel strikes (within +-2 frames) and toe
  offs (within +-3 frames) compare with the labels;
- clips where the footage cannot support timing (too small, too few frames per
  second): is it refused, with no finding;
- clips where nobody walks: does the analysis say so, with no event.

Usage: ``python benchmarks/bench_gait_real.py --out benchmarks/results/gait_real.md [--cache DIR]``
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.real import evaluate as ev  # noqa: E402
from benchmarks.real.fetch import Unavailable, fetch, load_manifest  # noqa: E402
from posture.data.sequence import PoseSequence  # noqa: E402
from posture.gait.check import analyse_gait  # noqa: E402
from posture.gait.result import GaitResult  # noqa: E402

HS_TOL, TO_TOL = 2.0, 3.0


#: ``--inference``: how the pose model is run (``posture gait --inference``).
INFERENCE = {"mode": "full"}


def track(path: Path, cache: Path | None) -> PoseSequence:
    """The clip's tracked people, as ``posture gait`` finds them (cached by file name and mode when asked)."""
    from posture.gait.locked import track_walker_locked
    from posture.gait.recover import track_walker
    from posture.pose.bundle import resolve_model
    from posture.pose.landmarker import PoseOptions

    mode = INFERENCE["mode"]
    suffix = "" if mode == "full" else f".{mode}"
    stored = cache / f"{path.stem}{suffix}.pose.pkl" if cache else None
    if stored and stored.exists():
        return pickle.loads(stored.read_bytes())
    tracker = track_walker_locked if mode == "locked" else track_walker
    seq = tracker(path, resolve_model(None), PoseOptions(max_people=3))
    if stored:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(pickle.dumps(seq))
    return seq


def detected(result: GaitResult, fps: float) -> list[ev.Event]:
    """The analysis' events in (fractional) frames."""
    return [ev.Event(e.time_s * fps, str(e.side), e.kind) for e in result.events]


def _iou(a: list[float], b: list[float]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def walker_right(seq: PoseSequence, track_id: int, boxes: dict[str, list[float]]) -> tuple[int, int]:
    """(frames where the chosen track's landmark box overlaps the labelled box, labelled frames seen)."""
    col = seq.column(track_id)
    good = seen = 0
    for frame, box in boxes.items():
        t = int(frame)
        xy = seq.xy_px[t, col]
        if np.isnan(xy).all():
            continue
        seen += 1
        mine = [float(np.nanmin(xy[:, 0])), float(np.nanmin(xy[:, 1])), float(np.nanmax(xy[:, 0]))]
        mine.append(float(np.nanmax(xy[:, 1])))
        good += _iou(mine, box) > 0.3
    return good, len(boxes)


def coverage(seq: PoseSequence, track_id: int, full_view: list[int]) -> float:
    """Share of the frames the walker is fully in view in which the chosen track is seen."""
    seen = seq.seen[full_view[0] : full_view[1] + 1, seq.column(track_id)]
    return float(seen.mean())


@dataclass
class Row:
    """One clip's line of the table."""

    name: str
    kind: str
    text: str


def walk_row(name: str, seq: PoseSequence, result: GaitResult, labels: dict) -> tuple[Row, dict]:
    """Score a labelled walking clip."""
    fps = float(seq.fps or 30.0)
    lab = ev.labelled_events(labels)
    span = ev.label_span(labels, lab)
    found = detected(result, fps)
    hs = ev.score(found, lab, "heel_strike", HS_TOL, span)
    to = ev.score(found, lab, "toe_off", TO_TOL, span)
    good, boxes = walker_right(seq, int(result.subject["track_id"]), labels["walker"]["boxes_xyxy"])
    cover = coverage(seq, int(result.subject["track_id"]), labels["walker"]["in_view"]["full_view"])
    stats = {"hs": hs, "to": to, "walker_ok": good >= max(1, boxes - 2), "coverage": cover}
    text = (
        f"| {name} | {'yes' if stats['walker_ok'] else 'NO'} ({good}/{boxes} boxes) | {100 * cover:.0f}% | "
        f"{hs.hits}/{hs.labelled} | {len(hs.missed)} / {len(hs.extra)} | {hs.mae:.2f} | "
        f"{to.hits}/{to.labelled} | {len(to.missed)} / {len(to.extra)} | {to.mae:.2f} |"
    )
    return Row(name, "walk", text), stats


def refusal_row(name: str, result: GaitResult, want: str) -> Row:
    """Did a clip that cannot be timed (or where nobody walks) get a refusal and no finding?"""
    measures = result.measures()
    valued = [k for k, m in measures.items() if m.value is not None]
    said = result.refused or [
        n
        for n in result.notes
        if n.startswith(("nobody walks", "no straight walking")) or "no steady stepping" in n
    ]
    ok = bool(said) and not result.events and not valued
    reason = "; ".join(said) if said else "(nothing said)"
    return Row(name, want, f"| {name} | {want} | {'yes' if ok else 'NO'} | {len(result.events)} | {reason} |")


def run(out: Path, cache: Path | None, only: list[str] | None = None) -> None:
    manifest = {k: v for k, v in load_manifest().items() if not only or k in only}
    walks, refusals, lines = [], [], []
    totals = {"hs_hit": 0, "hs_n": 0, "hs_extra": 0, "to_hit": 0, "to_n": 0, "to_extra": 0, "err": []}
    for item in manifest.values():
        if item.kind == "photo":
            continue
        try:
            path = fetch(item.name)
        except Unavailable as exc:
            lines.append(f"- {item.name}: not available here ({exc})")
            continue
        seq = track(path, cache)
        result = analyse_gait(seq)
        labelled = (ev.LABELS / f"{item.name}.json").exists()
        refuse = str(item.info.get("expected", "")).startswith("refusal")
        if item.kind == "walk" and labelled and not refuse:
            row, stats = walk_row(item.name, seq, result, ev.load_labels(item.name))
            walks.append(row)
            totals["hs_hit"] += stats["hs"].hits
            totals["hs_n"] += stats["hs"].labelled
            totals["hs_extra"] += len(stats["hs"].extra)
            totals["to_hit"] += stats["to"].hits
            totals["to_n"] += stats["to"].labelled
            totals["to_extra"] += len(stats["to"].extra)
            totals["err"] += stats["hs"].errors + stats["to"].errors
            print(row.text, flush=True)
        elif item.kind == "walk" and refuse:
            refusals.append(refusal_row(item.name, result, "refuse (footage)"))
            print(refusals[-1].text, flush=True)
        elif item.kind == "not_walking":
            refusals.append(refusal_row(item.name, result, "nobody walks"))
            print(refusals[-1].text, flush=True)
    write(out, walks, refusals, totals, lines)


def write(out: Path, walks: list[Row], refusals: list[Row], totals: dict, lines: list[str]) -> None:
    doc = [
        "# Walking analysis on real footage",
        "",
        "`make bench-real` (benchmarks/bench_gait_real.py): real clips that registry packages ship, tracked",
        "and analysed as `posture gait CLIP` does, without options. Events against labels made by eye",
        f"(benchmarks/real/LABELLING.md): heel strikes within +-{HS_TOL:g} frames, "
        f"toe offs within +-{TO_TOL:g}.",
        "",
        "## Labelled walks",
        "",
        "| clip | walker chosen | walker tracked (share of full-view frames) | HS hit | HS missed / extra | "
        "HS MAE (frames) | TO hit | TO missed / extra | TO MAE (frames) |",
        "|---|---|---|---|---|---|---|---|---|",
        *[r.text for r in walks],
        "",
    ]
    if totals["hs_n"]:
        doc += [
            f"All labelled walks: heel strikes {totals['hs_hit']}/{totals['hs_n']} "
            f"({100 * totals['hs_hit'] / totals['hs_n']:.0f}%) within +-{HS_TOL:g} frames, "
            f"{totals['hs_extra']} extra; toe offs {totals['to_hit']}/{totals['to_n']} "
            f"({100 * totals['to_hit'] / max(totals['to_n'], 1):.0f}%) within +-{TO_TOL:g} frames, "
            f"{totals['to_extra']} extra.",
            "",
        ]
    doc += [
        "## Clips the analysis must refuse",
        "",
        "| clip | expected | refused, no events, no measures | events | what it said |",
        "|---|---|---|---|---|",
        *[r.text for r in refusals],
        "",
        *lines,
    ]
    out.write_text("\n".join(doc) + "\n")
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "gait_real.md")
    parser.add_argument("--cache", type=Path, help="keep the tracked pose sequences here between runs")
    parser.add_argument("--only", nargs="*", help="run these clips only")
    parser.add_argument("--inference", choices=["full", "locked"], default="full", help="the model's run")
    args = parser.parse_args()
    INFERENCE["mode"] = args.inference
    run(args.out, args.cache, args.only)


if __name__ == "__main__":
    main()
