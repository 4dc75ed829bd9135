"""Run-time helpers for the derivatives of sums, means and weighted averages."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import unbroadcast, unreduce
from s2sad.runtime.reductions.lanes import (
    _real_dtype,
    _reduced_count,
)

# ---- sum, mean ---------------------------------------------------------------------

_add_reduce = np.add.reduce


def total(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``np.sum(a, axis, keepdims=keepdims)``, the rules' sum of an adjoint or a tangent.
    For an array it is the same reduction without ``np.sum``'s Python layers, which cost
    about a microsecond per call: most of a sum over a small array.

    >>> total(np.ones((2, 3)), axis=1, keepdims=True)
    array([[3.],
           [3.]])
    """
    if type(a) is np.ndarray:
        return _add_reduce(a, axis, None, None, keepdims)
    return np.sum(a, axis=axis, keepdims=keepdims)


def sum_adjoint(g: Any, a: Any, axis: Any = None, keepdims: bool = False,
                where: Any = True) -> Any:
    """Adjoint of ``np.sum(a, axis, keepdims=keepdims, where=where)``."""
    spread = unreduce(g, a, axis, keepdims)
    if where is True:
        return spread
    return np.where(where, spread, np.zeros((), dtype=np.result_type(spread)))


def mean_weights(a: Any, axis: Any = None, where: Any = True) -> Any:
    """The weight of each element in ``np.mean(a, axis, where=where)``: 1/count, or zero
    for masked-out elements.

    >>> mean_weights(np.ones((2, 4)), axis=1)
    0.25
    """
    if where is True:
        if axis is None and isinstance(a, np.ndarray):
            return 1.0 / max(a.size, 1)
        return 1.0 / max(_reduced_count(np.shape(a), axis), 1)
    mask = np.broadcast_to(where, np.shape(a))
    count = np.sum(mask, axis=axis, keepdims=True)
    dtype = _real_dtype(a)
    return np.where(mask, (1.0 / np.maximum(count, 1)).astype(dtype), np.zeros((), dtype=dtype))



# ---- average -----------------------------------------------------------------------


def _average_weights(a: np.ndarray, axis: Any, weights: Any) -> np.ndarray:
    """The weights broadcastable against ``a`` (as np.average lays them out)."""
    w = np.asarray(weights)
    if w.shape == a.shape:
        return w
    axes = tuple(int(i) % a.ndim for i in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    w = np.transpose(w, np.argsort(axes))
    return np.reshape(w, tuple(n if i in axes else 1 for i, n in enumerate(a.shape)))


def average_layout(weights: Any, a: Any, axis: Any = None) -> np.ndarray:
    """``np.average``'s ``weights`` laid out to broadcast against ``a`` (linear in them).

    >>> average_layout(np.array([1.0, 2.0]), np.zeros((2, 3)), 0)
    array([[1.],
           [2.]])
    """
    return _average_weights(np.asarray(a), axis, weights)


def average_unlayout(c: Any, a: Any, axis: Any = None, weights: Any = None) -> Any:
    """The transpose of :func:`average_layout`: ``c`` summed to the laid-out weights'
    shape, then given the shape and order of ``weights``."""
    a, w = np.asarray(a), np.asarray(weights)
    laid = np.shape(_average_weights(a, axis, w))
    c = np.asarray(unbroadcast(c, np.broadcast_to(0.0, laid)))
    if w.shape == a.shape:
        return c
    axes = tuple(int(i) % a.ndim for i in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    c = np.reshape(c, tuple(laid[i] for i in sorted(axes)))
    # the remaining axes are ``axes`` in increasing order; the weights list them as given
    return np.transpose(c, np.argsort(np.argsort(axes)))
