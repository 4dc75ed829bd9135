"""QR's helper. The decompositions' derivatives are expressions in their rules
(:mod:`s2sad.rules.numpy_linalg`, conventions in :mod:`s2sad.runtime.linalg`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.located import located

QR_MODES = ("reduced", "complete", "r")


def qr_completes(a: Any, mode: str) -> bool:
    """Whether ``np.linalg.qr(a, mode)`` completes ``Q`` with columns ``a`` does not
    determine (``mode='complete'`` of a tall matrix). Modes other than 'reduced',
    'complete' and 'r' have no derivative.

    >>> qr_completes(np.ones((4, 3)), "reduced"), qr_completes(np.ones((4, 3)), "complete")
    (False, True)
    """
    if mode not in QR_MODES:
        qr_mode_refused(mode)
    rows, cols = np.shape(a)[-2:]
    return mode == "complete" and rows > cols


def qr_mode_refused(mode: str):
    """Raise: ``np.linalg.qr`` with ``mode`` (other than 'reduced', 'complete' and 'r') has
    no derivative."""
    raise NotImplementedError(located(
        f"s2sad: np.linalg.qr with mode={mode!r} has no derivative; use mode='reduced'"))


def eigvals_order(a: Any, ans: Any) -> np.ndarray:
    """The positions that sort the eigenvalues ``ans = np.linalg.eigvals(a)`` (NumPy
    returns them in LAPACK's order); ``a`` must be real and symmetric, the one case whose
    derivative s2sad gives (others may have complex or defective eigenvalues).

    >>> eigvals_order(np.diag([3.0, 1.0, 2.0]), np.array([3.0, 1.0, 2.0]))
    array([1, 2, 0])
    """
    a = np.asarray(a)
    scale = np.max(np.abs(a), initial=0.0)
    if np.iscomplexobj(a) or np.iscomplexobj(ans) or not np.allclose(
            a, np.swapaxes(a, -1, -2), rtol=0.0, atol=1e-12 * scale):
        raise NotImplementedError(located(
            "s2sad: np.linalg.eigvals has a derivative for real symmetric matrices only "
            "(those of others may be complex or not differentiable); for a symmetric "
            "matrix use np.linalg.eigvalsh, which sorts them"))
    return np.argsort(ans, axis=-1)


def scipy_eigh_checked(x: Any, b: Any = None, type: int = 1,  # noqa: A002 (SciPy's name)
                       subset_by_index: Any = None, subset_by_value: Any = None) -> Any:
    """``x``, once ``scipy.linalg.eigh``'s options are known to be those its rules
    cover: a standard problem (no ``b``) asking for every eigenvalue.

    >>> scipy_eigh_checked(2.0)
    2.0
    """
    for name, value in (("b", b), ("subset_by_index", subset_by_index),
                        ("subset_by_value", subset_by_value)):
        if value is not None:
            raise NotImplementedError(located(
                f"s2sad: scipy.linalg.eigh with {name}= has no derivative; s2sad "
                "differentiates the standard problem for every eigenvalue (a alone)"))
    return x
