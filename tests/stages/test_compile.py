"""Compile (``compile_definition``): emitted text to a live function, with its source kept."""

import inspect
import textwrap

import numpy as np

from tests.stages.helpers import (
    ForwardTransform,
    compile_definition,
    compiled,
    parse_function,
    prepare,
)

LAYER = """
    def f(x, W, b):
        h = np.tanh(W @ x + b)
        return np.sum(h ** 2)
"""


def test_the_compiled_adjoint_computes_the_closed_form_gradient():
    generated, ready = compiled(LAYER, ["W"], "reverse")
    x, b = np.array([0.3, -0.2, 0.5]), np.array([0.1, -0.4])
    W = np.array([[0.2, -0.1, 0.4], [0.5, 0.3, -0.6]])
    h = np.tanh(W @ x + b)
    expected = np.outer(2 * h * (1 - h ** 2), x)
    np.testing.assert_allclose(generated.function(x, W, b), expected, rtol=1e-14)
    np.testing.assert_allclose(generated.function(x, W, b, 0.5), 0.5 * expected, rtol=1e-14)
    assert generated.extra_parameters == ("y_bar",)


def test_the_source_is_registered_and_the_closure_holds_only_what_the_text_uses():
    generated, ready = compiled(LAYER, ["W"], "forward")
    fn = generated.function
    assert fn.__name__ == "f_forward"
    assert fn.__code__.co_filename.startswith("<s2sad f_forward ")
    assert textwrap.dedent(inspect.getsource(fn)) == generated.text
    assert fn.__globals__ is ready.parsed.globals
    assert fn.__code__.co_freevars == ("broadcast_like", "np")
    assert generated.bindings["np"] is np
    x, b = np.array([0.3, -0.2, 0.5]), np.array([0.1, -0.4])
    W, W_dot = np.eye(2, 3), np.ones((2, 3))
    value, tangent = fn(x, W, b, W_dot)
    h = np.tanh(W @ x + b)
    assert value == np.sum(h ** 2)
    np.testing.assert_allclose(tangent, np.sum(2 * h * (1 - h ** 2) * (W_dot @ x)), rtol=1e-14)


def test_the_users_closure_cells_are_shared_live():
    def outer():
        scale = 2.0

        def f(x):
            return scale * x

        def rescale(value):
            nonlocal scale
            scale = value

        return f, rescale

    f, rescale = outer()
    ready = prepare(parse_function(f), ["x"], "forward")
    definition = ForwardTransform(ready).function("f_forward")
    fn = compile_definition(definition, ready.parsed, ready.namespace).function
    assert fn(1.5, 1.0) == (3.0, 2.0)
    rescale(5.0)
    assert fn(1.5, 1.0) == (7.5, 5.0)
