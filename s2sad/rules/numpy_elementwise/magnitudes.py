"""Rules for NumPy's magnitudes, signs, maxima, minima and ``clip``, and for
``over_norm``, the slope of ``hypot`` and ``dist``."""

import numpy as np

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import jvp_rule, vjp_rule
from s2sad.runtime import conj, unbroadcast, zeros_like
from s2sad.runtime.elementwise import (
    clip_at_max,
    clip_at_min,
    clip_passes,
    extremum_share,
    over_norm,
)

# ---- magnitude and sign ------------------------------------------------------------


# For complex x, sign(x) is x / |x|.


@real_derivative(np.fabs)
def fabs_x(ans, x):
    return np.sign(x)


@real_derivative(np.copysign, "x1", unbroadcast=True)
def copysign_x1(ans, x1, x2):
    return np.sign(x1) * np.sign(ans)


@vjp_rule(np.copysign, "x2")
def copysign_x2(g, ans, x1, x2):
    return zeros_like(x2)


@jvp_rule(np.copysign, "x2")
def copysign_x2_dot(x2_dot, ans, x1, x2):
    return zeros_like(ans)


# ---- maxima and minima (half the gradient to each side of an exact tie; NaN where a
# NaN argument makes the value NaN) -------------------------------------------------


@real_derivative(np.maximum, "x1", unbroadcast=True)
def maximum_x1(ans, x1, x2):
    return extremum_share(x1, x2, np.greater)


@real_derivative(np.maximum, "x2", unbroadcast=True)
def maximum_x2(ans, x1, x2):
    return extremum_share(x2, x1, np.greater)


@real_derivative(np.minimum, "x1", unbroadcast=True)
def minimum_x1(ans, x1, x2):
    return extremum_share(x1, x2, np.less)


@real_derivative(np.minimum, "x2", unbroadcast=True)
def minimum_x2(ans, x1, x2):
    return extremum_share(x2, x1, np.less)


@real_derivative(np.fmax, "x1", unbroadcast=True)
def fmax_x1(ans, x1, x2):
    return extremum_share(x1, x2, np.greater, True)


@real_derivative(np.fmax, "x2", unbroadcast=True)
def fmax_x2(ans, x1, x2):
    return extremum_share(x2, x1, np.greater, True)


@real_derivative(np.fmin, "x1", unbroadcast=True)
def fmin_x1(ans, x1, x2):
    return extremum_share(x1, x2, np.less, True)


@real_derivative(np.fmin, "x2", unbroadcast=True)
def fmin_x2(ans, x1, x2):
    return extremum_share(x2, x1, np.less, True)


# ---- clip (np.clip(a, lo, hi) is np.minimum(np.maximum(a, lo), hi)) ---------------
# NumPy 2 also spells the bounds min= and max=; each spelling has its rules.


@real_derivative(np.clip, "a", unbroadcast=True, broadcast=True)
def clip_a(ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return clip_passes(a, a_min if min is None else min, a_max if max is None else max)


@real_derivative(np.clip, "a_min", unbroadcast=True, broadcast=True)
def clip_a_min(ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return clip_at_min(a, a_min, a_max if max is None else max)


@real_derivative(np.clip, "a_max", unbroadcast=True, broadcast=True)
def clip_a_max(ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return clip_at_max(a, a_min if min is None else min, a_max)


@real_derivative(np.clip, "min", unbroadcast=True, broadcast=True)
def clip_min(ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return clip_at_min(a, min, a_max if max is None else max)


@real_derivative(np.clip, "max", unbroadcast=True, broadcast=True)
def clip_max(ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return clip_at_max(a, a_min if min is None else min, max)


# ---- over_norm(x, norm) = x / norm (0 where norm is 0), the slope of hypot and dist ---


@vjp_rule(over_norm, "x")
def over_norm_x(g, ans, x, norm):
    return unbroadcast(g * conj(over_norm(1.0, norm)), x)


@jvp_rule(over_norm, "x")
def over_norm_x_dot(x_dot, ans, x, norm):
    return x_dot * over_norm(1.0, norm)


@vjp_rule(over_norm, "norm")
def over_norm_norm(g, ans, x, norm):
    return unbroadcast(-g * conj(over_norm(ans, norm)), norm)


@jvp_rule(over_norm, "norm")
def over_norm_norm_dot(norm_dot, ans, x, norm):
    return -norm_dot * over_norm(ans, norm)
