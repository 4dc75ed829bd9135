"""Run-time helpers for the derivatives of reductions and cumulative functions.

Conventions:

* Ties in max/min (and nanmax/nanmin, ptp): the derivative is split equally among the
  elements equal to the extremum, so ``d max([1, 3, 3]) = [0, 1/2, 1/2]``. An extremum
  (or a median) that is NaN has the derivative NaN at the NaN elements, 0 elsewhere.
* ``where=`` masks: masked-out elements get a zero derivative. The NaN-ignoring
  reductions are the plain ones with NaN entries added to the mask.
* prod: the derivative with respect to an element is the product of the other elements,
  computed without dividing, so zeros are handled exactly. cumprod divides only by
  elements before a lane's first zero and treats the zero itself separately.
* std at a point of zero spread has no derivative; its adjoint there is taken as zero.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from s2sad.runtime.core import conj, unbroadcast, unreduce


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes (None: every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(sorted(int(a) % ndim for a in axes))


def _float_dtype(x: Any) -> np.dtype:
    dtype = getattr(x, "dtype", None)
    if dtype is not None and dtype.kind in "fc":
        return dtype
    return np.dtype(np.float64)


_REAL_DTYPES: dict[np.dtype, np.dtype] = {}


def _real_dtype(x: Any) -> np.dtype:
    """The real floating dtype of ``x``'s precision (float32 for complex64, ...)."""
    dtype = _float_dtype(x)
    if dtype not in _REAL_DTYPES:
        _REAL_DTYPES[dtype] = np.finfo(dtype).dtype
    return _REAL_DTYPES[dtype]


def _lanes(a: np.ndarray, axis: Any) -> tuple[np.ndarray, tuple[int, ...], tuple[int, ...]]:
    """``a`` with the reduced axes moved to the end and merged into one.

    Returns the (..., n) array, the permutation used and the permuted shape, so that
    :func:`_unlanes` can undo it.
    """
    axes = _axes(axis, a.ndim)
    order = tuple(i for i in range(a.ndim) if i not in axes) + axes
    moved = np.transpose(a, order)
    kept = moved.shape[: a.ndim - len(axes)]
    count = int(np.prod(moved.shape[a.ndim - len(axes):]))
    return np.reshape(moved, kept + (count,)), order, moved.shape


def _unlanes(x: np.ndarray, order: tuple[int, ...], shape: tuple[int, ...]) -> np.ndarray:
    return np.transpose(np.reshape(x, shape), np.argsort(order))


def nan_mask(a: Any, where: Any = True) -> Any:
    """The ``where`` mask of a NaN-ignoring reduction: ``where`` and not NaN."""
    keep = ~np.isnan(a)
    return keep if where is True else np.logical_and(keep, where)


# ---- sum, mean ---------------------------------------------------------------------

_add_reduce = np.add.reduce


def total(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """``np.sum(a, axis, keepdims=keepdims)``, the rules' sum of an adjoint or a tangent.
    For an array it is the same reduction without ``np.sum``'s Python layers, which cost
    about a microsecond per call: most of a sum over a small array.

    >>> total(np.ones((2, 3)), axis=1, keepdims=True)
    array([[3.],
           [3.]])
    """
    if type(a) is np.ndarray:
        return _add_reduce(a, axis, None, None, keepdims)
    return np.sum(a, axis=axis, keepdims=keepdims)


def sum_adjoint(g: Any, a: Any, axis: Any = None, keepdims: bool = False,
                where: Any = True) -> Any:
    """Adjoint of ``np.sum(a, axis, keepdims=keepdims, where=where)``."""
    spread = unreduce(g, a, axis, keepdims)
    if where is True:
        return spread
    return np.where(where, spread, np.zeros((), dtype=np.result_type(spread)))


def mean_weights(a: Any, axis: Any = None, where: Any = True) -> Any:
    """The weight of each element in ``np.mean(a, axis, where=where)``: 1/count, or zero
    for masked-out elements.

    >>> mean_weights(np.ones((2, 4)), axis=1)
    0.25
    """
    if where is True:
        if axis is None and isinstance(a, np.ndarray):
            return 1.0 / max(a.size, 1)
        return 1.0 / max(_reduced_count(np.shape(a), axis), 1)
    mask = np.broadcast_to(where, np.shape(a))
    count = np.sum(mask, axis=axis, keepdims=True)
    dtype = _real_dtype(a)
    return np.where(mask, (1.0 / np.maximum(count, 1)).astype(dtype), np.zeros((), dtype=dtype))


def _reduced_count(shape: tuple[int, ...], axis: Any) -> int:
    """How many elements each result of a reduction over ``axis`` combines."""
    return int(np.prod([shape[i] for i in _axes(axis, len(shape))]))


# ---- max, min, ptp -----------------------------------------------------------------


def _extremum_hits(a, ans, axis, keepdims, where, initial):
    a = np.asarray(a)
    hit = a == unreduce(ans, a, axis, keepdims)
    if where is not True:
        hit = np.logical_and(hit, where)
    count = np.sum(hit, axis=_axes(axis, a.ndim), keepdims=True)
    if initial is not None:
        count = count + (np.reshape(ans, np.shape(count)) == initial)
    return a, hit, np.maximum(count, 1)


def extremum_weights(a: Any, ans: Any, axis: Any = None, keepdims: bool = False,
                     where: Any = True, initial: Any = None) -> np.ndarray:
    """Where the extremum ``ans`` of ``a`` over ``axis`` is attained, each of the ``k``
    tied elements weighted ``1/k``; zero elsewhere. An ``initial`` value equal to the
    extremum counts as one more tied element. Where the extremum is NaN (NumPy's max
    propagates it), the NaN elements weigh NaN: the derivative is NaN as the value is.

    >>> extremum_weights(np.array([1.0, 3.0, 3.0]), 3.0)
    array([0. , 0.5, 0.5])
    >>> extremum_weights(np.array([1.0, np.nan, 3.0]), np.nan)
    array([ 0., nan,  0.])
    """
    if axis is None and where is True and initial is None:  # the common case, in one pass
        hit = np.asarray(a) == ans
        dtype = _real_dtype(hit if np.ndim(a) == 0 else a)
        count = np.count_nonzero(hit)
        if count == 0 and ans != ans:
            return _at_nans(np.zeros(np.shape(a), dtype), a, ans)
        return np.multiply(hit, dtype.type(1.0 / max(count, 1)), dtype=dtype)
    if where is True and initial is None and isinstance(a, np.ndarray):  # along axes
        expanded = ans if keepdims else np.expand_dims(ans, _axes(axis, a.ndim))
        hit = a == expanded
        count = hit.sum(axis=axis, keepdims=True)  # 0 only where the extremum is NaN
        dtype = a.dtype if a.dtype.kind == "f" else _real_dtype(a)
        if count.all():
            return np.divide(hit, count, dtype=dtype)
        return _at_nans(np.divide(hit, np.maximum(count, 1), dtype=dtype), a, expanded)
    a, hit, count = _extremum_hits(a, ans, axis, keepdims, where, initial)
    dtype = _real_dtype(a)
    weights = np.where(hit, (1.0 / count).astype(dtype), np.zeros((), dtype=dtype))
    if np.all(np.asarray(ans) == ans):
        return weights
    return _at_nans(weights, a, unreduce(ans, a, axis, keepdims))


def _at_nans(weights: np.ndarray, a: Any, extremum: Any) -> np.ndarray:
    """``weights`` with NaN at the NaN elements of ``a`` whose extremum is NaN."""
    return np.where(np.isnan(a) & np.isnan(extremum), np.nan, weights).astype(
        weights.dtype, copy=False)


def initial_weight(a: Any, ans: Any, axis: Any = None, keepdims: bool = False,
                   where: Any = True, initial: Any = None) -> Any:
    """The share of the ``initial`` value in the extremum (shaped like ``ans``).

    >>> initial_weight(np.array([[1.0, 3.0], [4.0, 2.0]]), np.array([3.0, 4.0]), 1, initial=3.0)
    array([0.5, 0. ])
    """
    a, _, count = _extremum_hits(a, ans, axis, keepdims, where, initial)
    share = (np.asarray(ans) == initial) / np.reshape(count, np.shape(ans))
    return share.astype(_real_dtype(a), copy=False)


def ptp_weights(a: Any, axis: Any = None) -> np.ndarray:
    """The weights of ``np.ptp(a, axis)`` = max - min (ties split equally)."""
    a = np.asarray(a)
    high = extremum_weights(a, np.max(a, axis=axis, keepdims=True), axis, True)
    low = extremum_weights(a, np.min(a, axis=axis, keepdims=True), axis, True)
    return high - low


# ---- prod --------------------------------------------------------------------------


def prod_others(a: Any, axis: Any = None, where: Any = True, initial: Any = None) -> Any:
    """For each element, the product of the other elements of its reduction (times
    ``initial``): the derivative of ``np.prod`` without any division, so exact at zeros.

    >>> prod_others(np.array([2.0, 0.0, 3.0]))
    array([0., 6., 0.])
    """
    a = np.asarray(a)
    if where is not True:
        a = np.where(where, a, np.ones((), dtype=a.dtype))
    lanes, order, shape = _lanes(a, axis)
    left = np.ones_like(lanes)
    right = np.ones_like(lanes)
    if lanes.shape[-1] > 1:
        left[..., 1:] = np.cumprod(lanes[..., :-1], axis=-1)
        right[..., :-1] = np.flip(np.cumprod(np.flip(lanes[..., 1:], -1), axis=-1), -1)
    others = _unlanes(left * right, order, shape)
    if initial is not None:
        others = others * initial
    if where is not True:
        others = np.where(where, others, np.zeros((), dtype=others.dtype))
    return others


def prod_adjoint(g: Any, a: Any, axis: Any = None, keepdims: bool = False,
                 initial: Any = None, where: Any = True) -> Any:
    """Adjoint of ``np.prod(a, axis, keepdims=keepdims, initial=initial, where=where)``."""
    others = conj(prod_others(a, axis, where, initial))
    return unreduce(g, a, axis, keepdims) * others


def prod_initial_factor(a: Any, axis: Any = None, keepdims: bool = False,
                        where: Any = True) -> Any:
    """The derivative of ``np.prod(..., initial=c)`` in ``c``: the product without it."""
    return np.prod(a, axis=axis, keepdims=keepdims, where=where)


# ---- var, std ----------------------------------------------------------------------


def _spread(a: Any, axis: Any, ddof: Any, where: Any, correction: Any):
    """The centred values of ``a`` (zero where masked) and ``2 / (n - ddof)``."""
    if correction is not None:
        ddof = correction
    a = np.asarray(a)
    centred = a - np.mean(a, axis=axis, keepdims=True, where=where)
    if where is True:
        return centred, 2.0 / (_reduced_count(a.shape, axis) - ddof)
    mask = np.broadcast_to(where, a.shape)
    centred = np.where(mask, centred, np.zeros((), dtype=centred.dtype))
    count = np.sum(mask, axis=axis, keepdims=True)
    return centred, (2.0 / (count - ddof)).astype(_real_dtype(a), copy=False)


def var_adjoint(g: Any, a: Any, axis: Any = None, ddof: Any = 0, keepdims: bool = False,
                where: Any = True, correction: Any = None) -> Any:
    """Adjoint of ``np.var``: ``g * 2 (a - mean) / (n - ddof)``."""
    centred, scale = _spread(a, axis, ddof, where, correction)
    return unreduce(g, a, axis, keepdims) * centred * scale


def var_tangent(a_dot: Any, a: Any, axis: Any = None, ddof: Any = 0, keepdims: bool = False,
                where: Any = True, correction: Any = None) -> Any:
    """JVP of ``np.var``: ``sum(2 Re(conj(a - mean) a_dot)) / (n - ddof)``."""
    centred, scale = _spread(a, axis, ddof, where, correction)
    terms = np.real(conj(centred) * a_dot) * scale
    return np.sum(terms, axis=axis, keepdims=keepdims)


def half_over(ans: Any) -> Any:
    """``1 / (2 ans)``, zero where ``ans`` is zero (std's derivative there is taken as 0)."""
    ans = np.asarray(ans)
    safe = np.where(ans == 0, np.ones((), dtype=ans.dtype), ans)
    return np.where(ans == 0, np.zeros((), dtype=ans.dtype), 0.5 / safe)


def std_adjoint(g: Any, ans: Any, a: Any, axis: Any = None, ddof: Any = 0,
                keepdims: bool = False, where: Any = True, correction: Any = None) -> Any:
    """Adjoint of ``np.std`` = sqrt(var)."""
    return var_adjoint(g * half_over(ans), a, axis, ddof, keepdims, where, correction)


def std_tangent(a_dot: Any, ans: Any, a: Any, axis: Any = None, ddof: Any = 0,
                keepdims: bool = False, where: Any = True, correction: Any = None) -> Any:
    """JVP of ``np.std``."""
    return var_tangent(a_dot, a, axis, ddof, keepdims, where, correction) * half_over(ans)


# ---- median ------------------------------------------------------------------------


def median_weights(a: Any, axis: Any = None, overwrite_input: bool = False) -> np.ndarray:
    """Weights ``w`` (shaped like ``a``) with ``median(a, axis) == sum(w * a, axis)``:
    1 on the middle element, or 1/2 on each of the two middle ones.

    >>> median_weights(np.array([4.0, 1.0, 3.0, 2.0]))
    array([0. , 0. , 0.5, 0.5])
    """
    if overwrite_input:
        raise ValueError("np.median(..., overwrite_input=True) reorders its input, so it "
                         "cannot be differentiated; leave overwrite_input False")
    a = np.asarray(a)
    lanes, order, shape = _lanes(a, axis)
    n = lanes.shape[-1]
    weights = np.zeros(lanes.shape, dtype=_real_dtype(a))
    if n == 0:
        return _unlanes(weights, order, shape)
    middle = [n // 2] if n % 2 else [n // 2 - 1, n // 2]
    picked = np.argpartition(lanes, middle, axis=-1)[..., middle]
    np.put_along_axis(weights, picked, 1.0 / len(middle), axis=-1)
    if weights.dtype.kind == "f" and lanes.dtype.kind in "fc":  # a NaN makes the median
        nans = np.isnan(lanes)  # NaN: its derivative is NaN at the NaNs, 0 elsewhere
        if nans.any():
            lane_has = nans.any(axis=-1, keepdims=True)
            weights = np.where(lane_has, np.where(nans, np.nan, 0.0), weights).astype(
                weights.dtype, copy=False)
    return _unlanes(weights, order, shape)


# ---- average -----------------------------------------------------------------------


def _average_weights(a: np.ndarray, axis: Any, weights: Any) -> np.ndarray:
    """The weights broadcastable against ``a`` (as np.average lays them out)."""
    w = np.asarray(weights)
    if w.shape == a.shape:
        return w
    axes = tuple(int(i) % a.ndim for i in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    w = np.transpose(w, np.argsort(axes))
    return np.reshape(w, tuple(n if i in axes else 1 for i, n in enumerate(a.shape)))


def average_layout(weights: Any, a: Any, axis: Any = None) -> np.ndarray:
    """``np.average``'s ``weights`` laid out to broadcast against ``a`` (linear in them).

    >>> average_layout(np.array([1.0, 2.0]), np.zeros((2, 3)), 0)
    array([[1.],
           [2.]])
    """
    return _average_weights(np.asarray(a), axis, weights)


def average_unlayout(c: Any, a: Any, axis: Any = None, weights: Any = None) -> Any:
    """The transpose of :func:`average_layout`: ``c`` summed to the laid-out weights'
    shape, then given the shape and order of ``weights``."""
    a, w = np.asarray(a), np.asarray(weights)
    laid = np.shape(_average_weights(a, axis, w))
    c = np.asarray(unbroadcast(c, np.broadcast_to(0.0, laid)))
    if w.shape == a.shape:
        return c
    axes = tuple(int(i) % a.ndim for i in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    c = np.reshape(c, tuple(laid[i] for i in sorted(axes)))
    # the remaining axes are ``axes`` in increasing order; the weights list them as given
    return np.transpose(c, np.argsort(np.argsort(axes)))


# ---- cumsum, cumprod ---------------------------------------------------------------


def reverse_cumsum(g: Any, a: Any, axis: Any = None) -> Any:
    """Adjoint of ``np.cumsum(a, axis)``: the cumulative sum taken from the end.

    >>> reverse_cumsum(np.array([1.0, 2.0, 3.0]), np.zeros(3))
    array([6., 5., 3.])
    """
    if axis is None:
        flat = np.ravel(g)
        return np.reshape(np.flip(np.cumsum(np.flip(flat))), np.shape(a))
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


def _cumprod_lanes(x: Any, axis: Any) -> np.ndarray:
    x = np.asarray(x)
    return np.ravel(x) if axis is None else np.moveaxis(x, axis, -1)


def _first_zero(x: np.ndarray) -> np.ndarray:
    """Per lane (last axis), the position of the first zero, or the lane length."""
    zero = x == 0
    return np.where(zero.any(axis=-1), zero.argmax(axis=-1), x.shape[-1])[..., None]


def cumprod_adjoint(g: Any, ans: Any, a: Any, axis: Any = None) -> Any:
    """Adjoint of ``np.cumprod(a, axis)``, exact in the presence of zeros.

    Before the first zero of a lane, ``sum_{i >= j} g_i ans_i / a_j``; at the first zero,
    the sum of ``g_i`` times the running product that skips that zero; after it, zero.
    """
    x = _cumprod_lanes(a, axis)
    gl, p = _cumprod_lanes(g, axis), _cumprod_lanes(ans, axis)
    position = np.arange(x.shape[-1])
    first = _first_zero(x)
    before = position < first
    tail = np.flip(np.cumsum(np.flip(gl * conj(p), -1), axis=-1), -1)
    divisor = conj(np.where(before, x, np.ones((), dtype=x.dtype)))
    adjoint = np.where(before, tail / divisor, np.zeros((), dtype=tail.dtype))
    if not before.all():
        at = position == first
        skipping = np.cumprod(np.where(at, np.ones((), dtype=x.dtype), x), axis=-1)
        terms = np.where(position >= first, gl * conj(skipping), 0)
        adjoint = np.where(at, np.sum(terms, axis=-1, keepdims=True), adjoint)
    if axis is None:
        return np.reshape(adjoint, np.shape(a))
    return np.moveaxis(adjoint, -1, axis)


def cumprod_tangent(a_dot: Any, ans: Any, a: Any, axis: Any = None) -> Any:
    """JVP of ``np.cumprod(a, axis)``, exact in the presence of zeros."""
    x = _cumprod_lanes(a, axis)
    d, p = _cumprod_lanes(a_dot, axis), _cumprod_lanes(ans, axis)
    position = np.arange(x.shape[-1])
    first = _first_zero(x)
    before = position < first
    ratio = np.where(before, d / np.where(before, x, np.ones((), dtype=x.dtype)), 0)
    tangent = p * np.cumsum(ratio, axis=-1)
    if not before.all():
        at = position == first
        skipping = np.cumprod(np.where(at, np.ones((), dtype=x.dtype), x), axis=-1)
        d_zero = np.sum(np.where(at, d, 0), axis=-1, keepdims=True)
        tangent = tangent + np.where(position >= first, d_zero * skipping, 0)
    if axis is None:
        return tangent
    return np.moveaxis(tangent, -1, axis)


# ---- products of dual numbers: prod and cumprod to every order --------------------
#
# A jet is an array of shape (2**m,) + shape: each element a number of the algebra with m
# generators of square zero, component S (a bit mask) the coefficient of the product of
# the generators in S. Products of jets multiply polynomials (nothing divides, so zeros
# are exact), and the tangent of a function of jets is the same function on jets of one
# generator more: the rules of the helpers below are these helpers again. The transpose
# of multiplying by a jet is the same product between two reversals of the components.


def _jet_times(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The product of two jets of as many components (the rest broadcast)."""
    count = x.shape[0]
    if count == 1:
        return x * y
    parts = []
    for s in range(count):
        t, part = s, x[0] * y[s]
        while t:
            part = part + x[t] * y[s ^ t]
            t = (t - 1) & s
        parts.append(part)
    return np.stack(parts)


def _jet_one(like: np.ndarray) -> np.ndarray:
    """The jet 1 in the shape of ``like``."""
    one = np.zeros(like.shape, dtype=like.dtype)
    one[0] = 1
    return one


def _jet_cumprod(x: np.ndarray) -> np.ndarray:
    """Running products of jets along the last axis (by doubling steps)."""
    if x.shape[0] == 1:
        return np.cumprod(x, axis=-1)
    shift = 1
    while shift < x.shape[-1]:
        x = np.concatenate([x[..., :shift], _jet_times(x[..., shift:], x[..., :-shift])],
                           axis=-1)
        shift *= 2
    return x


def _exclusive_products(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each position of the last axis, the products of the jets before and after it."""
    if x.shape[-1] == 0:
        return x, x
    one = _jet_one(x[..., :1])
    left = np.concatenate([one, _jet_cumprod(x[..., :-1])], axis=-1)
    right = np.concatenate([np.flip(_jet_cumprod(np.flip(x[..., 1:], -1)), -1), one], axis=-1)
    return left, right


def prod_others_jet(jet: Any, axis: Any = None, where: Any = True, initial: Any = None) -> Any:
    """:func:`prod_others` of each component of a jet (``axis`` and ``where`` as for the
    elements, its first axis the components): ``prod_others_jet([a, d])[1]`` is the tangent
    of ``prod_others(a)`` along ``d``, exact at any number of zeros.

    >>> prod_others_jet(np.array([[2.0, 0.0, 0.0], [1.0, 1.0, 1.0]]))[1]
    array([0., 2., 2.])
    """
    jet = np.asarray(jet)
    if where is not True:
        one = np.zeros((jet.shape[0],) + (1,) * (jet.ndim - 1), dtype=jet.dtype)
        one[0] = 1
        jet = np.where(where, jet, one)
    axes = tuple(a + 1 for a in _axes(axis, jet.ndim - 1))
    lanes, order, shape = _lanes(jet, axes)
    left, right = _exclusive_products(lanes)
    others = _unlanes(_jet_times(left, right), order, shape)
    if initial is not None:
        others = others * initial
    if where is not True:
        others = np.where(where, others, np.zeros((), dtype=others.dtype))
    return others


def _cumprod_axis(jet: np.ndarray, axis: Any) -> int:
    return int(axis) % (jet.ndim - 1) + 1


def cumprod_jet(jet: Any, axis: Any = None) -> Any:
    """``np.cumprod`` of a jet's elements: ``cumprod_jet([a, d])[1]`` is the tangent of
    ``np.cumprod(a)`` along ``d``.

    >>> cumprod_jet(np.array([[2.0, 0.0, 3.0], [1.0, 1.0, 0.0]]))[1]
    array([1., 2., 6.])
    """
    jet = np.asarray(jet)
    if axis is None:
        return _jet_cumprod(np.reshape(jet, (jet.shape[0], -1)))
    axis = _cumprod_axis(jet, axis)
    return np.moveaxis(_jet_cumprod(np.moveaxis(jet, axis, -1)), -1, axis)


def _suffix_recurrence(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``r`` along the last axis with ``r[j] = w[j] + b[j] r[j + 1]`` (``r`` zero past the
    end), the affine maps composed by doubling steps."""
    p, q = np.flip(b, -1), np.flip(w, -1)
    shift = 1
    while shift < q.shape[-1]:
        later = p[..., shift:]
        q = np.concatenate([q[..., :shift], q[..., shift:] + _jet_times(later, q[..., :-shift])],
                           axis=-1)
        p = np.concatenate([p[..., :shift], _jet_times(later, p[..., :-shift])], axis=-1)
        shift *= 2
    return np.flip(q, -1)


def _cumprod_transposed(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``sum_{i >= j} w_i prod_{k <= i, k != j} x_k`` along the last axis, for jets."""
    if x.shape[-1] == 0:
        return np.zeros(np.broadcast_shapes(w.shape, x.shape), np.result_type(w, x))
    left, _ = _exclusive_products(x)
    step = np.concatenate([x[..., 1:], np.zeros_like(x[..., :1])], axis=-1)
    return _jet_times(left, _suffix_recurrence(w, step))


def cumprod_jet_adjoint(w: Any, jet: Any, axis: Any = None) -> Any:
    """The transpose of the Jacobian of ``np.cumprod`` at the elements of a jet, applied to
    the jet ``w`` (without conjugates): ``cumprod_jet_adjoint([g], [a])[0]`` is the adjoint
    of ``np.cumprod(a)`` for a real ``a``, exact at zeros.

    >>> cumprod_jet_adjoint(np.ones((1, 3)), np.array([[2.0, 0.0, 3.0]]))[0]
    array([1., 8., 0.])
    """
    w, jet = np.asarray(w), np.asarray(jet)
    if axis is None:
        flat = _cumprod_transposed(np.reshape(w, (w.shape[0], -1)),
                                   np.reshape(jet, (jet.shape[0], -1)))
        return np.reshape(flat, jet.shape)
    axis = _cumprod_axis(jet, axis)
    moved = _cumprod_transposed(np.moveaxis(w, axis, -1), np.moveaxis(jet, axis, -1))
    return np.moveaxis(moved, -1, axis)


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
    from s2sad.runtime.core import unbroadcast

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
    from s2sad.runtime.core import unbroadcast, zeros_like

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
