"""Calls of the user's own functions through the compiler: every CALLS_CORPUS function in
forward and reverse mode, grad against finite differences and the corpus's soundness (the
standard tests of ``corpus_checks``), and derivatives rebuilt when a helper is redefined."""

import linecache

import numpy as np

import s2sad
from s2sad import pipeline
from tests.compiler import corpus_checks as checks
from tests.compiler.corpus_calls import CALLS_CORPUS, LAYER, Layer, power


def test_corpus_size():
    assert 12 <= len({f for f, _ in CALLS_CORPUS}) <= 25
    assert len(checks.scalar_cases(CALLS_CORPUS)) == len(CALLS_CORPUS)


test_forward_and_reverse, test_grad_matches_finite_differences, test_corpus_case_is_sound = (
    checks.standard_tests(CALLS_CORPUS)
)


def test_recursion_closed_form():
    np.testing.assert_allclose(s2sad.grad(power)(1.5, 4), 4 * 1.5**3, rtol=1e-14)
    np.testing.assert_allclose(s2sad.grad(power)(1.5, 7), 7 * 1.5**6, rtol=1e-14)


def test_methods_read_the_instance_they_are_called_on():
    """Two instances of one class: each derivative reads its own ``self.w``."""

    def through(x, layer):
        return layer.energy(x)

    x = np.array([0.5, -0.7, 1.2])
    other = Layer(2.0 * LAYER.w, LAYER.b)
    g = s2sad.grad(through)
    for layer in (LAYER, other):
        expected = checks.numeric_vjp(through, (x, layer), 0, 1.0)[0]
        np.testing.assert_allclose(g(x, layer), expected, rtol=1e-5, atol=1e-7)


# ---- redefining a helper invalidates the derivatives that call it -------------------------


def define(scope: dict, filename: str, source: str) -> None:
    """Run ``source`` in ``scope`` (a module's globals), with its text readable by inspect.
    Each edit gets its own file name, so the functions defined earlier keep their source."""
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), scope)


MODULE = """\
import numpy as np


def helper(v, k=1.0):
    return np.sin(v) * v * k


def middle(v, w):
    return helper(v * w) + helper(w, k=2.0)


def f(x, w):
    return np.sum(middle(x, w) ** 2)
"""

EDITED_HELPER = """\
def helper(v, k=1.0):
    return np.exp(-v * v) * k + v
"""

EDITED_AGAIN = """\
def helper(v, k=3.0):
    return np.tanh(v) ** 2 * k
"""


def _numeric_grads(f, args):
    return tuple(checks.numeric_vjp(f, args, i, 1.0)[0] for i in range(len(args)))


def _assert_grads(actual, expected):
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-7)


X, W = np.array([0.4, -0.9, 1.3]), np.array([0.8, 0.5, -0.6])


def _define_module(module_name, filename):
    """MODULE run in a new scope named ``module_name``: the scope, its f, f's gradient and
    that gradient's value at (X, W), checked against finite differences."""
    scope: dict = {"__name__": module_name}
    define(scope, filename, MODULE)
    f = scope["f"]
    gradient = s2sad.grad(f, wrt=(0, 1))
    expected = _numeric_grads(f, (X, W))
    _assert_grads(gradient(X, W), expected)
    return scope, f, gradient, expected


def test_redefining_a_helper_rebuilds_the_derivatives_that_call_it():
    scope, f, _, old_expected = _define_module("edited_module", "calls_module_v1.py")

    before = pipeline.stats["transformations"]
    _assert_grads(s2sad.grad(f, wrt=(0, 1))(X, W), old_expected)
    assert pipeline.stats["transformations"] == before, "an unchanged f was transformed again"

    define(scope, "calls_module_v2.py", EDITED_HELPER)
    assert scope["f"] is f  # f and middle are unchanged; only helper is new
    new_expected = _numeric_grads(f, (X, W))
    assert not np.allclose(new_expected[0], old_expected[0])
    _assert_grads(s2sad.grad(f, wrt=(0, 1))(X, W), new_expected)
    assert pipeline.stats["transformations"] > before, "the edit did not rebuild anything"
    y, y_dot = s2sad.jvp(f, (X, W), (np.ones(3), np.zeros(3)))
    np.testing.assert_allclose(y, f(X, W), rtol=1e-12)
    np.testing.assert_allclose(y_dot, np.sum(new_expected[0]), rtol=1e-5, atol=1e-7)

    # a second edit, which also changes the omitted default
    define(scope, "calls_module_v3.py", EDITED_AGAIN)
    latest_expected = _numeric_grads(f, (X, W))
    _assert_grads(s2sad.grad(f, wrt=(0, 1))(X, W), latest_expected)
    value, gradients = s2sad.value_and_grad(f, wrt=(0, 1))(X, W)
    np.testing.assert_allclose(value, f(X, W), rtol=1e-12)
    _assert_grads(gradients, latest_expected)


def test_a_gradient_obtained_before_an_edit_keeps_differentiating_the_old_function():
    """docs/architecture.md, "Known limits": a derivative function obtained earlier keeps
    differentiating the function as it was when it was built (the globals its calls go
    through are bound in its closure). Here f calls middle, which calls the edited helper."""
    scope, f, old_gradient, old_expected = _define_module("kept_module", "calls_kept_v1.py")
    define(scope, "calls_kept_v2.py", EDITED_HELPER)
    new_expected = _numeric_grads(f, (X, W))
    _assert_grads(s2sad.grad(f, wrt=(0, 1))(X, W), new_expected)
    # never a mixture of the old and the new function
    _assert_grads(old_gradient(X, W), old_expected)


def test_redefining_a_nested_helpers_callee_through_the_module_dict():
    """The helper is rebound by assignment to the globals dict, not by a def statement."""
    scope: dict = {"__name__": "rebound_module"}
    define(
        scope,
        "calls_rebind_v1.py",
        "import numpy as np\n\n\ndef act(v):\n    return np.tanh(v)\n\n\n"
        "def f(x):\n    return np.sum(act(x) * x)\n",
    )
    define(scope, "calls_rebind_alt.py", "def softer(v):\n    return v / (1.0 + v * v)\n")
    f = scope["f"]
    x = np.array([0.4, -0.9, 1.3])
    first = s2sad.grad(f)(x)
    np.testing.assert_allclose(first, checks.numeric_vjp(f, (x,), 0, 1.0)[0], rtol=1e-5)
    scope["act"] = scope["softer"]
    second = s2sad.grad(f)(x)
    np.testing.assert_allclose(second, checks.numeric_vjp(f, (x,), 0, 1.0)[0], rtol=1e-5)
    assert not np.allclose(first, second)
