"""Rules for NumPy's variance, standard deviation and median."""

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    vjp_rule,
)
from s2sad.runtime import unreduce
from s2sad.runtime.reductions import (
    median_weights,
    nan_mask,
    std_adjoint,
    std_tangent,
    var_adjoint,
    var_tangent,
)
from s2sad.runtime.shapes import cast_tangent

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
