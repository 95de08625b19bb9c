import shutil
import subprocess

import cv2
import numpy as np
import pytest

from posture.errors import InputError
from posture.sources.video import _frame_time, open_source


def _write_video(path, n_frames, fps=25.0, size=(160, 120)):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
    for i in range(n_frames):
        frame = np.full((size[1], size[0], 3), (i * 9) % 255, np.uint8)
        writer.write(frame)
    writer.release()


def test_frames_stream_with_container_times(tmp_path):
    path = tmp_path / "clip.mp4"
    _write_video(path, 20, fps=25.0)
    source = open_source(path)
    assert source.info.kind == "video" and source.info.fps == pytest.approx(25.0)
    frames = list(source)
    assert [f.index for f in frames] == list(range(20))
    np.testing.assert_allclose([f.time_s for f in frames], np.arange(20) / 25.0, atol=1e-3)
    assert frames[0].rgb.shape == (120, 160, 3)


def test_max_frames_stops_early(tmp_path):
    path = tmp_path / "clip.mp4"
    _write_video(path, 20)
    assert len(list(open_source(path, max_frames=5))) == 5


def test_zero_frame_video_is_refused(tmp_path):
    path = tmp_path / "empty.mp4"
    _write_video(path, 0)
    with pytest.raises(InputError, match="empty.mp4"):
        list(open_source(path))


def test_text_file_named_mp4_is_refused(tmp_path):
    path = tmp_path / "fake.mp4"
    path.write_text("not a video")
    with pytest.raises(InputError, match="not a readable video"):
        open_source(path)


@pytest.mark.parametrize(
    ("raw_ms", "index", "last", "expected"),
    [
        (40.0, 1, 0.0, 0.040),  # container time wins
        (0.0, 3, 0.08, 0.12),  # no container time: nominal index / fps
        (40.0, 2, 0.05, 0.051),  # never goes backwards
    ],
)
def test_frame_time(raw_ms, index, last, expected):
    assert _frame_time(raw_ms, index, 25.0, last) == pytest.approx(expected)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs the ffmpeg tool to tag a rotation")
def test_rotation_metadata_is_applied(tmp_path):
    """A phone clip stored landscape with a 90-degree display rotation comes out portrait."""
    raw, tagged = tmp_path / "raw.mp4", tmp_path / "tagged.mp4"
    writer = cv2.VideoWriter(str(raw), cv2.VideoWriter.fourcc(*"mp4v"), 25.0, (320, 240))
    for _ in range(5):
        frame = np.zeros((240, 320, 3), np.uint8)
        frame[:40, :80] = (0, 0, 255)  # a red block in the top-left corner (BGR)
        writer.write(frame)
    writer.release()
    cmd = ["ffmpeg", "-loglevel", "error", "-y", "-i", str(raw), "-c", "copy", "-metadata:s:v:0", "rotate=90"]
    subprocess.run([*cmd, str(tagged)], check=True)
    source = open_source(tagged)
    first = next(iter(source))
    assert (source.info.width, source.info.height) == (240, 320) and source.info.rotation_deg in (90, 270)
    assert first.rgb.shape == (320, 240, 3)
    assert first.rgb[-40:, :80, 0].mean() > 100, "the block should be where ffmpeg's own autorotate puts it"


NO_FFMPEG = shutil.which("ffmpeg") is None


@pytest.mark.skipif(NO_FFMPEG, reason="needs the ffmpeg tool to make a variable-rate clip")
def test_variable_frame_rate_uses_the_container_times(tmp_path):
    """Five frames at 25 fps, then five at 10 fps: times must follow the container, not index / fps."""
    raw, vfr = tmp_path / "raw.mp4", tmp_path / "vfr.mp4"
    writer = cv2.VideoWriter(str(raw), cv2.VideoWriter.fourcc(*"mp4v"), 25.0, (160, 120))
    for i in range(10):
        writer.write(np.full((120, 160, 3), 20 * i, np.uint8))
    writer.release()
    pts = "setpts='if(lt(N,5),N/(25*TB),(5/25+(N-5)/10)/TB)'"
    cmd = ["ffmpeg", "-loglevel", "error", "-y", "-i", str(raw), "-vf", pts, "-fps_mode", "vfr"]
    subprocess.run([*cmd, "-c:v", "mpeg4", str(vfr)], check=True)
    times = [f.time_s for f in open_source(vfr)]
    np.testing.assert_allclose(times, [0, 0.04, 0.08, 0.12, 0.16, 0.2, 0.3, 0.4, 0.5, 0.6], atol=0.025)
    assert np.diff(times)[-1] == pytest.approx(0.1, abs=0.025)


def test_stopping_early_and_closing_ends_the_reading_ahead(tmp_path):
    path = tmp_path / "clip.mp4"
    _write_video(path, 30)
    source = open_source(path)
    for frame in source:
        if frame.index == 3:
            break
    source.close()
    assert source._reader is not None and not source._reader._thread.is_alive()


def test_bgr_frames_are_the_rgb_frames_in_opencv_order(tmp_path):
    path = tmp_path / "colour.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 25.0, (160, 120))
    for i in range(6):
        frame = np.zeros((120, 160, 3), np.uint8)
        frame[:, :80] = (200, 40 + 20 * i, 10)  # blue-heavy left half, in BGR
        writer.write(frame)
    writer.release()
    rgb = [f.rgb for f in open_source(path)]
    source = open_source(path)
    bgr = list(source.iter_bgr())
    source.close()
    assert len(bgr) == len(rgb) == 6
    for a, b in zip(rgb, bgr, strict=True):
        np.testing.assert_array_equal(a, b[:, :, ::-1])
    assert bgr[0][60, 20, 0] > 150 > bgr[0][60, 20, 2]  # blue stays in OpenCV's first channel
