"""Every corpus function through forward and reverse mode, checked with numbers."""

import numpy as np
import pytest

from s2sad.testing import check_grads
from tests.compiler.corpus import CORPUS


@pytest.mark.parametrize("function, args", CORPUS, ids=[f.__name__ for f, _ in CORPUS])
def test_forward_and_reverse(function, args):
    check_grads(function, args)


@pytest.mark.parametrize("function, args", CORPUS, ids=[f.__name__ for f, _ in CORPUS])
def test_float32_stays_float32(function, args):
    args32 = [
        a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == float else a for a in args
    ]
    if not any(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in args32):
        pytest.skip("no float array argument")
    check_grads(function, args32, rtol=1e-2, atol=1e-2, eps=1e-2)
