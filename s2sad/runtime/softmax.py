"""Log-sum-exp and log-softmax, the fused forms of the max-shifted expressions that
``s2sad.optimize.log_sum_exp`` puts in derivative code.

``m = np.max(z); lse = m + np.log(np.sum(np.exp(z - m)))`` is the stable log-sum-exp
people write; differentiated as written, the shift ``m`` gets an adjoint through the max
(a tie-splitting weight array) that cancels to zero. These functions run the same NumPy
calls in the same order (the same value to the last bit); their rules are the softmax.

>>> z = np.array([1.0, 2.0, 3.0])
>>> round(float(logsumexp(z)), 12) == round(float(np.log(np.sum(np.exp(z)))), 12)
True
>>> bool(np.allclose(np.exp(log_softmax(z)).sum(), 1.0))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

_max_reduce = np.maximum.reduce  # an array's max and sum, without the methods' Python layer
_add_reduce = np.add.reduce


def _aligned(axis: Any, keepdims: bool) -> None:
    """The rules hold when the shift lines up with the reduction, as the fusion makes
    sure: over all axes, or with the reduced axes kept."""
    if axis is not None and not keepdims:
        raise ValueError("s2sad's logsumexp, log_softmax and softmax reduce over all axes "
                         "or keep the reduced ones (keepdims=True)")


def logsumexp(z: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``m + np.log(np.sum(np.exp(z - m), axis, keepdims))`` with ``m = np.max(z, axis,
    keepdims)`` (the ufuncs' own reductions, as an array's methods call them, with less
    overhead)."""
    _aligned(axis, keepdims)
    if type(z) is not np.ndarray:
        m = np.max(z, axis=axis, keepdims=keepdims)
        return m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=keepdims))
    m = _max_reduce(z, axis, None, None, keepdims)
    shifted = z - m
    if shifted.dtype.kind == "f":  # exponentials in place of the differences
        return m + np.log(_add_reduce(np.exp(shifted, out=shifted), axis, None, None,
                                      keepdims))
    return m + np.log(_add_reduce(np.exp(shifted), axis, None, None, keepdims))


def log_softmax(z: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``s - np.log(np.sum(np.exp(s), axis, keepdims))`` with ``s = z - np.max(z, axis,
    keepdims)``."""
    _aligned(axis, keepdims)
    if type(z) is not np.ndarray:
        shifted = z - np.max(z, axis=axis, keepdims=keepdims)
        return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=keepdims))
    shifted = z - _max_reduce(z, axis, None, None, keepdims)
    log_total = np.log(_add_reduce(np.exp(shifted), axis, None, None, keepdims))
    if shifted.dtype.kind != "f":
        return shifted - log_total
    shifted -= log_total  # the same subtraction, into the array it no longer needs
    return shifted


def softmax(z: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``np.exp(z - logsumexp(z, axis, keepdims))``."""
    shifted = z - logsumexp(z, axis, keepdims)
    if type(shifted) is np.ndarray and shifted.dtype.kind == "f":
        return np.exp(shifted, out=shifted)
    return np.exp(shifted)
