"""Every corpus function through forward and reverse mode, checked with numbers."""

import inspect

import numpy as np
import pytest

from s2sad.pipeline import Request, derivative
from s2sad.testing import check_grads
from s2sad.testing.rules import is_differentiable, tree_leaves
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


@pytest.mark.parametrize("function, args", CORPUS, ids=[f.__name__ for f, _ in CORPUS])
def test_unoptimized_code_gives_the_same_numbers(function, args):
    """source(..., optimize=False) shows the rules' plain output: the optimizations
    (shape facts, aliases, common subexpressions, dead code) change no number."""
    names = tuple(p for p, a in zip(inspect.signature(function).parameters, args)
                  if is_differentiable(a))
    for mode in ("forward", "reverse"):
        results = []
        for optimize in (True, False):
            generated = derivative(function, Request(mode, names, optimize=optimize))
            extras = generated.extra_parameters
            seeds = [np.ones_like(a) if isinstance(a, np.ndarray) else 1.0 for a in args
                     if is_differentiable(a)] if mode == "forward" else [
                np.ones_like(np.asarray(function(*args)), dtype=float)]
            results.append(generated.function(*args, **dict(zip(extras, seeds))))
        for fast, plain in zip(tree_leaves(results[0]), tree_leaves(results[1])):
            np.testing.assert_allclose(fast, plain, rtol=1e-12, atol=1e-12)
