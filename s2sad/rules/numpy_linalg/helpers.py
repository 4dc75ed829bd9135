"""Rules for the runtime helpers the ``np.linalg`` rules call, so that derivatives
differentiate again."""

import numpy as np

from s2sad.rules.registry import (
    constant,
    linear,
    nondifferentiable,
    vjp_rule,
)
from s2sad.runtime import unbroadcast
from s2sad.runtime.linalg import (
    diagonal_adjoint,
    matrix_scale,
    trace_adjoint,
)
from s2sad.runtime.scipy_factorizations import flip_trans, is_transposed

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
