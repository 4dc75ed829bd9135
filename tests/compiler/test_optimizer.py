"""The optimizer's passes (``s2sad/optimize/driver.py``): they fold values read once,
propagate copies and drop dead code, and change no bit of any result."""

import copy
import inspect
import math

import numpy as np
import pytest

import s2sad
from s2sad import derivative_definition
from s2sad.pipeline import Request, derivative
from s2sad.testing import check_grads
from s2sad.testing.rules import is_differentiable, random_like, tree_leaves
from tests.compiler.corpus import CORPUS
from tests.compiler.corpus_calls import CALLS_CORPUS
from tests.compiler.corpus_containers import CONTAINERS_CORPUS
from tests.compiler.corpus_control import CONTROL_CORPUS
from tests.compiler.corpus_inplace import INPLACE_CORPUS

EVERY = CORPUS + CONTROL_CORPUS + INPLACE_CORPUS + CALLS_CORPUS + CONTAINERS_CORPUS


def _results(function, args, mode: str) -> list:
    names = tuple(p for p, a in zip(inspect.signature(function).parameters, args)
                  if is_differentiable(a))
    rng = np.random.default_rng(0)
    generated = derivative(function, Request(mode, names))
    if mode == "forward":
        extras = [random_like(a, rng) for a in args if is_differentiable(a)]
    else:
        extras = [random_like(function(*copy.deepcopy(args)), rng)]
    result = generated.function(*copy.deepcopy(args),
                                **dict(zip(generated.extra_parameters, extras)))
    return tree_leaves(result)


def _without_optimizer(monkeypatch):
    s2sad.clear_cache()
    monkeypatch.setattr(derivative_definition, "optimize_definition", lambda *a: 0)


@pytest.mark.parametrize("function, args", EVERY,
                         ids=[f"{f.__module__.rsplit('.', 1)[-1]}-{f.__name__}-{i}"
                              for i, (f, _) in enumerate(EVERY)])
def test_the_optimized_derivatives_compute_the_same_bits(function, args, monkeypatch):
    if not any(is_differentiable(a) for a in args):
        pytest.skip("no float argument")
    for mode in ("forward", "reverse"):
        s2sad.clear_cache()
        optimized = _results(function, args, mode)
        with monkeypatch.context() as patch:
            _without_optimizer(patch)
            plain = _results(function, args, mode)
        s2sad.clear_cache()
        assert len(optimized) == len(plain)
        for fast, slow in zip(optimized, plain):
            np.testing.assert_array_equal(np.asarray(fast), np.asarray(slow))


def step(x, a, b):
    for _ in range(3):
        x = x * a + math.sin(x) * b
    return x


def test_temporaries_read_once_are_folded_back_into_expressions():
    general = s2sad.source(step, wrt=(0, 1, 2), general=True)
    text = s2sad.source(step, wrt=(0, 1, 2))  # the version for floats
    # the general code keeps the shapes unbroadcast needs
    assert "_tape.append(shape_only(_t1))" in general
    assert "        x = x * a + _t2 * b\n" in text  # the user's expression, one temporary kept
    assert "x_bar = x_bar * a + x_bar * b * math.cos(x)\n" in text  # merged accumulation
    assert "_t1 =" not in text and "_t3 =" not in text
    # a's update moved above x_bar's, so it reads x_bar itself and the copy _t1_bar is gone
    # (and b's, in the order of the parameters)
    assert ("a_bar = a_bar + x_bar * x\n        b_bar = b_bar + x_bar * _t2\n"
            "        x_bar = x_bar * a") in text
    assert "_t1_bar" not in text
    check_grads(step, (0.3, 0.9, 0.5))


def scaled(x):
    y = x * 2.0
    return np.sum(y * y)


def test_user_variables_keep_their_names():
    assert "y = x * 2.0" in s2sad.source(scaled)
    assert "y = x * 2.0" in s2sad.source(scaled, mode="forward")


def test_unoptimized_source_keeps_one_operation_per_line():
    text = s2sad.source(step, wrt=(0, 1, 2), optimize=False)
    assert "_t1 = x * a" in text and "x = _t1 + _t3" in text


calls = []


def logged(v):
    calls.append(len(calls))  # a counter: a derivative written out would be refused
    return v


def reads_after_a_call_with_effects(x):
    t = x * 3.0
    s = x * 2.0 + logged(t)
    return s * t


def test_values_are_not_moved_past_a_call_with_effects():
    text = s2sad.source(reads_after_a_call_with_effects, mode="forward")
    lines = [line.strip() for line in text.splitlines()]
    call = next(i for i, line in enumerate(lines) if "logged" in line)
    # x * 2.0 is computed before the call runs, as Python does: not moved into the sum
    assert any("x * 2.0" in line for line in lines[:call + 1])
    calls.clear()
    check_grads(reads_after_a_call_with_effects, (1.5,))
    assert calls


def noisy(x, rng):
    a = rng.normal()
    b = rng.normal()
    return x * b + a


def test_random_draws_keep_their_order():  # an unused draw still moves the generator
    first = s2sad.grad(noisy)(1.0, np.random.default_rng(3))
    draws = np.random.default_rng(3)
    draws.normal()
    assert first == draws.normal()  # d/dx = b, the second draw
    adjoint = derivative(noisy, Request("reverse", ("x",))).function
    assert adjoint(1.0, np.random.default_rng(3)) == (first,)
    text = s2sad.source(noisy)
    assert text.index("a = rng.normal()") < text.index("b = rng.normal()")


def test_optimizer_rounds_reach_a_fixed_point():
    import gast

    from s2sad.analyses.effects import Effects
    from s2sad.naming import Namer
    from s2sad.optimize.driver import optimize_definition

    namer = Namer({"x"})
    t1, t2, t3 = namer.temp(), namer.temp(), namer.temp()
    tree = gast.parse(f"def f(x):\n    {t1} = x\n    {t2} = {t1} * 2\n    {t3} = {t2} + 1\n"
                      f"    return {t3}, {t3}").body[0]
    rounds = optimize_definition(tree, Effects({}), namer)
    assert rounds >= 1
    assert optimize_definition(tree, Effects({}), namer) == 0  # nothing left to do
    assert [type(s).__name__ for s in tree.body] == ["Assign", "Return"]


def trace(x1, x2):
    return math.log(x1) + x1 * x2 - math.sin(x2)


def test_folded_values_are_simplified_once_more():
    gradient = s2sad.grad(trace, wrt=(0, 1))
    assert "x2_bar = x1 - math.cos(x2)\n" in gradient.source  # from -math.cos(x2) + x1
    x1, x2 = 1.7, -0.4
    assert gradient(x1, x2) == (x2 + 1.0 / x1, x1 - math.cos(x2))  # the same bits


def test_an_unread_name_beside_a_write_into_an_array_is_not_dropped():
    import gast

    from s2sad.analyses.effects import Effects
    from s2sad.optimize.dead_code import remove_unread

    body = gast.parse("_a, x[0] = v, w").body  # _a is read nowhere, x[0] is still written
    assert not remove_unread(body, Effects({}), {"_a"})
    assert len(body) == 1


def reshaped_then_written(x):
    z = np.reshape(x, (2, 3)) * 1.0
    z[0, 1] = 5.0
    np.put_along_axis(z, np.array([[2], [0]]), np.sin(x[4:, None]), axis=1)
    return np.sum(z ** 2)


def test_multiplying_by_one_keeps_the_new_array_a_later_write_changes():
    """``np.reshape(x, s) * 1.0`` is a new array; simplified to ``np.reshape(x, s)`` it
    would be a view of ``x``, and the write into it would change the caller's array."""
    x = np.array([0.35, 1.2, -0.7, 0.9, 1.45, -0.3])
    kept = x.copy()
    for derivative_of in (lambda: s2sad.grad(reshaped_then_written)(x),
                          lambda: s2sad.jvp(reshaped_then_written, (x,), (x,)),
                          lambda: s2sad.hvp(reshaped_then_written)(x, x)):
        derivative_of()
        np.testing.assert_array_equal(x, kept)
    check_grads(reshaped_then_written, (x,))
