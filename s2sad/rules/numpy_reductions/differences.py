"""Rules for NumPy's differences (``np.diff``) and the trapezoidal rule."""

import numpy as np

from s2sad.rules.registry import (
    constant,
    jvp_rule,
    linear,
    nondifferentiable,
    share,
    vjp_rule,
)
from s2sad.runtime import unbroadcast, unreduce
from s2sad.runtime.core import conj, zeros_like
from s2sad.runtime.reductions import (
    diff_after,
    diff_end,
    diff_padded,
    diff_part,
    diff_rest,
    diff_transposed,
    ediff1d_count,
    ediff1d_zeros,
    trapezoid_weights,
    trapezoid_x_adjoint,
)

# ---- differences and the trapezoidal rule --------------------------------------------
# np.diff is linear in a, prepend and append together: each one's tangent is differenced
# between zeros in the places of the others (none with n = 0, where numpy returns a
# alone). np.trapezoid is sum(weights * y) with weights linear in x (or in dx without x).


@jvp_rule(np.diff, "a")
def diff_a_dot(a_dot, ans, a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    return diff_padded(a_dot, n, axis, diff_end(a, axis, prepend), diff_end(a, axis, append))


@vjp_rule(np.diff, "a")
def diff_a(g, ans, a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    return diff_transposed(g, a, n, axis, diff_end(a, axis, prepend))


@jvp_rule(np.diff, "prepend")
def diff_prepend_dot(prepend_dot, ans, a, n=1, axis=-1, prepend=np._NoValue,
                     append=np._NoValue):
    return (diff_padded(prepend_dot * diff_part(a, axis, prepend), n, axis, 0,
                        diff_rest(a, axis, append)) if n else np.zeros_like(ans))


@vjp_rule(np.diff, "prepend")
def diff_prepend(g, ans, a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    return (unbroadcast(diff_transposed(g, diff_part(a, axis, prepend), n, axis, 0), prepend)
            if n else np.zeros_like(prepend))


@jvp_rule(np.diff, "append")
def diff_append_dot(append_dot, ans, a, n=1, axis=-1, prepend=np._NoValue,
                    append=np._NoValue):
    return (diff_padded(append_dot * diff_part(a, axis, append), n, axis,
                        diff_rest(a, axis, prepend), 0) if n else np.zeros_like(ans))


@vjp_rule(np.diff, "append")
def diff_append(g, ans, a, n=1, axis=-1, prepend=np._NoValue, append=np._NoValue):
    return (unbroadcast(diff_transposed(g, diff_part(a, axis, append), n, axis,
                                        diff_rest(a, axis, prepend)), append)
            if n else np.zeros_like(append))


constant(np.diff, diff_a, "n", "axis")


@vjp_rule(diff_padded, "c")
def diff_padded_c(g, ans, c, n=1, axis=-1, before=0, after=0):
    return diff_transposed(g, c, n, axis, before)


@vjp_rule(diff_transposed, "g")
def diff_transposed_g(c, ans, g, like, n=1, axis=-1, start=0):
    return diff_padded(c, n, axis, start, diff_after(g, like, n, axis, start))


linear(diff_padded, diff_padded_c, "c")
linear(diff_transposed, diff_transposed_g, "g")
constant(diff_transposed, diff_transposed_g, "like")
nondifferentiable(diff_end, diff_rest, diff_part, diff_after)


@vjp_rule(np.trapezoid, "y")
def trapezoid_y(g, ans, y, x=None, dx=1.0, axis=-1):
    return unreduce(g, y, axis) * conj(trapezoid_weights(y, x, dx, axis))


@vjp_rule(np.trapezoid, "x")
def trapezoid_x(g, ans, y, x=None, dx=1.0, axis=-1):
    return trapezoid_x_adjoint(unreduce(g, y, axis) * conj(y), y, x, axis)


@jvp_rule(np.trapezoid, "x")
def trapezoid_x_dot(x_dot, ans, y, x=None, dx=1.0, axis=-1):
    return np.sum(trapezoid_weights(y, x_dot, dx, axis) * y, axis)


@vjp_rule(np.trapezoid, "dx")
def trapezoid_dx(g, ans, y, x=None, dx=1.0, axis=-1):
    return (unbroadcast(g * conj(np.trapezoid(y, None, 1.0, axis)), dx) if x is None
            else np.zeros_like(dx))


@jvp_rule(np.trapezoid, "dx")
def trapezoid_dx_dot(dx_dot, ans, y, x=None, dx=1.0, axis=-1):
    return (dx_dot * np.trapezoid(y, None, 1.0, axis) if x is None
            else np.zeros_like(ans))


linear(np.trapezoid, trapezoid_y, "y")
constant(np.trapezoid, trapezoid_y, "axis")
if hasattr(np, "trapz"):  # NumPy before 2.4: the same function under its old name
    share(np.trapz, np.trapezoid)


@vjp_rule(trapezoid_weights, "x")
def trapezoid_weights_x(c, ans, y, x=None, dx=1.0, axis=-1):
    return trapezoid_x_adjoint(c, y, x, axis)


@vjp_rule(trapezoid_weights, "dx")
def trapezoid_weights_dx(c, ans, y, x=None, dx=1.0, axis=-1):
    return (unbroadcast(c * trapezoid_weights(y, None, 1.0, axis), dx) if x is None
            else np.zeros_like(dx))


@jvp_rule(trapezoid_weights, "dx")
def trapezoid_weights_dx_dot(dx_dot, ans, y, x=None, dx=1.0, axis=-1):
    return (trapezoid_weights(y, None, dx_dot, axis) if x is None
            else np.zeros_like(ans))


@vjp_rule(trapezoid_x_adjoint, "c")
def trapezoid_x_adjoint_c(b, ans, c, y, x, axis=-1):
    return unbroadcast(trapezoid_weights(y, b, 1.0, axis) * np.ones_like(c), c)


linear(trapezoid_weights, trapezoid_weights_x, "x")
constant(trapezoid_weights, trapezoid_weights_x, "y")
linear(trapezoid_x_adjoint, trapezoid_x_adjoint_c, "c")
constant(trapezoid_x_adjoint, trapezoid_x_adjoint_c, "y", "x")


# ---- ediff1d: the differences of the flattened array between to_begin and to_end, -----
# jointly linear in the three; a's adjoint is minus the differences of its part of g
# padded with a zero at each end


@vjp_rule(np.ediff1d, "ary")
def ediff1d_ary(g, ans, ary, to_end=None, to_begin=None):
    return np.reshape(-np.diff(g[ediff1d_count(to_begin):np.size(g) - ediff1d_count(to_end)],
                               prepend=0.0, append=0.0), np.shape(ary))


@vjp_rule(np.ediff1d, "to_begin")
def ediff1d_to_begin(g, ans, ary, to_end=None, to_begin=None):
    return np.reshape(g[:ediff1d_count(to_begin)], np.shape(to_begin))


@vjp_rule(np.ediff1d, "to_end")
def ediff1d_to_end(g, ans, ary, to_end=None, to_begin=None):
    return np.reshape(g[np.size(g) - ediff1d_count(to_end):], np.shape(to_end))


@jvp_rule(np.ediff1d, "ary")
def ediff1d_ary_dot(ary_dot, ans, ary, to_end=None, to_begin=None):
    return np.ediff1d(ary_dot, ediff1d_zeros(to_end), ediff1d_zeros(to_begin))


@jvp_rule(np.ediff1d, "to_begin")
def ediff1d_to_begin_dot(to_begin_dot, ans, ary, to_end=None, to_begin=None):
    return np.ediff1d(zeros_like(ary), ediff1d_zeros(to_end), to_begin_dot)


@jvp_rule(np.ediff1d, "to_end")
def ediff1d_to_end_dot(to_end_dot, ans, ary, to_end=None, to_begin=None):
    return np.ediff1d(zeros_like(ary), to_end_dot, ediff1d_zeros(to_begin))


nondifferentiable(ediff1d_count, ediff1d_zeros)
