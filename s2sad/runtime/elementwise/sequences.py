"""The derivatives of ``math`` functions of sequences (``hypot``, ``dist``, ``fsum``,
``prod``): one adjoint per item, and the items stacked and unstacked.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import unbroadcast
from s2sad.runtime.elementwise.slopes import over_norm


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
