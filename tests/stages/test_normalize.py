"""Normalize (``Normalizer``): one operation per assignment, on atoms."""

import gast

from tests.stages.helpers import expected, normalized, simple_statements, text


def check(source, after):
    assert text(normalized(expected(source))) == expected(after)


def test_nested_calls_get_a_temporary_each_and_the_return_value_an_atom():
    check("""
        def f(x, W):
            return np.sum(np.tanh(W @ x + 1.0), axis=0).mean()
    """, """
        def f(x, W):
            _t1 = W @ x
            _t2 = _t1 + 1.0
            _t3 = np.tanh(_t2)
            _t4 = np.sum(_t3, axis=0)
            _y = _t4.mean()
            return _y
    """)


def test_a_chained_comparison_short_circuits_evaluating_the_middle_once():
    check("""
        def f(x, a, b):
            \"\"\"The docstring goes.\"\"\"
            y = a < x <= b
            x = x * a
            return y, x
    """, """
        def f(x, a, b):
            _t1 = a < x
            _t2 = not _t1
            if not _t2:
                _t1 = x <= b
            y = _t1
            _t3 = x * a
            x = _t3
            return y, x
    """)


def test_augmented_assignment_to_subscripts_reads_then_writes_the_element():
    check("""
        def f(x, i):
            x[i] += 2.0 * x[i + 1]
            x[i, ::2] *= 3.0
            return x
    """, """
        def f(x, i):
            _t1 = x[i]
            _t2 = i + 1
            _t3 = x[_t2]
            _t4 = 2.0 * _t3
            _t5 = _t1 + _t4
            x[i] = _t5
            _t6 = x[i, ::2]
            _t7 = _t6 * 3.0
            x[i, ::2] = _t7
            return x
    """)


def test_chained_assignment_binds_left_to_right_and_nested_unpacking_is_flattened():
    check("""
        def f(x):
            a = b = x * 2.0
            (c, d), e = (x, a), b
            return a + c
    """, """
        def f(x):
            _t1 = x * 2.0
            a = _t1
            b = _t1
            _t2 = x, a
            _t3 = _t2, b
            _t4, _t5 = _t3
            c, d = _t4
            e = _t5
            _y = a + c
            return _y
    """)


def test_and_or_and_conditional_values_become_branches():
    check("""
        def f(x, lam, c):
            y = lam or x * 2.0
            z = x and lam
            w = x if c else -x
            return y, z, w
    """, """
        def f(x, lam, c):
            _t1 = lam
            _t2 = not _t1
            if _t2:
                _t1 = x * 2.0
            y = _t1
            _t3 = x
            _t4 = not _t3
            if not _t4:
                _t3 = lam
            z = _t3
            if c:
                _t5 = x
            else:
                _t5 = -x
            w = _t5
            return y, z, w
    """)


def test_a_test_its_branch_rebinds_is_taken_into_a_temporary_first():
    check("""
        def f(x, c):
            if c:
                c = False
            if x:
                y = x
            return c
    """, """
        def f(x, c):
            _t1 = not c
            if not _t1:
                c = False
            if x:
                y = x
            return c
    """)


def test_a_range_bound_the_body_changes_and_a_while_test_computed_again():
    check("""
        def f(x, n):
            for i in range(n):
                n = n + 1
                x = x * 2.0
            while x < 10.0 * n:
                x = x + 1.0
            return x
    """, """
        def f(x, n):
            _t1 = n
            for i in range(_t1):
                _t2 = n + 1
                n = _t2
                _t3 = x * 2.0
                x = _t3
            _t4 = 10.0 * n
            _t5 = x < _t4
            while _t5:
                _t6 = x + 1.0
                x = _t6
                _t4 = 10.0 * n
                _t5 = x < _t4
            return x
    """)


def test_list_methods_attributes_and_a_pop_for_its_effect():
    check("""
        def f(x, xs):
            xs.append(x * 2)
            xs.pop()
            y = xs[0].T
            return -y ** 2
    """, """
        def f(x, xs):
            _t1 = x * 2
            xs.append(_t1)
            _t2 = xs.pop()
            _t3 = xs[0]
            y = _t3.T
            _t4 = y ** 2
            _y = -_t4
            return _y
    """)


def test_each_statement_remembers_the_users_statement_it_came_from():
    core = normalized("def f(x, i):\n    y = x * 2.0\n    x[i] += 2.0 * y\n    return x\n")
    origins = [(text(s).strip(), s.origin.lineno) for s in simple_statements(core.body[:-1])]
    assert origins == [("y = x * 2.0", 2), ("_t1 = x[i]", 3), ("_t2 = 2.0 * y", 3),
                       ("_t3 = _t1 + _t2", 3), ("x[i] = _t3", 3)]
    assert all(isinstance(s.origin, (gast.Assign, gast.AugAssign))
               for s in simple_statements(core.body[:-1]))


def test_indices_keywords_method_receivers_and_if_tests_become_atoms():
    check("""
        def f(x, i, j, k, a, b, c):
            y = x[i + 1:j, ::k]
            z = np.sum(x * 2, axis=k + 1)
            w = (a + b).sum()
            if a < b and not c:
                w = w * 2
            return y, z + w
    """, """
        def f(x, i, j, k, a, b, c):
            _t1 = i + 1
            y = x[_t1:j, ::k]
            _t2 = x * 2
            _t3 = k + 1
            z = np.sum(_t2, axis=_t3)
            _t4 = a + b
            w = _t4.sum()
            _t5 = a < b
            _t6 = not _t5
            if not _t6:
                _t5 = not c
            if _t5:
                _t7 = w * 2
                w = _t7
            _t8 = z + w
            return y, _t8
    """)
