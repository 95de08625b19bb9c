"""The client's longitudinal report from a tiny real database."""

from __future__ import annotations

import base64
import re
from datetime import datetime

import cv2
import numpy as np
import pytest

from posture.history.db import HistoryDB
from posture.history.report import render_history, write_history
from posture.history.store import store_result
from tests.test_unit._fixtures import photo_document

JAN, MAR = datetime(2026, 1, 5), datetime(2026, 3, 5)


@pytest.fixture
def db(tmp_path):
    database = HistoryDB(tmp_path / "h.sqlite")
    yield database
    database.close()


def _store(db, tmp_path, name: str, value: float, when: datetime, client: str = "Ann", **kw) -> None:
    source = tmp_path / name
    source.write_bytes(name.encode())
    store_result(db, photo_document(source, value), client, [source], taken_at=when, **kw)


def _images(page: str) -> list[np.ndarray]:
    uris = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    return [cv2.imdecode(np.frombuffer(base64.b64decode(u), np.uint8), cv2.IMREAD_COLOR) for u in uris]


def test_two_sessions_give_a_trend_plot_and_a_then_against_now_table(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN)
    _store(db, tmp_path, "b.jpg", 6.0, MAR)
    page = render_history(db, "Ann", tmp_path)
    assert page.startswith("<!DOCTYPE html>")
    assert "2 session(s), 2026-01-05 to 2026-03-05" in page
    assert "<h2>Standing checks</h2>" in page and "<h2>Walking analyses</h2>" not in page
    plots = _images(page)  # one panel per measure with two sessions: hip line tilt, hip height difference
    assert len(plots) == 2 and all(p is not None and p.shape[0] > 100 and p.shape[1] > 100 for p in plots)
    assert 'alt="Hip line tilt over the sessions"' in page and "Before and after" not in page  # no pictures
    row = re.search(r"<tr><td>Hip line tilt<div><code>pelvic_obliquity_deg</code>.*?</tr>", page).group(0)
    # to the decimals the change's uncertainty (2 x the combined 0.71) supports
    assert "+2.5 (2026-01-05)" in row and "+6.0 (2026-03-05)" in row and "+3.5" in row
    assert "± 1.4" in row
    assert '<span class="badge confident">beyond uncertainty</span>' in row


def test_changes_beyond_uncertainty_come_first(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN)
    _store(db, tmp_path, "b.jpg", 6.0, MAR)
    page = render_history(db, "Ann", tmp_path)
    assert page.index("<code>pelvic_obliquity_deg</code>") < page.index("<code>hip_height_diff_mm</code>")
    assert '<span class="badge plain">not judged</span>' in page


def test_one_session_has_nothing_to_compare_and_no_plot(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN)
    page = render_history(db, "Ann", tmp_path)
    assert "One session so far: nothing to compare yet." in page
    assert _images(page) == []
    assert "1 session(s), 2026-01-05 to 2026-01-05" in page


def test_the_latest_sessions_findings_are_shown(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN)
    page = render_history(db, "Ann", tmp_path)
    assert "Left hip higher" in page and 'class="card mild"' in page


def test_the_sessions_table_names_the_sources_and_links_reports_relative(db, tmp_path):
    report = tmp_path / "runs" / "a" / "report.html"
    _store(db, tmp_path, "a.jpg", 2.5, JAN, report_path=report)
    page = render_history(db, "Ann", tmp_path / "out")
    assert "<td>a.jpg</td>" in page
    assert '<a href="../runs/a/report.html">report</a>' in page


def test_user_text_is_escaped(db, tmp_path):
    _store(db, tmp_path, "<b>.jpg", 2.5, JAN, client="Ann <script>")
    page = render_history(db, "Ann <script>", tmp_path)
    assert "<script>" not in page and "Ann &lt;script&gt;" in page
    assert "&lt;b&gt;.jpg" in page


def test_a_baseline_picks_the_first_session_from_then(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN)
    _store(db, tmp_path, "b.jpg", 6.0, MAR)
    page = render_history(db, "Ann", tmp_path, baseline=datetime(2026, 2, 1))
    assert "Baseline: the first session from 2026-02-01 00:00:00." in page
    assert "One session so far: nothing to compare yet." in page  # only March is after the baseline


def test_write_history_creates_the_folder_and_writes_the_page(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN)
    path = write_history(db, "Ann", tmp_path / "new" / "folder")
    assert path == tmp_path / "new" / "folder" / "history.html"
    assert "Client history" in path.read_text(encoding="utf-8")


def test_one_row_per_measure_and_the_change_in_words():
    from datetime import datetime

    from posture.history.compare import Change, Point, Series
    from posture.history.report import change_in_words, one_row_per_measure

    def change(name, unit, then, now, verdict="beyond uncertainty"):
        points = (Point(1, datetime(2026, 1, 5), then, 0.5), Point(2, datetime(2026, 3, 2), now, 0.5))
        return Change(
            Series("photo", name, None, unit, points), points[0], points[1], now - then, 0.7, verdict
        )

    changes = [
        change("hip_height_diff_px", "px", 20, 4),
        change("hip_height_diff_mm", "mm", 15, 3),
        change("hip_height_diff_pct_hip_width", "%", 6, 1),
        change("pelvic_obliquity_deg", "deg", 4.1, 0.2),
    ]
    kept = [c.series.name for c in one_row_per_measure(changes)]
    assert kept == ["hip_height_diff_mm", "pelvic_obliquity_deg"]
    assert change_in_words(changes[3]) == (
        "Hip line tilt: 3.9 deg nearer level since 5 January 2026 (beyond measurement noise)."
    )
    worse = change("shoulder_tilt_deg", "deg", 0.5, -2.0, "within uncertainty")
    assert change_in_words(worse) == (
        "Shoulder line tilt: 2.5 deg further from level since 5 January 2026 (within measurement noise)."
    )


def _picture(folder, bgr: tuple[int, int, int]):
    """A standing check's output folder with an annotated picture of one colour; its report path."""
    folder.mkdir(parents=True)
    assert cv2.imwrite(str(folder / "annotated.png"), np.full((40, 30, 3), bgr, np.uint8))
    (folder / "report.html").write_text("<html></html>", encoding="utf-8")
    return folder / "report.html"


BLUE, RED = (200, 30, 30), (30, 30, 200)


def test_the_first_and_latest_annotated_pictures_stand_side_by_side_with_their_dates(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN, report_path=_picture(tmp_path / "jan", BLUE))
    _store(db, tmp_path, "b.jpg", 0.5, MAR, report_path=_picture(tmp_path / "mar", RED))
    page = render_history(db, "Ann", tmp_path / "out")
    pair = re.search(r'<div class="pair">(.*?)</div>', page).group(1)
    alts = re.findall(r'<img src="data:image/png;base64,[^"]+" alt="([^"]+)"', pair)
    assert alts == ["front view, 5 January 2026", "front view, 5 March 2026"]
    then, now = _images(pair)
    assert tuple(then[20, 15]) == BLUE and tuple(now[20, 15]) == RED  # the right picture for each date
    said = page[page.index("</div>", page.index('<div class="pair">')) :]
    assert said.startswith("</div><ul><li>Hip line tilt: 2.0 deg nearer level since 5 January 2026")


def test_a_baseline_picks_the_pictures_from_then_on(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN, report_path=_picture(tmp_path / "jan", BLUE))
    _store(db, tmp_path, "b.jpg", 1.5, datetime(2026, 2, 2), report_path=_picture(tmp_path / "feb", RED))
    _store(db, tmp_path, "c.jpg", 0.5, MAR, report_path=_picture(tmp_path / "mar", RED))
    page = render_history(db, "Ann", tmp_path / "out", baseline=datetime(2026, 2, 1))
    assert "2 February 2026 (first from the baseline)" in page and "5 January 2026" not in page


def test_a_picture_that_is_gone_is_one_line_not_a_failure(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN, report_path=_picture(tmp_path / "jan", BLUE))
    _store(db, tmp_path, "b.jpg", 0.5, MAR, report_path=_picture(tmp_path / "mar", RED))
    (tmp_path / "jan" / "annotated.png").unlink()
    page = render_history(db, "Ann", tmp_path / "out")
    pair = re.search(r'<div class="pair">(.*?)</div>', page).group(1)
    gone = tmp_path.resolve() / "jan" / "annotated.png"
    assert f'<p class="gone muted">The picture of 5 January 2026 is no longer at {gone}.</p>' in pair
    (now,) = _images(pair)
    assert tuple(now[20, 15]) == RED


def test_a_session_stored_without_an_output_folder_says_it_kept_no_picture(db, tmp_path):
    _store(db, tmp_path, "a.jpg", 2.5, JAN)
    _store(db, tmp_path, "b.jpg", 0.5, MAR, report_path=_picture(tmp_path / "mar", RED))
    page = render_history(db, "Ann", tmp_path / "out")
    assert "No picture was kept for the session of 5 January 2026" in page
