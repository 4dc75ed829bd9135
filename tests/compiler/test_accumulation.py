"""Adjoints added to in place in reversed loops (``W_bar += ...``): checked with numbers,
also where another adjoint shares the array, in single precision, for a loop that does not
run, and through second derivatives."""

import numpy as np
import pytest

import s2sad
from s2sad.testing import check_grads


def rnn(W, U, xs):
    h = np.zeros(W.shape[0])
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + U @ xs[t])
    return np.sum(h**2)


def weight_read_twice(W, xs):
    s = 0.0
    for t in range(xs.shape[0]):
        V = W  # V's adjoint flows into W's, which the loop also adds to directly
        s = s + np.sum(np.tanh(xs[t] @ V) * W[0])
    return s


def accumulate_then_rebind(W, xs):
    s = 0.0
    for t in range(xs.shape[0]):
        s = s + np.sum(np.sin(xs[t] @ W))
        W = W * 0.9  # W's adjoint from before the product goes on to the older W
    return s


def _args(dtype=np.float64):
    rng = np.random.default_rng(0)
    W = (rng.standard_normal((4, 4)) / 2).astype(dtype)
    U = (rng.standard_normal((4, 3)) / 2).astype(dtype)
    return W, U, rng.standard_normal((5, 3))


def test_weight_adjoints_are_added_in_place_in_the_reversed_loop():
    text = s2sad.source(rnn, mode="reverse", wrt=(0, 1))
    real_version = text.split("all_real")[1]
    assert "W_bar += " in real_version and "U_bar += " in real_version
    # the version for complex values keeps new arrays: a complex adjoint of a real
    # parameter cannot be added into a real array
    assert "W_bar += " not in text.split("all_real")[0]
    check_grads(rnn, _args(), wrt=(0, 1))


@pytest.mark.parametrize("function", [weight_read_twice, accumulate_then_rebind])
def test_adjoints_shared_or_rebound_in_the_loop(function):
    W = _args()[0]
    check_grads(function, (W, np.random.default_rng(2).standard_normal((5, 4))), wrt=0)


def test_single_precision_parameters_with_double_precision_data():
    W, U, xs = _args(np.float32)
    gW, gU = s2sad.grad(rnn, wrt=(0, 1))(W, U, xs)
    assert gW.dtype == np.float32 and gU.dtype == np.float32
    W, U = W.astype(np.float64), U.astype(np.float64)  # the same values, differenced
    for gradient, position in ((gW, 0), (gU, 1)):
        numeric = np.zeros(gradient.shape)
        for k in np.ndindex(gradient.shape):
            args = [W, U, xs]
            moved = args[position].copy()
            moved[k] += 1e-6
            up = rnn(*[moved if i == position else a for i, a in enumerate(args)])
            moved[k] -= 2e-6
            down = rnn(*[moved if i == position else a for i, a in enumerate(args)])
            numeric[k] = (up - down) / 2e-6
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-6)


def test_a_loop_that_does_not_run_leaves_zeros():
    W, U, xs = _args()
    gW, gU = s2sad.grad(rnn, wrt=(0, 1))(W, U, xs[:0])
    assert not gW.any() and not gU.any()
    assert gW.shape == W.shape and gU.shape == U.shape


def test_second_derivatives_through_the_accumulation():
    W, U, xs = _args()
    direction = np.random.default_rng(1).standard_normal(W.shape)
    gradient = s2sad.grad(rnn)
    by_hvp = s2sad.hvp(rnn)(W, U, xs, direction)
    step = 1e-6
    numeric = (gradient(W + step * direction, U, xs)
               - gradient(W - step * direction, U, xs)) / (2 * step)
    np.testing.assert_allclose(by_hvp, numeric, rtol=1e-6, atol=1e-8)

    def directional(V, U, xs, direction):
        return np.sum(gradient(V, U, xs) * direction)

    by_reverse = s2sad.grad(directional)(W, U, xs, direction)
    np.testing.assert_allclose(by_reverse, numeric, rtol=1e-6, atol=1e-8)


def reads_a_real_array_in_a_loop(W, xs):
    h = np.zeros(W.shape[0])
    for t in range(xs.shape[0]):
        h = np.tanh(W @ h + xs[t])
    return np.sum(h * h)


def test_complex_values_reaching_the_adjoint_of_a_real_array_read_in_a_loop():
    """A complex W and a real xs: xs's adjoint, a real array the reversed loop adds into in
    place, takes the real part of the complex contributions (it raised a casting error)."""
    rng = np.random.default_rng(3)
    W = rng.standard_normal((3, 3)) / 2 + 0.1j * rng.standard_normal((3, 3))
    xs = rng.standard_normal((4, 3))
    check_grads(reads_a_real_array_in_a_loop, (W, xs))
    assert s2sad.vjp(reads_a_real_array_in_a_loop, W, xs)[1](1.0)[1].dtype == np.float64
