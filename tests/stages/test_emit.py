"""Emit (``to_source``): a tree to Python text, comments included, literals exact."""

import math

import gast
import pytest

from tests.stages.helpers import atom_text, comment, expected, to_source


def constant(value):
    return gast.Constant(value=value, kind=None)


def test_comments_print_as_lines_in_every_block_their_text_on_one_line():
    tree = gast.parse("def f(x):\n    if x:\n        y = 1\n    else:\n        y = 2\n"
                      "    return y\n").body[0]
    tree.body.insert(0, comment("first"))
    tree.body[1].body.insert(0, comment("the   branch\n taken"))
    tree.body[1].orelse.insert(0, comment("the other"))
    assert to_source(tree) == expected("""
        def f(x):
            # first
            if x:
                # the branch taken
                y = 1
            else:
                # the other
                y = 2
            return y
    """)


def test_a_long_statement_stays_on_one_line():
    long = " + ".join(f"x{i}" for i in range(40))
    assert to_source(gast.parse(f"y = {long}")) == f"y = {long}\n"


def test_parentheses_follow_precedence():
    source = "y = (a + b) * c - (d - e) - -f ** 2 + (-2) ** g\n"
    assert to_source(gast.parse(source)) == source


@pytest.mark.parametrize("value, text", [
    (-2.0, "(-2.0) ** 2"), (-0.0, "(-0.0) ** 2"), (-3, "(-3) ** 2"),
    (complex(1, -2), "(1.0 + -2.0j) ** 2"), (complex(-0.0, -1.0), "(-0.0 + -1.0j) ** 2"),
    (1j, "1.0j ** 2"), (-math.inf, "(-1e1000) ** 2"), (math.inf, "1e1000 ** 2"),
])
def test_a_negative_literal_is_the_negation_of_its_magnitude_and_reads_back_exactly(value, text):
    power = gast.BinOp(left=constant(value), op=gast.Pow(), right=constant(2))
    assert atom_text(power) == text
    assert repr(eval(atom_text(constant(value)))) == repr(value)


def test_nan_reads_back_as_nan():
    assert atom_text(constant(math.nan)) == "(1e1000-1e1000)"
    assert math.isnan(eval(atom_text(constant(math.nan))))


@pytest.mark.parametrize("value, text", [
    (complex(-0.0, 1.0), "-0.0 + 1.0j"), (complex(0.0, -0.0), "0.0 + -0.0j"),
    (complex(-0.0, 0.0), "-0.0 + 0.0j"),
])
def test_complex_zero_parts_whose_sign_python_has_no_literal_for(value, text):
    # documented: the sign of a zero part is not always kept (read back as 0j or 1j)
    assert atom_text(constant(value)) == text
    assert eval(text) == value
