"""A helper of s2sad's without a rule, met while differentiating s2sad's own derivative,
is an internal error at the user's line: never advice to register a rule for s2sad's
internals."""

import inspect

import numpy as np
import pytest

import s2sad
from s2sad.errors import InternalRuleError, MissingRuleError
from s2sad.pipeline import clear_cache
from s2sad.rules import RULES
from s2sad.runtime import reductions


def product_of_sines(x):
    y = np.sin(x)
    return np.prod(y)


@pytest.fixture
def prod_adjoint_without_rules():
    """``prod_adjoint`` (what the gradient of ``np.prod`` calls) with its rules taken out."""
    key = id(reductions.prod_adjoint)
    saved = RULES._sets.pop(key, None)
    clear_cache()
    yield
    if saved is not None:
        RULES._sets[key] = saved
    clear_cache()


def _line_of(function, text):
    lines, first = inspect.getsourcelines(function)
    return first + next(i for i, line in enumerate(lines) if text in line)


@pytest.mark.parametrize("second", ["hvp", "hessian", "jacrev_of_grad"])
def test_a_helper_without_rules_in_generated_code_is_an_internal_error(
        prod_adjoint_without_rules, second):
    x = np.array([0.5, 1.0, 1.5])
    with pytest.raises(InternalRuleError) as caught:
        if second == "hvp":
            s2sad.hvp(product_of_sines)(x, np.ones(3))
        elif second == "hessian":
            s2sad.hessian(product_of_sines)(x)
        else:
            s2sad.jacrev(s2sad.grad(product_of_sines))(x)
    message = str(caught.value)
    assert "bug in s2sad, please report it" in message
    assert "product_of_sines" in message
    line = _line_of(product_of_sines, "return np.prod(y)")
    assert f"{__file__}:{line}: return np.prod(y)" in message
    assert "register" not in message.lower()
    assert isinstance(caught.value, MissingRuleError)  # still a missing rule to catch


def polynomial(x):  # (np.polyval has rules now: np.unwrap has none yet)
    return np.sum(np.unwrap(x))


def test_a_missing_rule_of_a_library_function_stays_the_users_error():
    with pytest.raises(MissingRuleError) as caught:
        s2sad.grad(polynomial)(np.array([0.5, 1.5]))
    assert not isinstance(caught.value, InternalRuleError)
    assert "register_vjp(numpy.unwrap)" in str(caught.value)


def sine_sum(x):
    return np.sum(np.sin(x) * x)


@pytest.fixture
def cos_without_rules():
    """``np.cos`` (what the gradient of ``np.sin`` calls) with its rules taken out."""
    key = id(np.cos)
    saved = RULES._sets.pop(key, None)
    clear_cache()
    yield
    if saved is not None:
        RULES._sets[key] = saved
    clear_cache()


def test_a_library_function_a_rule_calls_is_an_internal_error_too(cos_without_rules):
    """The user's code never names np.cos: only s2sad's rule for np.sin does."""
    with pytest.raises(InternalRuleError) as caught:
        s2sad.hvp(sine_sum)(np.array([0.5, 1.0]), np.ones(2))
    message = str(caught.value)
    assert "numpy.cos" in message and "sine_sum" in message
    assert f"{__file__}:{_line_of(sine_sum, 'return np.sum')}" in message
    assert "register" not in message.lower()
