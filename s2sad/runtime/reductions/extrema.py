"""Run-time helpers for the derivatives of maxima, minima and ranges (ties share the
derivative equally; a NaN extremum has the derivative NaN at the NaN elements)."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import unreduce
from s2sad.runtime.duck import as_array
from s2sad.runtime.reductions.lanes import (
    _axes,
    _real_dtype,
)

# ---- max, min, ptp -----------------------------------------------------------------


def _extremum_hits(a, ans, axis, keepdims, where, initial):
    a = np.asarray(a)
    hit = a == unreduce(ans, a, axis, keepdims)
    if where is not True:
        hit = np.logical_and(hit, where)
    count = np.sum(hit, axis=_axes(axis, a.ndim), keepdims=True)
    if initial is not None:
        count = count + (np.reshape(ans, np.shape(count)) == initial)
    return a, hit, np.maximum(count, 1)


def extremum_weights(a: Any, ans: Any, axis: Any = None, keepdims: bool = False,
                     where: Any = True, initial: Any = None) -> np.ndarray:
    """Where the extremum ``ans`` of ``a`` over ``axis`` is attained, each of the ``k``
    tied elements weighted ``1/k``; zero elsewhere. An ``initial`` value equal to the
    extremum counts as one more tied element. Where the extremum is NaN (NumPy's max
    propagates it), the NaN elements weigh NaN: the derivative is NaN as the value is.

    >>> extremum_weights(np.array([1.0, 3.0, 3.0]), 3.0)
    array([0. , 0.5, 0.5])
    >>> extremum_weights(np.array([1.0, np.nan, 3.0]), np.nan)
    array([ 0., nan,  0.])
    """
    if axis is None and where is True and initial is None:  # the common case, in one pass
        hit = as_array(a) == ans
        dtype = _real_dtype(hit if np.ndim(a) == 0 else a)
        count = np.count_nonzero(hit)
        if count == 0 and ans != ans:
            return _at_nans(np.zeros(np.shape(a), dtype), a, ans)
        return np.multiply(hit, dtype.type(1.0 / max(count, 1)), dtype=dtype)
    if where is True and initial is None and isinstance(a, np.ndarray):  # along axes
        expanded = ans if keepdims else np.expand_dims(ans, _axes(axis, a.ndim))
        hit = a == expanded
        count = hit.sum(axis=axis, keepdims=True)  # 0 only where the extremum is NaN
        dtype = a.dtype if a.dtype.kind == "f" else _real_dtype(a)
        if count.all():
            return np.divide(hit, count, dtype=dtype)
        return _at_nans(np.divide(hit, np.maximum(count, 1), dtype=dtype), a, expanded)
    a, hit, count = _extremum_hits(a, ans, axis, keepdims, where, initial)
    dtype = _real_dtype(a)
    weights = np.where(hit, (1.0 / count).astype(dtype), np.zeros((), dtype=dtype))
    if np.all(np.asarray(ans) == ans):
        return weights
    return _at_nans(weights, a, unreduce(ans, a, axis, keepdims))


def _at_nans(weights: np.ndarray, a: Any, extremum: Any) -> np.ndarray:
    """``weights`` with NaN at the NaN elements of ``a`` whose extremum is NaN."""
    return np.where(np.isnan(a) & np.isnan(extremum), np.nan, weights).astype(
        weights.dtype, copy=False)


def initial_weight(a: Any, ans: Any, axis: Any = None, keepdims: bool = False,
                   where: Any = True, initial: Any = None) -> Any:
    """The share of the ``initial`` value in the extremum (shaped like ``ans``).

    >>> initial_weight(np.array([[1.0, 3.0], [4.0, 2.0]]), np.array([3.0, 4.0]), 1, initial=3.0)
    array([0.5, 0. ])
    """
    a, _, count = _extremum_hits(a, ans, axis, keepdims, where, initial)
    share = (np.asarray(ans) == initial) / np.reshape(count, np.shape(ans))
    return share.astype(_real_dtype(a), copy=False)


def ptp_weights(a: Any, axis: Any = None) -> np.ndarray:
    """The weights of ``np.ptp(a, axis)`` = max - min (ties split equally)."""
    a = np.asarray(a)
    high = extremum_weights(a, np.max(a, axis=axis, keepdims=True), axis, True)
    low = extremum_weights(a, np.min(a, axis=axis, keepdims=True), axis, True)
    return high - low
