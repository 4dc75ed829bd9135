"""The oracle of the generated-program tests catches wrong derivatives, keeps inputs
away from jumps, and records distances to jumps correctly."""

import numpy as np
import pytest
from hypothesis.errors import UnsatisfiedAssumption

import s2sad
from s2sad.rules.registry import RULES
from tests.fuzz import check
from tests.fuzz.programs import Gap, Node, Program, Trace

# the oracle is run here on hand-made programs, outside a property-based test, where its
# discards (hypothesis.assume) are deprecated but still raise as they should
pytestmark = pytest.mark.filterwarnings(
    "ignore:Using `assume` outside a property-based test:FutureWarning")

RULED = """import math

import numpy as np

import s2sad


@s2sad.custom_vjp
def ruled(u):
    return np.sin(u)


ruled.defvjp(lambda g, ans, u: g * {factor} * np.cos(u))
ruled.defjvp(lambda u_dot, ans, u: u_dot * {factor} * np.cos(u))


"""


@pytest.fixture(autouse=True)
def _forget_rules():
    """The rules these programs register leave the registry with them (the rules catalog
    lists every registered function)."""
    before = set(RULES._sets)
    yield
    for key in set(RULES._sets) - before:
        del RULES._sets[key]
        RULES._keep.pop(key, None)
    s2sad.clear_cache()


def _program(body: str, header: str = "") -> Program:
    program = Program(params=[("a", "float", None), ("x", "vector", None)])
    program.lines = [(1, ["acc = 0.0"]), (1, [body])]
    if header:
        program.header = header
    return program


ARGS = (0.3, np.array([0.5, -1.5, 0.2]))


def test_a_right_rule_passes():
    program = _program("return acc + np.sum(ruled(x) * a)", RULED.format(factor=1.0))
    assert check.check(program, ARGS) == "passed"


@pytest.mark.parametrize("factor", [2.0, 1.001])
def test_a_wrong_rule_fails(factor):
    program = _program("return acc + np.sum(ruled(x) * a)", RULED.format(factor=factor))
    with pytest.raises(AssertionError, match="jvp \\(forward mode\\)"):
        check.check(program, ARGS)


def test_a_program_that_raises_must_have_derivatives_that_raise():
    program = _program("return acc + x[5] * a")
    assert check.check(program, ARGS) == "raises"


def test_inputs_near_a_jump_are_discarded():
    test = Node("{} > 0.3", Gap("a", "cmp", "0.3"))
    program = _program("return ")
    program.lines[-1] = (1, ["return (a if ", test, " else 2.0 * a) * np.sum(x)"])
    assert check.check(program, (0.5, ARGS[1])) == "passed"
    with pytest.raises(UnsatisfiedAssumption, match="failed to satisfy assume"):
        check.check(program, (0.3005, ARGS[1]))


def test_trace_records_distances_and_sides():
    trace = Trace()
    assert trace(np.array([0.25, 0.9]), "cmp", 0.5) is not None
    trace(2.95, "int", 0.0)
    assert trace.least == pytest.approx(0.05)
    assert trace.sides == [("cmp", (False, True)), ("int", (2.0,))]


def test_trace_of_an_order_records_the_closest_keys_and_the_order():
    trace = Trace()
    values = [0.5, -0.2, 0.45]
    assert trace(values, "keys", None) is values
    assert trace.least == pytest.approx(0.05)
    trace(values, "keys", lambda v: -abs(v))
    assert trace.sides == [("keys", (1, 2, 0)), ("keys", (0, 2, 1))]


def test_an_order_near_a_swap_is_discarded():
    program = _program("return ")
    program.lines[-1] = (1, ["return acc + np.sum(np.maximum.accumulate(",
                             Gap("x * a", "keys", "None"), "))"])
    assert check.check(program, ARGS) == "passed"
    with pytest.raises(UnsatisfiedAssumption, match="failed to satisfy assume"):
        check.check(program, (0.3, np.array([0.5, 0.5002, 0.2])))


def test_a_refusal_must_name_the_programs_line():
    program = _program("return acc + np.sum(np.divide.accumulate(x)) * a")
    assert check.check(program, ARGS) == "refused"
    loaded = check.Loaded(program)
    try:
        with pytest.raises(AssertionError, match="naming no line of the program"):
            check._refused(s2sad.errors.S2sadError("no line here"), "", loaded)
    finally:
        loaded.close()
