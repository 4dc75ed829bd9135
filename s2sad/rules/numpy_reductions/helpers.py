"""Rules for the runtime helpers the reductions' rules call, so that derivatives
differentiate again."""

import numpy as np

from s2sad.rules.registry import (
    constant,
    jvp_rule,
    linear,
    nondifferentiable,
    vjp_rule,
)
from s2sad.runtime import unbroadcast, unreduce
from s2sad.runtime.core import conj
from s2sad.runtime.reductions import (
    cumprod_adjoint,
    cumprod_jet,
    cumprod_jet_adjoint,
    cumprod_tangent,
    half_over,
    initial_weight,
    median_weights,
    nan_mask,
    prod_adjoint,
    prod_initial_factor,
    prod_others,
    prod_others_jet,
    ptp_weights,
    reverse_cumsum,
    std_adjoint,
    std_tangent,
    sum_adjoint,
    var_adjoint,
    var_tangent,
)

# ---- the helpers the rules above call, so that derivatives differentiate again -------

# positions and weights: piecewise constant in the values they are computed from
nondifferentiable(nan_mask, median_weights, ptp_weights, initial_weight)


def _sum_adjoint(c, ans, g, a, axis=None, keepdims=False, where=True):
    raise NotImplementedError  # a signature only


@vjp_rule(sum_adjoint, "g")
def sum_adjoint_g(c, ans, g, a, axis=None, keepdims=False, where=True):
    return np.reshape(np.sum(c, axis=axis, keepdims=keepdims, where=where), np.shape(g))


linear(sum_adjoint, sum_adjoint_g, "g")
constant(sum_adjoint, _sum_adjoint, "a")


# reverse_cumsum(g, a, axis) sums g from the end: its transpose is the cumulative sum
@vjp_rule(reverse_cumsum, "g")
def reverse_cumsum_g(c, ans, g, a, axis=None):
    return np.reshape(np.cumsum(c, axis=axis), np.shape(g))


linear(reverse_cumsum, reverse_cumsum_g, "g")
constant(reverse_cumsum, reverse_cumsum_g, "a")


# var_adjoint(g, a) = unreduce(g) * P(a) * scale and var_tangent(a_dot, a) =
# sum(P(a) * a_dot) * scale, P the centring of each reduced lane (a symmetric
# projection, zero where masked): both bilinear, and each the other's transpose in either
# argument. std's helpers are var's scaled by half_over(ans) = 1 / (2 ans), whose slope
# is -2 half_over(ans) ** 2.
def _var(c, ans, g, a, axis=None, ddof=0, keepdims=False, where=True, correction=None):
    raise NotImplementedError  # a signature only


@vjp_rule(var_adjoint, "g")
def var_adjoint_g(c, ans, g, a, axis=None, ddof=0, keepdims=False, where=True,
                  correction=None):
    return np.reshape(var_tangent(c, a, axis, ddof, keepdims, where, correction), np.shape(g))


@vjp_rule(var_adjoint, "a")
def var_adjoint_a(c, ans, g, a, axis=None, ddof=0, keepdims=False, where=True,
                  correction=None):
    return var_adjoint(g, c, axis, ddof, keepdims, where, correction)


linear(var_adjoint, _var, "g", "a")


@vjp_rule(var_tangent, "a_dot")
def var_tangent_a_dot(c, ans, a_dot, a, axis=None, ddof=0, keepdims=False, where=True,
                      correction=None):
    return var_adjoint(c, a, axis, ddof, keepdims, where, correction)


@vjp_rule(var_tangent, "a")
def var_tangent_a(c, ans, a_dot, a, axis=None, ddof=0, keepdims=False, where=True,
                  correction=None):
    return var_adjoint(c, a_dot, axis, ddof, keepdims, where, correction)


linear(var_tangent, var_tangent_a, "a_dot", "a")


@vjp_rule(half_over, "ans")
def half_over_ans(g, h, ans):
    return unbroadcast(g * conj(-2.0 * h ** 2), ans)


@jvp_rule(half_over, "ans")
def half_over_ans_dot(ans_dot, h, ans):
    return ans_dot * (-2.0 * h ** 2)


def _std(c, ans_, g, ans, a, axis=None, ddof=0, keepdims=False, where=True, correction=None):
    raise NotImplementedError  # a signature only


@vjp_rule(std_adjoint, "g")
def std_adjoint_g(c, ans_, g, ans, a, axis=None, ddof=0, keepdims=False, where=True,
                  correction=None):
    return np.reshape(var_tangent(c, a, axis, ddof, keepdims, where, correction)
                      * half_over(ans), np.shape(g))


@vjp_rule(std_adjoint, "a")
def std_adjoint_a(c, ans_, g, ans, a, axis=None, ddof=0, keepdims=False, where=True,
                  correction=None):
    return std_adjoint(g, ans, c, axis, ddof, keepdims, where, correction)


@vjp_rule(std_adjoint, "ans")
def std_adjoint_ans(c, ans_, g, ans, a, axis=None, ddof=0, keepdims=False, where=True,
                    correction=None):
    return unbroadcast(g * var_tangent(c, a, axis, ddof, keepdims, where, correction)
                       * (-2.0 * half_over(ans) ** 2), ans)


@jvp_rule(std_adjoint, "ans")
def std_adjoint_ans_dot(ans_dot, ans_, g, ans, a, axis=None, ddof=0, keepdims=False,
                        where=True, correction=None):
    return var_adjoint(g * ans_dot * (-2.0 * half_over(ans) ** 2), a, axis, ddof, keepdims,
                       where, correction)


linear(std_adjoint, _std, "g", "a")


@vjp_rule(std_tangent, "a_dot")
def std_tangent_a_dot(c, ans_, a_dot, ans, a, axis=None, ddof=0, keepdims=False,
                      where=True, correction=None):
    return std_adjoint(c, ans, a, axis, ddof, keepdims, where, correction)


@vjp_rule(std_tangent, "a")
def std_tangent_a(c, ans_, a_dot, ans, a, axis=None, ddof=0, keepdims=False, where=True,
                  correction=None):
    return std_adjoint(c, ans, a_dot, axis, ddof, keepdims, where, correction)


@vjp_rule(std_tangent, "ans")
def std_tangent_ans(c, ans_, a_dot, ans, a, axis=None, ddof=0, keepdims=False, where=True,
                    correction=None):
    return unbroadcast(c * var_tangent(a_dot, a, axis, ddof, keepdims, where, correction)
                       * (-2.0 * half_over(ans) ** 2), ans)


@jvp_rule(std_tangent, "ans")
def std_tangent_ans_dot(ans_dot, ans_, a_dot, ans, a, axis=None, ddof=0, keepdims=False,
                        where=True, correction=None):
    return (var_tangent(a_dot, a, axis, ddof, keepdims, where, correction) * ans_dot
            * (-2.0 * half_over(ans) ** 2))


linear(std_tangent, std_tangent_a, "a_dot", "a")


# prod_others(a) is the gradient of the product; its tangent along d is component 1 of
# prod_others_jet([a, d]), and the jets' own rules are jets of one generator more. Each
# second derivative is symmetric (the Hessian of a product, of <w, cumprod(a)>), so its
# transpose is itself, up to the reversal of components a jet's transpose takes.
@jvp_rule(prod_others, "a")
def prod_others_a_dot(a_dot, ans, a, axis=None, where=True, initial=None):
    return prod_others_jet(np.stack([a, a_dot]), axis, where, initial)[1]


@vjp_rule(prod_others, "a")
def prod_others_a(c, ans, a, axis=None, where=True, initial=None):
    return conj(prod_others_jet(np.stack([a, conj(c)]), axis, where, initial)[1])


@vjp_rule(prod_others, "initial")
def prod_others_initial(c, ans, a, axis=None, where=True, initial=None):
    return np.sum(c * conj(prod_others(a, axis, where)))


linear(prod_others, prod_others_initial, "initial")


@jvp_rule(prod_others_jet, "jet")
def prod_others_jet_dot(jet_dot, ans, jet, axis=None, where=True, initial=None):
    return prod_others_jet(np.concatenate([jet, jet_dot]), axis, where, initial)[len(jet):]


@vjp_rule(prod_others_jet, "jet")
def prod_others_jet_jet(c, ans, jet, axis=None, where=True, initial=None):
    return conj(prod_others_jet(np.concatenate([jet, conj(c)[::-1]]), axis, where,
                                initial)[len(jet):][::-1])


@vjp_rule(prod_others_jet, "initial")
def prod_others_jet_initial(c, ans, jet, axis=None, where=True, initial=None):
    return np.sum(c * conj(prod_others_jet(jet, axis, where)))


linear(prod_others_jet, prod_others_jet_initial, "initial")


@vjp_rule(prod_adjoint, "g")
def prod_adjoint_g(c, ans, g, a, axis=None, keepdims=False, initial=None, where=True):
    return np.reshape(np.sum(c * prod_others(a, axis, where, initial), axis=axis,
                             keepdims=keepdims), np.shape(g))


@jvp_rule(prod_adjoint, "a")
def prod_adjoint_a_dot(a_dot, ans, g, a, axis=None, keepdims=False, initial=None, where=True):
    return unreduce(g, a, axis, keepdims) * conj(
        prod_others_jet(np.stack([a, a_dot]), axis, where, initial)[1])


@vjp_rule(prod_adjoint, "a")
def prod_adjoint_a(c, ans, g, a, axis=None, keepdims=False, initial=None, where=True):
    return conj(prod_others_jet(np.stack([a, c * conj(unreduce(g, a, axis, keepdims))]), axis,
                                where, initial)[1])


@jvp_rule(prod_adjoint, "initial")
def prod_adjoint_initial_dot(initial_dot, ans, g, a, axis=None, keepdims=False, initial=None,
                             where=True):
    return prod_adjoint(g, a, axis, keepdims, initial_dot, where)


@vjp_rule(prod_adjoint, "initial")
def prod_adjoint_initial(c, ans, g, a, axis=None, keepdims=False, initial=None, where=True):
    return conj(np.sum(c * conj(unreduce(g, a, axis, keepdims)) * prod_others(a, axis, where)))


linear(prod_adjoint, prod_adjoint_g, "g")


@jvp_rule(prod_initial_factor, "a")
def prod_initial_factor_a_dot(a_dot, ans, a, axis=None, keepdims=False, where=True):
    return np.sum(a_dot * prod_others(a, axis, where), axis=axis, keepdims=keepdims)


@vjp_rule(prod_initial_factor, "a")
def prod_initial_factor_a(c, ans, a, axis=None, keepdims=False, where=True):
    return prod_adjoint(c, a, axis, keepdims, None, where)


# cumprod_tangent and cumprod_adjoint read ans = np.cumprod(a) besides a: the whole
# derivative is taken through a (ans is declared constant), which holds as the rules of
# np.cumprod call them with its own result.
@vjp_rule(cumprod_tangent, "a_dot")
def cumprod_tangent_a_dot(c, value, a_dot, ans, a, axis=None):
    return cumprod_adjoint(c, ans, a, axis)


@jvp_rule(cumprod_tangent, "a")
def cumprod_tangent_a_dot2(e, value, a_dot, ans, a, axis=None):
    return cumprod_jet(np.stack([a, a_dot, e, np.zeros_like(e)]), axis)[3]


@vjp_rule(cumprod_tangent, "a")
def cumprod_tangent_a(c, value, a_dot, ans, a, axis=None):
    return conj(cumprod_jet_adjoint(np.stack([conj(c), np.zeros_like(c)]),
                                    np.stack([a, a_dot]), axis)[1])


linear(cumprod_tangent, cumprod_tangent_a_dot, "a_dot")
constant(cumprod_tangent, cumprod_tangent_a_dot, "ans")


@vjp_rule(cumprod_adjoint, "g")
def cumprod_adjoint_g(c, value, g, ans, a, axis=None):
    return cumprod_tangent(c, ans, a, axis)


@jvp_rule(cumprod_adjoint, "a")
def cumprod_adjoint_a_dot(a_dot, value, g, ans, a, axis=None):
    return conj(cumprod_jet_adjoint(np.stack([conj(g), np.zeros_like(g)]),
                                    np.stack([a, a_dot]), axis)[1])


@vjp_rule(cumprod_adjoint, "a")
def cumprod_adjoint_a(c, value, g, ans, a, axis=None):
    return conj(cumprod_jet_adjoint(np.stack([conj(g), np.zeros_like(g)]),
                                    np.stack([a, conj(c)]), axis)[1])


linear(cumprod_adjoint, cumprod_adjoint_g, "g")
constant(cumprod_adjoint, cumprod_adjoint_g, "ans")


@jvp_rule(cumprod_jet, "jet")
def cumprod_jet_dot(jet_dot, ans, jet, axis=None):
    return cumprod_jet(np.concatenate([jet, jet_dot]), axis)[len(jet):]


@vjp_rule(cumprod_jet, "jet")
def cumprod_jet_jet(c, ans, jet, axis=None):
    return conj(cumprod_jet_adjoint(conj(c)[::-1], jet, axis)[::-1])


@vjp_rule(cumprod_jet_adjoint, "w")
def cumprod_jet_adjoint_w(c, ans, w, jet, axis=None):
    return conj(cumprod_jet(np.concatenate([jet, conj(c)[::-1]]), axis)[len(jet):][::-1])


@jvp_rule(cumprod_jet_adjoint, "jet")
def cumprod_jet_adjoint_jet_dot(jet_dot, ans, w, jet, axis=None):
    return cumprod_jet_adjoint(np.concatenate([w, np.zeros_like(w)]),
                               np.concatenate([jet, jet_dot]), axis)[len(jet):]


@vjp_rule(cumprod_jet_adjoint, "jet")
def cumprod_jet_adjoint_jet(c, ans, w, jet, axis=None):
    return conj(cumprod_jet_adjoint(np.concatenate([w, np.zeros_like(w)]),
                                    np.concatenate([jet, conj(c)[::-1]]), axis)[len(jet):][::-1])


linear(cumprod_jet_adjoint, cumprod_jet_adjoint_w, "w")
