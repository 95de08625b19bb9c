"""History on synthetic bodies whose hip drop changes by a known amount (needs the ``synth`` extra)."""

from __future__ import annotations

import cv2
import pytest

pytest.importorskip("anny")

from posture.cli import main  # noqa: E402
from posture.history.compare import compare, load_series  # noqa: E402
from posture.history.db import HistoryDB  # noqa: E402
from posture.synth.render import Appearance  # noqa: E402
from posture.synth.standing import StandingParams, render_standing  # noqa: E402

pytestmark = pytest.mark.slow

#: Session date -> hip height difference (mm, left higher). 0 -> 4 mm is below what one photo can
#: resolve; 0 -> 30 mm (about 7 degrees of obliquity) is well above it.
SESSIONS = {"2026-01-05": 0.0, "2026-02-05": 4.0, "2026-03-05": 30.0}
LOOK = Appearance(room=True, shirt=(30, 140, 40), shorts=(30, 30, 30))


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    root = tmp_path_factory.mktemp("trend")
    db = root / "h.sqlite"
    truth = {}
    for date, mm in SESSIONS.items():
        bgr, t = render_standing(f"hip{mm:g}", StandingParams(hip_height_diff_mm=mm, seed=3, appearance=LOOK))
        path = root / f"{date}.png"
        cv2.imwrite(str(path), bgr)
        truth[date] = t["pelvic_obliquity_deg"]
        code = main(["photo", str(path), "--client", "Trend", "--date", date, "--db", str(db),
                     "--out", str(root / date)])  # fmt: skip
        assert code == 0
    return db, truth


def _obliquity_change(db_path, baseline=None, upto=None):
    with HistoryDB(db_path) as db:
        _, series = load_series(db, "Trend")
    series = [s for s in series if s.name == "pelvic_obliquity_deg"]
    if upto is not None:
        series = [type(s)(s.kind, s.name, s.side, s.unit, s.points[:upto]) for s in series]
    return compare(series, baseline)[0]


def test_small_change_is_not_flagged(stored):
    db, truth = stored
    change = _obliquity_change(db, upto=2)  # first against second session: 4 mm
    assert truth["2026-02-05"] - truth["2026-01-05"] < 1.5
    assert change.verdict == "within uncertainty"


def test_large_change_is_detected(stored):
    db, truth = stored
    change = _obliquity_change(db)  # first against latest: 30 mm
    assert truth["2026-03-05"] - truth["2026-01-05"] > 6
    assert change.verdict == "beyond uncertainty"
    assert change.delta > 0  # the left hip rose, as rendered


def test_history_report_says_so(stored, tmp_path):
    db, _ = stored
    assert main(["history", "Trend", "--db", str(db), "--out", str(tmp_path)]) == 0
    page = (tmp_path / "history.html").read_text()
    row = page[page.index("<code>pelvic_obliquity_deg</code>") :].split("</tr>")[0]
    assert "beyond uncertainty" in row
    assert (
        main(["history", "Trend", "--db", str(db), "--out", str(tmp_path), "--baseline", "2026-02-01"]) == 0
    )
