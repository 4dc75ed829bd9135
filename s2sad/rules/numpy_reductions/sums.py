"""Rules for NumPy's sums, means and weighted averages."""

import numpy as np

from s2sad.rules.registry import (
    constant,
    jvp_rule,
    linear,
    vjp_rule,
)
from s2sad.runtime import broadcast_like, unbroadcast, unreduce
from s2sad.runtime.core import conj
from s2sad.runtime.reductions import (
    average_layout,
    average_unlayout,
    mean_weights,
    nan_mask,
    sum_adjoint,
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
