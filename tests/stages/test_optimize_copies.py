"""Copy propagation (``propagate_copies``): after ``a = b``, ``b`` is read where ``a`` was."""

import math

from tests.stages.helpers import Effects, block_text, expected, propagate_copies, statements


def propagated(source, generated, effects=None):
    body = statements(source)
    changed = propagate_copies(body, generated, effects=effects)
    return changed, block_text(body)


def test_reads_are_replaced_until_either_name_changes():
    assert propagated("""
        u_bar = x_bar
        a = u_bar * 2
        x_bar = 3.0
        b = u_bar * 4
    """, {"u_bar"}) == (True, expected("""
        u_bar = x_bar
        a = x_bar * 2
        x_bar = 3.0
        b = u_bar * 4
    """))
    assert propagated("""
        u_bar = x_bar
        a = u_bar * 2
        u_bar = 3.0
        b = u_bar * 4
    """, {"u_bar"}) == (True, expected("""
        u_bar = x_bar
        a = x_bar * 2
        u_bar = 3.0
        b = u_bar * 4
    """))


def test_reads_inside_nested_blocks_and_copies_of_user_names_stay():
    source = """
        u_bar = x_bar
        if c:
            a = u_bar * 2
        for i in range(3):
            b = u_bar
    """
    assert propagated(source, {"u_bar"}) == (False, expected(source))
    assert propagated("u = x\na = u * 2\n", {"v"}) == (False, "u = x\na = u * 2\n")


def test_a_pure_reader_moves_above_the_change_an_impure_one_stays():
    assert propagated("""
        u_bar = x_bar
        x_bar = x_bar * b
        a_bar = a_bar + u_bar * x
    """, {"u_bar"}, Effects({})) == (True, expected("""
        u_bar = x_bar
        a_bar = a_bar + x_bar * x
        x_bar = x_bar * b
    """))
    source = """
        u_bar = x_bar
        x_bar = x_bar * b
        print(u_bar)
    """
    assert propagated(source, {"u_bar"}, Effects({"math": math, "print": print})) == (
        False, expected(source))
