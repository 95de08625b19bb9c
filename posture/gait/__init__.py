"""Walking analysis: events, spatiotemporal parameters, symmetry, heel-to-toe pattern, frontal measures."""

from posture.gait.analysis import GaitResult, analyse_gait

__all__ = ["GaitResult", "analyse_gait"]
