"""Derivative rules for ``scipy.linalg``.

Imported lazily by the registry on the first lookup of a SciPy function. The flags
``overwrite_*`` and ``check_finite`` are accepted and ignored. Conventions:

* Solvers that read one triangle or a band of ``a`` (``solve_triangular``, ``solve`` /
  ``inv`` with a structured ``assume_a``) get adjoints masked to what they read; for the
  symmetric kinds (``'sym'``, ``'pos'``, ...) and ``cholesky``/``cho_factor`` the
  symmetrized convention of :mod:`s2sad.runtime.linalg` applies.
* ``cho_factor`` returns ``(c, lower)``: ``c`` holds the factor in one triangle and in the
  other a copy of ``a`` (SciPy before 1.18) or zeros (1.18), and both parts are
  differentiated as SciPy filled them; ``cho_solve`` is
  differentiable in ``b`` and in the factor ``c`` (the factor's triangle).
* ``lu_factor`` returns ``(lu, piv)``: the packed factors are differentiated, the pivots
  are constant; ``lu_solve`` is differentiable in ``b`` and in ``lu``.
* ``expm`` uses the block-matrix form of its Frechet derivative; ``sqrtm`` solves a
  Sylvester equation (both for real matrices; ``sqrtm`` for a real square root).
"""

import numpy as np
from scipy.linalg import (
    cho_factor,
    cho_solve,
    cholesky,
    det,
    eigh,
    expm,
    inv,
    lu_factor,
    lu_solve,
    solve,
    solve_sylvester,
    solve_triangular,
    sqrtm,
    svdvals,
)

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.linalg import (
    diag_embed,
    gap_inverse,
    lower_half,
    matrix_scale,
    mT,
    solve_right,
    sym,
    undefined_at_ties,
    upper_block,
    upper_right,
    zero_if_none,
)
from s2sad.runtime.linalg_decompositions import scipy_eigh_checked
from s2sad.runtime.scipy_factorizations import (
    applied_tangent,
    cho_factor_keeps_a,
    cho_product_tangent,
    cho_product_vjp,
    flip_trans,
    is_transposed,
    lu_permutation,
    outer_solution,
    structure,
    triangle,
    unit_lower,
)

# ---- triangular solves --------------------------------------------------------------------
# x = op(T)^{-1} b: b_bar = op(T)^{-T} x_bar, T_bar = mask(-b_bar x^T) (transposed for
# trans), with mask the triangle the solver reads.


@vjp_rule(solve_triangular, "a")
def solve_triangular_a(g, ans, a, b, trans=0, lower=False, unit_diagonal=False,
                       overwrite_b=False, check_finite=True):
    return triangle(
        outer_solution(
            solve_triangular(
                a, g, trans=flip_trans(trans), lower=lower, unit_diagonal=unit_diagonal
            ),
            ans, b, is_transposed(trans),
        ),
        lower, unit_diagonal,
    )


@vjp_rule(solve_triangular, "b")
def solve_triangular_b(g, ans, a, b, trans=0, lower=False, unit_diagonal=False,
                       overwrite_b=False, check_finite=True):
    return solve_triangular(a, g, trans=flip_trans(trans), lower=lower, unit_diagonal=unit_diagonal)


@jvp_rule(solve_triangular, "a")
def solve_triangular_a_dot(a_dot, ans, a, b, trans=0, lower=False, unit_diagonal=False,
                           overwrite_b=False, check_finite=True):
    return -solve_triangular(
        a,
        applied_tangent(triangle(a_dot, lower, unit_diagonal), ans, b, is_transposed(trans)),
        trans=trans, lower=lower, unit_diagonal=unit_diagonal,
    )


linear(solve_triangular, solve_triangular_b, "b")

# ---- general solves, inverse, determinant -------------------------------------------------


@vjp_rule(solve, "a")
def solve_a(g, ans, a, b, lower=False, overwrite_a=False, overwrite_b=False,
            check_finite=True, assume_a=None, transposed=False):
    return structure(
        outer_solution(
            solve(a, g, lower=lower, assume_a=assume_a, transposed=not transposed),
            ans, b, transposed,
        ),
        assume_a, lower,
    )


@vjp_rule(solve, "b")
def solve_b(g, ans, a, b, lower=False, overwrite_a=False, overwrite_b=False,
            check_finite=True, assume_a=None, transposed=False):
    return solve(a, g, lower=lower, assume_a=assume_a, transposed=not transposed)


@jvp_rule(solve, "a")
def solve_a_dot(a_dot, ans, a, b, lower=False, overwrite_a=False, overwrite_b=False,
                check_finite=True, assume_a=None, transposed=False):
    return -solve(
        a,
        applied_tangent(structure(a_dot, assume_a, lower), ans, b, transposed),
        lower=lower, assume_a=assume_a, transposed=transposed,
    )


linear(solve, solve_b, "b")


@vjp_rule(inv)
def inv_a(g, ans, a, overwrite_a=False, check_finite=True, *, assume_a=None, lower=False):
    return structure(-mT(ans) @ g @ mT(ans), assume_a, lower)


@jvp_rule(inv)
def inv_a_dot(a_dot, ans, a, overwrite_a=False, check_finite=True, *, assume_a=None,
              lower=False):
    return -ans @ structure(a_dot, assume_a, lower) @ ans


@vjp_rule(det)
def det_a(g, ans, a, overwrite_a=False, check_finite=True):
    return matrix_scale(g * ans) * mT(np.linalg.inv(a))


@jvp_rule(det)
def det_a_dot(a_dot, ans, a, overwrite_a=False, check_finite=True):
    return ans * np.trace(np.linalg.solve(a, a_dot), axis1=-2, axis2=-1)


@vjp_rule(svdvals)
def svdvals_a(g, ans, a, overwrite_a=False, check_finite=True):
    return ((np.linalg.svd(a, full_matrices=False)[0] * np.expand_dims(g, -2))
            @ np.linalg.svd(a, full_matrices=False)[2])


@jvp_rule(svdvals)
def svdvals_a_dot(a_dot, ans, a, overwrite_a=False, check_finite=True):
    return np.sum(np.linalg.svd(a, full_matrices=False)[0]
                  * (a_dot @ mT(np.linalg.svd(a, full_matrices=False)[2])), axis=-2)


# ---- Cholesky --------------------------------------------------------------------------


# The factor's derivatives as np.linalg.cholesky's (s2sad.rules.numpy_linalg), written
# out: SciPy returns U = L^T unless lower. cho_factor's matrix holds the factor in one
# triangle and, in the other, a's entries or zeros (cho_factor_keeps_a): differentiated
# as SciPy filled it.
@vjp_rule(cholesky)
def cholesky_a(g, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return (sym(np.linalg.solve(mT(ans), mT(np.linalg.solve(mT(ans), lower_half(mT(ans) @ g)))))
            if lower else
            sym(np.linalg.solve(ans, mT(np.linalg.solve(ans, lower_half(ans @ mT(g)))))))


@jvp_rule(cholesky)
def cholesky_a_dot(a_dot, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return (ans @ lower_half(np.linalg.solve(ans, mT(np.linalg.solve(ans, sym(a_dot)))))
            if lower else
            mT(lower_half(np.linalg.solve(mT(ans), mT(np.linalg.solve(mT(ans), sym(a_dot))))))
            @ ans)


@vjp_rule(cho_factor)
def cho_factor_a(g, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return ((sym(np.linalg.solve(mT(triangle(ans[0], True)), mT(np.linalg.solve(
                mT(triangle(ans[0], True)),
                lower_half(mT(triangle(ans[0], True)) @ triangle(g[0], True))))))
             if lower else
             sym(np.linalg.solve(triangle(ans[0], False), mT(np.linalg.solve(
                 triangle(ans[0], False),
                 lower_half(triangle(ans[0], False) @ mT(triangle(g[0], False))))))))
            + ((np.triu(g[0], 1) if lower else np.tril(g[0], -1))
               if cho_factor_keeps_a(ans[0], a, lower, overwrite_a) else 0.0))


@jvp_rule(cho_factor)
def cho_factor_a_dot(a_dot, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return (((triangle(ans[0], True) @ lower_half(np.linalg.solve(
                triangle(ans[0], True), mT(np.linalg.solve(triangle(ans[0], True), sym(a_dot))))))
             if lower else
             (mT(lower_half(np.linalg.solve(mT(triangle(ans[0], False)), mT(np.linalg.solve(
                 mT(triangle(ans[0], False)), sym(a_dot)))))) @ triangle(ans[0], False)))
            + ((np.triu(a_dot, 1) if lower else np.tril(a_dot, -1))
               if cho_factor_keeps_a(ans[0], a, lower, overwrite_a) else 0.0),
            0.0)


# x = A^{-1} b with A = L L^T: b_bar = cho_solve(x_bar), A_bar = -b_bar x^T, and the
# factor's adjoint follows from A = L L^T. The flag ``lower`` gets a zero adjoint.
@vjp_rule(cho_solve, "c_and_lower")
def cho_solve_c_and_lower(g, ans, c_and_lower, b, overwrite_b=False, check_finite=True):
    return (
        cho_product_vjp(
            outer_solution(cho_solve(c_and_lower, g), ans, b, False),
            c_and_lower[0], c_and_lower[1],
        ),
        0.0,
    )


@vjp_rule(cho_solve, "b")
def cho_solve_b(g, ans, c_and_lower, b, overwrite_b=False, check_finite=True):
    return cho_solve(c_and_lower, g)


@jvp_rule(cho_solve, "c_and_lower")
def cho_solve_c_and_lower_dot(c_and_lower_dot, ans, c_and_lower, b, overwrite_b=False,
                              check_finite=True):
    return -cho_solve(
        c_and_lower,
        applied_tangent(
            cho_product_tangent(c_and_lower_dot[0], c_and_lower[0], c_and_lower[1]),
            ans, b, False,
        ),
    )


linear(cho_solve, cho_solve_b, "b")

# ---- LU --------------------------------------------------------------------------------
# A[perm] = L U with L = tril(lu, -1) + I, U = triu(lu) (perm from the pivots, constant):
# with M = L^{-1} dA[perm] U^{-1}, d lu = L tril(M, -1) + triu(M) U; the adjoint solves the
# transposed triangles and puts rows back: A_bar[perm] = L^{-T} (tril(L^T tril(G, -1), -1)
# + triu(triu(G) U^T)) U^{-T}. The pivots get zero.


@vjp_rule(lu_factor)
def lu_factor_a(g, ans, a, overwrite_a=False, check_finite=True):
    return np.take(solve_right(np.linalg.solve(mT(unit_lower(ans[0])),
                                               np.tril(mT(unit_lower(ans[0]))
                                                       @ np.tril(g[0], -1), -1)
                                               + np.triu(np.triu(g[0]) @ mT(np.triu(ans[0])))),
                               mT(np.triu(ans[0]))),
                   np.argsort(lu_permutation(ans[0], ans[1])), axis=-2)


@jvp_rule(lu_factor)
def lu_factor_a_dot(a_dot, ans, a, overwrite_a=False, check_finite=True):
    return (unit_lower(ans[0])
            @ np.tril(solve_right(np.linalg.solve(unit_lower(ans[0]),
                                                  np.take(a_dot, lu_permutation(ans[0], ans[1]),
                                                          axis=-2)),
                                  np.triu(ans[0])), -1)
            + np.triu(solve_right(np.linalg.solve(unit_lower(ans[0]),
                                                  np.take(a_dot, lu_permutation(ans[0], ans[1]),
                                                          axis=-2)),
                                  np.triu(ans[0])))
            @ np.triu(ans[0]),
            np.zeros(np.shape(ans[1])))


# x = A^{-1} b with A[perm] = L U: the packed factors' adjoint from A's, -b_bar x^T, through
# A[perm] = L U (tril(A_bar[perm] U^T, -1) + triu(L^T A_bar[perm])), and their tangent
# into A's (tril(d lu, -1) U + L triu(d lu), rows put back)
@vjp_rule(lu_solve, "lu_and_piv")
def lu_solve_lu_and_piv(g, ans, lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True):
    return (np.tril(np.take(outer_solution(lu_solve(lu_and_piv, g, trans=flip_trans(trans)), ans,
                                           b, is_transposed(trans)),
                            lu_permutation(lu_and_piv[0], lu_and_piv[1]), axis=-2)
                    @ mT(np.triu(lu_and_piv[0])), -1)
            + np.triu(mT(unit_lower(lu_and_piv[0]))
                      @ np.take(outer_solution(lu_solve(lu_and_piv, g, trans=flip_trans(trans)),
                                               ans, b, is_transposed(trans)),
                                lu_permutation(lu_and_piv[0], lu_and_piv[1]), axis=-2)),
            np.zeros(np.shape(lu_and_piv[1])))


@vjp_rule(lu_solve, "b")
def lu_solve_b(g, ans, lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True):
    return lu_solve(lu_and_piv, g, trans=flip_trans(trans))


@jvp_rule(lu_solve, "lu_and_piv")
def lu_solve_lu_and_piv_dot(lu_and_piv_dot, ans, lu_and_piv, b, trans=0, overwrite_b=False,
                            check_finite=True):
    return -lu_solve(
        lu_and_piv,
        applied_tangent(
            np.take(np.tril(lu_and_piv_dot[0], -1) @ np.triu(lu_and_piv[0])
                    + unit_lower(lu_and_piv[0])
                    @ np.triu(lu_and_piv_dot[0]),
                    np.argsort(lu_permutation(lu_and_piv[0], lu_and_piv[1])), axis=-2),
            ans, b, is_transposed(trans),
        ),
        trans=trans,
    )


linear(lu_solve, lu_solve_b, "b")

# ---- matrix functions --------------------------------------------------------------------


# expm([[A, E], [0, A]]) = [[expm(A), L(A, E)], [0, expm(A)]] with L the Frechet
# derivative; its adjoint is L(A^T, G). expm of a block again: every order.
@vjp_rule(expm)
def expm_a(g, ans, A):  # noqa: N803 (SciPy's parameter name)
    return upper_right(expm(upper_block(mT(A), g)))


@jvp_rule(expm)
def expm_a_dot(A_dot, ans, A):  # noqa: N803
    return upper_right(expm(upper_block(A, A_dot)))


# X = sqrtm(A): X dX + dX X = dA; the adjoint solves X^T G' + G' X^T = G.
@vjp_rule(sqrtm)
def sqrtm_a(g, ans, A):  # noqa: N803
    return solve_sylvester(mT(ans), mT(ans), g)


@jvp_rule(sqrtm)
def sqrtm_a_dot(A_dot, ans, A):  # noqa: N803
    return solve_sylvester(ans, ans, A_dot)


# X = solve_sylvester(A, B, Q): A X + X B = Q, so A dX + dX B = dQ - dA X - X dB, and
# Q_bar solves A^T Q_bar + Q_bar B^T = X_bar; A_bar = -Q_bar X^T, B_bar = -X^T Q_bar
@vjp_rule(solve_sylvester, "q")
def solve_sylvester_q(g, ans, a, b, q):
    return solve_sylvester(mT(a), mT(b), g)


@vjp_rule(solve_sylvester, "a")
def solve_sylvester_a(g, ans, a, b, q):
    return -solve_sylvester(mT(a), mT(b), g) @ mT(ans)


@vjp_rule(solve_sylvester, "b")
def solve_sylvester_b(g, ans, a, b, q):
    return -mT(ans) @ solve_sylvester(mT(a), mT(b), g)


@jvp_rule(solve_sylvester, "a")
def solve_sylvester_a_dot(a_dot, ans, a, b, q):
    return -solve_sylvester(a, b, a_dot @ ans)


@jvp_rule(solve_sylvester, "b")
def solve_sylvester_b_dot(b_dot, ans, a, b, q):
    return -solve_sylvester(a, b, ans @ b_dot)


linear(solve_sylvester, solve_sylvester_q, "q")


nondifferentiable(cho_factor_keeps_a)  # a flag read from the factor's unused triangle
nondifferentiable(lu_permutation)  # the rows the pivots exchange


# op(dA) x and -b_bar x^T (transposed for op = transpose): bilinear, each the other's
# transpose in its first argument
@vjp_rule(applied_tangent, "a_dot")
def applied_tangent_a_dot(c, ans, a_dot, x, b, transposed):
    return -outer_solution(c, x, b, transposed)


@vjp_rule(applied_tangent, "x")
def applied_tangent_x(c, ans, a_dot, x, b, transposed):
    return applied_tangent(a_dot, c, b, not transposed)


linear(applied_tangent, applied_tangent_a_dot, "a_dot", "x")
constant(applied_tangent, applied_tangent_a_dot, "b", "transposed")


@vjp_rule(outer_solution, "b_bar")
def outer_solution_b_bar(c, ans, b_bar, x, b, transposed):
    return -applied_tangent(c, x, b, transposed)


@vjp_rule(outer_solution, "x")
def outer_solution_x(c, ans, b_bar, x, b, transposed):
    return -applied_tangent(c, b_bar, b, not transposed)


linear(outer_solution, outer_solution_b_bar, "b_bar", "x")
constant(outer_solution, outer_solution_b_bar, "b", "transposed")


# A = F F^T (F^T F for an upper factor) from the factor F in cho_factor's matrix:
# cho_product_tangent(dc, c) and cho_product_vjp(A_bar, c) are bilinear, symmetric in
# their two matrix arguments, and each is the other's transpose
@vjp_rule(cho_product_tangent, "c_dot")
def cho_product_tangent_c_dot(z, ans, c_dot, c, lower):
    return cho_product_vjp(z, c, lower)


@vjp_rule(cho_product_tangent, "c")
def cho_product_tangent_c(z, ans, c_dot, c, lower):
    return cho_product_vjp(z, c_dot, lower)


linear(cho_product_tangent, cho_product_tangent_c_dot, "c_dot", "c")
constant(cho_product_tangent, cho_product_tangent_c_dot, "lower")


@vjp_rule(cho_product_vjp, "a_bar")
def cho_product_vjp_a_bar(z, ans, a_bar, c, lower):
    return cho_product_tangent(z, c, lower)


@vjp_rule(cho_product_vjp, "c")
def cho_product_vjp_c(z, ans, a_bar, c, lower):
    return cho_product_vjp(a_bar, z, lower)


linear(cho_product_vjp, cho_product_vjp_a_bar, "a_bar", "c")
constant(cho_product_vjp, cho_product_vjp_a_bar, "lower")


# L = unit_lower(lu) = tril(lu, -1) + I: affine, the identity has no derivative
@vjp_rule(unit_lower, "lu")
def unit_lower_lu(c, ans, lu):
    return np.tril(c, -1)


@jvp_rule(unit_lower, "lu")
def unit_lower_lu_dot(lu_dot, ans, lu):
    return np.tril(lu_dot, -1)


# the parts of a matrix the solvers read: projections, each its own transpose
@vjp_rule(triangle, "x")
def triangle_x(c, ans, x, lower, unit_diagonal=False):
    return triangle(c, lower, unit_diagonal)


@vjp_rule(structure, "x")
def structure_x(c, ans, x, assume_a, lower=False):
    return structure(c, assume_a, lower)


linear(triangle, triangle_x, "x")
linear(structure, structure_x, "x")


# ---- eigh: numpy.linalg.eigh's rules (eigvalsh's for eigvals_only=True), for the standard
# problem and every eigenvalue; lower=False reads the upper triangle (UPLO='U')


@vjp_rule(eigh)
def eigh_a(g, ans, a, b=None, *, lower=True, eigvals_only=False, overwrite_a=False,
           overwrite_b=False, type=1, check_finite=True, subset_by_index=None,  # noqa: A002
           subset_by_value=None, driver=None):
    return (((np.linalg.eigh(a, "L" if lower else "U")[1]
              * np.expand_dims(scipy_eigh_checked(g, b, type, subset_by_index,
                                                  subset_by_value), -2))
             @ mT(np.linalg.eigh(a, "L" if lower else "U")[1]))
            if eigvals_only else
            sym(ans[1] @ (diag_embed(zero_if_none(
                scipy_eigh_checked(g, b, type, subset_by_index, subset_by_value)[0], ans[0]))
                + gap_inverse(ans[0]) * (mT(ans[1]) @ zero_if_none(g[1], ans[1]))
                + undefined_at_ties(ans[0], mT(ans[1]) @ zero_if_none(g[1], ans[1])))
                @ mT(ans[1])))


@jvp_rule(eigh)
def eigh_a_dot(a_dot, ans, a, b=None, *, lower=True, eigvals_only=False, overwrite_a=False,
               overwrite_b=False, type=1, check_finite=True, subset_by_index=None,  # noqa: A002
               subset_by_value=None, driver=None):
    return (np.sum(np.linalg.eigh(a, "L" if lower else "U")[1]
                   * (sym(scipy_eigh_checked(a_dot, b, type, subset_by_index, subset_by_value))
                      @ np.linalg.eigh(a, "L" if lower else "U")[1]), axis=-2)
            if eigvals_only else
            (np.diagonal(mT(ans[1]) @ sym(scipy_eigh_checked(
                a_dot, b, type, subset_by_index, subset_by_value)) @ ans[1], axis1=-2, axis2=-1),
             ans[1] @ (gap_inverse(ans[0]) * (mT(ans[1]) @ sym(a_dot) @ ans[1])
                       + undefined_at_ties(ans[0], mT(ans[1]) @ sym(a_dot) @ ans[1]))))


constant(eigh, eigh_a, "lower", "eigvals_only", "overwrite_a", "overwrite_b", "type",
         "check_finite", "subset_by_index", "subset_by_value", "driver")
