"""vjp and jvp with primals that are not numbers: they are passed through, not
differentiated, and get no cotangent."""

import numpy as np

import s2sad


def noisy(x, rng):
    a = rng.normal()
    b = rng.normal()
    return x * b + a


def test_vjp_gives_no_cotangent_to_a_random_generator():
    out, f_vjp = s2sad.vjp(noisy, 1.5, np.random.default_rng(3))
    draws = np.random.default_rng(3)
    a, b = draws.normal(), draws.normal()
    assert out == 1.5 * b + a
    x_bar, rng_bar = f_vjp(2.0)
    assert x_bar == 2.0 * b and rng_bar is None


def test_jvp_reads_no_tangent_of_a_random_generator():
    draws = np.random.default_rng(5)
    a, b = draws.normal(), draws.normal()
    out, out_dot = s2sad.jvp(noisy, (1.5, np.random.default_rng(5)), (3.0, None))
    assert out == 1.5 * b + a and out_dot == 3.0 * b


def scaled(x, label):
    return x * len(label)


def test_a_string_argument_is_passed_through():
    out, f_vjp = s2sad.vjp(scaled, np.array([1.0, 2.0]), "abc")
    np.testing.assert_array_equal(out, [3.0, 6.0])
    x_bar, label_bar = f_vjp(np.ones(2))
    np.testing.assert_array_equal(x_bar, [3.0, 3.0])
    assert label_bar is None


def writes_into(x):
    x[0] = x[0] * 3.0
    return np.sum(x * x)


def test_vjp_differentiates_at_the_primals_as_they_were_passed():
    x = np.array([1.0, 2.0])
    out, f_vjp = s2sad.vjp(writes_into, x)
    assert out == 13.0 and x[0] == 3.0  # the function wrote into x, as Python lets it
    (x_bar,) = f_vjp(1.0)
    np.testing.assert_allclose(x_bar, [18.0, 4.0])  # d/dx of 9 x0^2 + x1^2 at (1, 2)
