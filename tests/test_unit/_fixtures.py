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


def gait_document(**walk: object) -> dict:
    """A schema-2 result document of a real walking check on a planted walk (no model)."""
    from posture.gait import analyse_gait
    from tests.conftest import planted_walk

    result = analyse_gait(planted_walk(**walk)[0])
    return {"schema_version": 2, **result.check_result().to_document(), **result.to_dict(), "findings": []}


#: A hand-made schema-2 photo result document (front view), as ``posture photo`` writes one.
PHOTO_DOCUMENT: dict = {
    "schema_version": 2,
    "kind": "photo",
    "view": "front",
    "view_reason": "shoulders 0.9 of the torso height apart",
    "measures": {
        "pelvic_obliquity_deg": {"value": 2.5, "unit": "deg", "uncertainty": 0.5, "meaning": ""},
        "hip_height_diff_mm": {"value": -8.25, "unit": "mm", "uncertainty": None, "meaning": ""},
        "anterior_pelvic_tilt_deg": {"value": None, "unit": "deg", "uncertainty": None, "meaning": ""},
    },
    "findings": [{"id": "left_hip_higher", "title": "Left hip higher", "severity": "mild"}],
    "recommendations": [],
    "warnings": ["the picture is tilted 3 degrees; corrected"],
}


def photo_document(source: object, obliquity: float = 2.5, **measures: dict) -> dict:
    """:data:`PHOTO_DOCUMENT` for the picture ``source``, with its pelvic obliquity and other measures."""
    import copy

    doc = copy.deepcopy(PHOTO_DOCUMENT)
    doc["inputs"] = [str(source)]
    doc["provenance"] = {"posture_version": "0.1.0", "settings": {}}
    doc["measures"]["pelvic_obliquity_deg"]["value"] = obliquity
    doc["measures"].update(measures)
    return doc
