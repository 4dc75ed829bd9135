"""In-place writes: checked with numbers, and the caller's arrays left alone."""

import numpy as np

import s2sad
from s2sad.testing import check_grads


def fancy_writes(x, idx):
    y = np.zeros(5)
    y[idx] = x[:3] * 2.0  # idx repeats a position: the last write wins
    y[np.array([4, 4])] = x[3]
    return np.sum(y * np.arange(5.0)) + np.sum(x[[0, 0, 2]] ** 2)


def writes_into_argument(x):
    x[0] = 2.0 * x[1]
    m = x > 0.5
    x[m] = x[m] ** 2
    x[:, 1] += 3.0 * x[:, 0]
    return np.sum(x**3)


def running_products(x, n):
    out = np.empty(n)
    acc = 0.0
    for i in range(n):
        acc = acc + x[i]
        out[i] = acc * x[i]
    return np.sum(np.sin(out))


def column_recurrence(x, w):
    y = np.ones_like(x)
    for j in range(1, x.shape[1]):
        y[:, j] = y[:, j - 1] * x[:, j]
    y[0, 0] = w * 2.0
    return np.sum(y * w)


def test_fancy_writes_and_reads_with_repeated_indices():
    check_grads(fancy_writes, (np.array([0.3, 0.7, 1.1, 1.5]), np.array([1, 1, 3])))


def test_writes_into_an_argument_leave_the_callers_array_alone():
    x = np.array([[0.2, 0.9], [0.4, 0.8], [1.2, 0.1]])
    before = x.copy()
    check_grads(writes_into_argument, (x,))
    s2sad.grad(writes_into_argument)(x)
    s2sad.jvp(writes_into_argument, (x,), (np.ones_like(x),))
    np.testing.assert_array_equal(x, before)


def test_loop_writes_and_recurrence_reading_earlier_writes():
    check_grads(running_products, (np.array([0.3, 0.7, 1.1, 1.5]), 4))
    x = np.random.default_rng(0).uniform(0.5, 1.5, (3, 4))
    check_grads(column_recurrence, (x, 0.7))
