"""The standing check: one or more pictures of a person standing, measures with uncertainty out.

The pipeline is :func:`posture.standing.check.analyse_standing`.
"""
