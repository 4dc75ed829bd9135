"""Rules for NumPy's variance, standard deviation, median, percentile and quantile,
covariance and correlation, and gradient."""

import numpy as np

from s2sad.rules.registry import (
    constant,
    jvp_rule,
    linear,
    nondifferentiable,
    vjp_rule,
)
from s2sad.runtime import unbroadcast, unreduce
from s2sad.runtime.reductions import (
    cov_centered,
    cov_scale,
    cov_size,
    cov_uncentered,
    gradient_adjoint,
    gradient_of,
    median_weights,
    nan_mask,
    quantile_adjoint,
    quantile_tangent,
    quantile_weights,
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


# ---- percentile and quantile: the two order statistics joined, weighted 1 - t and t ----
# (method='linear'; q has no rule, so an active q is refused at the user's line)


@vjp_rule(np.quantile, "a")
def quantile_a(g, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None):
    return quantile_adjoint(g, a, q, axis, keepdims, 1.0, method, overwrite_input, weights)


@jvp_rule(np.quantile, "a")
def quantile_a_dot(a_dot, ans, a, q, axis=None, out=None, overwrite_input=False,
                   method="linear", keepdims=False, *, weights=None):
    return quantile_tangent(a_dot, a, q, axis, keepdims, 1.0, method, overwrite_input, weights)


@vjp_rule(np.percentile, "a")
def percentile_a(g, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                 keepdims=False, *, weights=None):
    return quantile_adjoint(g, a, q, axis, keepdims, 100.0, method, overwrite_input, weights)


@jvp_rule(np.percentile, "a")
def percentile_a_dot(a_dot, ans, a, q, axis=None, out=None, overwrite_input=False,
                     method="linear", keepdims=False, *, weights=None):
    return quantile_tangent(a_dot, a, q, axis, keepdims, 100.0, method, overwrite_input,
                            weights)


constant(np.quantile, quantile_a, "axis", "overwrite_input", "method", "keepdims")
constant(np.percentile, percentile_a, "axis", "overwrite_input", "method", "keepdims")


@vjp_rule(quantile_adjoint, "g")
def quantile_adjoint_g(c, ans, g, a, q, axis=None, keepdims=False, scale=1.0,
                       method="linear", overwrite_input=False, weights=None):
    return quantile_tangent(c, a, q, axis, keepdims, scale, method, overwrite_input, weights)


@vjp_rule(quantile_tangent, "a_dot")
def quantile_tangent_a_dot(c, ans, a_dot, a, q, axis=None, keepdims=False, scale=1.0,
                           method="linear", overwrite_input=False, weights=None):
    return unbroadcast(quantile_adjoint(c, a, q, axis, keepdims, scale, method,
                                        overwrite_input, weights), a_dot)


# the weights are constant where the order of a is (q is never active: it has no rule)
linear(quantile_adjoint, quantile_adjoint_g, "g")
constant(quantile_adjoint, quantile_adjoint_g, "a", "q", "axis", "keepdims", "scale",
         "method", "overwrite_input", "weights")
linear(quantile_tangent, quantile_tangent_a_dot, "a_dot")
constant(quantile_tangent, quantile_tangent_a_dot, "a", "q", "axis", "keepdims", "scale",
         "method", "overwrite_input", "weights")


# ---- cov and corrcoef: X X^T / (N - ddof) of the centered observations X; corrcoef is
# C_ij / sqrt(C_ii C_jj), whose scale cancels


@vjp_rule(np.cov, "m")
def cov_m(g, ans, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None,
          aweights=None, *, dtype=None):
    return cov_uncentered((np.reshape(g, cov_size(m, rowvar))
                           + np.transpose(np.reshape(g, cov_size(m, rowvar))))
                          @ cov_centered(m, rowvar, y, fweights, aweights)
                          * cov_scale(m, rowvar, bias, ddof), m, rowvar)


@jvp_rule(np.cov, "m")
def cov_m_dot(m_dot, ans, m, y=None, rowvar=True, bias=False, ddof=None, fweights=None,
              aweights=None, *, dtype=None):
    return np.reshape((cov_centered(m_dot, rowvar) @ np.transpose(
        cov_centered(m, rowvar, y, fweights, aweights))
        + cov_centered(m, rowvar) @ np.transpose(cov_centered(m_dot, rowvar)))
        * cov_scale(m, rowvar, bias, ddof), np.shape(ans))


constant(np.cov, cov_m, "rowvar", "bias", "ddof", "dtype")


@vjp_rule(np.corrcoef, "x")
def corrcoef_x(g, ans, x, y=None, rowvar=True, *, dtype=None):
    return cov_uncentered(
        (np.reshape(g, cov_size(x, rowvar)) + np.transpose(np.reshape(g, cov_size(x, rowvar)))
         - np.diag(np.sum((np.reshape(g, cov_size(x, rowvar))
                           + np.transpose(np.reshape(g, cov_size(x, rowvar))))
                          * np.reshape(ans, cov_size(x, rowvar)), axis=1)))
        / np.sqrt(np.outer(np.sum(cov_centered(x, rowvar, y) ** 2, axis=1),
                           np.sum(cov_centered(x, rowvar, y) ** 2, axis=1)))
        @ cov_centered(x, rowvar, y), x, rowvar)


@jvp_rule(np.corrcoef, "x")
def corrcoef_x_dot(x_dot, ans, x, y=None, rowvar=True, *, dtype=None):
    return np.reshape(
        (cov_centered(x_dot, rowvar) @ np.transpose(cov_centered(x, rowvar, y))
         + cov_centered(x, rowvar) @ np.transpose(cov_centered(x_dot, rowvar)))
        / np.sqrt(np.outer(np.sum(cov_centered(x, rowvar) ** 2, axis=1),
                           np.sum(cov_centered(x, rowvar) ** 2, axis=1)))
        - np.reshape(ans, cov_size(x, rowvar))
        * (np.reshape(np.sum(cov_centered(x_dot, rowvar) * cov_centered(x, rowvar), axis=1)
                      / np.sum(cov_centered(x, rowvar) ** 2, axis=1), (-1, 1))
           + np.sum(cov_centered(x_dot, rowvar) * cov_centered(x, rowvar), axis=1)
           / np.sum(cov_centered(x, rowvar) ** 2, axis=1)), np.shape(ans))


constant(np.corrcoef, corrcoef_x, "rowvar", "dtype")


@vjp_rule(cov_centered, "m")
def cov_centered_m(c, ans, m, rowvar=True, y=None, fweights=None, aweights=None):
    return cov_uncentered(c, m, rowvar)


@vjp_rule(cov_uncentered, "c")
def cov_uncentered_c(h, ans, c, m, rowvar=True):
    return cov_centered(h, rowvar)


linear(cov_centered, cov_centered_m, "m")
constant(cov_centered, cov_centered_m, "rowvar")
linear(cov_uncentered, cov_uncentered_c, "c")
constant(cov_uncentered, cov_uncentered_c, "m", "rowvar")
nondifferentiable(cov_scale, cov_size, quantile_weights)


# ---- gradient: linear in f; its adjoint, for spacings given as numbers, transposes the
# stencil (coordinate arrays are refused in reverse mode, and an active spacing has no rule)


@vjp_rule(np.gradient, "f")
def gradient_f(g, ans, f, *varargs, axis=None, edge_order=1):
    return gradient_adjoint(g, f, varargs, axis, edge_order)


@vjp_rule(gradient_adjoint, "g")
def gradient_adjoint_g(c, ans, g, f, varargs=(), axis=None, edge_order=1):
    return gradient_of(c, f, varargs, axis, edge_order)


@vjp_rule(gradient_of, "c")
def gradient_of_c(h, ans, c, f, varargs=(), axis=None, edge_order=1):
    return unbroadcast(gradient_adjoint(h, f, varargs, axis, edge_order), c)


linear(np.gradient, gradient_f, "f")
constant(np.gradient, gradient_f, "axis", "edge_order")
linear(gradient_adjoint, gradient_adjoint_g, "g")
constant(gradient_adjoint, gradient_adjoint_g, "f", "varargs", "axis", "edge_order")
linear(gradient_of, gradient_of_c, "c")
constant(gradient_of, gradient_of_c, "f", "varargs", "axis", "edge_order")
