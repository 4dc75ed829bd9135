"""The max-shifted log-sum-exp and log-softmax: fused into one call each, with the same
value to the last bit, derivatives checked against numbers in both modes and at second
order, and left as written wherever the shift is used elsewhere or does not line up with
the reduction."""

import numpy as np
import pytest

import s2sad
from s2sad.runtime.softmax import log_softmax, logsumexp
from s2sad.testing import check_grads


def lse_all(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


def lse_rows(z, w):  # method spelling, the log first, kept dims
    m = z.max(axis=1, keepdims=True)
    return np.sum(w * (np.log(np.exp(z - m).sum(axis=1, keepdims=True)) + m))


def cross_entropy(W, X, labels):
    z = X @ W
    zmax = np.max(z, axis=1, keepdims=True)
    shifted = z - zmax
    logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.mean(logp[np.arange(X.shape[0]), labels])


def newton_like(theta, X):  # inside a loop
    for _ in range(3):
        z = X @ theta
        m = np.max(z)
        lse = m + np.log(np.sum(np.exp(z - m)))
        theta = theta - 0.1 * (X.T @ np.exp(z - lse))
    return np.sum(theta ** 2)


def shift_read_again(z):  # m is read a third time: nothing is fused
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m))) + m ** 2


def shift_not_aligned(z):  # the max over rows without kept dims: nothing is fused
    m = np.max(z, axis=0)
    return np.sum(m + np.log(np.sum(np.exp(z - m), axis=0)))


rng = np.random.default_rng(31)
Z = rng.normal(size=(5, 4))
X = rng.normal(size=(6, 3))
W = rng.normal(size=(3, 4))
labels = np.array([0, 3, 1, 2, 2, 0])

FUSED = [
    (lse_all, (Z,), "logsumexp(z)"),
    (lse_rows, (Z, rng.normal(size=(5, 1))), "logsumexp(z, axis=1, keepdims=True)"),
    (cross_entropy, (W, X, labels), "log_softmax(z, axis=1, keepdims=True)"),
    (newton_like, (rng.normal(size=3), X), "logsumexp(z)"),
]


@pytest.mark.parametrize("function, args, call", FUSED, ids=[f[0].__name__ for f in FUSED])
def test_fused_derivatives_agree_with_numbers(function, args, call):
    for mode in ("reverse", "forward"):
        text = s2sad.source(function, mode=mode)
        assert call in text and "extremum_weights" not in text
    check_grads(function, args)


@pytest.mark.parametrize("function", [shift_read_again, shift_not_aligned])
def test_nothing_is_fused_unless_the_shift_cancels(function):
    assert "logsumexp" not in s2sad.source(function)
    check_grads(function, (Z,))


@pytest.mark.parametrize("options", [{}, {"axis": 1, "keepdims": True},
                                     {"axis": 0, "keepdims": True}, {"axis": None}])
def test_the_fused_values_are_the_expressions_to_the_last_bit(options):
    for z in (Z, Z.astype(np.float32), Z * 300.0):
        m = np.max(z, **options)
        np.testing.assert_array_equal(logsumexp(z, **options),
                                      m + np.log(np.sum(np.exp(z - m), **options)))
        shifted = z - m
        np.testing.assert_array_equal(log_softmax(z, **options),
                                      shifted - np.log(np.sum(np.exp(shifted), **options)))


def test_the_gradient_is_the_softmax_even_far_from_zero():
    z = np.array([1000.0, 1001.0, 999.0])
    softmax = np.exp(z - 1001.0) / np.sum(np.exp(z - 1001.0))
    # exp(z - lse): lse ~ 1e3 carries an absolute rounding of ~1e-13
    np.testing.assert_allclose(s2sad.grad(lse_all)(z), softmax, rtol=1e-12)


def test_second_derivatives_are_the_softmax_jacobian():
    z = rng.normal(size=4)
    p = np.exp(z) / np.sum(np.exp(z))
    np.testing.assert_allclose(s2sad.hessian(lse_all)(z), np.diag(p) - np.outer(p, p),
                               rtol=1e-12, atol=1e-14)
    check_grads(s2sad.grad(cross_entropy), (W, X, labels), wrt=(0,))


def softmax_weights(z, w):  # the softmax through the log-sum-exp, as the Newton code has it
    m = np.max(z)
    lse = m + np.log(np.sum(np.exp(z - m)))
    p = np.exp(z - lse)
    return np.sum(p * w)


def softmax_and_its_normalizer(z, w):  # lse read again: only the log-sum-exp is fused
    m = np.max(z)
    lse = m + np.log(np.sum(np.exp(z - m)))
    p = np.exp(z - lse)
    return np.sum(p * w) + lse


@pytest.mark.parametrize("function, call", [(softmax_weights, "p = softmax(z)"),
                                            (softmax_and_its_normalizer, "lse = logsumexp(z)")])
def test_the_softmax_through_a_log_sum_exp(function, call):
    z, w = rng.normal(size=6), rng.normal(size=6)
    for mode in ("reverse", "forward"):
        assert call in s2sad.source(function, mode=mode, wrt=0)
    check_grads(function, (z, w))
    value = s2sad.value_and_grad(function)(z, w)[0]
    assert value == function(z, w)  # the same bits
    p = np.exp(z) / np.sum(np.exp(z))
    if function is softmax_weights:  # closed form: p * (w - p.w)
        np.testing.assert_allclose(s2sad.grad(function)(z, w), p * (w - p @ w), rtol=1e-12)
    check_grads(s2sad.grad(function), (z, w), wrt=(0, 1))  # second derivatives


def test_the_fused_functions_take_only_shifts_that_line_up():
    with pytest.raises(ValueError, match="keepdims=True"):
        logsumexp(Z, axis=1)
    with pytest.raises(ValueError, match="keepdims=True"):
        log_softmax(Z, axis=0)
