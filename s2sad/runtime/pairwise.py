"""Pairwise squared distances, the fused form of ``np.sum((a[:, None, :] - b[None, :, :]) ** 2,
axis=-1)`` that ``s2sad.optimize.pairwise_distances`` puts in derivative code.

Written out, the expression builds an ``n x m x d`` array three times over in each sweep;
here the forward value takes one ``n x m`` array per coordinate and the derivatives take
matrix products. Every function equals its expression for any arguments NumPy accepts: the
fast paths are for two real matrices of the same dtype, anything else computes the
expression as written.

With ``diff = a[:, None, :] - b[None, :, :]`` (so ``d2[i, j] = sum_k diff[i, j, k] ** 2``):

- ``pairwise_sq_distances_adjoint(g, a, b)`` is ``a``'s adjoint, ``2 sum_j g[i, j]
  conj(diff[i, j, k])``; ``b``'s is the same with ``g`` transposed and ``a``, ``b``
  swapped;
- ``pairwise_sq_distances_tangent(v, a, b)`` is ``d2``'s tangent along ``a`` in direction
  ``v``, ``2 sum_k diff[i, j, k] v[i, k]``; along ``b``, the same with ``a``, ``b``
  swapped, transposed.

Both are linear in their first argument and jointly in ``(a, b)``, so their own
derivatives are themselves again (``s2sad/rules/pairwise.py``).

>>> a = np.array([[0.0, 0.0], [3.0, 4.0]])
>>> pairwise_sq_distances(a, a)
array([[ 0., 25.],
       [25.,  0.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import conj, unbroadcast

#: up to this many coordinates NumPy sums the squares one after another, as the per-
#: coordinate loop does, so the fast forward value is the expression's to the last bit
_SEQUENTIAL_SUM = 7
#: up to this many differences (8 MB) they are formed at once, in fewer NumPy calls
_ONE_BLOCK = 1 << 20


def _matrices(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are real matrices of one dtype with as many columns, the
    case with fast paths."""
    return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.ndim == 2
            and b.ndim == 2 and a.shape[1] == b.shape[1] and a.dtype == b.dtype
            and a.dtype.kind == "f")


def pairwise_sq_distances(a: Any, b: Any) -> Any:
    """``np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)``, one coordinate at a
    time for matrices with few columns (bit for bit the same)."""
    d = a.shape[1] if _matrices(a, b) else 0
    if not 1 <= d <= _SEQUENTIAL_SUM:
        return np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)
    if d * len(a) * len(b) <= _ONE_BLOCK:  # every coordinate's differences in one array
        planes = np.ascontiguousarray(a.T)[:, :, None] - np.ascontiguousarray(b.T)[:, None, :]
        np.multiply(planes, planes, out=planes)
        total = planes[0]
        for k in range(1, d):
            total += planes[k]
        return total
    total = np.subtract.outer(a[:, 0], b[:, 0])  # or one coordinate at a time
    np.square(total, out=total)
    term = np.empty_like(total)
    for k in range(1, d):
        np.subtract.outer(a[:, k], b[:, k], out=term)
        np.square(term, out=term)
        total += term
    return total


def pairwise_sq_distances_adjoint(g: Any, a: Any, b: Any) -> Any:
    """``a``'s adjoint in ``pairwise_sq_distances(a, b)`` for the output adjoint ``g``."""
    if _matrices(a, b) and isinstance(g, np.ndarray) and g.shape == (len(a), len(b)):
        return 2.0 * (g.sum(axis=1)[:, None] * a - g @ b)
    g = np.asarray(g)
    weights = g[..., None] if g.ndim else g
    spread = a[:, None, :]
    contribution = 2.0 * weights * conj(spread - b[None, :, :])
    return unbroadcast(contribution, spread).reshape(np.shape(a))


def pairwise_sq_distances_tangent(v: Any, a: Any, b: Any) -> Any:
    """The tangent of ``pairwise_sq_distances(a, b)`` when ``a`` moves along ``v``."""
    if _matrices(a, b) and isinstance(v, np.ndarray) and v.shape == a.shape:
        return 2.0 * (np.einsum("ik,ik->i", a, v)[:, None] - v @ b.T)
    diff = a[:, None, :] - b[None, :, :]
    return 2.0 * np.sum(diff * np.asarray(v)[:, None, :], axis=-1)


def self_sq_distances(a: Any) -> Any:
    """``pairwise_sq_distances(a, a)``: the distances within one set of points (its adjoint
    is one call, with the output adjoint made symmetric)."""
    return pairwise_sq_distances(a, a)


def self_sq_distances_tangent(v: Any, a: Any) -> Any:
    """The tangent of ``self_sq_distances(a)`` when ``a`` moves along ``v`` (linear in
    ``v`` and in ``a``)."""
    tangent = pairwise_sq_distances_tangent(v, a, a)
    return tangent + swap_pairs(tangent)


def swap_pairs(x: Any) -> Any:
    """``x`` with its first two axes swapped: ``d2[i, j]`` of ``(a, b)`` is ``d2[j, i]`` of
    ``(b, a)``."""
    x = np.asarray(x)
    return np.swapaxes(x, 0, 1) if x.ndim >= 2 else x
