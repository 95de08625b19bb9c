"""Whole analyses (standing check, gait) built from pose, measures and findings."""
