"""Calls of the user's own functions: keywords, defaults, several results, recursion, and
derivatives rebuilt when a callee is redefined."""

import linecache

import numpy as np

import s2sad
from s2sad.testing import check_grads


def helper(a, b, scale=2.0):
    return np.sin(a) * b * scale


def two(a):
    return a * 2.0, np.cos(a)


def power(x, n):
    if n == 0:
        return 1.0
    return x * power(x, n - 1)


def halve(x):  # the recursion depth depends on the value
    if x < 1.0:
        return x * x
    return halve(x / 2.0) + x


def calls(x, c):
    y = helper(x, c)  # scale omitted: its default
    z = helper(c, x, scale=c)  # the keyword argument is differentiated too
    p, q = two(y)
    return np.sum(y * z + p * q) + power(np.sum(x), 3) + halve(np.sum(c) * 3.0)


def closures(x, w):
    scale = w * 2.0
    sq = lambda t: t * t * scale  # noqa: E731 (a lambda bound to a name)

    def g(t, k=3.0):  # reads w from the enclosing function, calls the lambda
        return np.sin(t) * w + sq(t) * k

    s = 0.0
    for i in range(2):
        s = s + np.sum(g(x * i)) + np.sum(g(x, k=w))
    return s


def test_nested_functions_lambdas_and_closures():
    check_grads(closures, (np.array([0.3, 0.8]), 0.7))


def test_helpers_keywords_defaults_tuples_and_recursion():
    check_grads(calls, (np.array([0.3, 0.7]), np.array([1.1, 0.4])))


def test_recursion_closed_form():
    np.testing.assert_allclose(s2sad.grad(power)(1.5, 4), 4 * 1.5**3)


def test_redefining_a_callee_rebuilds_every_derivative_that_used_it():
    scope: dict = {}
    define(scope, "module.py", "def helper(a):\n    return a * a\n\n"
           "def inner(a):\n    return helper(a) + 1.0\n\ndef f(x):\n    return inner(x) * 2.0\n")
    assert s2sad.grad(scope["f"])(3.0) == 12.0
    define(scope, "module_edited.py", "def helper(a):\n    return a * a * a\n")
    assert s2sad.grad(scope["f"])(3.0) == 54.0  # f and inner unchanged, helper edited


def define(scope: dict, filename: str, source: str) -> None:
    """Run ``source`` in ``scope`` (a module's globals), its text readable by inspect."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), scope)


class Layer:
    def __init__(self, w):
        self.w = w

    def forward(self, x, *extra):
        return np.tanh(self.w * x) + sum(extra)


LAYER = Layer(np.array([0.5, -1.5]))


def methods_and_varargs(x, layer):
    return np.sum(LAYER.forward(x) * layer.forward(x, x * x, np.sin(x)))


def test_methods_of_module_and_argument_instances_and_varargs():
    check_grads(methods_and_varargs, (np.array([0.3, 0.8]), Layer(np.array([1.2, 0.4]))))


def broadcast_scalar_divisor_and_power(a, b, p):
    total = 0.0
    for k in range(2):  # also inside a loop, where shapes are not known statically
        total = total + np.sum(a / b + a ** p) * (k + 1)
    return total + np.sum(a / b) + np.sum(np.abs(a) ** p)


def test_broadcast_division_and_power_by_a_differentiated_scalar():
    a = np.array([[0.5, 1.5, 2.0], [1.1, 0.7, 1.3]])
    check_grads(broadcast_scalar_divisor_and_power, (a, 1.7, 2.3))
    check_grads(broadcast_scalar_divisor_and_power, (a, np.float64(1.7), np.array(2.3)))


def complex_loop(z, w):
    for _ in range(3):
        z = np.tanh(z * w) + z
    return np.sum(np.abs(z) ** 2)


def test_loops_over_complex_arrays_take_the_general_code():
    """Array loops have a version without conj for real arguments; complex ones do not."""
    z = np.array([0.3 + 0.2j, -0.5 + 0.1j])
    w = np.array([0.7 - 0.4j, 0.2 + 0.9j])
    check_grads(complex_loop, (z, w))
    check_grads(complex_loop, (z.real.copy(), w.real.copy()))
    assert "if not all_real(z, w" in s2sad.source(complex_loop, wrt=(0, 1))
