"""Run-time helpers for the derivatives of Python's own ``sum``, ``min`` and ``max``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from s2sad.runtime.core import unbroadcast

# ---- Python's own sum, min and max -------------------------------------------------------


def sum_items_adjoint(g: Any, iterable: Any) -> Any:
    """Adjoint of ``sum(iterable)``: each item takes ``g`` (summed to its own shape); a list
    or tuple of adjoints, like the iterable. Items that are lists or tuples were
    concatenated (``sum(lists, [])``): each takes its own part of ``g``, which ends with
    them.

    >>> sum_items_adjoint(2.0, [1.0, np.ones(2)])
    [2.0, array([2., 2.])]
    >>> sum_items_adjoint([1.0, 2.0, 3.0], [[0.0], [0.0, 0.0]])
    [[1.0], [2.0, 3.0]]
    """

    items = list(iterable)
    if items and all(isinstance(item, (list, tuple)) for item in items):
        parts = _concatenated_parts(g, [len(item) for item in items], items)
    else:
        parts = [unbroadcast(g, item) for item in items]
    return tuple(parts) if isinstance(iterable, tuple) else parts


def _concatenated_parts(g: Any, lengths: list[int], items: list) -> list:
    """The parts of the adjoint ``g`` of a concatenation that end with ``items``."""
    from s2sad.runtime.core import zeros_like

    if not isinstance(g, (list, tuple)):  # a zero
        return [zeros_like(item) for item in items]
    parts, end = [], len(g)
    for item, n in zip(reversed(items), reversed(lengths)):
        part = list(g[end - n:end])
        parts.append(tuple(part) if isinstance(item, tuple) else part)
        end -= n
    return parts[::-1]


def sum_start_adjoint(g: Any, start: Any) -> Any:
    """Adjoint of ``start`` in ``sum(iterable, start)``: ``g`` summed to its shape, or for a
    list or tuple ``start`` (a concatenation), the head of ``g``."""
    from s2sad.runtime.core import zeros_like

    if isinstance(start, (list, tuple)):
        if not isinstance(g, (list, tuple)):
            return zeros_like(start)
        head = list(g[:len(start)])
        return tuple(head) if isinstance(start, tuple) else head
    return unbroadcast(g, start)


def sum_items_tangent(iterable_dot: Any, iterable: Any = None, ans_: Any = None) -> Any:
    """JVP of ``sum(iterable)``: the sum of the items' tangents; for items that are lists
    or tuples (concatenated), their tangents concatenated after zeros for the head of the
    result ``ans_`` that ``start`` gave."""
    if iterable is not None and len(iterable) and all(
            isinstance(item, (list, tuple)) for item in iterable):
        from s2sad.runtime.core import zeros_like

        items = []
        for item, item_dot in zip(iterable, iterable_dot):
            items.extend(item_dot if isinstance(item_dot, (list, tuple))
                         else zeros_like(list(item)))
        items = list(zeros_like(list(ans_[:len(ans_) - len(items)]))) + items
        return tuple(items) if isinstance(ans_, tuple) else items
    total = 0.0
    for item in iterable_dot:
        total = total + item
    return total


def sum_start_tangent(start_dot: Any, ans_: Any) -> Any:
    """JVP of ``start`` in ``sum(iterable, start)``: broadcast to the result, or for a list
    or tuple (a concatenation), followed by zeros for the items."""
    from s2sad.runtime.core import broadcast_like, zeros_like

    if isinstance(ans_, (list, tuple)):
        head = list(start_dot) if isinstance(start_dot, (list, tuple)) else []
        items = head + list(zeros_like(list(ans_[len(head):])))
        return tuple(items) if isinstance(ans_, tuple) else items
    return broadcast_like(start_dot, ans_)


def _chosen(ans: Any, candidates: Any) -> int:
    """The position Python's ``min``/``max`` took its result from (the first equal one)."""
    for position, candidate in enumerate(candidates):
        if candidate is ans or candidate == ans:
            return position
    raise ValueError("the result of min/max is none of its arguments")


def extremum_args_adjoint(g: Any, ans: Any, args: tuple) -> tuple:
    """Adjoint of ``max(*args)`` / ``min(*args)``: ``g`` goes to the item chosen. With one
    argument, the items of that iterable; else the arguments themselves.

    >>> extremum_args_adjoint(1.0, 3.0, (1.0, 3.0, 2.0))
    (0.0, 1.0, 0.0)
    >>> extremum_args_adjoint(1.0, 3.0, ([1.0, 3.0],))
    ([0.0, 1.0],)
    """
    from s2sad.runtime.core import zeros_like

    candidates = args[0] if len(args) == 1 else args
    chosen = _chosen(ans, candidates)
    g = _nan_if_nan(g, ans)
    adjoints = [g if k == chosen else zeros_like(item) for k, item in enumerate(candidates)]
    if len(args) == 1:
        return (tuple(adjoints) if isinstance(candidates, tuple) else adjoints,)
    return tuple(adjoints)


def extremum_args_tangent(args_dot: tuple, ans: Any, args: tuple) -> Any:
    """JVP of ``max(*args)`` / ``min(*args)``: the tangent of the item chosen."""
    candidates = args[0] if len(args) == 1 else args
    tangents = args_dot[0] if len(args) == 1 else args_dot
    return _nan_if_nan(tangents[_chosen(ans, candidates)], ans)


def _nan_if_nan(value: Any, ans: Any) -> Any:
    """``value``, or NaN times it when the chosen item ``ans`` is NaN (Python's ``max``
    returns a NaN it meets first): the derivative is NaN as the value is."""
    if np.ndim(ans) == 0 and ans != ans:
        return value * math.nan
    return value
