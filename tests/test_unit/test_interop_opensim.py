"""OpenSim .trc / .mot writers and the angles CSV, read back by real parsers of the formats.

``.trc`` files are read with trc-data-reader (``trc`` on PyPI, a published TRC parser) where it
can, and with :func:`read_trc_like_opensim`, which applies the reading rules of OpenSim's
``TRCFileAdapter`` (tab-delimited; header keys checked; empty X/Y/Z fields read as NaN), because
the opensim wheel needs numpy>=2 and trc-data-reader splits on any whitespace, so it cannot read
empty (missing) fields. ``.mot`` files are read with pandas from the documented storage layout.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from posture.interop.opensim import write_mot, write_trc
from posture.io.angles import CYCLE_COLUMNS, write_angles_csv, write_cycles_csv

TRC_KEYS = ["DataRate", "CameraRate", "NumFrames", "NumMarkers", "Units", "OrigDataRate",
            "OrigDataStartFrame", "OrigNumFrames"]  # fmt: skip


def read_trc_like_opensim(path: Path) -> tuple[dict[str, str], list[str], np.ndarray, np.ndarray]:
    """Parse a .trc file by OpenSim TRCFileAdapter's rules: (metadata, names, time (T,), (T, K, 3))."""
    lines = path.read_text().split("\n")
    assert lines[0].split("\t")[0] == "PathFileType"
    keys = [k for k in lines[1].split("\t") if k]
    values = [v for v in lines[2].split("\t") if v]
    assert keys == TRC_KEYS and len(values) == len(keys)
    meta = dict(zip(keys, values, strict=True))
    n_markers = int(meta["NumMarkers"])
    labels = [c for c in lines[3].split("\t") if c]
    assert labels[:2] == ["Frame#", "Time"] and len(labels) == n_markers + 2
    xyz = [c for c in lines[4].split("\t") if c]
    assert xyz == [f"{a}{i}" for i in range(1, n_markers + 1) for a in "XYZ"]
    rows = lines[5:]
    while rows and not rows[0]:
        rows.pop(0)  # blank lines between header and data are skipped
    times, data = [], []
    for row in rows:
        if not row:
            break  # an empty line ends the data
        cells = row.split("\t")
        assert len(cells) == 3 * n_markers + 2
        times.append(float(cells[1]))
        data.append([float(c) if c else np.nan for c in cells[2:]])
    return meta, labels[2:], np.array(times), np.array(data).reshape(len(times), n_markers, 3)


def read_mot(path: Path):
    """Read an OpenSim storage file with pandas: (header dict, DataFrame); skips without pandas."""
    pd = pytest.importorskip(
        "pandas", reason="pandas is in the research extra: pip install 'posture[research]'"
    )

    lines = path.read_text().split("\n")
    end = lines.index("endheader")
    header = dict(line.split("=", 1) for line in lines[1:end] if "=" in line)
    return header, pd.read_csv(path, sep="\t", skiprows=end + 1)


def _markers(n_t: int = 5, n_k: int = 3) -> np.ndarray:
    return np.arange(n_t * n_k * 3, dtype=float).reshape(n_t, n_k, 3) / 7.0 - 1.0


def test_trc_read_by_trc_data_reader(tmp_path: Path) -> None:
    trc = pytest.importorskip(
        "trc", reason="trc-data-reader is in the research extra: pip install 'posture[research]'"
    )
    time_s, markers = np.arange(5) / 30.0, _markers()
    path = write_trc(tmp_path / "m.trc", time_s, markers, ["left_hip", "left_knee", "nose"], fps=30.0)
    data = trc.TRCData()
    data.load(str(path))
    assert data["Markers"] == ["left_hip", "left_knee", "nose"]
    assert (data["NumFrames"], data["NumMarkers"], data["DataRate"], data["Units"]) == (5, 3, 30.0, "m")
    assert data["Frame#"] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose(data["Time"], time_s, atol=1e-6)
    np.testing.assert_allclose(np.array(data["left_knee"]), markers[:, 1], atol=1e-5)


def test_trc_missing_markers_are_empty_fields_read_as_nan(tmp_path: Path) -> None:
    time_s, markers = np.arange(5) / 25.0, _markers()
    markers[2, 1] = np.nan
    markers[4, 0] = np.nan
    path = write_trc(tmp_path / "m.trc", time_s, markers, ["a", "b", "c"], fps=25)
    meta, names, t, back = read_trc_like_opensim(path)
    assert meta == {"DataRate": "25", "CameraRate": "25", "NumFrames": "5", "NumMarkers": "3", "Units": "m",
                    "OrigDataRate": "25", "OrigDataStartFrame": "1", "OrigNumFrames": "5"}  # fmt: skip
    assert names == ["a", "b", "c"]
    np.testing.assert_allclose(t, time_s, atol=1e-6)
    np.testing.assert_allclose(back, markers, atol=1e-5)  # NaN where NaN
    assert "\t\t\t\t" in path.read_text().split("\n")[8]  # frame 3: marker b's three fields are empty


def test_trc_refuses_bad_shapes_and_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"expected \(4, 3, 3\) from time_s and names, got \(5, 3, 3\)"):
        write_trc(tmp_path / "m.trc", np.arange(4.0), _markers(), ["a", "b", "c"], fps=30)
    with pytest.raises(ValueError, match="without spaces"):
        write_trc(tmp_path / "m.trc", np.arange(5.0), _markers(), ["a", "b c", "a"], fps=30)
    assert not (tmp_path / "m.trc").exists()


def test_mot_header_and_values(tmp_path: Path) -> None:
    time_s = np.arange(4) / 50.0
    knee = np.array([5.0, 12.5, np.nan, -3.25])
    path = write_mot(tmp_path / "a.mot", time_s, {"left_knee_flexion": knee, "trunk": np.full(4, 88.0)})
    header, table = read_mot(path)
    assert path.read_text().split("\n")[0] == "a.mot"
    assert header == {"version": "1", "nRows": "4", "nColumns": "3", "inDegrees": "yes"}
    assert list(table.columns) == ["time", "left_knee_flexion", "trunk"]
    np.testing.assert_allclose(table["time"], time_s)
    np.testing.assert_allclose(table["left_knee_flexion"], knee)  # NaN read back as NaN
    with pytest.raises(ValueError, match=r"trunk: expected \(4,\), got \(3,\)"):
        write_mot(tmp_path / "b.mot", time_s, {"trunk": np.zeros(3)})


def test_angles_and_cycles_csv(tmp_path: Path) -> None:
    time_s = np.array([0.0, 0.04])
    path = write_angles_csv(tmp_path / "angles.csv", time_s, {"left_knee_flexion": np.array([10.0, np.nan])})
    rows = list(csv.reader(path.open()))
    assert rows == [["time_s", "left_knee_flexion_deg"], ["0.0000", "10.000"], ["0.0400", ""]]
    mean, sd = np.linspace(0, 100, 101), np.full(101, 2.0)
    path = write_cycles_csv(tmp_path / "c.csv", {"left_knee_flexion": (mean, sd, 3)})
    rows = list(csv.reader(path.open()))
    assert tuple(rows[0]) == CYCLE_COLUMNS and len(rows) == 102
    assert rows[51] == ["left_knee_flexion", "50", "50.000", "2.000", "3"]
