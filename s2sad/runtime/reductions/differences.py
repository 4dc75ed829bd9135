"""Run-time helpers for the derivatives of ``np.diff`` and the trapezoidal rule."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import unbroadcast

# ---- differences and the trapezoidal rule ------------------------------------------


def diff_end(a: Any, axis: Any, end: Any) -> int:
    """How many positions ``np.diff``'s ``prepend`` or ``append`` (``end``) adds along
    ``axis`` of ``a``: 0 without one, 1 for a number."""
    if end is np._NoValue:
        return 0
    return 1 if np.ndim(end) == 0 else np.shape(end)[int(axis) % np.ndim(a)]


def diff_rest(a: Any, axis: Any, end: Any) -> int:
    """The length of ``a`` along ``axis`` and of ``end`` (``np.diff``'s other end)."""
    return np.shape(a)[int(axis) % np.ndim(a)] + diff_end(a, axis, end)


def diff_part(a: Any, axis: Any, end: Any) -> np.ndarray:
    """Ones in the shape ``np.diff`` broadcasts its ``prepend`` or ``append`` to."""
    shape = list(np.shape(a))
    shape[int(axis) % len(shape)] = diff_end(a, axis, end)
    return np.ones(np.broadcast_shapes(np.shape(end), tuple(shape)))


def diff_after(g: Any, like: Any, n: Any, axis: Any, start: int) -> int:
    """How many positions of the array ``np.diff`` differenced follow the part of
    ``like``'s length at ``start``, ``g`` being the differences."""
    axis = int(axis) % np.ndim(like)
    total = np.shape(g)[axis] + int(n)
    return max(total - start - np.shape(like)[axis], 0)


def _along(ndim: int, axis: int, widths: tuple[int, int]) -> list[tuple[int, int]]:
    pads = [(0, 0)] * ndim
    pads[axis] = widths
    return pads


def diff_padded(c: Any, n: Any = 1, axis: Any = -1, before: int = 0, after: int = 0) -> Any:
    """``np.diff(c, n, axis)`` of ``c`` between ``before`` and ``after`` zeros along
    ``axis``: the tangent of ``np.diff`` in ``a``, or in ``prepend`` or ``append``.

    >>> diff_padded(np.array([1.0, 4.0]), 1, -1, 1, 0)
    array([1., 3.])
    """
    c = np.asarray(c)
    if (before or after) and int(n):
        c = np.pad(c, _along(c.ndim, int(axis) % c.ndim, (before, after)))
    return np.diff(c, n, axis)


def diff_transposed(g: Any, like: Any, n: Any = 1, axis: Any = -1, start: int = 0) -> Any:
    """The transpose of :func:`diff_padded`: of the differences' adjoint ``g``, the part of
    ``like``'s length at ``start`` (``a``'s after a ``prepend``, or an end's); zeros when
    the differences are empty.

    >>> diff_transposed(np.array([1.0, 3.0]), np.zeros(3))
    array([-1., -2.,  3.])
    """
    g = np.asarray(g)
    if not int(n):
        return g
    axis = int(axis) % g.ndim
    if g.shape[axis] == 0:
        return np.zeros(np.shape(like), dtype=np.result_type(g, 0.0))
    for _ in range(int(n)):
        g = -np.diff(np.pad(g, _along(g.ndim, axis, (1, 1))), axis=axis)
    index = [slice(None)] * g.ndim
    index[axis] = slice(start, start + np.shape(like)[axis])
    return g[tuple(index)]


def trapezoid_weights(y: Any, x: Any = None, dx: Any = 1.0, axis: Any = -1) -> Any:
    """The weight of each element of ``y`` in ``np.trapezoid(y, x, dx, axis)``, which is
    ``sum(weights * y, axis)``: half the widths of the intervals beside it (broadcast
    against ``y``). Linear in ``x`` (or in ``dx`` when ``x`` is None).

    >>> trapezoid_weights(np.zeros(3), np.array([0.0, 1.0, 3.0]))
    array([0.5, 1.5, 1. ])
    """
    y = np.asarray(y)
    axis = int(axis) % y.ndim
    if x is None:
        widths = np.broadcast_to(np.asarray(dx), np.shape(np.diff(y, axis=axis)))
    else:
        x = np.asarray(x)
        if x.ndim == 1:
            x = np.reshape(x, (-1,) + (1,) * (y.ndim - 1 - axis))
            widths = np.diff(x, axis=-1 - (y.ndim - 1 - axis))
        else:
            widths = np.diff(x, axis=axis)
    widths_axis = widths.ndim - (y.ndim - axis)
    pads = _along(widths.ndim, widths_axis, (1, 1))
    padded = np.pad(widths, pads)
    index = [slice(None)] * padded.ndim
    index[widths_axis] = slice(1, None)
    later = padded[tuple(index)]
    index[widths_axis] = slice(None, -1)
    return (padded[tuple(index)] + later) / 2


def trapezoid_x_adjoint(c: Any, y: Any, x: Any, axis: Any = -1) -> Any:
    """The transpose of ``trapezoid_weights(y, x)`` in ``x``, applied to ``c`` (which
    broadcasts against the weights)."""
    shape = np.shape(trapezoid_weights(y, x, 1.0, axis))
    c = np.asarray(unbroadcast(c, np.broadcast_to(0.0, shape)))
    if np.ndim(x) == 1:
        c, axis = np.reshape(c, (-1,)), 0
    else:
        axis = int(axis) % c.ndim
    index = [slice(None)] * c.ndim
    index[axis] = slice(1, None)
    later = c[tuple(index)]
    index[axis] = slice(None, -1)
    segments = (c[tuple(index)] + later) / 2
    return np.reshape(diff_transposed(segments, x, 1, axis), np.shape(x))


# ---- ediff1d -----------------------------------------------------------------------


def ediff1d_count(end: Any) -> int:
    """How many values ``np.ediff1d``'s ``to_begin`` or ``to_end`` adds (0 for None)."""
    return 0 if end is None else int(np.size(end))


def ediff1d_zeros(end: Any) -> Any:
    """Zeros in place of ``np.ediff1d``'s ``to_begin`` or ``to_end`` (None stays None)."""
    return None if end is None else np.zeros(np.size(end))
