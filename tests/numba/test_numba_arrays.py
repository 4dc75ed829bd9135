"""backend="numba" on loops over float64 arrays and small matrices (RNNs, broadcasting,
element by element indexing): gradients against the NumPy backend (within 1e-12) and
against central differences along random directions."""

import math

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="backend='numba' needs Numba (pip install "
                            "'s2sad[numba]')")

import s2sad  # noqa: E402
from s2sad.backends.numba_backend import NumbaBackendError  # noqa: E402


@pytest.fixture(autouse=True)
def _cache_in(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("S2SAD_NUMBA_CACHE", str(tmp_path_factory.getbasetemp() / "numba"))


def rnn_loss(Wx, Wh, xs, target):
    h = np.zeros((xs.shape[1], Wh.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh)
    return np.sum((h - target) ** 2)


def rnn_args(T=50, B=16, n_in=10, H=32):
    rng = np.random.default_rng(6)
    return (rng.standard_normal((n_in, H)) / math.sqrt(n_in),
            0.5 * rng.standard_normal((H, H)) / math.sqrt(H),
            rng.standard_normal((T, B, n_in)), rng.uniform(-0.5, 0.5, size=(B, H)))


def rnn_steps(Wh, Wx, xs, ys):
    h = np.zeros(Wh.shape[0])
    loss = 0.0
    for t in range(xs.shape[0]):
        h = np.tanh(Wh @ h + Wx @ xs[t])
        loss = loss + np.sum((h - ys[t]) ** 2)
    return loss


def bias_rnn(W, b, xs):
    h = np.zeros((xs.shape[1], W.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t] + b)
    return np.sum(h * h)


def rows_and_columns(r, c, X):
    s = 0.0
    for _ in range(3):
        X = np.sin(X * r + c)
        s = s + np.sum(X)
    return s


def scaled_sum(x, a):
    s = 0.0
    for k in range(4):
        s = s + a * np.sum(np.cos(x * k))
    return s


def weighted_squares(w, x):
    s = 0.0
    for i in range(len(x)):
        s += w[i] * x[i] ** 2
    return s


def softmax_rows(W, X, labels):
    logits = X @ W
    total = 0.0
    for i in range(logits.shape[0]):
        row = logits[i] - np.max(logits[i])
        p = np.exp(row) / np.sum(np.exp(row))
        total = total - np.log(p[labels[i]])
    return total / logits.shape[0]


def vector_while(x, a):
    while np.sum(x * x) < 100.0:
        x = x * a + 0.1
    return np.sum(x)


_rng = np.random.default_rng(0)
CASES = [
    (rnn_loss, rnn_args(), (0, 1)),
    (rnn_steps, (_rng.standard_normal((32, 32)) * 0.5 / math.sqrt(32),
                 _rng.standard_normal((32, 8)) / math.sqrt(8), _rng.standard_normal((20, 8)),
                 0.5 * _rng.standard_normal((20, 32))), (0, 1)),
    (bias_rnn, (0.3 * _rng.standard_normal((8, 8)), _rng.standard_normal(8),
                _rng.standard_normal((5, 4, 8))), (0, 1, 2)),
    (rows_and_columns, (_rng.standard_normal((1, 6)), _rng.standard_normal((5, 1)),
                        _rng.standard_normal((5, 6))), (0, 1, 2)),
    (scaled_sum, (_rng.standard_normal(5), 0.7), (0, 1)),
    (weighted_squares, (_rng.standard_normal(10), _rng.standard_normal(10)), (0, 1)),
    (softmax_rows, (_rng.standard_normal((10, 5)), _rng.standard_normal((8, 10)),
                    _rng.integers(0, 5, 8)), (0, 1)),
    (vector_while, (np.array([1.0, 2.0]), 1.3), (0, 1)),
]


def directional_difference(f, args, position, direction, h=1e-5):
    """Richardson-extrapolated central difference of ``f`` along ``direction`` in
    argument ``position``."""
    def step(d):
        up, down = list(args), list(args)
        up[position] = args[position] + d * direction
        down[position] = args[position] - d * direction
        return (f(*up) - f(*down)) / (2 * d)
    return (4 * step(h / 2) - step(h)) / 3


def assert_equal_to_the_numpy_backend(found, expected):
    assert len(found) == len(expected)
    for got, want in zip(found, expected):
        assert type(got) is type(want)
        assert np.shape(got) == np.shape(want)
        scale = max(np.max(np.abs(want)), 1e-300)
        assert np.max(np.abs(np.asarray(got) - want)) <= 1e-12 * scale


@pytest.mark.parametrize("f, args, wrt", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_gradients_match_the_numpy_backend_and_central_differences(f, args, wrt):
    found = s2sad.grad(f, wrt=wrt, backend="numba")(*args)
    assert_equal_to_the_numpy_backend(found, s2sad.grad(f, wrt=wrt)(*args))
    rng = np.random.default_rng(1)
    for k, position in enumerate(wrt):
        direction = rng.standard_normal(np.shape(args[position]))
        if not np.shape(direction):
            direction = float(direction)
        expected = directional_difference(f, args, position, direction)
        assert np.sum(found[k] * direction) == pytest.approx(expected, rel=1e-6, abs=1e-9)


def test_the_rnn_records_arrays_in_buffers_and_shapes_only_where_it_reads_shapes():
    text = s2sad.source(rnn_loss, wrt=(0, 1), args=rnn_args(), backend="numba")
    assert ".append" not in text and ".pop()" not in text
    assert "np.empty((1 * range_length(0, _t7, 1), 16, 32), np.float64)" in text  # h
    assert "np.empty((2 * range_length(0, _t7, 1), 2), np.int64)" in text  # two shapes
    assert "unbroadcast(" not in text and "unbroadcast_to(" in text


def test_the_gradient_is_the_same_on_later_calls_with_other_values():
    gradient = s2sad.grad(rnn_steps, wrt=(0, 1), backend="numba")
    reference = s2sad.grad(rnn_steps, wrt=(0, 1))
    rng = np.random.default_rng(3)
    for _ in range(3):
        args = (0.2 * rng.standard_normal((6, 6)), rng.standard_normal((6, 3)),
                rng.standard_normal((7, 3)), rng.standard_normal((7, 6)))
        assert_equal_to_the_numpy_backend(gradient(*args), reference(*args))
    assert len(gradient.versions) == 1


def test_arguments_of_new_shapes_get_a_compilation_of_their_own():
    gradient = s2sad.grad(rnn_loss, wrt=(0, 1), backend="numba")
    for args in (rnn_args(T=4, B=3, n_in=2, H=5), rnn_args(T=6, B=2, n_in=3, H=4)):
        assert_equal_to_the_numpy_backend(gradient(*args),
                                          s2sad.grad(rnn_loss, wrt=(0, 1))(*args))
    assert len(gradient.versions) == 2


def sized(x, n):
    v = np.ones(n) * x
    for _ in range(3):
        v = np.sin(v) * x
    return np.sum(v)


def test_a_recorded_array_of_another_shape_than_compiled_for_runs_the_python_version():
    gradient = s2sad.grad(sized, backend="numba")
    assert gradient(0.7, 3) == pytest.approx(s2sad.grad(sized)(0.7, 3), rel=1e-12)
    (version,) = gradient.versions.values()
    assert "raise ShapeChanged('v')" in version.text
    assert gradient(0.7, 5) == pytest.approx(s2sad.grad(sized)(0.7, 5), rel=1e-12)
    assert len(gradient.versions) == 1  # the same argument types: the same version


def growing(x):
    v = np.ones(1)
    for _ in range(3):
        v = np.concatenate([v, np.sin(v[-1:] * x)])
    return np.sum(v)


def test_an_array_growing_in_a_loop_is_refused_at_the_loop():
    with pytest.raises(NumbaBackendError, match="an array whose shape changes") as error:
        s2sad.grad(growing, backend="numba")(0.5)
    assert f"{__file__}:{growing.__code__.co_firstlineno + 2}:" in str(error.value)


def test_an_array_argument_of_another_dtype_is_refused():
    with pytest.raises(NumbaBackendError, match="dtype float32"):
        s2sad.grad(scaled_sum, backend="numba")(np.ones(3, np.float32), 0.5)


def recurrence(x, a):
    y = np.zeros(x.shape[0])
    y[0] = x[0]
    for i in range(1, x.shape[0]):
        y[i] = y[i - 1] * a + np.sin(x[i])
    return np.sum(y * y)


def test_a_loop_writing_into_an_array_it_records_is_refused_at_its_line():
    with pytest.raises(NumbaBackendError, match="use the default backend") as error:
        s2sad.grad(recurrence, wrt=(0, 1), backend="numba")(np.linspace(0.1, 1.0, 6), 0.7)
    assert f"{__file__}:" in str(error.value)


@pytest.mark.parametrize("f, args, wrt", CASES[1:5], ids=lambda v: getattr(v, "__name__", ""))
def test_jvp_and_vjp_of_array_loops_satisfy_the_dot_product_identity(f, args, wrt):
    rng = np.random.default_rng(4)
    tangents = tuple(rng.standard_normal(np.shape(a)) if np.ndim(a) else 0.3 for a in args)
    out, out_dot = s2sad.jvp(f, args, tangents, backend="numba")
    expected = s2sad.jvp(f, args, tangents)
    assert out == pytest.approx(expected[0], rel=1e-12)
    assert out_dot == pytest.approx(expected[1], rel=1e-12)
    value, pullback = s2sad.vjp(f, *args, backend="numba")
    adjoints = pullback(0.7)
    assert value == pytest.approx(f(*args), rel=1e-12)
    total = sum(np.sum(adjoint * tangent) for adjoint, tangent in zip(adjoints, tangents))
    assert total == pytest.approx(0.7 * out_dot, rel=1e-10)


def test_what_numba_cannot_type_names_the_helper_and_its_types():
    from s2sad.backends.numba_backend import compile_error

    class Typing(Exception):
        def __str__(self):
            return ("Failed in nopython mode pipeline\nNo implementation of function\n"
                    " >>> unbroadcast_to(array(float64, 4d, C), UniTuple(int64, 3))\n")

    message = str(compile_error(rnn_loss, Typing()))
    assert "no compiled form of unbroadcast_to(array(float64, 4d, C), UniTuple" in message
