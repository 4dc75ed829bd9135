"""grad's output: a real scalar, or a clear error; holomorphic=True for complex ones."""

import math

import numpy as np
import pytest

import s2sad
from s2sad.errors import NonScalarOutputError


def times_i(x):
    return x * 1j


def positive(x):
    return x > 0


def length(x):
    return len(x)


def truncated(x):
    return int(x)


def floor(x):
    return math.floor(x) + 0 * x


def kept_dims(x):
    return np.sum(x, keepdims=True)


def pair(x):
    return x, x


def listed(x):
    return [2.0 * x]


def whole_array(x):
    return 2.0 * x


def complex_sum(x):
    return np.sum(x ** 2)


@pytest.mark.parametrize("function, arg, says", [
    (times_i, 1.0, "a complex number"),
    (complex_sum, np.array([1.0 + 1.0j, 2.0]), "a complex number"),
    (positive, 1.0, "a bool"),
    (positive, np.float64(1.0), "a bool"),
    (length, np.ones(3), "an integer"),
    (truncated, 1.5, "an integer"),
    (kept_dims, np.ones(3), "an array of shape (1,)"),
    (pair, 1.0, "a tuple of 2 values"),
    (listed, 1.0, "a list of 1 values"),
    (whole_array, np.ones(2), "an array of shape (2,)"),
])
def test_grad_refuses_outputs_that_are_not_real_scalars(function, arg, says):
    with pytest.raises(NonScalarOutputError, match=f"returned {says}".replace("(", r"\(")
                       .replace(")", r"\)")):
        s2sad.grad(function)(arg)
    with pytest.raises(NonScalarOutputError, match=f"returned {says}".replace("(", r"\(")
                       .replace(")", r"\)")):
        s2sad.value_and_grad(function)(arg)


def test_an_integer_valued_math_function_times_a_float_is_a_float_output():
    # math.floor gives an int, but + 0 * x makes the output a float: no error, gradient 0
    assert s2sad.grad(floor)(2.5) == 0.0


def test_real_scalar_outputs_of_every_kind_are_accepted():
    x = np.array([1.0, 2.0])
    assert np.array_equal(s2sad.grad(lambda v: np.asarray(np.sum(v ** 2)))(x), [2.0, 4.0])
    assert np.array_equal(s2sad.grad(lambda v: np.float32(3.0) * v[0])(x), [3.0, 0.0])
    assert s2sad.grad(lambda v: math.sin(v) * v)(0.5) == pytest.approx(
        math.sin(0.5) + 0.5 * math.cos(0.5), rel=1e-15)
    assert s2sad.grad(lambda v: v * v)(np.float32(3.0)) == 6.0


def test_real_valued_function_of_complex_argument_keeps_its_convention():
    # L = |z|^2 = x^2 + y^2: dL/dx + i dL/dy = 2z
    z = 0.3 - 0.7j
    assert s2sad.grad(lambda v: (v * v.conjugate()).real)(z) == pytest.approx(2 * z)
    zs = np.array([1.0 + 2.0j, -0.5j])
    np.testing.assert_allclose(s2sad.grad(lambda v: np.sum(np.abs(v) ** 2))(zs), 2 * zs)


def cube(z):
    return z ** 3


def exp_sin(z):
    return np.exp(z) * np.sin(z)


def sum_of_squares(z):
    return np.sum(z * z)


def two_arguments(a, b):
    return a * np.sin(b)


def _complex_difference(f, z, h=1e-6):
    """f'(z) by central differences along the real axis (the same along any direction
    for a holomorphic f)."""
    return (f(z + h) - f(z - h)) / (2 * h)


def test_holomorphic_grad_is_the_complex_derivative():
    z = 0.3 + 0.7j
    assert s2sad.grad(cube, holomorphic=True)(z) == pytest.approx(3 * z ** 2, rel=1e-14)
    closed = np.exp(z) * (np.sin(z) + np.cos(z))
    assert s2sad.grad(exp_sin, holomorphic=True)(z) == pytest.approx(closed, rel=1e-14)
    # along the imaginary direction too: f'(z) = (f(z + ih) - f(z - ih)) / (2ih)
    h = 1e-6
    along_i = (exp_sin(z + 1j * h) - exp_sin(z - 1j * h)) / (2j * h)
    assert s2sad.grad(exp_sin, holomorphic=True)(z) == pytest.approx(along_i, rel=1e-8)
    assert _complex_difference(exp_sin, z) == pytest.approx(closed, rel=1e-8)
    zs = np.array([1.0 + 1.0j, 2.0 - 1.0j])
    np.testing.assert_allclose(s2sad.grad(sum_of_squares, holomorphic=True)(zs), 2 * zs)
    value, derivative = s2sad.value_and_grad(cube, holomorphic=True)(z)
    assert value == pytest.approx(z ** 3) and derivative == pytest.approx(3 * z ** 2)
    a, b = 0.5 - 0.2j, 1.0 + 0.4j
    da, db = s2sad.grad(two_arguments, wrt=(0, 1), holomorphic=True)(a, b)
    assert da == pytest.approx(np.sin(b)) and db == pytest.approx(a * np.cos(b))


def test_holomorphic_grad_refuses_real_arguments_and_non_scalar_outputs():
    with pytest.raises(TypeError, match="needs complex arguments"):
        s2sad.grad(cube, holomorphic=True)(2.0)
    with pytest.raises(NonScalarOutputError, match="array of shape"):
        s2sad.grad(lambda z: z * 2.0, holomorphic=True)(np.ones(2) + 0j)


def test_second_order_through_the_checked_gradient():
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(s2sad.hessian(complex_sum)(x), 2 * np.eye(2))
    np.testing.assert_array_equal(s2sad.hvp(complex_sum)(x, np.array([1.0, 0.0])), [2.0, 0.0])


def writes_first(x):
    x[0] = x[0] * 3.0
    return np.sum(x * x)


def test_the_output_check_on_complex_arguments_leaves_them_alone():
    # the check runs the function on copies: the caller's complex array is not written
    z = np.array([1.0 + 1.0j, 2.0])
    kept = z.copy()
    with pytest.raises(NonScalarOutputError, match="a complex number"):
        s2sad.grad(writes_first)(z)
    np.testing.assert_array_equal(z, kept)
    x = np.array([1.0, 2.0])
    np.testing.assert_array_equal(s2sad.grad(writes_first)(x), [18.0, 4.0])
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_allclose(s2sad.hessian(writes_first)(x), np.diag([18.0, 2.0]))


def scaled_squares(z):
    return z ** 2 * np.array([1.0, 2.0])


def test_holomorphic_jacobians_hold_the_complex_derivatives():
    z = np.array([1.0 + 1.0j, 0.5 - 2.0j])
    closed = np.diag(2 * z * np.array([1.0, 2.0]))
    np.testing.assert_allclose(s2sad.jacfwd(scaled_squares, holomorphic=True)(z), closed)
    np.testing.assert_allclose(s2sad.jacrev(scaled_squares, holomorphic=True)(z), closed)
    # without holomorphic, a row of jacrev is an adjoint: the conjugate
    np.testing.assert_allclose(s2sad.jacrev(scaled_squares)(z), np.conj(closed))
    with pytest.raises(TypeError, match="needs complex arguments"):
        s2sad.jacrev(scaled_squares, holomorphic=True)(np.ones(2))


SCALE = 2.0


def scaled_sum_of_squares(x):
    return np.sum(SCALE * x * x)


def test_a_global_that_turns_complex_makes_the_output_check_run():
    """The output check is skipped only for code that reads no value from outside: a
    global read as a real number may turn complex after the derivative is built."""
    global SCALE
    x = np.array([1.0, 2.0])
    try:
        np.testing.assert_array_equal(s2sad.grad(scaled_sum_of_squares)(x), [4.0, 8.0])
        SCALE = 2.0j
        with pytest.raises(NonScalarOutputError, match="returned a complex number"):
            s2sad.grad(scaled_sum_of_squares)(x)
    finally:
        SCALE = 2.0
