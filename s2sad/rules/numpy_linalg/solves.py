"""Rules for solves, inverses and determinants: ``solve``, ``inv``, ``det``, ``slogdet``."""

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    linear,
    vjp_rule,
)
from s2sad.runtime import unbroadcast, zeros_like
from s2sad.runtime.linalg import (
    col,
    matrix_scale,
    mT,
    uncol,
)
from s2sad.runtime.rank_one import outer_columns

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
