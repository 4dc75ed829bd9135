"""Run-time helpers for the derivatives of products and cumulative sums and products,
exact at zeros (nothing divided where an element may be zero)."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import conj, unreduce
from s2sad.runtime.reductions.lanes import (
    _lanes,
    _unlanes,
)

# ---- prod --------------------------------------------------------------------------


def prod_others(a: Any, axis: Any = None, where: Any = True, initial: Any = None) -> Any:
    """For each element, the product of the other elements of its reduction (times
    ``initial``): the derivative of ``np.prod`` without any division, so exact at zeros.

    >>> prod_others(np.array([2.0, 0.0, 3.0]))
    array([0., 6., 0.])
    """
    a = np.asarray(a)
    if where is not True:
        a = np.where(where, a, np.ones((), dtype=a.dtype))
    lanes, order, shape = _lanes(a, axis)
    left = np.ones_like(lanes)
    right = np.ones_like(lanes)
    if lanes.shape[-1] > 1:
        left[..., 1:] = np.cumprod(lanes[..., :-1], axis=-1)
        right[..., :-1] = np.flip(np.cumprod(np.flip(lanes[..., 1:], -1), axis=-1), -1)
    others = _unlanes(left * right, order, shape)
    if initial is not None:
        others = others * initial
    if where is not True:
        others = np.where(where, others, np.zeros((), dtype=others.dtype))
    return others


def prod_adjoint(g: Any, a: Any, axis: Any = None, keepdims: bool = False,
                 initial: Any = None, where: Any = True) -> Any:
    """Adjoint of ``np.prod(a, axis, keepdims=keepdims, initial=initial, where=where)``."""
    others = conj(prod_others(a, axis, where, initial))
    return unreduce(g, a, axis, keepdims) * others


def prod_initial_factor(a: Any, axis: Any = None, keepdims: bool = False,
                        where: Any = True) -> Any:
    """The derivative of ``np.prod(..., initial=c)`` in ``c``: the product without it."""
    return np.prod(a, axis=axis, keepdims=keepdims, where=where)


# ---- cumsum, cumprod ---------------------------------------------------------------


def reverse_cumsum(g: Any, a: Any, axis: Any = None) -> Any:
    """Adjoint of ``np.cumsum(a, axis)``: the cumulative sum taken from the end.

    >>> reverse_cumsum(np.array([1.0, 2.0, 3.0]), np.zeros(3))
    array([6., 5., 3.])
    """
    if axis is None:
        flat = np.ravel(g)
        return np.reshape(np.flip(np.cumsum(np.flip(flat))), np.shape(a))
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


def _cumprod_lanes(x: Any, axis: Any) -> np.ndarray:
    x = np.asarray(x)
    return np.ravel(x) if axis is None else np.moveaxis(x, axis, -1)


def _first_zero(x: np.ndarray) -> np.ndarray:
    """Per lane (last axis), the position of the first zero, or the lane length."""
    zero = x == 0
    return np.where(zero.any(axis=-1), zero.argmax(axis=-1), x.shape[-1])[..., None]


def cumprod_adjoint(g: Any, ans: Any, a: Any, axis: Any = None) -> Any:
    """Adjoint of ``np.cumprod(a, axis)``, exact in the presence of zeros.

    Before the first zero of a lane, ``sum_{i >= j} g_i ans_i / a_j``; at the first zero,
    the sum of ``g_i`` times the running product that skips that zero; after it, zero.
    """
    x = _cumprod_lanes(a, axis)
    gl, p = _cumprod_lanes(g, axis), _cumprod_lanes(ans, axis)
    position = np.arange(x.shape[-1])
    first = _first_zero(x)
    before = position < first
    tail = np.flip(np.cumsum(np.flip(gl * conj(p), -1), axis=-1), -1)
    divisor = conj(np.where(before, x, np.ones((), dtype=x.dtype)))
    adjoint = np.where(before, tail / divisor, np.zeros((), dtype=tail.dtype))
    if not before.all():
        at = position == first
        skipping = np.cumprod(np.where(at, np.ones((), dtype=x.dtype), x), axis=-1)
        terms = np.where(position >= first, gl * conj(skipping), 0)
        adjoint = np.where(at, np.sum(terms, axis=-1, keepdims=True), adjoint)
    if axis is None:
        return np.reshape(adjoint, np.shape(a))
    return np.moveaxis(adjoint, -1, axis)


def cumprod_tangent(a_dot: Any, ans: Any, a: Any, axis: Any = None) -> Any:
    """JVP of ``np.cumprod(a, axis)``, exact in the presence of zeros."""
    x = _cumprod_lanes(a, axis)
    d, p = _cumprod_lanes(a_dot, axis), _cumprod_lanes(ans, axis)
    position = np.arange(x.shape[-1])
    first = _first_zero(x)
    before = position < first
    ratio = np.where(before, d / np.where(before, x, np.ones((), dtype=x.dtype)), 0)
    tangent = p * np.cumsum(ratio, axis=-1)
    if not before.all():
        at = position == first
        skipping = np.cumprod(np.where(at, np.ones((), dtype=x.dtype), x), axis=-1)
        d_zero = np.sum(np.where(at, d, 0), axis=-1, keepdims=True)
        tangent = tangent + np.where(position >= first, d_zero * skipping, 0)
    if axis is None:
        return tangent
    return np.moveaxis(tangent, -1, axis)
