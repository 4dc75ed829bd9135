"""Rules for NumPy's piecewise linear interpolation (``np.interp``), and of the helpers
its rules use."""

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, vjp_rule
from s2sad.runtime import conj, unbroadcast
from s2sad.runtime.elementwise import (
    interp_fp_adjoint,
    interp_fp_tangent,
    interp_slope,
    interp_slope_adjoint,
)

# ---- np.interp ---------------------------------------------------------------------
# Piecewise linear in x (the slope of x's interval, see interp_slope) and linear in fp;
# the knots xp and the values left and right have no rule (an error names the call). The
# slope is piecewise constant in x and linear in fp; the adjoint and tangent in fp mix two
# values with weights linear in x inside an interval, whose derivative is the slope's.


@vjp_rule(np.interp, "x")
def interp_x(g, ans, x, xp, fp, left=None, right=None, period=None):
    return unbroadcast(g * conj(interp_slope(x, xp, fp, left, right, period)), x)


@jvp_rule(np.interp, "x")
def interp_x_dot(x_dot, ans, x, xp, fp, left=None, right=None, period=None):
    return x_dot * interp_slope(x, xp, fp, left, right, period)


@vjp_rule(np.interp, "fp")
def interp_fp(g, ans, x, xp, fp, left=None, right=None, period=None):
    return interp_fp_adjoint(g, x, xp, fp, left, right, period)


@jvp_rule(np.interp, "fp")
def interp_fp_dot(fp_dot, ans, x, xp, fp, left=None, right=None, period=None):
    return interp_fp_tangent(fp_dot, x, xp, fp, left, right, period)


@vjp_rule(interp_slope, "fp")
def interp_slope_fp(c, ans, x, xp, fp, left=None, right=None, period=None):
    return interp_slope_adjoint(c, x, xp, fp, left, right, period)


linear(interp_slope, interp_slope_fp, "fp")
constant(interp_slope, interp_slope_fp, "x")


@vjp_rule(interp_slope_adjoint, "c")
def interp_slope_adjoint_c(b, ans, c, x, xp, fp, left=None, right=None, period=None):
    return unbroadcast(interp_slope(x, xp, b, left, right, period), c)


linear(interp_slope_adjoint, interp_slope_adjoint_c, "c")
constant(interp_slope_adjoint, interp_slope_adjoint_c, "x", "fp")


@vjp_rule(interp_fp_tangent, "fp_dot")
def interp_fp_tangent_fp_dot(c, ans, fp_dot, x, xp, fp, left=None, right=None, period=None):
    return interp_fp_adjoint(c, x, xp, fp, left, right, period)


@vjp_rule(interp_fp_tangent, "x")
def interp_fp_tangent_x(c, ans, fp_dot, x, xp, fp, left=None, right=None, period=None):
    return unbroadcast(c * conj(interp_slope(x, xp, fp_dot, left, right, period)), x)


@jvp_rule(interp_fp_tangent, "x")
def interp_fp_tangent_x_dot(x_dot, ans, fp_dot, x, xp, fp, left=None, right=None, period=None):
    return x_dot * interp_slope(x, xp, fp_dot, left, right, period)


linear(interp_fp_tangent, interp_fp_tangent_fp_dot, "fp_dot")
constant(interp_fp_tangent, interp_fp_tangent_fp_dot, "fp")


@vjp_rule(interp_fp_adjoint, "g")
def interp_fp_adjoint_g(b, ans, g, x, xp, fp, left=None, right=None, period=None):
    return unbroadcast(interp_fp_tangent(b, x, xp, fp, left, right, period), g)


@vjp_rule(interp_fp_adjoint, "x")
def interp_fp_adjoint_x(b, ans, g, x, xp, fp, left=None, right=None, period=None):
    return unbroadcast(conj(g) * interp_slope(x, xp, b, left, right, period), x)


@jvp_rule(interp_fp_adjoint, "x")
def interp_fp_adjoint_x_dot(x_dot, ans, g, x, xp, fp, left=None, right=None, period=None):
    return interp_slope_adjoint(g * x_dot, x, xp, fp, left, right, period)


linear(interp_fp_adjoint, interp_fp_adjoint_g, "g")
constant(interp_fp_adjoint, interp_fp_adjoint_g, "fp")
