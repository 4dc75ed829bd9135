"""Derivatives of plain NumPy code on Dask arrays: the same generated code, reached
through NumPy's dispatch (``__array_function__``, ``__array_ufunc__``), gives the NumPy
result within 1e-10 in both modes, and keeps the arrays lazy (nothing is computed until
the result is asked for) on the workloads that make sense chunked."""

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="the Dask tests need dask[array] "
                         "(pip install 's2sad[scaling]')")
import dask  # noqa: E402

import s2sad  # noqa: E402
from s2sad.errors import S2sadError  # noqa: E402
from tests.scaling import losses  # noqa: E402


def _never(*args, **kwargs):
    raise AssertionError("a Dask array was computed before the result was asked for")


@pytest.fixture
def lazy():
    """Within it, computing a Dask array fails: what is built must stay a graph."""
    with dask.config.set(scheduler=_never):
        yield


def _data(n=60, d=4, chunk=16, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.sign(rng.standard_normal(n))
    w = 0.3 * rng.standard_normal(d)
    return (w, X, y), (w, da.from_array(X, chunks=(chunk, d)), da.from_array(y, chunks=chunk))


def _close(found, expected):
    if isinstance(expected, tuple):
        for f, e in zip(found, expected, strict=True):
            _close(f, e)
        return
    np.testing.assert_allclose(np.asarray(found), expected, rtol=1e-10, atol=1e-10)


LOSSES = [losses.least_squares, losses.logistic]


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
def test_gradients_on_chunked_data_equal_numpy(loss, lazy):
    plain, chunked = _data()
    with dask.config.set(scheduler="sync"):
        expected = s2sad.grad(loss, wrt=(0, 1))(*plain)
    w, X, y = chunked
    w_bar, X_bar = s2sad.grad(loss, wrt=(0, 1))(da.from_array(w), X, y)
    assert isinstance(w_bar, da.Array) and isinstance(X_bar, da.Array)
    assert X_bar.chunks == X.chunks
    with dask.config.set(scheduler="sync"):
        _close((w_bar, X_bar), expected)


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
def test_a_numpy_parameter_gets_a_numpy_gradient_from_chunked_data(loss):
    plain, chunked = _data()
    with dask.config.set(scheduler="sync"):
        found = s2sad.value_and_grad(loss)(*chunked)
    expected = s2sad.value_and_grad(loss)(*plain)
    assert type(found[1]) is np.ndarray
    _close(found, expected)


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
def test_forward_and_reverse_mode_on_chunked_data(loss, lazy):
    plain, (w, X, y) = _data(seed=1)
    rng = np.random.default_rng(2)
    w_dot, X_dot = rng.standard_normal(w.shape), rng.standard_normal(X.shape)
    chunked_w = da.from_array(w)
    out, out_dot = s2sad.jvp(loss, (chunked_w, X, y),
                             (da.from_array(w_dot), da.from_array(X_dot, chunks=X.chunks),
                              da.zeros_like(y)))
    out_np, f_vjp = s2sad.vjp(loss, chunked_w, X, y)
    w_bar, X_bar, y_bar = f_vjp(1.0)
    with dask.config.set(scheduler="sync"):
        expected = s2sad.jvp(loss, plain, (w_dot, X_dot, np.zeros_like(plain[2])))
        _close((out, out_dot), expected)
        _close((w_bar, X_bar, y_bar), s2sad.vjp(loss, *plain)[1](1.0))
        # the dot-product identity between the two modes
        assert float(out_dot) == pytest.approx(
            float(np.sum(w_bar * w_dot) + np.sum(X_bar * X_dot)), rel=1e-10)


def test_a_hessian_vector_product_on_chunked_data():
    plain, (w, X, y) = _data(seed=3)
    v = np.linspace(-1.0, 1.0, w.size)
    with dask.config.set(scheduler="sync"):
        found = s2sad.hvp(losses.logistic)(da.from_array(w), X, y, da.from_array(v))
        _close(found, s2sad.hvp(losses.logistic)(*plain, v))


def _everyday(A, b, c):
    h = np.tanh(A * b)
    z = np.where(h > 0, h, 0.1 * h) @ b
    spread = np.var(A) + np.std(b) + np.linalg.norm(A @ b)
    joined = np.concatenate([b, b ** 2])
    return (np.sum(h ** 2) + np.dot(c, z) + spread + np.sum(joined ** 2)
            + np.sum(np.maximum(A, 0.0) * c[:, None]) + np.sum(np.cumsum(b) ** 2)
            + np.sum(np.outer(c, b) * A) + np.sum(A[1:5, :2] ** 2) + b[0] * b[1])


def _decided_by_values(A, b, c):
    z = A @ b
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m))) + np.sum(np.clip(b, -0.5, 0.5)) \
        + np.prod(b) + np.einsum("ij,j,i->", A, b, c) + np.sum(np.stack([b, 2 * b]) ** 3)


def _arrays():
    rng = np.random.default_rng(4)
    plain = (rng.standard_normal((8, 4)), rng.standard_normal(4), rng.standard_normal(8))
    return plain, (da.from_array(plain[0], chunks=(4, 2)), da.from_array(plain[1], chunks=2),
                   da.from_array(plain[2], chunks=4))


def test_everyday_array_code_stays_lazy_in_both_modes(lazy):
    plain, chunked = _arrays()
    gradient = s2sad.grad(_everyday, wrt=(0, 1))(*chunked)
    tangent = s2sad.jvp(_everyday, chunked, chunked)[1]
    assert all(isinstance(g, da.Array) for g in gradient) and isinstance(tangent, da.Array)
    with dask.config.set(scheduler="sync"):
        _close(gradient, s2sad.grad(_everyday, wrt=(0, 1))(*plain))
        _close(tangent, s2sad.jvp(_everyday, plain, plain)[1])


@pytest.mark.filterwarnings("ignore:The `numpy.unstack` function:FutureWarning")
def test_code_whose_derivative_looks_at_values_computes_them_and_agrees():
    plain, chunked = _arrays()
    with dask.config.set(scheduler="sync"):
        _close(s2sad.grad(_decided_by_values, wrt=(0, 1))(*chunked),
               s2sad.grad(_decided_by_values, wrt=(0, 1))(*plain))
        _close(s2sad.jvp(_decided_by_values, chunked, chunked)[1],
               s2sad.jvp(_decided_by_values, plain, plain)[1])


def _gathered(A, b, c):
    return np.sum(A[np.array([0, 2, 2])] ** 2) + np.sum(b)


def test_an_index_array_read_of_a_dask_array_is_refused_at_the_users_line():
    _, chunked = _arrays()
    with pytest.raises(S2sadError, match=r"test_dask\.py:\d+:\d+: .*np\.add\.at.*Array"):
        s2sad.grad(_gathered)(*chunked)


@pytest.mark.parametrize("loss", LOSSES, ids=lambda f: f.__name__)
def test_the_graph_of_a_gradient_over_lazy_data_holds_no_array_of_their_size(loss, lazy):
    """No NumPy array shaped like the data is made on the client and put into the graph
    (a filled adjoint of a mean, say): the graph stays a few kB for 32 MB of data."""
    cloudpickle = pytest.importorskip("cloudpickle")
    rng = da.random.default_rng(0)
    X = rng.standard_normal((1_000_000, 4), chunks=(250_000, 4))
    y = da.sign(rng.standard_normal(1_000_000, chunks=250_000))
    w = da.from_array(np.ones(4))
    built = [*s2sad.grad(loss, wrt=(0, 1))(w, X, y),
             s2sad.jvp(loss, (w, X, y), (w, da.zeros_like(X), da.zeros_like(y)))[1]]
    for array in built:
        assert len(cloudpickle.dumps(dict(array.__dask_graph__()))) < 100_000


def _neighbours_in_a_loop(x):
    s = 0.0
    for _ in range(2):
        s = s + np.sum(x[1:] * x[:-1])
    return s


def _rows_in_a_loop(X, w):
    s = 0.0
    for i in range(X.shape[0]):
        s = s + np.tanh(X[i] @ w)
    return s


def test_slices_read_in_a_loop_of_a_dask_array():
    # found by an independent tester: the adjoint added a Dask slice into a NumPy array in
    # place, which Dask refuses (a raw NotImplementedError)
    x = np.array([0.3, -1.2, 0.7, 2.0, 0.5])
    X = np.arange(18.0).reshape(6, 3) / 10
    w = np.array([0.1, -0.2, 0.3])
    for _ in range(3):
        _close(s2sad.grad(_neighbours_in_a_loop)(da.from_array(x, chunks=2)),
               s2sad.grad(_neighbours_in_a_loop)(x))
        _close(s2sad.grad(_rows_in_a_loop)(da.from_array(X, chunks=(2, 3)), w),
               s2sad.grad(_rows_in_a_loop)(X, w))
    h = 1e-6
    step = np.zeros_like(x)
    step[1] = h
    np.testing.assert_allclose(
        s2sad.grad(_neighbours_in_a_loop)(x)[1],
        (_neighbours_in_a_loop(x + step) - _neighbours_in_a_loop(x - step)) / (2 * h),
        rtol=1e-6)
