"""Rules for the matrix helpers the ``np.linalg`` and ``scipy.linalg`` rules are written
with, so that those rules differentiate again, to any order.

The decompositions' rules (Cholesky, ``eigh``, the SVD, ``pinv``, matrix powers, the
matrix exponential) are single expressions of NumPy functions and of the helpers here;
each helper's rules are again expressions of the same helpers. Most are linear
projections or embeddings (each rule the other's transpose); ``gap_inverse`` is the one
nonlinear helper: ``F[i, j] = 1 / (w[j] - w[i])`` has ``dF = -F^2 (dw[j] - dw[i])``, zero
where the values are equal (where the eigenvector derivatives are undefined, see
:mod:`s2sad.runtime.linalg`).
"""

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime import unbroadcast
from s2sad.runtime.linalg import (
    copy_lower,
    diag_embed,
    diagonal_blocks_sum,
    first_columns,
    gap_inverse,
    lower_half,
    lower_onto_upper,
    mT,
    other_columns,
    solve_right,
    sym,
    sym_if,
    undefined_at_ties,
    upper_block,
    upper_right,
    zero_if_none,
)
from s2sad.runtime.linalg_decompositions import (
    eigvals_order,
    qr_completes,
    qr_mode_refused,
    scipy_eigh_checked,
)
from s2sad.runtime.linalg_inverses import rank_pinv

# ---- linear projections and embeddings: each transpose is a helper again --------------


@vjp_rule(sym, "x")
def sym_x(c, ans, x):
    return sym(c)


linear(sym, sym_x, "x")


@vjp_rule(sym_if, "x")
def sym_if_x(c, ans, x, symmetric):
    return sym_if(c, symmetric)


linear(sym_if, sym_if_x, "x")
constant(sym_if, sym_if_x, "symmetric")


@vjp_rule(lower_half, "x")
def lower_half_x(c, ans, x):
    return lower_half(c)


linear(lower_half, lower_half_x, "x")


@vjp_rule(lower_onto_upper, "x")
def lower_onto_upper_x(c, ans, x):
    return np.triu(c) + np.tril(mT(c), -1)


linear(lower_onto_upper, lower_onto_upper_x, "x")


@vjp_rule(copy_lower, "x")
def copy_lower_x(c, ans, x):
    return np.tril(c) + np.tril(mT(c), -1)


linear(copy_lower, copy_lower_x, "x")


@vjp_rule(diag_embed, "d")
def diag_embed_d(c, ans, d):
    return np.diagonal(c, axis1=-2, axis2=-1)


linear(diag_embed, diag_embed_d, "d")


@vjp_rule(zero_if_none, "g")
def zero_if_none_g(c, ans, g, like):
    return c


linear(zero_if_none, zero_if_none_g, "g")
constant(zero_if_none, zero_if_none_g, "like")


# the first and the other columns of a matrix: each transpose pads with zeros
@vjp_rule(first_columns, "x")
def first_columns_x(c, ans, x, values):
    return np.concatenate([c, np.zeros_like(other_columns(x, values))], axis=-1)


@vjp_rule(other_columns, "x")
def other_columns_x(c, ans, x, values):
    return np.concatenate([np.zeros_like(first_columns(x, values)), c], axis=-1)


linear(first_columns, first_columns_x, "x")
constant(first_columns, first_columns_x, "values")
linear(other_columns, other_columns_x, "x")
constant(other_columns, other_columns_x, "values")


@vjp_rule(upper_right, "x")
def upper_right_x(c, ans, x):
    return upper_block(np.zeros_like(c), c)


linear(upper_right, upper_right_x, "x")


@vjp_rule(diagonal_blocks_sum, "x")
def diagonal_blocks_sum_x(c, ans, x):
    return upper_block(c, np.zeros_like(c))


linear(diagonal_blocks_sum, diagonal_blocks_sum_x, "x")


# upper_block(a, e) = [[a, e], [0, a]] is linear in a and e together: each tangent
# enters with the other part zero
@vjp_rule(upper_block, "a")
def upper_block_a(c, ans, a, e):
    return unbroadcast(diagonal_blocks_sum(c), a)


@vjp_rule(upper_block, "e")
def upper_block_e(c, ans, a, e):
    return unbroadcast(upper_right(c), e)


@jvp_rule(upper_block, "a")
def upper_block_a_dot(a_dot, ans, a, e):
    return upper_block(a_dot, np.zeros_like(e))


@jvp_rule(upper_block, "e")
def upper_block_e_dot(e_dot, ans, a, e):
    return upper_block(np.zeros_like(a), e_dot)


# ---- solves from the right: x @ inv(r) --------------------------------------------------


@vjp_rule(solve_right, "x")
def solve_right_x(c, ans, x, r):
    return unbroadcast(solve_right(c, mT(r)), x)


@vjp_rule(solve_right, "r")
def solve_right_r(c, ans, x, r):
    return unbroadcast(-mT(ans) @ solve_right(c, mT(r)), r)


@jvp_rule(solve_right, "r")
def solve_right_r_dot(r_dot, ans, x, r):
    return -solve_right(ans @ r_dot, r)


linear(solve_right, solve_right_x, "x")


# ---- the eigenvalue gaps' inverses -------------------------------------------------------


@vjp_rule(gap_inverse, "w")
def gap_inverse_w(c, ans, w):
    return np.sum(c * ans * ans, axis=-1) - np.sum(c * ans * ans, axis=-2)


@jvp_rule(gap_inverse, "w")
def gap_inverse_w_dot(w_dot, ans, w):
    return -(ans * ans) * (np.expand_dims(w_dot, -2) - np.expand_dims(w_dot, -1))


# ---- the pseudo-inverse at lstsq's rank: pinv's rules, the rank constant ------------------


@vjp_rule(rank_pinv, "a")
def rank_pinv_a(g, ans, a, rank):
    return (-mT(ans) @ g @ mT(ans)
            + (mT(g) - a @ (ans @ mT(g))) @ (ans @ mT(ans))
            + (mT(ans) @ ans) @ (mT(g) - (mT(g) @ ans) @ a))


@jvp_rule(rank_pinv, "a")
def rank_pinv_a_dot(a_dot, ans, a, rank):
    return (-ans @ a_dot @ ans
            + (ans @ mT(ans)) @ (mT(a_dot) - (mT(a_dot) @ a) @ ans)
            + (mT(a_dot) - (ans @ a) @ mT(a_dot)) @ (mT(ans) @ ans))


constant(rank_pinv, rank_pinv_a, "rank")


nondifferentiable(qr_completes, qr_mode_refused)  # a flag; a refusal
nondifferentiable(eigvals_order)  # sorting positions, or a refusal


# scipy.linalg.eigh's check of its options: the identity where it does not refuse
@vjp_rule(scipy_eigh_checked)
def scipy_eigh_checked_x(c, ans, x, b=None, type=1, subset_by_index=None,  # noqa: A002
                         subset_by_value=None):
    return scipy_eigh_checked(c, b, type, subset_by_index, subset_by_value)


linear(scipy_eigh_checked, scipy_eigh_checked_x, "x")
constant(scipy_eigh_checked, scipy_eigh_checked_x, "b", "type", "subset_by_index",
         "subset_by_value")
nondifferentiable(undefined_at_ties)  # zeros, or NaN where a derivative is not defined
