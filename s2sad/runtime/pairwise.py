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
_min_reduce = np.minimum.reduce  # without the array methods' Python layer
_max_reduce = np.maximum.reduce
#: the dtypes whose matrix products BLAS computes, in their own precision
_BLAS_TYPES = (np.dtype(np.float32), np.dtype(np.float64))


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
    # One n x m array per coordinate (a block of all of them costs fresh pages on every
    # call once it outgrows malloc's trim threshold), squared and added in NumPy's order.
    total = np.empty((len(a), len(b)), a.dtype)
    term = np.empty_like(total)
    for k, difference in enumerate(_differences(a, b, total, term)):
        np.multiply(difference, difference, out=difference)
        if k:
            total += term
    return total


def _differences(a: np.ndarray, b: np.ndarray, first: np.ndarray, rest: np.ndarray):
    """``b[j, k] - a[i, k]`` for each coordinate ``k``, written into ``first``, then into
    ``rest``: it squares to the bits of ``a[i, k] - b[j, k]``.

    In single and double precision each is the matrix product ``[b[j, k], 1] . [1,
    -a[i, k]]``, which BLAS runs without a broadcast subtraction's overhead per row: both
    products are exact and a sum of two terms has one rounding in either order, so the
    bits are the subtraction's."""
    if a.dtype not in _BLAS_TYPES:
        for k in range(a.shape[1]):
            yield np.subtract(b[:, k], a[:, k, None], out=rest if k else first)
        return
    rows = np.empty((a.shape[1], 3, len(a)), a.dtype)  # [a, 1, -a]: [a, 1] when b is a
    np.negative(a.T, out=rows[:, 2])
    rows[:, 1] = 1.0
    if b is a:
        rows[:, 0] = a.T
        columns = rows
    else:
        columns = np.empty((b.shape[1], 2, len(b)), b.dtype)  # [b, 1]
        columns[:, 0] = b.T
        columns[:, 1] = 1.0
    for k in range(a.shape[1]):
        yield np.matmul(rows[k, 1:].T, columns[k, :2], out=rest if k else first)


def pairwise_sq_distances_adjoint(g: Any, a: Any, b: Any) -> Any:
    """``a``'s adjoint in ``pairwise_sq_distances(a, b)`` for the output adjoint ``g``."""
    if _matrices(a, b) and isinstance(g, np.ndarray) and g.shape == (len(a), len(b)):
        a, b = _centred(a, b)
        return _from_products(g @ _with_ones(b), a)
    g = np.asarray(g)
    weights = g[..., None] if g.ndim else g
    spread = a[:, None, :]
    contribution = 2.0 * weights * conj(spread - b[None, :, :])
    return unbroadcast(contribution, spread).reshape(np.shape(a))


def _centred(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a - c`` and ``b - c`` for ``c`` the centre of the box around both sets of points.

    The derivatives depend on differences only, and the matrix products compute them as
    ``rowsum(g) a - g b``: about the origin, points far from it with small differences
    would lose to cancellation the digits the subtraction ``a - b`` keeps (all of them,
    in double precision at coordinates of 1e16). Centred, the terms are of the size of
    the points' spread.
    """
    if not (len(a) and len(b)):
        return a, b
    if b is a:
        centre = _min_reduce(a, 0) * 0.5 + _max_reduce(a, 0) * 0.5  # no overflow
        a = a - centre
        return a, a
    low = np.minimum(_min_reduce(a, 0), _min_reduce(b, 0))
    high = np.maximum(_max_reduce(a, 0), _max_reduce(b, 0))
    centre = low * 0.5 + high * 0.5
    return a - centre, b - centre


def _with_ones(b: np.ndarray) -> np.ndarray:
    """``2 [b, 1]``, ``b`` with a column of ones after its own, doubled: ``g @
    _with_ones(b)`` gives ``2 g @ b`` and twice ``g``'s row sums in one matrix product."""
    widened = np.empty((len(b), b.shape[1] + 1), np.result_type(b, 1.0))
    np.multiply(b, 2.0, out=widened[:, :-1])
    widened[:, -1] = 2.0
    return widened


def _from_products(products: np.ndarray, a: np.ndarray) -> np.ndarray:
    """``2 (rowsum(g) a - g b)`` from ``products = g @ _with_ones(b)``."""
    return products[:, -1:] * a - products[:, :-1]


def pairwise_sq_distances_tangent(v: Any, a: Any, b: Any) -> Any:
    """The tangent of ``pairwise_sq_distances(a, b)`` when ``a`` moves along ``v``."""
    if _matrices(a, b) and isinstance(v, np.ndarray) and v.shape == a.shape:
        a, b = _centred(a, b)
        return 2.0 * (np.einsum("ik,ik->i", a, v)[:, None] - v @ b.T)
    diff = a[:, None, :] - b[None, :, :]
    return 2.0 * np.sum(diff * np.asarray(v)[:, None, :], axis=-1)


def self_sq_distances(a: Any) -> Any:
    """``pairwise_sq_distances(a, a)``: the distances within one set of points (its adjoint
    is one call, with the output adjoint made symmetric)."""
    return pairwise_sq_distances(a, a)


def self_sq_distances_adjoint(g: Any, a: Any) -> Any:
    """``a``'s adjoint in ``self_sq_distances(a)`` for the output adjoint ``g``:
    ``pairwise_sq_distances_adjoint(g + swap_pairs(g), a, a)``, without forming the sum
    (whose transposed read costs as much as the products)."""
    if _matrices(a, a) and isinstance(g, np.ndarray) and g.shape == (len(a), len(a)):
        a = _centred(a, a)[0]
        widened = _with_ones(a)
        products = g @ widened
        products += g.T @ widened
        return _from_products(products, a)
    return pairwise_sq_distances_adjoint(g + swap_pairs(g), a, a)


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
