"""The same derivatives on CuPy arrays (a GPU), where CuPy and a GPU exist: skipped
otherwise. Not run on the machines this was written on (no GPU): see docs/scaling.md."""

import numpy as np
import pytest

cupy = pytest.importorskip("cupy", reason="the CuPy tests need CuPy and a GPU")


def _gpu_count() -> int:
    try:
        return cupy.cuda.runtime.getDeviceCount()
    except Exception:  # CuPy installed without a usable driver
        return 0


pytestmark = pytest.mark.skipif(_gpu_count() == 0, reason="no GPU")

import s2sad  # noqa: E402
from tests.scaling import losses  # noqa: E402


@pytest.mark.parametrize("loss", [losses.least_squares, losses.logistic],
                         ids=lambda f: f.__name__)
def test_gradients_and_tangents_on_gpu_arrays_equal_numpy(loss):
    rng = np.random.default_rng(0)
    plain = (0.3 * rng.standard_normal(4), rng.standard_normal((50, 4)),
             np.sign(rng.standard_normal(50)))
    on_gpu = tuple(cupy.asarray(value) for value in plain)
    w_bar, X_bar = s2sad.grad(loss, wrt=(0, 1))(*on_gpu)
    assert isinstance(w_bar, cupy.ndarray) and isinstance(X_bar, cupy.ndarray)
    expected = s2sad.grad(loss, wrt=(0, 1))(*plain)
    for found, wanted in zip((w_bar, X_bar), expected):
        np.testing.assert_allclose(cupy.asnumpy(found), wanted, rtol=1e-10, atol=1e-10)
    directions = (np.ones(4), np.zeros((50, 4)), np.zeros(50))
    _, found = s2sad.jvp(loss, on_gpu, tuple(cupy.asarray(d) for d in directions))
    _, wanted = s2sad.jvp(loss, plain, directions)
    np.testing.assert_allclose(float(found), wanted, rtol=1e-10)
