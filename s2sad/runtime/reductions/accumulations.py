"""Run-time helpers for the derivatives of the ufunc methods without a NumPy function of
their own: running maxima and minima (``np.maximum.accumulate``), running log-sum-exps
(``np.logaddexp.accumulate``), sums over index ranges (``np.add.reduceat``) and the
operands of outer operations (``np.multiply.outer``).

A running extremum ``y_i = max(x_0, ..., x_i)`` is tied at ``i`` by every ``x_j``
(``j <= i``) equal to it; its derivative is split equally among them, as ``np.max``'s is,
and is NaN at the NaN elements where the extremum is NaN."""

from __future__ import annotations

from typing import Any

import numpy as np

# ---- lanes along one axis ----------------------------------------------------------


def _along(a: Any, axis: Any) -> np.ndarray:
    """``a`` as an array with ``axis`` moved last (None: the only axis of a 1-D array)."""
    return np.moveaxis(np.asarray(a), 0 if axis is None else axis, -1)


def _back(x: np.ndarray, axis: Any) -> np.ndarray:
    return np.moveaxis(x, -1, 0 if axis is None else axis)


def _result_dtype(*values: Any) -> np.dtype:
    dtype = np.result_type(*values)
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


# ---- running extrema ---------------------------------------------------------------


def _segments(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each stretch of equal running extrema starts, and where an element ties it."""
    starts = np.ones(y.shape, dtype=bool)
    starts[..., 1:] = y[..., 1:] != y[..., :-1]
    return starts, x == y


def _untied(starts: np.ndarray, hits: np.ndarray) -> bool:
    """Whether every stretch is attained by its first element alone (no ties, no NaN)."""
    return bool(np.array_equal(starts, hits))  # a NaN starts a stretch it does not tie


def _tie_counts(starts: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """For each position, how many elements of its stretch so far tie the extremum."""
    counts = np.zeros(hits.shape, dtype=np.int64)
    running = np.zeros(hits.shape[:-1], dtype=np.int64)
    for i in range(hits.shape[-1]):
        running = np.where(starts[..., i], 0, running) + hits[..., i]
        counts[..., i] = running
    return np.maximum(counts, 1)


def running_extremum_tangent(array_dot: Any, array: Any, accumulated: Any,
                             axis: Any = 0) -> Any:
    """Tangent of ``np.maximum.accumulate(array, axis)`` (or ``minimum``), whose value is
    ``accumulated``: at each position, the mean tangent of the elements tying it.

    >>> running_extremum_tangent(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 1.0]),
    ...                          np.array([1.0, 1.0, 1.0]))
    array([1., 1., 2.])
    """
    x, y = _along(array, axis), _along(accumulated, axis)
    dot = np.broadcast_to(_along(array_dot, axis), x.shape)
    dtype = _result_dtype(dot, x)
    starts, hits = _segments(x, y)
    if _untied(starts, hits):
        first = np.maximum.accumulate(
            np.where(starts, np.arange(x.shape[-1]), 0), axis=-1)
        return _back(np.take_along_axis(dot, first, -1).astype(dtype, copy=False), axis)
    counts = _tie_counts(starts, hits)
    tangent = np.zeros(x.shape, dtype=dtype)
    running = np.zeros(x.shape[:-1], dtype=dtype)
    for i in range(x.shape[-1]):
        running = np.where(starts[..., i], 0, running) + np.where(hits[..., i], dot[..., i], 0)
        tangent[..., i] = running / counts[..., i]
    if y.dtype.kind in "fc":
        tangent = np.where(np.isnan(y), np.nan, tangent).astype(dtype, copy=False)
    return _back(tangent, axis)


def running_extremum_adjoint(g: Any, array: Any, accumulated: Any, axis: Any = 0) -> Any:
    """Adjoint of ``np.maximum.accumulate(array, axis)`` (or ``minimum``), whose value is
    ``accumulated``: each output's adjoint split equally among the elements tying it.

    >>> running_extremum_adjoint(np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0]),
    ...                          np.array([1.0, 1.0, 1.0]))
    array([5., 0., 2.])
    """
    x, y = _along(array, axis), _along(accumulated, axis)
    g = np.broadcast_to(_along(g, axis), x.shape)
    dtype = _result_dtype(g, x)
    starts, hits = _segments(x, y)
    if _untied(starts, hits):
        flat_starts = np.flatnonzero(starts)
        adjoint = np.zeros(x.size, dtype=dtype)
        if x.size:
            adjoint[flat_starts] = np.add.reduceat(np.ravel(g), flat_starts)
        return _back(np.reshape(adjoint, x.shape), axis)
    shares = g / _tie_counts(starts, hits)
    adjoint = np.zeros(x.shape, dtype=dtype)
    running = np.zeros(x.shape[:-1], dtype=dtype)
    n = x.shape[-1]
    for i in range(n - 1, -1, -1):
        after = starts[..., i + 1] if i + 1 < n else True
        running = np.where(after, 0, running) + shares[..., i]
        adjoint[..., i] = np.where(hits[..., i], running, 0)
    if x.dtype.kind in "fc":
        adjoint = np.where(np.isnan(x), np.nan, adjoint).astype(dtype, copy=False)
    return _back(adjoint, axis)


# ---- running log-sum-exps ----------------------------------------------------------


def _decays(y: np.ndarray) -> np.ndarray:
    """``exp(y_{i-1} - y_i)`` (at most 1: a running log-sum-exp only grows); 0 at i = 0."""
    decay = np.zeros(y.shape, dtype=_result_dtype(y))
    decay[..., 1:] = np.exp(y[..., :-1] - y[..., 1:])
    return decay


def logaddexp_accumulate_tangent(array_dot: Any, array: Any, accumulated: Any,
                                 axis: Any = 0) -> Any:
    """Tangent of ``np.logaddexp.accumulate(array, axis)``, whose value is
    ``accumulated``: ``sum(exp(x_j - y_i) * x_dot_j for j <= i)``, by a recurrence whose
    factors are at most 1 (no overflow however far apart the values are).

    >>> logaddexp_accumulate_tangent(np.array([1.0, 1.0]), np.zeros(2),
    ...                              np.logaddexp.accumulate(np.zeros(2)))
    array([1., 1.])
    """
    x, y = _along(array, axis), _along(accumulated, axis)
    dot = np.broadcast_to(_along(array_dot, axis), x.shape)
    weights = np.exp(x - y)
    decay = _decays(y)
    tangent = np.zeros(x.shape, dtype=_result_dtype(dot, weights))
    running = np.zeros(x.shape[:-1], dtype=tangent.dtype)
    for i in range(x.shape[-1]):
        running = decay[..., i] * running + weights[..., i] * dot[..., i]
        tangent[..., i] = running
    return _back(tangent, axis)


def logaddexp_accumulate_adjoint(g: Any, array: Any, accumulated: Any, axis: Any = 0) -> Any:
    """Adjoint of ``np.logaddexp.accumulate(array, axis)``, whose value is
    ``accumulated``: ``x_bar_j = sum(g_i * exp(x_j - y_i) for i >= j)``, the transpose of
    :func:`logaddexp_accumulate_tangent`.

    >>> logaddexp_accumulate_adjoint(np.array([1.0, 1.0]), np.zeros(2),
    ...                              np.logaddexp.accumulate(np.zeros(2)))
    array([1.5, 0.5])
    """
    x, y = _along(array, axis), _along(accumulated, axis)
    g = np.broadcast_to(_along(g, axis), x.shape)
    weights = np.exp(x - y)
    decay = _decays(y)
    adjoint = np.zeros(x.shape, dtype=_result_dtype(g, weights))
    running = np.zeros(x.shape[:-1], dtype=adjoint.dtype)
    n = x.shape[-1]
    for i in range(n - 1, -1, -1):
        running = g[..., i] + (decay[..., i + 1] * running if i + 1 < n else 0)
        adjoint[..., i] = weights[..., i] * running
    return _back(adjoint, axis)


# ---- sums over index ranges --------------------------------------------------------


def _ranges(indices: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``[start, stop)`` range each output of ``np.add.reduceat`` sums."""
    starts = np.asarray(indices, dtype=np.intp).ravel() % max(n, 1)
    stops = np.empty_like(starts)
    stops[:-1] = np.where(starts[:-1] < starts[1:], starts[1:], starts[:-1] + 1)
    if starts.size:
        stops[-1] = n
    return starts, stops


def reduceat_adjoint(g: Any, array: Any, indices: Any, axis: Any = 0) -> Any:
    """Adjoint of ``np.add.reduceat(array, indices, axis)``: each output's adjoint goes
    to every element of the range it sums.

    >>> reduceat_adjoint(np.array([1.0, 2.0, 3.0]), np.zeros(5), [0, 3, 1])
    array([1., 4., 4., 5., 3.])
    """
    x = _along(array, axis)
    g = _along(g, axis)
    n = x.shape[-1]
    starts, stops = _ranges(indices, n)
    adjoint = np.zeros(x.shape, dtype=_result_dtype(g, x))
    if starts.size and np.all(starts[1:] > starts[:-1]):  # disjoint ranges: one gather
        owner = np.repeat(np.arange(starts.size), stops - starts)
        adjoint[..., starts[0]:] = g[..., owner]
        return _back(adjoint, axis)
    for k in range(starts.size):
        adjoint[..., starts[k]:stops[k]] += g[..., k:k + 1]
    return _back(adjoint, axis)


# ---- outer operations --------------------------------------------------------------


def outer_operand(a: Any, b: Any) -> Any:
    """``a`` with a unit axis for each of ``b``'s: ``op.outer(a, b) == op(outer_operand(a,
    b), b)`` for every binary ufunc ``op``.

    >>> outer_operand(np.ones(2), np.ones((3, 4))).shape
    (2, 1, 1)
    """
    return np.reshape(a, np.shape(a) + (1,) * np.ndim(b))
