"""Bursts and walk recordings keep every pixel and the frame times."""

import cv2
import numpy as np
import pytest

from posture.live.capture import Burst, Recording, measured_fps, next_name, retime
from posture.sources.video import Frame, open_source


def _frames(n, size=(96, 64), seed=0):
    """Noise frames: any lossy step would change them."""
    rng = np.random.default_rng(seed)
    return [Frame(i, i / 25.0, rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)) for i in range(n)]


def test_next_name_follows_the_highest_number(tmp_path):
    assert next_name(tmp_path, "burst") == "burst-001"
    for name in ("burst-001", "burst-007", "burst-x", "walk-020"):
        (tmp_path / name).mkdir()
    (tmp_path / "burst-009.txt").write_text("")  # a file with the same stem counts too
    assert next_name(tmp_path, "burst") == "burst-010"
    assert next_name(tmp_path, "walk") == "walk-021"


def test_burst_saves_its_frames_bit_for_bit(tmp_path):
    frames = _frames(7)
    burst = Burst(tmp_path / "burst-001", size=5)
    for frame in frames[2:]:
        assert not burst.complete
        burst.add(frame)
    assert burst.complete and len(burst.frames) == 5
    paths = burst.save()
    assert [p.name for p in paths] == [f"frame-00000{i}.png" for i in range(2, 7)]
    for path, frame in zip(paths, frames[2:], strict=True):
        np.testing.assert_array_equal(cv2.imread(str(path))[:, :, ::-1], frame.rgb)
    assert not list((tmp_path / "burst-001").glob(".*"))  # no temporary files left behind


def test_recording_is_lossless_with_exact_times(tmp_path):
    frames = _frames(12)
    path = tmp_path / "walk-001" / "walk-001.avi"
    recording = Recording(path, 25.0, (96, 64))
    for frame in frames:
        recording.add(frame)
    assert not path.exists()  # only once finished
    assert recording.finish() == path and recording.indices == list(range(12))
    source = open_source(path)
    back = list(source)
    source.close()
    assert source.info.fps == pytest.approx(25.0) and len(back) == 12
    for got, want in zip(back, frames, strict=True):
        np.testing.assert_array_equal(got.rgb, want.rgb)
        assert got.time_s == pytest.approx(want.time_s, abs=1e-6)


def test_aborted_recording_leaves_nothing(tmp_path):
    recording = Recording(tmp_path / "walk-001.avi", 25.0, (96, 64))
    recording.add(_frames(1)[0])
    recording.abort()
    assert list(tmp_path.iterdir()) == []


def test_camera_recording_is_retimed_to_the_measured_rate(tmp_path):
    """A camera that says 30 fps but delivers 12.5: the file must say 12.5 (same pixels)."""
    frames = [Frame(f.index, f.index / 12.5, f.rgb) for f in _frames(6)]
    recording = Recording(tmp_path / "walk.avi", 30.0, (96, 64), live_camera=True)
    for frame in frames:
        recording.add(frame)
    path = recording.finish()
    source = open_source(path)
    back = list(source)
    source.close()
    assert source.info.fps == pytest.approx(12.5)
    assert all(np.array_equal(a.rgb, b.rgb) for a, b in zip(back, frames, strict=True))
    assert len(list(tmp_path.iterdir())) == 1


def test_retime_keeps_the_frames(tmp_path):
    recording = Recording(tmp_path / "a.avi", 25.0, (96, 64))
    for frame in _frames(3):
        recording.add(frame)
    retime(recording.finish(), 10.0)
    cap = cv2.VideoCapture(str(tmp_path / "a.avi"))
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(10.0) and cap.get(cv2.CAP_PROP_FRAME_COUNT) == 3


@pytest.mark.parametrize(
    ("times", "fps"), [([0.0, 0.1, 0.2, 0.3], 10.0), ([0.0, 0.5], 2.0), ([1.0], None), ([2.0, 2.0], None)]
)
def test_measured_fps(times, fps):
    assert measured_fps(times) == (pytest.approx(fps) if fps else None)
