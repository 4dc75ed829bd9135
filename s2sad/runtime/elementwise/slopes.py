"""The derivatives of ``abs`` and powers, of ``np.angle`` and of Euclidean norms, at their
kinks and removable singularities: ``sign`` of complex values and its derivatives,
``log(x)`` and ``b * a ** (b - 1)`` where ``x ** p`` is constant, ``x / norm`` at 0.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


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
