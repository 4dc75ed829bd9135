"""Algebra (``simplify_values``): the patterns folding composed, rewritten to the same bits."""

from tests.stages.helpers import block_text, expected, simplify_values, statements


def test_a_negation_added_becomes_a_subtraction_and_nothing_else_changes():
    body = statements("""
        x2_bar = -math.cos(x2) + x1
        y = --x
        z = a + -b
        w = -a + -b
        v = 0 * x
        u = x * 1.0
        t = 2 * 3
    """)
    assert simplify_values(body)
    # --x stays (x itself where the code made a new array); 0 * x has x's shape
    assert block_text(body) == expected("""
        x2_bar = x1 - math.cos(x2)
        y = --x
        z = a - b
        w = -a - b
        v = 0 * x
        u = x * 1.0
        t = 2 * 3
    """)


def test_nothing_to_simplify_says_so():
    body = statements("y = a + b\n")
    assert not simplify_values(body)
    assert block_text(body) == "y = a + b\n"


def test_a_boolean_factor_keeps_its_neutral_element():
    import gast

    from s2sad.simplify import simplified
    node = gast.parse("1 * (x > 0) - 1 * (x < 0)").body[0].value
    assert simplified(node) is None  # np.bool_ - np.bool_ raises: the 1 * makes ints
