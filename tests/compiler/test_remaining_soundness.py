"""Derivatives of constructs found wrong or crashing: list tangents in forward mode,
functools.partial, private names and super() in methods, grad of a list output."""

import functools
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
        with pytest.raises(NonScalarOutputError):
            s2sad.grad(function)(1.0)
        with pytest.raises(NonScalarOutputError):
            s2sad.value_and_grad(function)(1.0)
