"""Derivatives of chained products (``np.linalg.multi_dot``); matrix powers are
differentiated through ``upper_block`` (:mod:`s2sad.rules.numpy_linalg`)."""

from __future__ import annotations

from typing import Any

import numpy as np


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
