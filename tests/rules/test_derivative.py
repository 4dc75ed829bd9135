"""A derivative written once (``s2sad.rules.derivative``) gives a JVP and a VJP that check
against finite differences and each other, directly and compiled, and whose templates
read as the rules written by hand did."""

import inspect
import linecache
import math

import numpy as np
import pytest

import s2sad
from s2sad.rules.derivative import derivative, real_derivative
from s2sad.rules.registry import RULES, RuleRegistry
from s2sad.runtime import conj, unbroadcast
from s2sad.testing import check_grads, check_rule


class Toy:
    """A callable without Python source of its own to differentiate: it needs rules."""

    def __init__(self, function):
        self.function = function

    def __call__(self, *args):
        return self.function(*args)


cubic = Toy(lambda x: x**3 + np.sin(x))  # f'(x) = 3 x^2 + cos x
ratio = Toy(lambda x1, x2: x1 / (1.0 + x2 * x2))  # broadcasts


@pytest.fixture
def toy_rules():
    """Registers the toys' rules in the registry, and removes them afterwards."""

    @derivative(cubic)
    def cubic_x(ans, x):
        return 3.0 * x * x + np.cos(x)

    @derivative(ratio, "x1", divide=True, unbroadcast=True)
    def ratio_x1(ans, x1, x2):
        return 1.0 + x2 * x2

    @derivative(ratio, "x2", unbroadcast=True)
    def ratio_x2(ans, x1, x2):
        return -2.0 * x2 * ans / (1.0 + x2 * x2)

    yield
    for toy in (cubic, ratio):
        del RULES._sets[id(toy)], RULES._keep[id(toy)]
    s2sad.clear_cache()


def sum_of_squared_cubic(x):
    return np.sum(cubic(x) ** 2)


def sum_of_cubic(x):
    return np.sum(cubic(x))


def sum_of_ratio(x1, x2):
    return np.sum(ratio(x1, x2) * x1)


X = np.array([0.3, -0.8, 1.7])


def test_rules_against_finite_differences(toy_rules):
    check_rule(cubic, (X,))
    check_rule(cubic, (X + 0.4j * X[::-1],))  # holomorphic: g * conj(f'(z))
    check_rule(ratio, (np.array([[0.5], [-1.2], [2.0]]), np.array([0.1, -0.7, 1.3, 0.4])))


def test_rules_through_the_compiler_in_both_modes(toy_rules):
    check_grads(sum_of_squared_cubic, (X,))
    check_grads(sum_of_ratio, (np.array([[0.5], [-1.2], [2.0]]), np.array([0.1, -0.7, 1.3])))
    grad = s2sad.grad(sum_of_cubic)(X)
    np.testing.assert_allclose(grad, 3.0 * X * X + np.cos(X), rtol=1e-12)


def test_second_order_from_the_templates(toy_rules):
    hessian = s2sad.hessian(sum_of_cubic)(X)
    np.testing.assert_allclose(hessian, np.diag(6.0 * X - np.sin(X)), rtol=1e-12, atol=1e-15)


def written(body: str, parameters: str = "ans, x"):
    """A derivative function made from source text (``inspect`` finds it)."""
    source = f"def f_x({parameters}):\n    return {body}\n"
    filename = f"<derivative {body}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"np": np, "math": math, "conj": conj, "unbroadcast": unbroadcast}
    exec(compile(source, filename, "exec"), namespace)
    return namespace["f_x"]


def f(x):
    return x


def h(x1, x2=2.0, *, k=None):
    return x1 * x2


@pytest.mark.parametrize("body, options, vjp, jvp", [
    ("ans * math.log(2.0)", {}, "g * conj(ans * math.log(2.0))", "ans * math.log(2.0) * x_dot"),
    ("-np.sin(x)", {}, "-g * conj(np.sin(x))", "-np.sin(x) * x_dot"),
    ("-ans * ans", {}, "-g * conj(ans * ans)", "-ans * ans * x_dot"),
    ("conj(ans) * math.log(2.0)", {}, "g * conj(ans) * math.log(2.0)",
     "ans * math.log(2.0) * x_dot"),
    ("(2.0 / math.pi) * np.exp(-x * x)", {"conj": False},
     "g * (2.0 / math.pi) * np.exp(-x * x)", "2.0 / math.pi * np.exp(-x * x) * x_dot"),
    ("-((x - ans) / x)", {"conj": False}, "-g * ((x - ans) / x)", "-((x - ans) / x) * x_dot"),
    ("(ans - x) / (2 * x)", {"conj": False}, "g * (ans - x) / (2 * x)",
     "(ans - x) / (2 * x) * x_dot"),
    ("-np.sqrt(1.0 - x * x)", {"divide": True}, "-g / conj(np.sqrt(1.0 - x * x))",
     "-x_dot / np.sqrt(1.0 - x * x)"),
    ("1.0 + x", {"divide": True}, "g / conj(1.0 + x)", "x_dot / (1.0 + x)"),
    ("1.0 / np.cos(x)", {}, "g * conj(1.0 / np.cos(x))", "1.0 / np.cos(x) * x_dot"),
    ("2.0 * x", {}, "2.0 * g * conj(x)", "2.0 * x * x_dot"),
    ("2.0 * x * np.sin(x)", {}, "2.0 * g * conj(x * np.sin(x))", "2.0 * x * np.sin(x) * x_dot"),
    ("0.0", {"conj": False}, "0.0 * g", "0.0 * x_dot"),
    ("1.0", {"unbroadcast": True, "broadcast": True}, "unbroadcast(g, x)",
     "broadcast_like(x_dot, ans)"),
    ("x if ans is None else x * 2.0", {"divide": True, "conj": False},
     "g / x if ans is None else g / (x * 2.0)", "x_dot / x if ans is None else x_dot / (x * 2.0)"),
    ("np.cos(x)", {"unbroadcast": True, "broadcast": True},
     "unbroadcast(g * conj(np.cos(x)), x)", "broadcast_like(np.cos(x) * x_dot, ans)"),
])
def test_template_text(body, options, vjp, jvp):
    registry = RuleRegistry()
    derivative(f, registry=registry, **options)(written(body))
    rules = registry.find(f)
    assert inspect.getsource(rules.vjps["x"].template) == (
        f"def f_x(g, ans, x):\n    return {vjp}\n")
    assert inspect.getsource(rules.jvps["x"].template) == (
        f"def f_x_dot(x_dot, ans, x):\n    return {jvp}\n")


def test_defaults_and_keyword_only_parameters_are_the_derivatives():
    registry = RuleRegistry()
    real_derivative(h, "x2", registry=registry)(written("x1", "ans, x1, x2=2.0, *, k=None"))
    template = registry.find(h).jvps["x2"].template
    assert str(inspect.signature(template)) == "(x2_dot, ans, x1, x2=2.0, *, k=None)"
    assert template(0.5, None, 3.0) == 1.5


@pytest.mark.parametrize("body, parameters, argument, message", [
    ("x", "ans, g", 0, "'g' would name the seed too"),
    ("x * g", "ans, x", 0, "'g' would name the seed too"),
    ("x * x_dot", "ans, x", 0, "'x_dot' would name the seed too"),
    ("x", "ans, x", "y", "no parameter 'y'"),
    ("x", "x, ans", 0, "takes \\(ans, "),
])
def test_refusals(body, parameters, argument, message):
    with pytest.raises(ValueError, match=message):
        derivative(f, argument, registry=RuleRegistry())(written(body, parameters))


def test_a_derivative_is_a_single_return():
    def two_statements(ans, x):
        y = x * x
        return y

    with pytest.raises(ValueError, match="must be a single return"):
        derivative(f, registry=RuleRegistry())(two_statements)
