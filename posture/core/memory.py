"""Giving freed memory back to the system between the stages of a long analysis."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc


@functools.cache
def _malloc_trim() -> object | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None


def release_freed_memory() -> bool:
    """Collect garbage and return the C heap's free pages to the system (glibc's ``malloc_trim``).

    The pose model, the decoder and NumPy's temporaries leave the heap fragmented:
    after tracking a 2-minute walk about 80 MB the process no longer uses stays
    resident, and the overlay's encoder then adds its own buffers on top
    (``benchmarks/results/gait_speed.md``). Returns whether the heap could be trimmed
    (False where the C library has no ``malloc_trim``, as on macOS and musl).
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)  # type: ignore[operator]
    return True
