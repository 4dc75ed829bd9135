"""Mutation (``check_mutation``): in-place changes the transforms cannot follow are refused."""

import operator

import pytest

from tests.stages.helpers import UnsupportedSyntaxError, mutation

SHARED = (r"augmented assignment to '{}', which may share memory with another variable still "
          r"in use \(a second name, a slice, a view or a container of it\); write {} = {} \+")


def test_parameters_written_in_place_are_named_for_copying():
    assert mutation("""
        def f(x, W):
            W[0] = x
            return np.sum(W)
    """, ["x"]) == {"W"}


@pytest.mark.parametrize("alias", ["y = x", "y = x[1:]", "t = (x, 1.0)\n    y = t[0]"])
def test_augmented_assignment_to_a_name_an_alias_still_reads_is_refused(alias):
    source = f"def f(x):\n    {alias}\n    x += 1.0\n    return np.sum(x * y)\n"
    line = 3 + alias.count("\n")
    with pytest.raises(UnsupportedSyntaxError,
                       match=rf"^stage.py:{line}:4: " + SHARED.format("x", "x", "x")):
        mutation(source, ["x"])


def test_an_alias_made_in_one_branch_is_enough():
    with pytest.raises(UnsupportedSyntaxError,
                       match=r"^stage.py:6:4: " + SHARED.format("x", "x", "x")):
        mutation("""
            def f(x):
                if x[0] > 0:
                    y = x
                else:
                    y = x * 2.0
                x += 1.0
                return np.sum(x * y)
        """, ["x"])


def test_an_element_read_from_a_list_shares_memory_with_it_after_an_append():
    with pytest.raises(UnsupportedSyntaxError,
                       match=r"^stage.py:4:4: " + SHARED.format("v", "v", "v")):
        mutation("""
            def f(x, xs):
                v = xs[0]
                xs.append(x)
                v += 1.0
                return v + xs[1]
        """, ["x"])


@pytest.mark.parametrize("alias", ["y = x * 2.0", "y = x.T"])
def test_a_new_value_or_an_alias_no_longer_read_is_fine(alias):
    reads = "y" if "*" in alias else "x"
    source = f"def f(x):\n    {alias}\n    x += 1.0\n    return np.sum(x * {reads})\n"
    assert mutation(source, ["x"]) == set()


def test_a_call_for_its_effect_on_an_active_value_is_refused():
    with pytest.raises(UnsupportedSyntaxError,
                       match=r"^stage.py:2:4: a call whose result is not used may modify its "
                             r"arguments in place, which s2sad cannot differentiate"):
        mutation("def f(x):\n    x.sort()\n    return np.sum(x)\n", ["x"])
    with pytest.raises(UnsupportedSyntaxError, match=r"^stage.py:2:4: a call whose result"):
        mutation("def f(x, y):\n    np.random.shuffle(y)\n    return np.sum(y * x)\n", ["y"])


@pytest.mark.parametrize("statement, call", [
    ("r = y.sort()", "y.sort"), ("z = cfun(y, x)", "cfun"),
])
def test_a_call_that_may_write_into_an_active_argument_is_refused(statement, call):
    with pytest.raises(UnsupportedSyntaxError,
                       match=rf"^stage.py:2:4: the call {call}\(...\) may write into 'y', which "
                             r"carries a derivative, and s2sad has no rule for that write"):
        mutation(f"def f(x, y):\n    {statement}\n    return np.sum(y * x)\n", ["y"],
                 {"cfun": operator.iadd})


@pytest.mark.parametrize("alias", ["y = x", "y = x[1:]"])
def test_an_item_write_through_an_alias_of_a_value_still_read_is_refused(alias):
    with pytest.raises(UnsupportedSyntaxError,
                       match=r"^stage.py:3:4: writing into 'y', which may share memory with "
                             r"another variable still in use .*; make it an array of its own "
                             r"first: y = y.copy\(\)"):
        mutation(f"def f(x, v):\n    {alias}\n    y[0] = v\n    return np.sum(x * y)\n", ["v"])


def test_an_item_write_into_a_copy_is_fine():
    assert mutation("def f(x, v):\n    y = x.copy()\n    y[0] = v\n    return np.sum(x * y)\n",
                    ["v"]) == set()
