"""Derivative rules for ``np.linalg``.

Closed forms throughout, each rule one expression of NumPy functions and of helpers that
have rules of their own (:mod:`s2sad.rules.linalg_helpers`), so every derivative is
differentiated again like any other code: second and higher derivatives of Cholesky,
``eigh``, the SVD, QR, ``pinv``, ``lstsq`` and matrix powers. The helpers and shared
conventions are in :mod:`s2sad.runtime.linalg` (``rank_pinv`` in ``linalg_inverses``,
QR's flags in ``linalg_decompositions``, ``multi_dot``'s in ``linalg_chains``), the norms'
in :mod:`s2sad.runtime.norms`:

* ``cholesky``, ``eigh`` and ``eigvalsh`` are differentiated as functions of the
  symmetric part ``(A + A^T) / 2`` (NumPy reads one triangle only): tangents are
  symmetrized, adjoints are symmetric matrices.
* ``eigh`` / ``svd`` vector derivatives are undefined at repeated eigenvalues (singular
  values). Exactly equal ones that the direction (or the vectors' adjoint) couples give NaN
  vector derivatives, and so NaN second derivatives of the values: a Hessian there needs
  divided differences no rule sees. Equal values nothing couples (eigenvalues alone at first
  order, a direction that keeps them equal) give numbers; nearly equal ones large values.
* ``svd(full_matrices=True)`` and ``qr(mode='complete')`` of a non-square matrix complete
  an orthogonal basis that the matrix does not determine: the completing vectors get the
  tangent that does not rotate the completion within itself. Anything that does not
  depend on the choice of that basis (the first columns, projectors) is differentiated
  exactly. ``qr`` supports modes 'reduced', 'complete' and 'r', and needs an invertible
  leading block of ``R``.
* ``lstsq`` and ``pinv`` assume the numerical rank does not change under perturbation (to
  every order: at a rank-deficient matrix the derivatives are those along the matrices of
  the same rank).
* ``multi_dot``'s helpers have no rules yet: its second derivatives are refused.
* Norms have zero gradient at zero, and ties of a max/min norm share the gradient.

Every rule works on stacks of matrices where NumPy does.
"""

import operator

import numpy as np

from s2sad.rules.registry import (
    constant,
    jvp_rule,
    linear,
    nondifferentiable,
    share,
    vjp_rule,
)
from s2sad.runtime import conj, real_adjoint, unbroadcast, zeros_like
from s2sad.runtime.linalg import (
    col,
    copy_lower,
    diag_embed,
    diagonal_adjoint,
    first_columns,
    gap_inverse,
    lower_half,
    lower_onto_upper,
    matrix_scale,
    mT,
    other_columns,
    solve_right,
    sym,
    sym_if,
    times_unreduced,
    trace_adjoint,
    uncol,
    undefined_at_ties,
    upper_block,
    upper_right,
    zero_if_none,
)
from s2sad.runtime.linalg_chains import (
    multi_dot_jvp,
    multi_dot_vjp,
)
from s2sad.runtime.linalg_decompositions import qr_completes, qr_mode_refused
from s2sad.runtime.linalg_inverses import rank_pinv
from s2sad.runtime.norms import norm_direction, vector_norm_direction
from s2sad.runtime.rank_one import outer_columns
from s2sad.runtime.reductions import total
from s2sad.runtime.scipy_factorizations import flip_trans, is_transposed

# ---- solve, inv, det, slogdet ---------------------------------------------------------
# x = solve(A, b): b_bar = solve(A^T, x_bar), A_bar = -b_bar x^T (b a vector or a stack
# of matrices, NumPy's rule); both summed down where A or b was broadcast.


@vjp_rule(np.linalg.solve, "a")
def solve_a(g, ans, a, b):
    return unbroadcast(-outer_columns(np.linalg.solve(mT(a), col(g, b)), col(ans, b)), a)


@vjp_rule(np.linalg.solve, "b")
def solve_b(g, ans, a, b):
    return unbroadcast(uncol(np.linalg.solve(mT(a), col(g, b)), b), b)


@jvp_rule(np.linalg.solve, "a")
def solve_a_dot(a_dot, ans, a, b):
    return -uncol(np.linalg.solve(a, a_dot @ col(ans, b)), b)


linear(np.linalg.solve, solve_b, "b")


@vjp_rule(np.linalg.inv)
def inv_a(g, ans, a):
    return -mT(ans) @ g @ mT(ans)


@jvp_rule(np.linalg.inv)
def inv_a_dot(a_dot, ans, a):
    return -ans @ a_dot @ ans


@vjp_rule(np.linalg.det)
def det_a(g, ans, a):
    return matrix_scale(g * ans) * mT(np.linalg.inv(a))


@jvp_rule(np.linalg.det)
def det_a_dot(a_dot, ans, a):
    return ans * np.trace(np.linalg.solve(a, a_dot), axis1=-2, axis2=-1)


# slogdet returns (sign, logabsdet); the sign is piecewise constant.
@vjp_rule(np.linalg.slogdet)
def slogdet_a(g, ans, a):
    return matrix_scale(g[1]) * mT(np.linalg.inv(a))


@jvp_rule(np.linalg.slogdet)
def slogdet_a_dot(a_dot, ans, a):
    return (zeros_like(ans[0]), np.trace(np.linalg.solve(a, a_dot), axis1=-2, axis2=-1))


# ---- decompositions -----------------------------------------------------------------


# A = L L^T: dL = L Phi(L^{-1} sym(dA) L^{-T}), A_bar = sym(L^{-T} Phi(L^T L_bar) L^{-1})
# (Phi: lower_half); with upper=True, U = L^T. Each a single expression of solves,
# products and linear helpers, so it differentiates again.
@vjp_rule(np.linalg.cholesky)
def cholesky_a(g, ans, a, *, upper=False):
    return (sym(np.linalg.solve(ans, mT(np.linalg.solve(ans, lower_half(ans @ mT(g))))))
            if upper else
            sym(np.linalg.solve(mT(ans), mT(np.linalg.solve(mT(ans), lower_half(mT(ans) @ g))))))


@jvp_rule(np.linalg.cholesky)
def cholesky_a_dot(a_dot, ans, a, *, upper=False):
    return (mT(lower_half(np.linalg.solve(mT(ans), mT(np.linalg.solve(mT(ans), sym(a_dot))))))
            @ ans if upper else
            ans @ lower_half(np.linalg.solve(ans, mT(np.linalg.solve(ans, sym(a_dot))))))


# w, V = eigh(A), M = V^T sym(dA) V, F = gap_inverse(w): dw = diag(M), dV = V (F * M);
# A_bar = sym(V (diag(w_bar) + F * V^T V_bar) V^T). Where equal eigenvalues are coupled
# (M or V^T V_bar nonzero between them) the vectors' derivative is not defined: NaN
# (undefined_at_ties), so no second derivative at a repeated eigenvalue is silently wrong.
@vjp_rule(np.linalg.eigh)
def eigh_a(g, ans, a, UPLO="L"):  # noqa: N803 (NumPy's parameter name)
    return sym(ans[1] @ (diag_embed(zero_if_none(g[0], ans[0]))
                         + gap_inverse(ans[0]) * (mT(ans[1]) @ zero_if_none(g[1], ans[1]))
                         + undefined_at_ties(ans[0], mT(ans[1]) @ zero_if_none(g[1], ans[1])))
               @ mT(ans[1]))


@jvp_rule(np.linalg.eigh)
def eigh_a_dot(a_dot, ans, a, UPLO="L"):  # noqa: N803
    return (np.diagonal(mT(ans[1]) @ sym(a_dot) @ ans[1], axis1=-2, axis2=-1),
            ans[1] @ (gap_inverse(ans[0]) * (mT(ans[1]) @ sym(a_dot) @ ans[1])
                      + undefined_at_ties(ans[0], mT(ans[1]) @ sym(a_dot) @ ans[1])))


@vjp_rule(np.linalg.eigvalsh)
def eigvalsh_a(g, ans, a, UPLO="L"):  # noqa: N803
    return ((np.linalg.eigh(a, UPLO)[1] * np.expand_dims(g, -2))
            @ mT(np.linalg.eigh(a, UPLO)[1]))


@jvp_rule(np.linalg.eigvalsh)
def eigvalsh_a_dot(a_dot, ans, a, UPLO="L"):  # noqa: N803
    return np.sum(np.linalg.eigh(a, UPLO)[1] * (sym(a_dot) @ np.linalg.eigh(a, UPLO)[1]),
                  axis=-2)


# A = U S V^T, U1, V1 the vectors that go with s, UR, VR the completing ones
# (full_matrices=True, none otherwise), F = gap_inverse(s^2), P = U1^T dA V1:
# ds = diag(P), dU1 = U1 (F * (P S + S P^T) - P S^{-1}) + dA V1 S^{-1},
# dV1 = V1 (F * (S P + P^T S) - P^T S^{-1}) + dA^T U1 S^{-1}, and the completing vectors
# turn only towards the first ones (dUR = -U1 S^{-1} V1^T dA^T UR). The adjoint is the
# transpose: with G, H the adjoints of U and V split alike,
# A_bar = U1 [(F * (U1^T G1 - G1^T U1)) S + diag(s_bar) + S (F * (V1^T H1 - H1^T V1))] V1^T
#   + (G1 - U1 U1^T G1 - UR GR^T U1) S^{-1} V1^T + U1 S^{-1} (H1 - V1 V1^T H1 - VR HR^T V1)^T.
# Without vectors: ds = diag(U^T dA V), A_bar = U diag(s_bar) V^T. Coupled equal singular
# values make the vectors' derivatives NaN (undefined_at_ties), as eigh's.
@vjp_rule(np.linalg.svd)
def svd_a(g, ans, a, full_matrices=True, compute_uv=True):
    return ((first_columns(ans[0], ans[1])
             @ ((gap_inverse(ans[1] * ans[1])
                 * (mT(first_columns(ans[0], ans[1]))
                    @ first_columns(zero_if_none(g[0], ans[0]), ans[1])
                    - mT(first_columns(zero_if_none(g[0], ans[0]), ans[1]))
                    @ first_columns(ans[0], ans[1])))
                * np.expand_dims(ans[1], -2)
                + undefined_at_ties(ans[1], mT(first_columns(ans[0], ans[1]))
                                    @ first_columns(zero_if_none(g[0], ans[0]), ans[1]))
                + diag_embed(zero_if_none(g[1], ans[1]))
                + undefined_at_ties(ans[1], mT(first_columns(mT(ans[2]), ans[1]))
                                    @ first_columns(mT(zero_if_none(g[2], ans[2])), ans[1]))
                + np.expand_dims(ans[1], -1)
                * (gap_inverse(ans[1] * ans[1])
                   * (mT(first_columns(mT(ans[2]), ans[1]))
                      @ first_columns(mT(zero_if_none(g[2], ans[2])), ans[1])
                      - mT(first_columns(mT(zero_if_none(g[2], ans[2])), ans[1]))
                      @ first_columns(mT(ans[2]), ans[1]))))
             + ((first_columns(zero_if_none(g[0], ans[0]), ans[1])
                 - first_columns(ans[0], ans[1])
                 @ (mT(first_columns(ans[0], ans[1]))
                    @ first_columns(zero_if_none(g[0], ans[0]), ans[1]))
                 - other_columns(ans[0], ans[1])
                 @ (mT(other_columns(zero_if_none(g[0], ans[0]), ans[1]))
                    @ first_columns(ans[0], ans[1])))
                / np.expand_dims(ans[1], -2)))
            @ mT(first_columns(mT(ans[2]), ans[1]))
            + first_columns(ans[0], ans[1])
            @ (mT(first_columns(mT(zero_if_none(g[2], ans[2])), ans[1])
                  - first_columns(mT(ans[2]), ans[1])
                  @ (mT(first_columns(mT(ans[2]), ans[1]))
                     @ first_columns(mT(zero_if_none(g[2], ans[2])), ans[1]))
                  - other_columns(mT(ans[2]), ans[1])
                  @ (mT(other_columns(mT(zero_if_none(g[2], ans[2])), ans[1]))
                     @ first_columns(mT(ans[2]), ans[1])))
               / np.expand_dims(ans[1], -1))
            if compute_uv else
            (np.linalg.svd(a, full_matrices=False)[0] * np.expand_dims(g, -2))
            @ np.linalg.svd(a, full_matrices=False)[2])


@jvp_rule(np.linalg.svd)
def svd_a_dot(a_dot, ans, a, full_matrices=True, compute_uv=True):
    return ((np.concatenate(
                [first_columns(ans[0], ans[1])
                 @ (gap_inverse(ans[1] * ans[1])
                    * ((mT(first_columns(ans[0], ans[1])) @ a_dot
                        @ first_columns(mT(ans[2]), ans[1])) * np.expand_dims(ans[1], -2)
                       + np.expand_dims(ans[1], -1)
                       * mT(mT(first_columns(ans[0], ans[1])) @ a_dot
                            @ first_columns(mT(ans[2]), ans[1])))
                    - (mT(first_columns(ans[0], ans[1])) @ a_dot
                       @ first_columns(mT(ans[2]), ans[1])) / np.expand_dims(ans[1], -2)
                    + undefined_at_ties(ans[1], mT(first_columns(ans[0], ans[1])) @ a_dot
                                        @ first_columns(mT(ans[2]), ans[1])))
                 + (a_dot @ first_columns(mT(ans[2]), ans[1])) / np.expand_dims(ans[1], -2),
                 -first_columns(ans[0], ans[1])
                 @ ((mT(a_dot @ first_columns(mT(ans[2]), ans[1]))
                     @ other_columns(ans[0], ans[1])) / np.expand_dims(ans[1], -1))],
                axis=-1),
             np.diagonal(mT(first_columns(ans[0], ans[1])) @ a_dot
                         @ first_columns(mT(ans[2]), ans[1]), axis1=-2, axis2=-1),
             mT(np.concatenate(
                 [first_columns(mT(ans[2]), ans[1])
                  @ (gap_inverse(ans[1] * ans[1])
                     * (np.expand_dims(ans[1], -1)
                        * (mT(first_columns(ans[0], ans[1])) @ a_dot
                           @ first_columns(mT(ans[2]), ans[1]))
                        + mT(mT(first_columns(ans[0], ans[1])) @ a_dot
                             @ first_columns(mT(ans[2]), ans[1])) * np.expand_dims(ans[1], -2))
                     - mT(mT(first_columns(ans[0], ans[1])) @ a_dot
                          @ first_columns(mT(ans[2]), ans[1])) / np.expand_dims(ans[1], -2)
                     + undefined_at_ties(ans[1], mT(first_columns(ans[0], ans[1])) @ a_dot
                                         @ first_columns(mT(ans[2]), ans[1])))
                  + (mT(a_dot) @ first_columns(ans[0], ans[1])) / np.expand_dims(ans[1], -2),
                  -first_columns(mT(ans[2]), ans[1])
                  @ ((mT(first_columns(ans[0], ans[1])) @ a_dot
                      @ other_columns(mT(ans[2]), ans[1])) / np.expand_dims(ans[1], -1))],
                 axis=-1)))
            if compute_uv else
            np.sum(np.linalg.svd(a, full_matrices=False)[0]
                   * (a_dot @ mT(np.linalg.svd(a, full_matrices=False)[2])), axis=-2))


@vjp_rule(np.linalg.svdvals)
def svdvals_x(g, ans, x):
    return ((np.linalg.svd(x, full_matrices=False)[0] * np.expand_dims(g, -2))
            @ np.linalg.svd(x, full_matrices=False)[2])


@jvp_rule(np.linalg.svdvals)
def svdvals_x_dot(x_dot, ans, x):
    return np.sum(np.linalg.svd(x, full_matrices=False)[0]
                  * (x_dot @ mT(np.linalg.svd(x, full_matrices=False)[2])), axis=-2)


# QR: with Q, R reduced and A = [X | Y], X square (Y empty for a tall or square A), Rx
# R's leading block, C = Q^T dX Rx^{-1} and lower_onto_upper(C) = C - Omega = dRx Rx^{-1}:
# dQ = dX Rx^{-1} - Q (C - Omega), dR = [(C - Omega) Rx | dQ^T Y + Q^T dY];
# A_bar = [(Q_bar' + Q copy_lower(Rx R_bar_x^T - Q_bar'^T Q)) Rx^{-T} | Q R_bar_y] with
# Q_bar' = Q_bar + Y R_bar_y^T. Mode 'r' recomputes Q, with Q_bar = 0; mode 'complete' of a
# tall matrix completes Q with columns that turn only towards the first ones.
@vjp_rule(np.linalg.qr)
def qr_a(g, ans, a, mode="reduced"):
    return ((np.concatenate([solve_right(((other_columns(a, np.linalg.qr(a)[0])
                                           @ mT(other_columns(g, np.linalg.qr(a)[0])))
                                          + (np.linalg.qr(a)[0]
                                             @ copy_lower(((first_columns(ans,
                                                                          np.linalg.qr(a)[0])
                                                            @ mT(first_columns(g,
                                                                               np.linalg.qr(a)[0])))
                                                           - (mT(other_columns(a,
                                                                               np.linalg.qr(a)[0])
                                                                 @ mT(other_columns(g,
                                                                                    np.linalg.qr(a)[0])))
                                                              @ np.linalg.qr(a)[0]))))),
                                         mT(first_columns(ans, np.linalg.qr(a)[0]))),
                             (np.linalg.qr(a)[0] @ other_columns(g, np.linalg.qr(a)[0]))],
                            axis=-1)
             if mode == "r" else
             (solve_right((first_columns(g[0], ans[1])
                           - (other_columns(ans[0], ans[1])
                              @ (mT(other_columns(g[0], ans[1])) @ first_columns(ans[0], ans[1])))
                           + (first_columns(ans[0], ans[1])
                              @ copy_lower(((mT(first_columns(mT(ans[1]), ans[1]))
                                             @ first_columns(mT(g[1]), ans[1]))
                                            - (mT((first_columns(g[0], ans[1])
                                                   - (other_columns(ans[0], ans[1])
                                                      @ (mT(other_columns(g[0], ans[1]))
                                                         @ first_columns(ans[0], ans[1])))))
                                               @ first_columns(ans[0], ans[1])))))),
                          first_columns(mT(ans[1]), ans[1]))
              if qr_completes(a, mode) else
              np.concatenate([solve_right((g[0]
                                           + (other_columns(a, ans[0])
                                              @ mT(other_columns(g[1], ans[0])))
                                           + (ans[0]
                                              @ copy_lower(((first_columns(ans[1], ans[0])
                                                             @ mT(first_columns(g[1], ans[0])))
                                                            - (mT((g[0]
                                                                   + (other_columns(a, ans[0])
                                                                      @ mT(other_columns(g[1],
                                                                                         ans[0])))))
                                                               @ ans[0]))))),
                                          mT(first_columns(ans[1], ans[0]))),
                              (ans[0] @ other_columns(g[1], ans[0]))],
                             axis=-1)))
            if mode == "reduced" or mode == "complete" or mode == "r" else
            qr_mode_refused(mode))



@jvp_rule(np.linalg.qr)
def qr_a_dot(a_dot, ans, a, mode="reduced"):
    return ((np.concatenate([(lower_onto_upper(mT(np.linalg.qr(a)[0])
                                                @ solve_right(first_columns(a_dot,
                                                                            np.linalg.qr(a)[0]),
                                                              first_columns(ans,
                                                                            np.linalg.qr(a)[0])))
                              @ first_columns(ans, np.linalg.qr(a)[0])),
                             ((mT((solve_right(first_columns(a_dot, np.linalg.qr(a)[0]),
                                               first_columns(ans, np.linalg.qr(a)[0]))
                                   - (np.linalg.qr(a)[0]
                                      @ lower_onto_upper((mT(np.linalg.qr(a)[0])
                                                          @ solve_right(first_columns(a_dot,
                                                                                      np.linalg.qr(a)[0]),
                                                                        first_columns(ans,
                                                                                      np.linalg.qr(a)[0])))))))
                               @ other_columns(a, np.linalg.qr(a)[0]))
                              + (mT(np.linalg.qr(a)[0])
                                 @ other_columns(a_dot, np.linalg.qr(a)[0])))],
                            axis=-1)
             if mode == "r" else
             ((np.concatenate([(solve_right(a_dot, mT(first_columns(mT(ans[1]), ans[1])))
                                - (first_columns(ans[0], ans[1])
                                   @ lower_onto_upper((mT(first_columns(ans[0], ans[1]))
                                                       @ solve_right(a_dot,
                                                                     mT(first_columns(mT(ans[1]),
                                                                                      ans[1]))))))),
                               (-first_columns(ans[0], ans[1])
                                @ (mT(solve_right(a_dot, mT(first_columns(mT(ans[1]), ans[1]))))
                                   @ other_columns(ans[0], ans[1])))],
                              axis=-1),
               np.concatenate([(lower_onto_upper(mT(first_columns(ans[0], ans[1]))
                                                  @ solve_right(a_dot,
                                                                mT(first_columns(mT(ans[1]),
                                                                                 ans[1]))))
                                @ mT(first_columns(mT(ans[1]), ans[1]))),
                               np.zeros_like(mT(other_columns(mT(ans[1]), ans[1])))],
                              axis=-2))
              if qr_completes(a, mode) else
              ((solve_right(first_columns(a_dot, ans[0]), first_columns(ans[1], ans[0]))
                - (ans[0]
                   @ lower_onto_upper((mT(ans[0])
                                       @ solve_right(first_columns(a_dot, ans[0]),
                                                     first_columns(ans[1], ans[0])))))),
               np.concatenate([(lower_onto_upper(mT(ans[0])
                                                  @ solve_right(first_columns(a_dot, ans[0]),
                                                                first_columns(ans[1], ans[0])))
                                @ first_columns(ans[1], ans[0])),
                               ((mT((solve_right(first_columns(a_dot, ans[0]),
                                                 first_columns(ans[1], ans[0]))
                                     - (ans[0]
                                        @ lower_onto_upper((mT(ans[0])
                                                            @ solve_right(first_columns(a_dot,
                                                                                        ans[0]),
                                                                          first_columns(ans[1],
                                                                                        ans[0])))))))
                                 @ other_columns(a, ans[0]))
                                + (mT(ans[0]) @ other_columns(a_dot, ans[0])))],
                              axis=-1))))
            if mode == "reduced" or mode == "complete" or mode == "r" else
            qr_mode_refused(mode))


# ---- least squares and the pseudo-inverse -------------------------------------------
# lstsq returns (x, residuals, rank, s): x, the residuals and s are differentiated, the
# rank is constant. With P = rank_pinv(A, rank) (constant rank) and r = b - A x:
# dx = -P dA x + P P^T dA^T r + (I - P A) dA^T P^T x + P db,
# d residuals = -2 r^T dA x + 2 r^T db column by column (empty when lstsq gives none),
# ds as svd's singular values'.


@vjp_rule(np.linalg.lstsq, "a")
def lstsq_a(g, ans, a, b, rcond=None):
    return (-(mT(rank_pinv(a, ans[2])) @ col(zero_if_none(g[0], ans[0]), b)) @ mT(col(ans[0], b))
            + (col(b, b) - a @ col(ans[0], b))
            @ mT(rank_pinv(a, ans[2]) @ (mT(rank_pinv(a, ans[2]))
                                         @ col(zero_if_none(g[0], ans[0]), b)))
            + (mT(rank_pinv(a, ans[2])) @ col(ans[0], b))
            @ mT(col(zero_if_none(g[0], ans[0]), b)
                 - rank_pinv(a, ans[2]) @ (a @ col(zero_if_none(g[0], ans[0]), b)))
            - (2 * ((col(b, b) - a @ col(ans[0], b)) * zero_if_none(g[1], ans[1]))
               @ mT(col(ans[0], b)) if np.size(ans[1]) else 0.0)
            + (np.linalg.svd(a, full_matrices=False)[0]
               * np.expand_dims(zero_if_none(g[3], ans[3]), -2))
            @ np.linalg.svd(a, full_matrices=False)[2])


@vjp_rule(np.linalg.lstsq, "b")
def lstsq_b(g, ans, a, b, rcond=None):
    return uncol(mT(rank_pinv(a, ans[2])) @ col(zero_if_none(g[0], ans[0]), b)
                 + (2 * (col(b, b) - a @ col(ans[0], b)) * zero_if_none(g[1], ans[1])
                    if np.size(ans[1]) else 0.0), b)


@jvp_rule(np.linalg.lstsq, "a")
def lstsq_a_dot(a_dot, ans, a, b, rcond=None):
    return (uncol(-rank_pinv(a, ans[2]) @ (a_dot @ col(ans[0], b))
                  + rank_pinv(a, ans[2]) @ (mT(rank_pinv(a, ans[2]))
                                            @ (mT(a_dot) @ (col(b, b) - a @ col(ans[0], b))))
                  + mT(a_dot) @ (mT(rank_pinv(a, ans[2])) @ col(ans[0], b))
                  - rank_pinv(a, ans[2])
                  @ (a @ (mT(a_dot) @ (mT(rank_pinv(a, ans[2])) @ col(ans[0], b)))), b),
            (-2 * np.sum((col(b, b) - a @ col(ans[0], b)) * (a_dot @ col(ans[0], b)), axis=0)
             if np.size(ans[1]) else np.zeros_like(ans[1])),
            0.0,
            np.sum(np.linalg.svd(a, full_matrices=False)[0]
                   * (a_dot @ mT(np.linalg.svd(a, full_matrices=False)[2])), axis=-2))


@jvp_rule(np.linalg.lstsq, "b")
def lstsq_b_dot(b_dot, ans, a, b, rcond=None):
    return (uncol(rank_pinv(a, ans[2]) @ col(b_dot, b), b),
            (2 * np.sum((col(b, b) - a @ col(ans[0], b)) * col(b_dot, b), axis=0)
             if np.size(ans[1]) else np.zeros_like(ans[1])),
            0.0,
            np.zeros_like(ans[3]))


# P = pinv(A), at constant rank: dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P,
# A_bar = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A) (symmetrized for hermitian)
@vjp_rule(np.linalg.pinv)
def pinv_a(g, ans, a, rcond=None, hermitian=False):
    return sym_if(-mT(ans) @ g @ mT(ans)
                  + (mT(g) - a @ (ans @ mT(g))) @ (ans @ mT(ans))
                  + (mT(ans) @ ans) @ (mT(g) - (mT(g) @ ans) @ a), hermitian)


@jvp_rule(np.linalg.pinv)
def pinv_a_dot(a_dot, ans, a, rcond=None, hermitian=False):
    return (-ans @ sym_if(a_dot, hermitian) @ ans
            + (ans @ mT(ans)) @ (mT(sym_if(a_dot, hermitian))
                                 - (mT(sym_if(a_dot, hermitian)) @ a) @ ans)
            + (mT(sym_if(a_dot, hermitian)) - (ans @ a) @ mT(sym_if(a_dot, hermitian)))
            @ (mT(ans) @ ans))


# ---- norms ------------------------------------------------------------------------------
# d norm = sum over the reduced axes of direction * dx, where direction is the (sub)gradient.


@vjp_rule(np.linalg.norm)
def norm_x(g, ans, x, ord=None, axis=None, keepdims=False):
    return times_unreduced(norm_direction(x, ord, axis), real_adjoint(g), x, axis, keepdims)


@jvp_rule(np.linalg.norm)
def norm_x_dot(x_dot, ans, x, ord=None, axis=None, keepdims=False):
    return np.real(total(conj(norm_direction(x, ord, axis)) * x_dot, axis=axis,
                         keepdims=keepdims))


@vjp_rule(np.linalg.vector_norm)
def vector_norm_x(g, ans, x, *, axis=None, keepdims=False, ord=2):
    return times_unreduced(vector_norm_direction(x, ord, axis), real_adjoint(g), x, axis, keepdims)


@jvp_rule(np.linalg.vector_norm)
def vector_norm_x_dot(x_dot, ans, x, *, axis=None, keepdims=False, ord=2):
    return np.real(total(conj(vector_norm_direction(x, ord, axis)) * x_dot, axis=axis,
                         keepdims=keepdims))


@vjp_rule(np.linalg.matrix_norm)
def matrix_norm_x(g, ans, x, *, keepdims=False, ord="fro"):
    return times_unreduced(norm_direction(x, ord, (-2, -1)), real_adjoint(g), x, (-2, -1), keepdims)


@jvp_rule(np.linalg.matrix_norm)
def matrix_norm_x_dot(x_dot, ans, x, *, keepdims=False, ord="fro"):
    return np.real(total(conj(norm_direction(x, ord, (-2, -1))) * x_dot, axis=(-2, -1),
                         keepdims=keepdims))


# ---- powers and products ----------------------------------------------------------------


# [[A, E], [0, A]]^n = [[A^n, D(A^n)[E]], [0, A^n]] (n < 0 too); the adjoint of
# E -> D(A^n)[E] is G -> D((A^T)^n)[G]. matrix_power of a block again: every order.
@vjp_rule(np.linalg.matrix_power)
def matrix_power_a(g, ans, a, n):
    return upper_right(np.linalg.matrix_power(upper_block(mT(a), g), n))


@jvp_rule(np.linalg.matrix_power)
def matrix_power_a_dot(a_dot, ans, a, n):
    return upper_right(np.linalg.matrix_power(upper_block(a, a_dot), n))


@vjp_rule(np.linalg.multi_dot)
def multi_dot_arrays(g, ans, arrays):
    return multi_dot_vjp(g, arrays)


@jvp_rule(np.linalg.multi_dot)
def multi_dot_arrays_dot(arrays_dot, ans, arrays):
    return multi_dot_jvp(arrays_dot, arrays)


share(np.linalg.matmul, operator.matmul)  # the rules of @ (s2sad.rules.operators)


@vjp_rule(np.linalg.outer, "x1")
def linalg_outer_x1(g, ans, x1, x2):
    return g @ x2


@vjp_rule(np.linalg.outer, "x2")
def linalg_outer_x2(g, ans, x1, x2):
    return x1 @ g


linear(np.linalg.outer, linalg_outer_x1, "x1", "x2")


@vjp_rule(np.linalg.vecdot, "x1")
def linalg_vecdot_x1(g, ans, x1, x2, *, axis=-1):
    return unbroadcast(np.expand_dims(g, axis) * x2, x1)


@vjp_rule(np.linalg.vecdot, "x2")
def linalg_vecdot_x2(g, ans, x1, x2, *, axis=-1):
    return unbroadcast(np.expand_dims(g, axis) * x1, x2)


linear(np.linalg.vecdot, linalg_vecdot_x1, "x1", "x2")


@vjp_rule(np.linalg.cross, "x1")
def linalg_cross_x1(g, ans, x1, x2, *, axis=-1):
    return unbroadcast(np.linalg.cross(x2, g, axis=axis), x1)


@vjp_rule(np.linalg.cross, "x2")
def linalg_cross_x2(g, ans, x1, x2, *, axis=-1):
    return unbroadcast(np.linalg.cross(g, x1, axis=axis), x2)


linear(np.linalg.cross, linalg_cross_x1, "x1", "x2")


# ---- linear reshufflings ----------------------------------------------------------------


@vjp_rule(np.linalg.matrix_transpose)
def linalg_matrix_transpose_x(g, ans, x):
    return mT(g)


linear(np.linalg.matrix_transpose, linalg_matrix_transpose_x, "x")


@vjp_rule(np.linalg.trace)
def linalg_trace_x(g, ans, x, *, offset=0):
    return trace_adjoint(g, x, offset)


linear(np.linalg.trace, linalg_trace_x, "x")


@vjp_rule(np.linalg.diagonal)
def linalg_diagonal_x(g, ans, x, *, offset=0):
    return diagonal_adjoint(g, x, offset)


linear(np.linalg.diagonal, linalg_diagonal_x, "x")


nondifferentiable(np.linalg.matrix_rank)


# ---- the helpers the rules above call, so that derivatives differentiate again -------

nondifferentiable(is_transposed, flip_trans)  # flags


# matrix_scale(g) reshapes a per-matrix factor to scale matrices: its transpose reshapes
# back (the adjoint reaching it is summed to its shape by the product it scales)
@vjp_rule(matrix_scale, "g")
def matrix_scale_g(c, ans, g):
    return np.reshape(c, np.shape(g))


linear(matrix_scale, matrix_scale_g, "g")


# trace_adjoint(g, x, offset) puts g on a diagonal; its transpose is the trace
@vjp_rule(trace_adjoint, "g")
def trace_adjoint_g(c, ans, g, x, offset=0):
    return unbroadcast(np.trace(c, offset, -2, -1), g)


linear(trace_adjoint, trace_adjoint_g, "g")
constant(trace_adjoint, trace_adjoint_g, "x")


# diagonal_adjoint puts g on a diagonal; np.linalg.diagonal reads it back
@vjp_rule(diagonal_adjoint, "g")
def diagonal_adjoint_g(c, ans, g, x, offset=0):
    return np.linalg.diagonal(c, offset=offset)


linear(diagonal_adjoint, diagonal_adjoint_g, "g")
constant(diagonal_adjoint, diagonal_adjoint_g, "x")
