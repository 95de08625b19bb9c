"""Pieces shared by the standing and the walking check: measures, geometry, the view."""
