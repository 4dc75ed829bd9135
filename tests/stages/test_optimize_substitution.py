"""Forward substitution (``substitute_single_uses``): a value read once is computed there."""

import math

import pytest

from tests.stages.helpers import (
    Effects,
    block_text,
    comment,
    expected,
    statements,
    substitute_single_uses,
)

EFFECTS = Effects({"math": math, "print": print})
TEMPORARIES = {"_t1", "_t2", "_t3"}


def test_temporaries_read_once_fold_and_an_adjoint_folds_into_its_own_update():
    # the two contributions in the order the primal reads them (the later one first)
    body = statements("""
        _t1 = x * a
        _t2 = math.sin(x)
        _t3 = _t2 * b
        y = _t1 + _t3
        y_bar = g * _t2
        y_bar = y_bar + h
    """)
    assert substitute_single_uses(body, EFFECTS, TEMPORARIES, TEMPORARIES | {"y_bar"})
    assert block_text(body) == expected("""
        _t2 = math.sin(x)
        y = x * a + _t2 * b
        y_bar = h + g * _t2
    """)


@pytest.mark.parametrize("why, source", [
    ("a name it reads changes between", "_t1 = x * a\nx = 2.0\ny = _t1 + x\n"),
    ("not pure", "_t1 = print(x)\ny = _t1 + 1\n"),
    ("read by a return", "_t1 = x * a\nreturn _t1\n"),
    ("read in another block", "_t1 = x * a\nif c:\n    y = _t1\n"),
])
def test_what_stays_where_it_is(why, source):
    body = statements(source)
    assert not substitute_single_uses(body, EFFECTS, TEMPORARIES, TEMPORARIES)
    assert block_text(body) == source


def test_no_value_folds_across_a_comment():
    body = statements("_t1 = x * a\ny = _t1 + 1\n")
    body.insert(1, comment("y = x * a + 1"))
    assert not substitute_single_uses(body, EFFECTS, TEMPORARIES, TEMPORARIES)
    assert block_text(body) == "_t1 = x * a\n# y = x * a + 1\ny = _t1 + 1\n"
