"""Derivative rules for NumPy's elementwise functions (ufuncs and a few relatives).

Binary functions broadcast: an adjoint is summed back to its argument's shape with
``unbroadcast`` and a tangent contribution is broadcast to the result's shape.

Complex arguments follow the convention ``g = dL/dRe + i dL/dIm``: for a holomorphic
function the adjoint is ``g * conj(f'(x))`` (``conj`` is free for real values), and the
tangent ``f'(x) * x_dot``. ``abs``, ``real``, ``imag`` and ``conj`` have their own
(non-holomorphic) rules; the other functions here are real-only, as in NumPy.

Conventions at points where the derivative does not exist:

* ``maximum``, ``minimum``, ``fmax``, ``fmin``: on an exact tie each argument gets half
  the gradient (so ``maximum(x, x)`` has derivative 1 in ``x``). A NaN argument of
  ``maximum``/``minimum`` gets a NaN derivative (the value is NaN), the other 0;
  ``fmax``/``fmin`` pass the whole gradient to the non-NaN argument when the other is
  NaN, and NaN to both when both are.
* ``clip(a, a_min, a_max)``: ties go to ``a``; ``a_min`` gets the gradient where
  ``a < a_min``, ``a_max`` where ``a > a_max`` (everywhere, if ``a_min > a_max``).
* ``abs``, ``absolute``, ``fabs``, ``copysign`` in ``x1``: subgradient 0 at 0, like
  ``np.sign``; ``hypot`` has subgradient 0 at the origin.
* ``power``/``float_power``: derivative 0 in the exponent where the base is 0, and 0
  in the base where the exponent is 0 (``x ** 0`` is constant, also at ``x == 0``).
* ``nan_to_num``: derivative 1 where ``x`` is finite, 0 where it was replaced.
* ``sqrt``, ``cbrt``, ``arcsin``, ... at their singular points give inf (with NumPy's
  warning), as NumPy's own arithmetic does.
* ``fmod``: derivative 1 in ``x1`` and ``-trunc(x1 / x2)`` in ``x2`` between jumps;
  ``remainder`` (``mod``, ``%``) the same with ``floor``.
  ``copysign`` has derivative 0 in ``x2``.
"""

import math
import operator

import numpy as np

from s2sad.rules.registry import jvp_rule, linear, share, vjp_rule
from s2sad.runtime import broadcast_like, conj, real_adjoint, unbroadcast, zeros_like
from s2sad.runtime.elementwise import (
    angle_slope,
    clip_at_max,
    clip_at_min,
    clip_passes,
    extremum_share,
    i1,
    over_norm,
    pow_log,
    pow_slope,
    sinc_slope,
)
from s2sad.runtime.shapes import cast_tangent

# ---- arithmetic --------------------------------------------------------------------
# The ufuncs of Python's operators have the operators' rules (s2sad.rules.operators).
# np.true_divide is np.divide, np.pow is np.power, np.mod is np.remainder, np.abs is
# np.absolute.

share(np.add, operator.add)
share(np.subtract, operator.sub)
share(np.multiply, operator.mul)
share(np.divide, operator.truediv)
share(np.power, operator.pow)
share(np.remainder, operator.mod)
share(np.negative, operator.neg)
share(np.positive, operator.pos)
share(np.absolute, abs)


@vjp_rule(np.fmod, "x1")
def fmod_x1(g, ans, x1, x2):
    return unbroadcast(g, x1)


@vjp_rule(np.fmod, "x2")
def fmod_x2(g, ans, x1, x2):
    return unbroadcast(-g * np.trunc(x1 / x2), x2)


@jvp_rule(np.fmod, "x1")
def fmod_x1_dot(x1_dot, ans, x1, x2):
    return broadcast_like(x1_dot, ans)


@jvp_rule(np.fmod, "x2")
def fmod_x2_dot(x2_dot, ans, x1, x2):
    return -x2_dot * np.trunc(x1 / x2)


@vjp_rule(np.ldexp, "x1")
def ldexp_x1(g, ans, x1, x2):
    return unbroadcast(np.ldexp(g, x2), x1)


linear(np.ldexp, ldexp_x1, "x1")


# ---- powers and roots --------------------------------------------------------------


# ``(x2 == 0) is False`` folds away for a literal exponent and is a plain test for a Python
# number; a zero, array or NumPy-scalar exponent goes through pow_slope, which gives
# ``x1 ** 0`` its zero derivative also at ``x1 == 0``.


@vjp_rule(np.float_power, "x1")
def float_power_x1(g, ans, x1, x2):
    return (
        unbroadcast(g * conj(x2 * np.float_power(x1, x2 - 1)), x1)
        if (x2 == 0) is False
        else unbroadcast(g * conj(pow_slope(x1, x2)), x1)
    )


@vjp_rule(np.float_power, "x2")
def float_power_x2(g, ans, x1, x2):
    return unbroadcast(g * conj(ans * pow_log(x1)), x2)


@jvp_rule(np.float_power, "x1")
def float_power_x1_dot(x1_dot, ans, x1, x2):
    return (
        x1_dot * x2 * np.float_power(x1, x2 - 1)
        if (x2 == 0) is False
        else x1_dot * pow_slope(x1, x2)
    )


@jvp_rule(np.float_power, "x2")
def float_power_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * ans * pow_log(x1)


@vjp_rule(np.square)
def square_x(g, ans, x):
    return 2.0 * g * conj(x)


@jvp_rule(np.square)
def square_x_dot(x_dot, ans, x):
    return 2.0 * x_dot * x


@vjp_rule(np.sqrt)
def sqrt_x(g, ans, x):
    return g / (2.0 * conj(ans))


@jvp_rule(np.sqrt)
def sqrt_x_dot(x_dot, ans, x):
    return x_dot / (2.0 * ans)


@vjp_rule(np.cbrt)
def cbrt_x(g, ans, x):
    return g / (3.0 * ans * ans)


@jvp_rule(np.cbrt)
def cbrt_x_dot(x_dot, ans, x):
    return x_dot / (3.0 * ans * ans)


@vjp_rule(np.reciprocal)
def reciprocal_x(g, ans, x):
    return -g * conj(ans * ans)


@jvp_rule(np.reciprocal)
def reciprocal_x_dot(x_dot, ans, x):
    return -x_dot * ans * ans


# ---- exponentials and logarithms ---------------------------------------------------


@vjp_rule(np.exp)
def exp_x(g, ans, x):
    return g * conj(ans)


@jvp_rule(np.exp)
def exp_x_dot(x_dot, ans, x):
    return x_dot * ans


@vjp_rule(np.exp2)
def exp2_x(g, ans, x):
    return g * conj(ans) * math.log(2.0)


@jvp_rule(np.exp2)
def exp2_x_dot(x_dot, ans, x):
    return x_dot * ans * math.log(2.0)


@vjp_rule(np.expm1)
def expm1_x(g, ans, x):
    return g * conj(ans + 1.0)


@jvp_rule(np.expm1)
def expm1_x_dot(x_dot, ans, x):
    return x_dot * (ans + 1.0)


@vjp_rule(np.log)
def log_x(g, ans, x):
    return g / conj(x)


@jvp_rule(np.log)
def log_x_dot(x_dot, ans, x):
    return x_dot / x


@vjp_rule(np.log2)
def log2_x(g, ans, x):
    return g / (conj(x) * math.log(2.0))


@jvp_rule(np.log2)
def log2_x_dot(x_dot, ans, x):
    return x_dot / (x * math.log(2.0))


@vjp_rule(np.log10)
def log10_x(g, ans, x):
    return g / (conj(x) * math.log(10.0))


@jvp_rule(np.log10)
def log10_x_dot(x_dot, ans, x):
    return x_dot / (x * math.log(10.0))


@vjp_rule(np.log1p)
def log1p_x(g, ans, x):
    return g / conj(1.0 + x)


@jvp_rule(np.log1p)
def log1p_x_dot(x_dot, ans, x):
    return x_dot / (1.0 + x)


@vjp_rule(np.logaddexp, "x1")
def logaddexp_x1(g, ans, x1, x2):
    return unbroadcast(g * np.exp(x1 - ans), x1)


@vjp_rule(np.logaddexp, "x2")
def logaddexp_x2(g, ans, x1, x2):
    return unbroadcast(g * np.exp(x2 - ans), x2)


@jvp_rule(np.logaddexp, "x1")
def logaddexp_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * np.exp(x1 - ans)


@jvp_rule(np.logaddexp, "x2")
def logaddexp_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * np.exp(x2 - ans)


@vjp_rule(np.logaddexp2, "x1")
def logaddexp2_x1(g, ans, x1, x2):
    return unbroadcast(g * np.exp2(x1 - ans), x1)


@vjp_rule(np.logaddexp2, "x2")
def logaddexp2_x2(g, ans, x1, x2):
    return unbroadcast(g * np.exp2(x2 - ans), x2)


@jvp_rule(np.logaddexp2, "x1")
def logaddexp2_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * np.exp2(x1 - ans)


@jvp_rule(np.logaddexp2, "x2")
def logaddexp2_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * np.exp2(x2 - ans)


# ---- trigonometric functions -------------------------------------------------------


@vjp_rule(np.sin)
def sin_x(g, ans, x):
    return g * conj(np.cos(x))


@jvp_rule(np.sin)
def sin_x_dot(x_dot, ans, x):
    return x_dot * np.cos(x)


@vjp_rule(np.cos)
def cos_x(g, ans, x):
    return -g * conj(np.sin(x))


@jvp_rule(np.cos)
def cos_x_dot(x_dot, ans, x):
    return -x_dot * np.sin(x)


@vjp_rule(np.tan)
def tan_x(g, ans, x):
    return g * conj(1.0 + ans * ans)


@jvp_rule(np.tan)
def tan_x_dot(x_dot, ans, x):
    return x_dot * (1.0 + ans * ans)


# np.asin, np.acos, np.atan and np.atan2 are the same functions.
@vjp_rule(np.arcsin)
def arcsin_x(g, ans, x):
    return g / conj(np.sqrt((1.0 - x) * (1.0 + x)))


@jvp_rule(np.arcsin)
def arcsin_x_dot(x_dot, ans, x):
    return x_dot / np.sqrt((1.0 - x) * (1.0 + x))


@vjp_rule(np.arccos)
def arccos_x(g, ans, x):
    return -g / conj(np.sqrt((1.0 - x) * (1.0 + x)))


@jvp_rule(np.arccos)
def arccos_x_dot(x_dot, ans, x):
    return -x_dot / np.sqrt((1.0 - x) * (1.0 + x))


@vjp_rule(np.arctan)
def arctan_x(g, ans, x):
    return g / conj(1.0 + x * x)


@jvp_rule(np.arctan)
def arctan_x_dot(x_dot, ans, x):
    return x_dot / (1.0 + x * x)


@vjp_rule(np.arctan2, "x1")
def arctan2_x1(g, ans, x1, x2):
    return unbroadcast(g * x2 / (x1 * x1 + x2 * x2), x1)


@vjp_rule(np.arctan2, "x2")
def arctan2_x2(g, ans, x1, x2):
    return unbroadcast(-g * x1 / (x1 * x1 + x2 * x2), x2)


@jvp_rule(np.arctan2, "x1")
def arctan2_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * x2 / (x1 * x1 + x2 * x2)


@jvp_rule(np.arctan2, "x2")
def arctan2_x2_dot(x2_dot, ans, x1, x2):
    return -x2_dot * x1 / (x1 * x1 + x2 * x2)


@vjp_rule(np.hypot, "x1")
def hypot_x1(g, ans, x1, x2):
    return unbroadcast(g * over_norm(x1, ans), x1)


@vjp_rule(np.hypot, "x2")
def hypot_x2(g, ans, x1, x2):
    return unbroadcast(g * over_norm(x2, ans), x2)


@jvp_rule(np.hypot, "x1")
def hypot_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * over_norm(x1, ans)


@jvp_rule(np.hypot, "x2")
def hypot_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * over_norm(x2, ans)


@vjp_rule(np.sinc)
def sinc_x(g, ans, x):
    return g * conj(sinc_slope(x))


@jvp_rule(np.sinc)
def sinc_x_dot(x_dot, ans, x):
    return x_dot * sinc_slope(x)


# Angle conversions scale by a constant, so each is its own adjoint.
@vjp_rule(np.deg2rad)
def deg2rad_x(g, ans, x):
    return np.deg2rad(g)


@vjp_rule(np.radians)
def radians_x(g, ans, x):
    return np.radians(g)


@vjp_rule(np.rad2deg)
def rad2deg_x(g, ans, x):
    return np.rad2deg(g)


@vjp_rule(np.degrees)
def degrees_x(g, ans, x):
    return np.degrees(g)


linear(np.deg2rad, deg2rad_x, "x")
linear(np.radians, radians_x, "x")
linear(np.rad2deg, rad2deg_x, "x")
linear(np.degrees, degrees_x, "x")


# ---- hyperbolic functions ----------------------------------------------------------


@vjp_rule(np.sinh)
def sinh_x(g, ans, x):
    return g * conj(np.cosh(x))


@jvp_rule(np.sinh)
def sinh_x_dot(x_dot, ans, x):
    return x_dot * np.cosh(x)


@vjp_rule(np.cosh)
def cosh_x(g, ans, x):
    return g * conj(np.sinh(x))


@jvp_rule(np.cosh)
def cosh_x_dot(x_dot, ans, x):
    return x_dot * np.sinh(x)


@vjp_rule(np.tanh)
def tanh_x(g, ans, x):
    return g * conj(1.0 - ans * ans)


@jvp_rule(np.tanh)
def tanh_x_dot(x_dot, ans, x):
    return x_dot * (1.0 - ans * ans)


@vjp_rule(np.arcsinh)
def arcsinh_x(g, ans, x):
    return g / conj(np.sqrt(x * x + 1.0))


@jvp_rule(np.arcsinh)
def arcsinh_x_dot(x_dot, ans, x):
    return x_dot / np.sqrt(x * x + 1.0)


# Two square roots keep the principal branch right for complex x.
@vjp_rule(np.arccosh)
def arccosh_x(g, ans, x):
    return g / conj(np.sqrt(x - 1.0) * np.sqrt(x + 1.0))


@jvp_rule(np.arccosh)
def arccosh_x_dot(x_dot, ans, x):
    return x_dot / (np.sqrt(x - 1.0) * np.sqrt(x + 1.0))


@vjp_rule(np.arctanh)
def arctanh_x(g, ans, x):
    return g / conj((1.0 - x) * (1.0 + x))


@jvp_rule(np.arctanh)
def arctanh_x_dot(x_dot, ans, x):
    return x_dot / ((1.0 - x) * (1.0 + x))


# ---- special functions -------------------------------------------------------------


@vjp_rule(np.i0)
def i0_x(g, ans, x):
    return g * i1(x)


@jvp_rule(np.i0)
def i0_x_dot(x_dot, ans, x):
    return x_dot * i1(x)


# ---- magnitude and sign ------------------------------------------------------------


# For complex x, sign(x) is x / |x|.


@vjp_rule(np.fabs)
def fabs_x(g, ans, x):
    return g * np.sign(x)


@jvp_rule(np.fabs)
def fabs_x_dot(x_dot, ans, x):
    return x_dot * np.sign(x)


@vjp_rule(np.copysign, "x1")
def copysign_x1(g, ans, x1, x2):
    return unbroadcast(g * np.sign(x1) * np.sign(ans), x1)


@vjp_rule(np.copysign, "x2")
def copysign_x2(g, ans, x1, x2):
    return zeros_like(x2)


@jvp_rule(np.copysign, "x1")
def copysign_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * np.sign(x1) * np.sign(ans)


@jvp_rule(np.copysign, "x2")
def copysign_x2_dot(x2_dot, ans, x1, x2):
    return zeros_like(ans)


# ---- maxima and minima (half the gradient to each side of an exact tie; NaN where a
# NaN argument makes the value NaN) -------------------------------------------------


@vjp_rule(np.maximum, "x1")
def maximum_x1(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x1, x2, np.greater), x1)


@vjp_rule(np.maximum, "x2")
def maximum_x2(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x2, x1, np.greater), x2)


@jvp_rule(np.maximum, "x1")
def maximum_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * extremum_share(x1, x2, np.greater)


@jvp_rule(np.maximum, "x2")
def maximum_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * extremum_share(x2, x1, np.greater)


@vjp_rule(np.minimum, "x1")
def minimum_x1(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x1, x2, np.less), x1)


@vjp_rule(np.minimum, "x2")
def minimum_x2(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x2, x1, np.less), x2)


@jvp_rule(np.minimum, "x1")
def minimum_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * extremum_share(x1, x2, np.less)


@jvp_rule(np.minimum, "x2")
def minimum_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * extremum_share(x2, x1, np.less)


@vjp_rule(np.fmax, "x1")
def fmax_x1(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x1, x2, np.greater, True), x1)


@vjp_rule(np.fmax, "x2")
def fmax_x2(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x2, x1, np.greater, True), x2)


@jvp_rule(np.fmax, "x1")
def fmax_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * extremum_share(x1, x2, np.greater, True)


@jvp_rule(np.fmax, "x2")
def fmax_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * extremum_share(x2, x1, np.greater, True)


@vjp_rule(np.fmin, "x1")
def fmin_x1(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x1, x2, np.less, True), x1)


@vjp_rule(np.fmin, "x2")
def fmin_x2(g, ans, x1, x2):
    return unbroadcast(g * extremum_share(x2, x1, np.less, True), x2)


@jvp_rule(np.fmin, "x1")
def fmin_x1_dot(x1_dot, ans, x1, x2):
    return x1_dot * extremum_share(x1, x2, np.less, True)


@jvp_rule(np.fmin, "x2")
def fmin_x2_dot(x2_dot, ans, x1, x2):
    return x2_dot * extremum_share(x2, x1, np.less, True)


# ---- clip (np.clip(a, lo, hi) is np.minimum(np.maximum(a, lo), hi)) ---------------
# NumPy 2 also spells the bounds min= and max=; each spelling has its rules.


@vjp_rule(np.clip, "a")
def clip_a(g, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return unbroadcast(
        g * clip_passes(a, a_min if min is None else min, a_max if max is None else max), a
    )


@vjp_rule(np.clip, "a_min")
def clip_a_min(g, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return unbroadcast(g * clip_at_min(a, a_min, a_max if max is None else max), a_min)


@vjp_rule(np.clip, "a_max")
def clip_a_max(g, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return unbroadcast(g * clip_at_max(a, a_min if min is None else min, a_max), a_max)


@vjp_rule(np.clip, "min")
def clip_min(g, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return unbroadcast(g * clip_at_min(a, min, a_max if max is None else max), min)


@vjp_rule(np.clip, "max")
def clip_max(g, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return unbroadcast(g * clip_at_max(a, a_min if min is None else min, max), max)


@jvp_rule(np.clip, "a")
def clip_a_dot(a_dot, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return broadcast_like(
        a_dot * clip_passes(a, a_min if min is None else min, a_max if max is None else max),
        ans,
    )


@jvp_rule(np.clip, "a_min")
def clip_a_min_dot(a_min_dot, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return broadcast_like(a_min_dot * clip_at_min(a, a_min, a_max if max is None else max), ans)


@jvp_rule(np.clip, "a_max")
def clip_a_max_dot(a_max_dot, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return broadcast_like(a_max_dot * clip_at_max(a, a_min if min is None else min, a_max), ans)


@jvp_rule(np.clip, "min")
def clip_min_dot(min_dot, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return broadcast_like(min_dot * clip_at_min(a, min, a_max if max is None else max), ans)


@jvp_rule(np.clip, "max")
def clip_max_dot(max_dot, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    return broadcast_like(max_dot * clip_at_max(a, a_min if min is None else min, max), ans)


# ---- selection and cleaning --------------------------------------------------------


@vjp_rule(np.where, "x")
def where_x(g, ans, condition, x=None, y=None):
    return unbroadcast(np.where(condition, g, 0.0), x)


@vjp_rule(np.where, "y")
def where_y(g, ans, condition, x=None, y=None):
    return unbroadcast(np.where(condition, 0.0, g), y)


@jvp_rule(np.where, "x")
def where_x_dot(x_dot, ans, condition, x=None, y=None):
    return broadcast_like(np.where(condition, x_dot, 0.0), ans)


@jvp_rule(np.where, "y")
def where_y_dot(y_dot, ans, condition, x=None, y=None):
    return broadcast_like(np.where(condition, 0.0, y_dot), ans)


@vjp_rule(np.nan_to_num, "x")
def nan_to_num_x(g, ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    return g * np.isfinite(x)


@jvp_rule(np.nan_to_num, "x")
def nan_to_num_x_dot(x_dot, ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    return x_dot * np.isfinite(x)


# ---- complex parts -----------------------------------------------------------------
# Real-linear maps: the JVP applies the function to the tangent. With the convention
# g = dL/dRe + i dL/dIm, the adjoint of real(z) is g, of imag(z) is i g, of conj(z) is
# conj(g). A real result's adjoint is real: when it met complex values on the way (as in
# 1j * np.real(z)), only its real part counts (real_adjoint).


@vjp_rule(np.real)
def real_val(g, ans, val):
    return real_adjoint(g)


@vjp_rule(np.imag)
def imag_val(g, ans, val):
    return 1j * real_adjoint(g)


# np.conj is np.conjugate.
@vjp_rule(np.conjugate)
def conjugate_x(g, ans, x):
    return conj(g)


# angle(z) = atan2(Im z, Re z): its gradient in (Re, Im) is i z / |z|^2 = i / conj(z), taken
# as 0 at 0 (and 0 for a real z, whose angle is piecewise constant).
@vjp_rule(np.angle, "z")
def angle_z(g, ans, z, deg=False):
    return real_adjoint(g) * angle_slope(z, deg)


@jvp_rule(np.angle, "z")
def angle_z_dot(z_dot, ans, z, deg=False):
    return np.real(z_dot * conj(angle_slope(z, deg)))


linear(np.real, real_val, "val")
linear(np.imag, imag_val, "val")
linear(np.conjugate, conjugate_x, "x")


# ---- constant-filled arrays ----------------------------------------------------------
# np.full(shape, v) broadcasts v to shape: the adjoint of v sums the output's adjoint.
# full_like takes only the shape and dtype of ``a``, so ``a`` gets a zero derivative.


@vjp_rule(np.full, "fill_value")
def full_fill_value(g, ans, shape, fill_value, dtype=None, order="C"):
    return unbroadcast(g, fill_value)


@jvp_rule(np.full, "fill_value")
def full_fill_value_dot(fill_value_dot, ans, shape, fill_value, dtype=None, order="C"):
    return (
        broadcast_like(fill_value_dot, ans)
        if dtype is None
        else cast_tangent(broadcast_like(fill_value_dot, ans), dtype)
    )


@vjp_rule(np.full_like, "fill_value")
def full_like_fill_value(g, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return unbroadcast(g, fill_value)


@vjp_rule(np.full_like, "a")
def full_like_a(g, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return zeros_like(a)


@jvp_rule(np.full_like, "fill_value")
def full_like_fill_value_dot(
    fill_value_dot, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None
):
    return (
        broadcast_like(fill_value_dot, ans)
        if dtype is None
        else cast_tangent(broadcast_like(fill_value_dot, ans), dtype)
    )


@jvp_rule(np.full_like, "a")
def full_like_a_dot(a_dot, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None):
    return zeros_like(ans)


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
