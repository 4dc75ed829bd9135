"""Fused rewrites are never less accurate than the expressions they replace.

The derivatives of the max-shifted log-sum-exp, log-softmax and softmax, and of the squared
pairwise distances, are compared at magnitudes from 1e-3 to 1e16, in single and double
precision, with references computed in extended precision (np.longdouble) from the very
numbers the function received.
"""

import numpy as np
import pytest

import s2sad

MAGNITUDES = ["small", 1e-3, 1.0, 1e2, 1e5, 1e8, 1e16]
DTYPES = [np.float32, np.float64]
rng = np.random.default_rng(5)


def lse_all(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


def weighted_log_softmax(z, w):
    m = np.max(z, axis=1, keepdims=True)
    s = z - m
    return np.sum(w * (s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))))


def weighted_softmax(z, w):
    m = np.max(z)
    lse = m + np.log(np.sum(np.exp(z - m)))
    p = np.exp(z - lse)
    return np.sum(w * p)


def softmax_of(z, axis=None):
    """The softmax of ``z`` (its values taken exactly) in extended precision."""
    wide = np.asarray(z, dtype=np.longdouble)
    e = np.exp(wide - wide.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def logits(magnitude, dtype, shape=(4, 6)):
    if magnitude == "small":  # |log-sum-exp| <= 2: the gradient is exp(z - lse)
        return (0.3 * rng.normal(size=shape) - 2.0).astype(dtype)
    return (magnitude + 3.0 * rng.normal(size=shape)).astype(dtype)


def _eps(dtype):
    return np.finfo(dtype).eps


def test_the_reported_double_precision_example():
    g = s2sad.grad(lse_all)(np.array([1e16, 1e16, 0.0]))
    np.testing.assert_array_equal(g, [0.5, 0.5, 0.0])


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_log_sum_exp(magnitude, dtype):
    z = logits(magnitude, dtype)
    assert "softmax_weights(z" in s2sad.source(lse_all)
    q = softmax_of(z)
    if magnitude == "small":
        assert abs(lse_all(z)) <= 2
    g = s2sad.grad(lse_all)(z)
    assert g.dtype == dtype
    # as written: exp(z - m) / sum, each step rounded (z - m to |z - m| ulps of 1)
    bound = _eps(dtype) * (3 + np.abs(z - np.max(z))) * q + np.finfo(dtype).tiny
    assert np.all(np.abs(g - q) <= bound)
    # forward mode: the directional derivative along v is q . v
    v = rng.normal(size=z.shape).astype(dtype)
    _, tangent = s2sad.jvp(lse_all, (z,), (v,))
    exact = np.sum(q * v)
    assert abs(tangent - exact) <= 8 * _eps(dtype) * np.sum(np.abs(q * v))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_log_softmax(magnitude, dtype):
    z, w = logits(magnitude, dtype), rng.normal(size=(4, 6)).astype(dtype)
    assert "log_softmax(" in s2sad.source(weighted_log_softmax)
    q = softmax_of(z, axis=1)
    total = w.astype(np.longdouble).sum(axis=1, keepdims=True)
    exact = w - q * total
    scale = np.abs(w) + q * np.abs(w).sum(axis=1, keepdims=True)  # the subtraction's size
    g = s2sad.grad(weighted_log_softmax)(z, w)
    assert g.dtype == dtype
    assert np.all(np.abs(g - exact) <= 8 * _eps(dtype) * scale)
    v = rng.normal(size=z.shape).astype(dtype)
    _, tangent = s2sad.jvp(weighted_log_softmax, (z, w), (v, np.zeros_like(w)))
    along = np.sum(exact * v)
    assert abs(tangent - along) <= 16 * _eps(dtype) * np.sum(scale * np.abs(v))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("magnitude", MAGNITUDES)
def test_softmax_through_the_log_sum_exp(magnitude, dtype):
    # p = exp(z - lse) as written; its derivative as written is p * v - p * (q . v) with q
    # the log-sum-exp's gradient: the fused p = softmax(z) must keep both parts
    z, w = logits(magnitude, dtype, (6,)), rng.normal(size=6).astype(dtype)
    assert "p = softmax(z)" in s2sad.source(weighted_softmax)
    p = np.exp(z - lse_all(z)).astype(np.longdouble)
    q = softmax_of(z)
    weighted = np.sum(w * p)
    exact = p * w - q * weighted
    scale = np.abs(p * w) + q * np.sum(np.abs(w * p))
    g = s2sad.grad(weighted_softmax)(z, w)
    assert g.dtype == dtype
    assert np.all(np.abs(g - exact) <= 8 * _eps(dtype) * scale + np.finfo(dtype).tiny)
    if magnitude in (1e5, 1e8, 1e16) and dtype == np.float32 or magnitude == 1e16:
        # p carries lse's rounding here: p * (w - p . w) would not be the derivative
        assert not np.allclose(p, q, rtol=1e-3)


@pytest.mark.parametrize("magnitude", ["small", 1.0, 1e8])
def test_second_derivatives_of_the_log_sum_exp(magnitude):
    z = logits(magnitude, np.float64, (5,))
    q = np.asarray(softmax_of(z), dtype=np.float64)
    np.testing.assert_allclose(s2sad.hessian(lse_all)(z), np.diag(q) - np.outer(q, q),
                               rtol=1e-12, atol=1e-15)


def weighted_distances(a, b, w):
    return np.sum(w * np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1))


def weighted_self_distances(a, w):
    return np.sum(w * np.sum((a[:, None, :] - a[None, :, :]) ** 2, axis=-1))


def _pairwise_reference(a, b, w):
    """``a``'s and ``b``'s exact gradients, and the sizes of the terms the expression as
    written sums (its rounding is relative to those)."""
    wide = np.longdouble
    terms = 2 * w.astype(wide)[..., None] * (a.astype(wide)[:, None, :]
                                            - b.astype(wide)[None, :, :])
    return terms.sum(axis=1), -terms.sum(axis=0), np.abs(terms).sum(axis=1), \
        np.abs(terms).sum(axis=0)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("magnitude", MAGNITUDES[1:])
def test_pairwise_distances_far_from_the_origin(magnitude, dtype):
    # coordinates of any size with differences of about 1: the fused derivatives are
    # matrix products, which must not cancel away what the subtraction a - b keeps
    a = (magnitude + rng.normal(size=(5, 3))).astype(dtype)
    b = (magnitude + rng.normal(size=(7, 3))).astype(dtype)
    w = rng.normal(size=(5, 7)).astype(dtype)
    assert "pairwise_sq_distances" in s2sad.source(weighted_distances, wrt=(0, 1))
    exact_a, exact_b, size_a, size_b = _pairwise_reference(a, b, w)
    eps = _eps(dtype)
    ga, gb = s2sad.grad(weighted_distances, wrt=(0, 1))(a, b, w)
    assert ga.dtype == gb.dtype == dtype
    assert np.all(np.abs(ga - exact_a) <= 8 * eps * size_a)
    assert np.all(np.abs(gb - exact_b) <= 8 * eps * size_b)
    v = rng.normal(size=a.shape).astype(dtype)
    _, tangent = s2sad.jvp(weighted_distances, (a, b, w),
                           (v, np.zeros_like(b), np.zeros_like(w)))
    assert abs(tangent - np.sum(exact_a * v)) <= 16 * eps * np.sum(size_a * np.abs(v))
    # the distances within one set
    w = rng.normal(size=(5, 5)).astype(dtype)
    exact_a, exact_b, size_a, size_b = _pairwise_reference(a, a, w)
    assert "self_sq_distances" in s2sad.source(weighted_self_distances)
    g = s2sad.grad(weighted_self_distances)(a, w)
    assert np.all(np.abs(g - (exact_a + exact_b)) <= 8 * eps * (size_a + size_b))
    _, tangent = s2sad.jvp(weighted_self_distances, (a, w), (v, np.zeros_like(w)))
    assert abs(tangent - np.sum((exact_a + exact_b) * v)) <= \
        16 * eps * np.sum((size_a + size_b) * np.abs(v))
