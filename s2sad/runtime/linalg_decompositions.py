"""Derivatives of the singular value decomposition and QR of ``np.linalg`` (the
conventions of :mod:`s2sad.runtime.linalg`); Cholesky's and the symmetric
eigendecomposition's are expressions in their rules (:mod:`s2sad.rules.numpy_linalg`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.linalg import (
    diag_embed,
    gap_inverse,
    mT,
    solve_right,
    solve_right_t,
    zero_if_none,
)

# ---- singular value decomposition -----------------------------------------------------


def svd_values_jvp(a_dot: Any, a: Any) -> np.ndarray:
    """Tangent of the singular values: ``ds_i = u_i^T dA v_i``."""
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return np.sum(u * (np.asarray(a_dot) @ mT(vh)), axis=-2)


def svd_values_vjp(g: Any, a: Any) -> np.ndarray:
    """Adjoint of ``A`` from the adjoint of its singular values: ``U diag(g) V^T``."""
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return (u * np.asarray(g)[..., None, :]) @ vh


def _complement_jvp(d_first: np.ndarray, first: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Tangent of the completing columns ``rest`` of an orthogonal ``[first | rest]``.

    Orthogonality fixes ``rest^T d_first`` and so ``first^T d_rest``; the rotation inside
    the complement is not determined by the primal, and is taken to be zero:
    ``d_rest = -first d_first^T rest``. Derivatives of quantities that do not depend on
    the choice of the complement's basis (such as ``rest @ rest.T``) are exact.
    """
    return -first @ (mT(d_first) @ rest)


def _complement_vjp(rest_bar: np.ndarray, first: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """Adjoint of ``first``'s tangent from the completing columns' adjoint (see
    :func:`_complement_jvp`)."""
    return -rest @ (mT(rest_bar) @ first)


def _svd_parts(ans: Any):
    """``U, s, Vh`` reduced, and the completing columns of ``U`` and rows of ``Vh``
    (None unless ``full_matrices=True`` for a non-square matrix)."""
    u, s, vh = (np.asarray(t) for t in ans)
    k = s.shape[-1]
    u_rest = u[..., :, k:] if u.shape[-1] > k else None
    vh_rest = vh[..., k:, :] if vh.shape[-2] > k else None
    return u[..., :, :k], s, vh[..., :k, :], u_rest, vh_rest


def svd_jvp(a_dot: Any, ans: Any, a: Any, compute_uv: bool = True) -> Any:
    """Tangent of ``np.linalg.svd``: ``(dU, ds, dVh)``, or ``ds`` without vectors.

    With ``dP = U^T dA V`` and ``F[i, j] = 1 / (s[j]^2 - s[i]^2)``: ``ds = diag(dP)``,
    ``dU = U (F * (dP S + S dP^T)) + (I - U U^T) dA V S^{-1}`` and ``dV`` alike. With
    ``full_matrices=True`` the completing singular vectors follow
    :func:`_complement_jvp`'s convention.
    """
    if not compute_uv:
        return svd_values_jvp(a_dot, a)
    u, s, vh, u_rest, vh_rest = _svd_parts(ans)
    a_dot = np.asarray(a_dot)
    v = mT(vh)
    dp = mT(u) @ a_dot @ v
    ds = np.diagonal(dp, axis1=-2, axis2=-1)
    f = gap_inverse(s * s)
    row, column = s[..., :, None], s[..., None, :]
    du = u @ (f * (dp * column + row * mT(dp))) + (a_dot @ v - u @ dp) / column
    dv = v @ (f * (row * dp + mT(dp) * column)) + (mT(a_dot) @ u - v @ mT(dp)) / column
    if u_rest is not None:
        du = np.concatenate([du, _complement_jvp(du, u, u_rest)], axis=-1)
    if vh_rest is not None:
        dv = np.concatenate([dv, _complement_jvp(dv, v, mT(vh_rest))], axis=-1)
    return du, ds, mT(dv)


def svd_vjp(g: Any, ans: Any, a: Any, compute_uv: bool = True) -> np.ndarray:
    """Adjoint of ``A`` from the adjoints of ``np.linalg.svd``'s outputs:
    ``U [(F * (U^T U_bar - U_bar^T U)) S + diag(s_bar) + S (F * (V^T V_bar - V_bar^T V))] V^T
    + (I - U U^T) U_bar S^{-1} V^T + U S^{-1} V_bar^T (I - V V^T)``."""
    if not compute_uv:
        return svd_values_vjp(g, a)
    u, s, vh, u_rest, vh_rest = _svd_parts(ans)
    v = mT(vh)
    k = s.shape[-1]
    u_bar_full = zero_if_none(g[0], ans[0])
    vh_bar_full = zero_if_none(g[2], ans[2])
    u_bar = u_bar_full[..., :, :k]
    v_bar = mT(vh_bar_full[..., :k, :])
    if u_rest is not None:
        u_bar = u_bar + _complement_vjp(u_bar_full[..., :, k:], u, u_rest)
    if vh_rest is not None:
        v_bar = v_bar + _complement_vjp(mT(vh_bar_full[..., k:, :]), v, mT(vh_rest))
    s_bar = zero_if_none(g[1], s)
    f = gap_inverse(s * s)
    row, column = s[..., :, None], s[..., None, :]
    u_term = f * (mT(u) @ u_bar - mT(u_bar) @ u)
    v_term = f * (mT(v) @ v_bar - mT(v_bar) @ v)
    inner = u_term * column + diag_embed(s_bar) + row * v_term
    result = u @ inner @ vh
    result = result + ((u_bar - u @ (mT(u) @ u_bar)) / column) @ vh
    result = result + u @ ((mT(v_bar) - (mT(v_bar) @ v) @ vh) / row)
    return result


# ---- QR ------------------------------------------------------------------------------


def _qr_parts(ans: Any, a: Any, mode: str):
    """``Q, R`` reduced, and the completing columns of ``Q`` (``mode='complete'`` for a
    tall matrix; None otherwise)."""
    if mode == "r":
        return np.linalg.qr(a)[0], np.asarray(ans), None
    if mode not in ("reduced", "complete"):
        raise NotImplementedError(f"no derivative for np.linalg.qr with mode={mode!r}")
    q, r = (np.asarray(t) for t in ans)
    k = min(r.shape[-2], r.shape[-1])
    rest = q[..., :, k:] if q.shape[-1] > k else None
    return q[..., :, :k], r[..., :k, :], rest


def _qr_tall_jvp(a_dot: np.ndarray, q: np.ndarray, r: np.ndarray):
    c = mT(q) @ solve_right(a_dot, r)
    low = np.tril(c, -1)
    c_minus_omega = c - low + mT(low)  # dR R^{-1}, upper triangular
    return solve_right(a_dot, r) - q @ c_minus_omega, c_minus_omega @ r


def _qr_tall_vjp(q_bar: np.ndarray, r_bar: np.ndarray, q: np.ndarray, r: np.ndarray):
    m = r @ mT(r_bar) - mT(q_bar) @ q
    copied = np.tril(m) + mT(np.tril(m, -1))
    return solve_right_t(q_bar + q @ copied, r)


def qr_jvp(a_dot: Any, ans: Any, a: Any, mode: str = "reduced") -> Any:
    """Tangent of ``np.linalg.qr`` (modes 'reduced', 'complete' and 'r').

    Tall (m >= n, R invertible): with ``C = Q^T dA R^{-1}`` and ``Omega`` the skew matrix
    with ``C``'s strictly lower part, ``dR = (C - Omega) R``, ``dQ = dA R^{-1} - Q (C - Omega)``.
    Wide: ``A = [X | Y]`` with ``X`` square, ``R = [Rx | Q^T Y]``. The completing columns
    of ``mode='complete'`` follow :func:`_complement_jvp`'s convention.
    """
    q, r, rest = _qr_parts(ans, a, mode)
    a_dot = np.asarray(a_dot)
    rows, cols = a_dot.shape[-2:]
    if rows >= cols:
        dq, dr = _qr_tall_jvp(a_dot, q, r)
    else:
        y = np.asarray(a)[..., rows:]
        dq, dr_x = _qr_tall_jvp(a_dot[..., :rows], q, r[..., :rows])
        dr_y = mT(dq) @ y + mT(q) @ a_dot[..., rows:]
        dr = np.concatenate([dr_x, dr_y], axis=-1)
    if rest is not None:
        dq = np.concatenate([dq, _complement_jvp(dq, q, rest)], axis=-1)
        dr = np.concatenate([dr, np.zeros_like(dr[..., : rows - cols, :])], axis=-2)
    return dr if mode == "r" else (dq, dr)


def qr_vjp(g: Any, ans: Any, a: Any, mode: str = "reduced") -> np.ndarray:
    """Adjoint of ``A`` from the adjoints of ``np.linalg.qr``'s outputs.

    Tall: ``M = R R_bar^T - Q_bar^T Q``, ``A_bar = (Q_bar + Q copyltu(M)) R^{-T}``.
    """
    q, r, rest = _qr_parts(ans, a, mode)
    if mode == "r":
        q_bar, r_bar = np.zeros_like(q), zero_if_none(g, ans)
    else:
        q_bar, r_bar = zero_if_none(g[0], ans[0]), zero_if_none(g[1], ans[1])
    k = q.shape[-1]
    if rest is not None:
        q_bar = q_bar[..., :, :k] + _complement_vjp(q_bar[..., :, k:], q, rest)
    r_bar = r_bar[..., :k, :]
    rows, cols = np.shape(a)[-2:]
    if rows >= cols:
        return _qr_tall_vjp(q_bar, r_bar, q, r)
    y = np.asarray(a)[..., rows:]
    v_bar = r_bar[..., rows:]
    x_bar = _qr_tall_vjp(q_bar + y @ mT(v_bar), r_bar[..., :rows], q, r[..., :rows])
    return np.concatenate([x_bar, q @ v_bar], axis=-1)
