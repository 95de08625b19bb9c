import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from posture.errors import InputError
from posture.sources.image import read_image
from posture.sources.video import open_source


def _gradient(w=120, h=80):
    x = np.linspace(0, 255, w, dtype=np.uint8)
    rgb = np.zeros((h, w, 3), np.uint8)
    rgb[..., 0] = x
    rgb[..., 1] = 255 - x
    rgb[:10, :10, 2] = 255  # a marker in the top-left corner
    return rgb


def _png_header_only(path, width, height):
    """A PNG whose header claims a huge size (no need to hold the pixels)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    idat = b"IDAT" + zlib.compress(b"\x00" * 64)
    data = b"\x89PNG\r\n\x1a\n"
    for body in (chunk, idat, b"IEND"):
        data += struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    path.write_bytes(data)


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".webp", ".bmp", ".tif"])
def test_every_format_reads_as_rgb8(tmp_path, suffix):
    path = tmp_path / f"img{suffix}"
    Image.fromarray(_gradient()).save(path)
    rgb = read_image(path)
    assert rgb.shape == (80, 120, 3) and rgb.dtype == np.uint8
    assert rgb[5, 5, 2] > 200 and rgb[40, 110, 0] > 200


def test_sixteen_bit_grey_is_scaled_to_eight_bits(tmp_path):
    path = tmp_path / "deep.png"
    grey = np.tile(np.linspace(0, 65535, 100, dtype=np.uint16), (70, 1))
    Image.fromarray(grey).save(path)
    rgb = read_image(path)
    assert rgb.shape == (70, 100, 3)
    assert rgb[0, 0, 0] == 0 and rgb[0, -1, 0] == 255 and rgb[0, 50, 1] in (128, 129)


def test_transparent_pixels_become_white(tmp_path):
    path = tmp_path / "alpha.png"
    rgba = np.zeros((70, 70, 4), np.uint8)
    rgba[:35, :, :] = (255, 0, 0, 255)
    Image.fromarray(rgba).save(path)
    rgb = read_image(path)
    assert rgb[10, 10].tolist() == [255, 0, 0] and rgb[60, 10].tolist() == [255, 255, 255]


def test_exif_orientation_is_applied(tmp_path):
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.fromarray(_gradient()).save(path, exif=exif, quality=95)
    rgb = read_image(path)
    assert rgb.shape == (120, 80, 3)
    assert rgb[5, -5, 2] > 200, "the top-left marker should now be top-right"


def _truncated_jpeg(path):
    Image.fromarray(_gradient(400, 300)).save(path, quality=90)
    path.write_bytes(path.read_bytes()[:1500])


BAD_INPUTS = [
    ("missing.jpg", None, "no such file"),
    ("empty.jpg", lambda p: p.write_bytes(b""), "empty"),
    ("text.jpg", lambda p: p.write_text("hello, not an image\n"), "not a readable image"),
    ("cut.jpg", _truncated_jpeg, "damaged or truncated"),
    ("tiny.png", lambda p: Image.new("RGB", (1, 1)).save(p), "only 1x1 pixels"),
    ("bomb.png", lambda p: _png_header_only(p, 40000, 40000), "larger than the 100 MP limit"),
    ("big.png", lambda p: _png_header_only(p, 12000, 10000), "12000x10000 pixels .* over the 100 MP limit"),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_INPUTS)
def test_bad_images_get_a_clear_message_naming_the_file(tmp_path, name, make, message):
    path = tmp_path / name
    if make is not None:
        make(path)
    with pytest.raises(InputError, match=message) as info:
        read_image(path)
    assert name in str(info.value)


def test_unknown_suffix_that_is_neither_image_nor_video(tmp_path):
    path = tmp_path / "notes.xyz"
    path.write_text("plain text")
    with pytest.raises(InputError, match="neither a readable image nor a readable video"):
        open_source(path)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a file"):
        open_source(tmp_path / ".")
