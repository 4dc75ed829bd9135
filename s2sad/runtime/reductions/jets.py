"""Products of dual numbers: ``np.prod`` and ``np.cumprod`` to every order, each helper's
derivative the same helper one generator higher."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.reductions.lanes import (
    _axes,
    _lanes,
    _unlanes,
)

# ---- products of dual numbers: prod and cumprod to every order --------------------
#
# A jet is an array of shape (2**m,) + shape: each element a number of the algebra with m
# generators of square zero, component S (a bit mask) the coefficient of the product of
# the generators in S. Products of jets multiply polynomials (nothing divides, so zeros
# are exact), and the tangent of a function of jets is the same function on jets of one
# generator more: the rules of the helpers below are these helpers again. The transpose
# of multiplying by a jet is the same product between two reversals of the components.


def _jet_times(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The product of two jets of as many components (the rest broadcast)."""
    count = x.shape[0]
    if count == 1:
        return x * y
    parts = []
    for s in range(count):
        t, part = s, x[0] * y[s]
        while t:
            part = part + x[t] * y[s ^ t]
            t = (t - 1) & s
        parts.append(part)
    return np.stack(parts)


def _jet_one(like: np.ndarray) -> np.ndarray:
    """The jet 1 in the shape of ``like``."""
    one = np.zeros(like.shape, dtype=like.dtype)
    one[0] = 1
    return one


def _jet_cumprod(x: np.ndarray) -> np.ndarray:
    """Running products of jets along the last axis (by doubling steps)."""
    if x.shape[0] == 1:
        return np.cumprod(x, axis=-1)
    shift = 1
    while shift < x.shape[-1]:
        x = np.concatenate([x[..., :shift], _jet_times(x[..., shift:], x[..., :-shift])],
                           axis=-1)
        shift *= 2
    return x


def _exclusive_products(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position of the last axis, the products of the jets before and after it."""
    if x.shape[-1] == 0:
        return x, x
    one = _jet_one(x[..., :1])
    left = np.concatenate([one, _jet_cumprod(x[..., :-1])], axis=-1)
    right = np.concatenate([np.flip(_jet_cumprod(np.flip(x[..., 1:], -1)), -1), one], axis=-1)
    return left, right


def prod_others_jet(jet: Any, axis: Any = None, where: Any = True, initial: Any = None) -> Any:
    """:func:`prod_others` of each component of a jet (``axis`` and ``where`` as for the
    elements, its first axis the components): ``prod_others_jet([a, d])[1]`` is the tangent
    of ``prod_others(a)`` along ``d``, exact at any number of zeros.

    >>> prod_others_jet(np.array([[2.0, 0.0, 0.0], [1.0, 1.0, 1.0]]))[1]
    array([0., 2., 2.])
    """
    jet = np.asarray(jet)
    if where is not True:
        one = np.zeros((jet.shape[0],) + (1,) * (jet.ndim - 1), dtype=jet.dtype)
        one[0] = 1
        jet = np.where(where, jet, one)
    axes = tuple(a + 1 for a in _axes(axis, jet.ndim - 1))
    lanes, order, shape = _lanes(jet, axes)
    left, right = _exclusive_products(lanes)
    others = _unlanes(_jet_times(left, right), order, shape)
    if initial is not None:
        others = others * initial
    if where is not True:
        others = np.where(where, others, np.zeros((), dtype=others.dtype))
    return others


def _cumprod_axis(jet: np.ndarray, axis: Any) -> int:
    return int(axis) % (jet.ndim - 1) + 1


def cumprod_jet(jet: Any, axis: Any = None) -> Any:
    """``np.cumprod`` of a jet's elements: ``cumprod_jet([a, d])[1]`` is the tangent of
    ``np.cumprod(a)`` along ``d``.

    >>> cumprod_jet(np.array([[2.0, 0.0, 3.0], [1.0, 1.0, 0.0]]))[1]
    array([1., 2., 6.])
    """
    jet = np.asarray(jet)
    if axis is None:
        return _jet_cumprod(np.reshape(jet, (jet.shape[0], -1)))
    axis = _cumprod_axis(jet, axis)
    return np.moveaxis(_jet_cumprod(np.moveaxis(jet, axis, -1)), -1, axis)


def _suffix_recurrence(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``r`` along the last axis with ``r[j] = w[j] + b[j] r[j + 1]`` (``r`` zero past the
    end), the affine maps composed by doubling steps."""
    p, q = np.flip(b, -1), np.flip(w, -1)
    shift = 1
    while shift < q.shape[-1]:
        later = p[..., shift:]
        q = np.concatenate([q[..., :shift], q[..., shift:] + _jet_times(later, q[..., :-shift])],
                           axis=-1)
        p = np.concatenate([p[..., :shift], _jet_times(later, p[..., :-shift])], axis=-1)
        shift *= 2
    return np.flip(q, -1)


def _cumprod_transposed(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``sum_{i >= j} w_i prod_{k <= i, k != j} x_k`` along the last axis, for jets."""
    if x.shape[-1] == 0:
        return np.zeros(np.broadcast_shapes(w.shape, x.shape), np.result_type(w, x))
    left, _ = _exclusive_products(x)
    step = np.concatenate([x[..., 1:], np.zeros_like(x[..., :1])], axis=-1)
    return _jet_times(left, _suffix_recurrence(w, step))


def cumprod_jet_adjoint(w: Any, jet: Any, axis: Any = None) -> Any:
    """The transpose of the Jacobian of ``np.cumprod`` at the elements of a jet, applied to
    the jet ``w`` (without conjugates): ``cumprod_jet_adjoint([g], [a])[0]`` is the adjoint
    of ``np.cumprod(a)`` for a real ``a``, exact at zeros.

    >>> cumprod_jet_adjoint(np.ones((1, 3)), np.array([[2.0, 0.0, 3.0]]))[0]
    array([1., 8., 0.])
    """
    w, jet = np.asarray(w), np.asarray(jet)
    if axis is None:
        flat = _cumprod_transposed(np.reshape(w, (w.shape[0], -1)),
                                   np.reshape(jet, (jet.shape[0], -1)))
        return np.reshape(flat, jet.shape)
    axis = _cumprod_axis(jet, axis)
    moved = _cumprod_transposed(np.moveaxis(w, axis, -1), np.moveaxis(jet, axis, -1))
    return np.moveaxis(moved, -1, axis)
