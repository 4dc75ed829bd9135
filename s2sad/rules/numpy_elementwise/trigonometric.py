"""Rules for NumPy's trigonometric and hyperbolic functions and angle conversions."""

import numpy as np

from s2sad.rules.derivative import derivative, real_derivative
from s2sad.rules.registry import linear, vjp_rule
from s2sad.runtime.elementwise import over_norm, sinc_slope

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
    return 1 - ans ** 2


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
