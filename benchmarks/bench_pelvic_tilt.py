"""Anterior pelvic tilt proxy: calibrate on synthetic side views, report the error on held-out ones.

Three seeded sets of side-view (left and right) synthetic standing subjects with
a known pelvic tilt, uniform in -10..+25 deg (anterior positive, from the body
model's neutral pelvis), are rendered and run through the real MediaPipe model
(with segmentation):

- ``calibration``: the model is fitted here (ridge on the outline features of
  :mod:`posture.standing.pelvic_tilt`; each image and its mirror image count);
- ``held-out``: other phenotypes, clothes and background colours, and camera
  heights / distances drawn from wider ranges; the reported error comes from here;
- ``trunk lean``: held-out subjects whose trunk also leans -8..+8 deg
  (independent of the pelvis), a stress test for lordosis that is not tilt.

Each image is estimated alone and as the mean with its mirror image (the mirror
seen as the opposite side view). The baseline predicts the calibration mean for
everyone: a proxy without skill does no better.

Usage::

    python benchmarks/bench_pelvic_tilt.py --out benchmarks/results/pelvic_tilt.md [--write-model]

``--write-model`` stores the freshly fitted model as the shipped
``posture/standing/pelvic_tilt_model.json``; without it the shipped model is
evaluated too, beside the refit.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from posture.core.view import View
from posture.pose.bundle import ensure_model
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.standing import pelvic_tilt as pt
from posture.synth.body import Phenotype, build_subject, place_on_floor, pose_body
from posture.synth.render import Appearance, render_body
from posture.synth.standing import StandingParams, solve_standing_pose, standing_camera

ROOT = Path(__file__).resolve().parents[1]
TILT_RANGE = (-10.0, 25.0)
ALPHA = 0.01
MIRROR_VIEW = {View.LEFT: View.RIGHT, View.RIGHT: View.LEFT}


@dataclass(frozen=True)
class Split:
    """One seeded set of renders and the ranges its scene parameters are drawn from."""

    name: str
    seed: int
    n: int
    camera_height_m: tuple[float, float]
    distance_m: tuple[float, float]
    trunk_lean_deg: float = 0.0  # drawn uniform in +-this


SPLITS = (
    Split("calibration", 11, 160, (0.8, 1.2), (2.3, 2.9)),
    Split("held-out", 22, 80, (0.7, 1.3), (2.2, 3.2)),
    Split("trunk lean", 33, 40, (0.7, 1.3), (2.2, 3.2), trunk_lean_deg=8.0),
)


@dataclass
class Variant:
    """One detection (original image or its mirror) of a render."""

    xy: np.ndarray
    mask: np.ndarray  # (H, W) bool silhouette
    view: View


@dataclass
class Sample:
    """One render: its true tilt and the detected variants (empty when nobody was found)."""

    tilt_deg: float
    variants: list[Variant]


def random_colour(rng: np.random.Generator) -> tuple[int, int, int]:
    """A BGR colour away from pure black and white."""
    b, g, r = (int(v) for v in rng.integers(20, 236, 3))
    return b, g, r


def sample_scene(rng: np.random.Generator, i: int, split: Split) -> tuple[StandingParams, float]:
    """Random standing parameters (and trunk lean, deg) of render ``i`` of ``split``."""
    phenotype = Phenotype(
        gender=float(rng.uniform()),
        age=float(rng.uniform(0.6, 0.95)),
        muscle=float(rng.uniform(0.2, 0.8)),
        weight=float(rng.uniform(0.15, 0.85)),
        height=float(rng.uniform(0.1, 0.9)),
        proportions=float(rng.uniform(0.2, 0.8)),
    )
    look = Appearance(
        **{
            k: random_colour(rng)
            for k in (
                "skin",
                "shirt",
                "shorts",
                "shoes",
                "hair",
                "floor",
                "background_top",
                "background_bottom",
            )
        }
    )
    params = StandingParams(
        phenotype=phenotype,
        view=("left", "right")[i % 2],
        distance_m=float(rng.uniform(*split.distance_m)),
        camera_height_m=float(rng.uniform(*split.camera_height_m)),
        pelvic_tilt_deg=float(rng.uniform(*TILT_RANGE)),
        knee_flexion_deg=float(rng.uniform(0.0, 6.0)),
        appearance=look,
        seed=split.seed * 1000 + i,
    )
    return params, float(rng.uniform(-1.0, 1.0) * split.trunk_lean_deg)


def render(params: StandingParams, trunk_lean_deg: float) -> np.ndarray:
    """BGR render of ``params`` with the trunk leaning ``trunk_lean_deg`` forward (world)."""
    subject = build_subject(params.phenotype)
    pose = dataclasses.replace(solve_standing_pose(subject, params), trunk_lean=trunk_lean_deg)
    body, _ = place_on_floor(pose_body(subject, pose))
    camera = standing_camera(params)
    return render_body(camera, body.vertices, body.faces, subject.region, params.appearance)


def detect_variants(estimator: PoseEstimator, bgr: np.ndarray, view: View) -> list[Variant]:
    """The subject in the image and in its mirror image (seen as the opposite side view)."""
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    out = []
    for image, v in ((rgb, view), (np.ascontiguousarray(rgb[:, ::-1]), MIRROR_VIEW[view])):
        det = estimator.detect(image)
        if det.count and det.masks:
            out.append(Variant(det.xy_px[0], det.masks[0] > pt.MASK_THRESHOLD, v))  # bool: 4x less memory
    return out


def run_split(estimator: PoseEstimator, split: Split) -> list[Sample]:
    """Render and detect every subject of ``split``."""
    rng = np.random.default_rng(split.seed)
    samples = []
    for i in range(split.n):
        params, lean = sample_scene(rng, i, split)
        bgr = render(params, lean)
        samples.append(Sample(params.pelvic_tilt_deg, detect_variants(estimator, bgr, View(params.view))))
    return samples


def calibration_rows(samples: list[Sample]) -> tuple[np.ndarray, np.ndarray]:
    """Features and true tilts of every usable variant."""
    feats, tilts = [], []
    for s in samples:
        for v in s.variants:
            try:
                feats.append(pt.pelvic_tilt_features(v.xy, v.mask, v.view, pt.LEVELS))
            except pt.UnusableInput:
                continue
            tilts.append(s.tilt_deg)
    return np.array(feats), np.array(tilts)


def predictions(samples: list[Sample], model: pt.TiltModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True tilt, single-image estimate (original image) and mirror-pair mean, NaN where unusable."""
    truth, single, pair = [], [], []
    for s in samples:
        values = [pt.estimate_anterior_pelvic_tilt(v.xy, v.mask, v.view, model).value for v in s.variants]
        known = [x for x in values if x is not None]
        truth.append(s.tilt_deg)
        first = values[0] if values else None
        single.append(np.nan if first is None else first)
        pair.append(np.mean(known) if known else np.nan)
    return np.array(truth), np.array(single), np.array(pair)


def error_stats(truth: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """MAE, RMSE, bias, max |error|, Pearson r over the finite predictions, and the share measured."""
    ok = np.isfinite(pred)
    e = pred[ok] - truth[ok]
    return {
        "n": int(ok.sum()),
        "usable": float(ok.mean()),
        "mae": float(np.mean(np.abs(e))),
        "rmse": float(np.sqrt(np.mean(e**2))),
        "bias": float(np.mean(e)),
        "max": float(np.max(np.abs(e))),
        "r": float(np.corrcoef(pred[ok], truth[ok])[0, 1]),
    }


def baseline_stats(truth: np.ndarray, constant: float, n_all: int) -> dict[str, float]:
    """Errors of always predicting ``constant`` on ``truth`` (a subset of ``n_all`` renders)."""
    e = constant - truth
    return {
        "n": len(truth),
        "usable": len(truth) / n_all,
        "mae": float(np.mean(np.abs(e))),
        "rmse": float(np.sqrt(np.mean(e**2))),
        "bias": float(np.mean(e)),
        "max": float(np.max(np.abs(e))),
        "r": float("nan"),
    }


def table_row(label: str, s: dict[str, float]) -> str:
    """One markdown table row of :func:`error_stats` output."""
    return (
        f"| {label} | {s['n']} ({100 * s['usable']:.0f}%) | {s['mae']:.2f} | {s['rmse']:.2f} | "
        f"{s['bias']:+.2f} | {s['max']:.1f} | {s['r']:.3f} |"
    )


def evaluate(results: dict[str, list[Sample]], model: pt.TiltModel, tag: str) -> list[str]:
    """Table rows for the held-out and stress splits under ``model``."""
    rows = []
    for name in ("held-out", "trunk lean"):
        truth, single, pair = predictions(results[name], model)
        rows.append(table_row(f"{name}, {tag}, single image", error_stats(truth, single)))
        rows.append(table_row(f"{name}, {tag}, image + mirror mean", error_stats(truth, pair)))
        if tag == "refit":
            same = truth[np.isfinite(single)]
            rows.append(
                table_row(
                    f"{name}, baseline (calibration mean), same renders",
                    baseline_stats(same, model.intercept, len(truth)),
                )
            )
    return rows


def rejection_reasons(samples: list[Sample], model: pt.TiltModel) -> list[str]:
    """Why single images were not measured: one line per reason (numbers folded), with counts."""
    reasons: Counter[str] = Counter()
    for s in samples:
        if not s.variants:
            reasons["no person detected"] += 1
            continue
        v = s.variants[0]
        m = pt.estimate_anterior_pelvic_tilt(v.xy, v.mask, v.view, model)
        if not m.known:
            reasons[re.sub(r"-?\d+(\.\d+)?", "#", m.note)] += 1
    return [f"- {n} x {reason}" for reason, n in reasons.most_common()]


def split_line(split: Split, samples: list[Sample]) -> str:
    """One markdown bullet describing ``split`` and how many renders had a person detected."""
    lean = f", trunk lean ±{split.trunk_lean_deg:g}°" if split.trunk_lean_deg else ""
    (h0, h1), (d0, d1) = split.camera_height_m, split.distance_m
    found = sum(bool(x.variants) for x in samples)
    return (
        f"- {split.name}: {split.n} renders (seed {split.seed}), camera height {h0}-{h1} m, "
        f"distance {d0}-{d1} m{lean}; person detected in {found}"
    )


def report(
    results: dict[str, list[Sample]], refit: pt.TiltModel, shipped: pt.TiltModel | None, seconds: float
) -> str:
    """The markdown report."""
    header = [
        "| set, model, input | n used (share) | MAE ° | RMSE ° | bias ° | max ° | r |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = evaluate(results, refit, "refit")
    if shipped is not None:
        rows += evaluate(results, shipped, "shipped")
    splits = "\n".join(split_line(s, results[s.name]) for s in SPLITS)
    return "\n".join(
        [
            "# Anterior pelvic tilt proxy (side view) vs synthetic ground truth",
            "",
            "Produced by `python benchmarks/bench_pelvic_tilt.py`; MediaPipe pose_landmarker_full with "
            f"segmentation; ridge alpha {refit.alpha}, {len(refit.levels)} outline levels "
            f"({refit.n_calibration} calibration variants). Run time {seconds:.0f} s.",
            "",
            f"True tilt uniform in {TILT_RANGE[0]:g}..{TILT_RANGE[1]:g}° (anterior +, from the body model's "
            "neutral pelvis); left and right views alternate; phenotype, clothing and background colours "
            "random per render.",
            "",
            splits,
            "",
            *header,
            *rows,
            "",
            "Errors are estimate minus truth in degrees, over the renders the estimator accepted "
            "(the share is of all renders). The baseline always answers the calibration mean, scored on "
            "the renders the single-image estimate accepted.",
            "",
            "Held-out single images not measured (# = a number):",
            "",
            *rejection_reasons(results["held-out"], refit),
            "",
        ]
    )


def main() -> None:
    """Run the benchmark and write the report (and optionally the shipped model)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/pelvic_tilt.md")
    parser.add_argument("--write-model", action="store_true", help="store the refit as the shipped model")
    args = parser.parse_args()
    start = time.perf_counter()
    with PoseEstimator(ensure_model(), PoseOptions(max_people=1, segmentation=True), video=False) as est:
        results = {s.name: run_split(est, s) for s in SPLITS}
    feats, tilts = calibration_rows(results["calibration"])
    refit = pt.fit_tilt_model(feats, tilts, pt.LEVELS, ALPHA)
    if args.write_model:
        pt.MODEL_PATH.write_text(json.dumps(refit.to_dict(), indent=1) + "\n")
    shipped = None if args.write_model or not pt.MODEL_PATH.exists() else pt.load_tilt_model()
    text = report(results, refit, shipped, time.perf_counter() - start)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
