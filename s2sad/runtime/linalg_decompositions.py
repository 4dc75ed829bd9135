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
