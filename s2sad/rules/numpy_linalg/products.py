"""Rules for matrix powers, products and linear reshufflings of ``np.linalg``."""

import operator

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    linear,
    nondifferentiable,
    share,
    vjp_rule,
)
from s2sad.runtime import unbroadcast
from s2sad.runtime.linalg import (
    diagonal_adjoint,
    mT,
    trace_adjoint,
    upper_block,
    upper_right,
)
from s2sad.runtime.linalg_chains import (
    multi_dot_jvp,
    multi_dot_vjp,
)

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
