"""A measured value with its unit, sign convention, uncertainty and meaning."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Measure:
    """One measured quantity.

    Attributes
    ----------
    name
        Stable key, e.g. ``pelvic_obliquity_deg``.
    value
        The estimate, or ``None`` when it could not be measured.
    unit
        ``deg``, ``mm``, ``px``, ``%``, ``ratio``, ``s`` ...
    uncertainty
        One standard deviation of the estimate (same unit), when known.
    meaning
        Plain-language sentence, including the sign convention.
    estimate
        True when the value is a proxy (e.g. anterior pelvic tilt from 2D keypoints).
    note
        Why the value is missing, or how it was obtained.
    """

    name: str
    value: float | None
    unit: str
    uncertainty: float | None = None
    meaning: str = ""
    estimate: bool = False
    note: str = ""

    @property
    def known(self) -> bool:
        """Whether there is a finite value."""
        return self.value is not None and math.isfinite(self.value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (rounded)."""

        out: dict[str, Any] = {
            "value": rounded(self.value),
            "unit": self.unit,
            "uncertainty": rounded(self.uncertainty),
            "meaning": self.meaning,
        }
        if self.estimate:
            out["estimate"] = True
        if self.note:
            out["note"] = self.note
        return out


def finite(x: float | None) -> float | None:
    """``x`` as a float, or ``None`` when it is missing or not finite."""
    return float(x) if x is not None and math.isfinite(x) else None


def rounded(x: float | None, digits: int = 3) -> float | None:
    """``x`` rounded for a result document, or ``None`` when it is missing or not finite."""
    return None if x is None or not math.isfinite(x) else round(float(x), digits)
