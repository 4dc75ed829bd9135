"""Lists and tuples under ``+`` and ``*``: concatenation and repetition, and their
derivatives.

The derivative of a list or tuple is a list or tuple of the items' derivatives (a zero
may stand as ``None`` or as the number ``0.0``). Concatenation splits an adjoint by the
operands' lengths; repetition sums the adjoint's blocks.
"""

from __future__ import annotations

from operator import index as operator_index
from typing import Any

import numpy as np

from s2sad.runtime.core import add, unbroadcast, zeros_like
from s2sad.runtime.located import located

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

    ``a + b`` of a list and an array is NumPy's sum (the kinds could not tell which it
    would be): the adjoint of a sum, unbroadcast, then given the list's structure.

    >>> np.array(concat_adjoint(np.ones((2, 2)), [1.0, 2.0], np.zeros((2, 2)), 0))
    array([2., 2.])
    """
    if not _joined(a, b):
        operand = (a, b)[part]
        found = unbroadcast(g, np.asarray(operand))
        return _like(list(found), operand) if isinstance(operand, _SEQUENCES) else found
    items = _items(g, concat(a, b))
    if part == 0:
        return _like(items[:len(a)], a)
    return _like(items[len(a):], b)


def concat_tangent(a_dot: Any, b_dot: Any, a: Any, b: Any) -> Any:
    """The tangent of ``a + b`` from the tangents of ``a`` and ``b`` (``None``: zero).

    >>> concat_tangent(None, [1.0], (2.0,), (3.0,))
    (0.0, 1.0)
    """
    if not _joined(a, b):  # NumPy's sum of a list and an array
        return _sum_tangent(a_dot, a) + _sum_tangent(b_dot, b)
    items = _items(a_dot, a) + _items(b_dot, b)
    return _like(items, concat(a, b))


def _joined(a: Any, b: Any) -> bool:
    """Whether ``a + b`` joins two sequences (not NumPy's sum of a list and an array or a
    NumPy number)."""
    return isinstance(a, (*_SEQUENCES, str)) and isinstance(b, (*_SEQUENCES, str))


def _sum_tangent(d: Any, x: Any) -> Any:
    if d is None:
        return np.zeros(np.shape(x))
    return np.asarray(_items(d, x) if isinstance(x, _SEQUENCES) else d, dtype=float)


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


# ---- sorted, list(...) and the key functions of sorted, min and max ------------------

_ORDERED = (list, tuple, np.ndarray)


def sorted_positions(keys: Any, reverse: bool = False) -> list[int]:
    """The positions of ``keys`` in the order ``sorted`` puts them (stable, as ``sorted``
    is, also with ``reverse``).

    >>> sorted_positions([3.0, 1.0, 3.0, 2.0], reverse=True)
    [0, 2, 3, 1]
    """
    return sorted(range(len(keys)), key=keys.__getitem__, reverse=reverse)


def sort_keys(seq: Any, key: Any = None) -> Any:
    """What ``sorted(seq, key=key)`` compares: ``seq`` itself, or its items' keys.

    >>> sort_keys([1.0, -2.0], abs)
    [1.0, 2.0]
    """
    return seq if key is None else [key(item) for item in seq]


def extremum_position(keys: Any, which: str) -> int:
    """The position of the first smallest (``"min"``) or largest (``"max"``) of ``keys``:
    the item ``min(xs, key=...)`` or ``max(xs, key=...)`` returns.

    >>> extremum_position([2.0, 1.0, 1.0], "min"), extremum_position([2.0, 3.0, 3.0], "max")
    (1, 1)
    """
    choose = min if which == "min" else max
    if not len(keys):
        raise ValueError(f"{which}() iterable argument is empty")
    return choose(range(len(keys)), key=keys.__getitem__)


def ordered(seq: Any, keys: Any, reverse: bool = False) -> list:
    """``sorted(seq, key=..., reverse=reverse)`` given the keys of ``seq``'s items.

    >>> ordered(["a", "b", "c"], [2.0, 3.0, 1.0])
    ['c', 'a', 'b']
    """
    if len(keys) != len(seq):
        raise ValueError(f"internal error: {len(keys)} keys for {len(seq)} items; "
                         "please report this")
    return [seq[k] for k in sorted_positions(keys, reverse)]


def _checked_sequence(seq: Any, what: str) -> Any:
    if not isinstance(seq, _ORDERED):
        raise TypeError(located(f"s2sad differentiates {what} of a list, a tuple or an array, not "
                                f"of a {type(seq).__name__}; convert it with list(...) first"))
    return seq


def _entries(d: Any, seq: Any) -> list:
    """The derivative ``d`` of the list, tuple or array ``seq`` as a list of item
    derivatives (``None`` and a number stand for zeros)."""
    if isinstance(d, np.ndarray) and isinstance(seq, np.ndarray) and d.shape == seq.shape:
        return list(d)
    if isinstance(d, _SEQUENCES):
        items = _items(d, seq)
        return [zeros_like(item) if u is None else u for u, item in zip(items, seq)]
    return list(zeros_like(seq))


def _like_sequence(items: list, seq: Any) -> Any:
    """``items`` as a derivative of ``seq``: a list, a tuple, or an array of its shape."""
    if isinstance(seq, np.ndarray):
        if not items:
            return zeros_like(seq)
        parts = [np.broadcast_to(item, seq.shape[1:]) for item in items]
        return np.stack(parts).astype(np.result_type(*parts, 0.0), copy=False)
    return _like(items, seq)


def ordered_adjoint(g: Any, seq: Any, keys: Any, reverse: bool = False) -> Any:
    """The adjoint of ``seq`` in ``ordered(seq, keys, reverse)``: each item takes the
    adjoint of the place it was sorted to.

    >>> ordered_adjoint([10.0, 20.0, 30.0], (0.0, 0.0, 0.0), [2.0, 3.0, 1.0])
    (20.0, 30.0, 10.0)
    """
    if isinstance(seq, dict):  # its keys, sorted: no derivative
        return zeros_like(seq)
    seq = _checked_sequence(seq, "sorted(...)")
    order = sorted_positions(keys, reverse)
    items = _entries(g, [seq[k] for k in order])
    adjoint: list = [None] * len(seq)
    for place, k in enumerate(order):
        adjoint[k] = items[place]
    return _like_sequence(adjoint, seq)


def ordered_tangent(seq_dot: Any, seq: Any, keys: Any, reverse: bool = False) -> list:
    """The tangent of ``ordered(seq, keys, reverse)``: the items' tangents, sorted.

    >>> ordered_tangent([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [2.0, 3.0, 1.0])
    [3.0, 1.0, 2.0]
    """
    if isinstance(seq, dict):
        return [0.0] * len(seq)
    seq = _checked_sequence(seq, "sorted(...)")
    items = _entries(seq_dot, seq)
    return [items[k] for k in sorted_positions(keys, reverse)]


def items_adjoint(g: Any, iterable: Any) -> Any:
    """The adjoint of ``iterable`` in ``list(iterable)``: the list's adjoint as a
    derivative of ``iterable`` (a list, a tuple, or an array of its shape).

    >>> items_adjoint([1.0, None], np.zeros(2))
    array([1., 0.])
    """
    if isinstance(iterable, dict):  # its keys: no derivative
        return zeros_like(iterable)
    iterable = _checked_sequence(iterable, "list(...)")
    return _like_sequence(_entries(g, list(iterable)), iterable)


def items_tangent(iterable_dot: Any, iterable: Any) -> list:
    """The tangent of ``list(iterable)``: a list of the items' tangents.

    >>> items_tangent(None, (1.0, 2.0))
    [0.0, 0.0]
    """
    if isinstance(iterable, dict):
        return [0.0] * len(iterable)
    iterable = _checked_sequence(iterable, "list(...)")
    return _entries(iterable_dot, iterable)


# ---- lists changed in place and dicts read by key: the checks lowered code makes -----


def check_list(xs: Any, where: str) -> None:
    """Raise unless ``xs`` is a list: s2sad runs ``xs.extend``, ``xs.insert``, ``xs.pop(i)``
    and ``del xs[i]`` as appends and pops, which only a list's are. ``where`` is the
    located text of the statement.

    >>> check_list([1.0], "f.py:2:4")
    >>> check_list({"a": 1.0}, "f.py:2:4: del d['a']")
    Traceback (most recent call last):
    TypeError: f.py:2:4: del d['a']; s2sad changes lists this way, not a dict
    """
    if not isinstance(xs, list):
        raise TypeError(located(
            f"{where}; s2sad changes lists this way, not a {type(xs).__name__}"))


def insert_position(xs: list, i: Any) -> int:
    """Where ``xs.insert(i, v)`` puts ``v``: ``i`` counted from the end when negative, and
    clamped to the list, as Python does.

    >>> insert_position([1.0, 2.0], -1), insert_position([1.0, 2.0], 7)
    (1, 2)
    """
    i = operator_index(i)
    n = len(xs)
    return min(max(i + n if i < 0 else i, 0), n)


def item_position(xs: list, i: Any, what: str) -> int:
    """The position ``xs.pop(i)`` or ``del xs[i]`` removes (``what``: ``"pop"`` or
    ``"del"``), with Python's ``IndexError`` when there is none.

    >>> item_position([1.0, 2.0], -1, "pop")
    1
    >>> item_position([], 0, "del")
    Traceback (most recent call last):
    IndexError: list assignment index out of range
    """
    i = operator_index(i)
    n = len(xs)
    position = i + n if i < 0 else i
    if not 0 <= position < n:
        if what == "pop":
            raise IndexError("pop from empty list" if not n else "pop index out of range")
        raise IndexError("list assignment index out of range")
    return position


def dict_keys(d: Any) -> list:
    """The keys of the dict ``d``, which a loop over ``d.items()``, ``d.keys()`` or
    ``d.values()`` visits (by position in this list, reading ``d[k]`` when it gets there).

    >>> dict_keys({"a": 1.0, "b": 2.0})
    ['a', 'b']
    """
    if not isinstance(d, dict):
        raise TypeError(located("s2sad loops over .items(), .keys() and .values() of a dict only, "
                                f"not of a {type(d).__name__}"))
    return list(d)


def check_same_keys(d: dict, keys: list) -> None:
    """Raise Python's ``RuntimeError`` when the dict ``d`` a loop runs over no longer has
    the ``keys`` it had when the loop started.

    >>> check_same_keys({"a": 1.0, "b": 2.0}, ["a"])
    Traceback (most recent call last):
    RuntimeError: dictionary changed size during iteration
    """
    if len(d) != len(keys):
        raise RuntimeError("dictionary changed size during iteration")
    if list(d) != keys:
        raise RuntimeError("dictionary keys changed during iteration")


def is_dict(value: Any) -> bool:
    """Whether ``del value[k]`` (``value.pop(k)``) removes an entry of a dict."""
    return isinstance(value, dict)


def removed_entry(d: dict, key: Any) -> dict:
    """A new dict: ``d`` without ``key`` (Python's ``KeyError`` when there is none), what
    ``del d[key]`` leaves in ``d``.

    >>> removed_entry({"a": 1.0, "b": 2.0}, "a")
    {'b': 2.0}
    """
    if not isinstance(d, dict):
        raise TypeError(located(f"s2sad removes entries of a dict this way, not of a "
                                f"{type(d).__name__}"))
    if key not in d:
        raise KeyError(key)
    return {k: v for k, v in d.items() if k != key}


def _entry(d: Any, key: Any, like: Any) -> Any:
    """The entry ``key`` of the derivative ``d`` of a dict, a zero like ``like`` if none."""
    value = d.get(key) if isinstance(d, dict) else None
    return zeros_like(like) if value is None else value


def entry_restored(g: Any, d: dict, key: Any) -> dict:
    """The adjoint of ``d`` in ``removed_entry(d, key)``: ``g``'s entries, and a zero for
    ``key``.

    >>> entry_restored({"b": 3.0}, {"a": 1.0, "b": 2.0}, "a")
    {'a': 0.0, 'b': 3.0}
    """
    return {k: zeros_like(v) if k == key else _entry(g, k, v) for k, v in d.items()}


def entry_removed_tangent(d_dot: Any, d: dict, key: Any) -> dict:
    """The tangent of ``removed_entry(d, key)``: ``d_dot`` without ``key``.

    >>> entry_removed_tangent(None, {"a": 1.0, "b": 2.0}, "a")
    {'b': 0.0}
    """
    return {k: _entry(d_dot, k, v) for k, v in d.items() if k != key}
