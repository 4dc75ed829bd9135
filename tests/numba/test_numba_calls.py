"""backend="numba" on code that calls the user's own functions (RK4 with its right-hand
side a helper, a network of one helper call per layer): the callees' derivatives are
compiled beside the caller's, and gradients are checked against the NumPy backend (within
1e-12) and central differences."""

import math

import numpy as np
import pytest

numba = pytest.importorskip("numba", reason="backend='numba' needs Numba (pip install "
                            "'s2sad[numba]')")

import s2sad  # noqa: E402


@pytest.fixture(autouse=True)
def _cache_in(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("S2SAD_NUMBA_CACHE", str(tmp_path_factory.getbasetemp() / "numba"))


def lotka_volterra(u, v, a, b, c, d):
    return a * u - b * u * v, c * u * v - d * v


def rk4_populations(a, b, c, d):
    u, v = 1.0, 0.5
    h = 0.05
    for _ in range(100):
        k1u, k1v = lotka_volterra(u, v, a, b, c, d)
        k2u, k2v = lotka_volterra(u + 0.5 * h * k1u, v + 0.5 * h * k1v, a, b, c, d)
        k3u, k3v = lotka_volterra(u + 0.5 * h * k2u, v + 0.5 * h * k2v, a, b, c, d)
        k4u, k4v = lotka_volterra(u + h * k3u, v + h * k3v, a, b, c, d)
        u = u + h / 6.0 * (k1u + 2.0 * k2u + 2.0 * k3u + k4u)
        v = v + h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
    return u + v


def dense(W, h):
    return np.tanh(W @ h)


def deep_helpers(Ws, x):
    h = x
    for k in range(Ws.shape[0]):
        h = dense(Ws[k], h)
    return np.sum(h * h)


def damped(x, k):
    return -k * x - 0.1 * math.sin(x)


def nested_helpers(x, k):
    """A helper that calls a helper."""
    return x + 0.01 * damped(x, k) + 0.01 * damped(x + 0.01, k)


def chain(x, k):
    for _ in range(50):
        x = nested_helpers(x, k)
    return x


def central_difference(f, args, position, direction, h=1e-5):
    def step(d):
        up, down = list(args), list(args)
        up[position] = args[position] + d * direction
        down[position] = args[position] - d * direction
        return (f(*up) - f(*down)) / (2 * d)
    return (4 * step(h / 2) - step(h)) / 3


_rng = np.random.default_rng(23)
CASES = [
    (rk4_populations, (1.1, 0.4, 0.1, 0.4), (0, 1, 2, 3)),
    (deep_helpers, (_rng.standard_normal((20, 16, 16)) * 1.2 / 4.0,
                    _rng.standard_normal(16)), (0, 1)),
    (chain, (0.8, 0.3), (0, 1)),
]


@pytest.mark.parametrize("f, args, wrt", CASES, ids=lambda v: getattr(v, "__name__", ""))
def test_gradients_through_calls_match_the_numpy_backend_and_central_differences(f, args, wrt):
    found = s2sad.grad(f, wrt=wrt, backend="numba")(*args)
    expected = s2sad.grad(f, wrt=wrt)(*args)
    rng = np.random.default_rng(2)
    for k, position in enumerate(wrt):
        assert type(found[k]) is type(expected[k])
        scale = max(np.max(np.abs(expected[k])), 1e-300)
        assert np.max(np.abs(np.asarray(found[k]) - expected[k])) <= 1e-12 * scale
        direction = rng.standard_normal(np.shape(args[position]))
        direction = direction if np.shape(direction) else float(direction)
        assert np.sum(found[k] * direction) == pytest.approx(
            central_difference(f, args, position, direction), rel=1e-6, abs=1e-9)


def test_each_called_derivative_is_compiled_once_and_shown():
    text = s2sad.source(chain, wrt=(0, 1), args=(0.8, 0.3), backend="numba")
    assert text.count("def damped_") == 2  # its adjoint and the primal the forward sweep runs
    assert text.count("@numba.njit(cache=True)") == text.count("\ndef ")
