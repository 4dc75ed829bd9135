"""Helpers for batched tangents (vector forward mode).

A batched tangent of a value ``v`` carries K directions at once: an array of shape
``(K,) + np.shape(v)`` (for a scalar: ``(K,)``); the tangent of a tuple, list or dict is the
same structure of batched tangents. Elementwise rules apply to batched tangents as they are,
once a tangent is given the result's number of axes (:func:`align`); the structural ones
(indexing, reductions, reshapes, products) have batched forms here; any other rule runs once
per direction (:func:`split_directions`, :func:`stack_directions`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import _float_dtype
from s2sad.runtime.records import field_names, is_record, rebuilt

_CONTAINERS = (tuple, list, dict)


def directions(tangent: Any) -> int:
    """K, the number of directions a batched tangent carries.

    >>> directions(np.zeros((3, 2))), directions((np.zeros(4), np.zeros((4, 2))))
    (3, 4)
    """
    if isinstance(tangent, dict):
        return directions(next(iter(tangent.values())))
    if is_record(tangent) and not isinstance(tangent, tuple):  # a dataclass
        return directions(getattr(tangent, field_names(tangent)[0]))
    if isinstance(tangent, (tuple, list)):
        return directions(tangent[0])
    return len(tangent)


def batch_zeros(k: int, value: Any) -> Any:
    """A zero batched tangent for ``value``.

    >>> batch_zeros(2, (1.0, np.ones(3))) # doctest: +NORMALIZE_WHITESPACE
    (array([0., 0.]), array([[0., 0., 0.], [0., 0., 0.]]))
    """
    if is_record(value):
        return rebuilt(value, {f: batch_zeros(k, getattr(value, f)) for f in field_names(value)})
    if isinstance(value, tuple):
        return tuple(batch_zeros(k, v) for v in value)
    if isinstance(value, list):
        return [batch_zeros(k, v) for v in value]
    if isinstance(value, dict):
        return {key: batch_zeros(k, v) for key, v in value.items()}
    if value is None:
        return np.zeros(k)
    return np.zeros((k,) + np.shape(value), dtype=_float_dtype(value))


def batch_owned(tangent: Any, value: Any, k: int) -> Any:
    """A fresh batched tangent for ``value`` (written in place next) holding ``tangent``."""
    if tangent is None or isinstance(value, _CONTAINERS):
        return batch_zeros(k, value) if tangent is None else tangent
    out = batch_zeros(k, value)
    out[...] = align(tangent, value, value)
    return out


def stacked(tangent: Any, value: Any) -> Any:
    """The batched tangent of ``np.asarray(value)`` for a list or tuple ``value`` whose
    items have the batched tangents ``tangent``: the batch axis first, as for an array
    (``np.asarray`` of the list of tangents would put it second).

    >>> stacked([np.ones((4, 3)), np.zeros((4, 3))], [np.ones(3), np.ones(3)]).shape
    (4, 2, 3)
    """
    if not isinstance(tangent, (list, tuple)) or not isinstance(value, (list, tuple)):
        return tangent
    k = directions(tangent)
    return np.stack([np.broadcast_to(stacked(t, v), (k,) + np.shape(v))
                     for t, v in zip(tangent, value)], axis=1)


def align(tangent: Any, value: Any, ans: Any) -> Any:
    """``tangent`` (of ``value``) with axes of length one inserted after the batch axis,
    so that it broadcasts, elementwise, against values of ``ans``'s number of axes.

    >>> align(np.ones((4, 3)), np.zeros(3), np.zeros((2, 3))).shape
    (4, 1, 3)
    """
    missing = np.ndim(ans) - np.ndim(value)
    if missing <= 0 or not isinstance(tangent, np.ndarray):
        return tangent
    return tangent.reshape((tangent.shape[0],) + (1,) * missing + tangent.shape[1:])


def fit(tangent: Any, ans: Any, k: int) -> Any:
    """``tangent`` broadcast to the full batched shape of ``ans``, ``(k,) + ans.shape``.

    >>> fit(np.ones((2, 1, 3)), np.zeros((4, 3)), 2).shape
    (2, 4, 3)
    """
    shape = (k,) + np.shape(ans)
    if np.shape(tangent) == shape:
        return tangent
    return np.broadcast_to(tangent, shape)


def batch_broadcast_like(tangent: Any, ans: Any) -> Any:
    """A rule's ``broadcast_like(v, ans)`` on a batched tangent: ``v`` to ``(K,) + ans.shape``
    where it is not already that big (it may still lack the batch axis: a zero)."""
    if not isinstance(tangent, np.ndarray) or np.ndim(tangent) <= np.ndim(ans):
        return tangent
    return np.broadcast_to(tangent, tangent.shape[:1] + np.shape(ans))


def split_directions(tangent: Any) -> list[Any]:
    """The K tangents of one direction each that ``tangent`` carries.

    >>> split_directions((np.array([1.0, 2.0]), [np.array([[3.0], [4.0]])]))
    [(np.float64(1.0), [array([3.])]), (np.float64(2.0), [array([4.])])]
    """
    if is_record(tangent):
        names = field_names(tangent)
        return [rebuilt(tangent, dict(zip(names, parts))) for parts in zip(
            *(split_directions(getattr(tangent, name)) for name in names))]
    if isinstance(tangent, tuple):
        return [tuple(parts) for parts in zip(*(split_directions(t) for t in tangent))]
    if isinstance(tangent, list):
        return [list(parts) for parts in zip(*(split_directions(t) for t in tangent))]
    if isinstance(tangent, dict):
        keys = list(tangent)
        return [dict(zip(keys, parts))
                for parts in zip(*(split_directions(tangent[key]) for key in keys))]
    return list(tangent)  # a 0-d direction as a NumPy scalar, which has .copy() too


def stack_directions(tangents: list[Any]) -> Any:
    """One batched tangent from K tangents of one direction each (the inverse of
    :func:`split_directions`)."""
    first = tangents[0]
    if is_record(first):
        return rebuilt(first, {name: stack_directions([getattr(t, name) for t in tangents])
                               for name in field_names(first)})
    if isinstance(first, tuple):
        return tuple(stack_directions(list(parts)) for parts in zip(*tangents))
    if isinstance(first, list):
        return [stack_directions(list(parts)) for parts in zip(*tangents)]
    if isinstance(first, dict):
        return {key: stack_directions([t[key] for t in tangents]) for key in first}
    return np.stack([np.asarray(t) for t in tangents])


def batch_items(tangent: Any) -> Any:
    """What unpacking ``a, b = v`` gives the tangents: the items of a tuple or list of
    tangents, or the tangents of an array's rows.

    >>> [t.tolist() for t in batch_items(np.arange(6.0).reshape(3, 2))]
    [[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]
    """
    if isinstance(tangent, np.ndarray):
        return [tangent[:, i] for i in range(tangent.shape[1])]
    return tangent


def batch_getitem(tangent: Any, index: Any) -> Any:
    """The tangent of ``v[index]``.

    >>> batch_getitem(np.arange(6.0).reshape(2, 3), 1).tolist()
    [1.0, 4.0]
    """
    if isinstance(tangent, _CONTAINERS):
        return tangent[index]
    parts = index if isinstance(index, tuple) else (index,)
    return tangent[(slice(None),) + parts]


def batch_setitem(tangent: Any, index: Any, value: Any) -> None:
    """``v[index] = w`` on the tangents: ``w``'s batched tangent (or a plain zero) written
    into ``v``'s. A basic index, or one index array, takes the batch axis in front: one
    assignment. Index arrays apart (NumPy moves their axes first) and a tuple written as
    an array (``x[i] = (a, b)``) are written direction by direction."""
    if isinstance(tangent, _CONTAINERS):
        tangent[index] = value
        return
    parts = index if isinstance(index, tuple) else (index,)
    apart = len(parts) > 1 and any(isinstance(p, (np.ndarray, list)) for p in parts)
    if isinstance(value, (tuple, list)) or apart:
        for k, part in enumerate(_per_direction(value, len(tangent))):
            tangent[k][index] = part
        return
    if isinstance(value, np.ndarray) and value.ndim >= 1 and len(value) == len(tangent):
        written = np.ndim(tangent[0][index])  # w's tangent given the written part's axes
        value = value.reshape(value.shape[:1] + (1,) * (written + 1 - value.ndim)
                              + value.shape[1:])
    tangent[(slice(None),) + parts] = value


def as_batched_array(tangent: Any) -> Any:
    """The batched tangent of ``np.asarray(v)`` given that of ``v``: a list or tuple of
    batched items becomes one array, the items along the axis after the batch axis (NumPy
    would put them first).

    >>> as_batched_array((np.array([1.0, 2.0]), np.array([3.0, 4.0])))
    array([[1., 3.],
           [2., 4.]])
    """
    if isinstance(tangent, (tuple, list)):
        return np.stack([as_batched_array(item) for item in tangent], axis=1)
    return tangent


def batch_reshape(tangent: Any, ans: Any) -> np.ndarray:
    """The tangent of a reshape (``reshape``, ``ravel``, ``squeeze``, ...) giving ``ans``."""
    tangent = as_batched_array(tangent)
    return np.reshape(tangent, np.shape(tangent)[:1] + np.shape(ans))


def batch_reduce(reduction: Any, tangent: Any, value: Any, axis: Any = None,
                 keepdims: bool = False) -> Any:
    """The tangent of a linear reduction (``np.sum``, ``np.mean``) of ``value`` along
    ``axis``: the same reduction, its axes moved past the batch axis.

    >>> batch_reduce(np.sum, np.ones((2, 3, 4)), np.zeros((3, 4)), axis=-1).shape
    (2, 3)
    """
    tangent = as_batched_array(tangent)
    ndim = np.ndim(value)
    if axis is None:
        axes = tuple(range(1, ndim + 1))
    else:
        axes = tuple(a % ndim + 1 for a in (axis if isinstance(axis, tuple) else (axis,)))
    return reduction(tangent, axis=axes, keepdims=keepdims)


def batch_matmul(a: Any, b: Any, a_batched: bool, b_batched: bool, dot: bool = False) -> Any:
    """``a @ b`` (``np.dot(a, b)`` with ``dot``) where one operand is a batched tangent and
    the other a value.

    >>> batch_matmul(np.ones((5, 3)), np.ones((3, 2)), True, False).shape
    (5, 2)
    >>> batch_matmul(np.ones((4, 3)), np.ones((5, 3)), False, True).shape
    (5, 4)
    """
    a = as_batched_array(a) if a_batched else a
    b = as_batched_array(b) if b_batched else b
    value_ndims = (np.ndim(a) - a_batched, np.ndim(b) - b_batched)
    if dot and (0 in value_ndims or max(value_ndims) > 2):
        product = np.dot  # a scalar, or N-d arrays: np.dot is not matmul there
        if a_batched:
            return np.stack([product(t, b) for t in a])
        return np.stack([product(a, t) for t in b])
    if a_batched and np.ndim(b) <= 2:
        return a @ b  # (K, [m,] n) @ b: the batch axis acts as rows, or as a stack
    if b_batched and np.ndim(a) <= 2:
        if np.ndim(b) == 2:  # b a vector: its K tangents are rows
            return b @ np.swapaxes(a, -1, -2) if np.ndim(a) == 2 else b @ a
        return a @ b  # b a matrix: a stack of K of them
    if a_batched:
        return np.stack([t @ b for t in a])
    return np.stack([a @ t for t in b])


def batch_transpose(tangent: Any) -> np.ndarray:
    """The tangent of ``v.T``: every axis but the batch axis reversed.

    >>> batch_transpose(np.zeros((5, 2, 3))).shape
    (5, 3, 2)
    """
    tangent = as_batched_array(tangent)
    return np.transpose(tangent, (0,) + tuple(range(np.ndim(tangent) - 1, 0, -1)))


def batch_accumulate_at(tangent: Any, index: Any, value: Any) -> None:
    """``accumulate_at(a, index, g)`` on the tangents (repeated indices add up), direction
    by direction."""
    from s2sad.runtime.indexing import accumulate_at

    if isinstance(tangent, _CONTAINERS):
        accumulate_at(tangent, index, value)
        return
    for k, part in enumerate(_per_direction(value, len(tangent))):
        accumulate_at(tangent[k], index, part)


def _per_direction(value: Any, k: int) -> list:
    """A value written into a batched array, for each of its ``k`` directions: a batched
    tangent split (a tuple of them too: ``x[i] = (a, b)``), or a plain zero repeated."""
    if isinstance(value, (tuple, list)):
        return split_directions(value)
    if isinstance(value, np.ndarray) and value.ndim >= 1 and len(value) == k:
        return list(value)
    return [value] * k
