"""Kinds before arithmetic: ``+`` and ``*`` on lists and tuples join and repeat them
(their derivatives split and sum), and casts to integer or boolean dtypes have a zero
derivative. Checked against closed forms and central differences."""

import numpy as np
import pytest

import s2sad
from s2sad.errors import NonScalarOutputError
from s2sad.testing import check_grads

# ---- sequences under + and * -------------------------------------------------------


def joined_lists(a, b):
    v = [a] + [b * 2.0]
    return v[0] * v[1]


def repeated_list(a):
    return sum([a, 2.0 * a] * 2)


def joined_tuples(a, b):
    t = (a,) + (2.0 * b,)
    return t[0] * t[1]


def test_list_concatenation_is_not_addition():
    assert s2sad.grad(joined_lists, wrt=(0, 1))(1.1, 0.5) == pytest.approx((1.0, 2.2))
    assert s2sad.jvp(joined_lists, (1.1, 0.5), (1.0, 0.0))[1] == pytest.approx(1.0)
    assert s2sad.jvp(joined_lists, (1.1, 0.5), (0.0, 1.0))[1] == pytest.approx(2.2)
    check_grads(joined_lists, (1.1, 0.5))


def test_list_repetition_is_not_multiplication():
    assert s2sad.grad(repeated_list)(1.0) == 6.0
    assert s2sad.jvp(repeated_list, (1.0,), (1.0,)) == (6.0, 6.0)
    check_grads(repeated_list, (0.7,))


def test_tuple_concatenation():
    assert s2sad.jvp(joined_tuples, (1.0, 2.0), (1.0, 0.0)) == (4.0, 4.0)
    assert s2sad.grad(joined_tuples, wrt=(0, 1))(1.0, 2.0) == pytest.approx((4.0, 2.0))
    check_grads(joined_tuples, (1.0, 2.0))


def tuples_of_arrays(a, b):
    t = (a, b) + (a * b,)
    return np.sum(t[0] * t[2]) + np.sum(t[1])


def test_tuples_of_arrays_joined():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    gx, gy = s2sad.grad(tuples_of_arrays, wrt=(0, 1))(x, y)
    np.testing.assert_allclose(gx, 2 * x * y)
    np.testing.assert_allclose(gy, x * x + 1)
    check_grads(tuples_of_arrays, (x, y))


def repeated_both_sides(a):
    s = (a, 2.0 * a)
    u = 2 * s
    w = s * 3
    return u[3] * w[4] + u[0]


def test_repetition_on_either_side():
    assert s2sad.grad(repeated_both_sides)(1.5) == pytest.approx(4 * 1.5 + 1)
    check_grads(repeated_both_sides, (1.5,))


def zeros_then_written(a, n):
    v = [0.0] * n
    v[1] = a * 3.0
    v[0] = a
    return v[0] * v[1] + v[2]


def test_repeated_zeros_then_written():
    assert s2sad.grad(zeros_then_written)(2.0, 3) == pytest.approx(12.0)
    check_grads(zeros_then_written, (2.0, 3))


def concatenated_in_loop(xs):
    out = []
    for x in xs:
        y = x * x
        out = out + [y]
    return out[0] + 2.0 * out[1]


def test_concatenation_in_a_loop():
    np.testing.assert_allclose(s2sad.grad(concatenated_in_loop)(np.array([1.0, 2.0])),
                               [2.0, 8.0])
    check_grads(concatenated_in_loop, (np.array([1.0, 2.0]),))


def summed_lists(a):
    ls = [[a], [2.0 * a, a * a]]
    flat = sum(ls, [])
    return flat[0] * flat[1] + flat[2]


def test_python_sum_of_lists_concatenates():
    assert s2sad.grad(summed_lists)(1.5) == pytest.approx(4 * 1.5 + 2 * 1.5)
    check_grads(summed_lists, (1.5,))


def string_joined(a):
    s = "a" + "b"
    return a * len(s)


def test_strings_are_inactive():
    assert s2sad.grad(string_joined)(1.5) == 2.0


def joined_parameters(xs, ys):
    zs = xs + ys
    return zs[0] * zs[2]


def repeated_parameter(xs, k):
    ys = xs * k
    return ys[0] + ys[3]


def test_sequences_the_code_does_not_show_are_refused_at_run_time():
    with pytest.raises(TypeError, match="could not tell from the code"):
        s2sad.grad(joined_parameters)([1.0, 2.0], [3.0])
    with pytest.raises(TypeError, match="could not tell from the code"):
        s2sad.jvp(joined_parameters, ([1.0, 2.0], [3.0]), ([1.0, 0.0], [0.0]))
    with pytest.raises(TypeError, match="could not tell from the code"):
        s2sad.grad(repeated_parameter)([1.0, 2.0], 2)
    # the same functions on arrays are arithmetic
    x, y = np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.25, 2.0])
    np.testing.assert_allclose(s2sad.grad(joined_parameters)(x, y), [x[2] + y[2], 0, x[0] + y[0]])


def repeated_and_read(xs, k):
    ys = xs * k
    return ys[0] * xs[1]


def test_a_parameter_that_may_be_a_list_adds_its_adjoints_item_by_item():
    # xs * 1 keeps the length, so nothing raises: the adjoints of xs from ys and from
    # xs[1] must add as lists, not join
    assert s2sad.grad(repeated_and_read)([1.0, 2.0], 1) == [2.0, 1.0]
    np.testing.assert_allclose(s2sad.grad(repeated_and_read)(np.array([1.0, 2.0]), 3.0),
                               [6.0, 3.0])


def test_second_order_through_concatenation():
    def f(a, b):
        v = [a] + [b * 2.0]
        return v[0] * v[1] * v[1]  # 4 a b^2

    h = s2sad.hvp(f, wrt=(0, 1))(1.1, 0.5, (1.0, 0.0))
    assert h == pytest.approx((0.0, 8 * 0.5))
    h = s2sad.hvp(f, wrt=(0, 1))(1.1, 0.5, (0.0, 1.0))
    assert h == pytest.approx((8 * 0.5, 8 * 1.1))

    def g(a):
        return sum([a, a * a] * 3)  # 3 a + 3 a^2

    assert s2sad.hvp(g)(0.7, 1.0) == pytest.approx(6.0)


def joined_and_repeated_array(a):
    v = [a[0]] + [a[1] * 2.0]
    return np.array(v * 2) * a[0]


def test_jacobians_through_joined_lists():
    a = np.array([1.1, 0.5])
    expected = [[2 * a[0], 0.0], [2 * a[1], 2 * a[0]]] * 2
    np.testing.assert_allclose(s2sad.jacfwd(joined_and_repeated_array)(a), expected)
    np.testing.assert_allclose(s2sad.jacrev(joined_and_repeated_array)(a), expected)


def extended_in_place(a):
    lst = []
    lst += [a * a]
    lst += [3.0 * a]
    return lst[0] * lst[1]


def parameter_joined_to_a_display(xs, a):
    ys = xs + [a]
    return ys[0] * ys[-1]


def test_augmented_concatenation_and_a_parameter_joined_to_a_list():
    assert s2sad.grad(extended_in_place)(1.5) == pytest.approx(9 * 1.5**2)
    check_grads(extended_in_place, (1.5,))
    assert s2sad.grad(parameter_joined_to_a_display, wrt=(0, 1))([2.0, 3.0], 1.5) == (
        [1.5, 0.0], 2.0)


def repeated_in_place(a):
    lst = [a, 2.0 * a]
    lst *= 2
    return lst[3] * lst[0]


def test_augmented_repetition_of_a_list_is_refused():
    with pytest.raises(SyntaxError, match="augmented assignment to 'lst'"):
        s2sad.grad(repeated_in_place)(1.5)


# ---- casts -------------------------------------------------------------------------

X = np.array([1.2, 2.3])
ONES = np.ones(2)


def squared_int_cast(x):
    return np.sum(x.astype(np.int32) ** 2 * 1.5)


def integer_valued(x):
    return np.sum(x.astype(np.int32) ** 2)


def astype_bool(x):
    return np.sum(x.astype(bool) * x)


def astype_code(x):
    return np.sum(x.astype("i4") * x)


def asarray_int(x):
    return np.sum(np.asarray(x, dtype=int) * x)


def array_int64(x):
    return np.sum(np.array(x, dtype=np.int64) * x)


def array_int_name(x):
    return np.sum(np.array(x, dtype="int32") * x)


def contiguous_int(x):
    return np.sum(np.ascontiguousarray(x, dtype=int) * x)


def rounded_then_cast(x):
    return np.sum(np.round(x).astype(int) * x)


def scalar_type_int(x):
    return np.int64(x[0]) * x[1]


def builtin_int(x):
    return int(x[0]) * x[1] + bool(x[1]) * x[0]


def summed_as_int(x):
    return np.sum(x, dtype=int) * x[0] + x.sum(dtype=np.int64) * x[1]


def mean_as_int(x):
    return np.mean(x, dtype=int) * x[0]


def cumsum_as_int(x):
    return np.sum(np.cumsum(x, dtype="int64")) * x[0]


def full_like_int(x):
    return np.sum(np.full_like(x, x[0], dtype=int)) * x[1] + np.sum(np.full(3, x[1], dtype=int))


INTEGER_CASTS = [
    (squared_int_cast, [0.0, 0.0]),
    (astype_bool, [1.0, 1.0]),
    (astype_code, [1.0, 2.0]),
    (asarray_int, [1.0, 2.0]),
    (array_int64, [1.0, 2.0]),
    (array_int_name, [1.0, 2.0]),
    (contiguous_int, [1.0, 2.0]),
    (rounded_then_cast, [1.0, 2.0]),
    (scalar_type_int, [0.0, 1.0]),
    (builtin_int, [1.0, 1.0]),
    (summed_as_int, [3.0 + 0.0, 3.0]),
    (mean_as_int, [1.0, 0.0]),
    (cumsum_as_int, [4.0, 0.0]),
    (full_like_int, [0.0, 2.0]),
]


@pytest.mark.parametrize("function, expected", INTEGER_CASTS,
                         ids=[f.__name__ for f, _ in INTEGER_CASTS])
def test_integer_and_boolean_casts_have_zero_derivative(function, expected):
    """The exact gradient: the casts contribute exactly zero, in both modes."""
    np.testing.assert_array_equal(s2sad.grad(function)(X), expected)
    tangents = [s2sad.jvp(function, (X,), (e,))[1] for e in np.eye(2)]
    np.testing.assert_array_equal(tangents, expected)


def test_an_integer_valued_function_has_a_zero_tangent_and_no_gradient():
    """Its value is an integer: the tangent is exactly zero, and grad refuses it as JAX
    does (an integer output has no gradient)."""
    tangents = [s2sad.jvp(integer_valued, (X,), (e,))[1] for e in np.eye(2)]
    np.testing.assert_array_equal(tangents, [0.0, 0.0])
    with pytest.raises(NonScalarOutputError, match="returned an integer"):
        s2sad.grad(integer_valued)(X)


def float32_cast(x):
    return x.astype(np.float32) * 2.0


def test_float_cast_casts_the_tangent_and_the_adjoint_goes_back():
    y, t = s2sad.jvp(float32_cast, (X,), (ONES,))
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t, [2.0, 2.0])
    _, back = s2sad.vjp(float32_cast, X)
    (g,) = back(np.ones(2, np.float32))
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g, [2.0, 2.0])


def reduction_in_float32(x):
    return np.prod(x, dtype=np.float32) + np.var(x, dtype=np.float32) + np.std(
        x, dtype=np.float32) + np.sum(np.cumprod(x, dtype=np.float32)) + np.sum(
        np.full_like(x, x[0], dtype=np.float32))


def test_dtype_arguments_give_the_tangent_their_dtype():
    y, t = s2sad.jvp(reduction_in_float32, (X,), (ONES,))
    assert np.result_type(y) == np.float32 and np.result_type(t) == np.float32
    closed = (X[1] + X[0]) + 0.0 + 0.0 + (1 + X[1] + X[0]) + 2.0  # spread: var, std unchanged
    assert float(t) == pytest.approx(closed, rel=1e-6)
    g = s2sad.grad(reduction_in_float32)(X)
    assert g.dtype == np.float64
    assert float(g @ ONES) == pytest.approx(closed, rel=1e-6)


def scalar_type_float32(x):
    return np.float32(x[0]) * x[1]


def test_numpy_float_type_as_a_cast():
    np.testing.assert_allclose(s2sad.grad(scalar_type_float32)(X),
                               [X[1], np.float32(X[0])], rtol=1e-7)
    check_grads(lambda x: np.float64(x[0]) * x[1], (X,))


def complex_to_real(x):
    return np.sum(((1 + 2j) * x).astype(np.float64) ** 2)


def test_complex_to_real_cast_takes_the_real_part():
    with np.errstate(all="ignore"), pytest.warns(np.exceptions.ComplexWarning):
        np.testing.assert_allclose(s2sad.grad(complex_to_real)(X), 2 * X)
        assert s2sad.jvp(complex_to_real, (X,), (ONES,))[1] == pytest.approx(2 * X.sum())


def complex_built(a, b):
    z = complex(a, b)
    return (z * z).real


def test_complex_from_real_and_imaginary_parts():
    assert s2sad.grad(complex_built, wrt=(0, 1))(1.5, 0.5) == pytest.approx((3.0, -1.0))
    check_grads(complex_built, (1.5, 0.5))


def cast_by_argument(x, t):
    return np.sum(x.astype(t) * x)


def asarray_by_argument(x, t):
    return np.sum(np.asarray(x, dtype=t) * x)


def test_a_dtype_known_only_at_run_time():
    np.testing.assert_array_equal(s2sad.grad(cast_by_argument)(X, np.int32), [1.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(cast_by_argument)(X, np.float64), 2 * X)
    with pytest.raises(SyntaxError, match="cannot tell whether this dtype"):
        s2sad.grad(asarray_by_argument)(X, np.int32)
    np.testing.assert_allclose(s2sad.grad(own_dtype)(X), 2 * X)
    np.testing.assert_allclose(s2sad.jvp(own_dtype, (X,), (ONES,))[1], 2 * X.sum())


def own_dtype(x):
    return np.sum(np.asarray(x, dtype=x.dtype) * x)


def test_second_order_through_casts():
    def f(x):
        return np.sum(x.astype(int) * x ** 2)  # Hessian diag(2 int(x))

    np.testing.assert_array_equal(s2sad.hvp(f)(X, ONES), [2.0, 4.0])

    def g(x):
        return np.sum(x.astype(np.float32) ** 3)

    np.testing.assert_allclose(s2sad.hvp(g)(X, ONES), 6 * X, rtol=1e-6)

    def h(x, t):
        return np.sum(x.astype(t) * x ** 2)

    np.testing.assert_array_equal(s2sad.hvp(h)(X, np.int32, ONES), [2.0, 4.0])
    np.testing.assert_allclose(s2sad.hvp(h)(X, np.float64, ONES), 6 * X)
