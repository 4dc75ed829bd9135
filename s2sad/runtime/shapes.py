"""Run-time helpers for the derivatives of shape functions: the adjoints of reshaping,
joining, splitting, tiling, padding and diagonal extraction.

The functions served here are linear; each helper maps an adjoint of the output back to
the shape (and for sequences, the structure) of the input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.core import match, unbroadcast, zeros_like
from s2sad.runtime.duck import as_array
from s2sad.runtime.located import located


def _float_dtype(x: Any) -> np.dtype:
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind in "fc":
        return dtype
    return np.dtype(np.float64)


# ---- reshaping ---------------------------------------------------------------------


def reshape_order(order: str, a: Any) -> str:
    """The explicit order ('C' or 'F') that ``order`` stands for when reading ``a``."""
    if order in ("A", "a"):
        return "F" if np.isfortran(np.asarray(a)) else "C"
    return order


def _memory_order(a: Any) -> np.ndarray:
    """For each position of ``np.ravel(a, order="K")``, the C-order index of the element
    of ``a`` it holds."""
    a = np.asarray(a)
    positions = np.empty_like(a, dtype=np.intp)  # laid out in memory like ``a``
    positions[...] = np.arange(a.size).reshape(a.shape)
    return np.ravel(positions, order="K")


def unravel(g: Any, a: Any, order: str = "C") -> Any:
    """Adjoint of ``np.ravel(a, order)`` / ``a.flatten(order)``: ``g`` back in ``a``'s shape.

    Orders 'A' and 'K' follow the memory layout of ``a`` (not of ``g``).

    >>> unravel(np.arange(4.0), np.zeros((2, 2)), "F")
    array([[0., 2.],
           [1., 3.]])
    """
    if order not in ("K", "k"):
        return np.reshape(g, np.shape(a), order=reshape_order(order, a))
    g = np.asarray(g)
    adjoint = np.zeros(g.size, dtype=g.dtype)
    adjoint[_memory_order(a)] = np.ravel(g)
    return adjoint.reshape(np.shape(a))


def ravel_tangent(a_dot: Any, a: Any, order: str = "C") -> Any:
    """JVP of ``np.ravel(a, order)``: the tangent read in the order ``a`` is read in (for
    'A' and 'K' that depends on ``a``'s memory layout, not the tangent's)."""
    if order not in ("K", "k"):
        return np.ravel(a_dot, order=reshape_order(order, a))
    return np.ravel(a_dot)[_memory_order(a)]


def invert_axes(axes: Any, ndim: int) -> Any:
    """The permutation undoing ``np.transpose(x, axes)`` (None stays None: reversal).

    >>> invert_axes((1, 2, 0), 3)
    (2, 0, 1)
    """
    if axes is None:
        return None
    return tuple(int(i) for i in np.argsort([int(i) % ndim for i in axes]))


def method_axes(axes: tuple) -> Any:
    """The axes of ``x.transpose(*axes)`` in np.transpose's form: ``()`` and ``(None,)``
    become None, ``((1, 0),)`` becomes ``(1, 0)``."""
    if len(axes) == 0:
        return None
    if len(axes) == 1 and (axes[0] is None or np.ndim(axes[0]) == 1):
        return None if axes[0] is None else tuple(axes[0])
    return axes


def method_shape(shape: tuple) -> Any:
    """The shape of ``x.reshape(*shape)``: ``x.reshape(2, 3)`` and ``x.reshape((2, 3))``."""
    if len(shape) == 1 and np.ndim(shape[0]) == 1:
        return tuple(shape[0])
    return shape


def uncast(g: Any, x: Any) -> Any:
    """Adjoint of ``x.astype(dtype)``: ``g`` cast back to ``x``'s dtype (the real part
    when ``x`` is real and ``g`` complex).

    >>> uncast(np.ones(2), np.zeros(2, np.float32)).dtype
    dtype('float32')
    """
    if np.iscomplexobj(g) and not np.iscomplexobj(x):
        g = np.real(g)
    return match(g, x)


def cast_adjoint(g: Any, x: Any, dtype: Any) -> Any:
    """Adjoint of ``x.astype(dtype)``: zero for an integer or boolean ``dtype`` (the result
    carries no derivative), else ``g`` cast back to ``x``'s dtype.

    >>> cast_adjoint(np.ones(2), np.ones(2), np.int32)
    array([0., 0.])
    """
    if np.dtype(dtype).kind not in "fc":
        return zeros_like(x)
    return uncast(g, x)


def cast_tangent(x_dot: Any, dtype: Any) -> Any:
    """JVP of ``x.astype(dtype)``: the tangent cast alike (zero for a non-float dtype,
    whose result carries no derivative)."""
    target = np.dtype(dtype)
    if target.kind not in "fc":
        return np.zeros(np.shape(x_dot))
    if target.kind == "f" and np.iscomplexobj(x_dot):
        x_dot = np.real(x_dot)
    return np.asarray(x_dot).astype(target)


# ---- joining -----------------------------------------------------------------------


def _split_along(g: Any, shapes: list[tuple], axis: int) -> list:
    g = as_array(g)
    pieces, start = [], 0
    for shape in shapes:
        stop = start + shape[axis]
        pieces.append(g[(slice(None),) * axis + (slice(start, stop),)])
        start = stop
    return pieces


def unconcatenate(g: Any, arrays: Any, axis: Any = 0) -> tuple:
    """Adjoint of ``np.concatenate(arrays, axis)``: one piece of ``g`` per array.

    >>> unconcatenate(np.arange(5.0), (np.zeros(2), np.zeros(3)))
    (array([0., 1.]), array([2., 3., 4.]))
    """
    if axis is None:
        sizes = [(np.size(x),) for x in arrays]
        pieces = _split_along(np.ravel(g), sizes, 0)
    else:
        shapes = [np.shape(x) for x in arrays]
        pieces = _split_along(g, shapes, int(axis) % np.ndim(g))
    return tuple(np.reshape(piece, np.shape(x)) for piece, x in zip(pieces, arrays))


def _unjoin(g: Any, arrays: Any, promoted: list[tuple], axis: int) -> tuple:
    pieces = _split_along(g, promoted, axis)
    return tuple(np.reshape(piece, np.shape(x)) for piece, x in zip(pieces, arrays))


def unhstack(g: Any, tup: Any) -> tuple:
    """Adjoint of ``np.hstack(tup)`` (1-D inputs join along axis 0, others along 1)."""
    promoted = [np.shape(np.atleast_1d(x)) for x in tup]
    return _unjoin(g, tup, promoted, 0 if len(promoted[0]) == 1 else 1)


def unvstack(g: Any, tup: Any) -> tuple:
    """Adjoint of ``np.vstack(tup)``."""
    return _unjoin(g, tup, [np.shape(np.atleast_2d(x)) for x in tup], 0)


def undstack(g: Any, tup: Any) -> tuple:
    """Adjoint of ``np.dstack(tup)``."""
    return _unjoin(g, tup, [np.shape(np.atleast_3d(x)) for x in tup], 2)


def uncolumn_stack(g: Any, tup: Any) -> tuple:
    """Adjoint of ``np.column_stack(tup)`` (1-D inputs become columns)."""
    promoted = [np.shape(x) if np.ndim(x) >= 2 else (np.size(x), 1) for x in tup]
    return _unjoin(g, tup, promoted, 1)


def unsplit(g: Any, ans: list, axis: int = 0) -> Any:
    """Adjoint of ``np.split`` / ``np.array_split``: the pieces' adjoints joined again
    (a missing adjoint, None, stands for zeros).

    >>> unsplit([np.ones(2), None], [np.zeros(2), np.zeros(1)])
    array([1., 1., 0.])
    """
    return np.concatenate(fill_zeros(g, ans), axis=axis)


def fill_zeros(g: Any, ans: Any) -> list:
    """The adjoints of a sequence of outputs, with None (no adjoint) replaced by zeros."""
    return [zeros_like(piece) if part is None else part for part, piece in zip(g, ans)]


def unatleast(g: Any, arys: tuple) -> tuple:
    """Adjoint of ``np.atleast_1d/2d/3d(*arys)``: a tuple, one adjoint per argument
    (the primal returns a single array for a single argument)."""
    if len(arys) == 1:
        g = (g,)
    return tuple(match(np.reshape(part, np.shape(x)), x) for part, x in zip(g, arys))


def _nested_shape(obj: Any) -> tuple:
    if isinstance(obj, (list, tuple)):
        return (len(obj),) + (_nested_shape(obj[0]) if len(obj) else ())
    return np.shape(obj)


def unarray(g: Any, obj: Any) -> Any:
    """Adjoint of ``np.array(obj)`` and friends: ``g`` back in the structure of ``obj``
    (nested lists and tuples of arrays give lists and tuples of adjoints), with the
    dtype of each piece.

    >>> unarray(np.ones((2, 3)), [np.zeros(3), np.zeros(3, np.float32)])
    [array([1., 1., 1.]), array([1., 1., 1.], dtype=float32)]
    """
    if isinstance(obj, (list, tuple)):
        g = np.reshape(g, _nested_shape(obj))
        parts = [unarray(g[i], item) for i, item in enumerate(obj)]
        return parts if isinstance(obj, list) else tuple(parts)
    return match(np.reshape(g, np.shape(obj)), obj)


# ---- tiling and repeating ----------------------------------------------------------


def untile(g: Any, A: Any, reps: Any) -> Any:
    """Adjoint of ``np.tile(A, reps)``: the tiles summed.

    >>> untile(np.arange(6.0), np.zeros(2), 3)
    array([6., 9.])
    """
    shape = np.shape(A)
    reps = tuple(int(r) for r in np.atleast_1d(reps))
    ndim = max(len(shape), len(reps))
    padded = (1,) * (ndim - len(shape)) + shape
    reps = (1,) * (ndim - len(reps)) + reps
    blocks = np.reshape(g, tuple(n for pair in zip(reps, padded) for n in pair))
    return np.reshape(np.sum(blocks, axis=tuple(range(0, 2 * ndim, 2))), shape)


def unrepeat(g: Any, a: Any, repeats: Any, axis: Any = None) -> Any:
    """Adjoint of ``np.repeat(a, repeats, axis)``: the copies of each element summed.

    >>> unrepeat(np.arange(5.0), np.zeros(2), [2, 3])
    array([1., 9.])
    """
    shape = np.shape(a)
    g = np.asarray(g)
    if axis is None:
        flat_shape = (int(np.prod(shape)),)
        return np.reshape(unrepeat(g, np.zeros(flat_shape), repeats, 0), shape)
    axis = int(axis) % len(shape)
    n = shape[axis]
    counts = np.asarray(repeats)
    if counts.size == 1:
        split = shape[:axis] + (n, int(counts.reshape(()))) + shape[axis + 1:]
        return np.sum(np.reshape(g, split), axis=axis + 1)
    owner = np.repeat(np.arange(n), counts)
    adjoint = np.zeros((n,) + shape[:axis] + shape[axis + 1:], dtype=g.dtype)
    np.add.at(adjoint, owner, np.moveaxis(g, axis, 0))
    return np.moveaxis(adjoint, 0, axis)


# ---- padding -----------------------------------------------------------------------

#: modes in which every padded value is a copy of one input element
_COPY_MODES = ("edge", "reflect", "symmetric", "wrap")


def _pad_mode(mode: Any, reflect_type: str) -> None:
    if mode == "constant" or mode in _COPY_MODES and reflect_type == "even":
        return
    raise NotImplementedError(
        located(f"derivatives of np.pad support modes 'constant', 'edge', 'reflect', 'symmetric' "
                f"and 'wrap' (with reflect_type='even'), not mode={mode!r}, "
                f"reflect_type={reflect_type!r}"))


def unpad(g: Any, array: Any, pad_width: Any, mode: Any = "constant",
          reflect_type: str = "even") -> Any:
    """Adjoint of ``np.pad(array, pad_width, mode)``.

    Constant padding: the interior of ``g``. The copying modes: every padded position
    adds its adjoint to the element it copies.

    >>> unpad(np.arange(5.0), np.zeros(3), 1, "edge")
    array([1., 2., 7.])
    """
    _pad_mode(mode, reflect_type)
    shape = np.shape(array)
    source = np.arange(int(np.prod(shape))).reshape(shape)
    g = np.asarray(g)
    if mode == "constant":
        inside = np.pad(source, pad_width, mode="constant", constant_values=-1) >= 0
        return np.reshape(g[inside], shape)
    copied = np.pad(source, pad_width, mode=mode)
    return scatter_sum(g, copied, shape)


def pad_tangent(array_dot: Any, pad_width: Any, mode: Any = "constant",
                reflect_type: str = "even") -> Any:
    """JVP of ``np.pad``: the tangent padded alike, with zeros as the constant."""
    _pad_mode(mode, reflect_type)
    if mode == "constant":
        return np.pad(array_dot, pad_width, mode="constant")
    return np.pad(array_dot, pad_width, mode=mode)


def pad_constant_adjoint(g: Any, array: Any, pad_width: Any, constant_values: Any) -> Any:
    """Adjoint of the ``constant_values`` of a constant ``np.pad``: for each value, the sum
    of ``g`` over the region it fills (later axes own the corners, as in np.pad)."""
    shape = np.shape(array)
    ndim = len(shape)
    labels = np.arange(2 * ndim).reshape(ndim, 2)
    regions = np.pad(np.full(shape, 2 * ndim), pad_width, mode="constant",
                     constant_values=labels)
    sums = scatter_sum(g, regions, (2 * ndim + 1,))[:-1].reshape(ndim, 2)
    adjoint = unbroadcast(sums, np.asarray(constant_values))
    if isinstance(constant_values, (tuple, list)):
        return _nested_like(adjoint, constant_values)
    if isinstance(constant_values, (float, int)):
        return float(adjoint)
    return adjoint


def _nested_like(values: Any, like: Any) -> Any:
    if isinstance(like, (tuple, list)):
        values = np.reshape(values, (len(like),) + np.shape(values)[-np.ndim(like) + 1:]
                            if np.ndim(like) > 1 else (len(like),))
        parts = [_nested_like(values[i], item) for i, item in enumerate(like)]
        return parts if isinstance(like, list) else tuple(parts)
    return float(values) if isinstance(like, (float, int)) else values


def scatter_sum(g: Any, index: Any, shape: tuple) -> np.ndarray:
    """An array of ``shape`` where element ``k`` (in C order) is the sum of the entries of
    ``g`` whose ``index`` is ``k``: the adjoint of gathering ``x.ravel()[index]``.

    >>> scatter_sum(np.array([1.0, 2.0, 4.0]), np.array([0, 2, 0]), (3,))
    array([5., 0., 2.])
    """
    g = np.asarray(g)
    index = np.ravel(index)
    size = int(np.prod(shape))
    values = np.ravel(np.broadcast_to(g, np.shape(index) if g.ndim == 0 else g.shape))
    if values.dtype.kind == "c":
        real = np.bincount(index, weights=values.real, minlength=size)
        imag = np.bincount(index, weights=values.imag, minlength=size)
        total = (real + 1j * imag).astype(values.dtype, copy=False)
    elif values.dtype.kind == "f":
        total = np.bincount(index, weights=values, minlength=size).astype(values.dtype,
                                                                         copy=False)
    else:
        total = np.bincount(index, weights=values, minlength=size)
    return np.reshape(total, shape)


# ---- diagonals and triangles -------------------------------------------------------


def _diagonal_index(rows: int, cols: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    length = max(min(rows + min(offset, 0), cols - max(offset, 0)), 0)
    start_row, start_col = max(-offset, 0), max(offset, 0)
    return np.arange(start_row, start_row + length), np.arange(start_col, start_col + length)


def undiagonal(g: Any, a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """Adjoint of ``np.diagonal(a, offset, axis1, axis2)``: zeros with ``g`` written on
    that diagonal (``g`` may also broadcast against it, as for np.trace).

    >>> undiagonal(np.array([1.0, 2.0]), np.zeros((2, 3)), offset=1)
    array([[0., 1., 0.],
           [0., 0., 2.]])
    """
    shape = np.shape(a)
    g = np.asarray(g)
    adjoint = np.zeros(shape, dtype=g.dtype if g.dtype.kind in "fc" else _float_dtype(a))
    view = np.moveaxis(adjoint, (axis1, axis2), (-2, -1))
    rows, cols = _diagonal_index(view.shape[-2], view.shape[-1], int(offset))
    view[..., rows, cols] = g
    return adjoint


def undiag(g: Any, v: Any, k: int = 0) -> Any:
    """Adjoint of ``np.diag(v, k)``: for 1-D ``v`` the k-th diagonal of ``g``, for 2-D
    ``v`` zeros shaped like ``v`` with ``g`` on that diagonal."""
    if np.ndim(v) == 1:
        return np.diagonal(g, k).copy()
    return undiagonal(g, v, k)


def concatenate_like(c: Any, arrays: Any, axis: Any, g: Any) -> Any:
    """The transpose of ``unconcatenate(g, arrays, axis)``: the pieces ``c`` (one per
    array, a zero for some) joined again in ``g``'s shape.

    >>> concatenate_like((np.ones(2), 0.0), (np.zeros(2), np.zeros(1)), 0, np.zeros(3))
    array([1., 1., 0.])
    """
    pieces = [np.ravel(np.broadcast_to(piece, np.shape(x))) if axis is None
              else np.broadcast_to(piece, np.shape(x)) for piece, x in zip(c, arrays)]
    joined = np.concatenate(pieces, axis=0 if axis is None else axis)
    return np.reshape(joined, np.shape(g))


def array_like(c: Any, obj: Any, g: Any) -> Any:
    """The transpose of ``unarray(g, obj)``: the adjoints ``c`` (in ``obj``'s structure,
    a zero for some pieces) as one array of ``g``'s shape.

    >>> array_like([np.ones(2), 0.0], [np.zeros(2), np.zeros(2)], np.zeros((2, 2)))
    array([[1., 1.],
           [0., 0.]])
    """
    if isinstance(obj, (list, tuple)):
        if not isinstance(c, (list, tuple)):  # a zero for the whole structure
            c = [c] * len(obj)
        shape = _nested_shape(obj)
        parts = [array_like(part, item, np.zeros(shape[1:])) for part, item in zip(c, obj)]
        stacked = np.stack(parts) if parts else np.zeros(shape)
        return np.reshape(stacked, np.shape(g))
    return np.reshape(np.broadcast_to(c, np.shape(obj)), np.shape(g))


def _promoted(tup: Any, kind: str) -> tuple[list[tuple], int]:
    """The shapes ``np.hstack``/``vstack``/``dstack``/``column_stack`` give the arrays
    of ``tup`` before joining them, and the axis they join along."""
    if kind == "h":
        shapes = [np.shape(np.atleast_1d(x)) for x in tup]
        return shapes, 0 if len(shapes[0]) == 1 else 1
    if kind == "v":
        return [np.shape(np.atleast_2d(x)) for x in tup], 0
    if kind == "d":
        return [np.shape(np.atleast_3d(x)) for x in tup], 2
    return [np.shape(x) if np.ndim(x) >= 2 else (np.size(x), 1) for x in tup], 1


def unstacked(g: Any, tup: Any, kind: str) -> tuple:
    """``unhstack``, ``unvstack``, ``undstack`` or ``uncolumn_stack`` (``kind`` "h", "v",
    "d" or "column"): the adjoint of a stacking, one piece per array of ``tup``."""
    promoted, axis = _promoted(tup, kind)
    return _unjoin(g, tup, promoted, axis)


def restacked(c: Any, tup: Any, kind: str, g: Any) -> Any:
    """The transpose of ``unstacked(g, tup, kind)``: the pieces ``c`` (a zero for some)
    stacked again in ``g``'s shape.

    >>> restacked((np.ones(2), 0.0), (np.zeros(2), np.zeros(2)), "v", np.zeros((2, 2)))
    array([[1., 1.],
           [0., 0.]])
    """
    promoted, axis = _promoted(tup, kind)
    pieces = [np.reshape(np.broadcast_to(piece, np.shape(x)), shape)
              for piece, x, shape in zip(c, tup, promoted)]
    return np.reshape(np.concatenate(pieces, axis=axis), np.shape(g))


# ---- vander, linspace and meshgrid -------------------------------------------------


def vander_exponents(x: Any, N: Any = None, increasing: bool = False) -> np.ndarray:  # noqa: N803
    """The power of ``x`` in each column of ``np.vander(x, N, increasing)``, as numbers of
    ``x``'s precision.

    >>> vander_exponents(np.zeros(3)), vander_exponents(np.zeros(3), 2, True)
    (array([2., 1., 0.]), array([0., 1.]))
    """
    count = np.shape(x)[0] if N is None else int(N)
    powers = np.arange(count).astype(_float_dtype(as_array(x)))
    return powers if increasing else powers[::-1]


def linspace_weights(ans: Any, num: Any, endpoint: bool = True, axis: int = 0,
                     retstep: bool = False) -> np.ndarray:
    """The weight of ``stop`` in each value of ``np.linspace(start, stop, num, endpoint,
    axis=axis)`` (``start``'s is one minus it), shaped to broadcast against the result.

    >>> linspace_weights(np.zeros((3, 2)), 3, axis=0)
    array([[0. ],
           [0.5],
           [1. ]])
    """
    if retstep:
        linspace_refused("retstep=True")
    if np.asarray(ans).dtype.kind not in "fc":
        linspace_refused(f"an integer dtype ({np.asarray(ans).dtype})")
    shape = [1] * np.ndim(ans)
    shape[int(axis) % np.ndim(ans)] = int(num)
    weights = np.linspace(0.0, 1.0, int(num), endpoint)
    if int(num) == 1:
        weights = np.zeros(1)
    return np.reshape(weights, shape).astype(np.finfo(np.asarray(ans).dtype).dtype)


def linspace_zero(x: Any, ans: Any, retstep: bool = False) -> Any:
    """A zero in place of ``np.linspace``'s ``start`` or ``stop`` ``x``, for the tangent
    along the other one (which ``linspace_weights`` checks first)."""
    linspace_weights(ans[0] if retstep else ans, 1, retstep=retstep)
    return zeros_like(x)


def linspace_refused(what: str) -> None:
    """Raise: ``np.linspace`` with ``what`` has no derivative in its end points."""
    raise NotImplementedError(located(
        f"s2sad: np.linspace with {what} has no derivative in start or stop; take the step "
        "as (stop - start) / (num - 1) and cast the result yourself"))


def meshgrid_axis(i: int, count: int, indexing: str) -> int:
    """The axis along which the ``i``-th of ``count`` coordinates varies in
    ``np.meshgrid``'s result (``indexing='xy'`` exchanges the first two)."""
    if indexing == "xy" and count > 1 and i < 2:
        return 1 - i
    return i


def unmeshgrid(g: Any, xi: tuple, sparse: bool = False, indexing: str = "xy") -> tuple:
    """Adjoint of ``np.meshgrid(*xi, sparse=sparse, indexing=indexing)``: each grid's
    adjoint summed over every axis but the one its coordinates vary along (a None adjoint
    gives zeros).

    >>> unmeshgrid((np.ones((2, 3)), None), (np.zeros(3), np.zeros(2)))
    (array([2., 2., 2.]), array([0., 0.]))
    """
    adjoints = []
    for i, (part, x) in enumerate(zip(g, xi)):
        if part is None:
            adjoints.append(zeros_like(x))
            continue
        axis = meshgrid_axis(i, len(xi), indexing)
        others = tuple(k for k in range(np.ndim(part)) if k != axis)
        adjoints.append(match(np.reshape(np.sum(part, axis=others), np.shape(x)), x))
    return tuple(adjoints)


def meshgrid_of(c: Any, xi: tuple, sparse: bool = False, indexing: str = "xy") -> tuple:
    """``np.meshgrid`` of the adjoints ``c`` of ``xi`` (a None adjoint as zeros): the
    transpose of :func:`unmeshgrid`."""
    parts = [zeros_like(x) if part is None else part for part, x in zip(c, xi)]
    return tuple(np.meshgrid(*parts, sparse=sparse, indexing=indexing))


# ---- tolist ------------------------------------------------------------------------


def untolist(g: Any, a: Any) -> Any:
    """Adjoint of ``a.tolist()``: the (nested) list's adjoint as an array of ``a``'s shape,
    a None entry (an item never read) as zero.

    >>> untolist([[1.0, None], [None, 2.0]], np.zeros((2, 2)))
    array([[1., 0.],
           [0., 2.]])
    """
    values = np.asarray(_without_none(g))
    values = values.astype(np.result_type(values, _float_dtype(as_array(a))))
    return np.broadcast_to(values, np.shape(a)).copy()


def tolist_tangent(a_dot: Any, a: Any) -> Any:
    """The tangent of ``a.tolist()``: the tangent's items in the same nested lists (a
    Python number for an array of no dimensions)."""
    return np.broadcast_to(as_array(a_dot), np.shape(a)).tolist()


def _without_none(g: Any) -> Any:
    if g is None:
        return 0.0
    if isinstance(g, (list, tuple)):
        return [_without_none(part) for part in g]
    return g

