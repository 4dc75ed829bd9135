"""Jump lowering (``JumpLowering``): loops over ranges, jumps in tail position, one return."""

import pytest

import s2sad
from tests.stages.helpers import expected, lowered, text


def check(source, after, namespace=None):
    assert text(lowered(source, namespace)) == expected(after)


def test_break_and_continue_in_an_inner_loop_with_else():
    check("""
        def f(xs, n):
            s = 0.0
            for i in range(n):
                for x in xs:
                    if x > 1.0:
                        break
                    if x < 0.0:
                        continue
                    s = s + x
                else:
                    s = s * 2.0
            return s
    """, """
        def f(xs, n):
            s = 0.0
            for i in range(n):
                check_sequence(xs)
                _broke = False
                for _k in range(len(xs)):
                    x = xs[_k]
                    if x > 1.0:
                        _broke = True
                        break
                    elif x < 0.0:
                        continue
                    else:
                        s = s + x
                if _broke:
                    pass
                else:
                    s = s * 2.0
            return s
    """)


def test_a_continue_in_the_else_of_an_outer_loop_moves_what_follows_into_the_branch():
    check("""
        def f(xs):
            s = 0.0
            for i in range(len(xs)):
                for j in range(i):
                    if j == 2:
                        continue
                    if xs[j] > 5:
                        break
                    s = s + xs[j]
                else:
                    continue
                s = s * 2
            return s
    """, """
        def f(xs):
            s = 0.0
            for i in range(len(xs)):
                _broke = False
                for j in range(i):
                    if j == 2:
                        continue
                    elif xs[j] > 5:
                        _broke = True
                        break
                    else:
                        s = s + xs[j]
                if _broke:
                    s = s * 2
                else:
                    continue
            return s
    """)


def test_while_else_becomes_a_flag():
    check("""
        def f(x):
            while x > 1.0:
                x = x / 2.0
                if x < 0.1:
                    break
            else:
                x = x + 1.0
            return x
    """, """
        def f(x):
            _broke = False
            while x > 1.0:
                x = x / 2.0
                if x < 0.1:
                    _broke = True
                    break
            if _broke:
                pass
            else:
                x = x + 1.0
            return x
    """)


def test_a_return_in_nested_loops_breaks_out_of_each():
    check("""
        def f(x, ys):
            for i in range(3):
                for y in ys:
                    if y > x:
                        return y
            return x
    """, """
        def f(x, ys):
            _returned = False
            for i in range(3):
                check_sequence(ys)
                for _k in range(len(ys)):
                    y = ys[_k]
                    if y > x:
                        _y = y
                        _returned = True
                        break
                if _returned:
                    break
            if _returned:
                pass
            else:
                _y = x
            return _y
    """)


def test_falling_off_the_end_of_a_loop_that_may_return_returns_none_where_it_did_not():
    check("""
        def f(x):
            while True:
                x = x * 2.0
                if x > 10.0:
                    return x
                if x < 0.0:
                    continue
                x = x + 1.0
    """, """
        def f(x):
            _returned = False
            while True:
                x = x * 2.0
                if x > 10.0:
                    _y = x
                    _returned = True
                    break
                elif x < 0.0:
                    continue
                else:
                    x = x + 1.0
            if _returned:
                pass
            else:
                _y = None
            return _y
    """)


def test_an_early_return_in_a_branch_assigns_the_result():
    check("""
        def f(x):
            if x > 0:
                return x
            return -x
    """, """
        def f(x):
            if x > 0:
                _y = x
            else:
                _y = -x
            return _y
    """)


def test_enumerate_zip_and_reversed_index_their_sequences():
    check("""
        def f(xs, ys):
            s = 0.0
            for i, (x, y) in enumerate(zip(xs, ys)):
                s = s + i * x * y
            for x in reversed(xs):
                s = s * x
            return s
    """, """
        def f(xs, ys):
            s = 0.0
            check_sequence(xs)
            check_sequence(ys)
            for _k in range(min(len(xs), len(ys))):
                i = _k
                x = xs[_k]
                y = ys[_k]
                s = s + i * x * y
            check_sequence(xs)
            for _k_ in range(len(xs) - 1, -1, -1):
                x = xs[_k_]
                s = s * x
            return s
    """)


def test_a_users_own_zip_is_a_sequence_like_any_other():
    check("""
        def f(x, xs):
            for v in zip(xs):
                x = x * v
            return x
    """, """
        def f(x, xs):
            _sequence = zip(xs)
            check_sequence(_sequence)
            for _k in range(len(_sequence)):
                v = _sequence[_k]
                x = x * v
            return x
    """, {"zip": lambda *a: a})


def test_a_range_loop_rebinding_its_variable_runs_over_an_index_of_its_own():
    check("""
        def f(x, n):
            for i in range(n):
                i = i + 1
                x = x * i
            return x
    """, """
        def f(x, n):
            for _k in range(n):
                i = _k
                i = i + 1
                x = x * i
            return x
    """)


def test_comprehensions_in_branches_evaluate_only_there():
    check("""
        def f(x, xs):
            y = x if x > 0 else [v * x for v in xs]
            z = x or [v for v in xs]
            w = x < 1.0 < [v for v in xs]
            return y, z, w
    """, """
        def f(x, xs):
            if x > 0:
                _choice = x
            else:
                _list1 = []
                check_sequence(xs)
                for _k in range(len(xs)):
                    v_ = xs[_k]
                    _list1.append(v_ * x)
                _choice = _list1
            y = _choice
            _either = x
            if not _either:
                _list2 = []
                check_sequence(xs)
                for _k_ in range(len(xs)):
                    v__ = xs[_k_]
                    _list2.append(v__)
                _either = _list2
            z = _either
            _operand = x
            _operand_ = 1.0
            _either_ = _operand < _operand_
            if _either_:
                _list3 = []
                check_sequence(xs)
                for _k__ in range(len(xs)):
                    v___ = xs[_k__]
                    _list3.append(v___)
                _either_ = _operand_ < _list3
            w = _either_
            return y, z, w
    """)


def test_comprehensions_in_tests_sequences_and_generator_arguments():
    check("""
        def f(x, xs):
            s = sum(v * x for v in xs)
            if len([v for v in xs if v > x]) > 1:
                s = s * 2.0
            while s < len([v for v in xs]):
                s = s + 1.0
            return s
    """, """
        def f(x, xs):
            _list1 = []
            check_sequence(xs)
            for _k in range(len(xs)):
                v_ = xs[_k]
                _list1.append(v_ * x)
            s = sum(_list1)
            _list2 = []
            check_sequence(xs)
            for _k_ in range(len(xs)):
                v__ = xs[_k_]
                if v__ > x:
                    _list2.append(v__)
            if len(_list2) > 1:
                s = s * 2.0
            while True:
                _list3 = []
                check_sequence(xs)
                for _k__ in range(len(xs)):
                    v___ = xs[_k__]
                    _list3.append(v___)
                if s < len(_list3):
                    s = s + 1.0
                else:
                    break
            return s
    """)


def test_and_or_values_without_comprehensions_are_left_to_normalize():
    check("""
        def f(x, c):
            return x and c or 2.0
    """, """
        def f(x, c):
            return x and c or 2.0
    """)


@pytest.mark.parametrize("call, snapshots", [
    ("s2sad.checkpointed(range(T), 2)", 2), ("checkpointed(range(T))", 100),
])
def test_a_checkpointed_loop_runs_over_its_values_and_is_marked(call, snapshots):
    loop = lowered(f"""
        def f(x, T):
            for t in {call}:
                x = x * 2.0
            return x
    """, {"s2sad": s2sad, "checkpointed": s2sad.checkpointed}).body[0]
    assert text(loop) == "for t in range(T):\n    x = x * 2.0\n"
    assert (loop.snapshots.value, loop.schedule.value) == (snapshots, "binomial")


def test_a_checkpoint_call_is_the_call_itself():
    check("""
        def f(x):
            return s2sad.checkpoint(g)(x)
    """, """
        def f(x):
            return g(x)
    """, {"s2sad": s2sad, "g": abs})
