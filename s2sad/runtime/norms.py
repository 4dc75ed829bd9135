"""Helpers for the derivative rules of vector and matrix norms (``np.linalg.norm``,
``np.linalg.vector_norm``): the norm's gradient direction and its tangent, for every
``ord``, with a zero direction where the norm is zero."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.duck import as_array
from s2sad.runtime.located import located


def _safe_divide(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``x / n``, with 0 where ``n`` is 0 (the norm's subgradient choice at zero)."""
    return np.where(n == 0, 0, x / np.where(n == 0, 1, n)).astype(x.dtype, copy=False)


def _squares(x: np.ndarray) -> np.ndarray:
    """``|x|^2`` elementwise, real (``x * x`` for real ``x``)."""
    return x.real * x.real + x.imag * x.imag if x.dtype.kind == "c" else x * x


def _vector_direction(x: np.ndarray, ord: Any, axes: tuple) -> np.ndarray:
    """The gradient of the vector ``ord``-norm of ``x`` over ``axes`` (kept)."""
    magnitude = np.abs(x)
    sign = np.sign(x)
    if ord is None or ord == 2:
        return _safe_divide(x, np.sqrt(np.sum(_squares(x), axis=axes, keepdims=True)))
    if ord == 1:
        return sign
    if ord == 0:
        return np.zeros_like(x)
    if ord in (np.inf, -np.inf):
        pick = np.max if ord > 0 else np.min
        hit = magnitude == pick(magnitude, axis=axes, keepdims=True)
        return sign * hit / np.sum(hit, axis=axes, keepdims=True)
    p = float(ord)
    n = np.sum(magnitude**p, axis=axes, keepdims=True) ** (1 / p)
    ratio = _safe_divide(magnitude, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        powered = np.where(magnitude == 0, 0, ratio ** (p - 1))
    return (sign * powered).astype(x.dtype, copy=False)


def _matrix_direction(x: np.ndarray, ord: Any, axes: tuple) -> np.ndarray:
    """The gradient of the matrix ``ord``-norm of ``x`` over ``axes = (row, column)``."""
    row, column = (a % x.ndim for a in axes)
    if ord is None or ord == "fro":
        return _safe_divide(x, np.sqrt(np.sum(_squares(x), axis=(row, column), keepdims=True)))
    if ord in ("nuc", 2, -2):
        moved = np.moveaxis(x, (row, column), (-2, -1))
        u, s, vh = np.linalg.svd(moved, full_matrices=False)
        u = u * (s > 0)[..., None, :]  # zero singular values: the zero subgradient
        if ord == "nuc":
            direction = u @ vh
        else:
            i = 0 if ord == 2 else u.shape[-1] - 1  # largest or smallest singular value
            direction = u[..., :, i : i + 1] @ vh[..., i : i + 1, :]
        return np.moveaxis(direction, (-2, -1), (row, column))
    if ord in (1, -1, np.inf, -np.inf):
        summed, across = (row, column) if ord in (1, -1) else (column, row)
        sums = np.sum(np.abs(x), axis=summed, keepdims=True)
        pick = np.max if ord > 0 else np.min
        hit = sums == pick(sums, axis=across, keepdims=True)
        return np.sign(x) * hit / np.sum(hit, axis=across, keepdims=True)
    raise ValueError(f"invalid norm order {ord!r} for matrices")


def norm_direction(x: Any, ord: Any = None, axis: Any = None) -> np.ndarray:
    """The (sub)gradient of ``np.linalg.norm(x, ord, axis)`` with respect to ``x``.

    Each output entry's derivative is the sum of this times ``dx`` over the reduced axes.
    At a zero norm the gradient is zero, and ties of a max or min share the gradient.
    """
    x = as_array(x)
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype(float)
    if axis is None:
        if ord is None:
            direction = _vector_direction(x, None, tuple(range(x.ndim)))
        elif x.ndim == 1:
            direction = _vector_direction(x, ord, (0,))
        else:
            direction = _matrix_direction(x, ord, (0, 1))
    else:
        axes = axis if isinstance(axis, tuple) else (axis,)
        if len(axes) == 1:
            direction = _vector_direction(x, ord, axes)
        else:
            direction = _matrix_direction(x, ord, axes)
    return direction.astype(x.dtype, copy=False)


def vector_norm_direction(x: Any, ord: Any = 2, axis: Any = None) -> np.ndarray:
    """The gradient of ``np.linalg.vector_norm`` (any number of axes, flattened)."""
    x = as_array(x)
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype(float)
    axes = tuple(range(x.ndim)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    return _vector_direction(x, ord, axes).astype(x.dtype, copy=False)


def _vector_direction_tangent(x_dot: Any, x: np.ndarray, ord: Any, axes: tuple) -> Any:
    """The tangent of ``_vector_direction(x, ord, axes)``: zero where it is piecewise
    constant (orders 0, 1, inf, for real ``x``; for complex ``x`` the unit ``x / |x|`` of
    orders 1 and inf turns); for the p-norm, with ``d`` the direction and ``r = |x| / n``,
    ``(p - 1) / n * (r ** (p - 2) * x_dot - d * sum(d * x_dot))``."""
    if ord in (1, np.inf, -np.inf) and np.iscomplexobj(x):
        from s2sad.runtime.elementwise import sign_tangent

        turned = sign_tangent(x_dot, x)
        if ord == 1:
            return turned
        return turned * np.abs(_vector_direction(x, ord, axes))  # the ties' shares
    if ord in (0, 1, np.inf, -np.inf):
        return np.zeros(np.shape(x_dot), dtype=np.result_type(x_dot, x, 1.0))
    n = np.sqrt(np.sum(np.real(x * np.conj(x)), axis=axes, keepdims=True))
    if ord is None or ord == 2:
        d = _safe_divide(x, n)
        along = np.real(np.sum(np.conj(d) * x_dot, axis=axes, keepdims=True))
        return _safe_divide(x_dot - d * along, n)
    if np.iscomplexobj(x) or np.iscomplexobj(x_dot):
        raise NotImplementedError(located(f"second derivatives of the complex {ord}-norm are not "
                                          "available; use ord=2"))
    p = float(ord)
    magnitude = np.abs(x)
    n = np.sum(magnitude**p, axis=axes, keepdims=True) ** (1 / p)
    d = _vector_direction(x, ord, axes)
    ratio = _safe_divide(magnitude, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(magnitude == 0, 0, ratio ** (p - 2))
    along = np.sum(d * x_dot, axis=axes, keepdims=True)
    return (p - 1) * _safe_divide(scaled * x_dot - d * along, n)


def norm_direction_tangent(x_dot: Any, x: Any, ord: Any = None, axis: Any = None) -> Any:
    """The tangent of ``norm_direction(x, ord, axis)`` (second derivatives of
    ``np.linalg.norm``): every vector order, the Frobenius norm, and the matrix 1- and
    inf-norms (piecewise linear: zero).

    >>> x, v = np.array([3.0, 4.0]), np.array([1.0, 0.0])
    >>> norm_direction_tangent(v, x)  # (I - x x' / |x|^2) v / |x|
    array([ 0.128, -0.096])
    """
    x = as_array(x)
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype(float)
    if axis is None:
        axes = tuple(range(x.ndim)) if ord is None or x.ndim == 1 else (0, 1)
    else:
        axes = axis if isinstance(axis, tuple) else (axis,)
    if len(axes) == 1 or ord is None:
        return _vector_direction_tangent(x_dot, x, ord, axes)
    if ord == "fro":
        return _vector_direction_tangent(x_dot, x, None, axes)
    if ord in (1, -1, np.inf, -np.inf):
        if np.iscomplexobj(x):  # the units x / |x| turn; the columns' or rows' shares do not
            from s2sad.runtime.elementwise import sign_tangent

            return sign_tangent(x_dot, x) * np.abs(norm_direction(x, ord, axis))
        return np.zeros(np.shape(x_dot), dtype=np.result_type(x_dot, x, 1.0))
    raise NotImplementedError(located(f"second derivatives of the matrix norm ord={ord!r} are not "
                                      "available; use the Frobenius norm, or the singular values "
                                      "from np.linalg.svd"))


def vector_norm_direction_tangent(x_dot: Any, x: Any, ord: Any = 2, axis: Any = None) -> Any:
    """The tangent of ``vector_norm_direction(x, ord, axis)``."""
    x = as_array(x)
    if not np.issubdtype(x.dtype, np.inexact):
        x = x.astype(float)
    axes = tuple(range(x.ndim)) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    return _vector_direction_tangent(x_dot, x, ord, axes)
