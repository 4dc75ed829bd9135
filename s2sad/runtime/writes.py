"""Helpers for NumPy's in-place writes (``np.put``, ``np.copyto``, ``np.add.at``, ...).

The compiler lowers such a call into writes it differentiates already. Which element of
the written array ends up holding which element of the value written is found by running
NumPy's own function on an array of numbers (``write_positions``): repetition of short
values, ``mode=``, masks, ``where=`` and the last of repeated positions winning are then
NumPy's, never a copy of them. ``np.add.at`` becomes ``added_at``, a function returning a
new array; other ``ufunc.at`` calls become a loop over ``at_items``.

>>> y = np.zeros(4)
>>> positions, sources = write_positions("put", y, [0, 2, 0], [1.0, 2.0, 3.0], "raise")
>>> positions, sources
((array([0, 2]),), array([2, 1]))
>>> added_at(y, [0, 0, 3], 1.5)
array([3. , 0. , 0. , 1.5])
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from s2sad.errors import SharedElementError
from s2sad.runtime.located import located


def _numbers(values: Any) -> np.ndarray:
    """Each element of ``values`` replaced by its position in ``values.ravel()``."""
    return np.arange(np.size(values), dtype=np.intp).reshape(np.shape(values))


def write_positions(kind: str, y: Any, *arguments: Any) -> tuple[tuple, np.ndarray]:
    """Where the write ``kind`` (``"put"``, ``"copyto"``, ``"putmask"``, ``"place"``,
    ``"fill_diagonal"``, ``"put_along_axis"``, ``"flat"``, ``"fill"``) changes ``y``, and
    from which element of the flattened value: ``y[positions] = np.ravel(v)[sources]``
    does what the write does (each position once)."""
    if not isinstance(y, np.ndarray):
        raise TypeError(located(f"s2sad differentiates {kind} as NumPy's write into an array; "
                                f"it was given a {type(y).__name__}"))
    ids = np.full(y.shape, -1, dtype=np.intp)
    if kind == "put":
        indices, values, mode = arguments
        np.put(ids, indices, _numbers(values), mode=mode)
    elif kind == "copyto":
        source, casting, where = arguments
        np.copyto(np.empty_like(y), source, casting=casting, where=where)  # NumPy's checks
        np.copyto(ids, _numbers(source), where=where)
    elif kind == "putmask":
        mask, values = arguments
        np.putmask(ids, mask, _numbers(values))
    elif kind == "place":
        mask, values = arguments
        np.place(ids, mask, _numbers(values).reshape(-1))
    elif kind == "fill_diagonal":
        value, wrap = arguments
        np.fill_diagonal(ids, _numbers(value), wrap=wrap)
    elif kind == "put_along_axis":
        indices, values, axis = arguments
        np.put_along_axis(ids, indices, _numbers(values), axis)
    elif kind == "flat":
        index, values = arguments
        ids.flat[index] = _numbers(values)
    elif kind == "fill":
        (value,) = arguments
        if np.ndim(value):
            raise ValueError("fill takes a scalar value")
        ids.fill(0)
    else:
        raise ValueError(f"unknown write {kind!r}")
    written = ids >= 0
    return np.nonzero(written), ids[written]


def added_at(y: Any, indices: Any, v: Any) -> np.ndarray:
    """A copy of ``y`` after ``np.add.at(copy, indices, v)``: repeated indices add up."""
    out = np.array(y, copy=True)
    np.add.at(out, indices, v)
    return out


def at_items(y: Any, indices: Any) -> list[tuple[int, ...]]:
    """The positions of ``y`` that ``ufunc.at(y, indices, ...)`` updates, in its order
    (repeats included), each as a tuple of ints."""
    if not isinstance(y, np.ndarray):
        raise TypeError(located(f"ufunc.at writes into a NumPy array, not {type(y).__name__}"))
    flat = np.arange(y.size, dtype=np.intp).reshape(y.shape)[indices]
    coordinates = np.unravel_index(np.reshape(flat, -1), y.shape)
    return [tuple(int(c[k]) for c in coordinates) for k in range(np.size(flat))]


def at_shape(y: Any, indices: Any) -> tuple[int, ...]:
    """The shape of ``y[indices]``: what the value of ``ufunc.at`` is broadcast to."""
    return np.shape(np.empty(np.shape(y), dtype=np.int8)[indices])


def single_element(y: Any, index: Any) -> Any:
    """``y[index]``, which must be one number (a new value, as NumPy gives for an array read
    at an integer in each axis): code that writes into ``y`` while the value is still in
    use reads it so. Anything else (a view of a row, a list or an array a list holds),
    which a write could change, is refused.

    >>> single_element(np.array([1.0, 2.0]), 1)
    np.float64(2.0)
    >>> single_element(np.eye(2), 0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    s2sad.errors.SharedElementError: a read y[index] gave a ndarray, not one number...
    >>> single_element([[1.0], [2.0]], 0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    s2sad.errors.SharedElementError: a read y[index] gave a list, not one number...
    """
    value = y[index]
    if not isinstance(value, (numbers.Number, np.generic)):
        raise SharedElementError(
            located(f"a read y[index] gave a {type(value).__name__}, not one number, and the code "
                    "writes into y while that value is still in use (s2sad took it for one number, "
                    "a copy): make it a copy of its own, v = y[index].copy()"))
    return value


def element(y: Any, index: Any) -> Any:
    """``y[index]``, never a view of ``y``: what a ``ufunc.at`` loop reads before it writes
    the element back (a new value, so a derivative that keeps it may write into ``y``)."""
    value = y[index]
    return value.copy() if isinstance(value, np.ndarray) else value
