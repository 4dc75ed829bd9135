"""Derivatives of the pseudo-inverse and of least squares (``np.linalg.pinv``,
``np.linalg.lstsq``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.linalg import col, mT, uncol, zero_if_none
from s2sad.runtime.linalg_decompositions import svd_values_jvp, svd_values_vjp


def _lstsq_pinv(a: np.ndarray, rank: Any) -> np.ndarray:
    """The pseudo-inverse restricted to the numerical rank ``lstsq`` reported."""
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    k = int(rank)
    return (mT(vh[:k]) / s[:k]) @ mT(u[:, :k])


def _lstsq_parts(ans: Any, a: Any, b: Any):
    a = np.asarray(a)
    x, residuals = np.asarray(ans[0]), np.asarray(ans[1])
    p = _lstsq_pinv(a, ans[2])
    xc = col(x, b)
    r = col(np.asarray(b), b) - a @ xc
    return a, p, xc, r, residuals


def lstsq_jvp_a(a_dot: Any, ans: Any, a: Any, b: Any) -> tuple:
    """Tangents of ``(x, residuals, rank, s) = lstsq(A, b)`` along ``dA`` (constant rank):
    ``dx = -P dA x + P P^T dA^T r + (I - P A) dA^T P^T x`` with ``P = pinv(A)``,
    ``r = b - A x``, and ``d residuals = -2 r^T dA x`` column by column."""
    a, p, xc, r, residuals = _lstsq_parts(ans, a, b)
    a_dot = np.asarray(a_dot)
    d_t = mT(a_dot)
    tail = d_t @ (mT(p) @ xc)
    dx = -p @ (a_dot @ xc) + p @ (mT(p) @ (d_t @ r)) + tail - p @ (a @ tail)
    d_res = -2 * np.sum(r * (a_dot @ xc), axis=0) if residuals.size else np.zeros_like(residuals)
    return uncol(dx, b), d_res, 0.0, svd_values_jvp(a_dot, a)


def lstsq_jvp_b(b_dot: Any, ans: Any, a: Any, b: Any) -> tuple:
    """Tangents of ``lstsq``'s outputs along ``db``: ``dx = P db``, ``d res = 2 r^T db``."""
    a, p, _, r, residuals = _lstsq_parts(ans, a, b)
    b_dot = col(b_dot, b)
    d_res = 2 * np.sum(r * b_dot, axis=0) if residuals.size else np.zeros_like(residuals)
    return uncol(p @ b_dot, b), d_res, 0.0, np.zeros_like(np.asarray(ans[3]))


def lstsq_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> np.ndarray:
    """Adjoint of ``A`` from ``g = (x_bar, residuals_bar, rank_bar, s_bar)``."""
    a, p, xc, r, residuals = _lstsq_parts(ans, a, b)
    x_bar = col(zero_if_none(g[0], ans[0]), b)
    y = mT(p) @ x_bar
    tail = x_bar - p @ (a @ x_bar)
    result = -y @ mT(xc) + r @ mT(p @ y) + (mT(p) @ xc) @ mT(tail)
    if residuals.size and g[1] is not None:
        result = result - 2 * (r * np.asarray(g[1])) @ mT(xc)
    if g[3] is not None:
        result = result + svd_values_vjp(g[3], a)
    return result


def lstsq_vjp_b(g: Any, ans: Any, a: Any, b: Any) -> np.ndarray:
    """Adjoint of ``b``: ``P^T x_bar + 2 r residuals_bar``."""
    a, p, _, r, residuals = _lstsq_parts(ans, a, b)
    result = mT(p) @ col(zero_if_none(g[0], ans[0]), b)
    if residuals.size and g[1] is not None:
        result = result + 2 * r * np.asarray(g[1])
    return uncol(result, b)
