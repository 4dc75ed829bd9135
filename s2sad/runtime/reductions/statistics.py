"""Run-time helpers for the derivatives of the variance, the standard deviation and the
median."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import conj, unreduce
from s2sad.runtime.duck import as_array
from s2sad.runtime.located import located
from s2sad.runtime.reductions.lanes import (
    _lanes,
    _real_dtype,
    _reduced_count,
    _unlanes,
)

# ---- var, std ----------------------------------------------------------------------


def _spread(a: Any, axis: Any, ddof: Any, where: Any, correction: Any):
    """The centred values of ``a`` (zero where masked) and ``2 / (n - ddof)``."""
    if correction is not None:
        ddof = correction
    a = as_array(a)
    if where is True:  # (a Dask array's mean takes no where=)
        centred = a - np.mean(a, axis=axis, keepdims=True)
    else:
        centred = a - np.mean(a, axis=axis, keepdims=True, where=where)
    if where is True:
        return centred, 2.0 / (_reduced_count(a.shape, axis) - ddof)
    mask = np.broadcast_to(where, a.shape)
    centred = np.where(mask, centred, np.zeros((), dtype=centred.dtype))
    count = np.sum(mask, axis=axis, keepdims=True)
    return centred, (2.0 / (count - ddof)).astype(_real_dtype(a), copy=False)


def var_adjoint(g: Any, a: Any, axis: Any = None, ddof: Any = 0, keepdims: bool = False,
                where: Any = True, correction: Any = None) -> Any:
    """Adjoint of ``np.var``: ``g * 2 (a - mean) / (n - ddof)``."""
    centred, scale = _spread(a, axis, ddof, where, correction)
    return unreduce(g, a, axis, keepdims) * centred * scale


def var_tangent(a_dot: Any, a: Any, axis: Any = None, ddof: Any = 0, keepdims: bool = False,
                where: Any = True, correction: Any = None) -> Any:
    """JVP of ``np.var``: ``sum(2 Re(conj(a - mean) a_dot)) / (n - ddof)``."""
    centred, scale = _spread(a, axis, ddof, where, correction)
    terms = np.real(conj(centred) * a_dot) * scale
    return np.sum(terms, axis=axis, keepdims=keepdims)


def half_over(ans: Any) -> Any:
    """``1 / (2 ans)``, zero where ``ans`` is zero (std's derivative there is taken as 0)."""
    ans = as_array(ans)
    safe = np.where(ans == 0, np.ones((), dtype=ans.dtype), ans)
    return np.where(ans == 0, np.zeros((), dtype=ans.dtype), 0.5 / safe)


def std_adjoint(g: Any, ans: Any, a: Any, axis: Any = None, ddof: Any = 0,
                keepdims: bool = False, where: Any = True, correction: Any = None) -> Any:
    """Adjoint of ``np.std`` = sqrt(var)."""
    return var_adjoint(g * half_over(ans), a, axis, ddof, keepdims, where, correction)


def std_tangent(a_dot: Any, ans: Any, a: Any, axis: Any = None, ddof: Any = 0,
                keepdims: bool = False, where: Any = True, correction: Any = None) -> Any:
    """JVP of ``np.std``."""
    return var_tangent(a_dot, a, axis, ddof, keepdims, where, correction) * half_over(ans)


# ---- median ------------------------------------------------------------------------


def median_weights(a: Any, axis: Any = None, overwrite_input: bool = False) -> np.ndarray:
    """Weights ``w`` (shaped like ``a``) with ``median(a, axis) == sum(w * a, axis)``:
    1 on the middle element, or 1/2 on each of the two middle ones.

    >>> median_weights(np.array([4.0, 1.0, 3.0, 2.0]))
    array([0. , 0. , 0.5, 0.5])
    """
    if overwrite_input:
        raise ValueError(located("np.median(..., overwrite_input=True) reorders its input, so it "
                                 "cannot be differentiated; leave overwrite_input False"))
    a = as_array(a)
    lanes, order, shape = _lanes(a, axis)
    n = lanes.shape[-1]
    weights = np.zeros(lanes.shape, dtype=_real_dtype(a))
    if n == 0:
        return _unlanes(weights, order, shape)
    middle = [n // 2] if n % 2 else [n // 2 - 1, n // 2]
    picked = np.argpartition(lanes, middle, axis=-1)[..., middle]
    np.put_along_axis(weights, picked, 1.0 / len(middle), axis=-1)
    if weights.dtype.kind == "f" and lanes.dtype.kind in "fc":  # a NaN makes the median
        nans = np.isnan(lanes)  # NaN: its derivative is NaN at the NaNs, 0 elsewhere
        if nans.any():
            lane_has = nans.any(axis=-1, keepdims=True)
            weights = np.where(lane_has, np.where(nans, np.nan, 0.0), weights).astype(
                weights.dtype, copy=False)
    return _unlanes(weights, order, shape)
