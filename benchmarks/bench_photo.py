"""Standing-check accuracy on synthetic bodies with known pelvic obliquity and tilt, in three slices.

Renders (seeded, at benchmark time, not the shipped samples; cached in
benchmarks/work/photo/) front and back views of varied bodies with one hip
higher by a known amount (obliquity about -6..+6 degrees) and side views with
a known anterior pelvic tilt (0..20 degrees from neutral), with the camera
rolled up to +-3 degrees, runs the real standing analysis
(`posture.standing.check`) on each picture, and compares with the body
model's ground truth. Slices:

- clean: the original set: one fixed light from the upper left, a plain room,
  clothes the same colour on both sides;
- light: the same bodies and cameras, the light from any direction (sides,
  above, below, front, behind), of any colour and strength, with a fill light;
- clothes: randomised light as above, and clothes that differ left to right
  (shirt and shorts halves of different colours, a belt turned up to +-6
  degrees, a pocket on one side), skin tones from dark to light, photographic
  (Debian opencv-doc pictures) or textured backgrounds.

The baseline is the raw single-frame MediaPipe hip line (no augmentation, no
roll correction).

Usage: python benchmarks/bench_photo.py --out benchmarks/results/photo.md [--slices clean light clothes]
       [--n-frontal 28 --n-side 12 --n-random-frontal 20 --n-random-side 6]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from posture.pose.bundle import ensure_model
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.standing import landmarks as photo
from posture.standing.check import StandingResult, StandingSettings, analyse_standing
from posture.synth.body import Phenotype
from posture.synth.render import Appearance
from posture.synth.standing import StandingParams, render_standing

sys.path.insert(0, str(Path(__file__).resolve().parent))
from photo_backgrounds import background_photos  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / "work" / "photo"
SEED = 20261122
SLICES = ("clean", "light", "clothes")


def _colour(rng: np.random.Generator, low: int = 30, high: int = 220) -> tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(low, high, 3))  # type: ignore[return-value]


def _random_params(rng: np.random.Generator, view: str, k: int) -> StandingParams:
    u = rng.uniform
    body = Phenotype(
        gender=float(u(0, 1)), age=float(u(0.6, 0.95)), muscle=float(u(0.3, 0.7)),
        weight=float(u(0.3, 0.75)), height=float(u(0.3, 0.7)),
    )  # fmt: skip
    skin = (int(rng.integers(70, 150)), int(rng.integers(100, 175)), int(rng.integers(140, 225)))
    look = Appearance(skin=skin, shirt=_colour(rng), shorts=_colour(rng, 20, 160), room=True)
    common = dict(
        phenotype=body, view=view, appearance=look, roll_deg=float(rng.uniform(-3, 3)),
        camera_height_m=float(rng.uniform(0.8, 1.2)), distance_m=float(rng.uniform(2.4, 3.0)), seed=k,
    )  # fmt: skip
    if view in ("left", "right"):
        return StandingParams(pelvic_tilt_deg=float(rng.uniform(0, 20)), **common)  # type: ignore[arg-type]
    return StandingParams(hip_height_diff_mm=float(rng.uniform(-22, 22)), **common)  # type: ignore[arg-type]


def cases(n_frontal: int, n_side: int, seed: int = SEED) -> list[StandingParams]:
    """Seeded cases: front and back alternating, then left and right alternating."""
    rng = np.random.default_rng(seed)
    views = [("front", "back")[k % 2] for k in range(n_frontal)]
    views += [("left", "right")[k % 2] for k in range(n_side)]
    return [_random_params(rng, view, k) for k, view in enumerate(views)]


def _unit(v: np.ndarray) -> tuple[float, float, float]:
    v = v / np.linalg.norm(v)
    return float(v[0]), float(v[1]), float(v[2])


def random_light(rng: np.random.Generator) -> dict:
    """Appearance fields of a random key light (any direction towards the scene's half-space
    in front of the camera and somewhat behind), colour and strength, and a fill light."""
    while True:
        d = rng.normal(size=3)
        if d[2] > -0.3:  # camera axes: x right, y down, z away from the camera (travel direction)
            break
    fill_dir = rng.normal(size=3)
    fill_dir[2] = abs(fill_dir[2]) + 0.2
    return {
        "light_dir": _unit(d),
        "light_colour": tuple(float(g) for g in rng.uniform(0.8, 1.2, 3)),
        "key": float(rng.uniform(0.35, 0.9)),
        "ambient": float(rng.uniform(0.15, 0.5)),
        "fill": float(rng.choice([0.0, rng.uniform(0.1, 0.4)])),
        "fill_dir": _unit(fill_dir),
    }


def random_clothes(rng: np.random.Generator, backgrounds: list[Path], k: int) -> dict:
    """Appearance fields of clothes that differ left to right, a skin tone and a background."""
    t = rng.uniform()
    dark, light = np.array([45, 60, 90]), np.array([170, 195, 235])
    fields: dict = {"skin": tuple(int(v) for v in dark + t * (light - dark) + rng.integers(-10, 10, 3))}
    if rng.uniform() < 0.6:
        fields["shirt_right"] = _colour(rng)
    if rng.uniform() < 0.6:
        fields["shorts_right"] = _colour(rng, 20, 200)
    if rng.uniform() < 0.5:
        fields.update(belt=_colour(rng, 10, 120), belt_angle_deg=float(rng.uniform(-6, 6)))
    if rng.uniform() < 0.5:
        fields["pocket"] = _colour(rng)
    if backgrounds and rng.uniform() < 0.7:
        fields.update(background=str(backgrounds[k % len(backgrounds)]), room=False)
    else:
        fields.update(background="noise", texture_seed=int(rng.integers(1 << 30)))
    return fields


def slice_cases(name: str, n_frontal: int, n_side: int, backgrounds: list[Path]) -> list[StandingParams]:
    """The cases of one slice: the clean set, or other seeded bodies with randomised looks."""
    if name == "clean":
        return cases(n_frontal, n_side)
    base = cases(n_frontal, n_side, SEED + {"light": 1, "clothes": 2}[name])
    rng = np.random.default_rng(SEED + 10 + len(name))
    out = []
    for k, p in enumerate(base):
        fields = random_light(rng)
        if name == "clothes":
            fields.update(random_clothes(rng, backgrounds, k))
        out.append(dataclasses.replace(p, appearance=dataclasses.replace(p.appearance, **fields)))
    return out


def cached_render(name: str, p: StandingParams) -> tuple[np.ndarray, dict]:
    """Render ``p`` (RGB) with its truth, from the cache when this exact case was rendered before."""
    key = hashlib.sha1(repr(p).encode()).hexdigest()[:12]
    png, truth_path = CACHE / f"{name}-{key}.png", CACHE / f"{name}-{key}.json"
    if png.exists() and truth_path.exists():
        return cv2.cvtColor(cv2.imread(str(png)), cv2.COLOR_BGR2RGB), json.loads(truth_path.read_text())
    bgr, truth = render_standing(name, p)
    CACHE.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(png), bgr)
    truth_path.write_text(json.dumps(truth, default=lambda a: np.asarray(a).tolist()))
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), truth


def _value(res: StandingResult, name: str) -> float | None:
    m = res.measures.get(name)
    return None if m is None else m.value


def _halves(res: StandingResult, key: str) -> float | None:
    """The equivariant combination of one pelvis-level quantity of the picture and its mirror."""
    direct = res.quality.get("pelvis_level", {}).get(key)
    mirror = res.quality.get("mirror", {}).get("pelvis_level_mirror_image", {}).get(key)
    if direct is None or mirror is None:
        return None
    return (direct - mirror) / 2.0


def _both(res: StandingResult, key: str) -> list[float | None]:
    """One pelvis-level quantity of the picture and of its mirror image, as measured (not combined)."""
    direct = res.quality.get("pelvis_level", {}).get(key)
    mirror = res.quality.get("mirror", {}).get("pelvis_level_mirror_image", {}).get(key)
    return [direct, mirror]


def frontal_row(res: StandingResult) -> dict:
    """The obliquity of every method on one front or back picture."""
    m = res.measures["pelvic_obliquity_deg"]
    mm = res.measures["hip_height_diff_mm"]
    halves = res.quality.get("mirror", {}).get("pelvic_obliquity_deg", {})
    gap = None
    if halves.get("picture") is not None and halves.get("mirror_image") is not None:
        gap = abs(halves["picture"] + halves["mirror_image"]) / 2.0
    return {
        "obl": m.value, "obl_unc": m.uncertainty, "mm": mm.value, "mm_unc": mm.uncertainty,
        "raw_obl": photo.pelvic_obliquity_deg(res.pictures[0].variants[0].xy),
        "lm_obl": _halves(res, "landmark_obliquity_deg"), "px_obl": _halves(res, "pixel_obliquity_deg"),
        "lm_unc": res.quality.get("pelvis_level", {}).get("landmark_uncertainty_deg"),
        "mirror_gap": gap, "method": res.quality.get("pelvis_level", {}).get("method"),
        "halves": {k: _both(res, k) for k in ("landmark_obliquity_deg", "landmark_uncertainty_deg",
                                               "pixel_obliquity_deg", "pixel_uncertainty_deg")},
        "hip_width_px": float(np.mean([photo.hip_width_px(p.poses[0]) for p in res.pictures])),
        "mm_per_px": None if res.scale is None else res.scale.mm_per_px,
    }  # fmt: skip


def measure_case(est: PoseEstimator, name: str, p: StandingParams) -> dict:
    rgb, truth = cached_render(name, p)
    start = time.perf_counter()
    settings = StandingSettings(height_mm=truth["subject"]["height_m"] * 1000)
    res = analyse_standing([(name, rgb)], est, settings)
    row = {
        "name": name, "view": p.view, "view_found": res.view.value, "roll": p.roll_deg,
        "seconds": time.perf_counter() - start, "true_obl": truth["pelvic_obliquity_deg"],
        "true_mm": truth["hip_height_diff_mm"], "true_tilt": truth["pelvic_tilt_deg"],
        "roll_found": res.roll.roll_deg, "roll_known": res.roll.known, "protocol": res.protocol,
    }  # fmt: skip
    if p.view in ("front", "back"):
        row.update(frontal_row(res))
    else:
        tilt = res.measures.get("anterior_pelvic_tilt_deg")
        row.update(
            tilt=None if tilt is None else tilt.value, tilt_unc=None if tilt is None else tilt.uncertainty
        )
    return row


def run(slices: dict[str, list[StandingParams]]) -> list[dict]:
    rows = []
    with PoseEstimator(ensure_model(), PoseOptions(max_people=2, segmentation=True), video=False) as est:
        for slice_name, params in slices.items():
            for k, p in enumerate(params):
                name = f"{slice_name}{k}"
                try:
                    rows.append({"slice": slice_name, **measure_case(est, name, p)})
                except ValueError as exc:  # nobody found or refused: counted as not measured
                    rows.append({"slice": slice_name, "name": name, "view": p.view, "error": str(exc)})
                print(json.dumps(rows[-1]), flush=True)
    return rows


def _stats(err: list[float]) -> str:
    e = np.abs(np.array(err, dtype=float))
    if e.size == 0:
        return "- | - | - | - | 0"
    return (
        f"{e.mean():.2f} | {np.sqrt(np.mean(e**2)):.2f} | {np.percentile(e, 95):.2f} | "
        f"{np.mean(err):+.2f} | {e.size}"
    )


def _err(rows: list[dict], key: str, truth: str = "true_obl") -> list[float]:
    return [r[key] - r[truth] for r in rows if r.get(key) is not None]


def fit_landmark_gain(rows: list[dict], view: str) -> float:
    """Slope (through the origin) of the equivariant landmark hip line against the truth, on ``rows``."""
    mine = [r for r in rows if r["view"] == view and r.get("lm_obl") is not None]
    x, y = np.array([r["true_obl"] for r in mine]), np.array([r["lm_obl"] for r in mine])
    return float(np.dot(x, y) / np.dot(x, x)) if len(mine) else 1.0


def table(rows: list[dict], gains: dict[str, float]) -> list[str]:
    lines = ["| measure | view | MAE | RMSE | p95 | bias | n |", "|---|---|---|---|---|---|---|"]
    for view in ("front", "back"):
        mine = [r for r in rows if r["view"] == view and "obl" in r]
        scaled = [r["lm_obl"] / gains[view] - r["true_obl"] for r in mine if r.get("lm_obl") is not None]
        lines += [
            f"| obliquity, raw single frame (deg) | {view} | {_stats(_err(mine, 'raw_obl'))} |",
            f"| obliquity, landmark hip line, mirror-combined (deg) | {view} | "
            f"{_stats(_err(mine, 'lm_obl'))} |",
            f"| obliquity, landmark hip line / {gains[view]:.2f} (gain from the clean slice) | {view} | "
            f"{_stats(scaled)} |",
            f"| obliquity, landmarks + pixels, mirror-combined (deg) | {view} | "
            f"{_stats(_err(mine, 'px_obl'))} |",
            f"| **obliquity, `posture photo` (deg)** | {view} | {_stats(_err(mine, 'obl'))} |",
            f"| hip height difference (mm) | {view} | {_stats(_err(mine, 'mm', 'true_mm'))} |",
        ]
    side = [r for r in rows if r["view"] in ("left", "right") and "true_tilt" in r]
    tilt = _err(side, "tilt", "true_tilt")
    lines.append(f"| anterior pelvic tilt, estimate (deg) | side | {_stats(tilt)} |")
    truths = [r["true_tilt"] for r in side]
    if truths:
        mean_err = [t - float(np.mean(truths)) for t in truths]
        lines.append(f"| anterior pelvic tilt, always the mean (deg) | side | {_stats(mean_err)} |")
    return lines


def coverage(rows: list[dict], key: str = "obl", unc: str = "obl_unc", truth: str = "true_obl") -> str:
    ok = [r for r in rows if r.get(key) is not None and r.get(unc)]
    if not ok:
        return "no rows"
    z = np.array([abs(r[key] - r[truth]) / r[unc] for r in ok])
    return f"{100 * np.mean(z <= 1):.0f}% within ±1, {100 * np.mean(z <= 2):.0f}% within ±2 (n = {len(ok)})"


def notes(rows: list[dict]) -> list[str]:
    ok = [r for r in rows if "error" not in r]
    frontal = [r for r in ok if "obl" in r and r["obl"] is not None]
    side = [r for r in ok if "true_tilt" in r and r["view"] in ("left", "right")]
    gaps = [r["mirror_gap"] for r in frontal if r.get("mirror_gap") is not None]
    slope = (
        np.polyfit([r["true_obl"] for r in frontal], [r["obl"] for r in frontal], 1)[0] if frontal else np.nan
    )
    errors = [f"{r['name']}: {r['error']}" for r in rows if "error" in r]
    return [
        f"- pictures: {len(rows)}; measured: {len(ok)}; view detected correctly in "
        f"{sum(r['view'] == r['view_found'] for r in ok)} of {len(ok)}"
        + (f"; refused: {errors}" if errors else ""),
        f"- obliquity: slope of measured against true {slope:.2f}; truth within the reported uncertainty: "
        f"{coverage(frontal)}; hip height (mm): {coverage(frontal, 'mm', 'mm_unc', 'true_mm')}",
        f"- mirror discrepancy of the obliquity before combining (half the sum of the picture's and the "
        f"mirror image's readings): median {np.median(gaps) if gaps else np.nan:.2f} deg, max "
        f"{max(gaps) if gaps else np.nan:.2f} deg; after combining it is 0 by construction",
        f"- camera roll found in {sum(r['roll_known'] for r in ok)} of {len(ok)} pictures; roll error MAE "
        f"{np.mean([abs(r['roll_found'] + r['roll']) for r in ok if r['roll_known']] or [np.nan]):.2f} deg "
        "(the renderer's roll turns the scene clockwise, the estimate's counter-clockwise)",
        f"- tilt estimate given for {sum(r.get('tilt') is not None for r in side)} of {len(side)} "
        "side pictures",
        f"- off the protocol (arms not hanging, clothing over the hips; findings withheld): "
        f"{sum(bool(r.get('protocol')) for r in ok)} of {len(ok)}"
        + "".join(f"; {r['name']}: {', '.join(r['protocol'])}" for r in ok if r.get("protocol")),
        f"- seconds per picture (analysis only, 2 shared cores): {np.mean([r['seconds'] for r in ok]):.2f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "photo.md")
    parser.add_argument("--slices", nargs="+", default=list(SLICES), choices=SLICES)
    parser.add_argument("--n-frontal", type=int, default=28)
    parser.add_argument("--n-side", type=int, default=12)
    parser.add_argument("--n-random-frontal", type=int, default=20)
    parser.add_argument("--n-random-side", type=int, default=6)
    parser.add_argument("--rows", type=Path, help="re-summarise rows saved by an earlier run (.json)")
    args = parser.parse_args()
    backgrounds, source = background_photos(CACHE / "backgrounds")
    if args.rows:
        rows = json.loads(args.rows.read_text())
    else:
        random_sizes = (args.n_random_frontal, args.n_random_side)
        sizes = {s: (args.n_frontal, args.n_side) if s == "clean" else random_sizes for s in args.slices}
        rows = run({s: slice_cases(s, *sizes[s], backgrounds) for s in args.slices})
    clean = [r for r in rows if r["slice"] == "clean" and "error" not in r]
    gains = {v: fit_landmark_gain(clean, v) for v in ("front", "back")}
    intro = __doc__.split("Usage:")[0].split("\n\n", 1)[1].strip()
    text = [
        "# Standing check accuracy (synthetic bodies)",
        "",
        intro,
        "",
        f"Backgrounds: {source or 'none'}.",
        "",
    ]
    for s in args.slices:
        mine = [r for r in rows if r["slice"] == s]
        text += [
            f"## Slice: {s}",
            "",
            *table([r for r in mine if "error" not in r], gains),
            "",
            *notes(mine),
            "",
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text) + "\n")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1))
    print("\n".join(text))


if __name__ == "__main__":
    main()
