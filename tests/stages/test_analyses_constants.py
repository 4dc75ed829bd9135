"""Local constants (``constant_reads``): a name set once to a number, read after it is set."""

import gast

from tests.stages.helpers import constant_reads, expected


def reads(source):
    node = gast.parse(expected(source)).body[0]
    return sorted((n.id, n.lineno, c.value) for n, c in constant_reads(node).values())


def test_reads_after_a_single_top_level_assignment_of_a_number_in_later_statements():
    assert reads("""
        def f(x, k=2):
            lam = 0.5
            n = 3
            s = "text"
            y = lam * x
            for i in range(n):
                x = x - lam * x
            mu = 1.0
            mu = 2.0
            if x:
                nu = 1.0
            k = 4
            return x * mu * nu * k * s
    """) == [("lam", 5, 0.5), ("lam", 7, 0.5), ("n", 6, 3)]


def test_a_read_before_the_assignment_is_not_the_constant():
    assert reads("""
        def f(x):
            y = lam * x
            lam = 0.5
            return y * lam
    """) == [("lam", 4, 0.5)]


def test_only_int_and_float_literals_count():
    assert reads("""
        def f(x):
            lam = -0.5
            t = (1.0, 2.0)
            b = True
            return x * lam * t * b
    """) == []
