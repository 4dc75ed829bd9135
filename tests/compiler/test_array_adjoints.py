"""Adjoints that skip work on small arrays, checked against numbers: a full reduction of
gathered elements scatters its scalar adjoint (``spread_at``) instead of an array of copies,
and the outer product's adjoints are plain products when both factors are vectors."""

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads

rng = np.random.default_rng(41)
ROWS = np.array([0, 1, 1, 2, 1])  # (1, 0) read three times: its adjoint adds up
COLS = np.array([2, 0, 0, 1, 0])


def gathered_mean(x, rows, cols):
    return np.mean(x[rows, cols]) * 3.0


def gathered_sum(x, index):
    return np.sum(x[index])


def sliced_mean(x):  # a basic index: spread_at falls back to the general adjoint
    return np.mean(x[1:3, ::2])


def cross_entropy(z, labels):
    m = np.max(z, axis=1, keepdims=True)
    shifted = z - m
    logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(logp[np.arange(z.shape[0]), labels])


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128])
def test_a_spread_scalar_is_scattered_where_it_was_read(dtype):
    text = s2sad.source(gathered_mean, wrt=0)
    assert "spread_at(" in text and "unreduce(" not in text and "getitem_adjoint(" not in text
    x = rng.normal(size=(3, 3)).astype(dtype)
    if dtype is np.complex128:
        x = x + 1j * rng.normal(size=(3, 3))
    expected = np.zeros((3, 3))
    np.add.at(expected, (ROWS, COLS), 3.0 / ROWS.size)
    assert s2sad.vjp(gathered_mean, x, ROWS, COLS)[1](1.0)[0].dtype == dtype
    if dtype is not np.complex128:
        gradient = s2sad.grad(gathered_mean)(x, ROWS, COLS)
        assert gradient.dtype == dtype
        np.testing.assert_allclose(gradient, expected, rtol=1e-6)
    if dtype is not np.float32:  # finite differences need double precision
        check_grads(gathered_mean, (x, ROWS, COLS), wrt=(0,))


@pytest.mark.parametrize("index", [np.array([3, 0, 3]), np.array([[1, 1], [0, 4]])])
def test_one_integer_array_and_the_fallback_of_a_basic_index(index):
    x = rng.normal(size=5)
    expected = np.bincount(index.ravel(), minlength=5).astype(float)
    np.testing.assert_array_equal(s2sad.grad(gathered_sum)(x, index), expected)
    check_grads(gathered_sum, (x, index), wrt=(0,))
    y = rng.normal(size=(4, 5))
    assert "spread_at(" in s2sad.source(sliced_mean)
    expected = np.zeros((4, 5))
    expected[1:3, ::2] = 1.0 / 6
    np.testing.assert_allclose(s2sad.grad(sliced_mean)(y), expected, rtol=1e-12)
    check_grads(sliced_mean, (y,))


def test_cross_entropy_is_softmax_minus_one_hot_at_every_order():
    z, labels = rng.normal(size=(6, 3)), np.array([0, 2, 2, 1, 0, 2])
    p = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    p[np.arange(6), labels] -= 1.0
    np.testing.assert_allclose(s2sad.grad(cross_entropy)(z, labels), p / 6, rtol=1e-12)
    check_grads(s2sad.grad(cross_entropy), (z, labels), wrt=(0,))  # through spread_at
    hessian = s2sad.hessian(cross_entropy)(z, labels)
    step = 1e-6
    for i, j in [(0, 0), (3, 1), (5, 2)]:
        e = np.zeros_like(z)
        e[i, j] = step
        column = (s2sad.grad(cross_entropy)(z + e, labels)
                  - s2sad.grad(cross_entropy)(z - e, labels)) / (2 * step)
        np.testing.assert_allclose(hessian[..., i, j], column, rtol=1e-5, atol=1e-8)


def outer_loss(q, w):
    return np.sum(np.outer(q, q * w) ** 2)


def outer_of_matrices(a, b):  # outer flattens its factors: the reshaping adjoints
    return np.sum(np.sin(np.outer(a, b)))


@pytest.mark.parametrize("complex_values", [False, True])
def test_the_outer_products_adjoints(complex_values):
    q, w = rng.normal(size=4), rng.normal(size=4)
    if complex_values:
        q = q + 1j * rng.normal(size=4)
    text = s2sad.source(outer_loss, wrt=(0, 1))
    assert "outer_adjoint_a(" in text and "np.reshape" not in text
    check_grads(outer_loss, (q, w))
    check_grads(outer_of_matrices, (rng.normal(size=(2, 2)), rng.normal(size=(3, 1))))
    if not complex_values:
        check_grads(s2sad.grad(outer_loss, (0, 1)), (q, w))  # second derivatives


def softmax_weights(z, w):
    m = np.max(z)
    lse = m + np.log(np.sum(np.exp(z - m)))
    return np.sum(np.exp(z - lse) * w)


def test_the_rules_sums_are_batched_in_a_jacobian():
    z, w = rng.normal(size=5), rng.normal(size=5)
    gradient = s2sad.grad(softmax_weights)
    text = s2sad.source(gradient, mode="vector")
    assert "total(" in text and "batch_reduce(" in text  # total's tangent, all directions
    hessian = s2sad.hessian(softmax_weights)(z, w)
    step = 1e-6
    columns = [(gradient(z + step * e, w) - gradient(z - step * e, w)) / (2 * step)
               for e in np.eye(5)]
    np.testing.assert_allclose(hessian, np.array(columns).T, rtol=1e-6, atol=1e-9)
