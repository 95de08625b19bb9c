import csv
import json

import numpy as np

from posture.data.tracking import SubjectChoice
from posture.io.landmarks import CSV_COLUMNS, read_landmarks_json, write_landmarks_csv, write_landmarks_json
from tests.conftest import make_sequence, stencil_person


def _seq():
    xy = np.stack([np.stack([stencil_person(10, 20), stencil_person(300, 40)]) for _ in range(3)])
    xy[2, 0] = np.nan
    return make_sequence(xy)


def test_csv_has_one_row_per_seen_frame_person_landmark(tmp_path):
    path = write_landmarks_csv(_seq(), tmp_path / "landmarks.csv")
    rows = list(csv.DictReader(path.open()))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == (3 * 2 - 1) * 33
    hip = next(r for r in rows if r["landmark"] == "left_hip" and r["track_id"] == "1")
    assert (float(hip["x_px"]), float(hip["y_px"])) == (362.0, 140.0)


def test_json_round_trips(tmp_path):
    seq = _seq()
    path = write_landmarks_json(seq, tmp_path / "landmarks.json", SubjectChoice(1, "test"))
    doc = json.loads(path.read_text())
    assert doc["subject"] == {"track_id": 1, "reason": "test"}
    back = read_landmarks_json(path)
    np.testing.assert_allclose(back.xy_px, seq.xy_px, equal_nan=True)
    np.testing.assert_allclose(back.time_s, seq.time_s, atol=1e-4)
    assert back.track_id.tolist() == [0, 1]


def test_no_temporary_files_are_left(tmp_path):
    write_landmarks_json(_seq(), tmp_path / "landmarks.json")
    assert [p.name for p in tmp_path.iterdir()] == ["landmarks.json"]
