"""Whether a clip can support the walking measures at all.

A heel strike timed on a 10 fps surveillance clip is uncertain by 100 ms, a
third of a stance phase; feet 15 px long cannot show which part lands first.
Rather than report such numbers with a confident face (and findings on top),
:func:`assess_footage` says what the footage cannot support and why, and the
analysis leaves those measures out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class FootageSettings:
    """The least a clip needs.

    Attributes
    ----------
    min_fps
        Frames per second for event timing (at 15 fps a frame is 67 ms, three times
        the 20 ms error peers reach; the sub-frame refinement recovers part of it).
    min_height_px
        The walker's median body height in pixels (below it the feet are a few
        pixels long and the model's foot points wander).
    min_steps_per_side
        Steps of each foot for a left/right comparison (symmetry indices).
    min_steps
        Steps of both feet together for cadence and the per-side summaries.
    """

    min_fps: float = 15.0
    min_height_px: float = 160.0
    min_steps_per_side: int = 2
    min_steps: int = 3


def assess_footage(fps: float, height_px: float, settings: FootageSettings | None = None) -> list[str]:
    """Reasons the clip cannot support event timing at all (empty when it can).

    Parameters
    ----------
    fps
        The clip's frame rate (from its time stamps).
    height_px
        The walker's median body height in pixels (NaN when never seen whole).
    """
    settings = settings or FootageSettings()
    reasons = []
    if not math.isfinite(fps) or fps < settings.min_fps:
        reasons.append(
            f"the frame rate is {fps:.1f} fps: a frame lasts {1000.0 / fps:.0f} ms, too coarse to time heel "
            f"strikes and toe offs (at least {settings.min_fps:g} fps needed; film at 30 fps or more)"
        )
    if not math.isfinite(height_px) or height_px < settings.min_height_px:
        shown = "unknown" if not math.isfinite(height_px) else f"{height_px:.0f} px"
        reasons.append(
            f"the walker is only {shown} tall in the picture: too small to follow the feet "
            f"(at least {settings.min_height_px:g} px needed; film closer or at a higher resolution)"
        )
    return reasons


def step_shortfall(n_left: int, n_right: int, settings: FootageSettings | None = None) -> dict[str, str]:
    """Which step-based measures the number of steps cannot support, and why.

    Returns
    -------
    ``{"symmetry": reason}`` when a foot has fewer than ``min_steps_per_side``
    steps and ``{"cadence": reason}`` when there are fewer than ``min_steps``
    steps in all (the per-side summaries go with cadence).
    """
    settings = settings or FootageSettings()
    out = {}
    if min(n_left, n_right) < settings.min_steps_per_side:
        out["symmetry"] = (
            f"left/right comparison needs at least {settings.min_steps_per_side} steps of each foot "
            f"(found {n_left} left, {n_right} right)"
        )
    if n_left + n_right < settings.min_steps:
        out["cadence"] = f"needs at least {settings.min_steps} steps (found {n_left + n_right})"
    return out
