"""Reading still images: EXIF orientation, any common format and bit depth.

Images come back as RGB ``uint8`` arrays of shape (height, width, 3), rotated
upright as the camera's EXIF orientation tag says.
"""

from __future__ import annotations

import errno
import os
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from posture.errors import InputError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"})
#: Largest image accepted, in pixels (a 100-megapixel photo); larger is refused.
MAX_PIXELS = 100_000_000
#: Smallest side accepted, in pixels: below this no body can be resolved.
MIN_SIDE = 64
#: Longest side accepted, in pixels (the pose model's image conversion aborts the process far beyond it).
MAX_SIDE = 16384
#: Most elongated picture accepted (long side / short side); a standing person is about 1:3.
MAX_ASPECT = 10.0


def check_file(path: Path) -> None:
    """Refuse a path that does not exist, is not a file, or is empty.

    A broken symbolic link and a symbolic link loop are named as such, not as a missing file.
    """
    try:
        os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"a broken symbolic link (to {os.readlink(path)!r})", path) from None
        raise InputError("no such file", path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("a symbolic link loop (the link points back to itself)", path) from None
        raise InputError(f"cannot read it ({exc.strerror})", path) from None
    if not path.is_file():
        raise InputError("not a file (expected an image or a video)", path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", path)


def _to_rgb8(img: Image.Image) -> np.ndarray:
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if arr.max(initial=0) > 255 else 255.0
        grey = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(grey[..., None], 3, axis=2)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    return np.asarray(img.convert("RGB"))


def check_frame_size(path: str | Path, width: int, height: int) -> None:
    """Refuse a picture (or video frames) the pose model cannot take: too large, tiny or too elongated.

    Raises
    ------
    InputError
        Over :data:`MAX_PIXELS` or :data:`MAX_SIDE`, under :data:`MIN_SIDE`, or more elongated
        than :data:`MAX_ASPECT` (the model would abort the whole process on such an image).
    """
    _check_size(Path(path), width, height)
    if max(width, height) > MAX_ASPECT * min(width, height):
        raise InputError(
            f"image is {width}x{height} pixels, more elongated than {MAX_ASPECT:g}:1; "
            "crop it to the person first",
            path,
        )
    if max(width, height) > MAX_SIDE:
        raise InputError(
            f"image is {width}x{height} pixels; the longest side may be at most {MAX_SIDE} px: "
            "resize it first",
            path,
        )


def _check_size(path: Path, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise InputError(
            f"image is {width}x{height} pixels ({width * height / 1e6:.0f} MP); "
            f"that is over the {MAX_PIXELS / 1e6:.0f} MP limit: resize it first",
            path,
        )
    if min(width, height) < MIN_SIDE:
        raise InputError(
            f"image is only {width}x{height} pixels; at least {MIN_SIDE} px on each side is needed",
            path,
        )


def read_image(path: str | Path) -> np.ndarray:
    """Read an image file as an upright RGB ``uint8`` array (H, W, 3).

    Accepts JPEG, PNG, WebP, BMP and TIFF; 8 or 16 bit; grey, RGB or RGBA
    (transparent areas are composited on white). Raises :class:`InputError`
    naming the file for anything unreadable, truncated, tiny or huge.
    """
    path = Path(path)
    check_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                check_frame_size(path, *img.size)
                img.load()
                upright = ImageOps.exif_transpose(img)
                return np.ascontiguousarray(_to_rgb8(upright))
    except UnidentifiedImageError as exc:
        raise InputError("not a readable image (expected JPEG, PNG, WebP, BMP or TIFF)", path) from exc
    except Image.DecompressionBombError as exc:
        limit = f"{MAX_PIXELS / 1e6:.0f} MP"
        raise InputError(f"image is larger than the {limit} limit: resize it first", path) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"the image is damaged or truncated ({exc})", path) from exc
