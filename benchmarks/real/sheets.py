"""Contact sheets for labelling and auditing gait events by eye.

A contact sheet is one PNG of consecutive frames cut from a fixed window of a video, enlarged,
with a pixel grid (thin yellow lines every 10 px, red every 50 px, labelled in full-frame pixel
coordinates) and the frame number in each tile. Use it to place heel strikes and toe offs as
described in ``LABELLING.md``, or to check a label file: ``--labels`` cuts one sheet per event,
from ``frame - before`` to ``frame + after`` in the event's recorded window.

Usage::

    python -m benchmarks.real.sheets sports2d_demo --window 1060 860 1220 960 --frames 72 83 --out /tmp/s.png
    python -m benchmarks.real.sheets sports2d_demo --labels benchmarks/real/labels/sports2d_demo.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np

from benchmarks.real.fetch import fetch


def read_frames(path: Path, first: int, last: int) -> list[np.ndarray]:
    """Frames `first`..`last` (inclusive, 0-based decode order) of a video, as BGR arrays."""
    cap = cv2.VideoCapture(str(path))
    cap.set(cv2.CAP_PROP_POS_FRAMES, first)
    frames = []
    for _ in range(first, last + 1):
        ok, image = cap.read()
        if not ok:
            break
        frames.append(image)
    cap.release()
    return frames


def draw_grid(tile: np.ndarray, x0: int, y0: int, scale: int) -> np.ndarray:
    """Blend a 10 px grid (50 px lines red and labelled) over an enlarged crop whose corner is (x0, y0)."""
    grid = tile.copy()
    h, w = tile.shape[:2]
    for gx in range((x0 // 10 + 1) * 10, x0 + w // scale, 10):
        major = gx % 50 == 0
        u = (gx - x0) * scale
        cv2.line(grid, (u, 0), (u, h), (0, 0, 255) if major else (0, 255, 255), 1)
        if major:
            cv2.putText(grid, str(gx), (u + 2, h - 4), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 255, 255), 1)
    for gy in range((y0 // 10 + 1) * 10, y0 + h // scale, 10):
        major = gy % 50 == 0
        v = (gy - y0) * scale
        cv2.line(grid, (0, v), (w, v), (0, 0, 255) if major else (0, 255, 255), 1)
        if major:
            cv2.putText(grid, str(gy), (2, v - 2), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 255, 255), 1)
    return cv2.addWeighted(grid, 0.45, tile, 0.55, 0)


def contact_sheet(
    frames: list[np.ndarray], first: int, window: tuple[int, int, int, int], scale: int = 3, cols: int = 4
) -> np.ndarray:
    """Tile the `window` (x0, y0, x1, y1 in pixels) of each frame, enlarged `scale` times, `cols` per row."""
    x0, y0, x1, y1 = window
    tiles = []
    for k, image in enumerate(frames):
        crop = cv2.resize(image[y0:y1, x0:x1], None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        tile = draw_grid(crop, x0, y0, scale)
        cv2.rectangle(tile, (0, 0), (62, 26), (0, 0, 0), -1)
        cv2.putText(tile, str(first + k), (3, 21), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
        tiles.append(cv2.copyMakeBorder(tile, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=(255, 255, 255)))
    while len(tiles) % cols:
        tiles.append(np.zeros_like(tiles[0]))
    return np.vstack([np.hstack(tiles[i : i + cols]) for i in range(0, len(tiles), cols)])


def sheets_for_labels(
    video: Path, labels: Path, out_dir: Path, before: int = 6, after: int = 5
) -> list[Path]:
    """One contact sheet per labelled event, around its frame, in the event's recorded window."""
    doc = json.loads(labels.read_text())
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for event in doc.get("events", []):
        first = max(0, event["frame"] - before)
        frames = read_frames(video, first, event["frame"] + after)
        sheet = contact_sheet(frames, first, tuple(event["window_xyxy"]))
        path = out_dir / f"{doc['item']}_{event['frame']:04d}_{event['side']}_{event['kind']}.png"
        cv2.imwrite(str(path), sheet)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """CLI: one sheet for a window and frame range, or one per event of a label file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("item", help="item name in sources.json")
    parser.add_argument("--window", nargs=4, type=int, metavar=("X0", "Y0", "X1", "Y1"))
    parser.add_argument("--frames", nargs=2, type=int, metavar=("FIRST", "LAST"))
    parser.add_argument("--out", type=Path, default=Path("sheet.png"))
    parser.add_argument("--labels", type=Path, help="label JSON: cut one sheet per event")
    parser.add_argument("--out-dir", type=Path, default=Path("sheets"))
    parser.add_argument("--scale", type=int, default=3)
    args = parser.parse_args(argv)
    video = fetch(args.item)
    if args.labels:
        for path in sheets_for_labels(video, args.labels, args.out_dir):
            print(path)
        return 0
    if not (args.window and args.frames):
        parser.error("give --window and --frames, or --labels")
    first, last = args.frames
    sheet = contact_sheet(read_frames(video, first, last), first, tuple(args.window), args.scale)
    cv2.imwrite(str(args.out), sheet)
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
