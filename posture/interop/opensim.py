"""OpenSim's text formats: marker trajectories (``.trc``) and joint angles (``.mot``).

Both are tab separated and written atomically. Layouts follow what OpenSim's
``TRCFileAdapter`` and ``STOFileAdapter`` read:

``.trc``::

    PathFileType  4  (X/Y/Z)  markers.trc
    DataRate  CameraRate  NumFrames  NumMarkers  Units  OrigDataRate  OrigDataStartFrame  OrigNumFrames
    30  30  120  33  m  30  1  120
    Frame#  Time  nose  <tab><tab>  left_eye_inner ...
    <tab><tab>  X1  Y1  Z1  X2  Y2  Z2 ...
    <blank line>
    1  0.000000  x  y  z ...

A marker not seen in a frame (any coordinate NaN) has all three X/Y/Z fields
empty; the adapter reads them as NaN.

``.mot`` (OpenSim storage, version 1)::

    angles.mot
    version=1
    nRows=120
    nColumns=9
    inDegrees=yes
    endheader
    time  left_hip_flexion ...
    0.000000  12.3 ...

NaN angles are written as ``NaN``. Neither function converts axes: give
markers already in the model's frame (OpenSim: X forward, Y up, Z to the
subject's right; see :func:`posture.interop.export.opensim_axes`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from posture.io.atomic import atomic_open

#: Decimal places written for coordinates (metres: 0.01 mm) and angles (degrees).
COORD_DECIMALS = 5
ANGLE_DECIMALS = 4
TIME_DECIMALS = 6


def _check_markers(time_s: np.ndarray, markers: np.ndarray, names: Sequence[str]) -> None:
    problems = []
    if markers.ndim != 3 or markers.shape[2] != 3:
        problems.append(f"markers: expected (T, K, 3), got {markers.shape}")
    elif markers.shape[:2] != (len(time_s), len(names)):
        problems.append(f"markers: expected ({len(time_s)}, {len(names)}, 3) from time_s and names, "
                        f"got {markers.shape}")  # fmt: skip
    bad = [n for n in names if not n or any(c.isspace() for c in n)]
    if bad or len(set(names)) != len(names):
        problems.append(f"names: expected unique names without spaces, got {list(names)}")
    if problems:
        raise ValueError("cannot write .trc: " + "; ".join(problems))


def _cell(value: float, decimals: int, missing: str) -> str:
    return f"{value:.{decimals}f}" if np.isfinite(value) else missing


def _trc_header(name: str, n_frames: int, names: Sequence[str], fps: float, units: str) -> list[str]:
    rate = f"{fps:g}"
    keys = ("DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units", "OrigDataRate",
            "OrigDataStartFrame", "OrigNumFrames")  # fmt: skip
    values = (rate, rate, str(n_frames), str(len(names)), units, rate, "1", str(n_frames))
    xyz = [f"{axis}{i}" for i in range(1, len(names) + 1) for axis in "XYZ"]
    return [
        f"PathFileType\t4\t(X/Y/Z)\t{name}",
        "\t".join(keys),
        "\t".join(values),
        "\t".join(["Frame#", "Time"] + [f"{n}\t\t" for n in names]).rstrip("\t"),
        "\t".join(["", ""] + xyz),
        "",
    ]


def write_trc(
    path: str | Path,
    time_s: np.ndarray,
    markers: np.ndarray,
    names: Sequence[str],
    fps: float,
    units: str = "m",
) -> Path:
    """Write marker trajectories as an OpenSim ``.trc`` file.

    Parameters
    ----------
    path : output file
    time_s : (T,) seconds
    markers : (T, K, 3) positions in ``units`` (metres by default), NaN where unseen (a marker
        with any NaN coordinate is written as missing)
    names : K marker names (no spaces), e.g. landmark labels
    fps : frame rate written as DataRate, CameraRate and OrigDataRate
    units : ``m`` or ``mm``

    Returns
    -------
    Path of the written file.
    """
    time_s, markers = np.asarray(time_s, dtype=float), np.asarray(markers, dtype=float)
    _check_markers(time_s, markers, names)
    lines = _trc_header(Path(path).name, len(time_s), names, float(fps), units)
    markers = np.where(np.isfinite(markers).all(axis=2, keepdims=True), markers, np.nan)
    flat = markers.reshape(len(time_s), -1)
    for i, (t, row) in enumerate(zip(time_s, flat, strict=True)):
        cells = [str(i + 1), f"{t:.{TIME_DECIMALS}f}"] + [_cell(v, COORD_DECIMALS, "") for v in row]
        lines.append("\t".join(cells))
    with atomic_open(path, "w", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    return Path(path)


def _check_columns(time_s: np.ndarray, columns: Mapping[str, np.ndarray]) -> None:
    problems = [
        f"{name}: expected ({len(time_s)},), got {np.shape(values)}"
        for name, values in columns.items()
        if np.shape(values) != time_s.shape
    ]
    bad = [n for n in columns if not n or any(c.isspace() for c in n) or n == "time"]
    if bad:
        problems.append(f"column names must be non-empty, without spaces and not 'time': {bad}")
    if problems:
        raise ValueError("cannot write .mot: " + "; ".join(problems))


def write_mot(path: str | Path, time_s: np.ndarray, columns: Mapping[str, np.ndarray]) -> Path:
    """Write joint angles (degrees) as an OpenSim ``.mot`` storage file, ``time`` first.

    Parameters
    ----------
    path : output file
    time_s : (T,) seconds
    columns : ``{name: (T,) degrees}``, written in the mapping's order; NaN is written as ``NaN``

    Returns
    -------
    Path of the written file.
    """
    time_s = np.asarray(time_s, dtype=float)
    _check_columns(time_s, columns)
    names = list(columns)
    data = np.column_stack([np.asarray(columns[n], dtype=float) for n in names]) if names else None
    lines = [Path(path).name, "version=1", f"nRows={len(time_s)}", f"nColumns={len(names) + 1}",
             "inDegrees=yes", "endheader", "\t".join(["time"] + names)]  # fmt: skip
    for i, t in enumerate(time_s):
        values = [] if data is None else [_cell(v, ANGLE_DECIMALS, "NaN") for v in data[i]]
        lines.append("\t".join([f"{t:.{TIME_DECIMALS}f}"] + values))
    with atomic_open(path, "w", newline="\n") as handle:
        handle.write("\n".join(lines) + "\n")
    return Path(path)
