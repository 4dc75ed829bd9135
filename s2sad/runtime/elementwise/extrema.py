"""The derivatives of elementwise extrema (``np.maximum``, ``np.minimum``, ``np.fmax``,
``np.fmin``) and of ``np.clip``: which operand the result is, NaN where the result is NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def extremum_share(x1: Any, x2: Any, wins: Any, ignore_nan: bool = False) -> Any:
    """The share of the derivative of an elementwise extremum that goes to ``x1``: 1 where
    ``x1`` is chosen (``wins(x1, x2)``: ``np.greater`` for a maximum, ``np.less`` for a
    minimum), 1/2 at a tie, 0 where ``x2`` is. Where ``x1`` is NaN and so is the result
    (``maximum``/``minimum`` propagate NaN; ``fmax``/``fmin``, ``ignore_nan``, only when
    both are), the share is NaN: the derivative is NaN as the value is.

    >>> extremum_share(np.array([2.0, 1.0, 1.0, np.nan]), np.array([1.0, 1.0, 3.0, 0.0]),
    ...                np.greater)
    array([1. , 0.5, 0. , nan])
    >>> extremum_share(np.nan, 0.0, np.greater, ignore_nan=True)
    0.0
    """
    scalars = not isinstance(x1, np.ndarray) and not isinstance(x2, np.ndarray)
    dtype = np.result_type(x1, x2, np.float16)
    dtype = np.finfo(dtype).dtype if dtype.kind in "fc" else np.dtype(np.float64)
    first, second = np.isnan(x1), np.isnan(x2)
    with np.errstate(invalid="ignore"):
        chosen = wins(x1, x2)
        tie = np.equal(x1, x2)
    if ignore_nan:  # the other argument wins over a NaN
        chosen = chosen | (second & ~first)
        undefined = first & second
    else:
        undefined = first
    share = np.where(undefined, np.nan, np.where(chosen, 1.0, np.where(tie, 0.5, 0.0)))
    share = share.astype(dtype, copy=False)[()]
    return float(share) if scalars and np.ndim(share) == 0 else share


# np.clip(a, lo, hi) is np.minimum(np.maximum(a, lo), hi); each mask says where the
# output is that operand. Ties go to ``a``; with lo > hi the output is hi everywhere.
# The masks are NaN where their operand is NaN (``nan_at``): the clipped value is NaN there.


def nan_at(mask: Any, x: Any) -> Any:
    """``mask`` (a boolean mask, returned as it is when ``x`` holds no NaN) as weights in
    ``x``'s real float type, NaN where ``x`` is NaN: a derivative of an extremum that is
    NaN because ``x`` is.

    >>> nan_at(np.array([True, True]), np.array([np.nan, 1.0]))
    array([nan,  1.])
    """
    with np.errstate(invalid="ignore"):
        nans = np.isnan(x)
    if not np.any(nans):
        return mask
    dtype = np.result_type(x, np.float16)
    dtype = np.finfo(dtype).dtype if dtype.kind in "fc" else np.dtype(np.float64)
    return np.where(nans, np.nan, mask).astype(dtype, copy=False)[()]


def clip_passes(a: Any, lo: Any, hi: Any) -> Any:
    """Where ``np.clip(a, lo, hi)`` is ``a`` itself (``None`` is no bound)."""
    if lo is None:
        return nan_at(np.less_equal(a, hi), a)
    if hi is None:
        return nan_at(np.greater_equal(a, lo), a)
    return nan_at(np.greater_equal(a, lo) & np.less_equal(a, hi), a)


def clip_at_min(a: Any, lo: Any, hi: Any) -> Any:
    """Where ``np.clip(a, lo, hi)`` is the lower bound ``lo``."""
    if hi is None:
        return nan_at(np.less(a, lo), lo)
    return nan_at(np.less(a, lo) & np.less_equal(lo, hi), lo)


def clip_at_max(a: Any, lo: Any, hi: Any) -> Any:
    """Where ``np.clip(a, lo, hi)`` is the upper bound ``hi``."""
    if lo is None:
        return nan_at(np.greater(a, hi), hi)
    return nan_at(np.greater(a, hi) | np.greater(lo, hi), hi)
