"""Writing annotated videos: the file appears only when closed, with every frame in it."""

from __future__ import annotations

import os

import cv2
import numpy as np
import pytest

from posture.annotate.video import VideoWriter
from posture.errors import PostureError


def _frames(n: int = 3, size: tuple[int, int] = (64, 48)) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    return [rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8) for _ in range(n)]


def _read(path) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    cap.release()
    return frames


def test_a_lossless_video_reads_back_frame_for_frame(tmp_path):
    target = tmp_path / "out.avi"
    writer = VideoWriter(target, 10, (64, 48), codec="FFV1")
    frames = _frames()
    for frame in frames:
        writer.write(frame)
    assert writer.frames == 3
    assert writer.close() == target
    back = _read(target)
    assert len(back) == 3
    assert all((a == b).all() for a, b in zip(back, frames, strict=True))


def test_the_file_appears_only_on_close(tmp_path):
    target = tmp_path / "out.avi"
    writer = VideoWriter(target, 10, (64, 48), codec="FFV1")
    writer.write(_frames(1)[0])
    assert not target.exists()
    writer.close()
    assert os.listdir(tmp_path) == ["out.avi"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_abort_leaves_nothing_behind_and_keeps_an_old_video(tmp_path):
    target = tmp_path / "out.avi"
    target.write_bytes(b"old video")
    writer = VideoWriter(target, 10, (64, 48), codec="FFV1")
    writer.write(_frames(1)[0])
    writer.abort()
    assert os.listdir(tmp_path) == ["out.avi"]
    assert target.read_bytes() == b"old video"


def test_frames_of_another_size_are_resized(tmp_path):
    target = tmp_path / "out.avi"
    writer = VideoWriter(target, 10, (32, 24), codec="FFV1")
    writer.write(np.full((48, 64, 3), 200, np.uint8))
    writer.close()
    (back,) = _read(target)
    assert back.shape == (24, 32, 3)
    assert (back == 200).all()


def test_the_default_mp4_keeps_the_frame_count_and_size(tmp_path):
    target = tmp_path / "out.mp4"
    writer = VideoWriter(target, 25, (64, 48))
    for frame in _frames(5):
        writer.write(frame)
    writer.close()
    cap = cv2.VideoCapture(str(target))
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    fps = cap.get(cv2.CAP_PROP_FPS)
    cap.release()
    assert size == (64, 48) and fps == pytest.approx(25)
    assert len(_read(target)) == 5


def test_an_unknown_codec_is_refused_in_one_line_and_leaves_no_file(tmp_path):
    target = tmp_path / "out.mp4"
    with pytest.raises(PostureError) as info:
        VideoWriter(target, 10, (64, 48), codec="ZZZZ")
    assert info.value.reason == "cannot open a .mp4 video writer (OpenCV has no ZZZZ encoder)"
    assert os.listdir(tmp_path) == []


def test_closing_twice_is_harmless(tmp_path):
    writer = VideoWriter(tmp_path / "out.avi", 10, (64, 48), codec="FFV1")
    writer.write(_frames(1)[0])
    writer.close()
    writer.abort()  # after a close there is no temporary left to remove; the video stays
    assert os.listdir(tmp_path) == ["out.avi"]
