"""Run-time helpers for the derivatives of indexing and selection.

Reading elements is linear; its adjoint scatters the output adjoint back. Reads that may
repeat an element (integer arrays, take, take_along_axis) accumulate, as ``np.add.at``
does; basic indices (ints, slices, None, Ellipsis) never repeat one and take a fast path.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import add, unbroadcast, unreduce, zeros_like
from s2sad.runtime.duck import is_duck_array
from s2sad.runtime.elementwise import nan_at
from s2sad.runtime.located import located
from s2sad.runtime.shapes import scatter_sum


def _float_dtype(x: Any) -> np.dtype:
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind in "fc":
        return dtype
    return np.dtype(np.float64)


def _is_basic(index: Any) -> bool:
    """Whether ``index`` is a basic index: ints, slices, None and Ellipsis only."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        part is None or part is Ellipsis or isinstance(part, slice)
        or isinstance(part, (int, np.integer)) and not isinstance(part, (bool, np.bool_))
        for part in parts
    )


def _positions(shape: tuple) -> np.ndarray:
    """Each element's position in C order, laid out in ``shape``."""
    return np.arange(int(np.prod(shape))).reshape(shape)


def getitem_adjoint(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``a[b]``: zeros shaped like ``a`` with ``g`` added at ``b``.

    Repeated integer indices accumulate. Python lists, tuples and dicts get an adjoint
    of the same structure.

    >>> getitem_adjoint(np.ones(2), np.zeros(3), np.array([2, 2]))
    array([0., 0., 2.])
    >>> getitem_adjoint(np.ones(2), np.zeros((2, 3)), (slice(None), 1))
    array([[0., 1., 0.],
           [0., 1., 0.]])
    """
    if type(a) is np.ndarray and type(b) is tuple:
        if _adds_axes_only(b):
            return g.reshape(a.shape) if type(g) is np.ndarray else np.reshape(g, a.shape)
        if b and type(g) is np.ndarray and g.dtype.kind == "f" and _integer_arrays(b):
            # the common gather x[rows, columns] of real values, without the general checks
            adjoint = np.zeros(a.shape, a.dtype if a.dtype.kind in "fc" else np.float64)
            np.add.at(adjoint, b, g)  # repeated positions add up
            return adjoint
    if isinstance(a, (list, tuple)):
        return _sequence_adjoint(g, a, b)
    if isinstance(a, dict):
        return {key: g if key == b else zeros_like(value) for key, value in a.items()}
    shape = np.shape(a)
    if isinstance(a, np.ndarray) and _adds_axes_only(b):  # x[:, None]: a reshape
        return np.reshape(g, shape)
    dtype = np.result_type(g) if np.iscomplexobj(g) else _float_dtype(a)
    if is_duck_array(a):
        return _duck_getitem_adjoint(g, a, b, dtype)
    adjoint = np.zeros(shape, dtype=dtype)
    if _is_basic(b) or _is_mask(b):
        adjoint[b] = g
    else:
        np.add.at(adjoint, b, g)  # repeated positions add up
    return adjoint


def _duck_getitem_adjoint(g: Any, a: Any, b: Any, dtype: Any) -> Any:
    """``getitem_adjoint`` for ``a`` an array of another library (a Dask array): zeros of
    its kind with ``g`` written at ``b``, for slices, integers and masks; integer index
    arrays, whose repeated positions add up (``np.add.at``), are refused."""
    if _adds_axes_only(b):  # x[:, None]: a reshape
        return np.reshape(g, a.shape)
    if not (_is_basic(b) or _is_mask(b)):
        from s2sad.errors import S2sadError

        raise S2sadError(
            located(f"the adjoint of reading a {type(a).__module__}.{type(a).__name__} at "
                    "integer index arrays adds repeated positions with np.add.at, which "
                    f"{type(a).__name__} does not implement; index it with slices or a "
                    "mask, or convert it with np.asarray first"))
    adjoint = np.zeros_like(a, dtype=dtype)
    adjoint[b] = g
    return adjoint


def spread_at(s: Any, a: Any, b: Any) -> Any:
    """``getitem_adjoint(unreduce(s, a[b]), a, b)``: the adjoint of the read ``a[b]`` when
    every element read has the adjoint ``s`` (the read of a full reduction, a mean of
    gathered elements), without the array of copies of ``s``.

    >>> spread_at(0.5, np.zeros((2, 3)), (np.array([0, 1, 1]), np.array([2, 0, 0])))
    array([[0. , 0. , 0.5],
           [1. , 0. , 0. ]])
    """
    if type(a) is np.ndarray and (type(b) is tuple and b and _integer_arrays(b) or
                                  type(b) is np.ndarray and b.dtype.kind in "iu"):
        complex_s = type(s) is not float and np.iscomplexobj(s)
        dtype = np.result_type(s) if complex_s else _float_dtype(a)
        adjoint = np.zeros(a.shape, dtype)
        np.add.at(adjoint, b, s)  # repeated positions add up
        return adjoint
    return getitem_adjoint(unreduce(s, a[b]), a, b)


_REAL = np.dtype(np.float64)


def accumulate_at(a_bar: np.ndarray, b: Any, g: Any) -> None:
    """``a_bar[b] += g`` in place, repeated indices accumulating (as ``np.add.at`` does):
    the adjoint of the read ``a[b]`` added into an adjoint array the caller owns.

    The adjoint array of a real value is real: a complex contribution (from complex values
    elsewhere in the function) adds its real part, all of it that reaches a real value.

    >>> a_bar = np.zeros(3)
    >>> accumulate_at(a_bar, np.array([0, 0, 2]), np.ones(3)); a_bar
    array([2., 0., 1.])
    >>> accumulate_at(a_bar, 1, 0.5 + 2j); a_bar
    array([2. , 0.5, 1. ])
    """
    if type(g) is complex or getattr(g, "dtype", _REAL).kind == "c":
        if type(a_bar) is np.ndarray and a_bar.dtype.kind != "c":
            g = np.real(g)
    if isinstance(a_bar, dict):
        a_bar[b] = add(a_bar[b], g)
    elif isinstance(a_bar, list):  # the adjoint of a list or tuple: a list of adjoints
        positions = range(len(a_bar))[b] if isinstance(b, slice) else [b]
        parts = g if isinstance(b, slice) else [g]
        for position, part in zip(positions, parts):
            a_bar[position] = add(a_bar[position], part)
    elif _is_basic(b) or _is_mask(b):
        a_bar[b] += _computed_into(a_bar, g)
    else:
        np.add.at(a_bar, b, _computed_into(a_bar, g))


def _computed_into(a_bar: Any, g: Any) -> Any:
    """``g`` as NumPy computes it, where it is added into a NumPy array in place: a lazy
    array (Dask's) cannot be the right side of an in-place write into one."""
    if type(a_bar) is np.ndarray and hasattr(g, "__array_function__") and not isinstance(
            g, (np.ndarray, np.generic)):
        return np.asarray(g)
    return g


def setitem_adjoint(a_bar: np.ndarray, b: Any, v: Any) -> Any:
    """The adjoint of ``v`` in the write ``a[b] = v``; zeroes ``a_bar[b]`` in place (the
    overwritten elements no longer reach the output). With repeated indices the last write
    wins, so only the last occurrence of a position takes its adjoint.

    >>> a_bar = np.array([1.0, 2.0, 3.0])
    >>> setitem_adjoint(a_bar, np.array([2, 0, 2]), np.zeros(3)), a_bar
    (array([0., 1., 3.]), array([0., 2., 0.]))
    """
    if isinstance(a_bar, (list, dict)):
        g = a_bar[b]
        a_bar[b] = [zeros_like(u) for u in g] if isinstance(b, slice) else zeros_like(g)
        return g
    g = np.array(a_bar[b], copy=True)
    if not (_is_basic(b) or _is_mask(b)):
        written = _positions(a_bar.shape)[b].reshape(-1)  # each element's position
        _, last_from_end = np.unique(written[::-1], return_index=True)
        overwritten = np.ones(written.size, dtype=bool)
        overwritten[written.size - 1 - last_from_end] = False
        g.reshape(-1)[overwritten] = 0
    a_bar[b] = 0
    return unbroadcast(g, v)


_ABSENT = object()


def written_part(a: Any, b: Any) -> Any:
    """What the write ``a[b] = ...`` overwrites, kept aside (a copy; a dict's missing key is
    remembered as missing)."""
    if isinstance(a, dict):
        return a.get(b, _ABSENT)
    part = a[b]
    return part.copy() if hasattr(part, "copy") else part


def restore_part(a: Any, b: Any, saved: Any) -> None:
    """Undo the write ``a[b] = ...`` with what ``written_part`` kept."""
    if saved is _ABSENT:
        del a[b]
    else:
        a[b] = saved


def _like_item(row: Any, item: Any) -> Any:
    """``row`` of an array adjoint, as the adjoint of a list's ``item``: a number for a
    number, a writable array for an array."""
    if isinstance(item, np.ndarray):
        return np.array(row, dtype=np.result_type(row, _float_dtype(item)))
    return row.item() if isinstance(row, (np.ndarray, np.generic)) else row


def owned(a_bar: Any, a: Any) -> Any:
    """A fresh, writable float array shaped like ``a`` holding ``a_bar`` (a list of the
    adjoints of the items when ``a`` is a list or tuple): an adjoint the generated code may
    update in place.

    >>> owned(0.0, np.zeros(2)), owned(None, (1.0, np.ones(2)))
    (array([0., 0.]), [0.0, array([0., 0.])])
    >>> owned(np.array([2.0, 3.0]), [0.5, 1.5])  # the list read as an array
    [2.0, 3.0]
    """
    if isinstance(a, (list, tuple)):
        if isinstance(a_bar, (list, tuple)):  # its own length: a tape's adjoint may be
            # longer than the tape, whose values the reverse sweep did not push back
            items = list(a)
            return [u if u is not None else zeros_like(items[k]) if k < len(items) else 0.0
                    for k, u in enumerate(a_bar)]
        if not (isinstance(a_bar, np.ndarray) and a_bar.ndim > 0):  # no adjoint, a zero
            return [zeros_like(v) for v in a]
        # the list read as an array (np.sum(xs)): the adjoint of each item is its row
        rows = np.broadcast_to(a_bar, np.shape(a))
        return [_like_item(row, v) for row, v in zip(rows, a)]
    if isinstance(a, dict):
        held = a_bar if isinstance(a_bar, dict) else {}
        return {k: held[k] if held.get(k) is not None else zeros_like(v) for k, v in a.items()}
    if a_bar is None:
        return np.zeros(np.shape(a), dtype=_float_dtype(a))
    dtype = np.result_type(a_bar, _float_dtype(a))
    return np.array(np.broadcast_to(a_bar, np.shape(a)), dtype=dtype)


def _adds_axes_only(index: Any) -> bool:
    """Whether the index only adds axes (``None``) to whole ones (``:``)."""
    parts = index if isinstance(index, tuple) else (index,)
    added = False
    for part in parts:
        if part is None:
            added = True
        elif type(part) is not slice or part != _WHOLE:
            return False
    return added


_WHOLE = slice(None)


def _integer_arrays(index: tuple) -> bool:
    """Whether every part of the index is an array of integers."""
    for part in index:
        if type(part) is not np.ndarray or part.dtype.kind not in "iu":
            return False
    return True


def _is_mask(index: Any) -> bool:
    """A single boolean array as index: it selects each element at most once."""
    return isinstance(index, np.ndarray) and index.dtype == np.bool_ and index.ndim > 0


def _sequence_adjoint(g: Any, a: Any, b: Any) -> Any:
    parts = [zeros_like(item) for item in a]
    if isinstance(b, slice):
        for k, i in enumerate(range(len(a))[b]):
            parts[i] = add(parts[i], g[k])
    else:
        parts[int(b)] = g
    if isinstance(a, list):
        return parts
    return type(a)(*parts) if hasattr(type(a), "_fields") else tuple(parts)  # NamedTuple


def item_adjoint(g: Any, a: Any, args: tuple) -> Any:
    """Adjoint of ``a.item(*args)``: no argument (a single element), a flat index, or one
    index per axis."""
    shape = np.shape(a)
    adjoint = np.zeros(shape, dtype=_float_dtype(a))
    if len(args) == 0:
        adjoint[...] = g
    elif len(args) == 1 and np.ndim(args[0]) == 0:
        adjoint.reshape(-1)[args[0]] = g
    else:
        adjoint[tuple(args[0]) if len(args) == 1 else args] = g
    return adjoint


def item_tangent(a_dot: Any, args: tuple) -> Any:
    """JVP of ``a.item(*args)``."""
    return np.asarray(a_dot).item(*args)


def take_adjoint(g: Any, a: Any, indices: Any, axis: Any = None, mode: str = "raise") -> Any:
    """Adjoint of ``np.take(a, indices, axis, mode=mode)``.

    >>> take_adjoint(np.ones(3), np.zeros(2), [0, 1, 0])
    array([2., 1.])
    """
    shape = np.shape(a)
    read = np.take(_positions(shape), indices, axis=axis, mode=mode)
    return _typed(scatter_sum(g, read, shape), a)


def take_along_axis_adjoint(g: Any, arr: Any, indices: Any, axis: Any = -1) -> Any:
    """Adjoint of ``np.take_along_axis(arr, indices, axis)``."""
    shape = np.shape(arr)
    read = np.take_along_axis(_positions(shape), indices, axis)
    return _typed(scatter_sum(g, read, shape), arr)


def compress_adjoint(g: Any, condition: Any, a: Any, axis: Any = None) -> Any:
    """Adjoint of ``np.compress(condition, a, axis)``."""
    shape = np.shape(a)
    read = np.compress(condition, _positions(shape), axis=axis)
    return _typed(scatter_sum(g, read, shape), a)


def _typed(adjoint: np.ndarray, x: Any) -> np.ndarray:
    if adjoint.dtype.kind == "c":
        return adjoint
    return adjoint.astype(_float_dtype(x), copy=False)


# ---- choose and select -------------------------------------------------------------


def _chosen(a: Any, n: int, mode: str) -> np.ndarray:
    a = np.asarray(a)
    if mode == "wrap":
        return a % n
    if mode == "clip":
        return np.clip(a, 0, n - 1)
    return a


def choose_adjoint(g: Any, a: Any, choices: Any, mode: str = "raise") -> Any:
    """Adjoint of ``choices`` in ``np.choose(a, choices, mode=mode)``: each choice gets
    ``g`` where ``a`` picks it (an array of choices gets an array, a sequence a tuple)."""
    chosen = _chosen(a, len(choices), mode)
    g = np.asarray(g)
    zero = np.zeros((), dtype=g.dtype)
    parts = tuple(unbroadcast(np.where(chosen == k, g, zero), choice)
                  for k, choice in enumerate(choices))
    if isinstance(choices, np.ndarray):
        return np.stack(parts) if parts else np.zeros_like(choices)
    return parts


def _first_true(condlist: Any) -> list:
    """For each condition, where it is the first true one."""
    taken = False
    first = []
    for condition in condlist:
        first.append(np.logical_and(condition, np.logical_not(taken)))
        taken = np.logical_or(taken, condition)
    return first


def select_none(condlist: Any) -> Any:
    """Where no condition of ``np.select`` holds (the default is chosen)."""
    return np.logical_not(np.logical_or.reduce([np.asarray(c) for c in condlist]))


def select_adjoint(g: Any, condlist: Any, choicelist: Any) -> tuple:
    """Adjoint of ``choicelist`` in ``np.select``: a tuple, one adjoint per choice."""
    g = np.asarray(g)
    zero = np.zeros((), dtype=g.dtype)
    return tuple(unbroadcast(np.where(first, g, zero), choice)
                 for first, choice in zip(_first_true(condlist), choicelist))


def select_tangent(choicelist_dot: Any, ans: Any, condlist: Any) -> Any:
    """JVP of ``np.select`` in ``choicelist`` (zero where the default is chosen)."""
    zero = np.zeros((), dtype=np.result_type(*choicelist_dot))
    return np.broadcast_to(np.select(condlist, list(choicelist_dot), zero), np.shape(ans))


# ---- sort and partition ------------------------------------------------------------


def sort_permutation(a: Any, axis: Any = -1, kind: Any = None) -> np.ndarray:
    """The argsort giving ``np.sort(a, axis)`` (flattened when axis is None). Tied
    values may come in any order: every such permutation gives the same sorted values,
    and the same input always gives the same permutation."""
    if axis is None:
        return np.argsort(np.ravel(a), kind=kind)
    return np.argsort(a, axis=axis, kind=kind)


def partition_permutation(ans: Any, a: Any, axis: Any = -1) -> np.ndarray:
    """A permutation ``p`` with ``take_along_axis(a, p, axis) == ans`` for the result
    ``ans`` of ``np.partition(a, kth, axis)`` (flattened when axis is None).

    The r-th smallest entry of ``ans`` is the r-th smallest of ``a``, so matching the
    two sort orders recovers where each entry of ``ans`` came from.
    """
    if axis is None:
        a, axis = np.ravel(a), -1
    in_a = np.argsort(a, axis=axis)
    in_ans = np.argsort(ans, axis=axis)
    permutation = np.empty_like(in_a)
    np.put_along_axis(permutation, in_ans, in_a, axis)
    return permutation


def unpermute(g: Any, a: Any, permutation: np.ndarray, axis: Any = -1) -> Any:
    """Adjoint of ``take_along_axis(a, permutation, axis)`` for a permutation: ``g``
    written back to where each element came from."""
    g = np.asarray(g)
    shape = np.shape(a)
    dtype = g.dtype if g.dtype.kind in "fc" else _float_dtype(a)
    if axis is None:
        adjoint = np.zeros(int(np.prod(shape)), dtype=dtype)
        adjoint[permutation] = g
        return adjoint.reshape(shape)
    adjoint = np.zeros(shape, dtype=dtype)
    np.put_along_axis(adjoint, permutation, g, axis)
    return adjoint


def permute(a_dot: Any, permutation: np.ndarray, axis: Any = -1) -> Any:
    """``a_dot`` reordered like the sorted output."""
    if axis is None:
        return np.ravel(a_dot)[permutation]
    return np.take_along_axis(np.asarray(a_dot), permutation, axis)


# ---- clip (ndarray.clip) -----------------------------------------------------------


def _clip_sides(x: Any, low: Any, high: Any) -> tuple[Any, Any]:
    """Where ``np.clip(x, low, high)`` returns ``high`` and where it returns ``low``
    (the result is ``minimum(maximum(x, low), high)``; a tie goes to ``x``)."""
    raised = x if low is None else np.maximum(x, low)
    to_high = False if high is None else np.greater(raised, high)
    to_low = False if low is None else np.logical_and(np.less(x, low), np.logical_not(to_high))
    return to_low, to_high


def clip_passes(x: Any, low: Any = None, high: Any = None) -> Any:
    """Where ``np.clip(x, low, high)`` returns ``x`` itself (NaN where ``x`` is NaN)."""
    to_low, to_high = _clip_sides(x, low, high)
    return nan_at(np.logical_not(np.logical_or(to_low, to_high)), x)


def clip_to_low(x: Any, low: Any = None, high: Any = None) -> Any:
    """Where ``np.clip(x, low, high)`` returns ``low`` (NaN where ``low`` is NaN)."""
    found = _clip_sides(x, low, high)[0]
    return found if low is None else nan_at(found, low)


def clip_to_high(x: Any, low: Any = None, high: Any = None) -> Any:
    """Where ``np.clip(x, low, high)`` returns ``high`` (NaN where ``high`` is NaN)."""
    found = _clip_sides(x, low, high)[1]
    return found if high is None else nan_at(found, high)


def masked(mask: Any, value: Any, like: Any) -> Any:
    """``value`` where ``mask`` holds and zero elsewhere, broadcast to ``like``'s shape and
    with ``value``'s dtype."""
    value = np.asarray(value)
    chosen = np.where(mask, value, np.zeros((), dtype=value.dtype))
    return np.broadcast_to(chosen, np.broadcast_shapes(np.shape(chosen), np.shape(like)))


