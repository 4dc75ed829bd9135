"""Helpers for the derivative rules of ``scipy.special`` (NumPy, and SciPy where a helper
says so)."""

from __future__ import annotations

from typing import Any

import numpy as np


def safe_ratio(x: Any, y: Any) -> Any:
    """``x / y``, and 0 wherever ``x`` is 0 (even where ``y`` is 0 too): the derivative
    ``x / y`` of ``x log y`` in ``y``, with ``0 log 0 = 0`` as ``xlogy`` defines it.

    >>> safe_ratio(np.array([0.0, 1.0]), np.array([0.0, 2.0]))
    array([0. , 0.5])
    """
    x = np.asarray(x)
    zero = x == 0
    result = np.where(zero, 0, x / np.where(zero, 1, y))
    return result[()] if result.ndim == 0 else result



def gamma_density(a: Any, x: Any, like: Any) -> Any:
    """``x^(a-1) e^-x / Gamma(a)``, the slope of ``gammainc(a, x)`` in ``x``, in the
    floating dtype of the result ``like`` (SciPy 1.18 keeps float32 there; a Python ``a``
    would otherwise bring float64 through ``gammaln``).

    >>> round(float(gamma_density(1.0, 1.0, 0.0)), 4), gamma_density(
    ...     2.0, np.ones(2, np.float32), np.zeros(2, np.float32)).dtype
    (0.3679, dtype('float32'))
    """
    from scipy.special import gammaln

    value = np.exp((a - 1) * np.log(x) - x - gammaln(a))
    dtype = getattr(like, "dtype", None)
    if dtype is None or dtype.kind != "f" or value.dtype == dtype:
        return value
    return value.astype(dtype)
