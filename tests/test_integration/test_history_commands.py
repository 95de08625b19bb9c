"""``--client`` storage and the history commands on real checks."""

from __future__ import annotations

import csv
import io
import json

import pytest

from posture.cli import main
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Two photo sessions and one gait session of one client, dates stated."""
    root = tmp_path_factory.mktemp("hist")
    db = root / "h.sqlite"
    runs = [
        ["photo", str(SAMPLES / "stand_front_level.png"), "--date", "2026-01-10"],
        ["photo", str(SAMPLES / "stand_front_hipdrop.png"), "--date", "2026-03-10"],
        ["gait", str(SAMPLES / "walk_side.mp4"), "--date", "2026-03-10T10:00", "--no-progress"],
    ]
    for k, run in enumerate(runs):
        assert main([*run, "--client", "Jo <b>&", "--db", str(db), "--out", str(root / f"r{k}")]) == 0
    return root, db


def test_the_stated_date_is_in_the_result_and_the_report_beside_the_time_it_was_made(history):
    root, _ = history
    doc = json.loads((root / "r0" / "result.json").read_text())
    assert doc["taken"] == {"at": "2026-01-10T00:00:00", "from": "stated"}
    assert doc["created"][:4] == "2026" and doc["created"] != doc["taken"]["at"]
    page = (root / "r0" / "report.html").read_text()
    assert "<strong>Taken:</strong> 10 January 2026 (as stated)" in page and "Report made:" in page
    gait = json.loads((root / "r2" / "result.json").read_text())
    assert gait["taken"] == {"at": "2026-03-10T10:00:00", "from": "stated"}
    assert "10 March 2026, 10:00 (as stated)" in (root / "r2" / "report.html").read_text()


def test_clients_lists_the_client_with_the_last_session(history, capsys):
    _, db = history
    assert main(["clients", "--db", str(db)]) == 0
    assert "Jo <b>&    3 session(s)  last 2026-03-10 10:00 (gait)" in capsys.readouterr().out


def test_storing_the_same_file_again_does_not_double_count(history, capsys):
    root, db = history
    args = ["photo", str(SAMPLES / "stand_front_level.png"), "--client", "Jo <b>&", "--db", str(db)]
    assert main([*args, "--date", "2026-01-10", "--out", str(root / "again")]) == 0
    assert "replaced the earlier session" in capsys.readouterr().out
    main(["clients", "--db", str(db)])
    assert "3 session(s)" in capsys.readouterr().out


def test_history_report_has_trends_changes_and_escapes_the_name(history, tmp_path):
    _, db = history
    assert main(["history", "Jo <b>&", "--db", str(db), "--out", str(tmp_path)]) == 0
    page = (tmp_path / "history.html").read_text()
    assert "Jo &lt;b&gt;&amp;" in page and "Jo <b>&" not in page
    pair = page[page.index('<div class="pair">') : page.index("<ul>", page.index('<div class="pair">'))]
    assert 'alt="front view, 10 January 2026"' in pair and 'alt="front view, 10 March 2026"' in pair
    trends = page.count(
        ' over the sessions">'
    )  # photo trends, one panel per measure (one gait session: none)
    assert trends >= 2 and page.count("data:image/png;base64,") == 2 + trends
    assert 'alt="Cadence over the sessions"' not in page
    assert "pelvic_obliquity_deg" in page and ("beyond uncertainty" in page or "within uncertainty" in page)
    assert page.count('">report</a>') == 3


def test_export_csv_and_json_agree(history, capsys):
    _, db = history
    assert main(["export", "Jo <b>&", "--format", "csv", "--db", str(db)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert main(["export", "Jo <b>&", "--format", "json", "--db", str(db)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(rows) == sum(len(s["measures"]) for s in doc["sessions"]) > 20
    assert {r["kind"] for r in rows} == {"photo", "gait"}
    assert {s["taken_from"] for s in doc["sessions"]} == {"stated"}


def test_forget_says_what_it_removed(history, capsys):
    _, db = history
    assert main(["forget", "Jo <b>&", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "removed client 'Jo <b>&'" in out and "3 session(s)" in out
    assert main(["history", "Jo <b>&", "--db", str(db)]) == 2
    assert "no client named" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["history", "Nobody"], "no client named 'Nobody'"),
        (["export", "Nobody"], "no client named"),
        (["forget", "Nobody"], "no client named"),
        (["photo", "samples/stand_front_level.png", "--client", "  "], "client name cannot be empty"),
        (["photo", "samples/stand_front_level.png", "--client", "A", "--date", "last week"], "is not a date"),
        (["history", "A", "--baseline", "2026-13-01"], "is not a date"),
    ],
)
def test_history_mistakes_get_one_line(args, text, capsys, tmp_path):
    assert main([*args, "--db", str(tmp_path / "h.sqlite")]) == 2
    err = capsys.readouterr().err
    assert text in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_database_path_that_is_a_folder_is_refused(tmp_path, capsys):
    assert main(["clients", "--db", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
