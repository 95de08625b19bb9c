"""posture: offline posture and symmetry analysis from photos and video.

The public API::

    import posture
    seq = posture.load_pose("samples/stand_front_level.png")   # -> PoseSequence
    check = posture.check_standing("samples/stand_front_hipdrop.png", height_cm=170)  # -> StandingCheck
    walk = posture.analyse_walk("samples/walk_side.mp4", height_cm=175)  # -> WalkAnalysis
    posture.analyse_gait(seq)                      # landmarks from any source -> GaitResult
    posture.check_standing_landmarks(seq)          # the standing landmark measures -> CheckResult
    with posture.open_history("clients.sqlite") as db:                  # -> History
        db.add(check, "Ann", taken_at=datetime(2026, 1, 5))

Names are imported on first use, so ``import posture`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "CheckResult",
    "GaitSettings",
    "StandingSettings",
    "analyse_gait",
    "check_standing_landmarks",
    "History",
    "HistoryDB",
    "Landmark",
    "PoseSequence",
    "PostureError",
    "Side",
    "SIDE_PAIRS",
    "StandingCheck",
    "WalkAnalysis",
    "analyse_walk",
    "check_standing",
    "open_history",
    "load_pose",
    "select_subject",
    "__version__",
]

if TYPE_CHECKING:
    from posture.api import StandingCheck, WalkAnalysis, analyse_walk, check_standing
    from posture.core.result import CheckResult
    from posture.data.sequence import PoseSequence
    from posture.data.skeleton import SIDE_PAIRS, Landmark, Side
    from posture.data.tracking import select_subject
    from posture.errors import PostureError
    from posture.gait.check import analyse_gait
    from posture.gait.settings import GaitSettings
    from posture.history.db import HistoryDB
    from posture.history.facade import History, open_history
    from posture.pose.run import load_pose
    from posture.standing.check import StandingSettings
    from posture.standing.from_landmarks import check_standing_landmarks

_LAZY = {
    "CheckResult": "posture.core.result",
    "GaitSettings": "posture.gait.settings",
    "StandingSettings": "posture.standing.check",
    "analyse_gait": "posture.gait.check",
    "check_standing_landmarks": "posture.standing.from_landmarks",
    "History": "posture.history.facade",
    "HistoryDB": "posture.history.db",
    "open_history": "posture.history.facade",
    "PoseSequence": "posture.data.sequence",
    "Landmark": "posture.data.skeleton",
    "Side": "posture.data.skeleton",
    "SIDE_PAIRS": "posture.data.skeleton",
    "select_subject": "posture.data.tracking",
    "load_pose": "posture.pose.run",
    "PostureError": "posture.errors",
    "StandingCheck": "posture.api",
    "WalkAnalysis": "posture.api",
    "check_standing": "posture.api",
    "analyse_walk": "posture.api",
}


def __getattr__(name: str) -> Any:
    """Import the public names on first use, so ``import posture`` stays light."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'posture' has no attribute {name!r}")
