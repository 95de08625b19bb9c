"""Gait events on synthetic walks made to look like the world: bystanders, a pole, photos, noise, x264.

Six seeded clips reuse six walkers of the clean gait benchmark (benchmarks/bench_gait.py:
same body, script, camera, frame rate and therefore the same truth events) and
render them with :class:`posture.synth.world.World`: one or two other bodies
standing, swaying or hopping in place behind or beside the walking line, a
dark pole between the camera and the path on three of the side views, a
photographic background (Debian opencv-doc pictures), randomised light and
clothes (as benchmarks/bench_photo.py does for the standing check), Gaussian
sensor noise, a slight motion blur on some, and an x264 re-encode at a phone's
bitrate. Each clip is tracked as ``posture gait`` does (up to 3 people) and
analysed with :func:`posture.gait.analyse_gait` without options. The same
six walkers are also rendered clean (``world=None``) and scored the same way,
so each world clip has its clean twin beside it; ``--scene-only NAME ...`` also
renders those world clips without the bystanders and the pole (picture quality
only), to tell what the people and the pole cost.

Scoring: per side and kind, each truth event is matched to the nearest unused
detection within +-2 frames (hit); unmatched truth events are missed (those
within 0.25 s of the clip's ends are not counted, as in gait.md); unmatched
detections are extra. MAE over hits, in frames. "Walker chosen": in at least 80 %
of the frames the analysed track is seen, its hip centre is nearer the walker's
true hip centre than any bystander's pelvis (all in pixels).

Usage: ``python benchmarks/bench_gait_world.py --out benchmarks/results/gait_world.md
[--scene-only side_l_30_sym front_30_sym back_30_sym] [--cached-only]`` (clips, truth and
poses are cached in benchmarks/work/gait_world/; what was seen in the frames is appended
from benchmarks/gait_world_notes.md, written by hand).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_gait import CLIPS, EDGE_S, HELD_OUT, Clip, walking_params  # noqa: E402
from photo_backgrounds import background_photos  # noqa: E402

CACHE = ROOT / "benchmarks" / "work" / "gait_world"
#: What was seen in the frames and the annotated output (written by hand; appended to the page).
NOTES = ROOT / "benchmarks" / "gait_world_notes.md"
SEED = 20261204
TOL_FRAMES = 2.0
#: Clips left out by ``--cached-only`` (not rendered or tracked in time).
NOT_RUN: list[str] = []
#: The clean benchmark's walkers reused here (no generator fallbacks were needed for them).
WALKERS = (
    "side_l_30_sym",
    "side_r_30_sym",
    "side_r_30_asym",
    "ho_side_l_30_tall",
    "front_30_sym",
    "back_30_sym",
)
#: Phone-like: about 4 Mbit/s at 1280x720, scaled by the pixel count.
KBPS_720P = 4000.0


def _colour(rng: np.random.Generator, low: int = 30, high: int = 220) -> tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(low, high, 3))  # type: ignore[return-value]


def _bystander(rng: np.random.Generator, view: str, k: int):  # noqa: ANN202 - synth is optional
    from posture.synth.body import Phenotype
    from posture.synth.world import Bystander

    u = rng.uniform
    body = Phenotype(
        gender=float(u(0, 1)), age=float(u(0.6, 0.95)), muscle=float(u(0.3, 0.7)),
        weight=float(u(0.3, 0.8)), height=float(u(0.3, 0.7)),
    )  # fmt: skip
    motion = ("still", "sway", "jump")[int(rng.integers(3))]
    amplitude = {"still": 0.0, "sway": float(u(2, 5)), "jump": float(u(0.08, 0.2))}[motion]
    if view in ("left", "right"):  # behind the walking line, somewhere along it
        depth, lateral = float(u(1.0, 3.0)), float(u(-1.4, 1.4)) * (1 if k == 0 else -1)
    else:  # beside the path, within its length
        depth, lateral = float(u(0.5, 3.5)), float(u(0.9, 1.6)) * (1 if k == 0 else -1)
    dark, light = np.array([45, 60, 90]), np.array([170, 195, 235])
    skin = tuple(int(v) for v in dark + u() * (light - dark))
    return Bystander(
        phenotype=body, depth_m=depth, lateral_m=lateral, facing_deg=float(u(-90, 90)), motion=motion,
        amplitude=amplitude, frequency_hz=float(u(0.3, 0.6) if motion == "sway" else u(1.2, 2.0)),
        phase=float(u()), skin=skin, shirt=_colour(rng), shorts=_colour(rng, 20, 160),  # type: ignore[arg-type]
        arms_deg=(float(u(0, 25)), float(u(0, 25))),
    )  # fmt: skip


def world_params(clip: Clip, k: int, photos: list[Path]):  # noqa: ANN201
    """The clean benchmark's walker for ``clip`` in a seeded world (clip ``k`` of the set)."""
    from bench_photo import random_clothes, random_light

    from posture.synth.world import Occluder, World

    rng = np.random.default_rng(SEED + k)
    base = walking_params(clip)
    fields = random_light(rng)
    fields.update(random_clothes(rng, photos, k))
    if photos:
        fields.update(background=str(photos[k % len(photos)]), room=False)
    fields["shirt"], fields["shorts"] = _colour(rng), _colour(rng, 20, 160)
    grey = rng.integers(90, 180)
    fields["floor"] = tuple(int(grey + d) for d in rng.integers(-15, 15, 3))  # a greyish pavement
    look = replace(base.appearance, **fields)
    bystanders = tuple(_bystander(rng, clip.view, j) for j in range(1 if k in (1, 4) else 2))
    side = clip.view in ("left", "right")
    occluder = None
    if side and k in (0, 2, 3):
        occluder = Occluder(
            depth_m=float(rng.uniform(0.8, 1.4)), lateral_m=float(rng.uniform(-0.6, 0.6)),
            width_m=float(rng.uniform(0.15, 0.3)), colour=_colour(rng, 25, 80), texture_seed=k,
        )  # fmt: skip
    world = World(
        bystanders=bystanders,
        occluder=occluder,
        floor_texture=True,
        noise_sd=float(rng.uniform(2.0, 5.0)),
        motion_blur_px=3 if k in (1, 3, 5) else 0,
        compression="x264",
        bitrate_kbps=KBPS_720P * base.width * base.height / (1280 * 720),
        seed=SEED + k,
    )
    return replace(base, appearance=look, world=world)


def prepare(name: str, params, cache: Path, cached_only: bool = False) -> tuple[dict, object] | None:  # noqa: ANN001
    """Render (cached), then track as ``posture gait`` does (cached); ``None`` if the walk is refused
    (or, with ``cached_only``, not in the cache)."""
    from posture.gait.recover import recover_walker
    from posture.gait.walker import select_walker
    from posture.pose.bundle import resolve_model
    from posture.pose.run import load_pose
    from posture.synth.truth import write_truth
    from posture.synth.walking import render_walk

    video, truth_path, pose_path = (cache / f"{name}{ext}" for ext in (".mp4", ".truth.json", ".pose.pkl"))
    if cached_only and not (truth_path.exists() and pose_path.exists()):
        NOT_RUN.append(name)
        return None
    if not truth_path.exists():
        start = time.perf_counter()
        try:
            write_truth(truth_path, render_walk(name, params, video))
        except ValueError as err:
            print(f"{name}: refused by the generator ({err})", flush=True)
            return None
        print(f"{name}: rendered in {time.perf_counter() - start:.0f} s", flush=True)
    if not pose_path.exists():
        start = time.perf_counter()
        pose_path.write_bytes(pickle.dumps(load_pose(video, max_people=3)))
        print(f"{name}: tracked in {time.perf_counter() - start:.0f} s", flush=True)
    walker_path = cache / f"{name}.walker.pkl"
    if not walker_path.exists():
        # what posture gait does after the whole-picture pass (posture.gait.recover.track_walker)
        start = time.perf_counter()
        seq = pickle.loads(pose_path.read_bytes())
        seq, _ = recover_walker(seq, select_walker(seq).track_id, video, resolve_model(None))
        walker_path.write_bytes(pickle.dumps(seq))
        print(f"{name}: walker recovered in {time.perf_counter() - start:.0f} s", flush=True)
    return json.loads(truth_path.read_text()), pickle.loads(walker_path.read_bytes())


def score_events(found: list[dict], truth: list[dict], fps: float, duration_s: float) -> dict:
    """Hits within +-2 frames, misses (not near the ends), extras and errors (frames) per kind."""
    out: dict = {k: {"err": [], "missed": 0, "extra": 0, "n": 0} for k in ("heel_strike", "toe_off")}
    for side in ("left", "right"):
        for kind in ("heel_strike", "toe_off"):
            det = sorted(e["time_s"] * fps for e in found if e["side"] == side and e["kind"] == kind)
            used: set[int] = set()
            for ev in (e for e in truth if e["side"] == side and e["kind"] == kind):
                t = ev["time_s"] * fps
                free = [i for i in range(len(det)) if i not in used]
                best = min(free, key=lambda i: abs(det[i] - t), default=None)
                edge = not EDGE_S <= ev["time_s"] <= duration_s - EDGE_S
                if best is not None and abs(det[best] - t) <= TOL_FRAMES:
                    used.add(best)
                    out[kind]["err"].append(det[best] - t)
                    out[kind]["n"] += 1
                elif not edge:
                    out[kind]["missed"] += 1
                    out[kind]["n"] += 1
            out[kind]["extra"] += len(det) - len(used)
    return out


def walker_chosen(seq, track_id: int, truth: dict) -> tuple[bool, float, float]:  # noqa: ANN001
    """(walker chosen, share of its seen frames nearest the walker, share of frames it is seen)."""
    col = seq.column(track_id)
    hips = seq.xy_px[:, col, 23:25, :].mean(axis=1)  # MediaPipe hips 23, 24 (NaN where unseen)
    frames = truth["frames"]
    walker = 0.5 * (np.asarray(frames["left_hip_px"]) + np.asarray(frames["right_hip_px"]))
    others = truth["world"]["frames"]["bystander_pelvis_px"]
    near = seen = 0
    for t in range(min(len(hips), len(walker))):
        if not np.isfinite(hips[t]).all():
            continue
        seen += 1
        d_walker = np.linalg.norm(hips[t] - walker[t])
        d_other = min((np.linalg.norm(hips[t] - np.asarray(p)) for p in others[t]), default=np.inf)
        near += d_walker < d_other
    share = near / seen if seen else 0.0
    return share >= 0.8, share, seen / len(walker)


def evaluate(name: str, truth: dict, seq) -> dict:  # noqa: ANN001
    """Analyse one clip as ``posture gait`` does and score it."""
    from posture.gait import analyse_gait

    result = analyse_gait(seq, view="auto")
    fps = float(truth["fps"])
    row = {"clip": name, "view": truth["params"]["view"], "analysed_view": result.view, "fps": fps}
    row["tracks"] = int(seq.n_people)
    row["refused"] = list(result.refused)
    row["walks"] = bool(result.subject.get("walks", True))
    row["subject_reason"] = str(result.subject.get("reason", ""))
    row["score"] = score_events(result.to_dict()["events"], truth["events"], fps, truth["duration_s"])
    if "world" in truth:
        ok, share, cover = walker_chosen(seq, int(result.subject["track_id"]), truth)
        # chosen: the analysed track is the walker's, and the analysis takes it for a walker
        row.update(walker_ok=ok and row["walks"], walker_track=ok, walker_share=share, walker_cover=cover)
        w = truth["world"]
        row["world"] = {
            "bystanders": ", ".join(
                f"{b['motion']} {b['depth_from_camera_m']:.1f} m" for b in w["bystanders"]
            ),
            "occluder": "occluder" in w,
            "hidden": len(w["occluder"]["walker_frames_half_hidden"]) if "occluder" in w else 0,
            "noise": w["noise_sd"],
            "blur": w["motion_blur_px"],
            "kbps": w["compression"].get("bitrate_kbps"),
            "codec": w["compression"]["codec"],
            "background": Path(w["background"]).name,
        }
    return row


def _cell(s: dict) -> str:
    err = np.abs(s["err"])
    mae = f"{err.mean():.2f}" if err.size else "n/a"
    return f"{len(s['err'])}/{s['n']} | {s['missed']} / {s['extra']} | {mae}"


def _pool(rows: list[dict], kind: str) -> dict:
    return {
        "err": [e for r in rows for e in r["score"][kind]["err"]],
        "n": sum(r["score"][kind]["n"] for r in rows),
        "missed": sum(r["score"][kind]["missed"] for r in rows),
        "extra": sum(r["score"][kind]["extra"] for r in rows),
    }


def report(
    world_rows: list[dict],
    clean_rows: list[dict],
    wall_s: float,
    source: str,
    scene_rows: list[dict] | None = None,
) -> str:
    """The Markdown page (``scene_rows``: the world without bystanders and pole, when run)."""
    scene_rows = scene_rows or []
    clean = {r["clip"]: r for r in clean_rows}
    lines = [
        "# Gait benchmark, world slice: bystanders, an occluder, photos, noise and x264",
        "",
        f"`python benchmarks/bench_gait_world.py` (seed {SEED}). {len(world_rows)} synthetic walks, each",
        "one of the clean gait benchmark's walkers (gait.md: same body, script, camera, 960x540, 4 strides,",
        "so the "
        "same truth events) rendered in a messier world by `posture.synth.world`: 1-2 other bodies standing",
        "still, swaying or hopping in place behind or beside the walking line (painter's order by depth),",
        "a dark textured pole between camera and path on some side views, a photographic background",
        f"({source}), randomised key/fill light and clothing colours, Gaussian sensor noise,",
        "a 3-px horizontal blur on some, and an x264 re-encode at about 4 Mbit/s-at-720p (scaled to 540p).",
        "Tracked as `posture gait` does (up to 3 people), analysed without options. The clean twin",
        "(`world=None`) of every walker is rendered and scored the same way here.",
        "",
        "Scoring: a truth event is hit by the nearest unused detection of its side and kind within",
        f"+-{TOL_FRAMES:g} frames; unmatched truth events are missed (not counted within {EDGE_S} s of",
        "the clip's ends), unmatched detections are extra; MAE over hits, in frames. 'Walker chosen':",
        "in >= 80 % of the frames the analysed track is seen, its hip centre is nearer the walker's true",
        "hip centre than any bystander's pelvis, and the analysis takes that track for a walker. 'seen':",
        "share of the clip's frames with that track. 'HS hit' is hits / events counted (an event near",
        "the ends counts only when hit, as in gait.md).",
        f"This page took {wall_s / 60:.1f} min (clips already rendered and tracked in"
        " benchmarks/work/gait_world/ are taken from there).",
        "",
        "## Per clip",
        "",
        "| clip | world | tracks | walker chosen (share of frames, seen) | view | HS hit |"
        " HS missed / extra | HS MAE (fr) | TO hit | TO missed / extra | TO MAE (fr) |"
        " clean twin HS hit, m/e, MAE | clean twin TO hit, m/e, MAE |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in world_rows:
        w = r["world"]
        desc = f"{w['bystanders']}; " + (f"pole ({w['hidden']} fr half hidden); " if w["occluder"] else "")
        desc += f"{w['background']}; noise {w['noise']:.1f}"
        desc += f"; blur {w['blur']} px" if w["blur"] else ""
        desc += f"; {w['codec']} {w['kbps']:.0f} kbit/s" if w["kbps"] else f"; {w['codec']}"
        twin = clean.get(r["clip"])
        tc = " | ".join(
            _cell(twin["score"][k]).replace(" | ", ", ") if twin else "n/a"
            for k in ("heel_strike", "toe_off")
        )
        view = r["analysed_view"] + ("" if r["analysed_view"] == _expected(r["view"]) else " (WRONG)")
        refused = " refused: " + "; ".join(r["refused"]) if r["refused"] else ""
        refused += "" if r["walks"] else f" ({r['subject_reason'].split(':')[0]})"
        lines.append(
            f"| {r['clip']} | {desc} | {r['tracks']} | {_chosen(r)} "
            f"({100 * r['walker_share']:.0f}%, {100 * r['walker_cover']:.0f}%) | {view}{refused} | "
            f"{_cell(r['score']['heel_strike'])} | {_cell(r['score']['toe_off'])} | {tc} |"
        )
    lines += [
        "",
        "## Pooled",
        "",
        "| set | clips | walker chosen | HS hit | HS missed / extra | HS MAE (fr) | TO hit |"
        " TO missed / extra | TO MAE (fr) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    sets = [("world", world_rows), ("clean twins", clean_rows), ("scene only", scene_rows)]
    for label, rows in sets:
        for part, keep in (("side", ("left", "right")), ("front/back", ("front", "back")), ("all", None)):
            sel = [r for r in rows if keep is None or r["view"] in keep]
            if not sel:
                continue
            chosen = f"{sum(r['walker_ok'] for r in sel)}/{len(sel)}" if label == "world" else "(one body)"
            lines.append(
                f"| {label} {part} | {len(sel)} | {chosen} | {_cell(_pool(sel, 'heel_strike'))} | "
                f"{_cell(_pool(sel, 'toe_off'))} |"
            )
    if scene_rows:
        lines += [
            "",
            "## Scene only: the same world clips without the bystanders and the pole",
            "",
            "Photo background, light, clothes, floor, noise, blur and x264 as in the world clip; nobody else",
            "in the picture and nothing in front of the walker. Separates what the people and the pole cost",
            "from what the picture quality costs.",
            "",
            "| clip | HS hit | HS missed / extra | HS MAE (fr) | TO hit | TO missed / extra | TO MAE (fr) |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in scene_rows:
            lines.append(
                f"| {r['clip']} | {_cell(r['score']['heel_strike'])} | {_cell(r['score']['toe_off'])} |"
            )
    return "\n".join(lines) + "\n"


def _chosen(r: dict) -> str:
    if r["walker_ok"]:
        return "yes"
    return "NO: a piece of the walker's track, taken for nobody walking" if r["walker_track"] else "NO"


def _expected(view: str) -> str:
    return "side" if view in ("left", "right") else view


def run_slices(args: argparse.Namespace, photos: list[Path]) -> tuple[list[dict], list[dict], list[dict]]:
    """Render, track and score the world clips, their clean twins and the scene-only variants."""
    by_name = {c.name: c for c in CLIPS + HELD_OUT}
    world_rows, clean_rows = [], []
    for k, name in enumerate(WALKERS):
        clip = by_name[name]
        ready = prepare(f"world_{name}", world_params(clip, k, photos), args.cache, args.cached_only)
        if ready is not None:
            world_rows.append(evaluate(name, *ready))
    if not args.no_clean:
        for name in WALKERS:
            ready = prepare(f"clean_{name}", walking_params(by_name[name]), args.cache, args.cached_only)
            if ready is not None:
                clean_rows.append(evaluate(name, *ready))
    scene_rows = []
    for k, name in enumerate(WALKERS):
        if name in args.scene_only:
            params = world_params(by_name[name], k, photos)
            params = replace(params, world=replace(params.world, bystanders=(), occluder=None))
            ready = prepare(f"scene_{name}", params, args.cache, args.cached_only)
            if ready is not None:
                scene_rows.append(evaluate(name, *ready))
    return world_rows, clean_rows, scene_rows


def main(argv: list[str] | None = None) -> int:
    """Run the slice (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/gait_world.md")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--no-clean", action="store_true", help="skip the clean twins")
    parser.add_argument("--notes", type=Path, default=NOTES, help="Markdown appended to the page")
    parser.add_argument("--cached-only", action="store_true", help="score only clips already cached")
    parser.add_argument(
        "--scene-only", nargs="*", default=[], help="walkers also run without people and pole"
    )
    args = parser.parse_args(argv)
    wall = time.perf_counter()
    args.cache.mkdir(parents=True, exist_ok=True)
    photos, source = background_photos(ROOT / "benchmarks" / "work" / "photo" / "backgrounds")
    source = source.replace(str(ROOT) + "/", "")
    world_rows, clean_rows, scene_rows = run_slices(args, photos)
    text = report(world_rows, clean_rows, time.perf_counter() - wall, source, scene_rows)
    if NOT_RUN:
        text += "\nNot run (not rendered and tracked in the time this run had): " + ", ".join(NOT_RUN) + "\n"
    if args.notes and args.notes.exists():
        text += "\n" + args.notes.read_text()
    args.out.write_text(text, encoding="utf-8")
    (args.cache / "rows.json").write_text(
        json.dumps({"world": world_rows, "clean": clean_rows, "scene": scene_rows}, default=str)
    )
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
