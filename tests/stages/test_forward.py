"""Forward transform (``ForwardTransform``) on a prepared function, before the optimizer."""

from tests.stages.helpers import ForwardTransform, expected, prepared, text, transformed

PRODUCT = """
    def f(x, y):
        z = x * y
        return np.sin(z)
"""


def check(source, wrt, mode, after, optimize=False):
    definition, _ = transformed(source, wrt, mode, optimize)
    assert text(definition) == expected(after)
    return definition


def test_forward_mode_puts_each_tangent_after_its_statement():
    definition = check(PRODUCT, ["x"], "forward", """
        def f_forward(x, y, x_dot):
            z = x * y
            z_dot = x_dot * y
            _y = np.sin(z)
            _y_dot = np.cos(z) * z_dot
            return _y, _y_dot
    """)
    assert definition.extra_parameters == ["x_dot"]


LOOP = """
    def f(x, n):
        s = 0.0
        for i in range(n):
            if s < 10.0:
                s = s + x * x
        return s
"""


def test_a_branch_in_a_loop_forward():
    check(LOOP, ["x"], "forward", """
        def f_forward(x, n, x_dot):
            s = 0.0
            s_dot = 0.0
            for i in range(n):
                _t1 = s < 10.0
                if _t1:
                    _t2 = x * x
                    _t2_dot = x_dot * x + x * x_dot
                    _t3 = s + _t2
                    _t3_dot = broadcast_like(s_dot, _t3) + broadcast_like(_t2_dot, _t3)
                    s = _t3
                    s_dot = _t3_dot
            return s, s_dot
    """)


LISTS = """
    def f(x, xs):
        xs.append(x * 2.0)
        y = xs.pop()
        a = [x, y]
        return a[0] * a[1]
"""


def test_lists_forward_parameters_written_are_copied_and_the_tangent_list_follows():
    check(LISTS, ["x"], "forward", """
        def f_forward(x, xs, x_dot):
            xs = xs.copy()
            _t1 = x * 2.0
            _t1_dot = 2.0 * x_dot
            xs.append(_t1)
            xs_dot = owned(None, xs)
            xs_dot.append(_t1_dot)
            y = xs.pop()
            y_dot = xs_dot.pop()
            a = [x, y]
            a_dot = [x_dot, y_dot]
            _t2 = a[0]
            _t2_dot = a_dot[0]
            _t3 = a[1]
            _t3_dot = a_dot[1]
            _y = _t2 * _t3
            _y_dot = add(_t2_dot * _t3, _t2 * _t3_dot)
            return _y, _y_dot
    """, optimize=True)


def test_the_primal_alone_is_the_core_with_its_calls_bound():
    ready = prepared("""
        def f(x, y):
            z = x * y
            if z > 0:
                return np.sin(z)
            return z
    """, [], "primal")
    assert text(ForwardTransform(ready, True).function("f_primal")) == expected("""
        def f_primal(x, y):
            z = x * y
            _t1 = z > 0
            if _t1:
                _y = np.sin(z)
            else:
                _y = z
            return _y
    """)
