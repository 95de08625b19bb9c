"""Interchange with research tools: xarray / movement datasets, tidy tables, OpenSim files.

The xarray and pandas pieces need the ``research`` extra (``pip install posture[research]``);
:mod:`posture.interop.opensim` and :mod:`posture.interop.export` need only numpy. Nothing here is
imported by the core package.
"""
