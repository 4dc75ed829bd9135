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


# ---- percentile and quantile (linear interpolation) --------------------------------


def quantile_weights(a: Any, q: Any, axis: Any = None, scale: float = 1.0,
                     method: str = "linear", overwrite_input: bool = False,
                     weights: Any = None) -> np.ndarray:
    """Weights ``W`` of shape ``q.shape + a.shape`` with ``quantile(a, q / scale, axis)[k]
    == sum(W[k] * a, axis)``: ``1 - t`` and ``t`` on the two order statistics the linear
    interpolation joins.

    >>> quantile_weights(np.array([4.0, 1.0, 3.0, 2.0]), 0.5)
    array([0. , 0. , 0.5, 0.5])
    """
    _check_quantile_options(method, overwrite_input, weights)
    a = as_array(a)
    lanes, order, shape = _lanes(a, axis)
    n = lanes.shape[-1]
    positions = np.ravel(np.asarray(q, dtype=float)) / scale * (n - 1)
    ranks = np.argsort(lanes, axis=-1, kind="stable")
    found = []
    for position in positions:
        low = int(np.clip(np.floor(position), 0, n - 1))
        high = min(low + 1, n - 1)
        t = position - low
        lane_weights = np.zeros(lanes.shape, dtype=_real_dtype(a))
        np.put_along_axis(lane_weights, ranks[..., low:low + 1], 1.0 - t, axis=-1)
        if high > low:
            np.put_along_axis(lane_weights, ranks[..., high:high + 1], t, axis=-1)
        found.append(_unlanes(lane_weights, order, shape))
    return np.reshape(np.stack(found), np.shape(q) + a.shape)


def _check_quantile_options(method: str, overwrite_input: bool, weights: Any) -> None:
    if method != "linear":
        raise NotImplementedError(located(
            f"s2sad: np.percentile and np.quantile with method={method!r} have no derivative; "
            "use method='linear' (the default)"))
    if weights is not None:
        raise NotImplementedError(located(
            "s2sad: np.percentile and np.quantile with weights= have no derivative"))
    if overwrite_input:
        raise ValueError(located(
            "np.percentile and np.quantile with overwrite_input=True reorder their input, so "
            "they cannot be differentiated; leave overwrite_input False"))


def quantile_tangent(a_dot: Any, a: Any, q: Any, axis: Any = None, keepdims: bool = False,
                     scale: float = 1.0, method: str = "linear",
                     overwrite_input: bool = False, weights: Any = None) -> Any:
    """The tangent of ``np.quantile(a, q / scale, axis, keepdims=keepdims)`` along
    ``a_dot``."""
    found = quantile_weights(a, q, axis, scale, method, overwrite_input, weights)
    a = as_array(a)
    reduced = tuple(np.ndim(q) + k for k in _quantile_axes(axis, a.ndim))
    return np.sum(found * np.broadcast_to(a_dot, a.shape), axis=reduced, keepdims=keepdims)


def quantile_adjoint(g: Any, a: Any, q: Any, axis: Any = None, keepdims: bool = False,
                     scale: float = 1.0, method: str = "linear",
                     overwrite_input: bool = False, weights: Any = None) -> Any:
    """The adjoint of ``a`` in ``np.quantile(a, q / scale, axis, keepdims=keepdims)``."""
    found = quantile_weights(a, q, axis, scale, method, overwrite_input, weights)
    a = as_array(a)
    kept = tuple(1 if k in _quantile_axes(axis, a.ndim) else size
                 for k, size in enumerate(a.shape))
    spread = np.reshape(g, np.shape(q) + kept)
    return np.sum(found * spread, axis=tuple(range(np.ndim(q))))


def _quantile_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted(int(k) % ndim for k in np.atleast_1d(axis)))


# ---- cov and corrcoef --------------------------------------------------------------


def cov_centered(m: Any, rowvar: bool = True, y: Any = None, fweights: Any = None,
                 aweights: Any = None) -> np.ndarray:
    """The observations of ``np.cov(m, rowvar=rowvar)`` as rows of variables, each less
    its mean: ``cov`` is ``X X^T / (N - ddof)`` of this ``X``. Real data without ``y``
    and weights only.

    >>> cov_centered(np.array([1.0, 2.0, 6.0]))
    array([[-2., -1.,  3.]])
    """
    _check_cov_options(m, y, fweights, aweights)
    x = np.array(m, ndmin=2, dtype=np.result_type(m, np.float64))
    if not rowvar and x.shape[0] != 1:
        x = x.T
    return x - np.mean(x, axis=1, keepdims=True)


def cov_uncentered(c: Any, m: Any, rowvar: bool = True) -> Any:
    """The transpose of :func:`cov_centered`: ``c`` (rows of variables) less each row's
    mean, laid out as ``m``."""
    c = np.asarray(c) - np.mean(c, axis=1, keepdims=True)
    x = np.array(m, ndmin=2)
    if not rowvar and x.shape[0] != 1:
        c = c.T
    return np.reshape(c, np.shape(m))


def cov_scale(m: Any, rowvar: bool = True, bias: bool = False, ddof: Any = None) -> float:
    """``1 / (N - ddof)`` of ``np.cov``, ``N`` the number of observations."""
    x = np.array(m, ndmin=2)
    count = x.shape[1] if rowvar or x.shape[0] == 1 else x.shape[0]
    ddof = (0 if bias else 1) if ddof is None else ddof
    return 1.0 / (count - ddof)


def cov_size(m: Any, rowvar: bool = True) -> tuple[int, int]:
    """The shape of ``np.cov(m, rowvar=rowvar)`` before NumPy squeezes it."""
    x = np.array(m, ndmin=2)
    count = x.shape[0] if rowvar or x.shape[0] == 1 else x.shape[1]
    return count, count


def _check_cov_options(m: Any, y: Any, fweights: Any, aweights: Any) -> None:
    for name, value in (("y", y), ("fweights", fweights), ("aweights", aweights)):
        if value is not None:
            raise NotImplementedError(located(
                f"s2sad: np.cov and np.corrcoef with {name}= have no derivative; stack the "
                "variables into one array (np.vstack) and weight them yourself"))
    if np.iscomplexobj(m):
        raise NotImplementedError(located(
            "s2sad: np.cov and np.corrcoef of complex data have no derivative"))


# ---- gradient (uniform spacing) ----------------------------------------------------


def gradient_adjoint(g: Any, f: Any, varargs: tuple = (), axis: Any = None,
                     edge_order: int = 1) -> Any:
    """The adjoint of ``f`` in ``np.gradient(f, *varargs, axis=axis,
    edge_order=edge_order)``, for spacings given as numbers: each axis's stencil
    transposed.

    >>> gradient_adjoint(np.array([1.0, 0.0, 0.0]), np.zeros(3))
    array([-1.,  1.,  0.])
    """
    f = as_array(f)
    axes = _gradient_axes(f.ndim, axis)
    steps = _gradient_steps(varargs, len(axes))
    parts = list(g) if isinstance(g, (list, tuple)) else [g]
    total = np.zeros(f.shape, dtype=np.result_type(_real_dtype(f), *[
        np.asarray(p).dtype for p in parts if p is not None]))
    for part, k, step in zip(parts, axes, steps):
        if part is not None:
            moved = np.moveaxis(np.asarray(part), k, 0)
            total = total + np.moveaxis(_stencil_transposed(moved, step, edge_order), 0, k)
    return total


def gradient_of(c: Any, f: Any, varargs: tuple = (), axis: Any = None,
                edge_order: int = 1) -> Any:
    """``np.gradient(c, *varargs, axis=axis, edge_order=edge_order)`` (``f`` gives the
    shape only): the transpose of :func:`gradient_adjoint`."""
    return np.gradient(np.broadcast_to(c, np.shape(f)), *varargs, axis=axis,
                       edge_order=edge_order)


def _gradient_axes(ndim: int, axis: Any) -> list[int]:
    if axis is None:
        return list(range(ndim))
    return [int(k) % ndim for k in np.atleast_1d(axis)]


def _gradient_steps(varargs: tuple, count: int) -> list[float]:
    if any(np.ndim(v) != 0 for v in varargs):
        raise NotImplementedError(located(
            "s2sad: np.gradient with coordinate arrays has no reverse derivative; give the "
            "spacing as a number per axis"))
    if not varargs:
        return [1.0] * count
    return [float(varargs[0])] * count if len(varargs) == 1 else [float(v) for v in varargs]


def _stencil_transposed(g: np.ndarray, step: float, edge_order: int) -> np.ndarray:
    """The transpose, along axis 0, of NumPy's uniform gradient stencil."""
    out = np.zeros(g.shape, dtype=np.result_type(g, float))
    out[2:] += g[1:-1] / (2.0 * step)
    out[:-2] -= g[1:-1] / (2.0 * step)
    first, last = g[0] / step, g[-1] / step
    if edge_order == 1:
        out[1] += first
        out[0] -= first
        out[-1] += last
        out[-2] -= last
    else:
        out[0] -= 1.5 * first
        out[1] += 2.0 * first
        out[2] -= 0.5 * first
        out[-3] += 0.5 * last
        out[-2] -= 2.0 * last
        out[-1] += 1.5 * last
    return out
