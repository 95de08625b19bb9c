"""Regenerate ``samples/``: synthetic standing photos and walking videos with truth files.

Deterministic (fixed parameters and seed): the truth files are byte-identical
from run to run. Needs the ``synth`` extra (anny, torch). Usage::

    python scripts/make_samples.py [--out samples] [--check]

``--check`` runs MediaPipe on every sample and prints detection and hip errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np

from posture.synth.body import Phenotype
from posture.synth.render import Appearance
from posture.synth.standing import StandingParams, render_standing
from posture.synth.truth import truth_path, write_truth
from posture.synth.walking import WalkingParams, render_walk

SEED = 20240601
MALE = Phenotype(gender=0.0, age=0.75, muscle=0.55, weight=0.5, height=0.35)
FEMALE = Phenotype(gender=1.0, age=0.72, muscle=0.45, weight=0.45, height=0.45)
HEAVY = Phenotype(gender=0.2, age=0.85, muscle=0.5, weight=0.8, height=0.4)
BLUE = Appearance()
RED = Appearance(shirt=(50, 50, 170), shorts=(90, 60, 30), skin=(120, 150, 200), hair=(20, 25, 35))
GREEN = Appearance(
    shirt=(60, 130, 60), shorts=(40, 40, 45), skin=(100, 130, 175), hair=(15, 15, 20), floor=(140, 150, 160)
)

STANDING = {
    "stand_front_level": StandingParams(phenotype=MALE, view="front", seed=SEED),
    "stand_front_hipdrop": StandingParams(
        phenotype=FEMALE, view="front", hip_height_diff_mm=15.0, appearance=RED, seed=SEED
    ),
    # The same client weeks later, hips nearly level: the demo's second history session.
    "stand_front_followup": StandingParams(
        phenotype=FEMALE, view="front", hip_height_diff_mm=3.0, appearance=RED, seed=SEED
    ),
    "stand_back_level": StandingParams(phenotype=HEAVY, view="back", appearance=GREEN, seed=SEED),
    "stand_side_tilt": StandingParams(
        phenotype=MALE, view="left", pelvic_tilt_deg=15.0, appearance=RED, seed=SEED
    ),
}
WALKING = {
    "walk_side": WalkingParams(
        phenotype=MALE, view="left", n_strides=4.0, fps=30.0, camera_distance_m=3.6, seed=SEED
    ),
    "walk_front": WalkingParams(
        phenotype=HEAVY,
        view="front",
        n_strides=3.0,
        fps=30.0,
        camera_distance_m=2.2,
        camera_height_m=1.0,
        appearance=RED,
        seed=SEED,
    ),
}


def make_all(out: Path) -> dict[str, Path]:
    """Write every sample and its truth file into ``out``; return media paths by name."""
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, params in STANDING.items():
        image, truth = render_standing(name, params)
        path = out / f"{name}.png"
        cv2.imwrite(str(path), image, [cv2.IMWRITE_PNG_COMPRESSION, 9])
        write_truth(truth_path(path), truth)
        written[name] = path
    for name, wparams in WALKING.items():
        path = out / f"{name}.mp4"
        start = time.perf_counter()
        truth = render_walk(name, wparams, path)
        write_truth(truth_path(path), truth)
        print(f"{name}: {truth['n_frames']} frames in {time.perf_counter() - start:.1f} s")
        written[name] = path
    return written


def check_all(paths: dict[str, Path]) -> None:
    """Print MediaPipe detection and hip-landmark errors for every sample."""
    from posture.synth.check import check_video, detect_image, hip_error, landmarker
    from posture.synth.truth import read_truth

    with landmarker() as lm:
        for name, path in paths.items():
            truth = read_truth(truth_path(path))
            if path.suffix != ".png":
                continue
            pts = detect_image(lm, np.asarray(cv2.imread(str(path)), np.uint8))
            if pts is None:
                print(f"{name}: NOT detected")
                continue
            jp = truth["joints_px"]
            err = hip_error(pts, np.array(jp["left_hip"]), np.array(jp["right_hip"]))
            scale = truth["subject"]["hip_width_m"] * truth["camera"]["fx"] / (truth["camera"]["distance_m"])
            print(
                f"{name}: detected; hip error L {err.left_px:.1f} px, R {err.right_px:.1f} px "
                f"({100 * err.left_px / scale:.0f} %, {100 * err.right_px / scale:.0f} % of "
                f"frontal hip width {scale:.0f} px); swapped L/R "
                f"{err.swapped_left_px:.1f}/{err.swapped_right_px:.1f} px"
            )
    for name, path in paths.items():
        if path.suffix == ".mp4":
            print(name, check_video(path, read_truth(truth_path(path))))


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``make samples``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "samples")
    parser.add_argument("--check", action="store_true", help="run MediaPipe on the samples")
    args = parser.parse_args(argv)
    paths = make_all(args.out)
    sizes = {p.name: p.stat().st_size for p in args.out.iterdir()}
    print(f"samples: {sum(sizes.values()) / 1e6:.2f} MB in {len(sizes)} files")
    if args.check:
        check_all(paths)
    return 0


if __name__ == "__main__":
    sys.exit(main())
