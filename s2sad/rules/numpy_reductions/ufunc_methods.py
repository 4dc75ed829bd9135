"""Rules for the methods of NumPy's ufuncs: ``reduce`` (``np.add.reduce``,
``np.multiply.reduce``, ``np.maximum.reduce``, ``np.minimum.reduce``,
``np.logaddexp.reduce``, ``np.hypot.reduce``), ``accumulate`` (``np.add``,
``np.multiply``, ``np.maximum``, ``np.minimum``, ``np.logaddexp``), ``np.add.reduceat``
and ``outer`` (``np.add``, ``np.subtract``, ``np.multiply``, ``np.divide``).

The rules are keyed by the ufunc's bound method (:func:`ufunc_method`), so a call reads
as NumPy spells it. Where a method computes what a NumPy function does (``np.add.reduce``
is ``np.sum``, ``np.multiply.accumulate`` is ``np.cumprod``), its rules call the same
helpers with the method's own defaults (``axis=0``, passed by position: the inliner
drops a keyword left at its default, taking it for the callee's). Ties in running maxima share the
derivative equally, as ``np.max``'s do. Another ufunc's methods have no rules: a call of
one is refused at its line like any function without rules."""

import numpy as np

from s2sad.rules.registry import (
    constant,
    jvp_rule,
    linear,
    ufunc_method,
    vjp_rule,
)
from s2sad.runtime import broadcast_like, unbroadcast, unreduce
from s2sad.runtime.core import conj
from s2sad.runtime.elementwise import over_norm
from s2sad.runtime.reductions import (
    cumprod_adjoint,
    cumprod_tangent,
    extremum_weights,
    initial_weight,
    logaddexp_accumulate_adjoint,
    logaddexp_accumulate_tangent,
    outer_operand,
    prod_adjoint,
    prod_initial_factor,
    prod_others,
    reduceat_adjoint,
    reverse_cumsum,
    running_extremum_adjoint,
    running_extremum_tangent,
    sum_adjoint,
)
from s2sad.runtime.shapes import cast_tangent

# ---- reduce --------------------------------------------------------------------------

add_reduce = ufunc_method(np.add, "reduce")
multiply_reduce = ufunc_method(np.multiply, "reduce")
maximum_reduce = ufunc_method(np.maximum, "reduce")
minimum_reduce = ufunc_method(np.minimum, "reduce")
logaddexp_reduce = ufunc_method(np.logaddexp, "reduce")
hypot_reduce = ufunc_method(np.hypot, "reduce")


@vjp_rule(add_reduce)
def add_reduce_array(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                     initial=None, where=True):
    return unreduce(g, array, axis, keepdims) if where is True else sum_adjoint(
        g, array, axis, keepdims, where)


@jvp_rule(add_reduce)
def add_reduce_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                         initial=None, where=True):
    return np.sum(array_dot, axis, dtype=dtype, keepdims=keepdims, where=where)


@vjp_rule(add_reduce, "initial")
def add_reduce_initial(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                       initial=None, where=True):
    return np.sum(g)


@jvp_rule(add_reduce, "initial")
def add_reduce_initial_dot(initial_dot, ans, array, axis=0, dtype=None, out=None,
                           keepdims=False, initial=None, where=True):
    return broadcast_like(initial_dot, ans)


@vjp_rule(multiply_reduce)
def multiply_reduce_array(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                          initial=None, where=True):
    return prod_adjoint(g, array, axis, keepdims, initial, where)


@jvp_rule(multiply_reduce)
def multiply_reduce_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None,
                              keepdims=False, initial=None, where=True):
    return (
        np.sum(array_dot * prod_others(array, axis, where, initial), axis,
               keepdims=keepdims)
        if dtype is None
        else cast_tangent(
            np.sum(array_dot * prod_others(array, axis, where, initial), axis,
                   keepdims=keepdims), dtype
        )
    )


@vjp_rule(multiply_reduce, "initial")
def multiply_reduce_initial(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                            initial=None, where=True):
    return np.sum(g * conj(prod_initial_factor(array, axis, keepdims, where)))


@jvp_rule(multiply_reduce, "initial")
def multiply_reduce_initial_dot(initial_dot, ans, array, axis=0, dtype=None, out=None,
                                keepdims=False, initial=None, where=True):
    return initial_dot * prod_initial_factor(array, axis, keepdims, where)


@vjp_rule(maximum_reduce)
@vjp_rule(minimum_reduce)
def extremum_reduce_array(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                          initial=None, where=True):
    return (g if axis is None else g if keepdims else unreduce(g, array, axis, keepdims)) * \
        extremum_weights(array, ans, axis, keepdims, where, initial)


@jvp_rule(maximum_reduce)
@jvp_rule(minimum_reduce)
def extremum_reduce_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None,
                              keepdims=False, initial=None, where=True):
    return np.sum(array_dot * extremum_weights(array, ans, axis, keepdims, where, initial),
                  axis, keepdims=keepdims)


@vjp_rule(maximum_reduce, "initial")
@vjp_rule(minimum_reduce, "initial")
def extremum_reduce_initial(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                            initial=None, where=True):
    return np.sum(g * initial_weight(array, ans, axis, keepdims, where, initial))


@jvp_rule(maximum_reduce, "initial")
@jvp_rule(minimum_reduce, "initial")
def extremum_reduce_initial_dot(initial_dot, ans, array, axis=0, dtype=None, out=None,
                                keepdims=False, initial=None, where=True):
    return initial_dot * initial_weight(array, ans, axis, keepdims, where, initial)


# log(sum(exp(x))): each element weighs exp(x - ans), its softmax share
@vjp_rule(logaddexp_reduce)
def logaddexp_reduce_array(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                           initial=None, where=True):
    return (
        unreduce(g, array, axis, keepdims)
        * np.exp(array - unreduce(ans, array, axis, keepdims))
        if where is True
        else np.where(where, unreduce(g, array, axis, keepdims)
                      * np.exp(array - unreduce(ans, array, axis, keepdims)), 0.0)
    )


@jvp_rule(logaddexp_reduce)
def logaddexp_reduce_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None,
                               keepdims=False, initial=None, where=True):
    return np.sum(array_dot * np.exp(array - unreduce(ans, array, axis, keepdims)),
                  axis, keepdims=keepdims, where=where)


@vjp_rule(logaddexp_reduce, "initial")
def logaddexp_reduce_initial(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                             initial=None, where=True):
    return np.sum(g * np.exp(initial - ans))


@jvp_rule(logaddexp_reduce, "initial")
def logaddexp_reduce_initial_dot(initial_dot, ans, array, axis=0, dtype=None, out=None,
                                 keepdims=False, initial=None, where=True):
    return initial_dot * np.exp(initial - ans)


# sqrt(sum(x ** 2)): each element weighs x / ans (0 where ans is 0, as for np.hypot)
@vjp_rule(hypot_reduce)
def hypot_reduce_array(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                       initial=None, where=True):
    return (
        unreduce(g, array, axis, keepdims)
        * over_norm(array, unreduce(ans, array, axis, keepdims))
        if where is True
        else np.where(where, unreduce(g, array, axis, keepdims)
                      * over_norm(array, unreduce(ans, array, axis, keepdims)), 0.0)
    )


@jvp_rule(hypot_reduce)
def hypot_reduce_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None,
                           keepdims=False, initial=None, where=True):
    return np.sum(array_dot * over_norm(array, unreduce(ans, array, axis, keepdims)),
                  axis, keepdims=keepdims, where=where)


@vjp_rule(hypot_reduce, "initial")
def hypot_reduce_initial(g, ans, array, axis=0, dtype=None, out=None, keepdims=False,
                         initial=None, where=True):
    return np.sum(g * over_norm(initial, ans))


@jvp_rule(hypot_reduce, "initial")
def hypot_reduce_initial_dot(initial_dot, ans, array, axis=0, dtype=None, out=None,
                             keepdims=False, initial=None, where=True):
    return initial_dot * over_norm(initial, ans)


# ---- accumulate ----------------------------------------------------------------------

add_accumulate = ufunc_method(np.add, "accumulate")
multiply_accumulate = ufunc_method(np.multiply, "accumulate")
maximum_accumulate = ufunc_method(np.maximum, "accumulate")
minimum_accumulate = ufunc_method(np.minimum, "accumulate")
logaddexp_accumulate = ufunc_method(np.logaddexp, "accumulate")


@vjp_rule(add_accumulate)
def add_accumulate_array(g, ans, array, axis=0, dtype=None, out=None):
    return reverse_cumsum(g, array, axis)


linear(add_accumulate, add_accumulate_array, "array")


@vjp_rule(multiply_accumulate)
def multiply_accumulate_array(g, ans, array, axis=0, dtype=None, out=None):
    return cumprod_adjoint(g, ans, array, axis)


@jvp_rule(multiply_accumulate)
def multiply_accumulate_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None):
    return (
        cumprod_tangent(array_dot, ans, array, axis)
        if dtype is None
        else cast_tangent(cumprod_tangent(array_dot, ans, array, axis), dtype)
    )


@vjp_rule(maximum_accumulate)
@vjp_rule(minimum_accumulate)
def extremum_accumulate_array(g, ans, array, axis=0, dtype=None, out=None):
    return running_extremum_adjoint(g, array, ans, axis)


@jvp_rule(maximum_accumulate)
@jvp_rule(minimum_accumulate)
def extremum_accumulate_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None):
    return running_extremum_tangent(array_dot, array, ans, axis)


@vjp_rule(logaddexp_accumulate)
def logaddexp_accumulate_array(g, ans, array, axis=0, dtype=None, out=None):
    return logaddexp_accumulate_adjoint(g, array, ans, axis)


@jvp_rule(logaddexp_accumulate)
def logaddexp_accumulate_array_dot(array_dot, ans, array, axis=0, dtype=None, out=None):
    return logaddexp_accumulate_tangent(array_dot, array, ans, axis)


# ---- reduceat ------------------------------------------------------------------------

add_reduceat = ufunc_method(np.add, "reduceat")


@vjp_rule(add_reduceat)
def add_reduceat_array(g, ans, array, indices, axis=0, dtype=None, out=None):
    return reduceat_adjoint(g, array, indices, axis)


linear(add_reduceat, add_reduceat_array, "array")
constant(add_reduceat, add_reduceat_array, "indices")


# ---- outer ---------------------------------------------------------------------------
# op.outer(A, B) is op(outer_operand(A, B), B): A gets a unit axis for each of B's

add_outer = ufunc_method(np.add, "outer")
subtract_outer = ufunc_method(np.subtract, "outer")
multiply_outer = ufunc_method(np.multiply, "outer")
divide_outer = ufunc_method(np.divide, "outer")


@vjp_rule(add_outer, "A")
@vjp_rule(subtract_outer, "A")
def sum_outer_A(g, ans, A, B):
    return np.reshape(unbroadcast(g, outer_operand(A, B)), np.shape(A))


@jvp_rule(add_outer, "A")
@jvp_rule(subtract_outer, "A")
def sum_outer_A_dot(A_dot, ans, A, B):
    return broadcast_like(outer_operand(A_dot, B), ans)


@vjp_rule(add_outer, "B")
def add_outer_B(g, ans, A, B):
    return unbroadcast(g, B)


@jvp_rule(add_outer, "B")
def add_outer_B_dot(B_dot, ans, A, B):
    return broadcast_like(B_dot, ans)


@vjp_rule(subtract_outer, "B")
def subtract_outer_B(g, ans, A, B):
    return -unbroadcast(g, B)


@jvp_rule(subtract_outer, "B")
def subtract_outer_B_dot(B_dot, ans, A, B):
    return -broadcast_like(B_dot, ans)


@vjp_rule(multiply_outer, "A")
def multiply_outer_A(g, ans, A, B):
    return np.reshape(unbroadcast(g * conj(B), outer_operand(A, B)), np.shape(A))


@jvp_rule(multiply_outer, "A")
def multiply_outer_A_dot(A_dot, ans, A, B):
    return outer_operand(A_dot, B) * B


@vjp_rule(multiply_outer, "B")
def multiply_outer_B(g, ans, A, B):
    return unbroadcast(g * conj(outer_operand(A, B)), B)


@jvp_rule(multiply_outer, "B")
def multiply_outer_B_dot(B_dot, ans, A, B):
    return outer_operand(A, B) * B_dot


@vjp_rule(divide_outer, "A")
def divide_outer_A(g, ans, A, B):
    return np.reshape(unbroadcast(g / conj(B), outer_operand(A, B)), np.shape(A))


@jvp_rule(divide_outer, "A")
def divide_outer_A_dot(A_dot, ans, A, B):
    return outer_operand(A_dot, B) / B


@vjp_rule(divide_outer, "B")
def divide_outer_B(g, ans, A, B):
    return -unbroadcast(g * conj(ans / B), B)


@jvp_rule(divide_outer, "B")
def divide_outer_B_dot(B_dot, ans, A, B):
    return -(B_dot * ans / B)


# ---- the helpers the rules above call, so that derivatives differentiate again -------


# the running extremum's tangent and adjoint are each other's transpose, piecewise
# constant in the values that pick the ties
@vjp_rule(running_extremum_tangent, "array_dot")
def running_extremum_tangent_array_dot(c, ans, array_dot, array, accumulated, axis=0):
    return unbroadcast(running_extremum_adjoint(c, array, accumulated, axis), array_dot)


linear(running_extremum_tangent, running_extremum_tangent_array_dot, "array_dot")
constant(running_extremum_tangent, running_extremum_tangent_array_dot, "array",
         "accumulated")


@vjp_rule(running_extremum_adjoint, "g")
def running_extremum_adjoint_g(c, ans, g, array, accumulated, axis=0):
    return unbroadcast(running_extremum_tangent(c, array, accumulated, axis), g)


linear(running_extremum_adjoint, running_extremum_adjoint_g, "g")
constant(running_extremum_adjoint, running_extremum_adjoint_g, "array", "accumulated")


# T(d, x, y)_i = sum_{j <= i} exp(x_j - y_i) d_j and A(g, x, y)_j = sum_{i >= j} g_i
# exp(x_j - y_i): linear in d (g) and each other's transpose; in x_j a factor exp(x_j)
# of term j, in y_i a factor exp(-y_i) of term i
@vjp_rule(logaddexp_accumulate_tangent, "array_dot")
def logaddexp_accumulate_tangent_array_dot(c, ans, array_dot, array, accumulated, axis=0):
    return unbroadcast(logaddexp_accumulate_adjoint(c, array, accumulated, axis), array_dot)


@vjp_rule(logaddexp_accumulate_tangent, "array")
def logaddexp_accumulate_tangent_array(c, ans, array_dot, array, accumulated, axis=0):
    return array_dot * logaddexp_accumulate_adjoint(c, array, accumulated, axis)


@jvp_rule(logaddexp_accumulate_tangent, "array")
def logaddexp_accumulate_tangent_array_dot_dot(array_dot_dot, ans, array_dot, array,
                                               accumulated, axis=0):
    return logaddexp_accumulate_tangent(array_dot * array_dot_dot, array, accumulated, axis)


@vjp_rule(logaddexp_accumulate_tangent, "accumulated")
def logaddexp_accumulate_tangent_accumulated(c, ans, array_dot, array, accumulated, axis=0):
    return -(c * ans)


@jvp_rule(logaddexp_accumulate_tangent, "accumulated")
def logaddexp_accumulate_tangent_accumulated_dot(accumulated_dot, ans, array_dot, array,
                                                 accumulated, axis=0):
    return -(accumulated_dot * ans)


linear(logaddexp_accumulate_tangent, logaddexp_accumulate_tangent_array_dot, "array_dot")


@vjp_rule(logaddexp_accumulate_adjoint, "g")
def logaddexp_accumulate_adjoint_g(c, ans, g, array, accumulated, axis=0):
    return unbroadcast(logaddexp_accumulate_tangent(c, array, accumulated, axis), g)


@vjp_rule(logaddexp_accumulate_adjoint, "array")
def logaddexp_accumulate_adjoint_array(c, ans, g, array, accumulated, axis=0):
    return c * ans


@jvp_rule(logaddexp_accumulate_adjoint, "array")
def logaddexp_accumulate_adjoint_array_dot(array_dot, ans, g, array, accumulated, axis=0):
    return array_dot * ans


@vjp_rule(logaddexp_accumulate_adjoint, "accumulated")
def logaddexp_accumulate_adjoint_accumulated(c, ans, g, array, accumulated, axis=0):
    return -(g * logaddexp_accumulate_tangent(c, array, accumulated, axis))


@jvp_rule(logaddexp_accumulate_adjoint, "accumulated")
def logaddexp_accumulate_adjoint_accumulated_dot(accumulated_dot, ans, g, array,
                                                 accumulated, axis=0):
    return -logaddexp_accumulate_adjoint(g * accumulated_dot, array, accumulated, axis)


linear(logaddexp_accumulate_adjoint, logaddexp_accumulate_adjoint_g, "g")


@vjp_rule(reduceat_adjoint, "g")
def reduceat_adjoint_g(c, ans, g, array, indices, axis=0):
    return np.reshape(np.add.reduceat(c, indices, axis=axis), np.shape(g))


linear(reduceat_adjoint, reduceat_adjoint_g, "g")
constant(reduceat_adjoint, reduceat_adjoint_g, "array", "indices")


@vjp_rule(outer_operand, "a")
def outer_operand_a(c, ans, a, b):
    return np.reshape(c, np.shape(a))


linear(outer_operand, outer_operand_a, "a")
constant(outer_operand, outer_operand_a, "b")
