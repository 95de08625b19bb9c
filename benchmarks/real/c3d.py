"""A small reader for C3D motion-capture files (points, analog channels, parameters).

Enough of the C3D format for the benchmark's trials: Intel (little-endian)
processor type, integer or floating-point data, any number of points and analog
channels. The layout (512-byte blocks):

- header block: parameter block number, point count, analog samples per frame,
  first and last frame (1-based), point scale (negative = float data), data
  start block, analog samples per point frame, frame rate;
- parameter section: groups and parameters (name, type, dimensions, values);
- data section: per frame, ``points x (x, y, z, residual)`` then the analog samples.

Units are those of the file (``POINT:UNITS``, usually mm); times are not stored per
frame: frame ``i`` of the data (0-based) is at ``(first_frame - 1 + i) / rate`` seconds
in the file's own time base, the one its ``EVENT:TIMES`` use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BLOCK = 512
_TYPES = {-1: "S1", 1: "u1", 2: "<i2", 4: "<f4"}


@dataclass(frozen=True)
class C3D:
    """What a C3D file holds.

    Attributes
    ----------
    points : (3, N, T) float
        Point trajectories in the file's units (NaN where the residual marks a gap).
    labels : list of str
        Point labels (``POINT:LABELS``, extended by ``LABELS2`` ...).
    point_rate : float
        Frames per second.
    first_frame : int
        1-based number of the first stored frame.
    analogs : (C, T * n) float
        Scaled analog samples (``(raw - offset) x scale x gen_scale``).
    analog_labels : list of str
    analog_rate : float
    parameters : dict of group -> dict of parameter -> value
    """

    points: np.ndarray
    labels: list[str]
    point_rate: float
    first_frame: int
    analogs: np.ndarray
    analog_labels: list[str]
    analog_rate: float
    parameters: dict[str, dict[str, Any]]

    def point(self, label: str) -> np.ndarray:
        """(T, 3) trajectory of one point by label."""
        return self.points[:, self.labels.index(label), :].T

    @property
    def start_s(self) -> float:
        """Time of the first stored frame in the file's time base (s)."""
        return (self.first_frame - 1) / self.point_rate


def _value(kind: int, dims: list[int], raw: bytes) -> Any:
    if kind == -1:
        if not dims:
            return raw.decode("latin-1")
        if len(dims) == 1:
            return raw.decode("latin-1").rstrip()
        width = dims[0]
        count = int(np.prod(dims[1:]))
        return [raw[i * width : (i + 1) * width].decode("latin-1").strip() for i in range(count)]
    arr = np.frombuffer(raw, dtype=_TYPES[kind]).astype(float if kind == 4 else int)
    if not dims:
        return arr[0]
    return arr.reshape(dims[::-1]) if len(dims) > 1 else arr


def parse_parameters(buf: bytes, start: int) -> dict[str, dict[str, Any]]:
    """Groups and parameters of the parameter section starting at byte ``start``."""
    if buf[start + 3] != 84:
        raise ValueError(f"only Intel C3D files are read here (processor type {buf[start + 3]})")
    groups: dict[int, str] = {}
    params: list[tuple[int, str, Any]] = []
    pos = start + 4
    while True:
        nchar = abs(np.frombuffer(buf, "i1", 1, pos)[0])
        gid = int(np.frombuffer(buf, "i1", 1, pos + 1)[0])
        if nchar == 0:
            break
        name = buf[pos + 2 : pos + 2 + nchar].decode("latin-1").upper()
        field = pos + 2 + nchar
        offset = int(np.frombuffer(buf, "<i2", 1, field)[0])
        body = field + 2
        if gid < 0:
            groups[-gid] = name
        else:
            kind = int(np.frombuffer(buf, "i1", 1, body)[0])
            ndim = buf[body + 1]
            dims = list(buf[body + 2 : body + 2 + ndim])
            size = abs(kind) * int(np.prod(dims)) if dims else abs(kind)
            data = buf[body + 2 + ndim : body + 2 + ndim + size]
            params.append((gid, name, _value(kind, dims, data)))
        if offset == 0:
            break
        pos = field + offset
    out: dict[str, dict[str, Any]] = {g: {} for g in groups.values()}
    for gid, name, value in params:
        out.setdefault(groups.get(gid, str(gid)), {})[name] = value
    return out


def _labels(group: dict[str, Any], base: str, count: int) -> list[str]:
    out: list[str] = []
    for key in [base] + [f"{base}{i}" for i in range(2, 10)]:
        if key in group:
            val = group[key]
            out += [val] if isinstance(val, str) else list(val)
    return out[:count]


def _analog_scale(group: dict[str, Any], n: int) -> tuple[np.ndarray, np.ndarray]:
    gen = float(group.get("GEN_SCALE", 1.0))
    scale = np.resize(np.asarray(group.get("SCALE", [1.0]), float), n) * gen
    offset = np.resize(np.asarray(group.get("OFFSET", [0]), float), n)
    return scale, offset


def read_c3d(path: str | Path) -> C3D:
    """Read a C3D file (see the module docstring)."""
    buf = Path(path).read_bytes()
    if buf[1] != 0x50:
        raise ValueError(f"{path}: not a C3D file")
    words = np.frombuffer(buf, "<i2", 12, 0)
    n_points = int(words[1])
    n_analog_total = int(words[2])
    first, last = int(words[3]), int(words[4])
    scale = float(np.frombuffer(buf, "<f4", 1, 12)[0])
    data_block = int(np.frombuffer(buf, "<u2", 1, 16)[0])
    samples = max(int(words[9]), 1)
    rate = float(np.frombuffer(buf, "<f4", 1, 20)[0])
    params = parse_parameters(buf, (buf[0] - 1) * BLOCK)
    n_frames = last - first + 1
    n_channels = n_analog_total // samples
    fmt = "<f4" if scale < 0 else "<i2"
    per_frame = 4 * n_points + n_analog_total
    raw = np.frombuffer(buf, fmt, n_frames * per_frame, (data_block - 1) * BLOCK).astype(float)
    raw = raw.reshape(n_frames, per_frame)
    pts = raw[:, : 4 * n_points].reshape(n_frames, n_points, 4)
    residual = pts[..., 3]
    xyz = pts[..., :3] * (1.0 if scale < 0 else abs(scale))
    xyz[residual < 0] = np.nan
    ana = raw[:, 4 * n_points :].reshape(n_frames * samples, n_channels).T
    a_scale, a_off = _analog_scale(params.get("ANALOG", {}), n_channels)
    ana = (ana - a_off[:, None]) * a_scale[:, None]
    return C3D(
        points=np.transpose(xyz, (2, 1, 0)),
        labels=_labels(params.get("POINT", {}), "LABELS", n_points),
        point_rate=rate,
        first_frame=first,
        analogs=ana,
        analog_labels=_labels(params.get("ANALOG", {}), "LABELS", n_channels),
        analog_rate=rate * samples,
        parameters=params,
    )
