"""Helpers for the derivative rules of ``scipy.special`` (NumPy only)."""

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
