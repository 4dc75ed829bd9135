"""Fusion passes (``fuse_pairwise_distances``, ``fuse_log_sum_exp``) on a normalized core."""

import pytest

from tests.stages.helpers import expected, fuse_log_sum_exp, fuse_pairwise_distances, fused, text


def check(source, fusion, after):
    changed, core = fused(source, fusion)
    assert text(core) == expected(after)
    return changed


@pytest.mark.parametrize("distances, call", [
    ("np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)", "pairwise_sq_distances(a, b)"),
    ("np.sum(np.square(a[:, None, :] - a[None, :, :]), axis=-1)", "self_sq_distances(a)"),
])
def test_pairwise_squared_distances_become_one_call(distances, call):
    assert check(f"""
        def f(a, b):
            d = {distances}
            return np.sum(d)
    """, fuse_pairwise_distances, f"""
        def f(a, b):
            d = {call}
            _y = np.sum(d)
            return _y
    """)


def test_spreads_in_either_statement_order_and_a_self_product_fuse():
    assert check("""
        def f(a, b):
            u = b[None, :, :]
            v = a[:, None, :]
            w = v - u
            d = (w * w).sum(-1)
            return np.sum(d)
    """, fuse_pairwise_distances, """
        def f(a, b):
            d = pairwise_sq_distances(a, b)
            _y = np.sum(d)
            return _y
    """)


@pytest.mark.parametrize("why, body", [
    ("the difference is read again", """
            t = a[:, None, :] - b[None, :, :]
            d = np.sum(t ** 2, axis=-1)
            return np.sum(d) + np.sum(t)"""),
    ("a sum over another axis", """
            d = np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=0)
            return np.sum(d)"""),
    ("the columns minus the rows", """
            d = np.sum(np.square(a[None, :, :] - a[:, None, :]), axis=-1)
            return np.sum(d)"""),
    ("a difference computed twice", """
            u = b[None, :, :]
            v = a[:, None, :]
            d = ((v - u) * (v - u)).sum(-1)
            return np.sum(d)"""),
])
def test_anything_else_is_left_as_written(why, body):
    changed, core = fused("def f(a, b):" + body + "\n", fuse_pairwise_distances)
    assert not changed
    assert "distances" not in text(core)


def test_the_max_shifted_log_sum_exp():
    assert check("""
        def f(z):
            m = np.max(z)
            return m + np.log(np.sum(np.exp(z - m)))
    """, fuse_log_sum_exp, """
        def f(z):
            _y = logsumexp(z)
            return _y
    """)


def test_log_softmax_keeps_its_axis_and_keepdims():
    assert check("""
        def f(z):
            m = np.max(z, axis=1, keepdims=True)
            s = z - m
            return s - np.log(np.sum(np.exp(s), axis=1, keepdims=True))
    """, fuse_log_sum_exp, """
        def f(z):
            _y = log_softmax(z, axis=1, keepdims=True)
            return _y
    """)


def test_a_log_sum_exp_read_only_by_its_exponential_is_the_softmax():
    assert check("""
        def f(z):
            m = np.max(z)
            lse = m + np.log(np.sum(np.exp(z - m)))
            p = np.exp(z - lse)
            return p
    """, fuse_log_sum_exp, """
        def f(z):
            p = softmax(z)
            return p
    """)


@pytest.mark.parametrize("why, body", [
    ("the shift is read again", """
            m = np.max(z)
            return m + np.log(np.sum(np.exp(z - m))) + m"""),
    ("an axis without keepdims=True: the shift does not line up", """
            m = np.max(z, axis=1)
            return m + np.log(np.sum(np.exp(z - m), axis=1))"""),
    ("another shift than the maximum", """
            m = np.min(z)
            return m + np.log(np.sum(np.exp(z - m)))"""),
])
def test_a_log_sum_exp_that_does_not_line_up_is_left_as_written(why, body):
    changed, core = fused("def f(z):" + body + "\n", fuse_log_sum_exp)
    assert not changed
    assert "softmax" not in text(core) and "logsumexp" not in text(core)
