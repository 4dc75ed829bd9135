"""Rules for NumPy's maxima, minima and peak-to-peak ranges (ties share the derivative
equally)."""

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    vjp_rule,
)
from s2sad.runtime import unreduce
from s2sad.runtime.reductions import (
    extremum_weights,
    initial_weight,
    nan_mask,
    ptp_weights,
)

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
