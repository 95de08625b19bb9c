"""Pelvic obliquity from the pixels (mirror registration) against the hip landmarks, on synthetic bodies.

Two disjoint sets of synthetic standing subjects with a known hip drop: a
CALIBRATION set (on which the per-view gain of the pixel estimator and the
weights of a landmark + pixel combination are fitted) and a HELD-OUT set with
other phenotypes, clothing colours and lighting, camera heights, distances and
stance widths, front and back views. Only the held-out rows judge a method.

Methods: the landmark hip line averaged over the mirror-paired test-time
augmentations (what the standing analysis reports, camera level so no roll);
the same divided by its calibration slope ("rescaled"); the pixel estimator
(:func:`posture.standing.pelvis_level.estimate_pelvis_level`, its gain refitted
here on the calibration set, and with the constants shipped in the module, which
should agree); and a per-view least-squares combination (no intercept) of the
landmark and pixel values, likewise. Errors in mm convert each estimate with the true
hip-joint width (``hip_width * tan(obliquity)``), so they hold no scale error.

Usage: python benchmarks/bench_pelvis_level.py [--out benchmarks/results/pelvis_level.md] [--quick]
       [--save-rows rows.json | --rows rows.json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from posture.core.view import View
from posture.pose.augment import detect_augmented
from posture.pose.bundle import ensure_model
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.standing import landmarks as photo
from posture.standing.pelvis_level import calibrated_obliquity_deg, region_tilts_deg
from posture.standing.view import fix_sides
from posture.synth.body import Phenotype
from posture.synth.render import Appearance
from posture.synth.standing import StandingParams, render_standing

ROOT = Path(__file__).resolve().parents[1]
CAL_BODIES = [
    Phenotype(gender=0.0, age=0.7, muscle=0.5, weight=0.5, height=0.5),
    Phenotype(gender=1.0, age=0.72, muscle=0.4, weight=0.6, height=0.35),
    Phenotype(gender=0.3, age=0.9, muscle=0.6, weight=0.75, height=0.6),
    Phenotype(gender=0.8, age=0.68, muscle=0.3, weight=0.35, height=0.45),
]
HELD_BODIES = [
    Phenotype(gender=0.1, age=0.8, muscle=0.7, weight=0.4, height=0.7),
    Phenotype(gender=0.9, age=0.85, muscle=0.35, weight=0.8, height=0.3),
    Phenotype(gender=0.5, age=0.7, muscle=0.5, weight=0.55, height=0.5),
    Phenotype(gender=0.65, age=0.95, muscle=0.2, weight=0.65, height=0.25),
]
CAL_LOOKS = [
    Appearance(),
    Appearance(shirt=(50, 50, 170), shorts=(90, 60, 30), skin=(120, 150, 200)),
    Appearance(shirt=(60, 140, 60), shorts=(40, 40, 40), skin=(90, 120, 160)),
]
HELD_LOOKS = [
    Appearance(shirt=(230, 230, 230), shorts=(30, 30, 120), skin=(100, 130, 180)),
    Appearance(shirt=(30, 30, 30), shorts=(150, 170, 190), skin=(150, 180, 220)),
    Appearance(shirt=(120, 60, 140), shorts=(60, 110, 60), skin=(70, 95, 130), light_dir=(-0.3, 0.5, 1.0)),
]
CAL_DROPS_MM = (-24.0, -16.0, -8.0, 0.0, 8.0, 16.0, 24.0)
HELD_DROPS_MM = (-25.0, -19.0, -12.0, -5.0, 5.0, 12.0, 19.0, 25.0, 0.0)


def calibration_cases(n: int) -> list[StandingParams]:
    """The calibration subjects (seeds 0..n-1)."""
    return [
        StandingParams(
            phenotype=CAL_BODIES[k % 4], view=("front", "back")[k % 2],
            hip_height_diff_mm=CAL_DROPS_MM[(k // 2 + k) % 7], appearance=CAL_LOOKS[(k // 2) % 3],
            camera_height_m=0.8 + 0.1 * (k % 3), distance_m=2.4 + 0.2 * ((k // 3) % 3), seed=k,
        )
        for k in range(n)
    ]  # fmt: skip


def held_out_cases(n: int) -> list[StandingParams]:
    """The held-out subjects: other bodies, looks, cameras and stances (seeds 100..)."""
    return [
        StandingParams(
            phenotype=HELD_BODIES[k % 4], view=("front", "back")[(k // 2 + k) % 2],
            hip_height_diff_mm=HELD_DROPS_MM[k % 9], appearance=HELD_LOOKS[k % 3],
            camera_height_m=(0.7, 1.05, 1.2)[(k // 3) % 3], distance_m=(2.5, 2.9, 3.3)[k % 3],
            stance_width_m=(0.18, 0.22, 0.27)[(k // 2) % 3], seed=100 + k,
        )
        for k in range(n)
    ]  # fmt: skip


def measure_case(est: PoseEstimator, name: str, p: StandingParams) -> dict | None:
    """Render one subject; return truth, landmark obliquity and pixel image tilt (None if no person)."""
    bgr, truth = render_standing(name, p)
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    variants = detect_augmented(rgb, est)
    if not variants:
        return None
    view = View(p.view)
    poses = [fix_sides(v.xy, view)[0] for v in variants]
    start = time.perf_counter()
    try:
        tilts = region_tilts_deg(rgb, poses[0])
    except ValueError as exc:  # the estimator refuses this picture: counted, not hidden
        print(f"{name}: pixel estimator refused: {exc}")
        tilts = []
    seconds = time.perf_counter() - start
    left_sign = 1.0 if poses[0][23, 0] > poses[0][24, 0] else -1.0
    return {
        "name": name,
        "view": p.view,
        "true_obl": truth["pelvic_obliquity_deg"],
        "true_mm": truth["hip_height_diff_mm"],
        "hip_width_mm": truth["subject"]["hip_width_m"] * 1000.0,
        "landmark_obl": float(np.mean([photo.pelvic_obliquity_deg(xy) for xy in poses])),
        "tilt": left_sign * float(np.median(tilts)) if tilts else float("nan"),
        "tilt_sd": float(np.std(tilts, ddof=1)) if len(tilts) > 1 else float("nan"),
        "n_tilts": len(tilts),
        "pixel_seconds": seconds,
    }


def run(sets: dict[str, list[StandingParams]]) -> list[dict]:
    """Measure every case of every set; rows carry their set name."""
    rows = []
    with PoseEstimator(ensure_model(), PoseOptions(max_people=2), video=False) as est:
        for set_name, params in sets.items():
            for i, p in enumerate(params):
                row = measure_case(est, f"{set_name}{i}", p)
                if row is None:
                    print(f"{set_name}{i}: no person found, skipped")
                    continue
                rows.append({"set": set_name, **row})
                print(json.dumps(rows[-1]))
    return rows


def _column(rows: list[dict], key: str) -> np.ndarray:
    return np.array([r[key] for r in rows], dtype=float)


def fit_through_origin(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope of ``y = k x`` (no intercept: a level pelvis must read level)."""
    return float(np.dot(x, y) / np.dot(x, x))


def fit_methods(cal: list[dict]) -> dict[str, Callable[[dict], float]]:
    """Per-view estimators whose constants are fitted on the calibration rows only."""
    fitted: dict[str, dict[str, object]] = {}
    for view in ("front", "back"):
        rows = [r for r in cal if r["view"] == view and np.isfinite(r["tilt"])]
        truth, lm, tilt = (_column(rows, k) for k in ("true_obl", "landmark_obl", "tilt"))
        design = np.stack([lm, tilt], axis=1)
        fitted[view] = {
            "lm_gain": fit_through_origin(truth, lm),
            "px_gain": fit_through_origin(truth, tilt),
            "weights": np.linalg.lstsq(design, truth, rcond=None)[0],
        }
    print("fitted on calibration:", fitted)

    def f(view: str, key: str) -> float:
        return float(fitted[view][key])  # type: ignore[arg-type]

    return {
        "landmarks (current)": lambda r: r["landmark_obl"],
        "landmarks rescaled by 1/slope": lambda r: r["landmark_obl"] / f(r["view"], "lm_gain"),
        "pixels, gain refitted here": lambda r: r["tilt"] / f(r["view"], "px_gain"),
        "pixels, shipped constants": lambda r: calibrated_obliquity_deg(r["tilt"], View(r["view"]))[0],
        "landmarks + pixels, refitted here": lambda r: float(
            np.dot(fitted[r["view"]]["weights"], [r["landmark_obl"], r["tilt"]])  # type: ignore[call-overload]
        ),
        "landmarks + pixels, shipped constants": lambda r: calibrated_obliquity_deg(
            r["tilt"], View(r["view"]), r["landmark_obl"]
        )[0],
    }


def stats_row(label: str, rows: list[dict], fn: Callable[[dict], float]) -> str:
    """One table row: MAE, bias, slope, max error in degrees and mm."""
    est = np.array([fn(r) for r in rows])
    ok = np.isfinite(est) & np.isfinite(_column(rows, "tilt"))  # every method on the same pictures
    truth, truth_mm, width = (_column(rows, k)[ok] for k in ("true_obl", "true_mm", "hip_width_mm"))
    err = est[ok] - truth
    err_mm = width * np.tan(np.radians(est[ok])) - truth_mm
    slope = np.polyfit(truth, est[ok], 1)[0]
    return (
        f"| {label} | {ok.sum()} | {np.mean(np.abs(err)):.2f} | {np.mean(err):+.2f} | {slope:.2f} | "
        f"{np.max(np.abs(err)):.2f} | {np.sqrt(np.mean(err**2)):.2f} | {np.mean(np.abs(err_mm)):.1f} | "
        f"{np.mean(err_mm):+.1f} | {np.max(np.abs(err_mm)):.1f} |"
    )


NOTES = [
    "- Read with care: the bodies are perfectly symmetric and their clothes have hard colour edges that move "
    "with the pelvis and thighs; real bodies and clothes are less kind, so expect larger real errors.",
    "- The module's REGIONS (rectangles around the pelvis) were chosen in an exploratory grid that printed "
    "per-view slopes on both sets, so the held-out set is not perfectly blind for that one choice; the gains "
    "and combination weights are fitted on the calibration set only.",
    "- The front view turns much less with the pelvis (gain about 0.33 against 0.89 from the back): front "
    "estimates are noisier; the landmark + pixel combination helps there, not from the back.",
]


def summary(rows: list[dict]) -> list[str]:
    """The markdown tables: every method on each set, and each view of the held-out set."""
    cal = [r for r in rows if r["set"] == "calibration"]
    held = [r for r in rows if r["set"] == "held-out"]
    methods = fit_methods(cal)
    header = [
        "| method | n | MAE deg | bias deg | slope | max deg | RMSE deg | MAE mm | bias mm | max mm |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines = []
    groups = [
        ("Calibration set (fitted here: in-sample)", cal),
        ("Held-out set", held),
        ("Held-out, front views", [r for r in held if r["view"] == "front"]),
        ("Held-out, back views", [r for r in held if r["view"] == "back"]),
    ]
    for title, group in groups:
        lines += [f"### {title}", "", *header]
        lines += [stats_row(label, group, fn) for label, fn in methods.items()]
        lines.append("")
    truth = _column(rows, "true_obl")
    refused = [r["name"] for r in rows if not np.isfinite(r["tilt"])]
    lines += [
        f"- pictures the pixel estimator refused (left out of every row above): {refused or 'none'}",
        f"- cases: {len(cal)} calibration, {len(held)} held-out; true obliquity "
        f"{truth.min():+.1f}..{truth.max():+.1f} deg; "
        f"pixel registrations per picture: median {np.median(_column(rows, 'n_tilts')):.0f}",
        f"- pixel estimator time per picture (2 shared cores): "
        f"{np.mean(_column(rows, 'pixel_seconds')):.2f} s on top of the landmark run",
        *NOTES,
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "pelvis_level.md")
    parser.add_argument("--quick", action="store_true", help="8 + 8 cases instead of 28 + 28")
    parser.add_argument("--save-rows", type=Path, help="also write the per-picture rows to this .json")
    parser.add_argument("--rows", type=Path, help="re-summarise the rows saved by an earlier --save-rows")
    args = parser.parse_args()
    n = 8 if args.quick else 28
    if args.rows:
        rows = json.loads(args.rows.read_text())
    else:
        rows = run({"calibration": calibration_cases(n), "held-out": held_out_cases(n)})
        if args.save_rows:
            args.save_rows.write_text(json.dumps(rows, indent=1))
    first, second = __doc__.split("\n\n")[1:3]
    title = "# Pelvic obliquity from the pixels vs the landmarks (synthetic bodies)"
    text = [title, "", first, "", second, ""]
    text += summary(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text) + "\n")
    print("\n".join(text))


if __name__ == "__main__":
    main()
