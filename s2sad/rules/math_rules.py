"""Derivative rules for Python's ``math`` module.

Each rule is a template: ``g`` (or ``x_dot``) is the incoming adjoint (or tangent),
``ans`` the primal result, then the primal's own parameters. The arguments are real
scalars, so the templates use ``math`` functions only.

Where the derivative is infinite (``sqrt`` or ``cbrt`` at 0, ``asin`` at 1, ...), Python
float arithmetic raises ``ZeroDivisionError`` or ``ValueError`` as the primal functions
do at their own singularities. Conventions at kinks: ``fabs`` and ``copysign`` have
subgradient 0 at 0, ``hypot`` and ``dist`` have subgradient 0 at the origin, and
``pow(x, y)`` has derivative 0 in ``y`` where ``x == 0`` and in ``x`` where ``y == 0``.
Functions returning integers or booleans, and the piecewise constant
``floor``/``ceil``/``trunc``/``ulp``, carry no derivative. ``frexp``, ``modf`` and
``nextafter`` have no rules.
"""

import math

import numpy as np

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import constant, jvp_rule, linear, nondifferentiable, vjp_rule
from s2sad.runtime.core import broadcast_like, unbroadcast
from s2sad.runtime.elementwise import (
    digamma,
    dist_jvp,
    dist_vjp,
    each,
    hypot_jvp,
    hypot_vjp,
    over_norm,
    pow_log,
    scale_each,
    stacked_like,
    unstacked_items,
)
from s2sad.runtime.reductions import prod_adjoint, prod_others, sum_items_tangent

# ---- exponentials and logarithms -------------------------------------------------


@real_derivative(math.exp)
def exp_x(ans, x):
    return ans


@real_derivative(math.expm1)
def expm1_x(ans, x):
    return ans + 1.0


if hasattr(math, "exp2"):  # Python 3.11+

    @real_derivative(math.exp2)
    def exp2_x(ans, x):
        return ans * math.log(2.0)


@real_derivative(math.log, "x", divide=True)
def log_x(ans, x, base=None):
    return x if base is None else x * math.log(base)


@real_derivative(math.log, "base")
def log_base(ans, x, base=None):
    return -ans / (base * math.log(base))


@real_derivative(math.log1p, divide=True)
def log1p_x(ans, x):
    return 1.0 + x


@real_derivative(math.log2, divide=True)
def log2_x(ans, x):
    return x * math.log(2.0)


@real_derivative(math.log10, divide=True)
def log10_x(ans, x):
    return x * math.log(10.0)


# ---- powers and roots ------------------------------------------------------------


@real_derivative(math.sqrt, divide=True)
def sqrt_x(ans, x):
    return 2.0 * ans


if hasattr(math, "cbrt"):  # Python 3.11+

    @real_derivative(math.cbrt, divide=True)
    def cbrt_x(ans, x):
        return 3.0 * ans * ans


# pow(x, 0) is the constant 1, also at x == 0, where the general formula would raise.
@real_derivative(math.pow, "x")
def pow_x(ans, x, y):
    return y * math.pow(x, y - 1.0) if y != 0 else 0.0


@real_derivative(math.pow, "y")
def pow_y(ans, x, y):
    return ans * pow_log(x)


# ---- trigonometric functions -----------------------------------------------------


@real_derivative(math.sin)
def sin_x(ans, x):
    return math.cos(x)


@real_derivative(math.cos)
def cos_x(ans, x):
    return -math.sin(x)


@real_derivative(math.tan)
def tan_x(ans, x):
    return 1.0 + ans * ans


@real_derivative(math.asin, divide=True)
def asin_x(ans, x):
    return math.sqrt((1.0 - x) * (1.0 + x))


@real_derivative(math.acos, divide=True)
def acos_x(ans, x):
    return -math.sqrt((1.0 - x) * (1.0 + x))


@real_derivative(math.atan, divide=True)
def atan_x(ans, x):
    return 1.0 + x * x


@real_derivative(math.atan2, "y")
def atan2_y(ans, y, x):
    return x / (x * x + y * y)


@real_derivative(math.atan2, "x")
def atan2_x(ans, y, x):
    return -y / (x * x + y * y)


@vjp_rule(math.degrees)
def degrees_x(g, ans, x):
    return math.degrees(g)


@vjp_rule(math.radians)
def radians_x(g, ans, x):
    return math.radians(g)


linear(math.degrees, degrees_x, "x")
linear(math.radians, radians_x, "x")


# ---- hyperbolic functions --------------------------------------------------------


@real_derivative(math.sinh)
def sinh_x(ans, x):
    return math.cosh(x)


@real_derivative(math.cosh)
def cosh_x(ans, x):
    return math.sinh(x)


@real_derivative(math.tanh)
def tanh_x(ans, x):
    return 1.0 - ans * ans


@real_derivative(math.asinh, divide=True)
def asinh_x(ans, x):
    return math.hypot(x, 1.0)


@real_derivative(math.acosh, divide=True)
def acosh_x(ans, x):
    return math.sqrt((x - 1.0) * (x + 1.0))


@real_derivative(math.atanh, divide=True)
def atanh_x(ans, x):
    return (1.0 - x) * (1.0 + x)


# ---- special functions -----------------------------------------------------------


@real_derivative(math.erf)
def erf_x(ans, x):
    return (2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@real_derivative(math.erfc)
def erfc_x(ans, x):
    return -(2.0 / math.sqrt(math.pi)) * math.exp(-x * x)


@real_derivative(math.gamma)
def gamma_x(ans, x):
    return ans * digamma(x)


@real_derivative(math.lgamma)
def lgamma_x(ans, x):
    return digamma(x)


# ---- sign, magnitude and remainders ----------------------------------------------


@vjp_rule(math.fabs)
def fabs_x(g, ans, x):
    return g * (x > 0) - g * (x < 0)


@jvp_rule(math.fabs)
def fabs_x_dot(x_dot, ans, x):
    return x_dot * (x > 0) - x_dot * (x < 0)


@vjp_rule(math.copysign, "x")
def copysign_x(g, ans, x, y):
    return (g * (x > 0) - g * (x < 0)) * math.copysign(1.0, y)


@jvp_rule(math.copysign, "x")
def copysign_x_dot(x_dot, ans, x, y):
    return (x_dot * (x > 0) - x_dot * (x < 0)) * math.copysign(1.0, y)


@real_derivative(math.copysign, "y")
def copysign_y(ans, x, y):
    return 0.0


# fmod(x, y) = x - n * y and remainder(x, y) = x - n * y, with n = (x - ans) / y an
# integer (truncated, or rounded to nearest) that is constant between the jumps.


@real_derivative(math.fmod, "x")
def fmod_x(ans, x, y):
    return 1.0


@real_derivative(math.fmod, "y")
def fmod_y(ans, x, y):
    return -((x - ans) / y)


@real_derivative(math.remainder, "x")
def remainder_x(ans, x, y):
    return 1.0


@real_derivative(math.remainder, "y")
def remainder_y(ans, x, y):
    return -((x - ans) / y)


@vjp_rule(math.ldexp, "x")
def ldexp_x(g, ans, x, i):
    return math.ldexp(g, i)


linear(math.ldexp, ldexp_x, "x")


# ---- norms -----------------------------------------------------------------------


@vjp_rule(math.hypot, "coordinates")
def hypot_coordinates(g, ans, *coordinates):
    return hypot_vjp(g, ans, coordinates)


@jvp_rule(math.hypot, "coordinates")
def hypot_coordinates_dot(coordinates_dot, ans, *coordinates):
    return hypot_jvp(coordinates_dot, ans, coordinates)


@vjp_rule(math.dist, "p")
def dist_p(g, ans, p, q):
    return dist_vjp(g, ans, p, q)


@vjp_rule(math.dist, "q")
def dist_q(g, ans, p, q):
    return dist_vjp(g, ans, q, p)


@jvp_rule(math.dist, "p")
def dist_p_dot(p_dot, ans, p, q):
    return dist_jvp(p_dot, ans, p, q)


@jvp_rule(math.dist, "q")
def dist_q_dot(q_dot, ans, p, q):
    return dist_jvp(q_dot, ans, q, p)


# ---- sums and products of sequences ----------------------------------------------


@vjp_rule(math.fsum, "seq")
def fsum_seq(g, ans, seq):
    return each(g, seq)


linear(math.fsum, fsum_seq, "seq")


# the elements broadcast and stacked, reduced as np.prod reduces (exact at zeros)
@vjp_rule(math.prod, "iterable")
def prod_iterable(g, ans, iterable, *, start=1):
    return unstacked_items(prod_adjoint(g, stacked_like(iterable, iterable), 0, False, start),
                           iterable)


@jvp_rule(math.prod, "iterable")
def prod_iterable_dot(iterable_dot, ans, iterable, *, start=1):
    return np.sum(stacked_like(iterable_dot, iterable)
                  * prod_others(stacked_like(iterable, iterable), 0, True, start), axis=0)


@real_derivative(math.prod, "start", unbroadcast=True)
def prod_start(ans, iterable, *, start=1):
    return math.prod(iterable)


if hasattr(math, "sumprod"):  # Python 3.12+

    @vjp_rule(math.sumprod, "p")
    def sumprod_p(g, ans, p, q):
        return scale_each(g, q)

    @vjp_rule(math.sumprod, "q")
    def sumprod_q(g, ans, p, q):
        return scale_each(g, p)

    linear(math.sumprod, sumprod_p, "p", "q")


if hasattr(math, "fma"):  # Python 3.13+

    @vjp_rule(math.fma, "x")
    def fma_x(g, ans, x, y, z):
        return g * y

    @vjp_rule(math.fma, "y")
    def fma_y(g, ans, x, y, z):
        return g * x

    @vjp_rule(math.fma, "z")
    def fma_z(g, ans, x, y, z):
        return g

    @jvp_rule(math.fma, "x")
    def fma_x_dot(x_dot, ans, x, y, z):
        return x_dot * y

    @jvp_rule(math.fma, "y")
    def fma_y_dot(y_dot, ans, x, y, z):
        return x * y_dot

    @jvp_rule(math.fma, "z")
    def fma_z_dot(z_dot, ans, x, y, z):
        return z_dot


# ---- piecewise constant and integer functions ------------------------------------

nondifferentiable(
    math.floor,
    math.ceil,
    math.trunc,
    math.isfinite,
    math.isinf,
    math.isnan,
    math.isclose,
    math.factorial,
    math.gcd,
    math.lcm,
    math.comb,
    math.perm,
    math.isqrt,
    math.ulp,
)


# each(g, items) hands g to every item of a sum (math.fsum): its transpose sums them
@vjp_rule(each, "g")
def each_g(c, ans, g, items):
    return broadcast_like(sum_items_tangent(c, items, g), g)


linear(each, each_g, "g")
constant(each, each_g, "items")


# math.hypot's helpers: hypot_vjp(g, ans, c) = (g c_i / ans)_i and hypot_jvp(d, ans, c) =
# sum d_i c_i / ans, each bilinear (for a fixed ans) and the other's transpose; in ans
# both scale by 1 / ans, whose slope is -1 / ans ** 2
@vjp_rule(hypot_vjp, "g")
def hypot_vjp_g(b, ans_, g, ans, coordinates):
    return hypot_jvp(b, ans, coordinates)


@vjp_rule(hypot_vjp, "coordinates")
def hypot_vjp_coordinates(b, ans_, g, ans, coordinates):
    return hypot_vjp(g, ans, b)


@vjp_rule(hypot_vjp, "ans")
def hypot_vjp_ans(b, ans_, g, ans, coordinates):
    return -g * over_norm(hypot_jvp(b, ans, coordinates), ans)


@jvp_rule(hypot_vjp, "ans")
def hypot_vjp_ans_dot(ans_dot, ans_, g, ans, coordinates):
    return hypot_vjp(-g * ans_dot * over_norm(1.0, ans), ans, coordinates)


linear(hypot_vjp, hypot_vjp_g, "g", "coordinates")


@vjp_rule(hypot_jvp, "coordinates_dot")
def hypot_jvp_coordinates_dot(b, ans_, coordinates_dot, ans, coordinates):
    return hypot_vjp(b, ans, coordinates)


@vjp_rule(hypot_jvp, "coordinates")
def hypot_jvp_coordinates(b, ans_, coordinates_dot, ans, coordinates):
    return hypot_vjp(b, ans, coordinates_dot)


@vjp_rule(hypot_jvp, "ans")
def hypot_jvp_ans(b, ans_, coordinates_dot, ans, coordinates):
    return -b * over_norm(hypot_jvp(coordinates_dot, ans, coordinates), ans)


@jvp_rule(hypot_jvp, "ans")
def hypot_jvp_ans_dot(ans_dot, ans_, coordinates_dot, ans, coordinates):
    return -ans_dot * over_norm(hypot_jvp(coordinates_dot, ans, coordinates), ans)


linear(hypot_jvp, hypot_jvp_coordinates, "coordinates_dot", "coordinates")


# math.prod's helpers: stacked_like(c, items) stacks the pieces c in the items' common
# shape and unstacked_items(g, items) sums each row back to its item's shape, each the
# other's transpose; the items are read for their shapes only
@vjp_rule(stacked_like, "c")
def stacked_like_c(b, ans, c, items):
    return unstacked_items(b, items)


@vjp_rule(unstacked_items, "g")
def unstacked_items_g(b, ans, g, items):
    return unbroadcast(stacked_like(b, items), g)


linear(stacked_like, stacked_like_c, "c")
constant(stacked_like, stacked_like_c, "items")
linear(unstacked_items, unstacked_items_g, "g")
constant(unstacked_items, unstacked_items_g, "items")


# math.dist's helpers are hypot's on the differences p - q: dist_vjp(g, ans, p, q) =
# (g (p_i - q_i) / ans)_i and dist_jvp(d, ans, p, q) = sum d_i (p_i - q_i) / ans, each
# the other's transpose in g and d, linear in p and q for a fixed ans (hypot's helpers
# on the tangents), and scaled by 1 / ans, whose slope is -1 / ans ** 2
@vjp_rule(dist_vjp, "g")
def dist_vjp_g(b, ans_, g, ans, p, q):
    return dist_jvp(b, ans, p, q)


@vjp_rule(dist_vjp, "p")
def dist_vjp_p(b, ans_, g, ans, p, q):
    return hypot_vjp(g, ans, b)


@jvp_rule(dist_vjp, "p")
def dist_vjp_p_dot(p_dot, ans_, g, ans, p, q):
    return hypot_vjp(g, ans, p_dot)


@vjp_rule(dist_vjp, "q")
def dist_vjp_q(b, ans_, g, ans, p, q):
    return hypot_vjp(-g, ans, b)


@jvp_rule(dist_vjp, "q")
def dist_vjp_q_dot(q_dot, ans_, g, ans, p, q):
    return hypot_vjp(-g, ans, q_dot)


@vjp_rule(dist_vjp, "ans")
def dist_vjp_ans(b, ans_, g, ans, p, q):
    return -g * over_norm(dist_jvp(b, ans, p, q), ans)


@jvp_rule(dist_vjp, "ans")
def dist_vjp_ans_dot(ans_dot, ans_, g, ans, p, q):
    return dist_vjp(-g * ans_dot * over_norm(1.0, ans), ans, p, q)


linear(dist_vjp, dist_vjp_g, "g")


@vjp_rule(dist_jvp, "p_dot")
def dist_jvp_p_dot(b, ans_, p_dot, ans, p, q):
    return dist_vjp(b, ans, p, q)


@vjp_rule(dist_jvp, "p")
def dist_jvp_p(b, ans_, p_dot, ans, p, q):
    return hypot_vjp(b, ans, p_dot)


@jvp_rule(dist_jvp, "p")
def dist_jvp_p_dot2(e, ans_, p_dot, ans, p, q):
    return hypot_jvp(e, ans, p_dot)


@vjp_rule(dist_jvp, "q")
def dist_jvp_q(b, ans_, p_dot, ans, p, q):
    return hypot_vjp(-b, ans, p_dot)


@jvp_rule(dist_jvp, "q")
def dist_jvp_q_dot(e, ans_, p_dot, ans, p, q):
    return -hypot_jvp(e, ans, p_dot)


@vjp_rule(dist_jvp, "ans")
def dist_jvp_ans(b, ans_, p_dot, ans, p, q):
    return -b * over_norm(dist_jvp(p_dot, ans, p, q), ans)


@jvp_rule(dist_jvp, "ans")
def dist_jvp_ans_dot(ans_dot, ans_, p_dot, ans, p, q):
    return -ans_dot * over_norm(dist_jvp(p_dot, ans, p, q), ans)


linear(dist_jvp, dist_jvp_p_dot, "p_dot")
