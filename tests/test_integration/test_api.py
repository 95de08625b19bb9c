"""The public Python API against the command line on the shipped samples (real model, real pixels)."""

from __future__ import annotations

import csv
import json

import cv2
import numpy as np
import pytest

import posture
from posture.cli import main
from tests.conftest import SAMPLES


def _without_time(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "created"}


@pytest.fixture(scope="module")
def photo_cli(tmp_path_factory):
    out = tmp_path_factory.mktemp("api_photo_cli")
    args = ["photo", str(SAMPLES / "stand_front_hipdrop.png"), "--height-cm", "170", "--out", str(out)]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def walk_cli(tmp_path_factory):
    out = tmp_path_factory.mktemp("api_walk_cli")
    args = ["gait", str(SAMPLES / "walk_side.mp4"), "--height-cm", "175", "--out", str(out), "--no-progress"]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def walk():
    return posture.analyse_walk(SAMPLES / "walk_side.mp4", height_cm=175)


def test_standing_check_gives_the_command_numbers_and_writes_nothing(photo_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check = posture.check_standing(SAMPLES / "stand_front_hipdrop.png", height_cm=170)
    assert list(tmp_path.iterdir()) == [] and check.report_path is None
    cli = json.loads((photo_cli / "result.json").read_text())
    assert _without_time(check.doc) == _without_time(cli)
    assert check.view == "front" and check.doc["inputs"] == [str(SAMPLES / "stand_front_hipdrop.png")]
    assert {n: m.to_dict() for n, m in check.measures.items()} == cli["measures"]
    assert [f.to_dict() for f in check.findings] == cli["findings"]
    assert [r.to_dict() for r in check.recommendations] == cli["recommendations"]
    saved_rgb = cv2.imread(str(photo_cli / "annotated.png"))[..., ::-1]
    assert check.annotated.dtype == np.uint8 and np.array_equal(check.annotated, saved_rgb)


def test_standing_check_writes_the_command_files_when_asked(tmp_path):
    out = tmp_path / "o"
    check = posture.check_standing([str(SAMPLES / "stand_front_level.png")], view="front", out=out)
    assert sorted(p.name for p in out.iterdir()) == ["annotated.png", "report.html", "result.json"]
    assert check.report_path == out / "report.html"
    assert _without_time(json.loads((out / "result.json").read_text())) == _without_time(check.doc)
    assert check.doc["provenance"]["settings"]["view"] == "front"


def test_walk_analysis_gives_the_command_numbers(walk, walk_cli):
    cli = json.loads((walk_cli / "result.json").read_text())
    assert _without_time(walk.doc) == _without_time(cli)
    assert walk.view == "side" and walk.report_path is None
    assert [e.to_dict() for e in walk.events] == cli["events"]
    assert walk.spatiotemporal == cli["spatiotemporal"] and walk.symmetry == cli["symmetry"]
    assert walk.foot_strike == cli["foot_strike"]
    rows = list(csv.DictReader((walk_cli / "steps.csv").open()))
    assert len(rows) == len(walk.steps)
    for row, step in zip(rows, walk.steps, strict=True):
        assert row["side"] == step["side"]
        assert float(row["heel_strike_s"]) == step["heel_strike_s"]


def test_walk_foot_tracks_carry_the_events(walk):
    """Each heel strike sits near a low point of its heel track (y down: a local maximum of y)."""
    feet = walk.feet
    assert np.array_equal(feet.time_s, walk.sequence.time_s)
    for side in ("left", "right"):
        assert feet.heel[side].shape == feet.toe[side].shape == (walk.sequence.n_frames, 2)
    strikes = [e for e in walk.events if e.kind == "heel_strike"]
    assert len(strikes) >= 6
    for e in strikes:
        y = feet.heel[str(e.side)][:, 1]
        window = y[max(0, e.frame - 15) : e.frame + 15]  # about half a second either side
        above_floor = np.nanmax(window) - y[e.frame]
        assert above_floor <= 0.25 * np.ptp(window), f"{e} is not at a heel contact"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: posture.check_standing(SAMPLES / "no_such.png"), "no_such.png"),
        (lambda: posture.check_standing(SAMPLES / "stand_front_level.png", view="up"), "view must be one of"),
        (lambda: posture.check_standing([]), "no picture given"),
        (lambda: posture.analyse_walk(SAMPLES / "stand_front_level.png"), "needs a video"),
        (lambda: posture.analyse_walk(SAMPLES / "walk_side.mp4", view="top"), "view must be one of"),
    ],
)
def test_bad_input_raises_a_posture_error(call, message):
    with pytest.raises(posture.PostureError, match=message):
        call()
