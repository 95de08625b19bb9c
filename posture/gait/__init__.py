"""Walking analysis: events, spatiotemporal parameters, symmetry, heel-to-toe pattern, frontal measures."""

from posture.gait.check import analyse_gait
from posture.gait.result import FootTracks, GaitResult

__all__ = ["FootTracks", "GaitResult", "analyse_gait"]
