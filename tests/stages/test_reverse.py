"""Reverse transform (``ReverseTransform``) on a prepared function, before the optimizer."""

import pytest

from s2sad.errors import MissingRuleError
from tests.stages.helpers import expected, text, transformed

PRODUCT = """
    def f(x, y):
        z = x * y
        return np.sin(z)
"""


def check(source, wrt, mode, after, optimize=False):
    definition, _ = transformed(source, wrt, mode, optimize)
    assert text(definition) == expected(after)
    return definition


def test_reverse_mode_without_shape_facts_keeps_every_unbroadcast():
    check(PRODUCT, ["x"], "reverse", """
        def f_reverse(x, y, out_bar=1.0):
            # forward sweep
            z = x * y
            _y = np.sin(z)
            # reverse sweep
            # return np.sin(z)
            z_bar = out_bar * conj(np.cos(z))
            # z = x * y
            x_bar = unbroadcast(z_bar * conj(y), x)
            return match(x_bar, x)
    """)


LOOP = """
    def f(x, n):
        s = 0.0
        for i in range(n):
            if s < 10.0:
                s = s + x * x
        return s
"""


def test_a_branch_in_a_loop_reverse_records_tests_and_overwritten_values_on_a_tape():
    check(LOOP, ["x"], "reverse", """
        def f_reverse(x, n, s_bar=1.0):
            # forward sweep
            _tape = []
            s = 0.0
            for i in range(n):
                _t1 = s < 10.0
                if _t1:
                    _t2 = x * x
                    _tape.append(shape_only(_t2))
                    _t3 = s + _t2
                    _tape.append(shape_only(s))
                    s = _t3
                _tape.append(_t1)
            # reverse sweep
            x_bar = zeros_like(x)
            # for i in range(n):
            for i in reversed(range(n)):
                _t1 = _tape.pop()
                # if s < 10.0:
                if _t1:
                    # s = s + x * x
                    _t3_bar = s_bar
                    s = _tape.pop()
                    _t2 = _tape.pop()
                    s_bar = unbroadcast(_t3_bar, s)
                    _t2_bar = unbroadcast(_t3_bar, _t2)
                    x_bar = x_bar + unbroadcast(_t2_bar * conj(x), x) + unbroadcast(_t2_bar * conj(x), x)
            return match(x_bar, x)
    """)  # noqa: E501


LISTS = """
    def f(x, xs):
        xs.append(x * 2.0)
        y = xs.pop()
        a = [x, y]
        return a[0] * a[1]
"""


def test_lists_reverse_an_append_is_undone_by_a_pop_of_the_adjoint_list():
    check(LISTS, ["x"], "reverse", """
        def f_reverse(x, xs, out_bar=1.0):
            # forward sweep
            xs = xs.copy()
            _t1 = x * 2.0
            xs.append(_t1)
            y = xs.pop()
            a = [x, y]
            _t2 = a[0]
            _t3 = a[1]
            # reverse sweep
            # return a[0] * a[1]
            _t2_bar = unbroadcast(out_bar * conj(_t3), _t2)
            _t3_bar = unbroadcast(out_bar * conj(_t2), _t3)
            a_bar = getitem_adjoint(_t3_bar, a, 1)
            a_bar = add(a_bar, getitem_adjoint(_t2_bar, a, 0))
            # a = [x, y]
            x_bar = a_bar[0]
            y_bar = a_bar[1]
            # y = xs.pop()
            xs_bar = owned(None, xs)
            xs_bar.append(y_bar)
            # xs.append(x * 2.0)
            _t4_bar = xs_bar.pop()
            x_bar = x_bar + _t4_bar * conj(2.0)
            return match(x_bar, x)
    """, optimize=True)


def test_an_item_write_gives_the_value_the_adjoint_it_takes_out():
    check("""
        def f(x, W):
            W[0] = x
            return np.sum(W * W)
    """, ["x"], "reverse", """
        def f_reverse(x, W, y_bar=1.0):
            # forward sweep
            W = W.copy()
            W[0] = x
            _t1 = W * W
            # reverse sweep
            # return np.sum(W * W)
            _t1_bar = unreduce(y_bar, _t1, None, False)
            W_bar = _t1_bar * conj(W) + _t1_bar * conj(W)
            # W[0] = x
            _t2_bar = setitem_adjoint(W_bar, 0, x)
            return match(_t2_bar, x)
    """, optimize=True)


class Mystery:
    """A callable without source or rules."""

    def __call__(self, x):
        return x


@pytest.mark.parametrize("mode, rule", [
    ("forward", "forward rule for mystery. Register one with @s2sad.register_jvp"),
    ("vector", "forward rule for mystery. Register one with @s2sad.register_jvp"),
    ("reverse", "reverse rule for mystery. Register one with @s2sad.register_vjp"),
])
def test_a_function_without_rules_on_an_active_value_is_refused_at_its_line(mode, rule):
    with pytest.raises(MissingRuleError, match=rf"^stage.py:2:4: no {rule}\(mystery\)"):
        transformed("def f(x):\n    y = mystery(x)\n    return y\n", ["x"], mode,
                    namespace={"mystery": Mystery()})


def test_a_while_loop_left_by_break_is_reversed_by_counting_its_trips():
    check("""
        def f(x):
            while x < 10.0:
                x = x * 2.0
                if x > 5.0:
                    break
            return x
    """, ["x"], "reverse", """
        def f_reverse(x, x_bar=1.0):
            # forward sweep
            _tape = []
            _t1 = x < 10.0
            _trips1 = 0
            while _t1:
                _trips1 += 1
                _t2 = x * 2.0
                _tape.append(x)
                x = _t2
                _t3 = x > 5.0
                if _t3:
                    break
                _t1 = x < 10.0
            # reverse sweep
            # while x < 10.0:
            for _ in range(_trips1):
                # x = x * 2.0
                x = _tape.pop()
                x_bar = x_bar * conj(2.0)
            return match(x_bar, x)
    """, optimize=True)
