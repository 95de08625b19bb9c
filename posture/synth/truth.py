"""The ground-truth schema: ``<name>.truth.json`` beside every synthetic render.

Schema version 1 (keys common to both kinds)::

    {"schema_version": 1, "kind": "standing" | "walking", "name": str, "seed": int,
     "params": {...every generator parameter...},
     "image_size": [width, height],
     "camera": {"view", "fx", "fy", "cx", "cy", "R" (3x3 world->camera), "t",
                "distance_m", "height_m", "roll_deg", "vfov_deg", ...},
     "subject": {"phenotype": {...}, "height_m": float, "hip_width_m": float},
     "conventions": {...units, axes and sign conventions in words...}}

Standing adds ``joints_3d_m``, ``joints_px``, ``pelvic_obliquity_deg``,
``hip_height_diff_mm``, ``pelvic_tilt_deg``, ``leg_length_diff_mm``,
``hip_width_px``; walking adds ``fps``, ``n_frames``, ``duration_s``,
``direction``, ``speed_m_s``, ``cadence_spm``, ``events``, ``steps``,
``summary`` and ``frames`` (see :mod:`posture.synth.walking`).

Floats are rounded to 6 decimals so regenerated files are byte-identical.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

SCHEMA_VERSION = 1
KINDS = ("standing", "walking")
COMMON_KEYS = ("schema_version", "kind", "name", "seed", "params", "image_size", "camera", "subject")
KIND_KEYS = {
    "standing": (
        "joints_3d_m",
        "joints_px",
        "pelvic_obliquity_deg",
        "hip_height_diff_mm",
        "pelvic_tilt_deg",
        "leg_length_diff_mm",
        "hip_width_px",
    ),
    "walking": (
        "fps",
        "n_frames",
        "duration_s",
        "direction",
        "speed_m_s",
        "cadence_spm",
        "events",
        "steps",
        "summary",
        "frames",
    ),
}
CONVENTIONS = {
    "world_axes": "metres; x lateral (subject's left +x in the standing frame), "
    "y depth (subject faces -y when standing), z up; floor plane z = 0",
    "pixels": "u right, v down, origin at the top-left corner of the top-left pixel "
    "(pixel centres at +0.5); u = x_norm * width, v = y_norm * height",
    "camera": "X_cam = R @ X_world + t; OpenCV camera axes (x right, y down, z forward)",
    "roll_deg": "positive: world horizontals appear rotated clockwise (right end lower)",
    "pelvic_obliquity_deg": "angle of the hip-centre line against the horizontal; "
    "positive when the subject's left hip is higher",
    "hip_height_diff_mm": "left hip centre z minus right hip centre z",
    "pelvic_tilt_deg": "sagittal pelvis rotation relative to the anny neutral; anterior +",
    "leg_length_diff_mm": "left minus right (hip-knee + knee-ankle joint-centre lengths)",
    "hip_joint_centre": "head of anny bone upperleg01.L/R",
    "events": "heel_strike: first instant the foot's lowest vertex is within "
    "contact_tolerance_mm of the floor after swing; toe_off: last instant "
    "before swing; time_s from the continuous script, frame = round(time_s*fps)",
}


def to_jsonable(obj: Any, ndigits: int = 6) -> Any:
    """Return ``obj`` with numpy values turned into lists/floats rounded to ``ndigits``."""
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v, ndigits) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v, ndigits) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist(), ndigits)
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        value = round(float(obj), ndigits)
        return 0.0 if value == 0.0 else value
    return obj


def base_truth(
    kind: str, name: str, seed: int, params: dict, image_size: tuple[int, int], camera: dict, subject: dict
) -> dict:
    """Return the keys every truth file shares, in schema order."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": kind,
        "name": name,
        "seed": int(seed),
        "params": params,
        "image_size": [int(image_size[0]), int(image_size[1])],
        "camera": camera,
        "subject": subject,
        "conventions": CONVENTIONS,
    }


def validate_truth(truth: dict) -> list[str]:
    """Return the schema problems of ``truth`` (an empty list when it is valid)."""
    problems = [f"missing key {k!r}" for k in COMMON_KEYS if k not in truth]
    kind = truth.get("kind")
    if kind not in KINDS:
        problems.append(f"kind must be one of {KINDS}, got {kind!r}")
    else:
        problems += [f"missing {kind} key {k!r}" for k in KIND_KEYS[kind] if k not in truth]
    if truth.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"schema_version must be {SCHEMA_VERSION}, got {truth.get('schema_version')!r}")
    return problems


def write_truth(path: str | Path, truth: dict) -> Path:
    """Validate and write ``truth`` as JSON; return the path written."""
    problems = validate_truth(truth)
    if problems:
        raise ValueError("invalid truth: " + "; ".join(problems))
    path = Path(path)
    path.write_text(json.dumps(to_jsonable(truth), indent=1) + "\n", encoding="utf-8")
    return path


def read_truth(path: str | Path) -> dict:
    """Read a ``.truth.json`` file and check its schema."""
    truth = json.loads(Path(path).read_text(encoding="utf-8"))
    problems = validate_truth(truth)
    if problems:
        raise ValueError(f"{path}: invalid truth: " + "; ".join(problems))
    return truth


def truth_path(media_path: str | Path) -> Path:
    """Return ``<name>.truth.json`` beside ``media_path`` (``x.png`` -> ``x.truth.json``)."""
    media_path = Path(media_path)
    return media_path.with_name(media_path.stem + ".truth.json")
