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

from s2sad.rules.registry import constant, jvp_rule, linear, vjp_rule
from s2sad.runtime import unbroadcast
from s2sad.runtime.linalg import (
    diag_embed,
    diagonal_blocks_sum,
    first_columns,
    gap_inverse,
    lower_half,
    other_columns,
    sym,
    sym_if,
    upper_block,
    upper_right,
    zero_if_none,
)

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


# ---- the eigenvalue gaps' inverses -------------------------------------------------------


@vjp_rule(gap_inverse, "w")
def gap_inverse_w(c, ans, w):
    return np.sum(c * ans * ans, axis=-1) - np.sum(c * ans * ans, axis=-2)


@jvp_rule(gap_inverse, "w")
def gap_inverse_w_dot(w_dot, ans, w):
    return -(ans * ans) * (np.expand_dims(w_dot, -2) - np.expand_dims(w_dot, -1))
