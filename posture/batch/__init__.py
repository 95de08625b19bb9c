"""Batch processing: many clips in parallel (local processes or Dask), resumable."""
