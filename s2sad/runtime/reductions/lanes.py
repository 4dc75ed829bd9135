"""What the reductions' helpers share: the reduced axes, lanes along them, float dtypes,
NaN masks."""

from __future__ import annotations

from typing import Any

import numpy as np


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes (None: every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(sorted(int(a) % ndim for a in axes))


def _float_dtype(x: Any) -> np.dtype:
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind in "fc":
        return dtype
    return np.dtype(np.float64)


_REAL_DTYPES: dict[np.dtype, np.dtype] = {}


def _real_dtype(x: Any) -> np.dtype:
    """The real floating dtype of ``x``'s precision (float32 for complex64, ...)."""
    dtype = _float_dtype(x)
    if dtype not in _REAL_DTYPES:
        _REAL_DTYPES[dtype] = np.finfo(dtype).dtype
    return _REAL_DTYPES[dtype]


def _lanes(a: np.ndarray, axis: Any) -> tuple[np.ndarray, tuple[int, ...], tuple[int, ...]]:
    """``a`` with the reduced axes moved to the end and merged into one.

    Returns the (..., n) array, the permutation used and the permuted shape, so that
    :func:`_unlanes` can undo it.
    """
    axes = _axes(axis, a.ndim)
    order = tuple(i for i in range(a.ndim) if i not in axes) + axes
    moved = np.transpose(a, order)
    kept = moved.shape[: a.ndim - len(axes)]
    count = int(np.prod(moved.shape[a.ndim - len(axes):]))
    return np.reshape(moved, kept + (count,)), order, moved.shape


def _unlanes(x: np.ndarray, order: tuple[int, ...], shape: tuple[int, ...]) -> np.ndarray:
    return np.transpose(np.reshape(x, shape), np.argsort(order))


def nan_mask(a: Any, where: Any = True) -> Any:
    """The ``where`` mask of a NaN-ignoring reduction: ``where`` and not NaN."""
    keep = ~np.isnan(a)
    return keep if where is True else np.logical_and(keep, where)

def _reduced_count(shape: tuple[int, ...], axis: Any) -> int:
    """How many elements each result of a reduction over ``axis`` combines."""
    return int(np.prod([shape[i] for i in _axes(axis, len(shape))]))
