"""Closures over values carrying a derivative, passed straight to functions of the user's
(an integrator, a root finder, an ODE solver): differentiated in the captured values and
the other arguments, in both modes and at second order. Each derivative is checked
against central differences and the dot-product identity between forward and reverse
mode (check_grads), a closed form where there is one, and Hessians against differences
of the gradient; what stays refused names the user's file and line."""

import math

import numpy as np
import pytest

import s2sad
from s2sad.errors import UnsupportedSyntaxError
from s2sad.testing import check_grads

X = np.array([0.3, -0.7, 1.1])
PARAMS = np.array([1.0, 0.5, 0.3, 0.8])
Y0 = np.array([1.0, 0.7])


def simpson(fn, a, b, n=8):
    h = (b - a) / n
    s = fn(a) + fn(b)
    for i in range(1, n):
        s = s + (4 if i % 2 else 2) * fn(a + i * h)
    return s * h / 3


def integrate(k, b):
    def integrand(t):
        return math.exp(-k * t) * math.sin(t)
    return simpson(integrand, 0.0, b)


def newton(f, df, x):
    for _ in range(30):
        x = x - f(x) / df(x)
    return x


def implicit_root(a):
    return newton(lambda x: x ** 3 + a * x - 1.0, lambda x: 3 * x ** 2 + a, 1.0)


def rk4(rhs, y, h, n):
    for _ in range(n):
        k1 = rhs(y)
        k2 = rhs(y + h / 2 * k1)
        k3 = rhs(y + h / 2 * k2)
        k4 = rhs(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def lotka(params, y0):
    a, b, c, d = params
    def rhs(y):
        return np.array([a * y[0] - b * y[0] * y[1], c * y[0] * y[1] - d * y[1]])
    return np.sum(rk4(rhs, y0, 0.1, 20) ** 2)


def euler(f, y, h, steps):
    for i in range(steps):
        y = y + h * f(i * h, y)
    return y


def lambda_bound_to_a_name(c, x):
    f = lambda t, y: np.sin(t * c) - c * y  # noqa: E731
    return np.sum(euler(f, x, 0.1, 3))


def summed(fn, xs):
    total = 0.0
    for v in xs:
        total = total + fn(v)
    return total


def array_and_float(w, s):
    def g(t):
        return s * np.tanh(np.dot(w, t))
    return summed(g, [w * 0.5, w[::-1], np.ones(3)])


def by_keyword(k, b):
    def integrand(t):
        return math.exp(-k * t) * math.sin(t)
    return simpson(a=0.0, b=b, fn=integrand, n=6) + summed(xs=[0.1, b], fn=integrand)


def product_at(fn, x):
    return fn(x) * fn(x + 1.0)


def passes_it_on(fn, x):
    return product_at(fn, x) + product_at(fn, 2 * x)


def passed_on(c, x):
    return np.sum(passes_it_on(lambda t: np.sin(c * t), x))


def repeat(fn, x, n):
    if n == 0:
        return x
    return repeat(fn, fn(x), n - 1)


def recursive(c, x):
    return np.sum(repeat(lambda t: np.tanh(c * t), x, 3))


def smooth(fn, x):
    def both(t):
        return fn(t) + fn(2 * t)
    return both(x) * both(x + 1)


def read_by_a_nested_function(c, x):
    return np.sum(smooth(lambda t: np.sin(c * t), x))


def local_helper(c, x):
    def helper(fn, y):
        return fn(y) * fn(2 * y)
    return np.sum(helper(lambda t: c * t ** 2, x))


def local_helper_capturing(c, x):
    def helper(fn, y):
        return fn(y) * fn(2 * y) + c * y
    return np.sum(helper(lambda t: c * t ** 2, x))


def positional_only(fn, /, x, *, scale=2.0):
    return scale * fn(x)


def keyword_only(x, *, f, g=None):
    return f(x) * 3


def parameter_kinds(c, x):
    return np.sum(positional_only(lambda t: c * t, x) + keyword_only(x, f=lambda t: np.sin(c * t)))


twice = lambda fn, x: fn(x) * fn(2 * x)  # noqa: E731


def given_to_a_lambda(c, x):
    return np.sum(twice(lambda t: c * t, x))


def mapped(c, x):
    def g(a, b):
        return np.sin(c * a) * b
    return sum(map(lambda t: c * t ** 2, list(x))) + sum(map(g, list(x), [1.0, 2.0, 3.0]))


def keyed(c, x):
    def closeness(v):
        return (v - c) ** 2
    xs = list(x)
    return sorted(xs, key=closeness)[0] * c + min(xs, key=closeness) + max(xs, key=closeness) ** 2


def two_closures(c, x):
    def f(t):
        return np.sin(c * t)
    def g(t):
        return t * x[0]
    return np.sum(product_at(f, x) + product_at(g, x) + product_at(f, 2 * x))


CASES = [
    (integrate, (0.5, 2.0)),
    (implicit_root, (1.5,)),
    (lotka, (PARAMS, Y0)),
    (lambda_bound_to_a_name, (0.8, X)),
    (array_and_float, (X, 1.3)),
    (by_keyword, (0.4, 1.5)),
    (passed_on, (0.7, X)),
    (recursive, (0.9, X)),
    (read_by_a_nested_function, (0.7, X)),
    (local_helper, (0.8, X)),
    (local_helper_capturing, (0.8, X)),
    (parameter_kinds, (0.8, X)),
    (two_closures, (0.6, X)),
    (given_to_a_lambda, (0.5, X)),
    (mapped, (0.5, X)),
    (keyed, (0.5, X)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_against_differences_and_between_modes(f, args):
    check_grads(f, args)


@pytest.mark.parametrize("f, args", CASES, ids=[f.__name__ for f, _ in CASES])
def test_each_derivative_called_three_times(f, args):
    wrt = tuple(range(len(args)))
    gradient = s2sad.grad(f, wrt=wrt)
    first = gradient(*args)
    tangents = tuple(np.ones_like(a) if isinstance(a, np.ndarray) else 1.0 for a in args)
    value, slope = s2sad.jvp(f, args, tangents)
    for _ in range(3):
        for got, expected in zip(gradient(*args), first):
            np.testing.assert_array_equal(got, expected)
        again = s2sad.jvp(f, args, tangents)
        assert again[0] == value and again[1] == slope
    assert value == f(*args)


def test_the_implicit_root_against_its_closed_form():
    a = 1.5
    x = implicit_root(a)
    expected = -x / (3 * x ** 2 + a)  # from x**3 + a x - 1 = 0
    assert s2sad.grad(implicit_root)(a) == pytest.approx(expected, rel=1e-12)
    assert s2sad.jvp(implicit_root, (a,), (1.0,))[1] == pytest.approx(expected, rel=1e-12)


def test_lotka_volterra_against_its_hand_unrolled_version():
    def unrolled(params, y0):
        a, b, c, d = params
        y = y0
        for _ in range(20):
            ks = []
            for scale in (0.0, 0.05, 0.05, 0.1):
                z = y + scale * ks[-1] if ks else y
                ks.append(np.array([a * z[0] - b * z[0] * z[1], c * z[0] * z[1] - d * z[1]]))
            y = y + 0.1 / 6 * (ks[0] + 2 * ks[1] + 2 * ks[2] + ks[3])
        return np.sum(y ** 2)

    for got, expected in zip(s2sad.grad(lotka, wrt=(0, 1))(PARAMS, Y0),
                             s2sad.grad(unrolled, wrt=(0, 1))(PARAMS, Y0)):
        np.testing.assert_allclose(got, expected, rtol=1e-12)


SECOND_ORDER = [(integrate, (0.5, 2.0)), (implicit_root, (1.5,)),
                (lambda_bound_to_a_name, (0.8, X)), (passed_on, (0.7, X)),
                (local_helper, (0.8, X)), (mapped, (0.5, X))]


@pytest.mark.parametrize("f, args", SECOND_ORDER, ids=[f.__name__ for f, _ in SECOND_ORDER])
def test_hessians_against_differences_of_the_gradient(f, args, eps=1e-5):
    first = args[0]
    gradient = s2sad.grad(f, wrt=0)
    numeric = (gradient(first + eps, *args[1:]) - gradient(first - eps, *args[1:])) / (2 * eps)
    for _ in range(3):
        np.testing.assert_allclose(s2sad.hessian(f, argnums=0)(*args), numeric,
                                   rtol=1e-6, atol=1e-8)


def test_the_lotka_volterra_hessian_vector_product(eps=1e-5):
    v = np.array([0.2, -0.4, 0.1, 0.3])
    gradient = s2sad.grad(lotka, wrt=0)
    numeric = (gradient(PARAMS + eps * v, Y0) - gradient(PARAMS - eps * v, Y0)) / (2 * eps)
    got = s2sad.hvp(lambda p: lotka(p, Y0))(PARAMS, v)
    np.testing.assert_allclose(got, numeric, rtol=1e-6, atol=1e-8)


def test_the_emitted_call_passes_the_captured_value():
    text = s2sad.source(integrate, wrt=(0, 1), args=(0.5, 2.0))
    assert "simpson_with_integrand" in text and "fn_k=k" in text


# ---- a cached derivative follows the function it copied --------------------------------

def trapezoid(fn, a, b):
    return (fn(a) + fn(b)) * (b - a) / 2


def midpoint(fn, a, b):
    return fn((a + b) / 2) * (b - a)


rule = trapezoid


def with_the_rule(k):
    return rule(lambda t: math.exp(k * t), 0.0, 1.0)


def test_rebinding_the_function_copied_rebuilds_the_derivative():
    global rule
    gradient = s2sad.grad(with_the_rule)
    try:
        assert gradient(0.3) == pytest.approx((0.0 + math.exp(0.3)) / 2)
        rule = midpoint
        assert s2sad.grad(with_the_rule)(0.3) == pytest.approx(0.5 * math.exp(0.15))
    finally:
        rule = trapezoid


def weighted(fn, x, w=1.0):
    return w * fn(x)


def with_a_default(k):
    return weighted(lambda t: k * t, 2.0)


def test_new_default_values_of_the_function_copied_rebuild_the_derivative():
    assert s2sad.grad(with_a_default)(0.3) == 2.0
    weighted.__defaults__ = (3.0,)
    try:
        assert s2sad.grad(with_a_default)(0.3) == 6.0
    finally:
        weighted.__defaults__ = (1.0,)


# ---- what stays refused, at the user's line ----------------------------------------------

def kept(fn):
    return fn


def returned_by_the_callee(c, x):
    g = kept(lambda t, y: c * y)
    return np.sum(euler(g, x, 0.1, 2))


def in_a_list(c, x):
    fs = [lambda t, y: c * y]
    return np.sum(euler(fs[0], x, 0.1, 2))


def rebound_after(c, x):
    a = c
    f = lambda t, y: a * y  # noqa: E731
    a = 2 * c
    return np.sum(euler(f, x, 0.1, 2))


def with_nonlocal(c, x):
    count = 0

    def g(t, y):
        nonlocal count
        count = count + 1
        return c * y
    return np.sum(euler(g, x, 0.1, 2))


def same_twice(f, g, x):
    return f(x) if f is g else g(x)


def compared(c, x):
    h = lambda t: c * t  # noqa: E731
    return np.sum(same_twice(h, h, x))


def stores_it(fn, x):
    kept = [fn]
    return kept[0](x)


def passes_to_one_storing(fn, x):
    return stores_it(fn, x) * 2


def passed_to_one_storing(c, x):
    return np.sum(passes_to_one_storing(lambda t: c * t, x))


def shadows_it(fn, x):
    y = fn(x)

    def fn(t, k=1.0):
        return t * k
    return y + fn(x)


def given_to_one_shadowing_it(k, x):
    return np.sum(shadows_it(lambda t: k * t, x))


REFUSED = [
    (returned_by_the_callee, "g = kept(lambda t, y: c * y)", "a function value reading"),
    (in_a_list, "fs = [lambda t, y: c * y]", "a function value reading"),
    (rebound_after, "return np.sum(euler(f, x, 0.1, 2))", "used as a value and reads 'a'"),
    (with_nonlocal, "nonlocal count", "nonlocal statements"),
    (compared, "return np.sum(same_twice(h, h, x))", "a function value reading"),
    (passed_to_one_storing, "return stores_it(fn, x) * 2", "a function value reading"),
    (given_to_one_shadowing_it, "return np.sum(shadows_it(lambda t: k * t, x))",
     "a function value reading"),
]


@pytest.mark.parametrize("f, line, message", REFUSED, ids=[f.__name__ for f, _, _ in REFUSED])
def test_what_stays_refused_names_the_users_line(f, line, message):
    for differentiate in (lambda: s2sad.grad(f, wrt=0)(0.5, X),
                          lambda: s2sad.jvp(f, (0.5, X), (1.0, np.zeros(3)))):
        with pytest.raises(UnsupportedSyntaxError, match=message) as caught:
            differentiate()
        assert caught.value.filename == __file__
        assert caught.value.text.strip() == line


def noisy(k, rng):
    return simpson(lambda t: np.sin(k * t) * rng.normal(), 0.0, 1.0)


def test_a_closure_drawing_random_numbers_is_differentiated_with_the_same_draws(eps=1e-6):
    numeric = (noisy(0.7 + eps, np.random.default_rng(3))
               - noisy(0.7 - eps, np.random.default_rng(3))) / (2 * eps)
    for _ in range(3):
        assert s2sad.grad(noisy)(0.7, np.random.default_rng(3)) == pytest.approx(numeric,
                                                                                rel=1e-7)
        tangent = s2sad.jvp(lambda k: noisy(k, np.random.default_rng(3)), (0.7,), (1.0,))[1]
        assert tangent == pytest.approx(numeric, rel=1e-7)


def doubled_at(fn, x):
    return fn(x) * 2.0


doubled_again = doubled_at


def through_two_names(k, x):
    def g(t):
        return k * t ** 2
    return doubled_at(g, x) + doubled_again(g, x)


def test_a_helper_reached_by_two_names_is_rebuilt_when_either_is_rebound():
    """One copy serves both names; rebinding the first was not seen (1.0 for 1.75)."""
    global doubled_at
    kept = doubled_at
    try:
        assert s2sad.grad(through_two_names)(1.3, 0.5) == pytest.approx(4 * 0.25)
        doubled_at = lambda fn, x: fn(x) * 5.0  # noqa: E731
        assert s2sad.grad(through_two_names)(1.3, 0.5) == pytest.approx(7 * 0.25)
        assert s2sad.jvp(through_two_names, (1.3, 0.5), (1.0, 0.0))[1] == pytest.approx(
            7 * 0.25)
    finally:
        doubled_at = kept


def apply_n(fn, x, n):
    for _ in range(n):
        x = fn(x)
    return x


def closure_passing_a_closure(k, x):
    def f(t):
        return np.cos(k * t) + t

    def g(t):
        return apply_n(f, t, 2) * k
    return apply_n(g, x, 2)


def test_a_closure_passing_another_closure_to_a_user_function():
    """``g`` gives ``f`` to ``apply_n``: the lifted ``g`` could not reach the partial that
    carries ``f``'s captured values (an error naming an internal)."""
    for _ in range(3):
        check_grads(closure_passing_a_closure, (1.3, 0.5))
