"""A measured value with its unit, sign convention, uncertainty and meaning."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from posture.data.skeleton import Side


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
    side
        The subject's side the measure belongs to (``left``/``right``), ``None`` for a
        whole-body or left-against-right measure; declared where the measure is made.
    """

    name: str
    value: float | None
    unit: str
    uncertainty: float | None = None
    meaning: str = ""
    estimate: bool = False
    note: str = ""
    side: Side | None = None

    @property
    def quantity(self) -> str:
        """What is measured, without the side: ``stance_pct`` for ``stance_pct_left``."""
        return self.name.removesuffix(f"_{self.side}") if self.side is not None else self.name

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
        if self.side is not None:
            out["side"] = str(self.side)
        if self.estimate:
            out["estimate"] = True
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> Measure:
        """The measure ``name`` from its :meth:`to_dict` form."""
        side = data.get("side")
        return cls(
            name,
            finite(data.get("value")),
            str(data.get("unit", "")),
            finite(data.get("uncertainty")),
            str(data.get("meaning", "")),
            bool(data.get("estimate", False)),
            str(data.get("note", "")),
            Side(side) if side is not None else None,
        )


#: A difference is told from measurement noise only beyond this many uncertainties (one SD each):
#: left against right in a walk, then against now in a client's history.
NOISE_FACTOR = 2.0


def beyond_noise(difference: float, uncertainty: float | None) -> bool | None:
    """Whether ``difference`` is larger than :data:`NOISE_FACTOR` times ``uncertainty``; ``None``
    when it cannot be judged (no finite difference or uncertainty)."""
    if uncertainty is None or not (math.isfinite(difference) and math.isfinite(uncertainty)):
        return None
    return abs(difference) > NOISE_FACTOR * uncertainty


def finite(x: float | None) -> float | None:
    """``x`` as a float, or ``None`` when it is missing or not finite."""
    return float(x) if x is not None and math.isfinite(x) else None


def rounded(x: float | None, digits: int = 3) -> float | None:
    """``x`` rounded for a result document, or ``None`` when it is missing or not finite."""
    return None if x is None or not math.isfinite(x) else round(float(x), digits)
