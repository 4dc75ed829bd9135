"""A gradient over a dataset built lazily by Dask, computed on a dask.distributed cluster
of two worker processes started and stopped here (loopback only), equals NumPy's on the
same data; derivatives handed to the workers (client.map) are built again there."""

import numpy as np
import pytest

da = pytest.importorskip("dask.array", reason="the cluster test needs dask[distributed] "
                         "(pip install 's2sad[scaling]')")
distributed = pytest.importorskip("dask.distributed", reason="the cluster test needs "
                                  "dask[distributed] (pip install 's2sad[scaling]')")

import s2sad  # noqa: E402
from tests.scaling import losses  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as connected:
        yield connected


def _dataset(rows=40_000, features=8, chunk=5_000):
    """Features and labels made chunk by chunk on the workers, never whole on the client."""
    rng = da.random.default_rng(7)
    X = rng.standard_normal((rows, features), chunks=(chunk, features))
    w_true = np.linspace(-1.0, 1.0, features)
    y = da.sign(X @ w_true + 0.5 * rng.standard_normal(rows, chunks=chunk))
    return X, y


@pytest.mark.parametrize("loss", [losses.logistic, losses.least_squares],
                         ids=lambda f: f.__name__)
def test_a_gradient_over_a_lazy_dataset_on_two_worker_processes(client, loss):
    X, y = _dataset()
    w = np.full(X.shape[1], 0.1)
    found = s2sad.grad(loss)(w, X, y)  # the reductions run on the workers
    assert type(found) is np.ndarray
    X_np, y_np = client.compute([X, y], sync=True)
    np.testing.assert_allclose(found, s2sad.grad(loss)(w, X_np, y_np), rtol=1e-10, atol=1e-10)


def test_derivatives_handed_to_the_workers(client):
    rng = np.random.default_rng(3)
    batches = [(rng.standard_normal(4), rng.standard_normal((50, 4)),
                np.sign(rng.standard_normal(50))) for _ in range(4)]
    gradient = s2sad.grad(losses.logistic)
    futures = client.map(gradient, *zip(*batches), pure=False)
    for found, batch in zip(client.gather(futures), batches):
        np.testing.assert_array_equal(found, gradient(*batch))
    slopes = client.gather(client.map(losses.wave_slope, [0.1, 0.2], pure=False))
    assert slopes == [losses.wave_slope(0.1), losses.wave_slope(0.2)]
