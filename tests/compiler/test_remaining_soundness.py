"""Derivatives of constructs found wrong or crashing: list tangents in forward mode,
functools.partial, private names and super() in methods, grad of a list output."""

import functools
import math
import warnings

import numpy as np
import pytest

import s2sad
from s2sad.errors import NonScalarOutputError, UnsupportedSyntaxError


def central(function, args, direction, eps=1e-6):
    plus = [a + eps * d for a, d in zip(args, direction)]
    minus = [a - eps * d for a, d in zip(args, direction)]
    return (function(*plus) - function(*minus)) / (2 * eps)


# -- a list display's tangent is a list (append to it) ----------------------------------

def appended(a, b):
    values = [np.tanh(a), np.cos(b)]
    values.append(np.sin(values[-1]))
    return sum(values)


def grown_from_empty(a, b):
    values = []
    values.append(a)
    values.append(b * a)
    return values[0] * values[1]


def rows_in_loop(a, b):
    out = []
    for i in range(3):
        row = [a * i, b]
        out.append(row[0] * row[1])
    out.append(np.cos(out[-1]))
    return sum(out)


def concatenated(a, b):
    v = [a * b, b]
    v = v + [np.sin(a) * b]
    v[0] = v[0] * 3.0
    return sum(v)


@pytest.mark.parametrize("function", [appended, grown_from_empty, rows_in_loop, concatenated])
def test_list_display_tangents_in_both_modes(function):
    args, direction = (0.3, 0.7), (1.0, 2.0)
    expected = central(function, args, direction)
    value, tangent = s2sad.jvp(function, args, direction)
    assert value == pytest.approx(function(*args))
    assert tangent == pytest.approx(expected, rel=1e-7)
    _, tangents = s2sad.jvp(function, args, (np.array([1.0, -1.0]), np.array([2.0, 0.5])),
                            batched=True)
    second = central(function, args, (-1.0, 0.5))
    assert tangents == pytest.approx([expected, second], rel=1e-7)
    ga, gb = s2sad.grad(function, wrt=(0, 1))(*args)
    assert ga * 1.0 + gb * 2.0 == pytest.approx(expected, rel=1e-7)


def test_list_display_second_order():
    # grown_from_empty is a * a * b: its Hessian is [[2b, 2a], [2a, 0]]
    a, b = 0.3, 0.7
    hv = s2sad.hvp(grown_from_empty, wrt=(0, 1))(a, b, (1.0, 2.0))
    assert hv == pytest.approx((2 * b + 4 * a, 2 * a))


# -- functools.partial ------------------------------------------------------------------

def h(x, a, b=1.0):
    return a * x * x + b * np.sin(x)


def test_partial_with_keyword_bound():
    p = functools.partial(h, a=2.0)
    assert s2sad.grad(p)(3.0) == pytest.approx(12.0 + np.cos(3.0))
    value, g = s2sad.value_and_grad(p)(3.0, b=0.5)
    assert value == pytest.approx(18.0 + 0.5 * np.sin(3.0))
    assert g == pytest.approx(12.0 + 0.5 * np.cos(3.0))
    assert s2sad.jvp(p, (3.0,), (2.0,))[1] == pytest.approx(2 * (12.0 + np.cos(3.0)))
    out, vjp_fn = s2sad.vjp(p, 3.0)
    assert out == pytest.approx(h(3.0, 2.0))
    assert vjp_fn(1.0)[0] == pytest.approx(12.0 + np.cos(3.0))
    assert s2sad.hvp(p)(3.0, 1.0) == pytest.approx(4.0 - np.sin(3.0))
    assert "def h_adjoint" in s2sad.source(p)


def test_partial_with_position_bound_counts_remaining_parameters():
    p = functools.partial(h, 3.0)  # x = 3; wrt=0 is a now
    assert s2sad.grad(p)(2.0) == pytest.approx(9.0)
    assert s2sad.grad(p, wrt="b")(2.0, 0.5) == pytest.approx(np.sin(3.0))
    assert s2sad.grad(p, wrt=1)(2.0, 0.5) == pytest.approx(np.sin(3.0))


def test_partial_jacobians_and_hessian():
    def cubic(x, a):
        return np.sum(a * x ** 3)

    q = functools.partial(cubic, a=2.0)
    x = np.array([3.0, 1.0])
    np.testing.assert_allclose(s2sad.hessian(q)(x), np.diag(12.0 * x))
    r = functools.partial(h, a=2.0)
    expected = np.diag(4.0 * x + np.cos(x))
    np.testing.assert_allclose(s2sad.jacfwd(r)(x), expected)
    np.testing.assert_allclose(s2sad.jacrev(r)(x), expected)
    np.testing.assert_allclose(s2sad.jacfwd(r, vectorized=False)(x), expected)


def test_partial_holomorphic():
    z = 3.0 + 1.0j
    g = s2sad.grad(functools.partial(h, a=2.0), holomorphic=True)(z)
    assert g == pytest.approx(4.0 * z + np.cos(z))


# -- methods: private names, super() --------------------------------------------------

class Private:
    def __init__(self):
        self.__k = 2.0

    def m(self, x):
        return self.__k * x * x

    def n(self, x):
        __a = x * self.__k
        return __a * x


class _Derived(Private):
    __s = 3.0

    def m(self, x):
        return self._Private__k * x * self.__s


@pytest.mark.parametrize("method, obj, slope", [
    (Private.m, Private(), 12.0), (Private.n, Private(), 12.0), (_Derived.m, _Derived(), 6.0)])
def test_private_names_are_mangled(method, obj, slope):
    assert s2sad.grad(method, wrt=1)(obj, 3.0) == pytest.approx(slope)
    assert s2sad.jvp(method, (obj, 3.0), (None, 2.0))[1] == pytest.approx(2 * slope)


def test_private_name_second_order():
    assert s2sad.hvp(Private.m, wrt=1)(Private(), 3.0, 1.0) == pytest.approx(4.0)


class Base:
    def m(self, x):
        return x * x * x


class Child(Base):
    def m(self, x):
        return super().m(x) * 2.0

    def explicit(self, x):
        return super().m(x) + np.sin(x)

    def nested(self, x):
        def g(y):
            return super().m(y)
        return g(x)


def test_super_without_arguments():
    assert s2sad.grad(Child.m, wrt=1)(Child(), 3.0) == pytest.approx(54.0)
    assert s2sad.jvp(Child.m, (Child(), 3.0), (None, 1.0))[1] == pytest.approx(54.0)


def test_super_with_arguments():
    assert s2sad.grad(Child.explicit, wrt=1)(Child(), 2.0) == pytest.approx(12.0 + np.cos(2.0))


def test_super_in_nested_function_is_refused_at_its_line():
    with pytest.raises(UnsupportedSyntaxError, match="super") as error:
        s2sad.grad(Child.nested, wrt=1)(Child(), 3.0)
    assert "super(C, self)" in str(error.value)


# -- grad of a list output: the clear error, no warning -------------------------------

def listed(x):
    return [x, x]


def mapped(x):
    return {"a": x}


@pytest.mark.parametrize("function", [listed, mapped])
def test_grad_of_container_output_warns_nothing(function):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        says = "a list of 2 values" if function is listed else "a dict of 1 values"
        with pytest.raises(NonScalarOutputError, match=f"but {function.__name__} returned {says}"):
            s2sad.grad(function)(1.0)
        with pytest.raises(NonScalarOutputError, match=f"but {function.__name__} returned {says}"):
            s2sad.value_and_grad(function)(1.0)


# -- a NaN argument of an elementwise extremum: the derivative is NaN as the value is ---

NAN = np.nan


def relu_sum(x):
    return np.sum(np.maximum(x, 0.0))


def floor_sum(x):
    return np.sum(np.minimum(0.0, x))


def fmax_sum(x):
    return np.sum(np.fmax(x, 0.0))


def fmin_sum(x):
    return np.sum(np.fmin(0.0, x))


def clip_sum(x):
    return np.sum(np.clip(x, -0.5, 0.5))


def clip_method_sum(x):
    return np.sum(x.clip(-0.5, 0.5))


X = np.array([NAN, 1.0, -1.0, 0.0, 0.25])


@pytest.mark.parametrize("function, expected", [
    (relu_sum, [NAN, 1.0, 0.0, 0.5, 1.0]),
    (floor_sum, [NAN, 0.0, 1.0, 0.5, 0.0]),
    (fmax_sum, [0.0, 1.0, 0.0, 0.5, 1.0]),   # fmax ignores the NaN: 0.0 is chosen
    (fmin_sum, [0.0, 0.0, 1.0, 0.5, 0.0]),
    (clip_sum, [NAN, 0.0, 0.0, 1.0, 1.0]),
    (clip_method_sum, [NAN, 0.0, 0.0, 1.0, 1.0]),
])
def test_nan_in_elementwise_extrema(function, expected):
    assert np.isnan(function(X)) == np.isnan(expected[0])
    np.testing.assert_array_equal(s2sad.grad(function)(X), expected)
    for k in range(1, 5):  # forward mode, column by column
        direction = np.zeros(5)
        direction[k] = 1.0
        _, tangent = s2sad.jvp(function, (X,), (direction,))
        assert np.isnan(tangent) if np.isnan(function(X)) else tangent == expected[k]
    clean = X[1:]  # without the NaN: central differences (away from the kinks)
    shifted = clean + np.array([0.0, 0.0, 0.1, 0.0])
    numeric = [(function(shifted + 1e-6 * e) - function(shifted - 1e-6 * e)) / 2e-6
               for e in np.eye(4)]
    np.testing.assert_allclose(s2sad.grad(function)(shifted), numeric, atol=1e-8)


def test_nan_in_either_argument_of_two_arrays():
    def both(x, y):
        return np.sum(np.maximum(x, y))

    def both_f(x, y):
        return np.sum(np.fmax(x, y))

    a = np.array([NAN, 1.0, NAN, 2.0])
    b = np.array([0.0, NAN, NAN, 2.0])
    ga, gb = s2sad.grad(both, wrt=(0, 1))(a, b)
    np.testing.assert_array_equal(ga, [NAN, 0.0, NAN, 0.5])
    np.testing.assert_array_equal(gb, [0.0, NAN, NAN, 0.5])
    ga, gb = s2sad.grad(both_f, wrt=(0, 1))(a, b)
    np.testing.assert_array_equal(ga, [0.0, 1.0, NAN, 0.5])
    np.testing.assert_array_equal(gb, [1.0, 0.0, NAN, 0.5])


def test_nan_bound_of_clip():
    def clipped(x, lo):
        return np.sum(np.clip(x, lo, 0.5))

    _, g_lo = s2sad.grad(clipped, wrt=(0, 1))(np.array([0.2, 0.2, -1.0]),
                                              np.array([0.0, NAN, 0.0]))
    np.testing.assert_array_equal(g_lo, [0.0, NAN, 1.0])


def test_nan_in_scalar_extrema_and_builtin_max():
    def scalar(x):
        return np.maximum(x, 0.5) * 2.0

    def builtin(x, y):
        return max(x, y) * 2.0

    assert np.isnan(s2sad.grad(scalar)(NAN))
    assert s2sad.grad(scalar)(1.0) == 2.0
    gx, gy = s2sad.grad(builtin, wrt=(0, 1))(NAN, 1.0)  # Python's max returns the NaN
    assert np.isnan(gx) and gy == 0.0
    assert s2sad.grad(builtin, wrt=(0, 1))(1.0, NAN) == (2.0, 0.0)  # and here 1.0
    assert np.isnan(s2sad.jvp(builtin, (NAN, 1.0), (1.0, 0.0))[1])


def test_extrema_keep_single_precision_and_differentiate_twice():
    x32 = np.array([1.0, -1.0], np.float32)
    assert s2sad.grad(relu_sum)(x32).dtype == np.float32

    def squared(x):
        return np.sum(np.maximum(x, 0.0) ** 2)

    np.testing.assert_array_equal(s2sad.hvp(squared)(np.array([NAN, 2.0, -1.0]),
                                                     np.ones(3)), [NAN, 2.0, 0.0])


def clipped_method_squares(x):
    return np.sum(x.clip(-0.5, 0.5) ** 2)


def clipped_squares(x):
    return np.sum(np.clip(x, -0.5, 0.5) ** 2)


def fmin_squares(x):
    return np.sum(np.fmin(x, 0.5) ** 2)


@pytest.mark.parametrize("function, first", [
    (clipped_method_squares, NAN), (clipped_squares, NAN), (fmin_squares, 0.0)])
def test_clipped_squares_differentiate_twice(function, first):
    np.testing.assert_array_equal(s2sad.hvp(function)(np.array([NAN, 0.2, 1.0]), np.ones(3)),
                                  [first, 2.0, 0.0])


# -- np.sign of complex values: x / |x|, whose derivative is not zero ------------------

def signed(z, w):
    return np.sum(np.real(np.sign(z) * w))


def sign_helper(z):
    return np.sign(z)


def signed_through_call(z, w):
    return np.sum(np.real(sign_helper(z) * w))


Z = np.array([1.0 + 2.0j, -1.0 + 0.5j])
W = np.array([1.0, 2.0])


def complex_gradient(function, z, *rest, eps=1e-6):
    """dL/dRe + i dL/dIm by central differences."""
    out = np.zeros(z.shape, complex)
    for k in range(z.size):
        e = np.zeros(z.shape, complex)
        e[k] = eps
        re = (function(z + e, *rest) - function(z - e, *rest)) / (2 * eps)
        im = (function(z + 1j * e, *rest) - function(z - 1j * e, *rest)) / (2 * eps)
        out[k] = re + 1j * im
    return out


@pytest.mark.parametrize("function", [signed, signed_through_call])
def test_sign_of_complex_values_in_both_modes(function):
    expected = complex_gradient(function, Z, W)
    np.testing.assert_allclose(s2sad.grad(function)(Z, W), expected, rtol=1e-7)
    direction = np.array([1j, 1.0 - 0.5j])
    numeric = (function(Z + 1e-6 * direction, W) - function(Z - 1e-6 * direction, W)) / 2e-6
    assert s2sad.jvp(function, (Z, W), (direction, np.zeros(2)))[1] == pytest.approx(
        numeric, rel=1e-7)
    _, tangents = s2sad.jvp(function, (Z, W), (np.stack([direction, 2 * direction]),
                                               np.zeros((2, 2))), batched=True)
    assert tangents == pytest.approx([numeric, 2 * numeric], rel=1e-7)
    _, vjp_fn = s2sad.vjp(function, Z, W)
    np.testing.assert_allclose(vjp_fn(1.0)[0], expected, rtol=1e-7)


def test_sign_jacobian_closed_form():
    z = np.array([1.0 + 1.0j, 2.0 + 0.0j])
    # the tangent of z/|z| along a real direction at z: (1 - u Re(u)) / |z|, u = z/|z|
    u = z / np.abs(z)
    jacobian = s2sad.jacfwd(sign_helper)(z)
    np.testing.assert_allclose(np.diag(jacobian), (1 - u * np.real(u)) / np.abs(z),
                               atol=1e-15)


def test_sign_of_real_values_stays_nondifferentiable():
    x = np.array([1.0, -2.0])
    np.testing.assert_array_equal(s2sad.grad(signed)(x, W), [0.0, 0.0])

    def odd(x):
        return np.sum(np.real(np.sign(x) * x))   # |x| for real x: derivative sign(x)

    np.testing.assert_array_equal(s2sad.grad(odd)(np.array([2.0, -3.0])), [1.0, -1.0])
    # the code for real arguments has no derivative of np.sign; complex ones get one
    for mode in ("reverse", "forward"):
        real_version = s2sad.source(odd, mode=mode)  # the version real arguments select
        assert "all_real" in real_version
        assert "sign_adjoint" not in real_version and "sign_tangent" not in real_version
        general = s2sad.source(odd, mode=mode, general=True)
        assert "sign_adjoint" in general or "sign_tangent" in general
    z = np.array([3.0 + 4.0j])  # Re(z^2 / |z|) for complex z
    np.testing.assert_allclose(s2sad.grad(odd)(z), complex_gradient(odd, z), rtol=1e-7)


# -- derivatives of the special functions the rules use: second order of gamma & co ----

def test_polygamma_closed_forms():
    from s2sad.runtime.elementwise import digamma, polygamma

    assert polygamma(1, 1.0) == pytest.approx(np.pi ** 2 / 6, rel=1e-14)
    assert polygamma(1, 0.5) == pytest.approx(np.pi ** 2 / 2, rel=1e-14)
    assert polygamma(1, -0.5) == pytest.approx(np.pi ** 2 / 2 + 4.0, rel=1e-14)
    assert polygamma(2, 1.0) == pytest.approx(-2 * 1.2020569031595942, rel=1e-14)
    assert polygamma(3, 1.0) == pytest.approx(np.pi ** 4 / 15, rel=1e-14)
    assert polygamma(0, 2.5) == digamma(2.5)
    assert np.isnan(polygamma(1, -2.0)) and np.isnan(polygamma(2, 0.0))


def gamma_of(x):
    return math.gamma(x)


def lgamma_of(x):
    return math.lgamma(x)


lgamma_gradient = s2sad.grad(lgamma_of)


def test_gamma_differentiates_twice_and_three_times():
    from s2sad.runtime.elementwise import digamma, polygamma

    x = 2.5
    expected = math.gamma(x) * (digamma(x) ** 2 + polygamma(1, x))
    assert s2sad.hvp(gamma_of)(x, 1.0) == pytest.approx(expected, rel=1e-13)
    assert s2sad.hessian(gamma_of)(x) == pytest.approx(expected, rel=1e-13)
    h = 1e-5
    numeric = (s2sad.grad(gamma_of)(x + h) - s2sad.grad(gamma_of)(x - h)) / (2 * h)
    assert expected == pytest.approx(numeric, rel=1e-8)
    assert s2sad.hvp(lgamma_of)(x, 1.0) == pytest.approx(polygamma(1, x), rel=1e-14)
    # third order: the tangent of lgamma's gradient's tangent
    assert s2sad.hvp(lgamma_gradient)(x, 1.0) == pytest.approx(polygamma(2, x), rel=1e-13)
    assert s2sad.hvp(lgamma_of)(-0.5, 1.0) == pytest.approx(np.pi ** 2 / 2 + 4.0, rel=1e-13)


def test_i0_and_sinc_differentiate_twice():
    def bessel(x):
        return np.sum(np.i0(x))

    def sinc(x):
        return np.sum(np.sinc(x))

    x = np.array([0.0, 1.5, 0.004, 0.7])
    h = 1e-5
    for function in (bessel, sinc):
        numeric = (s2sad.grad(function)(x + h) - s2sad.grad(function)(x - h)) / (2 * h)
        np.testing.assert_allclose(s2sad.hvp(function)(x, np.ones(4)), numeric, rtol=1e-7,
                                   atol=1e-8)
    assert s2sad.hvp(sinc)(np.array([0.0]), np.ones(1))[0] == pytest.approx(-np.pi ** 2 / 3)
    assert s2sad.hvp(bessel)(np.array([0.0]), np.ones(1))[0] == pytest.approx(0.5)


def test_sign_of_complex_values_second_order():
    def squared(z, w):
        return np.sum(np.real(np.sign(z) * w) ** 2)

    w = np.array([1.0, 2.0 - 1.0j])
    v = np.array([1.0 - 1.0j, 0.5j])
    gradient = s2sad.grad(squared)
    h = 1e-5
    numeric = (gradient(Z + h * v, w) - gradient(Z - h * v, w)) / (2 * h)
    np.testing.assert_allclose(s2sad.hvp(squared)(Z, w, v), numeric, rtol=1e-8)
    np.testing.assert_array_equal(s2sad.hvp(squared)(np.array([1.0, -2.0]), W, np.ones(2)),
                                  [0.0, 0.0])


def test_sign_second_derivative_helpers_transpose_each_other():
    from s2sad.runtime.elementwise import sign_second_adjoint, sign_second_tangent, sign_tangent

    rng = np.random.default_rng(0)
    x, v, w, b = (rng.normal(size=3) + 1j * rng.normal(size=3) for _ in range(4))
    h = 1e-6
    numeric = (sign_tangent(v, x + h * w) - sign_tangent(v, x - h * w)) / (2 * h)
    np.testing.assert_allclose(sign_second_tangent(v, x, w), numeric, rtol=1e-7)
    lhs = np.sum(np.real(np.conj(b) * sign_second_tangent(v, x, w)))
    rhs = np.sum(np.real(np.conj(sign_second_adjoint(b, v, x)) * w))
    assert lhs == pytest.approx(rhs, rel=1e-12)
