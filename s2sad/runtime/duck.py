"""Duck arrays: arrays of other libraries (Dask, CuPy) that NumPy's functions reach
through ``__array_function__`` and ``__array_ufunc__``, which derivatives keep as they
are instead of converting them to NumPy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np


def is_duck_array(value: Any) -> bool:
    """Whether ``value`` is an array of another library that NumPy's functions and ufuncs
    dispatch to (not a NumPy array)."""
    kind = type(value)
    return (kind is not np.ndarray and hasattr(kind, "__array_function__")
            and hasattr(kind, "__array_ufunc__") and hasattr(value, "shape")
            and hasattr(value, "dtype"))


def is_real_duck_scalar(value: Any) -> bool:
    """Whether ``value`` is a duck array of shape ``()`` holding a real float."""
    return is_duck_array(value) and value.shape == () and np.dtype(value.dtype).kind == "f"


def as_array(value: Any) -> Any:
    """``value`` as an array: ``np.asarray(value)``, except that an array of another
    library stays what it is (a Dask array is not computed).

    >>> as_array([1.0, 2.0])
    array([1., 2.])
    """
    if type(value) is np.ndarray or is_duck_array(value):
        return value
    return np.asarray(value)


def spread_like(g: Any, x: Any) -> Any:
    """``g`` (a number or an array broadcasting to ``x``'s shape) spread to the shape of
    ``x``, an array of another library, as such an array laid out as ``x`` is (a Dask
    array's chunks): no array of ``x``'s size is made here."""
    dtype = np.float64 if type(g) is float else getattr(g, "dtype", None) or np.result_type(g)
    return np.zeros_like(x, dtype=dtype) + g
