"""Reading still images: EXIF orientation, any common format and bit depth.

Images come back as RGB ``uint8`` arrays of shape (height, width, 3), rotated
upright as the camera's EXIF orientation tag says.
"""

from __future__ import annotations

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


def check_file(path: Path) -> None:
    """Refuse a path that does not exist, is not a file, or is empty."""
    if not path.exists():
        raise InputError("no such file", path)
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
                _check_size(path, *img.size)
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
