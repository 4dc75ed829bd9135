"""Run-time helpers for the derivatives of products: dot, inner, matmul, tensordot,
einsum, kron and cross.

Complex operands follow the adjoint convention ``g = dL/dRe + i dL/dIm``: the adjoint of
an operand of a (holomorphic) product is ``g`` contracted with the *conjugates* of the
other operands.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from s2sad.runtime.core import conj, unbroadcast
from s2sad.runtime.duck import as_array
from s2sad.runtime.located import located

# ---- tensordot, and dot / inner as special cases ---------------------------------------


def _tensordot_axes(axes: Any, a_ndim: int, b_ndim: int) -> tuple[list[int], list[int]]:
    """NumPy's ``axes`` argument of tensordot as two lists of non-negative axes."""
    try:
        axes_a, axes_b = axes
    except TypeError:
        count = int(axes)
        return list(range(a_ndim - count, a_ndim)), list(range(count))
    axes_a = [axes_a] if np.ndim(axes_a) == 0 else list(axes_a)
    axes_b = [axes_b] if np.ndim(axes_b) == 0 else list(axes_b)
    return [int(i) % a_ndim for i in axes_a], [int(i) % b_ndim for i in axes_b]


def tensordot_adjoint_a(g: Any, a: Any, b: Any, axes: Any = 2) -> Any:
    """Adjoint of ``a`` in ``np.tensordot(a, b, axes)``.

    >>> a, b = np.ones((2, 3)), np.ones((3, 4))
    >>> tensordot_adjoint_a(np.ones((2, 4)), a, b, 1).shape
    (2, 3)
    """
    a, b = as_array(a), as_array(b)
    axes_a, axes_b = _tensordot_axes(axes, a.ndim, b.ndim)
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]
    g = as_array(g)
    partial = np.tensordot(g, conj(b), axes=(list(range(len(free_a), g.ndim)), free_b))
    # The trailing axes of ``partial`` are b's contracted axes in increasing order.
    order = free_a + [axes_a[axes_b.index(j)] for j in sorted(axes_b)]
    return np.transpose(partial, np.argsort(order))


def tensordot_adjoint_b(g: Any, a: Any, b: Any, axes: Any = 2) -> Any:
    """Adjoint of ``b`` in ``np.tensordot(a, b, axes)``.

    >>> a, b = np.ones((2, 3)), np.ones((3, 4))
    >>> tensordot_adjoint_b(np.ones((2, 4)), a, b, 1).shape
    (3, 4)
    """
    a, b = as_array(a), as_array(b)
    axes_a, axes_b = _tensordot_axes(axes, a.ndim, b.ndim)
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]
    partial = np.tensordot(conj(a), g, axes=(free_a, list(range(len(free_a)))))
    # The leading axes of ``partial`` are a's contracted axes in increasing order.
    order = [axes_b[axes_a.index(i)] for i in sorted(axes_a)] + free_b
    return np.transpose(partial, np.argsort(order))


def _dot_axes(a: Any, b: Any) -> tuple[list[int], list[int]]:
    return [np.ndim(a) - 1], [max(np.ndim(b) - 2, 0)]


def dot_adjoint_a(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``a`` in ``np.dot(a, b)`` (scalars, 1-D, 2-D and N-D operands)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * conj(b), a)
    return tensordot_adjoint_a(g, a, b, _dot_axes(a, b))


def dot_adjoint_b(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``b`` in ``np.dot(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * conj(a), b)
    return tensordot_adjoint_b(g, a, b, _dot_axes(a, b))


def inner_adjoint_a(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``a`` in ``np.inner(a, b)`` (contraction of both last axes)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * conj(b), a)
    return tensordot_adjoint_a(g, a, b, ([-1], [-1]))


def inner_adjoint_b(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``b`` in ``np.inner(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * conj(a), b)
    return tensordot_adjoint_b(g, a, b, ([-1], [-1]))


def outer_adjoint_a(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``a`` in ``np.outer(a, b)``: ``g @ conj(b)`` in ``a``'s shape.

    >>> outer_adjoint_a(np.ones((2, 3)), np.zeros(2), np.arange(3.0))
    array([3., 3.])
    """
    if type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 1 and b.ndim == 1:
        return g @ conj(b)  # the common case, without reshapes
    return np.reshape(g @ conj(np.ravel(b)), np.shape(a))


def outer_adjoint_b(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``b`` in ``np.outer(a, b)``: ``conj(a) @ g`` in ``b``'s shape.

    >>> outer_adjoint_b(np.ones((2, 3)), np.arange(2.0), np.zeros((3, 1)))
    array([[1.],
           [1.],
           [1.]])
    """
    if type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 1 and b.ndim == 1:
        return conj(a) @ g
    return np.reshape(conj(np.ravel(a)) @ g, np.shape(b))


# ---- matmul ------------------------------------------------------------------------


def _matmul_operands(g: Any, x1: Any, x2: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Both operands promoted to matrices (1-D operands as a row / a column) and the
    adjoint of the output reshaped to match."""
    a, b, g = as_array(x1), as_array(x2), as_array(g)
    if b.ndim == 1:
        b = b[:, None]
        g = g[..., None]
    if a.ndim == 1:
        a = a[None, :]
        g = g[..., None, :]
    return g, a, b


_ARRAY = np.ndarray
#: real dtypes whose products need no conjugate, tested by identity (a tuple's ``in``)
_FAST_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def matmul_adjoint_a(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``a`` in ``a @ b``, with NumPy's 1-D promotion and batch broadcasting.

    >>> matmul_adjoint_a(np.ones(2), np.ones((2, 3)), np.arange(3.0))
    array([[0., 1., 2.],
           [0., 1., 2.]])
    >>> matmul_adjoint_a(np.ones((5, 2, 4)), np.ones((2, 3)), np.ones((5, 3, 4))).shape
    (2, 3)
    """
    if type(b) is _ARRAY and type(a) is _ARRAY and a.ndim == 2 == b.ndim \
            and b.dtype in _FAST_FLOATS:  # the common case, without np.ndim's overhead
        return g @ b.T
    a_ndim, b_ndim = np.ndim(a), np.ndim(b)
    if a_ndim == 2 and b_ndim == 2:
        return g @ conj(b).T
    if a_ndim == 2 and b_ndim == 1:
        return np.outer(g, conj(b))
    g2, a2, b2 = _matmul_operands(g, a, b)
    adjoint = np.matmul(g2, np.swapaxes(conj(b2), -1, -2))
    return np.reshape(unbroadcast(adjoint, a2), np.shape(a))


def matmul_adjoint_b(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``b`` in ``a @ b``.

    >>> matmul_adjoint_b(np.ones(2), np.ones((2, 3)), np.arange(3.0))
    array([2., 2., 2.])
    """
    if type(a) is _ARRAY and type(b) is _ARRAY and a.ndim == 2 \
            and 1 <= b.ndim <= 2 and a.dtype in _FAST_FLOATS:
        return a.T @ g
    a_ndim, b_ndim = np.ndim(a), np.ndim(b)
    if a_ndim == 2 and b_ndim in (1, 2):
        return conj(a).T @ g
    g2, a2, b2 = _matmul_operands(g, a, b)
    adjoint = np.matmul(np.swapaxes(conj(a2), -1, -2), g2)
    return np.reshape(unbroadcast(adjoint, b2), np.shape(b))


# ---- kron and cross ----------------------------------------------------------------


def _kron_blocks(g: Any, a: Any, b: Any) -> tuple[np.ndarray, tuple, tuple]:
    """``g`` reshaped to interleaved (a0, b0, a1, b1, ...) axes, and both padded shapes."""
    ndim = max(np.ndim(a), np.ndim(b))
    shape_a = (1,) * (ndim - np.ndim(a)) + np.shape(a)
    shape_b = (1,) * (ndim - np.ndim(b)) + np.shape(b)
    interleaved = tuple(n for pair in zip(shape_a, shape_b) for n in pair)
    return np.reshape(g, interleaved), shape_a, shape_b


def kron_adjoint_a(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``a`` in ``np.kron(a, b)``."""
    blocks, shape_a, shape_b = _kron_blocks(g, a, b)
    ndim = len(shape_a)
    other = np.reshape(conj(b), shape_b)
    adjoint = np.tensordot(blocks, other, axes=(list(range(1, 2 * ndim, 2)), list(range(ndim))))
    return np.reshape(adjoint, np.shape(a))


def kron_adjoint_b(g: Any, a: Any, b: Any) -> Any:
    """Adjoint of ``b`` in ``np.kron(a, b)``."""
    blocks, shape_a, shape_b = _kron_blocks(g, a, b)
    ndim = len(shape_a)
    other = np.reshape(conj(a), shape_a)
    adjoint = np.tensordot(blocks, other, axes=(list(range(0, 2 * ndim, 2)), list(range(ndim))))
    return np.reshape(adjoint, np.shape(b))


def _cross_vectors(g, a, b, axisa, axisb, axisc, axis):
    if axis is not None:
        axisa = axisb = axisc = axis
    a = np.moveaxis(as_array(a), axisa, -1)
    b = np.moveaxis(as_array(b), axisb, -1)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(located("derivatives of np.cross are supported for 3-vectors only"))
    g = np.moveaxis(as_array(g), axisc, -1)
    return g, a, b, axisa, axisb


def cross_adjoint_a(g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Adjoint of ``a`` in ``np.cross(a, b)``: ``<g, a x b> = <a, b x g>``."""
    g, va, vb, axisa, _ = _cross_vectors(g, a, b, axisa, axisb, axisc, axis)
    adjoint = unbroadcast(np.cross(conj(vb), g), va)
    return np.moveaxis(adjoint, -1, axisa)


def cross_adjoint_b(g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Adjoint of ``b`` in ``np.cross(a, b)``: ``<g, a x b> = <b, g x a>``."""
    g, va, vb, _, axisb = _cross_vectors(g, a, b, axisa, axisb, axisc, axis)
    adjoint = unbroadcast(np.cross(g, conj(va)), vb)
    return np.moveaxis(adjoint, -1, axisb)


# ---- convolve ----------------------------------------------------------------------

_CONVOLVE_MODES = ("valid", "same", "full")  # also named 0, 1, 2


def _convolve_offset(n: int, m: int, mode: Any) -> int:
    """Where ``np.convolve``'s ``mode`` result starts in the full convolution."""
    if isinstance(mode, int) and not isinstance(mode, bool) and mode in (0, 1, 2):
        mode = _CONVOLVE_MODES[mode]
    if mode not in _CONVOLVE_MODES:
        raise ValueError(f"np.convolve's mode {mode!r} is none of 'valid', 'same', 'full'")
    return {"full": 0, "same": (min(n, m) - 1) // 2, "valid": min(n, m) - 1}[mode]


def convolve_adjoint(g: Any, a: Any, v: Any, mode: Any = "full") -> Any:
    """The adjoint of ``np.convolve(a, v, mode)`` in ``a`` (exchange ``a`` and ``v`` for
    ``v``'s): ``g`` placed in the full convolution, correlated with ``v``.

    >>> convolve_adjoint(np.array([1.0, 0.0, 0.0]), np.zeros(2), np.array([2.0, 3.0]), "same")
    array([2., 0.])
    """
    n, m = np.size(a), np.size(v)
    g = np.ravel(g)
    full = np.zeros(n + m - 1, dtype=np.result_type(g, v, 0.0))
    start = _convolve_offset(n, m, mode)
    full[start:start + g.size] = g
    return np.reshape(np.correlate(full, np.ravel(v), "valid"), np.shape(a))


# ---- einsum ------------------------------------------------------------------------


def einsum_terms(subscripts: str, shapes: list[tuple]) -> tuple[list[str], str]:
    """The subscripts with every ellipsis spelled out as letters, and the explicit output.

    >>> einsum_terms("ij,jk", [(2, 3), (3, 4)])
    (['ij', 'jk'], 'ik')
    >>> einsum_terms("...i,i->...", [(5, 2, 3), (3,)])
    (['ABi', 'i'], 'AB')
    """
    if not isinstance(subscripts, str):
        raise TypeError(located("derivatives of np.einsum need the subscripts as a string"))
    text = subscripts.replace(" ", "")
    if "->" in text:
        inputs, output = text.split("->")
    else:
        inputs, output = text, None
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum subscripts {subscripts!r} name {len(terms)} operands, "
                         f"but {len(shapes)} were given")
    used = set(text)
    spare = [c for c in string.ascii_uppercase + string.ascii_lowercase if c not in used]
    width = 0
    for term, shape in zip(terms, shapes):
        if "..." in term:
            width = max(width, len(shape) - (len(term) - 3))
    broadcast = "".join(spare[:width])
    spelled = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            count = len(shape) - (len(term) - 3)
            term = term.replace("...", broadcast[width - count:])
        spelled.append(term)
    if output is None:
        labels = "".join(spelled)
        once = sorted(c for c in set(labels) if labels.count(c) == 1 and c not in broadcast)
        output = broadcast + "".join(once)
    else:
        output = output.replace("...", broadcast)
    return spelled, output


def einsum_adjoints(g: Any, subscripts: str, operands: tuple, optimize: Any = False) -> tuple:
    """The adjoints of all operands of ``np.einsum(subscripts, *operands)``, as a tuple.

    Each is an einsum of ``g`` with the other operands; labels repeated within an operand
    ('ii') put the result on that diagonal, and labels summed away in that operand alone
    are broadcast back.

    >>> x = np.arange(4.0).reshape(2, 2)
    >>> einsum_adjoints(1.0, "ii", (x,))
    (array([[1., 0.],
           [0., 1.]]),)
    """
    shapes = [np.shape(op) for op in operands]
    terms, output = einsum_terms(subscripts, shapes)
    conjugated = [conj(op) for op in operands]
    return tuple(
        _einsum_adjoint(i, g, terms, output, conjugated, shapes, optimize)
        for i in range(len(operands))
    )


def _einsum_adjoint(i, g, terms, output, operands, shapes, optimize):
    term, shape = terms[i], shapes[i]
    unique = "".join(dict.fromkeys(term))
    size = {label: shape[term.index(label)] for label in unique}
    other_terms = [t for j, t in enumerate(terms) if j != i]
    others = [op for j, op in enumerate(operands) if j != i]
    available = set(output).union(*other_terms)
    target = "".join(label for label in unique if label in available)
    spec = ",".join([output, *other_terms]) + "->" + target
    result = as_array(np.einsum(spec, g, *others, optimize=optimize))
    # operand axes of length 1 that were broadcast against longer ones
    summed = tuple(k for k, label in enumerate(target)
                   if size[label] == 1 and result.shape[k] != 1)
    if summed:
        result = result.sum(axis=summed, keepdims=True)
    result = np.reshape(result, tuple(size[label] if label in available else 1
                                      for label in unique))
    result = np.broadcast_to(result, tuple(size[label] for label in unique))
    if len(unique) == len(term):
        return result
    # repeated labels: the adjoint lives on the diagonal they select
    adjoint = np.zeros(shape, dtype=result.dtype)
    grids = np.ix_(*(np.arange(size[label]) for label in unique))
    adjoint[tuple(grids[unique.index(label)] for label in term)] = result
    return adjoint


def einsum_tangent(operands_dot: tuple, ans: Any, subscripts: str, operands: tuple,
                   optimize: Any = False) -> Any:
    """The JVP of einsum: the sum over operands of einsum with one operand's tangent."""
    total = None
    for i, tangent in enumerate(operands_dot):
        if tangent is None or not np.any(tangent):
            continue
        replaced = list(operands)
        replaced[i] = tangent
        term = np.einsum(subscripts, *replaced, optimize=optimize)
        total = term if total is None else total + term
    if total is None:
        return np.zeros_like(ans)
    return total


def _replaced(operands: tuple, i: int, value: Any) -> list:
    """``operands`` with the ``i``-th replaced by ``value`` (a zero broadcast to its shape)."""
    replaced = list(operands)
    replaced[i] = np.broadcast_to(value, np.shape(operands[i]))
    return replaced


def _nonzero(value: Any) -> bool:
    return value is not None and bool(np.any(value))


def einsum_adjoints_tangent(t: tuple, g: Any, subscripts: str, operands: tuple,
                            optimize: Any = False) -> tuple:
    """For each operand ``j``, the sum over the others ``i`` of its adjoint with operand
    ``i`` replaced by ``t[i]``: the tangent of ``einsum_adjoints(g, ...)`` along ``t``, and
    (the contraction being symmetric in its factors) its adjoint for the adjoints ``t``.

    >>> x, y = np.ones(2), np.arange(2.0)
    >>> einsum_adjoints_tangent((np.ones(2), np.zeros(2)), 1.0, "i,i", (x, y))
    (array([0., 0.]), array([1., 1.]))
    """
    totals = [np.zeros(np.shape(op), dtype=np.result_type(op, g, float)) for op in operands]
    for i, tangent in enumerate(t):
        if not _nonzero(tangent):
            continue
        adjoints = einsum_adjoints(g, subscripts, tuple(_replaced(operands, i, tangent)),
                                   optimize)
        for j, adjoint in enumerate(adjoints):
            if j != i:
                totals[j] = totals[j] + adjoint
    return tuple(totals)


def einsum_second_tangent(d: tuple, t: tuple, ans: Any, subscripts: str, operands: tuple,
                          optimize: Any = False) -> Any:
    """The tangent along ``t`` of ``einsum_tangent(d, ans, ...)``: the sum over pairs of
    different operands of the einsum with one replaced by ``d`` and the other by ``t``."""
    total = np.zeros(np.shape(ans), dtype=np.result_type(ans, float))
    for i, first in enumerate(d):
        for j, second in enumerate(t):
            if i == j or not (_nonzero(first) and _nonzero(second)):
                continue
            replaced = _replaced(tuple(_replaced(operands, i, first)), j, second)
            total = total + np.einsum(subscripts, *replaced, optimize=optimize)
    return total


# ---- correlate and polyval ---------------------------------------------------------


def correlate_margins(a: Any, v: Any, mode: Any = "valid") -> tuple[int, int]:
    """How many positions of the full correlation of ``a`` and ``v`` lie before and after
    the part ``np.correlate(a, v, mode)`` returns.

    >>> correlate_margins(np.zeros(5), np.zeros(3), "valid")
    (2, 2)
    >>> correlate_margins(np.zeros(2), np.zeros(5), "same")
    (1, 0)
    """
    n, m = np.size(a), np.size(v)
    full = n + m - 1
    if mode == "full":
        return 0, 0
    if mode == "valid":
        return min(n, m) - 1, min(n, m) - 1
    if mode == "same":
        start = (m - 1) // 2 if n >= m else n // 2
        return start, full - start - max(n, m)
    raise NotImplementedError(located(f"s2sad: np.correlate with mode={mode!r} has no "
                                      "derivative; use 'valid', 'same' or 'full'"))


def polyval_exponents(p: Any) -> np.ndarray:
    """The power of ``x`` each coefficient of ``np.polyval(p, x)`` multiplies, highest
    first, as numbers of ``p``'s precision; one-dimensional coefficients only.

    >>> polyval_exponents([3.0, 2.0, 1.0])
    array([2., 1., 0.])
    """
    if np.ndim(p) != 1:
        raise NotImplementedError(located(
            "s2sad: np.polyval differentiates one-dimensional coefficients only; evaluate "
            "each column's polynomial with a call of its own"))
    dtype = np.asarray(p).dtype
    precision = np.finfo(dtype).dtype if dtype.kind in "fc" else np.dtype(float)
    return np.arange(np.shape(p)[0] - 1, -1, -1).astype(precision)
