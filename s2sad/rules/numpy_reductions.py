"""Derivative rules for NumPy reductions and cumulative functions.

Every reduction takes ``axis`` (an int, a negative int, a tuple or None) and ``keepdims``;
``unreduce`` broadcasts an adjoint back over the reduced axes.

Conventions (see :mod:`s2sad.runtime.reductions`):

* max, min, amax, amin, nanmax, nanmin, ptp: when several elements tie for the extremum,
  the derivative is split equally among them (``d max([1, 3, 3]) = [0, 1/2, 1/2]``).
* ``where=`` masks give masked-out elements a zero derivative; the NaN-ignoring
  reductions treat NaN entries as masked out.
* prod, nanprod, cumprod: the derivative in an element is the product of the others,
  computed so that inputs containing zeros are handled exactly (no 0/0).
* std, nanstd: where the spread is zero (no derivative) the adjoint is taken as zero.
* median: the derivative goes to the middle element (1/2 to each of the two middle
  elements for an even count); ``overwrite_input=True`` is refused.
"""

import numpy as np

from s2sad.rules.registry import (
    constant,
    jvp_rule,
    linear,
    nondifferentiable,
    share,
    vjp_rule,
)
from s2sad.runtime import broadcast_like, unbroadcast, unreduce
from s2sad.runtime.core import conj
from s2sad.runtime.reductions import (
    average_layout,
    average_unlayout,
    cumprod_adjoint,
    cumprod_jet,
    cumprod_jet_adjoint,
    cumprod_tangent,
    diff_after,
    diff_end,
    diff_padded,
    diff_part,
    diff_rest,
    diff_transposed,
    extremum_weights,
    half_over,
    initial_weight,
    mean_weights,
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
    trapezoid_weights,
    trapezoid_x_adjoint,
    var_adjoint,
    var_tangent,
)
from s2sad.runtime.shapes import cast_tangent

# ---- sum and mean ------------------------------------------------------------------


@vjp_rule(np.sum)
def sum_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
          where=True):
    return unreduce(g, a, axis, keepdims) if where is True else sum_adjoint(
        g, a, axis, keepdims, where)


@jvp_rule(np.sum)
def sum_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
              where=True):
    return np.sum(a_dot, axis=axis, dtype=dtype, keepdims=keepdims, where=where)


@vjp_rule(np.sum, "initial")
@vjp_rule(np.nansum, "initial")
def sum_initial(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
                where=True):
    return np.sum(g)


@jvp_rule(np.sum, "initial")
@jvp_rule(np.nansum, "initial")
def sum_initial_dot(initial_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                    initial=None, where=True):
    return broadcast_like(initial_dot, ans)


@vjp_rule(np.nansum)
def nansum_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
             where=True):
    return sum_adjoint(g, a, axis, keepdims, nan_mask(a, where))


@jvp_rule(np.nansum)
def nansum_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                 initial=None, where=True):
    return np.sum(a_dot, axis=axis, dtype=dtype, keepdims=keepdims, where=nan_mask(a, where))


@vjp_rule(np.mean)
def mean_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    return unreduce(g * mean_weights(a, axis), a, axis, keepdims) if where is True else \
        unreduce(g, a, axis, keepdims) * mean_weights(a, axis, where)


linear(np.mean, mean_a, "a")


@vjp_rule(np.nanmean)
def nanmean_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    return unreduce(g, a, axis, keepdims) * mean_weights(a, axis, nan_mask(a, where))


@jvp_rule(np.nanmean)
def nanmean_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False, *,
                  where=True):
    return (
        np.sum(a_dot * mean_weights(a, axis, nan_mask(a, where)), axis=axis, keepdims=keepdims)
        if dtype is None
        else cast_tangent(
            np.sum(a_dot * mean_weights(a, axis, nan_mask(a, where)),
                   axis=axis, keepdims=keepdims), dtype
        )
    )


# ---- average -----------------------------------------------------------------------


# avg = sum(a * w) / sum(w), w the weights laid out against a (average_layout, linear in
# the weights); returned=True adds sum(w), which takes the second part of g


@vjp_rule(np.average, "a")
def average_a(g, ans, a, axis=None, weights=None, returned=False, *, keepdims=False):
    return unreduce(g[0] if returned else g, a, axis, keepdims) * (
        mean_weights(a, axis) if weights is None
        else conj(average_layout(weights, a, axis) / np.sum(
            np.broadcast_to(average_layout(weights, a, axis), np.shape(a)), axis,
            keepdims=True)))


@jvp_rule(np.average, "a")
def average_a_dot(a_dot, ans, a, axis=None, weights=None, returned=False, *, keepdims=False):
    return ((np.average(a_dot, axis, weights, keepdims=keepdims), np.zeros_like(ans[1]))
            if returned else np.average(a_dot, axis, weights, keepdims=keepdims))


@vjp_rule(np.average, "weights")
def average_weights(g, ans, a, axis=None, weights=None, returned=False, *, keepdims=False):
    return average_unlayout(
        unreduce(g[0] if returned else g, a, axis, keepdims)
        * conj((a - unreduce(ans[0] if returned else ans, a, axis, keepdims)) / np.sum(
            np.broadcast_to(average_layout(weights, a, axis), np.shape(a)), axis,
            keepdims=True))
        + (unreduce(g[1], a, axis, keepdims) if returned else 0.0), a, axis, weights)


@jvp_rule(np.average, "weights")
def average_weights_dot(weights_dot, ans, a, axis=None, weights=None, returned=False, *,
                        keepdims=False):
    return ((np.reshape(np.sum(
        np.broadcast_to(average_layout(weights_dot, a, axis), np.shape(a))
        * (a - unreduce(ans[0], a, axis, keepdims)), axis, keepdims=True) / np.sum(
        np.broadcast_to(average_layout(weights, a, axis), np.shape(a)), axis, keepdims=True),
        np.shape(ans[0])), np.reshape(np.sum(np.broadcast_to(
            average_layout(weights_dot, a, axis), np.shape(a)), axis, keepdims=True),
            np.shape(ans[1]))) if returned
        else np.reshape(np.sum(
            np.broadcast_to(average_layout(weights_dot, a, axis), np.shape(a))
            * (a - unreduce(ans, a, axis, keepdims)), axis, keepdims=True) / np.sum(
            np.broadcast_to(average_layout(weights, a, axis), np.shape(a)), axis,
            keepdims=True), np.shape(ans)))


@vjp_rule(average_layout, "weights")
def average_layout_weights(c, ans, weights, a, axis=None):
    return average_unlayout(c, a, axis, weights)


@vjp_rule(average_unlayout, "c")
def average_unlayout_c(b, ans, c, a, axis=None, weights=None):
    return unbroadcast(average_layout(b, a, axis) * np.ones_like(c), c)


linear(average_layout, average_layout_weights, "weights")
constant(average_layout, average_layout_weights, "a")
linear(average_unlayout, average_unlayout_c, "c")
constant(average_unlayout, average_unlayout_c, "a", "weights")


# ---- max, min, ptp (ties share the derivative equally) -----------------------------


@vjp_rule(np.max)
@vjp_rule(np.amax)
@vjp_rule(np.min)
@vjp_rule(np.amin)
def extremum_a(g, ans, a, axis=None, out=None, keepdims=False, initial=None, where=True):
    # the weights have a's shape: g broadcasts against them unless axes were dropped
    return (g if axis is None else g if keepdims else unreduce(g, a, axis, keepdims)) * \
        extremum_weights(a, ans, axis, keepdims, where, initial)


@jvp_rule(np.max)
@jvp_rule(np.amax)
@jvp_rule(np.min)
@jvp_rule(np.amin)
def extremum_a_dot(a_dot, ans, a, axis=None, out=None, keepdims=False, initial=None,
                   where=True):
    return np.sum(a_dot * extremum_weights(a, ans, axis, keepdims, where, initial), axis=axis,
                  keepdims=keepdims)


@vjp_rule(np.nanmax)
@vjp_rule(np.nanmin)
def nanextremum_a(g, ans, a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return unreduce(g, a, axis, keepdims) * extremum_weights(
        a, ans, axis, keepdims, nan_mask(a, where), initial)


@jvp_rule(np.nanmax)
@jvp_rule(np.nanmin)
def nanextremum_a_dot(a_dot, ans, a, axis=None, out=None, keepdims=False, initial=None,
                      where=True):
    return np.sum(a_dot * extremum_weights(a, ans, axis, keepdims, nan_mask(a, where), initial),
                  axis=axis, keepdims=keepdims)


@vjp_rule(np.max, "initial")
@vjp_rule(np.amax, "initial")
@vjp_rule(np.min, "initial")
@vjp_rule(np.amin, "initial")
def extremum_initial(g, ans, a, axis=None, out=None, keepdims=False, initial=None, where=True):
    return np.sum(g * initial_weight(a, ans, axis, keepdims, where, initial))


@jvp_rule(np.max, "initial")
@jvp_rule(np.amax, "initial")
@jvp_rule(np.min, "initial")
@jvp_rule(np.amin, "initial")
def extremum_initial_dot(initial_dot, ans, a, axis=None, out=None, keepdims=False,
                         initial=None, where=True):
    return initial_dot * initial_weight(a, ans, axis, keepdims, where, initial)


@vjp_rule(np.nanmax, "initial")
@vjp_rule(np.nanmin, "initial")
def nanextremum_initial(g, ans, a, axis=None, out=None, keepdims=False, initial=None,
                        where=True):
    return np.sum(g * initial_weight(a, ans, axis, keepdims, nan_mask(a, where), initial))


@jvp_rule(np.nanmax, "initial")
@jvp_rule(np.nanmin, "initial")
def nanextremum_initial_dot(initial_dot, ans, a, axis=None, out=None, keepdims=False,
                            initial=None, where=True):
    return initial_dot * initial_weight(a, ans, axis, keepdims, nan_mask(a, where), initial)


@vjp_rule(np.ptp)
def ptp_a(g, ans, a, axis=None, out=None, keepdims=False):
    return unreduce(g, a, axis, keepdims) * ptp_weights(a, axis)


@jvp_rule(np.ptp)
def ptp_a_dot(a_dot, ans, a, axis=None, out=None, keepdims=False):
    return np.sum(a_dot * ptp_weights(a, axis), axis=axis, keepdims=keepdims)


# ---- products (exact at zeros) -----------------------------------------------------


@vjp_rule(np.prod)
def prod_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
           where=True):
    return prod_adjoint(g, a, axis, keepdims, initial, where)


@jvp_rule(np.prod)
def prod_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
               where=True):
    return (
        np.sum(a_dot * prod_others(a, axis, where, initial), axis=axis, keepdims=keepdims)
        if dtype is None
        else cast_tangent(
            np.sum(a_dot * prod_others(a, axis, where, initial),
                   axis=axis, keepdims=keepdims), dtype
        )
    )


@vjp_rule(np.prod, "initial")
def prod_initial(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
                 where=True):
    return np.sum(g * conj(prod_initial_factor(a, axis, keepdims, where)))


@jvp_rule(np.prod, "initial")
def prod_initial_dot(initial_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                     initial=None, where=True):
    return initial_dot * prod_initial_factor(a, axis, keepdims, where)


@vjp_rule(np.nanprod, "initial")
def nanprod_initial(g, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                    initial=None, where=True):
    return np.sum(g * conj(prod_initial_factor(a, axis, keepdims, nan_mask(a, where))))


@jvp_rule(np.nanprod, "initial")
def nanprod_initial_dot(initial_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                        initial=None, where=True):
    return initial_dot * prod_initial_factor(a, axis, keepdims, nan_mask(a, where))


@vjp_rule(np.nanprod)
def nanprod_a(g, ans, a, axis=None, dtype=None, out=None, keepdims=False, initial=None,
              where=True):
    return prod_adjoint(g, a, axis, keepdims, initial, nan_mask(a, where))


@jvp_rule(np.nanprod)
def nanprod_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, keepdims=False,
                  initial=None, where=True):
    return (
        np.sum(a_dot * prod_others(a, axis, nan_mask(a, where), initial),
               axis=axis, keepdims=keepdims)
        if dtype is None
        else cast_tangent(
            np.sum(a_dot * prod_others(a, axis, nan_mask(a, where), initial),
                   axis=axis, keepdims=keepdims), dtype
        )
    )


# ---- variance and standard deviation -----------------------------------------------


@vjp_rule(np.var)
def var_a(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
          correction=None):
    return var_adjoint(g, a, axis, ddof, keepdims, where, correction)


@jvp_rule(np.var)
def var_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
              where=True, correction=None):
    return (
        var_tangent(a_dot, a, axis, ddof, keepdims, where, correction)
        if dtype is None
        else cast_tangent(var_tangent(a_dot, a, axis, ddof, keepdims, where, correction), dtype)
    )


@vjp_rule(np.std)
def std_a(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True,
          correction=None):
    return std_adjoint(g, ans, a, axis, ddof, keepdims, where, correction)


@jvp_rule(np.std)
def std_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
              where=True, correction=None):
    return (
        std_tangent(a_dot, ans, a, axis, ddof, keepdims, where, correction)
        if dtype is None
        else cast_tangent(
            std_tangent(a_dot, ans, a, axis, ddof, keepdims, where, correction), dtype
        )
    )


@vjp_rule(np.nanvar)
def nanvar_a(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
             where=True, correction=None):
    return var_adjoint(g, a, axis, ddof, keepdims, nan_mask(a, where), correction)


@jvp_rule(np.nanvar)
def nanvar_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
                 where=True, correction=None):
    return (
        var_tangent(a_dot, a, axis, ddof, keepdims, nan_mask(a, where), correction)
        if dtype is None
        else cast_tangent(
            var_tangent(a_dot, a, axis, ddof, keepdims, nan_mask(a, where), correction), dtype
        )
    )


@vjp_rule(np.nanstd)
def nanstd_a(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
             where=True, correction=None):
    return std_adjoint(g, ans, a, axis, ddof, keepdims, nan_mask(a, where), correction)


@jvp_rule(np.nanstd)
def nanstd_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
                 where=True, correction=None):
    return (
        std_tangent(a_dot, ans, a, axis, ddof, keepdims, nan_mask(a, where), correction)
        if dtype is None
        else cast_tangent(
            std_tangent(a_dot, ans, a, axis, ddof, keepdims, nan_mask(a, where), correction), dtype
        )
    )


# ---- median ------------------------------------------------------------------------


@vjp_rule(np.median)
def median_a(g, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return unreduce(g, a, axis, keepdims) * median_weights(a, axis, overwrite_input)


@jvp_rule(np.median)
def median_a_dot(a_dot, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return np.sum(a_dot * median_weights(a, axis, overwrite_input), axis=axis,
                  keepdims=keepdims)


# ---- cumulative sums and products --------------------------------------------------


@vjp_rule(np.cumsum)
def cumsum_a(g, ans, a, axis=None, dtype=None, out=None):
    return reverse_cumsum(g, a, axis)


linear(np.cumsum, cumsum_a, "a")


@vjp_rule(np.cumprod)
def cumprod_a(g, ans, a, axis=None, dtype=None, out=None):
    return cumprod_adjoint(g, ans, a, axis)


@jvp_rule(np.cumprod)
def cumprod_a_dot(a_dot, ans, a, axis=None, dtype=None, out=None):
    return (
        cumprod_tangent(a_dot, ans, a, axis)
        if dtype is None
        else cast_tangent(cumprod_tangent(a_dot, ans, a, axis), dtype)
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
