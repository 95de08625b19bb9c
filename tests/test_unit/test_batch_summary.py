"""The batch's summary.csv and index.html: headline numbers per clip, read back from the files."""

from __future__ import annotations

import csv
import os

import pytest

from posture.batch.summary import COLUMNS, HEADLINE, Row, headline, write_index, write_summary_csv
from tests.test_unit._fixtures import PHOTO_DOCUMENT, gait_document

GAIT = gait_document()


def _row(tmp_path, **kw) -> Row:
    base = {"status": "done", "client": "Ann", "kind": "gait", "file": "/clips/walk.mp4",
            "headline": headline(GAIT), "seconds": 12.5, "reason": None,
            "report": str(tmp_path / "walk" / "report.html")}  # fmt: skip
    return Row(**{**base, **kw})


def test_headline_of_a_walk_takes_the_gait_measures_rounded():
    got = headline(GAIT)
    measures = GAIT["measures"]
    assert got == {
        "view": "side",
        "findings": "",
        "cadence_spm": measures["cadence_spm"]["value"],
        "stance_pct_left": measures["stance_pct_left"]["value"],
        "stance_pct_right": measures["stance_pct_right"]["value"],
        "stance_time_si_pct": measures["stance_time_si_pct"]["value"],
    }
    assert got["cadence_spm"] == pytest.approx(60 / 0.55, abs=1.0)  # a step every half 1.1 s cycle


def test_headline_of_a_photo_takes_the_photo_measures_and_none_where_not_measured():
    got = headline(PHOTO_DOCUMENT)
    assert got == {
        "view": "front",
        "findings": "Left hip higher",
        "pelvic_obliquity_deg": 2.5,
        "hip_height_diff_mm": -8.25,
        "anterior_pelvic_tilt_deg": None,
    }


def test_headline_joins_finding_titles():
    doc = {**GAIT, "findings": [{"title": "A"}, {"title": "B"}]}
    assert headline(doc)["findings"] == "A; B"


def test_summary_csv_has_one_row_per_clip_with_the_report_relative_to_the_folder(tmp_path):
    rows = [_row(tmp_path), _row(tmp_path, status="failed", file="b.mp4", headline={}, report=None,
                                 reason="no person found", seconds=None)]  # fmt: skip
    path = write_summary_csv(rows, tmp_path)
    assert path == tmp_path / "summary.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        back = list(csv.DictReader(handle))
    assert list(back[0]) == list(COLUMNS)
    assert back[0]["report"] == "walk/report.html"
    assert back[0]["view"] == "side" and back[0]["pelvic_obliquity_deg"] == ""
    assert float(back[0]["cadence_spm"]) == headline(GAIT)["cadence_spm"]
    assert back[1] == {**dict.fromkeys(COLUMNS, ""), "status": "failed", "client": "Ann", "kind": "gait",
                       "file": "b.mp4", "reason": "no person found"}  # fmt: skip


def test_summary_csv_neutralises_formulas_in_text_but_not_negative_numbers(tmp_path):
    rows = [_row(tmp_path, client='=HYPERLINK("x")', headline={"stance_time_si_pct": -1.7})]
    write_summary_csv(rows, tmp_path)
    with open(tmp_path / "summary.csv", newline="", encoding="utf-8") as handle:
        (back,) = list(csv.DictReader(handle))
    assert back["client"] == '\'=HYPERLINK("x")'
    assert back["stance_time_si_pct"] == "-1.7"


def test_summary_csv_replaces_an_old_one_whole(tmp_path):
    (tmp_path / "summary.csv").write_text("old,content\n" * 100)
    write_summary_csv([_row(tmp_path)], tmp_path)
    lines = (tmp_path / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[0] == ",".join(COLUMNS)
    assert os.listdir(tmp_path) == ["summary.csv"]


def test_index_lists_every_clip_with_a_tally_and_report_links(tmp_path):
    rows = [
        _row(tmp_path),
        _row(tmp_path, status="skipped", file="/clips/again.mp4"),
        _row(
            tmp_path, status="failed", file="/clips/<bad>.mp4", headline={}, report=None, reason="no person"
        ),
    ]
    path = write_index(rows, tmp_path, "Spring <clinic>", {"Ann": tmp_path / "Ann" / "history.html"})
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "index.html"
    assert page.startswith("<!DOCTYPE html>")
    assert "3 file(s): 1 done, 1 failed, 1 skipped" in page
    assert page.count("<tr><td>") == 3
    assert page.count('<a href="walk/report.html">report</a>') == 2
    assert "Spring &lt;clinic&gt;" in page and "&lt;bad&gt;.mp4" in page and "<bad>" not in page
    assert '<a href="Ann/history.html">Ann</a>' in page
    assert f'<td class="num">{headline(GAIT)["cadence_spm"]:.2f}</td>' in page
    assert "no person" in page


def test_index_badges_failures_apart_from_done_clips(tmp_path):
    page = write_index([_row(tmp_path), _row(tmp_path, status="timeout")], tmp_path, "t").read_text()
    assert page.count('<span class="badge confident">done') == 1
    assert page.count('<span class="badge marked">timeout') == 1


def test_index_without_histories_has_no_history_section(tmp_path):
    page = write_index([_row(tmp_path)], tmp_path, "t").read_text(encoding="utf-8")
    assert "Client histories" not in page
    assert page.count("<th>") == 4 + len(HEADLINE) - 1 + 2
