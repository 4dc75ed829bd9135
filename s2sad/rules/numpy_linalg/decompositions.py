"""Rules for the decompositions: ``cholesky``, ``eigh``, ``eigvalsh``, ``svd``,
``svdvals`` and ``qr``."""

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    vjp_rule,
)
from s2sad.runtime.linalg import (
    copy_lower,
    diag_embed,
    first_columns,
    gap_inverse,
    lower_half,
    lower_onto_upper,
    mT,
    other_columns,
    solve_right,
    sym,
    undefined_at_ties,
    zero_if_none,
)
from s2sad.runtime.linalg_decompositions import eigvals_order, qr_completes, qr_mode_refused


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


# eigvals of a real symmetric matrix: eigvalsh's rules, taken in the order eigvals returns
# (sorting positions from eigvals_order, which refuses any other matrix)
@vjp_rule(np.linalg.eigvals)
def eigvals_a(g, ans, a):
    return ((np.linalg.eigh(a)[1]
             * np.expand_dims(np.take_along_axis(g, eigvals_order(a, ans), -1), -2))
            @ mT(np.linalg.eigh(a)[1]))


@jvp_rule(np.linalg.eigvals)
def eigvals_a_dot(a_dot, ans, a):
    return np.take_along_axis(
        np.sum(np.linalg.eigh(a)[1] * (sym(a_dot) @ np.linalg.eigh(a)[1]), axis=-2),
        np.argsort(eigvals_order(a, ans), axis=-1), -1)

