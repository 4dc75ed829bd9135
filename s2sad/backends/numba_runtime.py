"""Helpers that derivatives compiled by Numba call: growing a tape buffer, the length of
a range, the exception a result that is not finite raises. Compiled with ``numba.njit``;
the source of this module is part of every compiled derivative's cache key."""

from __future__ import annotations

import numba
import numpy as np

from s2sad.backends import NotFinite

__all__ = ["NotFinite", "grown", "range_length"]


@numba.njit(cache=True)
def grown(buffer):
    """``buffer`` in an array twice as long (its values first)."""
    larger = np.empty(2 * buffer.shape[0] + 16, buffer.dtype)
    larger[:buffer.shape[0]] = buffer
    return larger


@numba.njit(cache=True)
def range_length(start, stop, step):
    """``len(range(start, stop, step))``."""
    if step > 0:
        return max(0, (stop - start + step - 1) // step)
    return max(0, (start - stop - step - 1) // -step)
