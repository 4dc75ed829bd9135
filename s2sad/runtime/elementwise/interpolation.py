"""The derivatives of ``np.interp``: its slope between the knots, and the weights that
spread the values ``fp`` over the points.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _interp_knots(x: Any, xp: Any, period: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x``, the knots and, per knot, the index of its value in ``fp``, as ``np.interp``
    takes them (with a ``period``: reduced, sorted and extended by one knot each side)."""
    x = np.asarray(x, dtype=np.float64)
    knots = np.asarray(xp, dtype=np.float64)
    index = np.arange(knots.size)
    if period is None:
        return x, knots, index
    period = abs(float(period))
    x, knots = x % period, knots % period
    order = np.argsort(knots)
    knots, index = knots[order], index[order]
    knots = np.concatenate([knots[-1:] - period, knots, knots[:1] + period])
    index = np.concatenate([index[-1:], index, index[:1]])
    return x, knots, index


def _interp_pieces(x: Any, xp: Any, left: Any, right: Any, period: Any) -> tuple:
    """Per element of ``x``: the two entries of ``fp`` ``np.interp`` mixes, their weights,
    and the reciprocal of the interval's width (0 outside the knots and at the last, NaN
    at a NaN ``x``): the slope is ``(fp[high] - fp[low]) * reciprocal``."""
    x, knots, index = _interp_knots(x, xp, period)
    if period is not None:
        left = right = None
    last = knots.size - 1
    low = np.clip(np.searchsorted(knots, x, side="right") - 1, 0, max(last - 1, 0))
    high = np.minimum(low + 1, last)
    inside = (x >= knots[0]) & (x < knots[-1])
    width = knots[high] - knots[low]
    reciprocal = np.where(inside, 1.0 / np.where(inside, width, 1.0), 0.0)
    share = (x - knots[low]) * reciprocal
    low_weight = np.where(inside, 1.0 - share, 0.0)
    high_weight = np.where(inside, share, 0.0)
    if left is None:
        low_weight = np.where(x < knots[0], 1.0, low_weight)
    ends = x == knots[-1] if right is not None else x >= knots[-1]
    high_weight = np.where(ends, 1.0, high_weight)
    unknown = np.isnan(x)
    if unknown.any():
        reciprocal, low_weight, high_weight = (np.where(unknown, np.nan, w) for w in
                                               (reciprocal, low_weight, high_weight))
    return index[low], index[high], low_weight, high_weight, reciprocal


def interp_slope(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
                 period: Any = None) -> Any:
    """The derivative of ``np.interp(x, xp, fp, ...)`` in ``x``: the slope of the interval
    holding ``x`` (at a knot, of the interval to its right), 0 outside the knots.

    >>> interp_slope(np.array([0.5, 1.0, 3.0]), [0.0, 1.0, 2.0], [0.0, 2.0, 3.0])
    array([2., 1., 0.])
    """
    low, high, _, _, reciprocal = _interp_pieces(x, xp, left, right, period)
    fp = np.asarray(fp)
    return (fp[high] - fp[low]) * reciprocal


def _scattered(size: int, positions: tuple, values: tuple) -> np.ndarray:
    total = np.zeros(size, dtype=np.result_type(*values, 0.0))
    for where, value in zip(positions, values):
        np.add.at(total, where, value)
    return total


def interp_slope_adjoint(c: Any, x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
                         period: Any = None) -> Any:
    """The transpose of ``interp_slope`` in ``fp``, applied to ``c`` (of ``x``'s shape)."""
    low, high, _, _, reciprocal = _interp_pieces(x, xp, left, right, period)
    step = np.broadcast_to(c, np.shape(reciprocal)) * reciprocal
    return _scattered(np.size(fp), (high, low), (step, -step))


def interp_fp_tangent(fp_dot: Any, x: Any, xp: Any, fp: Any, left: Any = None,
                      right: Any = None, period: Any = None) -> Any:
    """The tangent of ``np.interp(x, xp, fp, ...)`` from ``fp``'s (``left`` and ``right``
    held, when given).

    >>> float(interp_fp_tangent(np.array([1.0, 0.0]), 0.25, [0.0, 1.0], [0.0, 0.0], left=5.0))
    0.75
    """
    low, high, low_weight, high_weight, _ = _interp_pieces(x, xp, left, right, period)
    fp_dot = np.asarray(fp_dot)
    return (fp_dot[low] * low_weight + fp_dot[high] * high_weight)[()]


def interp_fp_adjoint(g: Any, x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
                      period: Any = None) -> Any:
    """The adjoint of ``np.interp(x, xp, fp, ...)`` in ``fp``: each ``g`` shared between the
    two values it mixes."""
    low, high, low_weight, high_weight, _ = _interp_pieces(x, xp, left, right, period)
    g = np.broadcast_to(g, np.shape(low_weight))
    return _scattered(np.size(fp), (low, high), (g * low_weight, g * high_weight))
