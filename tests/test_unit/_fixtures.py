"""Small helpers shared by the unit tests: drawn landmark sets and black images."""

from __future__ import annotations

import numpy as np

from tests.conftest import stencil_person


def black(height: int = 300, width: int = 300) -> np.ndarray:
    """A black BGR ``uint8`` image."""
    return np.zeros((height, width, 3), np.uint8)


def person(x0: float = 100.0, y0: float = 50.0, scale: float = 1.0) -> np.ndarray:
    """A standing front-view person's (33, 2) pixel landmarks (the conftest stencil)."""
    return stencil_person(x0, y0, scale)


def mirrored(xy: np.ndarray, width: int) -> np.ndarray:
    """Landmarks of the left-right mirrored picture: x becomes ``width - 1 - x``, labels kept."""
    out = xy.copy()
    out[..., 0] = width - 1 - out[..., 0]
    return out


def pixel(image: np.ndarray, xy: np.ndarray | tuple[float, float]) -> tuple[int, ...]:
    """The BGR colour at the pixel nearest ``xy`` (x, y)."""
    x, y = int(round(float(xy[0]))), int(round(float(xy[1])))
    return tuple(int(v) for v in image[y, x])
