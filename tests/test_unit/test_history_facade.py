"""The history facade on a real temporary SQLite file: add, series, changes, export, report, forget."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime

import pytest

from posture.errors import InputError
from posture.history.facade import History, open_history
from tests.test_unit._fixtures import gait_document, photo_document

JAN, MAR, MAY = datetime(2026, 1, 5), datetime(2026, 3, 5), datetime(2026, 5, 5)


@pytest.fixture
def pictures(tmp_path):
    paths = []
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        path = tmp_path / name
        path.write_bytes(name.encode())  # different contents: different sessions
        paths.append(path)
    return paths


@pytest.fixture
def history(tmp_path):
    with open_history(tmp_path / "h.sqlite") as h:
        yield h


def test_a_new_history_file_is_created_with_its_schema(tmp_path):
    with open_history(tmp_path / "new.sqlite") as h:
        assert h.path == tmp_path / "new.sqlite"
        assert h.schema_version >= 1
        assert h.clients() == []
        assert h.integrity_check() == "ok"
    assert (tmp_path / "new.sqlite").is_file()


def test_create_false_refuses_a_missing_file(tmp_path):
    with pytest.raises(InputError):
        History(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_added_sessions_are_listed_oldest_first_with_their_stated_dates(history, pictures):
    history.add(photo_document(pictures[1], 6.0), "Ann", sources=[pictures[1]], taken_at=MAR)
    history.add(photo_document(pictures[0], 2.5), "Ann", sources=[pictures[0]], taken_at=JAN)
    sessions = history.sessions("Ann")
    assert [s.taken_at for s in sessions] == [JAN, MAR]
    assert [s.taken_from for s in sessions] == ["stated", "stated"]
    assert [s.view for s in sessions] == ["front", "front"]
    assert sessions[0].source == str(pictures[0].resolve())
    (summary,) = history.clients()
    assert (summary.name, summary.sessions, summary.last_taken_at, summary.last_kind) == (
        "Ann",
        2,
        MAR,
        "photo",
    )


def test_sources_default_to_the_documents_inputs(history, pictures):
    history.add(photo_document(pictures[0]), "Ann", taken_at=JAN)
    assert history.sessions("Ann")[0].source == str(pictures[0].resolve())


def test_the_same_sources_again_replace_the_earlier_session(history, pictures):
    first = history.add(photo_document(pictures[0], 2.5), "Ann", sources=[pictures[0]], taken_at=JAN)
    again = history.add(photo_document(pictures[0], 3.0), "Ann", sources=[pictures[0]], taken_at=JAN)
    assert not first.replaced and again.replaced and again.session_id == first.session_id
    (series,) = [s for s in history.series("Ann") if s.name == "pelvic_obliquity_deg"]
    assert [p.value for p in series.points] == [3.0]


def test_series_hold_each_measured_value_with_its_uncertainty_and_skip_unmeasured(history, pictures):
    for path, value, when in zip(pictures[:2], (2.5, 6.0), (JAN, MAR), strict=True):
        history.add(photo_document(path, value), "Ann", sources=[path], taken_at=when)
    series = {s.name: s for s in history.series("Ann")}
    assert set(series) == {"pelvic_obliquity_deg", "hip_height_diff_mm"}  # the tilt has no value
    obliquity = series["pelvic_obliquity_deg"]
    assert (obliquity.kind, obliquity.unit, obliquity.side) == ("photo", "deg", None)
    assert [(p.taken_at, p.value, p.uncertainty) for p in obliquity.points] == [
        (JAN, 2.5, 0.5),
        (MAR, 6.0, 0.5),
    ]


def test_changes_judge_then_against_now_by_the_combined_uncertainty(history, pictures):
    for path, value, when in zip(pictures, (2.5, 3.0, 6.0), (JAN, MAR, MAY), strict=True):
        history.add(photo_document(path, value), "Ann", sources=[path], taken_at=when)
    changes = {c.series.name: c for c in history.changes("Ann")}
    obliquity = changes["pelvic_obliquity_deg"]
    assert (obliquity.then.value, obliquity.now.value, obliquity.delta) == (2.5, 6.0, 3.5)
    assert obliquity.uncertainty == pytest.approx(0.5 * 2**0.5)
    assert obliquity.verdict == "beyond uncertainty" and obliquity.beyond
    assert changes["hip_height_diff_mm"].verdict == "not judged"  # no uncertainty stored
    from_march = {c.series.name: c for c in history.changes("Ann", baseline=MAR)}["pelvic_obliquity_deg"]
    assert from_march.then.value == 3.0


def test_a_small_change_is_within_uncertainty(history, pictures):
    for path, value, when in zip(pictures[:2], (2.5, 3.5), (JAN, MAR), strict=True):
        history.add(photo_document(path, value), "Ann", sources=[path], taken_at=when)
    (change,) = [c for c in history.changes("Ann") if c.series.name == "pelvic_obliquity_deg"]
    assert change.verdict == "within uncertainty"  # 1.0 < 2 x 0.71


def test_csv_export_has_one_row_per_stored_measure(history, pictures):
    history.add(photo_document(pictures[0], 2.5), "Ann", sources=[pictures[0]], taken_at=JAN)
    rows = list(csv.DictReader(io.StringIO(history.export("Ann"))))
    assert [(r["measure"], r["value"], r["unit"], r["uncertainty"]) for r in rows] == [
        ("pelvic_obliquity_deg", "2.5", "deg", "0.5"),
        ("hip_height_diff_mm", "-8.25", "mm", ""),
    ]
    assert {r["taken_at"] for r in rows} == {"2026-01-05T00:00:00"}


def test_json_export_groups_the_measures_by_session(history, pictures):
    history.add(photo_document(pictures[0], 2.5), "Ann", sources=[pictures[0]], taken_at=JAN)
    data = json.loads(history.export("Ann", "json"))
    assert data["client"] == "Ann"
    (session,) = data["sessions"]
    assert session["taken_at"] == "2026-01-05T00:00:00" and session["kind"] == "photo"
    assert {m["measure"]: m["value"] for m in session["measures"]} == {
        "pelvic_obliquity_deg": 2.5,
        "hip_height_diff_mm": -8.25,
    }


def test_an_unknown_export_format_is_refused(history):
    with pytest.raises(ValueError, match="expected format csv or json, got 'xml'"):
        history.export("Ann", "xml")


def test_a_walk_is_stored_with_its_sided_measures(history, pictures):
    doc = {
        **gait_document(),
        "inputs": [str(pictures[0])],
        "provenance": {"posture_version": "0", "settings": {}},
    }
    history.add(doc, "Bob", sources=[pictures[0]], taken_at=JAN)
    series = {s.label: s for s in history.series("Bob")}
    assert series["stance_pct (left)"].kind == "gait"
    assert series["stance_pct (left)"].points[0].value == doc["measures"]["stance_pct_left"]["value"]
    assert "speed_m_s" not in series  # not measured without a height


def test_forget_removes_the_client_and_says_how_much(history, pictures, tmp_path):
    history.add(photo_document(pictures[0]), "Ann", sources=[pictures[0]], taken_at=JAN)
    history.add(photo_document(pictures[1]), "Bea", sources=[pictures[1]], taken_at=JAN)
    assert history.forget("Ann") == {"sessions": 1, "measures": 2, "batch_jobs": 0}
    assert [c.name for c in history.clients()] == ["Bea"]
    with sqlite3.connect(tmp_path / "h.sqlite") as con:
        assert con.execute("SELECT COUNT(*) FROM measures").fetchone()[0] == 2  # only Bea's left


def test_forget_refuses_an_unknown_client(history):
    with pytest.raises(InputError, match="no client named 'Nobody' in the history"):
        history.forget("Nobody")


@pytest.mark.parametrize("name", ["", "   ", "Ann\x07"])
def test_bad_client_names_are_refused(history, pictures, name):
    with pytest.raises(InputError):
        history.add(photo_document(pictures[0]), name, sources=[pictures[0]], taken_at=JAN)
    assert history.clients() == []


def test_write_report_writes_history_html_in_the_folder(history, pictures, tmp_path):
    history.add(photo_document(pictures[0]), "Ann", sources=[pictures[0]], taken_at=JAN)
    path = history.write_report(" Ann ", tmp_path / "rep")
    assert path == tmp_path / "rep" / "history.html"
    assert "<strong>Client:</strong> Ann" in path.read_text(encoding="utf-8")
