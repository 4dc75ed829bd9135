"""Where the reverse sweep holds each adjoint (``AdjointHolders``), and adjoint updates
meant to happen at once written one after another (``in_safe_order``)."""

import gast

from s2sad.nodes import assign, call, load
from tests.stages.helpers import AdjointHolders, in_safe_order, to_source


def holders(updatable=lambda name: True):
    return AdjointHolders(lambda name: name + "_bar",
                          new_array=lambda value: isinstance(value, (gast.BinOp, gast.Call)),
                          updatable=updatable)


def test_an_adjoint_held_in_another_variable_reads_as_that_variable():
    h = holders()
    h.hold("x", "y_bar")
    assert h.current("x").id == "y_bar"
    assert h.held_elsewhere({"x", "y"}) == ["x"]
    assert h.sharing("y", {"x", "y"}) == ["x"]
    assert h.sharing("y", {"y"}) == []


def test_a_number_held_as_an_adjoint_is_a_constant():
    h = holders()
    h.hold("y", 1.0)
    assert isinstance(h.current("y"), gast.Constant) and h.current("y").value == 1.0
    assert not h.in_own_variable("y")


def test_a_new_array_is_owned_and_a_copy_of_a_variable_owns_nothing():
    h = holders()
    h.assigned("x", call("zeros_like", load("x")))
    assert h.owns("x")
    h.assigned("y", load("x_bar"))
    assert not h.owns("y") and not h.owns("x")


def test_updates_in_place_only_in_loops_for_updatable_unshared_arrays():
    h = holders(updatable=lambda name: name != "s")
    h.zeroed("x", array=True)
    h.zeroed("s", array=True)
    assert not h.adds_in_place("x", {"x"})
    entry = h.enter_loop()
    assert h.in_loop and h.adds_in_place("x", {"x"})
    assert not h.adds_in_place("s", {"s"})
    h.added_in_place("x")
    assert h.leave_loop(entry) == {"x"}
    assert not h.in_loop


def test_loops_inside_loops_pass_their_updates_in_place_outwards():
    h = holders()
    outer = h.enter_loop()
    h.added_in_place("x")
    inner = h.enter_loop()
    h.added_in_place("y")
    assert h.leave_loop(inner) == {"y"}
    assert h.leave_loop(outer) == {"x", "y"}


def test_where_branches_meet_an_array_is_owned_only_if_it_is_on_both():
    h = holders()
    h.zeroed("x", array=True)
    start = h.snapshot()
    h.assigned("x", load("y_bar"))
    body = h.snapshot()
    h.restore(start)
    assert h.owns("x")
    h.owned_in_both(body)
    assert not h.owns("x")


def test_disowned_variables_are_not_written_in_place():
    h = holders()
    h.zeroed("x", array=True)
    h.disown(["x"])
    assert not h.owns("x")


def _written(pending, variable=lambda n: n + "_bar"):
    block = []
    for name, value in in_safe_order(pending, variable, lambda base: base, block):
        block.append(assign(variable(name), value))
    return [to_source(s).strip() for s in block]


def test_an_assignment_waits_until_no_other_reads_its_variable():
    assert _written([("a", load("g")), ("b", load("a_bar"))]) == [
        "b_bar = a_bar", "a_bar = g"]


def test_a_cycle_keeps_the_first_overwritten_value_aside():
    assert _written([("a", load("b_bar")), ("b", load("a_bar"))]) == [
        "a_bar_kept = a_bar", "a_bar = b_bar", "b_bar = a_bar_kept"]
