"""Walking analysis: events, spatiotemporal parameters, symmetry, heel-to-toe pattern, frontal measures."""

from posture.gait.analysis import FootTracks, GaitResult, analyse_gait

__all__ = ["FootTracks", "GaitResult", "analyse_gait"]
