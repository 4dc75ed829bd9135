"""Functions as values: a call through a variable (an argument, a local lambda, an item of a
list or dict, a factory's result, ``map``) is differentiated by what the variable holds
when the call runs. Each derivative is checked against central differences and the
dot-product identity (check_grads); integrators and optimizers written with a function
argument against their hand-unrolled versions; Hessian-vector products against
differences of the gradient."""

import functools

import numpy as np
import pytest

import s2sad
from s2sad.errors import S2sadError, UnsupportedSyntaxError
from s2sad.testing import check_grads

X = np.array([0.3, -0.7, 1.1, 0.45])
V = np.array([0.4, -0.3, 0.8, 0.1])


def check_hvp(f, x, eps=1e-5):
    grad = s2sad.grad(f)
    numeric = (grad(x + eps * V) - grad(x - eps * V)) / (2 * eps)
    np.testing.assert_allclose(s2sad.hvp(f)(x, V), numeric, rtol=1e-5, atol=1e-7)


# ---- integrators and optimizers taking a function, and their unrolled versions ---------

def rhs(t, y):
    return -0.5 * y + np.sin(t) * y ** 2


def rk4(f, y, h, steps):
    t = 0.0
    for _ in range(steps):
        k1 = f(t, y)
        k2 = f(t + h / 2, y + h / 2 * k1)
        k3 = f(t + h / 2, y + h / 2 * k2)
        k4 = f(t + h, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t = t + h
    return y


def rk4_loss(y0):
    return np.sum(rk4(rhs, y0, 0.1, 3) ** 2)


def rk4_unrolled(y0):
    y, t, h = y0, 0.0, 0.1
    for _ in range(3):
        k1 = rhs(t, y)
        k2 = rhs(t + h / 2, y + h / 2 * k1)
        k3 = rhs(t + h / 2, y + h / 2 * k2)
        k4 = rhs(t + h, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t = t + h
    return np.sum(y ** 2)


def euler(f, y, h, steps):
    for i in range(steps):
        y = y + h * f(i * h, y)
    return y


def euler_loss(y0):
    return np.sum(np.cos(euler(rhs, y0, 0.05, 4)))


def euler_unrolled(y0):
    y = y0
    for i in range(4):
        y = y + 0.05 * (-0.5 * y + np.sin(i * 0.05) * y ** 2)
    return np.sum(np.cos(y))


def quadratic_gradient(x):
    return 2.0 * (x - 1.0) + 0.3 * np.sin(x)


def descend(gradient, x, rate, steps):
    for _ in range(steps):
        x = x - rate * gradient(x)
    return x


def descent_loss(x0):
    return np.sum(descend(quadratic_gradient, x0, 0.1, 5) ** 3)


def descent_unrolled(x0):
    x = x0
    for _ in range(5):
        x = x - 0.1 * (2.0 * (x - 1.0) + 0.3 * np.sin(x))
    return np.sum(x ** 3)


def contraction(x):
    return 0.5 * np.cos(x) + 0.1 * x


def fixed_point(g, x, steps):
    for _ in range(steps):
        x = g(x)
    return x


def fixed_point_loss(x0):
    return np.sum(fixed_point(contraction, x0 * 2.0, 6))


def fixed_point_unrolled(x0):
    x = x0 * 2.0
    for _ in range(6):
        x = 0.5 * np.cos(x) + 0.1 * x
    return np.sum(x)


PAIRS = [(rk4_loss, rk4_unrolled), (euler_loss, euler_unrolled),
         (descent_loss, descent_unrolled), (fixed_point_loss, fixed_point_unrolled)]


@pytest.mark.parametrize("taking, unrolled", PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_written_with_a_function_argument_equals_the_unrolled_version(taking, unrolled):
    np.testing.assert_allclose(s2sad.grad(taking)(X), s2sad.grad(unrolled)(X),
                               rtol=1e-13, atol=1e-15)
    _, tangent = s2sad.jvp(taking, (X,), (V,))
    _, unrolled_tangent = s2sad.jvp(unrolled, (X,), (V,))
    np.testing.assert_allclose(tangent, unrolled_tangent, rtol=1e-13, atol=1e-15)
    check_grads(taking, (X,))


@pytest.mark.parametrize("taking", [p[0] for p in PAIRS], ids=[p[0].__name__ for p in PAIRS])
def test_hessian_vector_products_through_a_function_argument(taking):
    check_hvp(taking, X)


def test_the_function_given_to_the_differentiated_function_itself():
    def integrate(f, y):
        return np.sum(euler(f, y, 0.1, 3) * y)

    check_grads(integrate, (rhs, X), wrt=1)
    np.testing.assert_allclose(s2sad.grad(integrate, wrt=1)(rhs, X),
                               s2sad.grad(lambda y: integrate(rhs, y))(X), rtol=1e-13)
    # another function given to the same derivative: its own derivative, not the first's
    check_grads(integrate, (contraction_rhs, X), wrt=1)


def contraction_rhs(t, y):
    return np.tanh(y) * (1.0 + t)


def test_a_derivative_built_once_serves_each_function_it_is_given():
    def apply(f, x):
        return np.sum(f(x) * x)

    gradient = s2sad.grad(apply, wrt=1)
    for function, closed_form in [(np.sin, lambda x: np.cos(x) * x + np.sin(x)),
                                  (np.exp, lambda x: np.exp(x) * (x + 1.0)),
                                  (quadratic_gradient, lambda x: 4.0 * x - 2.0 + 0.3 * (
                                      np.cos(x) * x + np.sin(x)))]:
        np.testing.assert_allclose(gradient(function, X), closed_form(X), rtol=1e-13)


# ---- what a variable may hold -----------------------------------------------------------

class Scaled:
    def __init__(self, w):
        self.w = w

    def act(self, z):
        return np.tanh(self.w * z)

    def __call__(self, z):
        return self.w * z ** 2


@s2sad.custom_vjp
def clipped(x):
    return np.clip(x, -0.5, 0.5)


def _clipped_fwd(x):
    return clipped(x), x


def _clipped_bwd(x, g):
    return (g * (np.abs(x) < 0.5),)


clipped.defvjp(_clipped_fwd, _clipped_bwd)


def power(x, p):
    return x ** p


HELD = [np.sin, np.tanh, Scaled(1.5).act, Scaled(0.7), functools.partial(power, p=3.0),
        lambda z: z * np.exp(-z), rhs.__get__(0.4), quadratic_gradient]


@pytest.mark.parametrize("function", HELD, ids=["sin", "tanh", "bound method", "callable object",
                                                "partial", "lambda", "bound function", "user"])
def test_whatever_the_variable_holds_is_differentiated(function):
    def apply(f, x):
        return np.sum(f(x) * np.cos(x))

    check_grads(apply, (function, X), wrt=1)


def test_a_function_with_rules_of_its_own_keeps_them():
    def apply(f, x):
        return np.sum(f(x))

    x = np.array([0.2, 0.7, -0.9])
    np.testing.assert_array_equal(s2sad.grad(apply, wrt=1)(clipped, x), [1.0, 0.0, 0.0])


def test_a_derivative_of_s2sad_given_as_a_function():
    def g(x):
        return np.sum(np.sin(x) * x)

    def by_hand(x):
        return np.cos(x) * x + np.sin(x)

    def apply(f, x):
        return np.sum(f(x) ** 2)

    gradient = s2sad.grad(apply, wrt=1)
    np.testing.assert_allclose(gradient(s2sad.grad(g), X), gradient(by_hand, X), rtol=1e-14)


def test_keywords_and_several_arguments_pass_through():
    def apply(f, x, y):
        return np.sum(f(x, p=y))

    check_grads(apply, (power, np.abs(X) + 0.5, 1.7), wrt=(1, 2))


# ---- lambdas, dicts and lists of functions, factories, map -----------------------------

def local_lambda(x):
    a = 2.0
    f = lambda t: t * x + a  # noqa: E731
    return np.sum(f(2.0) * f(x))


def activations(x, name):
    acts = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0),
            "scaled": Scaled(0.5)}
    W = np.array([[0.5, -1.0, 0.3, 0.2], [0.1, 0.4, -0.6, 0.9]])
    return np.sum(acts[name](W @ x) ** 2)


def layers(x):
    fs = [np.sin, lambda z: z ** 3, quadratic_gradient]
    for f in fs:
        x = f(x) * 0.5
    return np.sum(x)


def scaler(a):
    return lambda x: a * x


def shifted_by(b):
    def shift(x):
        return x + b
    return shift


def from_factories(x):
    g = scaler(3.0)
    h = shifted_by(0.25)
    return np.sum(g(h(x)) ** 2)


def mapped(x):
    ys = list(map(np.sin, x))
    zs = map(lambda v: v * v, ys)
    return ys[0] * ys[1] + sum(zs) + sum(map(lambda a, b: a * b ** 2, ys, x))


def mapped_with_a_closure(x):
    scale = 1.5
    return sum(map(lambda v: scale * v ** 2, list(x)))


def closure_passed_on(x):
    a = 0.5
    return np.sum(euler(lambda t, y: -a * y, x, 0.1, 3))


VALUES = [local_lambda, layers, from_factories, mapped, mapped_with_a_closure,
          closure_passed_on]


@pytest.mark.parametrize("f", VALUES, ids=[f.__name__ for f in VALUES])
def test_lambdas_containers_factories_and_map(f):
    check_grads(f, (X,))
    check_hvp(f, X)


@pytest.mark.parametrize("name", ["tanh", "relu", "scaled"])
def test_a_dict_of_activations(name):
    check_grads(activations, (X, name), wrt=0)
    check_hvp(lambda x: activations(x, name), X)


def test_a_local_function_as_a_key():
    def smallest(f, x):
        return sorted(x, key=f)[0] * 2.0

    np.testing.assert_array_equal(s2sad.grad(smallest, wrt=1)(lambda v: -v, X),
                                  [0.0, 0.0, 2.0, 0.0])


def test_second_derivatives_by_reverse_over_reverse():
    def first(x):
        return s2sad.grad(rk4_loss)(x)[0]

    eps = 1e-5
    e0 = np.eye(4)[0]
    numeric = (s2sad.grad(rk4_loss)(X + eps * e0) - s2sad.grad(rk4_loss)(X - eps * e0)) / (
        2 * eps)
    np.testing.assert_allclose(s2sad.grad(first)(X), numeric, rtol=1e-5, atol=1e-8)


def rebound(x):
    f = np.sin
    y = f(x)
    f = np.exp
    return np.sum(f(y) * y)


def chosen(x):
    f = np.sin if x[0] > 0 else np.cos
    g = f
    return np.sum(g(x) ** 2)


def apply_times(f, x, n):
    if n == 0:
        return x
    return apply_times(f, f(x), n - 1)


def recursive(x):
    return np.sum(apply_times(np.tanh, x, 3))


def sine_and_double(x):
    return np.sin(x), x * 2.0


def unpacked_result(x):
    f = sine_and_double
    a, b = f(x)
    return np.sum(a * b)


def product_of(*xs):
    return xs[0] * xs[1]


def variadic(x):
    f = product_of
    return np.sum(f(x, np.sin(x)))


FLOWS = [rebound, chosen, recursive, unpacked_result, variadic]


@pytest.mark.parametrize("f", FLOWS, ids=[f.__name__ for f in FLOWS])
def test_rebound_chosen_recursive_and_unpacked(f):
    check_grads(f, (X,))
    check_grads(f, (-X,))
    check_hvp(f, X)


def test_jacobians_through_a_function_argument():
    def doubled(f, x):
        return f(x) * 2.0

    def g(x):
        return np.tanh(x) * x[::-1]

    expected = s2sad.jacrev(lambda x: doubled(g, x))(X)
    np.testing.assert_allclose(s2sad.jacfwd(doubled, argnums=1)(g, X), expected, rtol=1e-13)
    np.testing.assert_allclose(s2sad.jacrev(doubled, argnums=1)(g, X), expected, rtol=1e-13)
    check_grads(doubled, (g, X), wrt=1)


def test_a_dict_of_functions_given_as_an_argument():
    def model(acts, x):
        return np.sum(acts["first"](x) * acts["second"](x))

    check_grads(model, ({"first": np.sin, "second": local_lambda}, X), wrt=1)


def scaled_layers(x, a):
    fs = [np.sin, lambda t: t * 2.0]
    for g in fs:
        x = g(x) * a
    return np.sum(x)


def test_mixed_second_derivatives_through_function_values_from_a_tape():
    """The gradient in x records the functions it calls on its tape; differentiated in a,
    they carry no derivative (both modes, against differences of the gradient)."""
    gradient = s2sad.grad(scaled_layers, wrt=0)
    eps = 1e-6
    numeric = (gradient(X, 1.5 + eps) - gradient(X, 1.5 - eps)) / (2 * eps)
    for jacobian in (s2sad.jacfwd, s2sad.jacrev):
        np.testing.assert_allclose(jacobian(gradient, argnums=1)(X, 1.5), numeric,
                                   rtol=1e-6, atol=1e-9)


def scaled_steps(x, a):
    for _ in range(2):
        g = scaler(a)
        x = g(x)
    return np.sum(x)


def test_a_closure_carrying_a_derivative_only_at_second_order_is_refused():
    """In x, the closure over a carries no derivative; the gradient's derivative in a
    would go through it (a function value on the gradient's tape, in reverse mode)."""
    gradient = s2sad.grad(scaled_steps, wrt=0)
    np.testing.assert_array_equal(gradient(X, 2.0), np.full(4, 4.0))
    for jacobian in (s2sad.jacfwd, s2sad.jacrev):
        with pytest.raises(UnsupportedSyntaxError, match=r"a function value reading values "
                           r"that carry a derivative .*\(in scaler\)") as caught:
            jacobian(gradient, argnums=1)(X, 2.0)
        assert caught.value.filename.endswith("test_function_values.py")


# ---- refused, or raising as Python does -------------------------------------------------

def test_a_value_that_is_no_function_raises_pythons_type_error():
    def apply(f, x):
        return np.sum(f(x))

    with pytest.raises(TypeError, match="'int' object is not callable"):
        s2sad.grad(apply, wrt=1)(3, X)
    with pytest.raises(TypeError, match="'int' object is not callable"):
        s2sad.jvp(lambda x: apply(3, x), (X,), (V,))


def kept(f):
    return f


def captures_a_derivative(x):
    f = kept(lambda t, y: t * x)
    return np.sum(euler(f, 1.0, 0.1, 2))


def captures_in_a_dict(x):
    fs = {"a": lambda t: t * x}
    return np.sum(fs["a"](2.0))


@pytest.mark.parametrize("f, line", [
    (captures_a_derivative, "f = kept(lambda t, y: t * x)"),
    (captures_in_a_dict, "fs = {\"a\": lambda t: t * x}")])
def test_a_closure_over_a_value_carrying_a_derivative_is_refused_where_it_is_made(f, line):
    for differentiate in (lambda: s2sad.grad(f)(X), lambda: s2sad.jvp(f, (X,), (V,))):
        with pytest.raises(UnsupportedSyntaxError, match="a function value reading values "
                           "that carry a derivative") as caught:
            differentiate()
        assert caught.value.filename.endswith("test_function_values.py")
        assert caught.value.text.strip() == line


def test_a_function_value_reading_a_variable_bound_again_is_refused():
    def late(x):
        a = 1.0
        g = lambda t: t * a  # noqa: E731
        a = 2.0
        return np.sum(euler(g, x, 0.1, 2))

    with pytest.raises(UnsupportedSyntaxError, match="used as a value and reads 'a'") as caught:
        s2sad.grad(late)(X)
    assert caught.value.text.strip() == "return np.sum(euler(g, x, 0.1, 2))"


def test_unpacked_arguments_and_functions_without_rules_are_refused_at_the_call():
    def unpacked(f, x):
        args = (x,)
        return np.sum(f(*args))

    with pytest.raises(UnsupportedSyntaxError, match=r"unpacking arguments \(\*t or \*\*d\) "
                       "into 'f'") as caught:
        s2sad.grad(unpacked, wrt=1)(np.sin, X)
    assert caught.value.text.strip() == "return np.sum(f(*args))"

    def apply(f, x):
        return np.sum(f(x)[0])

    with pytest.raises(S2sadError, match=r"test_function_values.py:\d+:\d+ \(f\(\.\.\.\) in "
                       r".*apply\).*no reverse rule for numpy.frexp"):
        s2sad.grad(apply, wrt=1)(np.frexp, X)


def test_a_function_value_writing_into_its_argument_is_refused():
    def writes(y):
        y[0] = 0.0
        return y * 2.0

    def apply(f, x):
        return np.sum(f(x))

    with pytest.raises(S2sadError, match="writes into its argument 'y' in place"):
        s2sad.grad(apply, wrt=1)(writes, X)


def test_function_values_made_from_values_carrying_a_derivative_are_refused():
    def partial_of_x(x):
        g = functools.partial(np.multiply, x)
        return np.sum(g(x))

    def from_a_varied_factory(x):
        g = scaler(x[0])
        return np.sum(g(x))

    for f, line in [(partial_of_x, "g = functools.partial(np.multiply, x)"),
                    (from_a_varied_factory, "return np.sum(g(x))")]:
        with pytest.raises(UnsupportedSyntaxError, match="carry") as caught:
            s2sad.grad(f)(X)
        assert caught.value.text.strip() == line
        with pytest.raises(UnsupportedSyntaxError, match="carry") as caught:
            s2sad.jvp(f, (X,), (V,))
        assert caught.value.text.strip() == line
