"""Every bad input gets one line naming the file, a non-zero exit and no partial output."""

import subprocess
import sys

import cv2
import numpy as np
import pytest
from PIL import Image

from posture.cli import main


def _plain_video(path, n_frames=12):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 25.0, (320, 240))
    for i in range(n_frames):
        writer.write(np.full((240, 320, 3), 40 + 10 * i, np.uint8))
    writer.release()


def _truncated_jpeg(path):
    Image.new("RGB", (400, 300), (120, 30, 30)).save(path, quality=90)
    path.write_bytes(path.read_bytes()[:700])


CASES = [
    ("missing.jpg", None, 2, "no such file"),
    ("empty.jpg", lambda p: p.write_bytes(b""), 2, "empty"),
    ("text.jpg", lambda p: p.write_text("not an image"), 2, "not a readable image"),
    ("cut.jpg", _truncated_jpeg, 2, "damaged or truncated"),
    ("tiny.png", lambda p: Image.new("RGB", (1, 1)).save(p), 2, "1x1"),
    ("zero.mp4", lambda p: _plain_video(p, 0), 2, "zero.mp4"),
    ("nobody.mp4", lambda p: _plain_video(p, 12), 3, "no person detected in 12 frame"),
    ("nobody.png", lambda p: Image.new("RGB", (200, 300), (90, 90, 90)).save(p), 3, "no person detected"),
]


@pytest.mark.parametrize(("name", "make", "code", "message"), CASES)
def test_bad_input(tmp_path, capsys, name, make, code, message):
    path = tmp_path / name
    if make is not None:
        make(path)
    out = tmp_path / "out"
    assert main(["landmarks", str(path), "--out", str(out), "--no-progress"]) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0] and message in err[0], err
    assert not out.exists() or list(out.iterdir()) == [], "nothing half-written may be left"


def test_console_script_prints_no_traceback(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_text("nope")
    proc = subprocess.run(
        [sys.executable, "-m", "posture.cli", "landmarks", str(bad), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "bad.jpg: not a readable image" in proc.stderr


def test_output_folder_that_is_a_file_is_refused(tmp_path, capsys):
    clash = tmp_path / "clash"
    clash.write_text("x")
    img = tmp_path / "a.png"
    Image.new("RGB", (100, 100)).save(img)
    assert main(["landmarks", str(img), "--out", str(clash)]) == 2
    assert "output folder is a file" in capsys.readouterr().err


def test_argument_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["landmarks", "x.png", "--max-people", "0"])
    assert info.value.code == 2
    assert "expected 1 or more" in capsys.readouterr().err


def test_missing_camera_lists_what_was_found(tmp_path, capsys):
    assert main(["landmarks", "7", "--out", str(tmp_path / "o"), "--frames", "3"]) == 2
    err = capsys.readouterr().err
    assert "camera 7 cannot be opened; cameras found:" in err
