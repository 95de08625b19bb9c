"""Measures computed from a :class:`posture.data.sequence.PoseSequence`."""
