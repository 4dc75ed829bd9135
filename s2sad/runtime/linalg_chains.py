"""Derivatives of matrix powers and chained products (``np.linalg.matrix_power``,
``np.linalg.multi_dot``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.linalg import mT


def _powers(a: np.ndarray, n: int) -> list:
    powers = [np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)]
    for _ in range(n - 1):
        powers.append(powers[-1] @ a)
    return powers


def matrix_power_jvp(a_dot: Any, a: Any, n: int) -> np.ndarray:
    """Tangent of ``A^n``: ``sum_k A^k dA A^(n-1-k)``; for ``n < 0`` through ``inv(A)``."""
    a = np.asarray(a)
    a_dot = np.asarray(a_dot)
    n = int(n)
    if n == 0:
        return np.zeros_like(a_dot)
    if n < 0:
        a = np.linalg.inv(a)
        a_dot = -a @ a_dot @ a
        n = -n
    powers = _powers(a, n)
    return sum(powers[k] @ a_dot @ powers[n - 1 - k] for k in range(n))


def matrix_power_vjp(g: Any, a: Any, n: int) -> np.ndarray:
    """Adjoint of ``A`` from that of ``A^n``: ``sum_k (A^T)^k G (A^T)^(n-1-k)``."""
    a = np.asarray(a)
    g = np.asarray(g)
    n = int(n)
    if n == 0:
        return np.zeros_like(a)
    inverse = None
    if n < 0:
        inverse = np.linalg.inv(a)
        a, n = inverse, -n
    powers = [mT(p) for p in _powers(a, n)]
    result = sum(powers[k] @ g @ powers[n - 1 - k] for k in range(n))
    if inverse is not None:
        result = -mT(inverse) @ result @ mT(inverse)
    return result


def _as_matrices(arrays) -> list:
    """``multi_dot``'s operands as matrices: a 1-D first operand is a row, a 1-D last
    operand a column."""
    mats = [np.asarray(m) for m in arrays]
    if mats[0].ndim == 1:
        mats[0] = mats[0][None, :]
    if mats[-1].ndim == 1:
        mats[-1] = mats[-1][:, None]
    return mats


def multi_dot_jvp(arrays_dot: Any, arrays: Any) -> Any:
    """Tangent of ``multi_dot(arrays)``: one product per operand with its tangent in place."""
    total = None
    for i, tangent in enumerate(arrays_dot):
        if tangent is None:
            continue
        operands = list(arrays)
        operands[i] = tangent
        term = np.linalg.multi_dot(operands)
        total = term if total is None else total + term
    if total is None:
        return np.zeros_like(np.linalg.multi_dot(arrays))
    return total


def multi_dot_vjp(g: Any, arrays: Any) -> Any:
    """Adjoints of every operand of ``multi_dot``: ``prefix^T G suffix^T``."""
    mats = _as_matrices(arrays)
    g = np.asarray(g).reshape(mats[0].shape[0], mats[-1].shape[1])
    count = len(mats)
    suffix = [None] * count  # suffix[i] = mats[i+1] @ ... @ mats[-1]
    for i in range(count - 2, -1, -1):
        suffix[i] = mats[i + 1] if suffix[i + 1] is None else mats[i + 1] @ suffix[i + 1]
    adjoints = []
    prefix = None  # mats[0] @ ... @ mats[i-1]
    for i in range(count):
        left = g if prefix is None else prefix.T @ g
        adjoint = left if suffix[i] is None else left @ suffix[i].T
        adjoints.append(adjoint.reshape(np.shape(arrays[i])))
        prefix = mats[i] if prefix is None else prefix @ mats[i]
    return adjoints if isinstance(arrays, list) else tuple(adjoints)
