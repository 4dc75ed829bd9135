"""Helpers for the rules of Python operators, the ``math`` module and NumPy's
elementwise functions.

Each helper is what a one-expression rule template cannot say by itself: a conjugate
that does not copy real arrays, a derivative with a removable singularity, a special
function NumPy lacks, or a loop over the elements of a sequence argument.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from s2sad.runtime.core import unbroadcast

__all__ = [
    "clip_at_max",
    "clip_at_min",
    "clip_passes",
    "digamma",
    "dist_jvp",
    "dist_vjp",
    "each",
    "hypot_jvp",
    "hypot_vjp",
    "i1",
    "i1_slope",
    "interp_fp_adjoint",
    "interp_fp_tangent",
    "interp_slope",
    "interp_slope_adjoint",
    "over_norm",
    "polygamma",
    "pow_log",
    "pow_slope",
    "scale_each",
    "sign",
    "sinc_curvature",
    "sinc_slope",
    "stacked_like",
    "unstacked_items",
]


def sign(x: Any) -> Any:
    """``np.sign(x)``; for complex ``x`` the unit ``x / |x|`` (0 at 0) on every NumPy.

    It is the derivative of ``abs``: its adjoint is ``g * sign(x)``. (NumPy 2 computes
    ``x / |x|`` itself; NumPy 1 gave the sign of the real part.)

    >>> sign(np.array([-2.0, 0.0])), complex(sign(3j))
    (array([-1.,  0.]), 1j)
    """
    if not np.iscomplexobj(x):
        return np.sign(x)
    magnitude = np.abs(x)
    return (x / np.where(magnitude == 0, 1, magnitude))[()]


def sign_tangent(x_dot: Any, x: Any) -> Any:
    """The tangent of ``sign(x)``: 0 for real ``x`` (piecewise constant); for complex ``x``,
    with ``u = x / |x|``, ``(x_dot - u Re(conj(u) x_dot)) / |x|`` (0 at 0).

    >>> complex(sign_tangent(1j, 2.0 + 0j))
    0.5j
    """
    if not np.iscomplexobj(x):
        return 0.0 * np.real(x_dot)
    magnitude = np.abs(x)
    safe = np.where(magnitude == 0, 1, magnitude)
    u = x / safe
    along = np.real(np.conj(u) * x_dot)
    return ((x_dot - u * along) / safe * (magnitude != 0))[()]


def sign_adjoint(g: Any, x: Any) -> Any:
    """The adjoint of ``sign(x)``: 0 for real ``x``; for complex ``x``, with ``u = x / |x|``,
    ``(g - u Re(conj(g) u)) / |x|`` (0 at 0), the transpose of :func:`sign_tangent`."""
    if not np.iscomplexobj(x):
        return 0.0 * np.real(g) * np.real(x)
    return sign_tangent(g, x)  # the map is self-adjoint for the real inner product


def _sign_parts(x: Any) -> tuple[Any, Any, Any]:
    """``|x|`` (1 where 0), ``x / |x|`` and whether ``x`` is nonzero."""
    magnitude = np.abs(x)
    safe = np.where(magnitude == 0, 1, magnitude)
    return safe, x / safe, magnitude != 0


def _inner(p: Any, q: Any) -> Any:
    """The real inner product of complex numbers, elementwise: ``Re(conj(p) q)``."""
    return np.real(np.conj(p) * q)


def sign_second_tangent(v: Any, x: Any, w: Any) -> Any:
    """The derivative of ``sign_tangent(v, x)`` in ``x`` along ``w``: 0 for real ``x``;
    with ``T = sign_tangent(., x)``, ``r = |x|``, ``u = x / r``,
    ``-(T(v) <u, w> + T(w) <u, v> + u <T(w), v>) / r`` (``<p, q> = Re(conj(p) q)``)."""
    if not np.iscomplexobj(x):
        return 0.0 * np.real(v) * np.real(w)
    r, u, nonzero = _sign_parts(x)
    tv, tw = sign_tangent(v, x), sign_tangent(w, x)
    return (-(tv * _inner(u, w) + tw * _inner(u, v) + u * _inner(tw, v)) / r * nonzero)[()]


def sign_second_adjoint(b: Any, v: Any, x: Any) -> Any:
    """The adjoint in ``x`` of ``sign_tangent(v, x)`` (and of ``sign_adjoint(v, x)``) for
    the output adjoint ``b``: 0 for real ``x``; else the transpose of
    :func:`sign_second_tangent`, ``-(<b, T(v)> u + <u, v> T(b) + <b, u> T(v)) / r``."""
    if not np.iscomplexobj(x):
        return 0.0 * np.real(b) * np.real(v) * np.real(x)
    r, u, nonzero = _sign_parts(x)
    tv, tb = sign_tangent(v, x), sign_tangent(b, x)
    return (-(_inner(b, tv) * u + _inner(u, v) * tb + _inner(b, u) * tv) / r * nonzero)[()]


# ---- powers and norms --------------------------------------------------------------


def pow_log(x: Any) -> Any:
    """``log(x)`` as it enters ``d(x ** p)/dp = x ** p * log(x)``.

    It is 0 where ``x == 0``, where ``x ** p`` does not change with ``p > 0`` (a plain
    log would give ``0 * -inf = nan``), and nan for a negative real ``x``, where
    ``x ** p`` is only defined at integer ``p``.

    >>> pow_log(0.0), pow_log(np.array([0.0, 1.0]))
    (0.0, array([0., 0.]))
    """
    if isinstance(x, (float, int)):
        if x > 0:
            return math.log(x)
        return 0.0 if x == 0 else math.nan
    with np.errstate(invalid="ignore"):
        return np.log(np.where(np.equal(x, 0), 1, x))


def pow_slope(a: Any, b: Any) -> Any:
    """``d(a ** b)/da = b * a ** (b - 1)``, taken as 0 where ``b == 0``.

    ``a ** 0`` is the constant 1, also at ``a == 0``, where the plain formula gives
    ``0 * inf = nan`` (or raises, for Python floats). Rules use the plain formula when
    the exponent is a nonzero Python number and this helper otherwise.

    >>> pow_slope(0.0, 0), pow_slope(np.array([0.0, 2.0]), np.array([0, 3]))
    (0.0, array([ 0., 12.]))
    """
    if isinstance(b, (int, float)):
        return b * a ** (b - 1) if b != 0 else 0.0 * a
    return b * np.power(a, np.where(np.equal(b, 0), 1, np.subtract(b, 1)))


def angle_slope(z: Any, deg: bool = False) -> Any:
    """``dangle/dRe + i dangle/dIm`` of ``np.angle(z, deg)``: ``i z / |z|^2``, 0 at 0.

    >>> angle_slope(1j), angle_slope(2.0)
    ((-1+0j), 0.0)
    """
    if not np.iscomplexobj(z):
        return 0.0 * np.real(z)
    squared = z.real * z.real + z.imag * z.imag
    slope = 1j * z / np.where(squared == 0, 1, squared)
    if deg:
        slope = slope * (180.0 / np.pi)
    return slope if np.ndim(slope) else complex(slope)


def over_norm(x: Any, norm: Any) -> Any:
    """``x / norm``, taken as 0 where ``norm`` is 0.

    This is the derivative of a Euclidean norm (``hypot``, ``dist``) in one coordinate;
    at the origin it picks the subgradient 0, as ``np.sign(0) == 0`` does for ``abs``.

    >>> over_norm(3.0, 5.0), over_norm(0.0, 0.0)
    (0.6, 0.0)
    """
    if isinstance(norm, (float, int)):
        return x / norm if norm else 0.0 * x
    return x / np.where(np.equal(norm, 0), 1, norm)


def hypot_vjp(g: Any, ans: Any, coordinates: tuple) -> tuple:
    """The adjoints of ``math.hypot(*coordinates)``, one per coordinate."""
    return tuple(g * over_norm(c, ans) for c in coordinates)


def hypot_jvp(coordinates_dot: tuple, ans: Any, coordinates: tuple) -> Any:
    """The tangent of ``math.hypot(*coordinates)``."""
    total = 0.0
    for d, c in zip(coordinates_dot, coordinates):
        total = total + d * over_norm(c, ans)
    return total


def dist_vjp(g: Any, ans: Any, p: Any, q: Any) -> tuple:
    """The adjoint of ``p`` in ``math.dist(p, q)`` (swap ``p`` and ``q`` for ``q``'s)."""
    return tuple(g * over_norm(u - v, ans) for u, v in zip(p, q))


def dist_jvp(p_dot: Any, ans: Any, p: Any, q: Any) -> Any:
    """The tangent of ``math.dist(p, q)`` from ``p``'s (swap ``p`` and ``q`` for ``q``)."""
    total = 0.0
    for d, u, v in zip(p_dot, p, q):
        total = total + d * over_norm(u - v, ans)
    return total


# ---- sequence arguments ------------------------------------------------------------


def each(g: Any, items: Any) -> tuple:
    """``g`` once per element of ``items``: the adjoint of a sum such as ``math.fsum``."""
    return tuple(unbroadcast(g, item) for item in items)


def scale_each(g: Any, items: Any) -> tuple:
    """``g * item`` for each element: the adjoint of one side of a dot product."""
    return tuple(g * item for item in items)


def _common_shape(items: Any) -> tuple[int, ...]:
    return np.broadcast_shapes(*(np.shape(item) for item in items))


def stacked_like(c: Any, items: Any) -> np.ndarray:
    """The pieces ``c`` (one per element of ``items``, as a sequence or an array, or one
    zero for all) broadcast to
    the elements' common shape and stacked: ``stacked_like(items, items)`` is the array
    ``math.prod`` reduces over its first axis.

    >>> stacked_like([1.0, np.ones(2)], [1.0, np.ones(2)])
    array([[1., 1.],
           [1., 1.]])
    """
    shape = _common_shape(items)
    if not isinstance(c, (list, tuple)):  # an array of the pieces, or one zero for all
        c = list(c) if np.ndim(c) else [c] * len(items)
    return np.stack([np.broadcast_to(piece, shape) for piece in c])


def unstacked_items(g: Any, items: Any) -> tuple:
    """The transpose of ``stacked_like(c, items)`` in ``c``: each row of ``g`` summed to
    its element's shape.

    >>> unstacked_items(np.ones((2, 3)), [1.0, np.zeros(3)])
    (3.0, array([1., 1., 1.]))
    """
    g = np.broadcast_to(g, (len(items),) + _common_shape(items))
    if isinstance(items, np.ndarray):  # the rows of an array: an array of adjoints
        return np.array(g)
    return tuple(unbroadcast(g[i], item) for i, item in enumerate(items))


# ---- np.interp ---------------------------------------------------------------------


def _interp_knots(x: Any, xp: Any, period: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``x``, the knots and, per knot, the index of its value in ``fp``, as ``np.interp``
    takes them (with a ``period``: reduced, sorted and extended by one knot each side)."""
    x = np.asarray(x, dtype=np.float64)
    knots = np.asarray(xp, dtype=np.float64)
    index = np.arange(knots.size)
    if period is None:
        return x, knots, index
    period = abs(float(period))
    x, knots = x % period, knots % period
    order = np.argsort(knots)
    knots, index = knots[order], index[order]
    knots = np.concatenate([knots[-1:] - period, knots, knots[:1] + period])
    index = np.concatenate([index[-1:], index, index[:1]])
    return x, knots, index


def _interp_pieces(x: Any, xp: Any, left: Any, right: Any, period: Any) -> tuple:
    """Per element of ``x``: the two entries of ``fp`` ``np.interp`` mixes, their weights,
    and the reciprocal of the interval's width (0 outside the knots and at the last, NaN
    at a NaN ``x``): the slope is ``(fp[high] - fp[low]) * reciprocal``."""
    x, knots, index = _interp_knots(x, xp, period)
    if period is not None:
        left = right = None
    last = knots.size - 1
    low = np.clip(np.searchsorted(knots, x, side="right") - 1, 0, max(last - 1, 0))
    high = np.minimum(low + 1, last)
    inside = (x >= knots[0]) & (x < knots[-1])
    width = knots[high] - knots[low]
    reciprocal = np.where(inside, 1.0 / np.where(inside, width, 1.0), 0.0)
    share = (x - knots[low]) * reciprocal
    low_weight = np.where(inside, 1.0 - share, 0.0)
    high_weight = np.where(inside, share, 0.0)
    if left is None:
        low_weight = np.where(x < knots[0], 1.0, low_weight)
    ends = x == knots[-1] if right is not None else x >= knots[-1]
    high_weight = np.where(ends, 1.0, high_weight)
    unknown = np.isnan(x)
    if unknown.any():
        reciprocal, low_weight, high_weight = (np.where(unknown, np.nan, w) for w in
                                               (reciprocal, low_weight, high_weight))
    return index[low], index[high], low_weight, high_weight, reciprocal


def interp_slope(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
                 period: Any = None) -> Any:
    """The derivative of ``np.interp(x, xp, fp, ...)`` in ``x``: the slope of the interval
    holding ``x`` (at a knot, of the interval to its right), 0 outside the knots.

    >>> interp_slope(np.array([0.5, 1.0, 3.0]), [0.0, 1.0, 2.0], [0.0, 2.0, 3.0])
    array([2., 1., 0.])
    """
    low, high, _, _, reciprocal = _interp_pieces(x, xp, left, right, period)
    fp = np.asarray(fp)
    return (fp[high] - fp[low]) * reciprocal


def _scattered(size: int, positions: tuple, values: tuple) -> np.ndarray:
    total = np.zeros(size, dtype=np.result_type(*values, 0.0))
    for where, value in zip(positions, values):
        np.add.at(total, where, value)
    return total


def interp_slope_adjoint(c: Any, x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
                         period: Any = None) -> Any:
    """The transpose of ``interp_slope`` in ``fp``, applied to ``c`` (of ``x``'s shape)."""
    low, high, _, _, reciprocal = _interp_pieces(x, xp, left, right, period)
    step = np.broadcast_to(c, np.shape(reciprocal)) * reciprocal
    return _scattered(np.size(fp), (high, low), (step, -step))


def interp_fp_tangent(fp_dot: Any, x: Any, xp: Any, fp: Any, left: Any = None,
                      right: Any = None, period: Any = None) -> Any:
    """The tangent of ``np.interp(x, xp, fp, ...)`` from ``fp``'s (``left`` and ``right``
    held, when given).

    >>> float(interp_fp_tangent(np.array([1.0, 0.0]), 0.25, [0.0, 1.0], [0.0, 0.0], left=5.0))
    0.75
    """
    low, high, low_weight, high_weight, _ = _interp_pieces(x, xp, left, right, period)
    fp_dot = np.asarray(fp_dot)
    return (fp_dot[low] * low_weight + fp_dot[high] * high_weight)[()]


def interp_fp_adjoint(g: Any, x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
                      period: Any = None) -> Any:
    """The adjoint of ``np.interp(x, xp, fp, ...)`` in ``fp``: each ``g`` shared between the
    two values it mixes."""
    low, high, low_weight, high_weight, _ = _interp_pieces(x, xp, left, right, period)
    g = np.broadcast_to(g, np.shape(low_weight))
    return _scattered(np.size(fp), (low, high), (g * low_weight, g * high_weight))


# ---- np.maximum, np.minimum, np.fmax, np.fmin ---------------------------------------


def extremum_share(x1: Any, x2: Any, wins: Any, ignore_nan: bool = False) -> Any:
    """The share of the derivative of an elementwise extremum that goes to ``x1``: 1 where
    ``x1`` is chosen (``wins(x1, x2)``: ``np.greater`` for a maximum, ``np.less`` for a
    minimum), 1/2 at a tie, 0 where ``x2`` is. Where ``x1`` is NaN and so is the result
    (``maximum``/``minimum`` propagate NaN; ``fmax``/``fmin``, ``ignore_nan``, only when
    both are), the share is NaN: the derivative is NaN as the value is.

    >>> extremum_share(np.array([2.0, 1.0, 1.0, np.nan]), np.array([1.0, 1.0, 3.0, 0.0]),
    ...                np.greater)
    array([1. , 0.5, 0. , nan])
    >>> extremum_share(np.nan, 0.0, np.greater, ignore_nan=True)
    0.0
    """
    scalars = not isinstance(x1, np.ndarray) and not isinstance(x2, np.ndarray)
    dtype = np.result_type(x1, x2, np.float16)
    dtype = np.finfo(dtype).dtype if dtype.kind in "fc" else np.dtype(np.float64)
    first, second = np.isnan(x1), np.isnan(x2)
    with np.errstate(invalid="ignore"):
        chosen = wins(x1, x2)
        tie = np.equal(x1, x2)
    if ignore_nan:  # the other argument wins over a NaN
        chosen = chosen | (second & ~first)
        undefined = first & second
    else:
        undefined = first
    share = np.where(undefined, np.nan, np.where(chosen, 1.0, np.where(tie, 0.5, 0.0)))
    share = share.astype(dtype, copy=False)[()]
    return float(share) if scalars and np.ndim(share) == 0 else share


# ---- np.clip -----------------------------------------------------------------------
# np.clip(a, lo, hi) is np.minimum(np.maximum(a, lo), hi); each mask says where the
# output is that operand. Ties go to ``a``; with lo > hi the output is hi everywhere.


# The masks are NaN where their operand is NaN (``nan_at``): the clipped value is NaN there.


def nan_at(mask: Any, x: Any) -> Any:
    """``mask`` (a boolean mask, returned as it is when ``x`` holds no NaN) as weights in
    ``x``'s real float type, NaN where ``x`` is NaN: a derivative of an extremum that is
    NaN because ``x`` is.

    >>> nan_at(np.array([True, True]), np.array([np.nan, 1.0]))
    array([nan,  1.])
    """
    with np.errstate(invalid="ignore"):
        nans = np.isnan(x)
    if not np.any(nans):
        return mask
    dtype = np.result_type(x, np.float16)
    dtype = np.finfo(dtype).dtype if dtype.kind in "fc" else np.dtype(np.float64)
    return np.where(nans, np.nan, mask).astype(dtype, copy=False)[()]


def clip_passes(a: Any, lo: Any, hi: Any) -> Any:
    """Where ``np.clip(a, lo, hi)`` is ``a`` itself (``None`` is no bound)."""
    if lo is None:
        return nan_at(np.less_equal(a, hi), a)
    if hi is None:
        return nan_at(np.greater_equal(a, lo), a)
    return nan_at(np.greater_equal(a, lo) & np.less_equal(a, hi), a)


def clip_at_min(a: Any, lo: Any, hi: Any) -> Any:
    """Where ``np.clip(a, lo, hi)`` is the lower bound ``lo``."""
    if hi is None:
        return nan_at(np.less(a, lo), lo)
    return nan_at(np.less(a, lo) & np.less_equal(lo, hi), lo)


def clip_at_max(a: Any, lo: Any, hi: Any) -> Any:
    """Where ``np.clip(a, lo, hi)`` is the upper bound ``hi``."""
    if lo is None:
        return nan_at(np.greater(a, hi), hi)
    return nan_at(np.greater(a, hi) | np.greater(lo, hi), hi)


# ---- special functions -------------------------------------------------------------


def sinc_slope(x: Any) -> Any:
    """The derivative of ``np.sinc(x) = sin(pi x) / (pi x)``: 0 at ``x = 0``.

    The closed form ``(cos(pi x) - sinc(x)) / x`` cancels badly near 0, where a Taylor
    polynomial takes over.

    >>> bool(sinc_slope(0.0) == 0.0), bool(abs(sinc_slope(0.5) + 4.0 / np.pi) < 1e-15)
    (True, True)
    """
    px = np.pi * x
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = (np.cos(px) - np.sinc(x)) / x
    p2 = px * px
    series = -np.pi * px / 3.0 * (1.0 - p2 / 10.0 + p2 * p2 / 280.0)
    return np.where(np.abs(x) < 1e-2, series, closed)[()]


def i1(x: Any) -> Any:
    """The modified Bessel function of the first kind of order 1: ``d i0(x) / dx``.

    A power series for ``|x| <= 20`` and the large-argument expansion beyond; relative
    accuracy about 1e-15. NumPy has ``np.i0`` but not ``i1``.
    """
    x = np.asarray(x)
    dtype = np.result_type(x, 1.0)  # float32 stays float32, integers become float64
    x = x.astype(np.float64)
    ax = np.abs(x)
    # I1(x) = sum_k (x/2)^(2k+1) / (k! (k+1)!)
    half = np.minimum(ax, 20.0) / 2.0
    y = half * half
    term = half
    series = half
    for k in range(1, 60):
        term = term * y / (k * (k + 1))
        series = series + term
    # I1(x) ~ e^x / sqrt(2 pi x) * sum_k t_k with t_k / t_(k-1) = ((2k-1)^2 - 4) / (8 k x)
    big = np.maximum(ax, 20.0)
    term = np.ones_like(big)
    expansion = np.ones_like(big)
    for k in range(1, 30):
        term = term * ((2 * k - 1) ** 2 - 4) / (8.0 * k * big)
        expansion = expansion + term
    with np.errstate(over="ignore"):
        expansion = np.exp(big) / np.sqrt(2.0 * np.pi * big) * expansion
    return (np.sign(x) * np.where(ax <= 20.0, series, expansion)).astype(dtype)[()]


#: Coefficients B_2k / (2k) of the asymptotic series of digamma, k = 1 .. 7.
_DIGAMMA_SERIES = (
    1.0 / 12.0,
    -1.0 / 120.0,
    1.0 / 252.0,
    -1.0 / 240.0,
    1.0 / 132.0,
    -691.0 / 32760.0,
    1.0 / 12.0,
)


def digamma(x: float) -> float:
    """The digamma function psi(x) = d log(gamma(x)) / dx, of a real scalar.

    Reflection for negative x, the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10,
    then the asymptotic series log(x) - 1/(2x) - sum_k B_2k / (2k x^2k). Relative error
    about 1e-15 away from the positive root near 1.4616 (absolute 1e-16 there). Poles
    (0, -1, -2, ...) give nan.

    >>> abs(digamma(1.0) + 0.5772156649015329) < 1e-15  # minus Euler's constant
    True
    """
    x = float(x)
    if math.isnan(x) or x == -math.inf:
        return math.nan
    if x == math.inf:
        return x
    result = 0.0
    if x <= 0.0:
        if x == math.floor(x):
            return math.nan
        # psi(x) = psi(1 - x) - pi / tan(pi x); tan has period 1, so reduce x first
        result = -math.pi / math.tan(math.pi * (x - math.floor(x)))
        x = 1.0 - x
    while x < 10.0:
        result -= 1.0 / x
        x += 1.0
    inv2 = 1.0 / (x * x)
    series = 0.0
    for coefficient in reversed(_DIGAMMA_SERIES):
        series = (series + coefficient) * inv2
    return result + math.log(x) - 0.5 / x - series


#: Bernoulli numbers B_2k, k = 1 .. 7, for the asymptotic series of polygamma.
_BERNOULLI = (1.0 / 6.0, -1.0 / 30.0, 1.0 / 42.0, -1.0 / 30.0, 5.0 / 66.0,
              -691.0 / 2730.0, 7.0 / 6.0)


def polygamma(n: int, x: float) -> float:
    """The ``n``-th derivative of digamma at a real scalar ``x`` (``n >= 1``; ``n = 0`` is
    digamma): the derivatives of :func:`digamma`, without SciPy.

    The recurrence psi_n(x) = psi_n(x + 1) + (-1)^(n+1) n! / x^(n+1) up to x >= 20 + n,
    then the asymptotic series (-1)^(n+1) [(n-1)! / x^n + n! / (2 x^(n+1))
    + sum_k B_2k (2k+n-1)! / ((2k)! x^(2k+n))]. Poles (0, -1, -2, ...) give nan.

    >>> abs(polygamma(1, 1.0) - math.pi ** 2 / 6) < 1e-14  # zeta(2)
    True
    """
    n = int(n)
    if n == 0:
        return digamma(x)
    if n < 0:
        raise ValueError(f"polygamma needs an order n >= 0, not {n}")
    x = float(x)
    if math.isnan(x) or x <= 0.0 and x == math.floor(x):
        return math.nan
    if x == math.inf:
        return 0.0
    sign = 1.0 if n % 2 == 1 else -1.0
    factorial = math.factorial(n)
    result = 0.0
    while x < 20.0 + n:
        result += sign * factorial / x ** (n + 1)
        x += 1.0
    series = math.factorial(n - 1) / x ** n + factorial / (2.0 * x ** (n + 1))
    for k, bernoulli in enumerate(_BERNOULLI, start=1):
        series += (bernoulli * math.factorial(2 * k + n - 1) / math.factorial(2 * k)
                   / x ** (2 * k + n))
    return result + sign * series


def i1_slope(x: Any) -> Any:
    """The derivative of :func:`i1`: ``I0(x) - I1(x) / x``, 1/2 at 0.

    >>> float(i1_slope(0.0))
    0.5
    """
    x = np.asarray(x, dtype=np.result_type(x, np.float64))
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 0.5, np.i0(x) - i1(x) / safe)[()]


def sinc_curvature(x: Any) -> Any:
    """The second derivative of ``np.sinc``: ``-pi^2 sinc(x) - 2 sinc'(x) / x``, from
    ``(x sinc(x))'' = -pi^2 x sinc(x)``; a Taylor polynomial near 0 (``-pi^2 / 3`` at 0).

    >>> bool(abs(sinc_curvature(0.0) + np.pi ** 2 / 3) < 1e-15)
    True
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = -np.pi ** 2 * np.sinc(x) - 2.0 * sinc_slope(x) / x
    p2 = (np.pi * x) ** 2
    series = np.pi ** 2 * (-1.0 / 3.0 + p2 / 10.0 - p2 * p2 / 168.0 + p2 ** 3 / 6480.0)
    return np.where(np.abs(x) < 1e-2, series, closed)[()]
