"""Rules for ``norm``, ``vector_norm`` and ``matrix_norm``."""

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    vjp_rule,
)
from s2sad.runtime import conj, real_adjoint
from s2sad.runtime.linalg import (
    times_unreduced,
)
from s2sad.runtime.norms import norm_direction, vector_norm_direction
from s2sad.runtime.reductions import total

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
