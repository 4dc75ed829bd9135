"""Rules for small runtime helpers that first-order rules call, so that those
derivatives differentiate again: ``safe_ratio`` (``xlogy``'s and the relative entropies'
slope), ``angle_slope`` (``np.angle``'s), and the adjoints of joining and splitting
(``fill_zeros``, ``unsplit``, ``unatleast``), each the transpose of a helper with rules.
"""

import numpy as np

from s2sad.rules.registry import constant, jvp_rule, linear, vjp_rule
from s2sad.runtime import conj, unbroadcast
from s2sad.runtime.elementwise import angle_slope
from s2sad.runtime.pieces import reshaped_like, split_like
from s2sad.runtime.shapes import fill_zeros, unatleast, unsplit
from s2sad.runtime.special import safe_ratio

# ---- x / y, 0 where x is 0: linear in x; in y its slope is -(x / y) / y -------------------


@vjp_rule(safe_ratio, "x")
def safe_ratio_x(c, ans, x, y):
    return unbroadcast(safe_ratio(c, y), x)


@vjp_rule(safe_ratio, "y")
def safe_ratio_y(c, ans, x, y):
    return unbroadcast(-safe_ratio(c * ans, y), y)


@jvp_rule(safe_ratio, "y")
def safe_ratio_y_dot(y_dot, ans, x, y):
    return -safe_ratio(ans * y_dot, y)


linear(safe_ratio, safe_ratio_x, "x")


# ---- np.angle's slope i / conj(z) (times 180 / pi in degrees), 0 for a real z -------------
# antiholomorphic: d slope = i slope^2 conj(dz) / scale, whose adjoint is conj(g) i slope^2
# / scale; zero for a real z (whose slope is 0 everywhere)


@vjp_rule(angle_slope, "z")
def angle_slope_z(c, ans, z, deg=False):
    return (conj(c) * 1j * ans * ans * (np.pi / 180 if deg else 1.0)
            if np.iscomplexobj(z) else 0.0 * np.real(c))


@jvp_rule(angle_slope, "z")
def angle_slope_z_dot(z_dot, ans, z, deg=False):
    return (1j * ans * ans * conj(z_dot) * (np.pi / 180 if deg else 1.0)
            if np.iscomplexobj(z) else 0.0 * np.real(z_dot))


constant(angle_slope, angle_slope_z, "deg")


# ---- joining and splitting: each adjoint's transpose -------------------------------------


@vjp_rule(fill_zeros, "g")
def fill_zeros_g(c, ans_, g, ans):
    return c


linear(fill_zeros, fill_zeros_g, "g")
constant(fill_zeros, fill_zeros_g, "ans")


@vjp_rule(unsplit, "g")
def unsplit_g(c, ans_, g, ans, axis=0):
    return split_like(c, ans, axis)


linear(unsplit, unsplit_g, "g")
constant(unsplit, unsplit_g, "ans", "axis")


@vjp_rule(split_like, "c")
def split_like_c(parts, ans, c, pieces, axis=0):
    return unsplit(parts, pieces, axis)


linear(split_like, split_like_c, "c")
constant(split_like, split_like_c, "pieces", "axis")


@vjp_rule(unatleast, "g")
def unatleast_g(c, ans, g, arys):
    return reshaped_like(c, g, arys)


linear(unatleast, unatleast_g, "g")
constant(unatleast, unatleast_g, "arys")


@vjp_rule(reshaped_like, "c")
def reshaped_like_c(parts, ans, c, g, arys):
    return unatleast(parts, arys)


linear(reshaped_like, reshaped_like_c, "c")
constant(reshaped_like, reshaped_like_c, "g", "arys")
