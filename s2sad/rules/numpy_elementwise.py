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

from s2sad.rules.derivative import derivative, real_derivative
from s2sad.rules.registry import constant, jvp_rule, linear, share, vjp_rule
from s2sad.runtime import broadcast_like, conj, real_adjoint, unbroadcast, zeros_like
from s2sad.runtime.elementwise import (
    angle_slope,
    clip_at_max,
    clip_at_min,
    clip_passes,
    extremum_share,
    i1,
    interp_fp_adjoint,
    interp_fp_tangent,
    interp_slope,
    interp_slope_adjoint,
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


@derivative(np.fmod, "x1", unbroadcast=True, broadcast=True)
def fmod_x1(ans, x1, x2):
    return 1.0


@real_derivative(np.fmod, "x2", unbroadcast=True)
def fmod_x2(ans, x1, x2):
    return -np.trunc(x1 / x2)


@vjp_rule(np.ldexp, "x1")
def ldexp_x1(g, ans, x1, x2):
    return unbroadcast(np.ldexp(g, x2), x1)


linear(np.ldexp, ldexp_x1, "x1")


# ---- powers and roots --------------------------------------------------------------


# ``(x2 == 0) is False`` folds away for a literal exponent and is a plain test for a Python
# number; a zero, array or NumPy-scalar exponent goes through pow_slope, which gives
# ``x1 ** 0`` its zero derivative also at ``x1 == 0``.


@derivative(np.float_power, "x1", unbroadcast=True)
def float_power_x1(ans, x1, x2):
    return x2 * np.float_power(x1, x2 - 1) if (x2 == 0) is False else pow_slope(x1, x2)


@derivative(np.float_power, "x2", unbroadcast=True)
def float_power_x2(ans, x1, x2):
    return ans * pow_log(x1)


@derivative(np.square)
def square_x(ans, x):
    return 2.0 * x


@derivative(np.sqrt, divide=True)
def sqrt_x(ans, x):
    return 2.0 * conj(ans)


@real_derivative(np.cbrt, divide=True)
def cbrt_x(ans, x):
    return 3.0 * ans * ans


@derivative(np.reciprocal)
def reciprocal_x(ans, x):
    return -ans * ans


# ---- exponentials and logarithms ---------------------------------------------------


@derivative(np.exp)
def exp_x(ans, x):
    return ans


@derivative(np.exp2)
def exp2_x(ans, x):
    return conj(ans) * math.log(2.0)


@derivative(np.expm1)
def expm1_x(ans, x):
    return ans + 1.0


@derivative(np.log, divide=True)
def log_x(ans, x):
    return x


@derivative(np.log2, divide=True)
def log2_x(ans, x):
    return conj(x) * math.log(2.0)


@derivative(np.log10, divide=True)
def log10_x(ans, x):
    return conj(x) * math.log(10.0)


@derivative(np.log1p, divide=True)
def log1p_x(ans, x):
    return 1.0 + x


@real_derivative(np.logaddexp, "x1", unbroadcast=True)
def logaddexp_x1(ans, x1, x2):
    return np.exp(x1 - ans)


@real_derivative(np.logaddexp, "x2", unbroadcast=True)
def logaddexp_x2(ans, x1, x2):
    return np.exp(x2 - ans)


@real_derivative(np.logaddexp2, "x1", unbroadcast=True)
def logaddexp2_x1(ans, x1, x2):
    return np.exp2(x1 - ans)


@real_derivative(np.logaddexp2, "x2", unbroadcast=True)
def logaddexp2_x2(ans, x1, x2):
    return np.exp2(x2 - ans)


# ---- trigonometric functions -------------------------------------------------------


@derivative(np.sin)
def sin_x(ans, x):
    return np.cos(x)


@derivative(np.cos)
def cos_x(ans, x):
    return -np.sin(x)


@derivative(np.tan)
def tan_x(ans, x):
    return 1.0 + ans * ans


# np.asin, np.acos, np.atan and np.atan2 are the same functions.
@derivative(np.arcsin, divide=True)
def arcsin_x(ans, x):
    return np.sqrt((1.0 - x) * (1.0 + x))


@derivative(np.arccos, divide=True)
def arccos_x(ans, x):
    return -np.sqrt((1.0 - x) * (1.0 + x))


@derivative(np.arctan, divide=True)
def arctan_x(ans, x):
    return 1.0 + x * x


@real_derivative(np.arctan2, "x1", unbroadcast=True)
def arctan2_x1(ans, x1, x2):
    return x2 / (x1 * x1 + x2 * x2)


@real_derivative(np.arctan2, "x2", unbroadcast=True)
def arctan2_x2(ans, x1, x2):
    return -x1 / (x1 * x1 + x2 * x2)


@real_derivative(np.hypot, "x1", unbroadcast=True)
def hypot_x1(ans, x1, x2):
    return over_norm(x1, ans)


@real_derivative(np.hypot, "x2", unbroadcast=True)
def hypot_x2(ans, x1, x2):
    return over_norm(x2, ans)


@derivative(np.sinc)
def sinc_x(ans, x):
    return sinc_slope(x)


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


@derivative(np.sinh)
def sinh_x(ans, x):
    return np.cosh(x)


@derivative(np.cosh)
def cosh_x(ans, x):
    return np.sinh(x)


@derivative(np.tanh)
def tanh_x(ans, x):
    return 1.0 - ans * ans


@derivative(np.arcsinh, divide=True)
def arcsinh_x(ans, x):
    return np.sqrt(x * x + 1.0)


# Two square roots keep the principal branch right for complex x.
@derivative(np.arccosh, divide=True)
def arccosh_x(ans, x):
    return np.sqrt(x - 1.0) * np.sqrt(x + 1.0)


@derivative(np.arctanh, divide=True)
def arctanh_x(ans, x):
    return (1.0 - x) * (1.0 + x)


# ---- special functions -------------------------------------------------------------


@real_derivative(np.i0)
def i0_x(ans, x):
    return i1(x)


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


@real_derivative(np.nan_to_num, "x")
def nan_to_num_x(ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    return np.isfinite(x)


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
