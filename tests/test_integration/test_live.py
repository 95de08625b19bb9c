"""``posture live`` headless over recordings (real model, real pixels): what it prints and saves
matches ``posture photo`` and ``posture gait`` on the same frames, bit for bit."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys

import cv2
import numpy as np
import pytest

from posture.cli import main
from tests.conftest import SAMPLES

STANDING = SAMPLES / "stand_front_hipdrop.png"


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _run_module_scoped(*args):
    """Run the CLI once for a module-scoped fixture (capsys is per test): exit code and stdout."""
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(list(args))
    return code, stdout.getvalue()


def _decoded(path, first=0, count=None):
    """BGR frames of a video, from ``first``, as OpenCV decodes them."""
    cap = cv2.VideoCapture(str(path))
    frames = []
    while count is None or len(frames) < first + count:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames[first:]


@pytest.fixture(scope="module")
def standing_clip(tmp_path_factory):
    """A 12-frame lossless video of the standing sample (every frame the same picture)."""
    path = tmp_path_factory.mktemp("clip") / "standing.avi"
    picture = cv2.imread(str(STANDING))
    h, w = picture.shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"FFV1"), 30.0, (w, h))
    for _ in range(12):
        writer.write(picture)
    writer.release()
    return path


@pytest.fixture(scope="module")
def burst_run(standing_clip, tmp_path_factory):
    out = tmp_path_factory.mktemp("live_burst")
    sys.modules.pop("posture.live.window", None)
    code, stdout = _run_module_scoped(
        "live", "--camera", str(standing_clip), "--no-window", "--keys", "3:space,9:q,40:r",
        "--height-cm", "170", "--out", str(out),
    )  # fmt: skip
    window_loaded = "posture.live.window" in sys.modules
    return code, stdout, out, window_loaded


def test_burst_runs_headless_without_any_window(burst_run):
    code, _, out, window_loaded = burst_run
    assert code == 0 and not window_loaded
    assert sorted(p.name for p in (out / "burst-001").iterdir()) == [
        "annotated.png",
        *[f"frame-00000{i}.png" for i in range(3, 8)],
        "report.html",
        "result.json",
    ]


def test_burst_frames_are_the_source_frames_pixel_for_pixel(burst_run, standing_clip):
    _, _, out, _ = burst_run
    source = _decoded(standing_clip, 3, 5)
    saved = [cv2.imread(str(out / "burst-001" / f"frame-00000{i}.png")) for i in range(3, 8)]
    assert len(saved) == len(source) == 5
    for got, want in zip(saved, source, strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(saved[0], cv2.imread(str(STANDING)))


def test_burst_prints_and_writes_what_posture_photo_does(burst_run, tmp_path, capsys):
    _, live_out, out, _ = burst_run
    frames = [str(out / "burst-001" / f"frame-00000{i}.png") for i in range(3, 8)]
    code, photo_out, _ = _run(capsys, "photo", *frames, "--height-cm", "170", "--out", str(tmp_path))
    assert code == 0
    photo_lines = photo_out.splitlines()
    assert photo_lines[-1].startswith("  wrote ")  # the only line that names the output folder
    assert "\n".join(photo_lines[:-1]) in live_out
    assert f"  wrote {out / 'burst-001' / 'report.html'}, result.json, annotated.png" in live_out
    live_doc = json.loads((out / "burst-001" / "result.json").read_text())
    photo_doc = json.loads((tmp_path / "result.json").read_text())
    assert live_doc["measures"] == photo_doc["measures"] and live_doc["findings"] == photo_doc["findings"]
    assert live_doc["measures"]["hip_height_diff_mm"]["value"] > 0  # the sample's left hip is higher


def test_quit_key_ends_the_session_and_late_keys_are_named(burst_run):
    _, live_out, out, _ = burst_run
    assert "note: --keys 40:r not reached (quit at frame 9)" in live_out
    rows = list(csv.DictReader((out / "readings.csv").open()))
    assert [int(r["frame"]) for r in rows] == list(range(9))
    assert all(r["view"] == "front" and r["hip_deg"] != "" for r in rows)
    # a still picture: the same angle every frame, so the smoothed value equals it and it is steady
    assert {r["hip_deg"] for r in rows} == {rows[-1]["hip_smooth_deg"]} and rows[-1]["steadiness"] == "1.0"
    assert "standing.avi: 9 frame(s), subject seen in 9;" in live_out
    assert not (out / "walk-001").exists()


@pytest.fixture(scope="module")
def walk_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("live_walk")
    walk = str(SAMPLES / "walk_side.mp4")
    code, stdout = _run_module_scoped(
        "live", "--camera", walk, "--no-window", "--keys", "5:r,125:r", "--out", str(out)
    )
    return code, stdout, out


def test_walk_recording_is_the_source_frames_pixel_for_pixel(walk_run):
    code, live_out, out = walk_run
    assert code == 0
    recording = out / "walk-001" / "walk-001.avi"
    assert f"walk-001: frames 5-124 (120 frames) recorded losslessly in {recording}" in live_out
    cap = cv2.VideoCapture(str(recording))
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(30.0)
    cap.release()
    recorded = _decoded(recording)
    source = _decoded(SAMPLES / "walk_side.mp4", 5, 120)
    assert len(recorded) == len(source) == 120
    assert all(np.array_equal(a, b) for a, b in zip(recorded, source, strict=True))


def test_walk_prints_and_writes_what_posture_gait_does(walk_run, tmp_path, capsys):
    _, live_out, out = walk_run
    recording = out / "walk-001" / "walk-001.avi"
    code, gait_out, _ = _run(capsys, "gait", str(recording), "--out", str(tmp_path), "--no-progress")
    assert code == 0
    gait_lines = gait_out.splitlines()
    assert gait_lines[-1].startswith("  wrote ")
    assert "\n".join(gait_lines[:-1]) in live_out
    live_doc = json.loads((out / "walk-001" / "result.json").read_text())
    gait_doc = json.loads((tmp_path / "result.json").read_text())
    assert live_doc["events"] == gait_doc["events"] and len(live_doc["events"]) >= 8
    assert live_doc["spatiotemporal"] == gait_doc["spatiotemporal"]
    assert (out / "walk-001" / "report.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--camera", "7", "--no-window", "--frames", "5"], "camera 7 cannot be opened; cameras found: "),
        (["--camera", "{tmp}/missing.mp4", "--no-window"], "{tmp}/missing.mp4: no such file"),
        (["--camera", str(STANDING), "--no-window"], "needs a camera index or a video, not a still image"),
        (["--camera", "0", "--no-window"], "--no-window on a camera needs --frames N"),
        (["--camera", "{tmp}/x.mp4", "--no-window", "--keys", "4:x,abc"],
         "--keys '4:x,abc': '4:x': unknown key 'x'; 'abc' is not FRAME:KEY"),
        (["--camera", "{tmp}/x.mp4", "--height-cm", "20", "--no-window"], "--height-cm 20 is not a standing"),
    ],
)  # fmt: skip
def test_bad_input_gets_one_line_and_exit_2(args, message, tmp_path, capsys):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, out, err = _run(capsys, "live", *args, "--out", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith("posture live: error: ") and message.replace("{tmp}", str(tmp_path)) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for X and Wayland")
def test_a_window_without_a_display_is_refused(monkeypatch, standing_clip, tmp_path, capsys):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    code, _, err = _run(capsys, "live", "--camera", str(standing_clip), "--out", str(tmp_path / "out"))
    assert code == 2 and "no display" in err and "--no-window" in err
    assert not (tmp_path / "out").exists()


def test_end_of_source_finishes_open_captures_and_sessions_never_overwrite(standing_clip, tmp_path, capsys):
    out = str(tmp_path)
    args = ["live", "--camera", str(standing_clip), "--no-window", "--out", out]
    code, first, _ = _run(capsys, *args, "--keys", "2:r,6:r,10:space")
    assert code == 0
    assert "walk-001: frames 2-5 (4 frames) recorded losslessly" in first
    assert len(_decoded(tmp_path / "walk-001" / "walk-001.avi")) == 4
    assert "note: burst-001: the source ended after 2 of 5 frames; checking those" in first
    assert sorted(p.name for p in (tmp_path / "burst-001").glob("frame-*.png")) == [
        "frame-000010.png",
        "frame-000011.png",
    ]
    # a second session in the same folder: a new burst, and a failed check does not end the session
    code, second, err = _run(capsys, *args, "--keys", "0:space", "--view", "left")
    assert code == 2
    assert err.startswith("posture live: burst-002: error: ") and "--view left was given" in err
    assert (
        "standing.avi: 12 frame(s), subject seen in 12;" in second
        and "hint: turn sideways (12 frame(s))" in second
    )
    assert (tmp_path / "burst-002" / "frame-000000.png").exists() and (
        tmp_path / "burst-001" / "report.html"
    ).exists()


def test_a_named_client_gets_the_burst_stored_in_the_history(standing_clip, tmp_path, capsys):
    db = tmp_path / "h.sqlite"
    code, out, _ = _run(
        capsys, "live", "--camera", str(standing_clip), "--no-window", "--keys", "2:space", "--client", "Ann",
        "--db", str(db), "--out", str(tmp_path / "live"),
    )  # fmt: skip
    assert code == 0
    assert f"history: stored for 'Ann' in {db}" in out
    from posture.history.db import HistoryDB

    with HistoryDB(db) as history:
        sessions = history.sessions("Ann")
        assert [(s.kind, s.view) for s in sessions] == [("photo", "front")]
        assert sessions[0].report_path.endswith("burst-001/report.html")
