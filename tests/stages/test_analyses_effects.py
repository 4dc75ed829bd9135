"""Effects (``Effects``, ``Facts``, ``leaves_arguments_alone``): what a statement of generated
code reads, writes, and whether it may be moved or dropped."""

import math
import random

import gast
import numpy as np
import pytest

from tests.stages.helpers import Effects, Facts, leaves_arguments_alone


def user(x):
    return x


EFFECTS = Effects({"math": math, "np": np, "random": random, "print": print, "user": user},
                  stacks={"_tape"})

#: statement, pure, removable (pure and unable to raise), tape operation
STATEMENTS = [
    ("y = x.copy() + x ** 2", True, True, None),
    ("y = math.sin(x) * a[0]", True, False, None),  # math.sin(inf) raises
    ("y = math.exp(x)", True, False, None),  # overflows
    ("y = math.log(x)", True, False, None),
    ("y = 1.0 / x", True, False, None),
    ("y = int(x)", True, False, None),  # int(nan) raises
    ("y = np.linalg.inv(x)", True, False, None),  # a singular matrix raises
    ("print(x)", False, False, None),
    ("y = np.random.normal(x)", False, False, None),
    ("y = random.random()", False, False, None),
    ("y = user(x)", False, False, None),
    ("y = x.sort()", False, False, None),
    ("y = [v for v in x]", False, False, None),
    ("y = lambda: 1", False, False, None),
    ("_tape.append(x)", False, False, "append"),
    ("y = _tape.pop()", False, False, "pop"),
]


@pytest.mark.parametrize("statement, pure, removable, tape", STATEMENTS,
                         ids=[s[0] for s in STATEMENTS])
def test_purity_and_whether_an_unused_statement_may_go(statement, pure, removable, tape):
    node = gast.parse(statement).body[0]
    assert EFFECTS.pure(node.value) == pure
    assert EFFECTS.removable(Facts(node)) == removable
    assert EFFECTS.stack_operation(node.value) == tape


def test_an_unused_statement_that_may_raise_goes_when_raising_need_not_be_kept():
    effects = Effects({"math": math}, keep_raising=False)
    assert effects.removable(Facts(gast.parse("y = math.log(x) / z").body[0]))


def test_what_a_statement_reads_and_binds():
    facts = Facts(gast.parse("y, z = f(x, x)[a]").body[0])
    assert (dict(facts.loads), dict(facts.stores)) == ({"f": 1, "x": 2, "a": 1},
                                                      {"y": 1, "z": 1})
    augmented = Facts(gast.parse("x_bar += g * w").body[0])
    assert (dict(augmented.loads), dict(augmented.stores)) == ({"g": 1, "w": 1, "x_bar": 1},
                                                              {"x_bar": 1})


def test_a_pop_crosses_a_pure_statement_that_reads_none_of_its_names():
    pop = gast.parse("a, b = _tape.pop()").body[0]
    assert EFFECTS.crossable_facts(pop, Facts(pop))
    printing = gast.parse("print(a)").body[0]
    assert not EFFECTS.crossable_facts(printing, Facts(printing))


@pytest.mark.parametrize("function, alone", [
    (np.sin, True), (len, True), (math.sin, True), (sorted, True),
    (np.copyto, False), (np.ndarray.sort, False), (np.random.shuffle, False), (user, False),
])
def test_which_calls_are_known_to_leave_their_arguments_alone(function, alone):
    assert leaves_arguments_alone(function) == alone


@pytest.mark.parametrize("statement", ["w = np.cumsum(c, 0, None, z)",
                                       "w = c.cumsum(0, None, z)"])
def test_a_call_writing_into_an_out_given_by_position_is_not_pure(statement):
    node = gast.parse(statement).body[0]
    assert not EFFECTS.pure(node.value)


@pytest.fixture
def forgetting_signatures():
    """What ``gives_out`` read of signatures is forgotten before and after the test."""
    from s2sad.analyses import effects

    effects._out_position.cache_clear()
    yield
    effects._out_position.cache_clear()


def test_an_out_by_position_is_found_where_a_method_has_no_signature(monkeypatch,
                                                                     forgetting_signatures):
    """NumPy before 2.2 gives ``ndarray.cumsum`` no signature: its function's
    (``np.cumsum(a, axis, dtype, out)``) tells where ``out`` is; with neither, any
    positional argument may be one."""
    from s2sad.analyses import effects

    real = effects._parameters
    monkeypatch.setattr(effects, "_parameters",
                        lambda f: None if f is np.ndarray.cumsum else real(f))
    call = gast.parse("c.cumsum(0, None, z)").body[0].value
    assert effects.gives_out(np.ndarray.cumsum, call, method=True)
    assert not effects.gives_out(np.ndarray.cumsum, gast.parse("c.cumsum(0)").body[0].value,
                                 method=True)
    monkeypatch.setattr(effects, "_parameters", lambda f: None)
    effects._out_position.cache_clear()
    assert effects.gives_out(np.ndarray.cumsum, gast.parse("c.cumsum(0)").body[0].value,
                             method=True)
    assert not effects.gives_out(np.ndarray.cumsum, gast.parse("c.cumsum()").body[0].value,
                                 method=True)
