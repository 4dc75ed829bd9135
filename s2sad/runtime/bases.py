"""The unit tangents a Jacobian is built from, column by column."""

from __future__ import annotations

from typing import Any

import numpy as np


def unit_tangent(x: Any, j: int) -> Any:
    """The tangent of ``x`` that is 1 at its ``j``-th element (in C order) and 0 elsewhere:
    a number for a number, an array of ``x``'s shape and float dtype for an array.

    >>> unit_tangent(2.0, 0), unit_tangent(np.zeros((2, 2)), 1)
    (1.0, array([[0., 1.],
           [0., 0.]]))
    """
    if np.ndim(x) == 0 and not isinstance(x, np.ndarray):
        return 1.0
    values = np.asarray(x)
    dtype = values.dtype if values.dtype.kind in "fc" else np.float64
    tangent = np.zeros(values.shape, dtype)
    tangent.flat[j] = 1.0
    return tangent
