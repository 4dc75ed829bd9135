"""The benchmark workloads' hand-written gradients against central finite differences.

The runner does the same before timing (``python benchmarks/run.py --check``); this file
lets pytest do it too, as part of ``make test``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import checks  # noqa: E402
import workloads  # noqa: E402
from catalog import ALL  # noqa: E402
from workloads import Workload  # noqa: E402


@pytest.mark.parametrize("workload", ALL, ids=lambda w: w.name)
def test_hand_gradient_matches_finite_differences(workload: Workload) -> None:
    report = checks.check_hand(workload.f, workload.hand, workload.args(), workload.wrt)
    assert report.ok, f"{workload.name}: max relative error {report.max_rel_error:.2e}"


@pytest.mark.parametrize("workload", ALL, ids=lambda w: w.name)
def test_check_catches_a_wrong_gradient(workload: Workload) -> None:
    def off_by_a_little(*args):
        return tuple(np.asarray(g) * 1.001 for g in workload.hand(*args))

    report = checks.check_hand(workload.f, off_by_a_little, workload.args(), workload.wrt)
    assert not report.ok


def test_newton_gradient_matches_the_implicit_function_theorem() -> None:
    # At the converged theta*, d sum(theta*^2) / dc = H(theta*)^-1 2 theta* (lam = 1).
    theta, X, c = workloads.newton_lse_args()
    for _ in range(20):
        z = X @ theta
        p = np.exp(z - np.max(z))
        p /= np.sum(p)
        q = X.T @ p
        hess = (X.T * p) @ X - np.outer(q, q) + np.eye(X.shape[1])
        theta = theta - np.linalg.solve(hess, q + theta - c)
    expected = np.linalg.solve(hess, 2.0 * theta)
    (c_bar,) = workloads.newton_lse_grad(*workloads.newton_lse_args())
    np.testing.assert_allclose(c_bar, expected, rtol=1e-10, atol=1e-10 * np.max(np.abs(expected)))


def test_workload_names_are_unique() -> None:
    names = [w.name for w in ALL]
    assert len(set(names)) == len(names)


def test_arguments_are_reproducible() -> None:
    for workload in ALL:
        first, second = workload.args(), workload.args()
        for a, b in zip(first, second):
            np.testing.assert_array_equal(a, b)
