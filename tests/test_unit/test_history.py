"""The history database, measure extraction, and the then-versus-now judgement."""

from __future__ import annotations

import json
import sqlite3
import struct
from datetime import datetime, timedelta

import pytest

from posture.errors import InputError
from posture.history.compare import Point, Series, build_series, compare, judge
from posture.history.db import MIGRATIONS, HistoryDB, MeasureRow, default_db_path
from posture.history.extract import content_hash, date_taken, measures_of
from posture.history.store import export_text, store_result

PHOTO = {
    "schema_version": 2,
    "kind": "photo",
    "view": "front",
    "measures": {
        "pelvic_obliquity_deg": {"value": 2.5, "unit": "deg", "uncertainty": 0.5},
        "knee_alignment_deg_left": {"value": 3.0, "unit": "deg", "uncertainty": 1.0, "side": "left"},
        "hip_height_diff_mm": {"value": None, "unit": "mm", "uncertainty": None},
    },
    "findings": [{"id": "left_hip_higher", "title": "Left hip higher", "severity": "mild"}],
    "recommendations": [],
    "provenance": {"posture_version": "0.1.0", "settings": {"view": None}},
}


def _gait_document(**kwargs) -> dict:
    """A real walking check's result document (planted feet, no model)."""
    from posture.gait import analyse_gait
    from tests.conftest import planted_walk

    seq, _ = planted_walk(**kwargs)
    result = analyse_gait(seq, height_cm=170)
    doc = {"schema_version": 2, **result.check_result().to_document(), **result.to_dict()}
    return {**doc, "provenance": {"posture_version": "0.1.0", "settings": {}}}


GAIT = _gait_document()


def _rows(doc):
    return {r.key: r for r in measures_of(doc)}


def test_photo_measures_keep_values_and_their_declared_sides():
    rows = _rows(PHOTO)
    assert set(rows) == {"pelvic_obliquity_deg", "knee_alignment_deg (left)"}
    assert rows["knee_alignment_deg (left)"] == MeasureRow("knee_alignment_deg", "left", 3.0, "deg", 1.0)


def test_gait_measures_are_stored_as_the_check_declares_them():
    from posture.core.result import CheckResult

    check = CheckResult.from_document(GAIT)
    rows = _rows(GAIT)
    assert len(rows) == len(check.known()) > 20
    stance = check.measures["stance_pct_left"]
    assert rows["stance_pct (left)"] == MeasureRow(
        "stance_pct", "left", stance.value, "%", stance.uncertainty
    )
    assert rows["cadence_spm"].unit == "steps/min" and rows["speed_m_s"].unit == "m/s"
    assert rows["stance_time_si_pct"].side is None and rows["stance_time_si_pct"].unit == "%"
    assert rows["heel_strike_share (right)"].value == check.measures["heel_strike_share_right"].value
    assert rows["step_length_m (left)"].unit == "m"
    assert "pelvic_drop_deg (left)" not in rows  # a side view has no pelvic drop


def test_a_gait_document_of_schema_1_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="schema 1 has no measures"):
        measures_of({"schema_version": 1, "kind": "gait", "view": {"view": "side"}})


def test_the_migration_renames_the_walking_measures_of_older_databases(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0])
    con.execute("INSERT INTO clients (name, created_at) VALUES ('Ann', 'x')")
    con.execute(
        "INSERT INTO sessions (client_id, kind, taken_at, taken_from, source, source_sha256, settings,"
        " posture_version, result, stored_at) VALUES (1, 'gait', '2026-01-05T10:00:00', 'stated', 'a.mp4',"
        " 'aa', '{}', '0.1.0', '{}', 'x')"
    )
    for name in ("stance_pct_si", "step_time_si", "heel_strike_pct", "cadence_spm", "stance_pct"):
        con.execute(
            "INSERT INTO measures (session_id, name, side, value, unit) VALUES (1, ?, NULL, 1.0, '%')",
            (name,),
        )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with HistoryDB(path) as db:
        names = sorted(r["name"] for r in db.execute("SELECT name FROM measures"))
        assert db.schema_version == len(MIGRATIONS) == 2
    assert names == [
        "cadence_spm",
        "heel_strike_share",
        "stance_pct",
        "stance_pct_si_pct",
        "step_time_si_pct",
    ]


def test_unknown_document_kind_is_refused():
    with pytest.raises(ValueError, match="'photo' or 'gait'"):
        measures_of({"kind": "landmarks"})


@pytest.mark.parametrize(
    ("then", "now", "verdict"),
    [
        (
            Point(1, datetime(2026, 1, 1), 5.0, 1.0),
            Point(2, datetime(2026, 2, 1), 0.0, 1.0),
            "beyond uncertainty",
        ),
        (
            Point(1, datetime(2026, 1, 1), 2.0, 1.0),
            Point(2, datetime(2026, 2, 1), 0.0, 1.0),
            "within uncertainty",
        ),
        (Point(1, datetime(2026, 1, 1), 2.0, None), Point(2, datetime(2026, 2, 1), 0.0, 1.0), "not judged"),
    ],
)
def test_change_is_judged_against_twice_the_combined_uncertainty(then, now, verdict):
    delta, combined, found = judge(then, now)
    assert delta == now.value - then.value
    assert found == verdict
    if combined is not None:
        assert combined == pytest.approx(2**0.5)


def test_compare_uses_the_chosen_baseline():
    t0 = datetime(2026, 1, 1)
    pts = tuple(Point(k, t0 + timedelta(days=30 * k), v, 0.2) for k, v in enumerate([0.0, 3.0, 3.1]))
    series = [Series("photo", "pelvic_obliquity_deg", None, "deg", pts)]
    first = compare(series)[0]
    assert (first.then.value, first.now.value, first.beyond) == (0.0, 3.1, True)
    later = compare(series, baseline=t0 + timedelta(days=20))[0]
    assert (later.then.value, later.beyond) == (3.0, False)
    assert compare(series, baseline=t0 + timedelta(days=70)) == []  # one point left: nothing to compare


def test_database_is_created_with_wal_foreign_keys_and_the_schema_version(tmp_path):
    db = HistoryDB(tmp_path / "sub" / "h.sqlite")
    assert db.schema_version == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode")[0][0] == "wal"
    assert db.execute("PRAGMA foreign_keys")[0][0] == 1
    db.close()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "h.sqlite"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    con.close()
    with pytest.raises(InputError, match="newer than this posture"):
        HistoryDB(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "h.sqlite"
    path.write_text("hello, this is not sqlite at all " * 100)
    with pytest.raises(InputError, match="not a posture history database"):
        HistoryDB(path)


def _picture(tmp_path, name, content=b"x"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_storing_the_same_file_twice_replaces_the_session(tmp_path):
    src = _picture(tmp_path, "a.png", b"picture one")
    with HistoryDB(tmp_path / "h.sqlite") as db:
        first = store_result(db, PHOTO, "Ann", [src], taken_at=datetime(2026, 1, 1))
        again = store_result(db, {**PHOTO, "view": "back"}, "Ann", [src], taken_at=datetime(2026, 1, 2))
        assert (first.replaced, again.replaced, first.session_id) == (False, True, again.session_id)
        sessions = db.sessions("Ann")
        assert len(sessions) == 1 and sessions[0].view == "back"
        assert len(db.measures(first.session_id)) == 2  # replaced, not added to
        other = store_result(db, PHOTO, "Bob", [src], taken_at=datetime(2026, 1, 1))
        assert other.session_id != first.session_id  # the same file for another client is another session


def test_forget_removes_every_row_of_the_client_and_says_so(tmp_path):
    src = _picture(tmp_path, "a.png")
    with HistoryDB(tmp_path / "h.sqlite") as db:
        store_result(db, PHOTO, "Ann", [src], taken_at=datetime(2026, 1, 1))
        store_result(db, GAIT, "Ann", [_picture(tmp_path, "b.mp4", b"clip")], taken_at=datetime(2026, 1, 2))
        store_result(db, PHOTO, "Bob", [src], taken_at=datetime(2026, 1, 1))
        counts = db.forget("Ann")
        assert counts["sessions"] == 2 and counts["measures"] == len(measures_of(PHOTO)) + len(
            measures_of(GAIT)
        )
        assert [c.name for c in db.clients()] == ["Bob"]
        assert db.execute("SELECT COUNT(*) FROM measures")[0][0] == len(measures_of(PHOTO))
        with pytest.raises(InputError, match="no client named"):
            db.forget("Ann")


@pytest.mark.parametrize(
    "name", ["Robert'); DROP TABLE clients;--", "../../etc/passwd", "<script>x</script>"]
)
def test_hostile_client_names_are_just_names(tmp_path, name):
    src = _picture(tmp_path, "a.png")
    with HistoryDB(tmp_path / "h.sqlite") as db:
        store_result(db, PHOTO, name, [src], taken_at=datetime(2026, 1, 1))
        assert [c.name for c in db.clients()] == [name]
        assert db.integrity_check() == "ok"


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 500])
def test_unusable_client_names_are_refused(tmp_path, name):
    with HistoryDB(tmp_path / "h.sqlite") as db, pytest.raises(InputError, match="client name"):
        store_result(db, PHOTO, name, [_picture(tmp_path, "a.png")])


def test_export_lists_every_measure(tmp_path):
    src = _picture(tmp_path, "a.png")
    with HistoryDB(tmp_path / "h.sqlite") as db:
        store_result(db, PHOTO, "Ann", [src], taken_at=datetime(2026, 1, 1))
        lines = export_text(db, "Ann", "csv").splitlines()
        doc = json.loads(export_text(db, "Ann", "json"))
    assert lines[0].startswith("client,session,taken_at")
    assert len(lines) == 1 + 2
    assert doc["sessions"][0]["measures"][0]["measure"] == "pelvic_obliquity_deg"


def test_series_group_by_kind_name_and_side():
    from posture.history.db import Session

    def session(k, day, kind):
        return Session(k, "Ann", kind, datetime(2026, 1, day), "stated", "x", "h", None, {}, "0", None, "")

    sessions = [session(2, 5, "photo"), session(1, 1, "photo")]
    measures = {
        1: [MeasureRow("knee", "left", 1.0, "deg", 0.1), MeasureRow("knee", "right", 2.0, "deg", 0.1)],
        2: [MeasureRow("knee", "left", 3.0, "deg", 0.1)],
    }
    series = {s.label: s for s in build_series(sessions, measures)}
    assert [p.value for p in series["knee (left)"].points] == [1.0, 3.0]  # oldest first
    assert len(series["knee (right)"].points) == 1


def test_content_hash_depends_on_content_not_name(tmp_path):
    a = _picture(tmp_path, "a.png", b"same")
    b = _picture(tmp_path, "b.png", b"same")
    c = _picture(tmp_path, "c.png", b"other")
    assert content_hash([a]) == content_hash([b]) != content_hash([c])
    assert content_hash([a, c]) != content_hash([c, a])


def test_date_taken_reads_exif_then_falls_back_to_the_file_time(tmp_path):
    from PIL import Image

    path = tmp_path / "p.jpg"
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2025:03:04 10:11:12"
    Image.new("RGB", (80, 80)).save(path, exif=exif)
    assert date_taken(path) == (datetime(2025, 3, 4, 10, 11, 12), "metadata")
    plain = tmp_path / "q.png"
    Image.new("RGB", (80, 80)).save(plain)
    when, origin = date_taken(plain)
    assert origin == "file time" and abs((datetime.now() - when).total_seconds()) < 120


def test_date_taken_reads_the_mp4_movie_header(tmp_path):
    seconds = int((datetime(2024, 6, 1, 12, 0, 0) - datetime(1970, 1, 1)).total_seconds()) + 2082844800
    box = b"\x00\x00\x00\x6cmvhd\x00\x00\x00\x00" + struct.pack(">I", seconds) + b"\x00" * 80
    path = tmp_path / "clip.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 12 + box)
    when, origin = date_taken(path)
    assert origin == "metadata"
    assert when == datetime.fromtimestamp(seconds - 2082844800)


def test_default_database_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("POSTURE_DB", str(tmp_path / "x.sqlite"))
    assert default_db_path() == tmp_path / "x.sqlite"
    monkeypatch.delenv("POSTURE_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_db_path() == tmp_path / "data" / "posture" / "history.sqlite"
