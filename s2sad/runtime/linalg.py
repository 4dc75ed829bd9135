"""Helpers for the derivative rules of ``np.linalg`` and ``scipy.linalg``.

Every helper works on stacks of matrices (the last two axes) unless it says otherwise,
and needs only NumPy. Conventions shared by the rules:

* Functions of a symmetric matrix (``cholesky``, ``eigh``, ``eigvalsh``) use the
  *symmetrized* convention: they are differentiated as functions of ``(A + A^T) / 2``.
  Tangents are symmetrized before use and adjoints are symmetric matrices. For a matrix
  built symmetric (``A = B @ B.T``) this gives the exact derivative whichever triangle
  the primal reads.
* Eigenvector and singular-vector derivatives divide by eigenvalue (squared singular
  value) gaps. Exactly repeated values contribute nothing to the vector derivatives (the
  mixing inside a degenerate subspace is undefined and is dropped), nearly repeated
  values give large derivatives. Value-only derivatives stay finite.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import unreduce

# ---- small matrix utilities ---------------------------------------------------------


def mT(x: Any) -> np.ndarray:
    """Transpose of the last two axes (a stack of matrices).

    >>> mT(np.ones((4, 2, 3))).shape
    (4, 3, 2)
    """
    if type(x) is np.ndarray and x.ndim == 2:
        return x.T
    return np.swapaxes(np.asarray(x), -1, -2)


def sym(x: Any) -> np.ndarray:
    """The symmetric part ``(x + x^T) / 2`` of a stack of square matrices."""
    x = np.asarray(x)
    return (x + mT(x)) / 2


def matrix_scale(g: Any) -> Any:
    """A per-matrix factor ``g`` (a scalar, or one per matrix of a stack) shaped to scale
    a stack of matrices. A scalar stays a scalar, so a Python float keeps float32 float32.
    """
    return g if np.ndim(g) == 0 else np.asarray(g)[..., None, None]


def times_unreduced(direction: Any, g: Any, x: Any, axis: Any = None,
                    keepdims: bool = False) -> Any:
    """``direction * g``, with ``g`` the adjoint of a reduction of ``x`` over ``axis``
    broadcast back to ``x``'s shape (a scalar ``g`` is used as is)."""
    if np.ndim(g) == 0:
        return direction * g
    return direction * unreduce(g, x, axis, keepdims)


def col(v: Any, b: Any) -> Any:
    """``v`` as a stack of one-column matrices when ``b`` is a vector (NumPy's rule for
    the right-hand side of ``solve``), unchanged otherwise."""
    if type(b) is np.ndarray:
        return v[..., None] if b.ndim == 1 and type(v) is np.ndarray else \
            np.asarray(v)[..., None] if b.ndim == 1 else v
    return np.asarray(v)[..., None] if np.ndim(b) == 1 else v


def uncol(v: Any, b: Any) -> Any:
    """Undo :func:`col`."""
    if type(b) is np.ndarray and type(v) is np.ndarray:
        return v[..., 0] if b.ndim == 1 else v
    return np.asarray(v)[..., 0] if np.ndim(b) == 1 else v


def diag_embed(d: Any) -> np.ndarray:
    """A stack of diagonal matrices with ``d`` (last axis) on the diagonal."""
    d = np.asarray(d)
    return d[..., None, :] * np.eye(d.shape[-1], dtype=d.dtype)


def sandwich(v: Any, d: Any) -> np.ndarray:
    """``V @ diag(d) @ V^T``."""
    v = np.asarray(v)
    return (v * np.asarray(d)[..., None, :]) @ mT(v)


def quad_diag(v: Any, m: Any) -> np.ndarray:
    """The diagonal of ``V^T @ M @ V``: ``v_j^T M v_j`` for each column ``j``."""
    v = np.asarray(v)
    return np.sum(v * (np.asarray(m) @ v), axis=-2)


def _gap_inverse(w: np.ndarray) -> np.ndarray:
    """``F[i, j] = 1 / (w[j] - w[i])``, and 0 where ``w[j] == w[i]`` (the diagonal too)."""
    diff = w[..., None, :] - w[..., :, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(diff == 0, 0, 1 / np.where(diff == 0, 1, diff)).astype(w.dtype)


def _zero_if_none(g: Any, like: Any) -> np.ndarray:
    return np.zeros_like(like) if g is None else np.asarray(g)


def solve_right(x: Any, r: Any) -> np.ndarray:
    """``x @ inv(r)`` without forming the inverse."""
    return mT(np.linalg.solve(mT(r), mT(x)))


def solve_right_t(x: Any, r: Any) -> np.ndarray:
    """``x @ inv(r)^T`` without forming the inverse."""
    return mT(np.linalg.solve(r, mT(x)))


# ---- Cholesky ------------------------------------------------------------------------


def _phi(x: np.ndarray) -> np.ndarray:
    """The lower triangle of ``x`` with its diagonal halved."""
    n = x.shape[-1]
    weights = np.tril(np.ones((n, n), dtype=x.dtype)) - 0.5 * np.eye(n, dtype=x.dtype)
    return x * weights


def cholesky_jvp(a_dot: Any, factor: Any, upper: bool = False) -> np.ndarray:
    """Tangent of the Cholesky factor (``L``, or ``U = L^T`` when ``upper``).

    With ``A = L L^T``: ``dL = L Phi(L^{-1} sym(dA) L^{-T})``.
    """
    low = mT(factor) if upper else np.asarray(factor)
    inner = np.linalg.solve(low, sym(a_dot))
    inner = mT(np.linalg.solve(low, mT(inner)))
    d_low = low @ _phi(inner)
    return mT(d_low) if upper else d_low


def cholesky_vjp(g: Any, factor: Any, upper: bool = False) -> np.ndarray:
    """Adjoint of ``A`` from the adjoint of its Cholesky factor (a symmetric matrix).

    ``A_bar = sym(L^{-T} Phi(L^T L_bar) L^{-1})``.
    """
    low = mT(factor) if upper else np.asarray(factor)
    low_bar = mT(g) if upper else np.asarray(g)
    p = _phi(mT(low) @ low_bar)
    left = np.linalg.solve(mT(low), p)
    return sym(mT(np.linalg.solve(mT(low), mT(left))))


# ---- symmetric eigendecomposition -----------------------------------------------------


def eigh_jvp(a_dot: Any, w: Any, v: Any) -> tuple[np.ndarray, np.ndarray]:
    """Tangents ``(dw, dV)`` of ``w, V = eigh(A)``: with ``M = V^T sym(dA) V``,
    ``dw = diag(M)`` and ``dV = V (F * M)``, ``F[i, j] = 1 / (w[j] - w[i])``."""
    w = np.asarray(w)
    v = np.asarray(v)
    m = mT(v) @ sym(a_dot) @ v
    dw = np.diagonal(m, axis1=-2, axis2=-1)
    return dw, v @ (_gap_inverse(w) * m)


def eigh_vjp(g: Any, w: Any, v: Any) -> np.ndarray:
    """Adjoint of ``A`` from ``g = (w_bar, V_bar)``:
    ``sym(V (diag(w_bar) + F * V^T V_bar) V^T)``."""
    w = np.asarray(w)
    v = np.asarray(v)
    w_bar = _zero_if_none(g[0], w)
    v_bar = _zero_if_none(g[1], v)
    inner = diag_embed(w_bar) + _gap_inverse(w) * (mT(v) @ v_bar)
    return sym(v @ inner @ mT(v))


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
    f = _gap_inverse(s * s)
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
    u_bar_full = _zero_if_none(g[0], ans[0])
    vh_bar_full = _zero_if_none(g[2], ans[2])
    u_bar = u_bar_full[..., :, :k]
    v_bar = mT(vh_bar_full[..., :k, :])
    if u_rest is not None:
        u_bar = u_bar + _complement_vjp(u_bar_full[..., :, k:], u, u_rest)
    if vh_rest is not None:
        v_bar = v_bar + _complement_vjp(mT(vh_bar_full[..., k:, :]), v, mT(vh_rest))
    s_bar = _zero_if_none(g[1], s)
    f = _gap_inverse(s * s)
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
        q_bar, r_bar = np.zeros_like(q), _zero_if_none(g, ans)
    else:
        q_bar, r_bar = _zero_if_none(g[0], ans[0]), _zero_if_none(g[1], ans[1])
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


# ---- pseudo-inverse and least squares ------------------------------------------------


def pinv_jvp(a_dot: Any, p: Any, a: Any, hermitian: bool = False) -> np.ndarray:
    """Tangent of ``P = pinv(A)`` (constant rank):
    ``-P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P``."""
    a = np.asarray(a)
    p = np.asarray(p)
    a_dot = sym(a_dot) if hermitian else np.asarray(a_dot)
    d_t = mT(a_dot)
    return (
        -p @ a_dot @ p
        + (p @ mT(p)) @ (d_t - (d_t @ a) @ p)
        + (d_t - (p @ a) @ d_t) @ (mT(p) @ p)
    )


def pinv_vjp(g: Any, p: Any, a: Any, hermitian: bool = False) -> np.ndarray:
    """Adjoint of ``A`` from the adjoint of ``P = pinv(A)``:
    ``-P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)``."""
    a = np.asarray(a)
    p = np.asarray(p)
    g = np.asarray(g)
    g_t = mT(g)
    result = (
        -mT(p) @ g @ mT(p)
        + (g_t - a @ (p @ g_t)) @ (p @ mT(p))
        + (mT(p) @ p) @ (g_t - (g_t @ p) @ a)
    )
    return sym(result) if hermitian else result


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
    x_bar = col(_zero_if_none(g[0], ans[0]), b)
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
    result = mT(p) @ col(_zero_if_none(g[0], ans[0]), b)
    if residuals.size and g[1] is not None:
        result = result + 2 * r * np.asarray(g[1])
    return uncol(result, b)


# ---- matrix powers and chained products ------------------------------------------------


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


# ---- array-API style helpers ------------------------------------------------------------


def trace_adjoint(g: Any, x: Any, offset: int = 0) -> np.ndarray:
    """Adjoint of ``np.linalg.trace(x, offset=offset)``: ``g`` times that diagonal's mask."""
    rows, cols = np.shape(x)[-2:]
    mask = np.eye(rows, cols, offset, dtype=np.result_type(g, np.asarray(x).dtype))
    return matrix_scale(g) * mask


def diagonal_adjoint(g: Any, x: Any, offset: int = 0) -> np.ndarray:
    """Adjoint of ``np.linalg.diagonal(x, offset=offset)``: ``g`` placed on that diagonal."""
    g = np.asarray(g)
    out = np.zeros(np.shape(x), dtype=np.result_type(g.dtype, np.asarray(x).dtype))
    index = np.arange(g.shape[-1])
    out[..., index + max(-offset, 0), index + max(offset, 0)] = g
    return out
