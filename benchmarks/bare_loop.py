"""The reference for speed: decode a clip and run MediaPipe's pose landmarker on every frame, nothing else.

Run as a script it is a whole process (Python start-up, imports, model load, loop), the
fair counterpart of a ``posture`` command run the same way; it prints the frame count
and the seconds spent in the loop alone.

``--threads N`` gives the model's CPU inference N threads the way ``posture`` does
(MediaPipe's own default on desktop Linux is one).

Usage: python benchmarks/bare_loop.py CLIP [--model PATH] [--num-poses N] [--threads N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "pose_landmarker_full.task"


def bare_loop(
    clip: Path, model: Path = MODEL, num_poses: int = 2, threads: int | None = None
) -> tuple[int, float]:
    """Frames decoded and seconds spent decoding and running the model (model load excluded)."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    if threads is None:
        base = BaseOptions(model_asset_path=str(model))
    else:
        from posture.pose.landmarker import threaded_base_options

        base = threaded_base_options(model, threads)
    options = vision.PoseLandmarkerOptions(
        base_options=base,
        running_mode=vision.RunningMode.VIDEO,
        num_poses=num_poses,
    )
    landmarker = vision.PoseLandmarker.create_from_options(options)
    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    start, n = time.perf_counter(), 0
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        landmarker.detect_for_video(image, int(n * 1000 / fps))
        n += 1
    elapsed = time.perf_counter() - start
    landmarker.close()
    cap.release()
    return n, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", type=Path)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--num-poses", type=int, default=2)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    n, seconds = bare_loop(args.clip, args.model, args.num_poses, args.threads)
    print(f"{n} frames, {seconds:.3f} s in the loop")


if __name__ == "__main__":
    main()
