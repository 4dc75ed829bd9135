"""The pseudo-inverse at the rank ``np.linalg.lstsq`` finds, which its rules are written
with (:mod:`s2sad.rules.numpy_linalg`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.linalg import mT


def rank_pinv(a: Any, rank: Any) -> np.ndarray:
    """The pseudo-inverse of ``a`` restricted to its first ``rank`` singular values (the
    numerical rank ``lstsq`` reported): ``lstsq``'s solution is ``rank_pinv(a, rank) @ b``."""
    u, s, vh = np.linalg.svd(np.asarray(a), full_matrices=False)
    k = int(rank)
    return (mT(vh[..., :k, :]) / s[..., None, :k]) @ mT(u[..., :, :k])
