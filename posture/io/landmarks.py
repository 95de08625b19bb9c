"""``landmarks.csv`` and ``landmarks.json``: the pose sequence as files.

CSV: one row per frame, person and landmark, for the frames a person was seen.
JSON: the same data per frame and person, plus source, model and subject;
:func:`read_landmarks_json` reads it back into a :class:`PoseSequence`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from posture import __version__
from posture.data.sequence import PoseSequence, Provenance, empty_arrays
from posture.data.skeleton import Landmark
from posture.data.tracking import SubjectChoice
from posture.errors import InputError
from posture.io.atomic import atomic_open

SCHEMA_VERSION = 1
CSV_COLUMNS = (
    "frame", "time_s", "track_id", "landmark", "x_px", "y_px", "z",
    "visibility", "presence", "world_x_m", "world_y_m", "world_z_m",
)  # fmt: skip


def _num(value: float, digits: int = 3) -> float | None:
    return None if not np.isfinite(value) else round(float(value), digits)


def write_landmarks_csv(seq: PoseSequence, path: str | Path) -> Path:
    """Write one row per seen (frame, person, landmark); see :data:`CSV_COLUMNS`."""
    seen = seq.seen
    with atomic_open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for t, p in zip(*np.nonzero(seen), strict=True):
            for lm in Landmark:
                x, y = seq.xy_px[t, p, lm]
                wx, wy, wz = seq.world_m[t, p, lm]
                writer.writerow([
                    int(seq.frame_index[t]), f"{seq.time_s[t]:.4f}", int(seq.track_id[p]), lm.label,
                    f"{x:.2f}", f"{y:.2f}", f"{seq.z[t, p, lm]:.4f}",
                    f"{seq.visibility[t, p, lm]:.4f}", f"{seq.presence[t, p, lm]:.4f}",
                    f"{wx:.4f}", f"{wy:.4f}", f"{wz:.4f}",
                ])  # fmt: skip
    return Path(path)


def _person_record(seq: PoseSequence, t: int, p: int) -> dict[str, Any]:
    return {
        "track_id": int(seq.track_id[p]),
        "landmarks": {
            lm.label: {
                "x_px": _num(seq.xy_px[t, p, lm, 0], 2),
                "y_px": _num(seq.xy_px[t, p, lm, 1], 2),
                "z": _num(seq.z[t, p, lm], 4),
                "visibility": _num(seq.visibility[t, p, lm], 4),
                "presence": _num(seq.presence[t, p, lm], 4),
                "world_m": [_num(v, 4) for v in seq.world_m[t, p, lm]],
            }
            for lm in Landmark
        },
    }


def landmarks_document(seq: PoseSequence, subject: SubjectChoice | None) -> dict[str, Any]:
    """Return the JSON-ready description of a sequence."""
    seen = seq.seen
    return {
        "schema_version": SCHEMA_VERSION,
        "posture_version": __version__,
        "source": seq.provenance.source,
        "model": {"name": seq.provenance.model_name, "sha256": seq.provenance.model_sha256},
        "settings": seq.provenance.settings,
        "image_size": {"width": seq.image_size[0], "height": seq.image_size[1]},
        "fps": seq.fps,
        "units": {
            "x_px/y_px": "pixels from the top-left corner, y down",
            "world_m": "metres, origin between the hips",
        },
        "track_ids": seq.track_id.tolist(),
        "subject": None if subject is None else {"track_id": subject.track_id, "reason": subject.reason},
        "frames": [
            {
                "frame": int(seq.frame_index[t]),
                "time_s": round(float(seq.time_s[t]), 4),
                "people": [_person_record(seq, t, p) for p in np.flatnonzero(seen[t])],
            }
            for t in range(seq.n_frames)
        ],
    }


def write_landmarks_json(seq: PoseSequence, path: str | Path, subject: SubjectChoice | None = None) -> Path:
    """Write :func:`landmarks_document` to ``path`` atomically."""
    with atomic_open(path, "w") as handle:
        json.dump(landmarks_document(seq, subject), handle)
    return Path(path)


def _nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


def read_landmarks_json(path: str | Path) -> PoseSequence:
    """Read a ``landmarks.json`` written by :func:`write_landmarks_json`."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text())
        ids = list(doc["track_ids"])
        frames = doc["frames"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a posture landmarks.json ({exc})", path) from exc
    arrays = empty_arrays(len(frames), len(ids))
    for t, frame in enumerate(frames):
        for person in frame["people"]:
            p = ids.index(person["track_id"])
            for lm in Landmark:
                rec = person["landmarks"][lm.label]
                arrays["xy_px"][t, p, lm] = (_nan(rec["x_px"]), _nan(rec["y_px"]))
                arrays["z"][t, p, lm] = _nan(rec["z"])
                arrays["visibility"][t, p, lm] = _nan(rec["visibility"])
                arrays["presence"][t, p, lm] = _nan(rec["presence"])
                arrays["world_m"][t, p, lm] = [_nan(v) for v in rec["world_m"]]
    size = doc["image_size"]
    return PoseSequence(
        time_s=np.array([f["time_s"] for f in frames], dtype=np.float64),
        frame_index=np.array([f["frame"] for f in frames], dtype=np.int64),
        track_id=np.array(ids, dtype=np.int64),
        image_size=(int(size["width"]), int(size["height"])),
        fps=doc["fps"],
        provenance=Provenance(doc["source"], doc["model"]["name"], doc["model"]["sha256"], doc["settings"]),
        **arrays,
    )


def read_landmarks_csv(
    path: str | Path, image_size: tuple[int, int], fps: float | None = None
) -> PoseSequence:
    """Read a ``landmarks.csv`` written by :func:`write_landmarks_csv` (or laid out as it is).

    The CSV holds only frames where someone was seen, and neither the picture size nor
    the frame rate: give ``image_size``; ``fps`` defaults to the one the time stamps show.

    Raises
    ------
    InputError
        A file that is not laid out as :data:`CSV_COLUMNS`, or an unknown landmark name.
    """
    path = Path(path)
    labels = {lm.label: lm for lm in Landmark}
    try:
        with path.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        keys = sorted({(int(r["frame"]), float(r["time_s"])) for r in rows})
        ids = sorted({int(r["track_id"]) for r in rows})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"not a posture landmarks.csv ({exc})", path) from exc
    frame_row = {frame: t for t, (frame, _) in enumerate(keys)}
    arrays = empty_arrays(len(keys), len(ids))
    for r in rows:
        if r["landmark"] not in labels:
            raise InputError(f"not a posture landmarks.csv (unknown landmark {r['landmark']!r})", path)
        t, p, lm = frame_row[int(r["frame"])], ids.index(int(r["track_id"])), labels[r["landmark"]]
        arrays["xy_px"][t, p, lm] = (float(r["x_px"]), float(r["y_px"]))
        arrays["z"][t, p, lm] = float(r["z"])
        arrays["visibility"][t, p, lm] = float(r["visibility"])
        arrays["presence"][t, p, lm] = float(r["presence"])
        arrays["world_m"][t, p, lm] = (float(r["world_x_m"]), float(r["world_y_m"]), float(r["world_z_m"]))
    time_s = np.array([t for _, t in keys], dtype=np.float64)
    if fps is None and len(time_s) > 1:  # frames with nobody seen are not in the file: the median step
        step = float(np.median(np.diff(time_s)))
        frames = np.diff(np.array([f for f, _ in keys])).astype(float)
        fps = float(np.median(frames) / step) if step > 0 else None
    return PoseSequence(
        time_s=time_s,
        frame_index=np.array([f for f, _ in keys], dtype=np.int64),
        track_id=np.array(ids, dtype=np.int64),
        image_size=(int(image_size[0]), int(image_size[1])),
        fps=fps,
        provenance=Provenance(str(path), "unknown (read from CSV)", "", {}),
        **arrays,
    )
