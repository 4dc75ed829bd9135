"""The optimizer (``optimize_definition``): its passes over a transform's output, to a fixed
point."""

from tests.stages.helpers import expected, optimized, text

LAYER = """
    def f(x, W, b):
        h = np.tanh(W @ x + b)
        return np.sum(h ** 2)
"""


def test_reverse_one_round_folds_temporaries_and_drops_what_the_adjoint_does_not_read():
    definition, rounds = optimized(LAYER, ["W"], "reverse")
    assert rounds == 1
    assert text(definition) == expected("""
        def f_reverse(x, W, b, y_bar=1.0):
            # forward sweep
            _t1 = W @ x
            h = np.tanh(_t1 + b)
            # reverse sweep
            # return np.sum(h ** 2)
            h_bar = y_bar * conj(2 * h)
            # h = np.tanh(W @ x + b)
            W_bar = matmul_adjoint_a(unbroadcast(h_bar * conj(1 - h ** 2), _t1), W, x)
            return match(W_bar, W)
    """)


def test_forward_tangents_fold_into_their_readers():
    definition, rounds = optimized(LAYER, ["W"], "forward")
    assert rounds == 1
    assert text(definition) == expected("""
        def f_forward(x, W, b, W_dot):
            _t2 = W @ x + b
            h = np.tanh(_t2)
            h_dot = (1 - h ** 2) * broadcast_like(W_dot @ x, _t2)
            _y = np.sum(h ** 2)
            _y_dot = np.sum(2 * h * h_dot)
            return _y, _y_dot
    """)


def test_a_value_read_by_both_sweeps_stays_a_name():
    definition, _ = optimized("""
        def f(x, y):
            z = x * y + math.sin(x)
            return z * z
    """, ["x", "y"], "reverse")
    assert text(definition) == expected("""
        def f_reverse(x, y, out_bar=1.0):
            # forward sweep
            _t2 = math.sin(x)
            z = x * y + _t2
            # reverse sweep
            # return z * z
            z_bar = out_bar * conj(z) + out_bar * conj(z)
            # z = x * y + math.sin(x)
            x_bar = unbroadcast(z_bar * conj(y), x) + unbroadcast(z_bar, _t2) * math.cos(x)
            y_bar = unbroadcast(z_bar * conj(x), y)
            return match(x_bar, x), match(y_bar, y)
    """)
