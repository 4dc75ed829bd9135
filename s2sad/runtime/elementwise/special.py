"""Special functions NumPy lacks, and derivatives of ``np.sinc`` and ``np.i0`` that
cancel badly near a point: ``i1``, ``digamma``, ``polygamma``, Taylor polynomials at 0.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


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
