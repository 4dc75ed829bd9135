"""In-place array writes through the compiler: every INPLACE_CORPUS function in forward and
reverse mode, grad and vjp/jvp against finite differences and the corpus's soundness (the
standard tests of ``corpus_checks``), and derivatives that never change their caller's
arrays."""

import copy

import numpy as np
import pytest

import s2sad
from tests.compiler import corpus_checks as checks
from tests.compiler.corpus_inplace import (
    INPLACE_CORPUS,
    cumulative_product,
    gather_scatter,
    overwrite_argument,
    overwrite_argument_2d,
)


def test_corpus_size_and_kinds():
    assert 12 <= len({f for f, _ in INPLACE_CORPUS}) <= 25
    assert len(checks.scalar_cases(INPLACE_CORPUS)) >= len(INPLACE_CORPUS) - 5
    assert len(checks.vjp_cases(INPLACE_CORPUS)) >= 2  # array results, only float arguments


(
    test_forward_and_reverse,
    test_grad_matches_finite_differences,
    test_vjp_and_jvp_match_finite_differences,
    test_corpus_case_is_sound,
) = checks.standard_tests(INPLACE_CORPUS, vjp_and_jvp=True)


# ---- the caller's arrays are never changed by a derivative -----------------------------

WRITES_INTO_ARGUMENTS = [
    (overwrite_argument, (np.array([0.3, -0.5, 1.1, 0.8]),)),
    (overwrite_argument_2d, (np.array([[0.2, 0.9], [0.1, 0.8], [1.2, 0.1]]), 0.3)),
]


def _assert_unchanged(args, before, what):
    for a, b in zip(checks.leaves(args), checks.leaves(before)):
        if isinstance(b, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=f"{what} changed the caller's array")
        else:
            assert a == b, f"{what} changed an argument"


@pytest.mark.parametrize(
    "function, args", WRITES_INTO_ARGUMENTS, ids=[f.__name__ for f, _ in WRITES_INTO_ARGUMENTS]
)
def test_derivatives_leave_the_callers_arrays_alone(function, args):
    args = copy.deepcopy(args)
    before = copy.deepcopy(args)
    wrt = tuple(range(len(args)))

    gradients = s2sad.grad(function, wrt=wrt)(*args)
    _assert_unchanged(args, before, "grad")
    value, _ = s2sad.value_and_grad(function, wrt=wrt)(*args)
    _assert_unchanged(args, before, "value_and_grad")
    tangents = tuple(np.ones_like(a) if isinstance(a, np.ndarray) else 1.0 for a in args)
    y, y_dot = s2sad.jvp(function, args, tangents)
    _assert_unchanged(args, before, "jvp")
    _, vjp_fn = s2sad.vjp(function, *copy.deepcopy(args))
    vjp_fn(1.0)
    _assert_unchanged(args, before, "vjp")

    # and the numbers are those of the function, which does write into (a copy of) them
    expected = checks.call(function, before)
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    np.testing.assert_allclose(y, expected, rtol=1e-12)
    for position, gradient in enumerate(gradients):
        np.testing.assert_allclose(
            gradient, checks.numeric_vjp(function, before, position, 1.0)[0], rtol=1e-5, atol=1e-7
        )
    numeric_dot = sum(
        np.sum(np.asarray(g) * t) for g, t in zip(gradients, tangents)
    )
    np.testing.assert_allclose(y_dot, numeric_dot, rtol=1e-5, atol=1e-7)


def test_primal_writes_into_its_argument_but_the_gradient_does_not():
    x = np.array([0.3, -0.5, 1.1, 0.8])
    g = s2sad.grad(overwrite_argument)(x)
    np.testing.assert_array_equal(x, [0.3, -0.5, 1.1, 0.8])
    overwrite_argument(x)  # plain Python: the function itself does change x
    assert x[0] == -1.0
    # x[0] is overwritten before it is read: its gradient is zero, exactly
    assert g[0] == 0.0


# ---- integer index arrays ------------------------------------------------------------


def test_integer_index_array_next_to_a_float_argument():
    x = np.array([0.3, -0.5, 1.1, 0.8, -1.2])
    idx = np.array([4, 2, 3])
    g = s2sad.grad(gather_scatter)(x, idx)
    assert g.shape == x.shape and g.dtype == x.dtype
    np.testing.assert_allclose(
        g, checks.numeric_vjp(gather_scatter, (x, idx), 0, 1.0)[0], rtol=1e-5, atol=1e-7
    )
    np.testing.assert_array_equal(idx, [4, 2, 3])
    # the same derivative works with another index array of the same length
    other = np.array([1, 1, 0])
    np.testing.assert_allclose(
        s2sad.grad(gather_scatter)(x, other),
        checks.numeric_vjp(gather_scatter, (x, other), 0, 1.0)[0],
        rtol=1e-5,
        atol=1e-7,
    )


def test_cumulative_product_jacobian_is_lower_triangular():
    x = np.array([1.3, -0.5, 1.1, 0.8, -1.2])
    _, vjp_fn = s2sad.vjp(cumulative_product, x)
    rows = np.array([vjp_fn(np.eye(5)[k])[0] for k in range(5)])
    expected = np.array([[np.prod(x[: k + 1]) / x[i] if i <= k else 0.0 for i in range(5)]
                         for k in range(5)])
    np.testing.assert_allclose(rows, expected, rtol=1e-12, atol=1e-14)
