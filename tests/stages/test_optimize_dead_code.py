"""Dead code (``eliminate_dead_code`` over a forward sweep, ``remove_unread`` over a
derivative): unread pure values go, effects and what may raise stay."""

import math

import gast
import numpy as np

from tests.stages.helpers import (
    Effects,
    Facts,
    block_text,
    eliminate_dead_code,
    expected,
    remove_unread,
    statements,
)

EFFECTS = Effects({"math": math, "np": np, "print": print})


def removable(statement):
    return isinstance(statement, gast.Assign) and EFFECTS.removable(Facts(statement))


def test_a_forward_sweep_keeps_what_is_needed_has_effects_or_may_raise():
    kept = eliminate_dead_code(statements("""
        a = x * 2
        b = a + 1
        c = math.log(x)
        d = np.sin(x)
        print(d)
        if x:
            e = 1
            f = 2
        else:
            e = 3
        s = 0
        for i in range(3):
            s = s + i
        t = 0
        while t < 3:
            t = t + 1
    """), {"a"}, removable)
    assert block_text(kept) == expected("""
        a = x * 2
        c = math.log(x)
        d = np.sin(x)
        print(d)
        for i in range(3):
            pass
        t = 0
        while t < 3:
            t = t + 1
    """)


def test_a_for_loop_keeps_what_a_later_iteration_or_the_rest_reads():
    kept = eliminate_dead_code(statements("""
        s = 0
        u = 0
        for i in range(3):
            w = u * 2
            u = s + i
            s = s + i
            v = i * 3
            print(w)
    """), {"s"}, removable)
    assert block_text(kept) == expected("""
        s = 0
        u = 0
        for i in range(3):
            w = u * 2
            u = s + i
            s = s + i
            print(w)
    """)


def test_unread_generated_names_go_everywhere_user_names_and_effects_stay():
    body = statements("""
        _t1 = x * 2
        _t2 = print(x)
        x_bar = a
        x_bar = b
        y = x_bar
        user = x * 3
        for i in range(3):
            _t3 = i * 2
    """)
    assert remove_unread(body, EFFECTS, {"_t1", "_t2", "x_bar", "_t3"})
    assert block_text(body) == expected("""
        _t2 = print(x)
        x_bar = b
        y = x_bar
        user = x * 3
        for i in range(3):
            pass
    """)
