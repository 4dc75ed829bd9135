"""Helpers that derivatives compiled by Numba call: growing a tape buffer, the length of
a range, the exceptions that hand a call back to the Python version, and compiled forms
of the runtime helpers (``s2sad.runtime``) the adjoints of loops over small arrays call.

Each compiled form is a stub overloaded for Numba (``numba.extending.overload``): the
implementation is chosen from the argument types when the caller is compiled (a scalar
or an array, its number of axes), and shapes are checked when it runs; what a form does
not cover fails to compile, which the backend reports. The source of this module is part
of every compiled derivative's cache key."""

from __future__ import annotations

import numba
import numpy as np
from numba.core import types
from numba.core.errors import TypingError
from numba.extending import overload

from s2sad.backends import NotFinite, ShapeChanged

__all__ = ["NotFinite", "ShapeChanged", "grown", "range_length", "all_finite",
           "unbroadcast_to", "matmul_adjoint_a", "matmul_adjoint_b", "array_zeros_like",
           "array_match", "owned", "unreduce", "getitem_adjoint", "accumulate_at",
           "extremum_weights", "add", "broadcast_like"]


@numba.njit(cache=True)
def grown(buffer):
    """``buffer`` in an array twice as long along its first axis (its values first)."""
    larger = np.empty((2 * buffer.shape[0] + 16,) + buffer.shape[1:], buffer.dtype)
    larger[:buffer.shape[0]] = buffer
    return larger


@numba.njit(cache=True)
def range_length(start, stop, step):
    """``len(range(start, stop, step))``."""
    if step > 0:
        return max(0, (stop - start + step - 1) // step)
    return max(0, (start - stop - step - 1) // -step)


def _compiled_only(name):
    def stub(*args):
        raise NotImplementedError(f"{name} is called by compiled derivatives only")
    stub.__name__ = stub.__qualname__ = name
    return stub


all_finite = _compiled_only("all_finite")
unbroadcast_to = _compiled_only("unbroadcast_to")
matmul_adjoint_a = _compiled_only("matmul_adjoint_a")
matmul_adjoint_b = _compiled_only("matmul_adjoint_b")
array_zeros_like = _compiled_only("array_zeros_like")
array_match = _compiled_only("array_match")
owned = _compiled_only("owned")
unreduce = _compiled_only("unreduce")
getitem_adjoint = _compiled_only("getitem_adjoint")
accumulate_at = _compiled_only("accumulate_at")
extremum_weights = _compiled_only("extremum_weights")
add = _compiled_only("add")
broadcast_like = _compiled_only("broadcast_like")


def _is_array(value) -> bool:
    return isinstance(value, types.Array)


def _is_number(value) -> bool:
    return isinstance(value, (types.Float, types.Integer, types.Boolean))


def _float_array(value) -> bool:
    return _is_array(value) and isinstance(value.dtype, types.Float)


@overload(all_finite)
def _all_finite(x):
    """Whether every number in ``x`` (a number or an array) is finite."""
    if _is_number(x):
        return lambda x: np.isfinite(x)
    if _is_array(x):
        return lambda x: np.all(np.isfinite(x))
    raise TypingError("all_finite of a value other than a number or an array")


@numba.njit(cache=True)
def _summed_rows(g):
    """``g`` (2-D) summed over its first axis, kept as one row."""
    return np.sum(g, axis=0).reshape((1, g.shape[1]))


@numba.njit(cache=True)
def _summed_columns(g):
    """``g`` (2-D) summed over its second axis, kept as one column."""
    return np.sum(g, axis=1).reshape((g.shape[0], 1))


@numba.njit(cache=True)
def _leading_summed(g, kept):
    """``g`` summed over all but its last ``kept`` axes, flattened (C order)."""
    rows = 1
    for k in range(g.ndim - kept):
        rows *= g.shape[k]
    return np.sum(np.ascontiguousarray(g).reshape((rows, -1)), axis=0)


@numba.njit(cache=True)
def _reduced_vector(summed, length):
    """``summed`` (1-D) as the adjoint of a vector of ``length`` items."""
    if length == 1 and summed.shape[0] != 1:
        summed = np.full(1, np.sum(summed))
    if summed.shape[0] != length:
        raise ValueError("unbroadcast: the adjoint's shape does not reduce to the value's")
    return summed


@numba.njit(cache=True)
def _reduced_matrix(summed, shape):
    """``summed`` (2-D, C-contiguous) as the adjoint of a matrix of ``shape``."""
    if shape[0] == 1 and summed.shape[0] != 1:
        summed = _summed_rows(summed)
    if shape[1] == 1 and summed.shape[1] != 1:
        summed = _summed_columns(summed)
    if summed.shape[0] != shape[0] or summed.shape[1] != shape[1]:
        raise ValueError("unbroadcast: the adjoint's shape does not reduce to the value's")
    return summed


@overload(unbroadcast_to)
def _unbroadcast_to(g, shape):
    """The adjoint ``g`` summed down to ``shape`` (a tuple of at most two axes): the
    adjoint of NumPy broadcasting."""
    if not isinstance(shape, types.BaseTuple):
        raise TypingError("unbroadcast_to takes a shape")
    kept = len(shape)
    if _is_number(g):
        if kept == 0:
            return lambda g, shape: g
        return lambda g, shape: np.full(shape, g)
    if not _float_array(g):
        raise TypingError("unbroadcast of a value other than a float array")
    if kept == 0:
        return lambda g, shape: np.sum(g)
    if g.ndim < kept or kept > 2:
        raise TypingError(f"unbroadcast of a {g.ndim}-D adjoint to {kept} axes")
    if kept == 1 and g.ndim == 1:
        def vector(g, shape):
            if g.shape[0] == shape[0]:
                return np.ascontiguousarray(g)
            return _reduced_vector(np.ascontiguousarray(g), shape[0])
        return vector
    if kept == 1:
        return lambda g, shape: _reduced_vector(_leading_summed(g, 1), shape[0])
    if g.ndim == 2:
        def matrix(g, shape):
            if g.shape[0] == shape[0] and g.shape[1] == shape[1]:
                return np.ascontiguousarray(g)
            return _reduced_matrix(np.ascontiguousarray(g), shape)
        return matrix

    def leading(g, shape):
        summed = _leading_summed(g, 2).reshape((g.shape[-2], g.shape[-1]))
        return _reduced_matrix(summed, shape)
    return leading


def _matmul_operands(g, a, b):
    if not (_float_array(a) and _float_array(b) and (_float_array(g) or _is_number(g))):
        raise TypingError("a matmul adjoint of values other than float arrays")
    if a.ndim > 2 or b.ndim > 2:
        raise TypingError("a matmul adjoint of arrays of more than two axes")


@overload(matmul_adjoint_a)
def _matmul_adjoint_a(g, a, b):
    """The adjoint of ``a`` in ``a @ b`` (1-D and 2-D operands)."""
    _matmul_operands(g, a, b)
    if a.ndim == 2 and b.ndim == 2:
        return lambda g, a, b: g @ b.T
    if a.ndim == 2:
        return lambda g, a, b: np.outer(g, b)
    if b.ndim == 2:
        return lambda g, a, b: b @ g
    return lambda g, a, b: g * b


@overload(matmul_adjoint_b)
def _matmul_adjoint_b(g, a, b):
    """The adjoint of ``b`` in ``a @ b`` (1-D and 2-D operands)."""
    _matmul_operands(g, a, b)
    if a.ndim == 2:
        return lambda g, a, b: a.T @ g
    if b.ndim == 2:
        return lambda g, a, b: np.outer(a, g)
    return lambda g, a, b: g * a


@overload(array_zeros_like)
def _array_zeros_like(x):
    """A float64 zero of ``x``'s shape (``x`` an array)."""
    if not _is_array(x):
        raise TypingError("array_zeros_like of a value other than an array")
    return lambda x: np.zeros(x.shape)


@overload(array_match)
def _array_match(g, x):
    """The adjoint ``g`` as the derivative of the float64 array ``x``: ``g`` itself when
    its shape is ``x``'s, a number spread to it."""
    if not (_is_array(x) and x.dtype == types.float64):
        raise TypingError("a derivative of a value other than a float64 array")
    if _is_number(g):
        return lambda g, x: np.full(x.shape, float(g))
    if isinstance(g, types.NoneType):
        return lambda g, x: np.zeros(x.shape)
    if not (_is_array(g) and g.dtype == types.float64 and g.ndim == x.ndim):
        raise TypingError("a derivative of another type or shape than its value's")

    def matched(g, x):
        if g.shape != x.shape:
            raise ValueError("internal error: a derivative of another shape than its "
                             "value's; please report this")
        return g
    return matched


@overload(owned)
def _owned(a_bar, a):
    """A fresh float64 array shaped like the array ``a`` holding ``a_bar`` (a number, an
    array broadcast to it, or None: zeros)."""
    if not _is_array(a):
        raise TypingError("owned of a value other than an array")
    if isinstance(a_bar, (types.NoneType, types.Omitted)):
        return lambda a_bar, a: np.zeros(a.shape)
    if _is_number(a_bar):
        return lambda a_bar, a: np.full(a.shape, float(a_bar))
    if not (_float_array(a_bar) and a_bar.ndim == a.ndim):
        raise TypingError("owned of an adjoint of another shape than its value's")

    def copied(a_bar, a):
        if a_bar.shape != a.shape:
            raise ValueError("owned: an adjoint of another shape than its value's")
        return a_bar.astype(np.float64)  # a copy
    return copied


@overload(unreduce)
def _unreduce(g, x, axis=None, keepdims=False):
    """A full reduction's adjoint ``g`` spread to the array ``x``'s shape."""
    full = isinstance(axis, (types.NoneType, types.Omitted)) or axis is None
    if not (_is_number(g) and _is_array(x) and full):
        raise TypingError("unreduce other than of a full reduction of an array")
    return lambda g, x, axis=None, keepdims=False: np.full(x.shape, float(g))


@overload(getitem_adjoint)
def _getitem_adjoint(g, a, b):
    """The adjoint of ``a[b]`` for an integer ``b``: zeros of ``a``'s shape, ``g`` at
    ``b``."""
    if not (_is_array(a) and isinstance(b, types.Integer)):
        raise TypingError("getitem_adjoint other than of an array read at an integer")

    def spread(g, a, b):
        adjoint = np.zeros(a.shape)
        adjoint[b] = g
        return adjoint
    return spread


@overload(accumulate_at)
def _accumulate_at(a_bar, b, g):
    """``a_bar[b] += g`` for an integer ``b``."""
    if not (_float_array(a_bar) and isinstance(b, types.Integer)):
        raise TypingError("accumulate_at other than into an array at an integer")
    if a_bar.ndim == 1:
        def into_item(a_bar, b, g):
            a_bar[b] += g
        return into_item

    if _is_number(g):
        def number_into_row(a_bar, b, g):
            row = a_bar[b]
            row += g
        return number_into_row

    def into_row(a_bar, b, g):
        row = a_bar[b]
        if g.shape != row.shape:
            raise ValueError("accumulate_at: an adjoint of another shape than the row")
        row += g
    return into_row


@overload(extremum_weights)
def _extremum_weights(a, ans, axis=None, keepdims=False, where=True, initial=None):
    """Where the maximum or minimum ``ans`` of the whole array ``a`` is attained, each of
    the ``k`` tied elements weighted ``1/k`` (NaN where ``ans`` is NaN and the element
    is)."""
    if not (_float_array(a) and _is_number(ans)):
        raise TypingError("extremum_weights other than of a float array's extremum")
    for value in (axis, initial):
        if not isinstance(value, (types.NoneType, types.Omitted)) and value is not None:
            raise TypingError("extremum_weights along an axis or with an initial value")

    def weights(a, ans, axis=None, keepdims=False, where=True, initial=None):
        hit = a == ans
        count = np.count_nonzero(hit)
        if count == 0 and ans != ans:
            return np.where(a != a, np.nan, 0.0)
        return hit * (1.0 / max(count, 1))
    return weights


@overload(add)
def _add(a, b):
    """The sum of two adjoints, None standing for zero."""
    if isinstance(a, (types.NoneType, types.Omitted)):
        return lambda a, b: b
    if isinstance(b, (types.NoneType, types.Omitted)):
        return lambda a, b: a
    if not all(_is_number(v) or _float_array(v) for v in (a, b)):
        raise TypingError("add of adjoints other than numbers and float arrays")
    return lambda a, b: a + b


@overload(broadcast_like)
def _broadcast_like(v, ans):
    """The tangent ``v`` broadcast to the shape of the result ``ans`` (a fresh array
    where it is smaller)."""
    if _is_number(ans):
        if not _is_number(v):
            raise TypingError("broadcast_like of an array to a number")
        return lambda v, ans: v
    if not _is_array(ans):
        raise TypingError("broadcast_like to a value other than a number or an array")
    if _is_number(v):
        return lambda v, ans: np.full(ans.shape, v)
    if not (_float_array(v) and v.ndim <= ans.ndim):
        raise TypingError("broadcast_like of a tangent with more axes than its result")
    if v.ndim < ans.ndim:
        def widened(v, ans):
            out = np.empty(ans.shape)
            out[...] = v
            return out
        return widened

    def spread(v, ans):
        if v.shape == ans.shape:
            return np.ascontiguousarray(v)
        out = np.empty(ans.shape)
        out[...] = v
        return out
    return spread
