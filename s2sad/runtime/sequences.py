"""Lists and tuples under ``+`` and ``*``: concatenation and repetition, and their
derivatives.

The derivative of a list or tuple is a list or tuple of the items' derivatives (a zero
may stand as ``None`` or as the number ``0.0``). Concatenation splits an adjoint by the
operands' lengths; repetition sums the adjoint's blocks.
"""

from __future__ import annotations

from typing import Any

from s2sad.runtime.core import add, zeros_like

_SEQUENCES = (list, tuple)


def concat(a: Any, b: Any) -> Any:
    """``a + b`` for two lists, tuples or strings.

    >>> concat([1.0], [2.0, 3.0])
    [1.0, 2.0, 3.0]
    """
    return a + b


def repeat(seq: Any, count: Any) -> Any:
    """``seq * count``: a list, tuple or string repeated ``count`` times.

    >>> repeat((1.0, 2.0), 2)
    (1.0, 2.0, 1.0, 2.0)
    """
    return seq * count


def _like(items: list, primal: Any) -> Any:
    return tuple(items) if isinstance(primal, tuple) else items


def _items(d: Any, primal: Any) -> list:
    """The derivative ``d`` of the sequence ``primal`` as a list of item derivatives."""
    if isinstance(d, _SEQUENCES):
        if len(d) != len(primal):
            raise ValueError(f"internal error: a derivative of {len(d)} items for a sequence "
                             f"of {len(primal)}; please report this")
        return list(d)
    return list(zeros_like(primal))  # a zero standing for the whole sequence


def concat_adjoint(g: Any, a: Any, b: Any, part: int) -> Any:
    """The adjoint of ``a`` (``part`` 0) or of ``b`` (``part`` 1) in ``a + b``.

    >>> concat_adjoint([1.0, 2.0, 3.0], [0.0], [0.0, 0.0], 1)
    [2.0, 3.0]
    >>> concat_adjoint((1.0, 2.0, 3.0), (0.0, 0.0), (0.0,), 0)
    (1.0, 2.0)
    """
    items = _items(g, concat(a, b))
    if part == 0:
        return _like(items[:len(a)], a)
    return _like(items[len(a):], b)


def concat_tangent(a_dot: Any, b_dot: Any, a: Any, b: Any) -> Any:
    """The tangent of ``a + b`` from the tangents of ``a`` and ``b`` (``None``: zero).

    >>> concat_tangent(None, [1.0], (2.0,), (3.0,))
    (0.0, 1.0)
    """
    items = _items(a_dot, a) + _items(b_dot, b)
    return _like(items, concat(a, b))


def repeat_adjoint(g: Any, seq: Any, count: Any) -> Any:
    """The adjoint of ``seq`` in ``seq * count``: the sum of the adjoint's blocks.

    >>> repeat_adjoint([1.0, 2.0, 3.0, 4.0], [0.0, 0.0], 2)
    [4.0, 6.0]
    """
    n = len(seq)
    items = _items(g, repeat(seq, count))
    total = list(zeros_like(seq))
    for start in range(0, len(items), n or 1):
        total = [add(u, v) for u, v in zip(total, items[start:start + n])]
    return _like(total, seq)


def repeat_tangent(seq_dot: Any, seq: Any, count: Any) -> Any:
    """The tangent of ``seq * count``: the tangent repeated.

    >>> repeat_tangent(None, (1.0,), 2)
    (0.0, 0.0)
    """
    return _like(_items(seq_dot, seq) * count, seq)
