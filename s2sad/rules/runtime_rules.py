"""Derivative rules for s2sad's own runtime helpers, so that generated code can itself be
differentiated (a Hessian-vector product is the tangent of a gradient).

Most helpers are linear in the adjoint they pass on (``unbroadcast``, ``unreduce``,
``match``, ``getitem_adjoint``; ``add(a, b)`` is affine in each, so it has JVPs of its own)
and read their other arguments for shapes only; the matrix-product adjoints are linear in
each factor. Helpers that pick positions (the weights of ``max``, ``sign``) carry no
derivative.
"""

import operator

import numpy as np

from s2sad.rules.derivative import derivative, real_derivative
from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime import (
    arguments,
    bases,
    core,
    elementwise,
    indexing,
    linalg,
    norms,
    products,
    reductions,
    replay,
)
from s2sad.runtime.core import broadcast_like, conj, unbroadcast
from s2sad.runtime.elementwise import pow_slope
from s2sad.runtime.linalg import col, mT, uncol
from s2sad.runtime.norms import norm_direction_tangent, vector_norm_direction_tangent
from s2sad.runtime.rank_one import formed, outer_columns
from s2sad.runtime.reductions import total

nondifferentiable(core.zeros_like, core.check_scalar, core.check_sequence, core.all_real,
                  core.real_numbers, core.shape_only, arguments.check_arguments,
                  reductions.extremum_weights, reductions.mean_weights,
                  replay.random_states, replay.replay_states, replay.put_back_states,
                  replay.check_recomputed, bases.unit_tangent)


def _writes(c, ans, a_bar, a, *rest):  # a_bar: an adjoint array the helper copies or writes
    raise NotImplementedError  # a signature only


# owned copies an adjoint; setitem_adjoint takes a written part out of it (zeroing it in
# place, which its tangent repeats on the tangent's own array): both linear in a_bar
linear(indexing.owned, _writes, "a_bar")
constant(indexing.owned, _writes, "a")


def unowned(c, a_bar):
    """The adjoint of ``owned(a_bar, a)``: a copy, broadcast to ``a``'s shape (containers
    keep their structure)."""
    if isinstance(a_bar, (list, tuple, dict)):
        return c
    return unbroadcast(c, a_bar)


@vjp_rule(indexing.owned, "a_bar")
def owned_a_bar(c, ans, a_bar, a):
    return unowned(c, a_bar)


# unowned is owned's transpose, and owned is unowned's
@vjp_rule(unowned, "c")
def unowned_c(b, ans, c, a_bar):
    return indexing.owned(b, c)


linear(unowned, unowned_c, "c")
constant(unowned, unowned_c, "a_bar")


def _setitem(c, ans, a_bar, b, v):
    raise NotImplementedError  # a signature only


linear(indexing.setitem_adjoint, _setitem, "a_bar")
constant(indexing.setitem_adjoint, _setitem, "b", "v")


@vjp_rule(formed, "value")
def formed_value(g, ans, value):
    return g


linear(formed, formed_value, "value")


@vjp_rule(mT, "x")
def mT_x(g, ans, x):
    return mT(g)


linear(mT, mT_x, "x")


@vjp_rule(col, "v")
def col_v(g, ans, v, b):
    return uncol(g, b)


@vjp_rule(uncol, "v")
def uncol_v(g, ans, v, b):
    return col(g, b)


linear(col, col_v, "v")
constant(col, col_v, "b")
linear(uncol, uncol_v, "v")
constant(uncol, uncol_v, "b")


@vjp_rule(outer_columns, "u")
def outer_columns_u(g, ans, u, x):
    return unbroadcast(g @ conj(x), u)


@vjp_rule(outer_columns, "x")
def outer_columns_x(g, ans, u, x):
    return unbroadcast(mT(g) @ conj(u), x)


linear(outer_columns, outer_columns_u, "u", "x")


@vjp_rule(core.conj, "x")
def conj_x(b, ans, x):
    return conj(b)


linear(core.conj, conj_x, "x")


# The real part: its adjoint is the real part of the result's (a real result).
@vjp_rule(core.real_adjoint, "g")
def real_adjoint_g(b, ans, g):
    return core.real_adjoint(b)


linear(core.real_adjoint, real_adjoint_g, "g")


# Special functions of the rules: their own derivatives, so rules differentiate again.
@real_derivative(elementwise.digamma, "x")
def digamma_x(ans, x):
    return elementwise.polygamma(1, x)


@real_derivative(elementwise.polygamma, "x")
def polygamma_x(ans, n, x):
    return elementwise.polygamma(n + 1, x)


constant(elementwise.polygamma, polygamma_x, "n")


@real_derivative(elementwise.i1, "x")
def i1_x(ans, x):
    return elementwise.i1_slope(x)


@derivative(elementwise.sinc_slope, "x")
def sinc_slope_x(ans, x):
    return elementwise.sinc_curvature(x)


# sign(x) is piecewise constant for real x and x / |x| for complex x.
@vjp_rule(elementwise.sign, "x")
def sign_x(b, ans, x):
    return elementwise.sign_adjoint(b, x)


@jvp_rule(elementwise.sign, "x")
def sign_x_dot(x_dot, ans, x):
    return elementwise.sign_tangent(x_dot, x)


# sign's tangent and adjoint: linear in the derivative they take (each the other's
# transpose), and for complex x a derivative in x (zero for real x).
@vjp_rule(elementwise.sign_tangent, "x_dot")
def sign_tangent_x_dot(b, ans, x_dot, x):
    return elementwise.sign_adjoint(b, x)


@vjp_rule(elementwise.sign_tangent, "x")
def sign_tangent_x(b, ans, x_dot, x):
    return elementwise.sign_second_adjoint(b, x_dot, x)


@jvp_rule(elementwise.sign_tangent, "x")
def sign_tangent_x_tangent(t, ans, x_dot, x):
    return elementwise.sign_second_tangent(x_dot, x, t)


linear(elementwise.sign_tangent, sign_tangent_x_dot, "x_dot")


@vjp_rule(elementwise.sign_adjoint, "g")
def sign_adjoint_g(b, ans, g, x):
    return elementwise.sign_tangent(b, x)


@vjp_rule(elementwise.sign_adjoint, "x")
def sign_adjoint_x(b, ans, g, x):
    return elementwise.sign_second_adjoint(b, g, x)


@jvp_rule(elementwise.sign_adjoint, "x")
def sign_adjoint_x_tangent(t, ans, g, x):
    return elementwise.sign_second_tangent(g, x, t)


linear(elementwise.sign_adjoint, sign_adjoint_g, "g")


@vjp_rule(core.unbroadcast, "g")
def unbroadcast_g(b, ans, g, x):
    return broadcast_like(b, g)


linear(core.unbroadcast, unbroadcast_g, "g")
constant(core.unbroadcast, unbroadcast_g, "x")


@vjp_rule(core.broadcast_like, "v")
def broadcast_like_v(b, ans, v, ans_like):
    return unbroadcast(b, v)


linear(core.broadcast_like, broadcast_like_v, "v")
constant(core.broadcast_like, broadcast_like_v, "ans_like")


@vjp_rule(core.unreduce, "g")
def unreduce_g(b, ans, g, x, axis=None, keepdims=False):
    return np.reshape(total(b, axis=axis, keepdims=keepdims), np.shape(g))


linear(core.unreduce, unreduce_g, "g")
constant(core.unreduce, unreduce_g, "x")


@vjp_rule(total, "a")
def total_a(g, ans, a, axis=None, keepdims=False):
    return core.unreduce(g, a, axis, keepdims)


linear(total, total_a, "a")


@vjp_rule(core.match, "g")
def match_g(b, ans, g, x):
    return unbroadcast(b, g)


linear(core.match, match_g, "g")
constant(core.match, match_g, "x")


@vjp_rule(core.add, "a")
def add_a(c, ans, a, b):
    return c


@vjp_rule(core.add, "b")
def add_b(c, ans, a, b):
    return c


@jvp_rule(core.add, "a")
def add_a_dot(a_dot, ans, a, b):
    return a_dot


@jvp_rule(core.add, "b")
def add_b_dot(b_dot, ans, a, b):
    return b_dot


@vjp_rule(indexing.getitem_adjoint, "g")
def getitem_adjoint_g(c, ans, g, a, b):
    return operator.getitem(c, b)


linear(indexing.getitem_adjoint, getitem_adjoint_g, "g")
constant(indexing.getitem_adjoint, getitem_adjoint_g, "a", "b")


# written_part(a, b) is a copy of a[b]: its adjoint goes back to a at b
@vjp_rule(indexing.written_part, "a")
def written_part_a(c, ans, a, b):
    return indexing.getitem_adjoint(c, a, b)


linear(indexing.written_part, written_part_a, "a")
constant(indexing.written_part, written_part_a, "b")


@vjp_rule(indexing.spread_at, "s")
def spread_at_s(c, ans, s, a, b):  # s was spread over every element read: their sum
    return unbroadcast(operator.getitem(c, b), s)


linear(indexing.spread_at, spread_at_s, "s")
constant(indexing.spread_at, spread_at_s, "a")


def _matmul_adjoint(c, ans, g, a, b):  # the parameters of matmul_adjoint_a and _b
    raise NotImplementedError  # a signature only: these helpers have forward rules


# a @ b's adjoints are linear in the output's adjoint and in the other factor; the VJPs of
# matmul_adjoint_a(g, a, b) = g @ b^H and matmul_adjoint_b(g, a, b) = a^H @ g are products
# again (c has the shape of a, or of b)
linear(products.matmul_adjoint_a, _matmul_adjoint, "g", "b")
constant(products.matmul_adjoint_a, _matmul_adjoint, "a")
linear(products.matmul_adjoint_b, _matmul_adjoint, "g", "a")
constant(products.matmul_adjoint_b, _matmul_adjoint, "b")


@vjp_rule(products.matmul_adjoint_a, "g")
def matmul_adjoint_a_g(c, ans, g, a, b):
    return np.reshape(np.matmul(c, b), np.shape(g))


@vjp_rule(products.matmul_adjoint_a, "b")
def matmul_adjoint_a_b(c, ans, g, a, b):
    return products.matmul_adjoint_b(g, c, b)


@vjp_rule(products.matmul_adjoint_b, "g")
def matmul_adjoint_b_g(c, ans, g, a, b):
    return np.reshape(np.matmul(a, c), np.shape(g))


@vjp_rule(products.matmul_adjoint_b, "a")
def matmul_adjoint_b_a(c, ans, g, a, b):
    return products.matmul_adjoint_a(g, a, c)


# outer_adjoint_a(g, a, b) = g @ b^H and outer_adjoint_b(g, a, b) = a^H @ g in the shape
# of a or of b: linear in g and in the other factor, as the matrix products' adjoints
linear(products.outer_adjoint_a, _matmul_adjoint, "g", "b")
constant(products.outer_adjoint_a, _matmul_adjoint, "a")
linear(products.outer_adjoint_b, _matmul_adjoint, "g", "a")
constant(products.outer_adjoint_b, _matmul_adjoint, "b")


@vjp_rule(products.outer_adjoint_a, "g")
def outer_adjoint_a_g(c, ans, g, a, b):
    return np.reshape(np.outer(c, b), np.shape(g))


@vjp_rule(products.outer_adjoint_a, "b")
def outer_adjoint_a_b(c, ans, g, a, b):
    return products.outer_adjoint_b(g, c, b)


@vjp_rule(products.outer_adjoint_b, "g")
def outer_adjoint_b_g(c, ans, g, a, b):
    return np.reshape(np.outer(a, c), np.shape(g))


@vjp_rule(products.outer_adjoint_b, "a")
def outer_adjoint_b_a(c, ans, g, a, b):
    return products.outer_adjoint_a(g, a, c)


for _product in ("dot", "inner"):
    linear(getattr(products, f"{_product}_adjoint_a"), _matmul_adjoint, "g", "b")
    constant(getattr(products, f"{_product}_adjoint_a"), _matmul_adjoint, "a")
    linear(getattr(products, f"{_product}_adjoint_b"), _matmul_adjoint, "g", "a")
    constant(getattr(products, f"{_product}_adjoint_b"), _matmul_adjoint, "b")

nondifferentiable(elementwise.clip_passes, elementwise.clip_at_min, elementwise.clip_at_max,
                  elementwise.extremum_share)
nondifferentiable(indexing.clip_passes, indexing.clip_to_low, indexing.clip_to_high)


@derivative(elementwise.pow_slope, "a", unbroadcast=True)
def pow_slope_a(ans, a, b):  # d/da of b * a ** (b - 1)
    return b * pow_slope(a, b - 1)


# d/db of b * a ** (b - 1) is a ** (b - 1) + b * a ** (b - 1) * log(a) (an integer
# exponent, a loop's index say, takes this adjoint and drops it)
@jvp_rule(elementwise.pow_slope, "b")
def pow_slope_b_dot(b_dot, ans, a, b):
    return b_dot * (ans * elementwise.pow_log(a) + np.power(a, b - 1))


@vjp_rule(elementwise.pow_slope, "b")
def pow_slope_b(c, ans, a, b):
    return unbroadcast(c * conj(ans * elementwise.pow_log(a) + np.power(a, b - 1)), b)


# pow_log(x) is log(x), taken as 0 at 0: its slope 1 / x, taken as 0 there too
@jvp_rule(elementwise.pow_log, "x")
def pow_log_x_dot(x_dot, ans, x):
    return elementwise.over_norm(x_dot, x)


@vjp_rule(elementwise.pow_log, "x")
def pow_log_x(g, ans, x):
    return unbroadcast(elementwise.over_norm(g, conj(x)), x)


@vjp_rule(products.dot_adjoint_a, "g")
def dot_adjoint_a_g(c, ans, g, a, b):
    return unbroadcast(np.dot(c, b), g)


@vjp_rule(products.dot_adjoint_a, "b")
def dot_adjoint_a_b(c, ans, g, a, b):
    return products.dot_adjoint_b(g, c, b)


@vjp_rule(products.dot_adjoint_b, "g")
def dot_adjoint_b_g(c, ans, g, a, b):
    return unbroadcast(np.dot(a, c), g)


@vjp_rule(products.dot_adjoint_b, "a")
def dot_adjoint_b_a(c, ans, g, a, b):
    return products.dot_adjoint_a(g, a, c)


# The directions of norms (the gradients of np.linalg.norm and vector_norm): their Jacobians
# are symmetric, so one map gives both the tangent and the adjoint.
@jvp_rule(norms.norm_direction, "x")
def norm_direction_x_dot(x_dot, ans, x, ord=None, axis=None):
    return norm_direction_tangent(x_dot, x, ord, axis)


@vjp_rule(norms.norm_direction, "x")
def norm_direction_x(g, ans, x, ord=None, axis=None):
    return norm_direction_tangent(g, x, ord, axis)


@jvp_rule(norms.vector_norm_direction, "x")
def vector_norm_direction_x_dot(x_dot, ans, x, ord=2, axis=None):
    return vector_norm_direction_tangent(x_dot, x, ord, axis)


@vjp_rule(norms.vector_norm_direction, "x")
def vector_norm_direction_x(g, ans, x, ord=2, axis=None):
    return vector_norm_direction_tangent(g, x, ord, axis)


# times_unreduced(direction, g, x, axis, keepdims): direction * g spread over x's reduced
# axes; bilinear in the direction and g, x read for its shape.
def _times_unreduced(c, ans, direction, g, x, axis=None, keepdims=False):
    raise NotImplementedError  # a signature only


linear(linalg.times_unreduced, _times_unreduced, "direction", "g")
constant(linalg.times_unreduced, _times_unreduced, "x", "axis", "keepdims")


@vjp_rule(linalg.times_unreduced, "direction")
def times_unreduced_direction(b, ans, direction, g, x, axis=None, keepdims=False):
    return unbroadcast(linalg.times_unreduced(b, conj(g), x, axis, keepdims), direction)


@vjp_rule(linalg.times_unreduced, "g")
def times_unreduced_g(b, ans, direction, g, x, axis=None, keepdims=False):
    return np.reshape(total(b * conj(direction), axis=axis, keepdims=keepdims), np.shape(g))
