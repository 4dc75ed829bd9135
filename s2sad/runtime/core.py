"""Helpers that generated code and rule templates call.

Only NumPy is needed to run them. Each helper is small and handles the three kinds of
value derivatives flow through: Python scalars, NumPy arrays (and NumPy scalars), and
tuples/lists/dicts of those.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from s2sad.runtime.duck import is_duck_array, is_real_duck_scalar, spread_like
from s2sad.runtime.located import located
from s2sad.runtime.rank_one import RankOne, unbroadcast_rank_one
from s2sad.runtime.records import field_names, is_record, rebuilt

_SCALARS = (float, int, complex)


def conj(x: Any) -> Any:
    """The complex conjugate of ``x``; a real array or number comes back as is (no copy).

    Rules multiply an adjoint by the conjugated derivative (the convention for complex
    values is ``g = dL/dRe + i dL/dIm``); for real values this costs nothing.

    >>> a = np.ones(2)
    >>> conj(a) is a, conj(1 + 2j)
    (True, (1-2j))
    """
    if type(x) is np.ndarray:
        return x.conjugate()  # itself unless it is complex
    if isinstance(x, (float, int)):  # also np.float64 and bool
        return x
    if isinstance(x, (np.ndarray, complex)):
        return x.conjugate()
    return np.conj(x)


def real_adjoint(g: Any) -> Any:
    """The adjoint of a real value: the real part of ``g`` (a real ``g`` as is).

    A real value that meets complex ones (``1j * np.real(z)``) gets complex contributions;
    only their real parts are derivatives of a real variable, and a rule turning a real
    result back into its complex argument (``real``, ``abs``, ``angle``, ``irfft``) must
    read only those.

    >>> real_adjoint(np.array([1 + 2j])), real_adjoint(2.0), real_adjoint(1j)
    (array([1.]), 2.0, 0.0)
    """
    if type(g) is np.ndarray:
        return g.real if g.dtype.kind == "c" else g
    if isinstance(g, (float, int)):
        return g
    if isinstance(g, complex):  # also np.complex128
        return g.real
    if type(g) is RankOne:
        return g if g.dtype.kind != "c" else np.real(g.dense())
    return np.real(g)


def all_real(*values: Any) -> bool:
    """Whether every value is a real number or array (not complex), nested in tuples, lists
    and dicts too: the test before code specialized for real values.

    >>> all_real(1.0, np.ones(2), [2, np.float32(1)]), all_real(np.ones(2) * 1j)
    (True, False)
    """
    for value in values:
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biuf":
                return False
        elif isinstance(value, (float, int, np.floating, np.integer, np.bool_)):
            continue
        elif isinstance(value, (tuple, list)):
            if not all_real(*value):
                return False
        elif isinstance(value, dict):
            if not all_real(*value.values()):
                return False
        elif is_record(value):
            if not all_real(*(getattr(value, name) for name in field_names(value))):
                return False
        elif is_duck_array(value):  # a Dask array, say
            if np.dtype(value.dtype).kind not in "biuf":
                return False
        elif value is not None and not isinstance(value, str):
            return False
    return True


def real_numbers(*values: Any) -> bool:
    """Whether every value is a real Python number: the test before real scalar code that
    reads free values (globals, closure variables).

    >>> real_numbers(2.0, 3), real_numbers(2j), real_numbers(np.ones(2))
    (True, False, False)
    """
    for value in values:
        if not isinstance(value, (float, int)):
            return False
    return True


def check_sequence(values: Any, least: int | None = None) -> None:
    """Raise unless ``values`` can be read by position: s2sad runs ``for x in values`` as
    ``values[0], values[1], ...``, which for a dict, a set or a generator would not be the
    iteration Python does. Given ``least``, the check of a starred unpacking
    (``a, *b = values``): ``values`` must hold at least ``least`` items, as Python says.

    >>> check_sequence([1.0, 2.0])
    >>> check_sequence({"a": 1.0})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    TypeError: s2sad loops over lists, ... by position, not over a dict; loop over list(...) ...
    >>> check_sequence((1.0,), least=2)
    Traceback (most recent call last):
    ValueError: not enough values to unpack (expected at least 2, got 1)
    """
    if not isinstance(values, (list, tuple, np.ndarray, range, str)):
        raise TypeError(located("s2sad loops over lists, tuples, arrays, ranges and strings by "
                                f"position, not over a {type(values).__name__}; loop over "
                                "list(...) of it instead"))
    if least is not None and len(values) < least:
        raise ValueError(f"not enough values to unpack (expected at least {least}, got "
                         f"{len(values)})")


def unbroadcast(g: Any, x: Any) -> Any:
    """Sum ``g`` down to the shape of ``x``: the adjoint of NumPy broadcasting.

    >>> unbroadcast(np.ones((2, 3)), np.zeros(3))
    array([2., 2., 2.])
    >>> unbroadcast(np.ones((2, 3)), 1.5), unbroadcast(np.array([1 + 2j, 1j]), 2j)
    (6.0, (1+3j))
    """
    if type(g) is np.ndarray and type(x) is np.ndarray and g.shape == x.shape:
        return g  # the common case, without np.shape's overhead
    if type(g) in (list, tuple) and type(x) in (list, tuple) and len(g) != len(x):
        _sequence_arithmetic(x)
    shape = x.shape if isinstance(x, (np.ndarray, np.generic)) else np.shape(x)
    gshape = g.shape if isinstance(g, (np.ndarray, np.generic, RankOne)) else np.shape(g)
    if gshape == shape:
        return g
    if type(g) is RankOne:  # rows or columns summed stay vectors
        summed = unbroadcast_rank_one(g, shape)
        if summed is not None:
            return _as_scalar_of(summed, x)
        g = g.dense()
    if not shape:
        total = g.sum() if type(g) is np.ndarray else np.sum(g)
        return _as_scalar_of(total, x)
    if type(g) is np.ndarray and g.ndim == len(shape):  # only axes of length 1 to sum
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
        return _sum_axes(g, axes, keepdims=True) if axes else g
    if type(g) is not np.ndarray and not is_duck_array(g):
        g = np.asarray(g)
    extra = g.ndim - len(shape)
    if extra < 0:
        return spread_like(g, x) if is_duck_array(x) else np.broadcast_to(g, shape).copy()
    if extra:
        g = _sum_axes(g, tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = _sum_axes(g, axes, keepdims=True)
    return g


def _sequence_arithmetic(x: Any) -> None:
    """Raise: ``+`` or ``*`` joined or repeated lists or tuples that the code did not show
    to be sequences, and whose derivative was built as arithmetic's."""
    from s2sad.errors import AmbiguousSequenceError

    raise AmbiguousSequenceError(
        located(f"+ or * of a {type(x).__name__}: s2sad could not tell from the code that these "
                "values are sequences, and differentiated the operation as arithmetic; write "
                "list(a) + list(b) or list(a) * n (or a list or tuple display) so the "
                "concatenation or repetition is visible"))


def _as_scalar_of(total: Any, x: Any) -> Any:
    """A sum of adjoints as the adjoint of the Python number ``x``: a Python complex for a
    complex ``x``, a float for any other (a NumPy complex scalar's sum stays complex).

    >>> complex(_as_scalar_of(np.complex128(1 + 2j), np.complex128(0j)))
    (1+2j)
    """
    if type(x) is complex:
        return complex(total)
    if isinstance(x, complex):  # np.complex128
        return total
    return float(total) if isinstance(x, _SCALARS) else total


def _sum_axes(g: np.ndarray, axes: tuple[int, ...], keepdims: bool = False) -> np.ndarray:
    """``g.sum(axis=axes)``; a matrix's rows or columns are summed as a product with ones,
    several times faster than NumPy's reduction along a short axis.

    >>> _sum_axes(np.arange(6.0).reshape(2, 3), (1,), keepdims=True)
    array([[ 3.],
           [12.]])
    """
    if g.ndim == 2 and len(axes) == 1 and g.dtype.kind in "fc":
        if axes[0] == 1:
            total = g @ np.ones(g.shape[1], dtype=g.dtype)
            return total[:, None] if keepdims else total
        total = np.ones(g.shape[0], dtype=g.dtype) @ g
        return total[None, :] if keepdims else total
    return g.sum(axis=axes, keepdims=keepdims)


def broadcast_like(v: Any, ans: Any) -> Any:
    """Broadcast the tangent ``v`` to the shape of the result ``ans`` when it is smaller.

    >>> broadcast_like(np.ones(2), np.zeros((3, 2))).shape
    (3, 2)
    """
    if type(v) in (list, tuple) and type(ans) in (list, tuple) and len(v) != len(ans):
        _sequence_arithmetic(v)
    shape = np.shape(ans)
    if np.shape(v) == shape:
        return v
    return np.broadcast_to(v, shape)


def unreduce(g: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """Broadcast ``g``, the adjoint of a reduction of ``x`` over ``axis``, to ``x``'s shape.

    >>> unreduce(np.array([1.0, 2.0]), np.zeros((2, 3)), axis=1)
    array([[1., 1., 1.],
           [2., 2., 2.]])
    """
    if isinstance(x, (np.ndarray, np.generic)):
        shape = x.shape
    elif is_duck_array(x):  # a Dask array: spread lazily, in its chunks
        if not keepdims and axis is not None and np.ndim(g):
            g = np.expand_dims(g, _normalize_axes(axis, x.ndim))
        return spread_like(g, x)
    else:
        shape = np.shape(x)
    if isinstance(g, (float, complex, np.generic)):  # a full reduction: filled
        filled = np.empty(shape, np.float64 if type(g) is float else np.result_type(g))
        filled.fill(g)  # as np.full does, without its Python layers
        return filled
    if keepdims and type(g) is np.ndarray:
        return np.broadcast_to(g, shape)
    if not keepdims and axis is not None:
        g = np.expand_dims(g, _normalize_axes(axis, len(shape)))
    return np.broadcast_to(g, shape)


def _normalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % ndim for a in axes))


def zeros_like(x: Any) -> Any:
    """A zero of the same structure, shape and float dtype as ``x``.

    >>> zeros_like((1.0, np.ones(2, dtype=np.float32)))
    (0.0, array([0., 0.], dtype=float32))
    """
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "fc":
            return np.zeros_like(x)
        return np.zeros(x.shape)
    if isinstance(x, (float, int)) or x is None:
        return 0.0
    if isinstance(x, np.generic):
        return x.dtype.type(0) if x.dtype.kind in "fc" else 0.0
    if isinstance(x, complex):
        return 0j
    if is_record(x):
        return rebuilt(x, {f: zeros_like(getattr(x, f)) for f in field_names(x)})
    if isinstance(x, tuple):
        return tuple(zeros_like(v) for v in x)
    if isinstance(x, list):
        return [zeros_like(v) for v in x]
    if isinstance(x, dict):
        return {k: zeros_like(v) for k, v in x.items()}
    if isinstance(x, numbers.Number):
        return 0.0
    return np.zeros_like(x, dtype=float)


def add(a: Any, b: Any) -> Any:
    """Add two adjoints of the same structure; ``None`` stands for zero."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(b, (tuple, list, dict)) and isinstance(a, float) and a == 0.0:
        return b  # a: the zero adjoint of a variable that held None before the structure
    if is_record(a):
        return rebuilt(a, {f: add(getattr(a, f), getattr(b, f)) for f in field_names(a)})
    if isinstance(a, tuple):
        return tuple(add(u, v) for u, v in zip(a, b))
    if isinstance(a, list):
        return [add(u, v) for u, v in zip(a, b)]
    if isinstance(a, dict):
        return {k: add(a[k], b.get(k)) for k in a}
    return a + b


def match(g: Any, x: Any) -> Any:
    """Give the derivative ``g`` exactly the type and dtype kind of its primal ``x``.

    A Python float stays a Python float, a float32 array stays float32, structures are
    matched element by element and a missing (``None``) derivative becomes a zero. The
    derivative of a real input is the real part of a complex adjoint. A scalar zero
    spreads to the input's shape; any other shape mismatch is an error, never a broadcast.

    >>> match(np.float64(2.0), 1.0), match(np.ones(2), np.ones(2, np.float32)).dtype
    (2.0, dtype('float32'))
    >>> match(np.array([1 + 2j]), np.zeros(1))
    array([1.])
    """
    if type(g) is float and type(x) is float:
        return g
    if g is None:
        return zeros_like(x)
    if isinstance(x, np.ndarray):
        if type(g) is np.ndarray and g.dtype == x.dtype and g.shape == x.shape:
            return g
        return _matched_array(g, x)
    if isinstance(x, (float, int, np.generic)) and not isinstance(x, (complex, np.complexfloating)):
        return _matched_real_number(g, x)
    if isinstance(x, np.generic):
        return x.dtype.type(g)
    if isinstance(x, complex):
        return complex(g)
    if is_record(x):
        return rebuilt(x, {f: match(getattr(g, f, None) if is_record(g) else None,
                                    getattr(x, f)) for f in field_names(x)})
    if isinstance(x, (tuple, list)):
        if len(g) != len(x):
            raise ValueError(
                f"s2sad: a derivative of {len(g)} items for a {type(x).__name__} of {len(x)}:"
                f" a {type(x).__name__} given where NumPy reads an array? Pass np.asarray(...)"
                " instead; if not, please report this")
        items = [match(u, v) for u, v in zip(g, x)]
        return tuple(items) if isinstance(x, tuple) else items
    if isinstance(x, dict):
        return {k: match(g.get(k) if isinstance(g, dict) else None, v) for k, v in x.items()}
    if is_duck_array(x):
        return _matched_duck_array(g, x)
    return g


def _matched_duck_array(g: Any, x: Any) -> Any:
    """``match`` for ``x`` an array of another library (a Dask array): ``g`` as an array of
    that library, real for a real ``x``, of ``x``'s float dtype and shape."""
    if type(g) is RankOne:
        g = g.dense()
    kind = np.dtype(x.dtype).kind
    if kind != "c" and np.iscomplexobj(g):
        g = np.real(g)
    if type(g) is not type(x):
        g = np.asarray(g, like=x)
    dtype = x.dtype if kind in "fc" else np.float64
    if g.dtype != dtype:
        g = g.astype(dtype)
    if g.shape != x.shape:
        if g.ndim:
            from s2sad.errors import S2sadError

            raise S2sadError(f"internal error: a derivative of shape {g.shape} for an "
                             f"argument of shape {x.shape}; please report this")
        g = spread_like(g, x)
    return g


def _matched_array(g: Any, x: np.ndarray) -> np.ndarray:
    """``match`` for an array ``x``: ``g`` dense, real for a real ``x``, of ``x``'s dtype (a
    float one) and shape, a scalar spread to it."""
    if type(g) is RankOne:
        g = g.dense()
    if x.dtype.kind != "c" and np.iscomplexobj(g):
        g = np.real(g)
    dtype = x.dtype if x.dtype.kind in "fc" else np.float64
    g = np.asarray(g, dtype=dtype)
    if g.shape != x.shape:
        if g.ndim:
            from s2sad.errors import S2sadError

            raise S2sadError(f"internal error: a derivative of shape {g.shape} for an "
                             f"argument of shape {x.shape}; please report this")
        g = np.full(x.shape, g, dtype=dtype)
    return g


def _matched_real_number(g: Any, x: Any) -> Any:
    """``match`` for a real number ``x``: the real part of ``g``, a Python float for a
    Python number, ``x``'s type for a NumPy float, else a float64."""
    if np.iscomplexobj(g):
        g = np.real(g)
    if isinstance(x, np.generic):
        return x.dtype.type(g) if x.dtype.kind == "f" else np.float64(g)
    return g if type(g) is float else float(g)


def add_at(x: Any, index: Any, g: Any) -> np.ndarray:
    """Adjoint of the read ``x[index]``: zeros shaped like ``x`` with ``g`` scattered in.

    Repeated indices accumulate, as ``np.add.at`` does.

    >>> add_at(np.zeros(3), np.array([0, 0, 2]), np.ones(3))
    array([2., 0., 1.])
    """
    out = np.zeros(np.shape(x), dtype=_float_dtype(x))
    np.add.at(out, index, g)
    return out


def _float_dtype(x: Any) -> Any:
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind in "fc":
        return dtype
    return np.float64


def check_scalar(y: Any, function_name: str) -> None:
    """Raise a clear error unless ``grad``'s output ``y`` is a real floating scalar (a float,
    a NumPy floating scalar or an array of shape ``()``; JAX's rule)."""
    if type(y) is float or type(y) is np.float64:
        return
    if isinstance(y, (float, np.floating)) and not isinstance(y, bool) or isinstance(
            y, np.ndarray) and y.shape == () and y.dtype.kind == "f":
        return
    if is_real_duck_scalar(y):  # a Dask array of shape (), say
        return
    from s2sad.errors import NonScalarOutputError

    raise NonScalarOutputError(located(f"grad({function_name}) needs a real scalar output, but "
                                       f"{function_name} returned {output_kind(y)}; "
                                       + _output_hint(y, function_name)))


def output_kind(y: Any) -> str:
    """What ``y`` is, in words, for an error about a function's output."""
    if isinstance(y, (tuple, list, dict)):
        return f"a {type(y).__name__} of {len(y)} values"
    if isinstance(y, np.ndarray) and y.shape != ():
        return f"an array of shape {y.shape} and dtype {y.dtype}"
    kind = getattr(np.asarray(y), "dtype", np.dtype(object)).kind if _plain(y) else "O"
    return {"b": "a bool", "i": "an integer", "u": "an integer",
            "c": "a complex number"}.get(kind, f"a {type(y).__name__}")


def _plain(y: Any) -> bool:
    return isinstance(y, (numbers.Number, np.generic, np.ndarray))


def _output_hint(y: Any, function_name: str) -> str:
    kind = np.asarray(y).dtype.kind if _plain(y) else "O"
    if kind == "c" and np.ndim(y) == 0:
        return ("use s2sad.vjp or s2sad.jacrev for complex outputs, or "
                f"s2sad.grad({function_name}, holomorphic=True) if {function_name} is "
                "holomorphic (the gradient is then the complex derivative)")
    if kind in "biu" and np.ndim(y) == 0:
        return ("an integer or a comparison has no gradient; if the function is "
                "differentiable, pass floating-point arguments (3.0, not 3)")
    if isinstance(y, np.ndarray) and y.size == 1:
        return ("an array of size 1 is not a scalar: return y[0] or y.item(), or reduce "
                "without keepdims")
    return "use s2sad.vjp for non-scalar outputs, or s2sad.jacrev for the full Jacobian"


_ZEROS = np.zeros(8)  # 64 zero bytes: one element of any numeric dtype, strided by 0
_ZEROS.flags.writeable = False  # and so are the arrays made over it


def shape_only(x: Any) -> Any:
    """What the reverse sweep keeps of a value it reads only for its shape and dtype: an
    array of ``x``'s shape and dtype that holds no memory (every element the same zero,
    read-only). Anything but a numeric array, and an array of at most 16 kB (cheaper to
    keep than to replace), is kept as it is.

    >>> kept = shape_only(np.ones((1000, 10), dtype=np.float32))
    >>> kept.shape, kept.dtype, kept.nbytes > 0, kept.base.nbytes
    ((1000, 10), dtype('float32'), True, 64)
    """
    if type(x) is not np.ndarray or x.nbytes <= 16384 or x.dtype.kind not in "biufc" \
            or x.itemsize > 64:
        return x
    key = (x.shape, x.dtype)
    kept = _STAND_INS.get(key)
    if kept is None:  # one stand-in per shape and dtype: it is read-only
        if len(_STAND_INS) > 256:
            _STAND_INS.clear()
        kept = _STAND_INS[key] = np.ndarray(x.shape, x.dtype, _ZEROS, 0, (0,) * x.ndim)
    return kept


_STAND_INS: dict[tuple, np.ndarray] = {}
