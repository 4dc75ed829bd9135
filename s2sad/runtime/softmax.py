"""Log-sum-exp and log-softmax, the fused forms of the max-shifted expressions that
``s2sad.optimize.log_sum_exp`` puts in derivative code.

``m = np.max(z); lse = m + np.log(np.sum(np.exp(z - m)))`` is the stable log-sum-exp
people write; differentiated as written, the shift ``m`` gets an adjoint through the max
(a tie-splitting weight array) that cancels to zero. These functions run the same NumPy
calls in the same order (the same value to the last bit); their rules are the softmax,
computed from the shifted values (``softmax_weights``) as the expression's derivative is:
``exp(z - lse)`` would lose what ``lse`` rounds away (at 1e16 in double precision, or
1e5 in single, ``lse`` is ``m`` to its last bit).

>>> z = np.array([1.0, 2.0, 3.0])
>>> round(float(logsumexp(z)), 12) == round(float(np.log(np.sum(np.exp(z)))), 12)
True
>>> bool(np.allclose(np.exp(log_softmax(z)).sum(), 1.0))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.located import located

_max_reduce = np.maximum.reduce  # an array's max and sum, without the methods' Python layer
_add_reduce = np.add.reduce


def _aligned(axis: Any, keepdims: bool) -> None:
    """The rules hold when the shift lines up with the reduction, as the fusion makes
    sure: over all axes, or with the reduced axes kept."""
    if axis is not None and not keepdims:
        raise ValueError(located("s2sad's logsumexp, log_softmax and softmax reduce over all axes "
                                 "or keep the reduced ones (keepdims=True)"))


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


def softmax_weights(z: Any, lse: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """The softmax of ``z`` as the gradient of its max-shifted log-sum-exp ``lse`` (the
    value of ``logsumexp(z, axis, keepdims)``) is when differentiated as written:
    ``e / np.sum(e, axis, keepdims=True)`` with ``e = np.exp(z - np.max(z, axis,
    keepdims=True))``, exact to rounding at any magnitude of ``z``. Where ``|lse| <= 2``
    its rounding costs ``exp(z - lse)`` no more than an ulp, and that is computed instead
    (``lse`` may be None: not known).

    >>> softmax_weights(np.array([1e16, 1e16, 0.0]), 1e16)
    array([0.5, 0.5, 0. ])
    """
    _aligned(axis, keepdims)
    if type(z) is not np.ndarray:
        if lse is not None and np.all(np.abs(lse) <= 2.0):
            return np.exp(z - _kept(lse, z, axis, keepdims))
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)
    if lse is not None and np.all(np.abs(lse) <= 2.0):
        e = z - _kept(lse, z, axis, keepdims)
    else:
        e = z - _max_reduce(z, axis, None, None, True)
        lse = None
    if e.dtype.kind == "f":
        np.exp(e, out=e)
    else:
        e = np.exp(e)
    if lse is None:
        e /= _add_reduce(e, axis, None, None, True)
    return e


def _kept(lse: Any, z: Any, axis: Any, keepdims: bool) -> Any:
    """``lse`` with the reduced axes kept, to broadcast against ``z``."""
    if axis is None or keepdims:
        return lse
    return np.expand_dims(lse, axis)
