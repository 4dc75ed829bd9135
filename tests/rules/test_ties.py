"""Conventions at special points, which the random spec rows never hit: ties in
max/min/ptp/sort, zeros in prod/cumprod, NaN in the nan-reductions, repeated indices,
zero spread in std, complex operands, and memory layouts for ravel's 'K'/'A' orders."""

import operator

import numpy as np
import pytest

from s2sad.rules import RULES
from s2sad.testing import check_rule


def vjp(function, g, *args, argument=None, **kwargs):
    rules = RULES.find(function)
    name = argument or next(iter(rules.signature.parameters))
    ans = function(*args, **kwargs)
    return RULES.vjp_rule(function, name).template(g, ans, *args, **kwargs)


def jvp(function, tangent, *args, argument=None, **kwargs):
    rules = RULES.find(function)
    name = argument or next(iter(rules.signature.parameters))
    ans = function(*args, **kwargs)
    return RULES.jvp_rule(function, name).template(tangent, ans, *args, **kwargs)


# ---- ties: the derivative is split equally among tied extrema ----------------------

EXTREMA = [np.max, np.amax, np.nanmax, np.ndarray.max]
MINIMA = [np.min, np.amin, np.nanmin, np.ndarray.min]
TIED = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])


@pytest.mark.parametrize("function", EXTREMA, ids=lambda f: f.__qualname__)
def test_max_splits_ties(function):
    adjoint = vjp(function, np.array([1.0, 6.0]), TIED, axis=1)
    np.testing.assert_allclose(adjoint, [[0.0, 0.5, 0.5], [2.0, 2.0, 2.0]])
    tangent = jvp(function, np.array([[5.0, 1.0, 2.0], [3.0, 6.0, 0.0]]), TIED, axis=1)
    np.testing.assert_allclose(tangent, [1.5, 3.0])


@pytest.mark.parametrize("function", MINIMA, ids=lambda f: f.__qualname__)
def test_min_splits_ties(function):
    x = -TIED
    adjoint = vjp(function, np.array([[1.0], [6.0]]), x, axis=1, keepdims=True)
    np.testing.assert_allclose(adjoint, [[0.0, 0.5, 0.5], [2.0, 2.0, 2.0]])


def test_max_over_everything_with_ties():
    x = np.array([[4.0, 1.0], [4.0, 4.0]])
    np.testing.assert_allclose(vjp(np.max, 3.0, x), [[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(jvp(np.max, np.array([[3.0, 9.0], [0.0, 0.0]]), x), 1.0)


def test_initial_counts_as_a_tied_element():
    x = np.array([1.0, 3.0])
    np.testing.assert_allclose(vjp(np.max, 1.0, x, initial=3.0), [0.0, 0.5])
    assert vjp(np.max, 1.0, x, argument="initial", initial=3.0) == pytest.approx(0.5)
    assert vjp(np.max, 1.0, x, argument="initial", initial=5.0) == pytest.approx(1.0)
    np.testing.assert_allclose(vjp(np.max, 1.0, x, initial=5.0), [0.0, 0.0])


def test_ptp_splits_ties_at_both_ends():
    x = np.array([1.0, 1.0, 3.0, 3.0, 2.0])
    np.testing.assert_allclose(vjp(np.ptp, 1.0, x), [-0.5, -0.5, 0.5, 0.5, 0.0])


@pytest.mark.parametrize("function", [np.max, np.min, np.ptp, np.median])
def test_rules_agree_at_ties(function):
    x = np.array([[1.0, 3.0, 3.0, 1.0], [2.0, 2.0, 2.0, 2.0], [0.0, 5.0, 5.0, 0.0]])
    check_rule(function, [x], {"axis": 1}, modes=("vjp",))


def test_sort_with_ties_routes_each_adjoint_once():
    x = np.array([2.0, 1.0, 2.0, 1.0])
    g = np.array([10.0, 20.0, 30.0, 40.0])
    adjoint = vjp(np.sort, g, x)
    np.testing.assert_allclose(np.sort(adjoint[[1, 3]]), [10.0, 20.0])
    np.testing.assert_allclose(np.sort(adjoint[[0, 2]]), [30.0, 40.0])
    check_rule(np.sort, [x], modes=("vjp",))


def test_partition_permutation_reproduces_the_output():
    from s2sad.runtime.indexing import partition_permutation

    x = np.array([[3.0, 1.0, 3.0, 2.0, 1.0], [0.0, 0.0, 0.0, 1.0, -1.0]])
    ans = np.partition(x, 2, axis=1)
    permutation = partition_permutation(ans, x, 1)
    np.testing.assert_array_equal(np.take_along_axis(x, permutation, 1), ans)
    assert sorted(permutation[0]) == [0, 1, 2, 3, 4]
    check_rule(np.partition, [x, 2], {"axis": 1}, modes=("vjp",))


# ---- zeros in products -------------------------------------------------------------


def test_prod_with_one_zero_is_the_product_of_the_others():
    x = np.array([2.0, 0.0, 3.0])
    np.testing.assert_allclose(vjp(np.prod, 1.0, x), [0.0, 6.0, 0.0])


def test_prod_with_two_zeros_has_zero_derivative():
    x = np.array([0.0, 5.0, 0.0])
    np.testing.assert_allclose(vjp(np.prod, 1.0, x), [0.0, 0.0, 0.0])
    assert not np.isnan(vjp(np.prod, 1.0, x)).any()


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("function", [np.prod, np.ndarray.prod])
def test_prod_with_zeros_against_finite_differences(function, axis):
    x = np.array([[0.0, 2.0, -1.0, 3.0], [1.5, 0.0, 0.0, 2.0], [1.0, -2.0, 0.5, 0.0]])
    check_rule(function, [x], {"axis": axis})


@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("function", [np.cumprod, np.ndarray.cumprod])
def test_cumprod_with_zeros(function, axis):
    x = np.array([[2.0, 0.0, 3.0, -1.0], [0.0, 1.5, 0.0, 2.0], [1.0, -2.0, 0.5, 0.0]])
    check_rule(function, [x], {"axis": axis})
    assert not np.isnan(vjp(function, np.ones_like(function(x, axis)), x, axis=axis)).any()


# ---- NaN entries in the NaN-ignoring reductions ------------------------------------

WITH_NAN = np.array([[1.0, np.nan, 2.5, -1.0], [np.nan, 0.5, 3.0, 2.0], [1.5, -0.5, np.nan, 4.0]])


@pytest.mark.parametrize("function", [np.nansum, np.nanmean, np.nanmax, np.nanmin,
                                      np.nanprod, np.nanvar, np.nanstd])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_nan_reductions_ignore_nan(function, axis):
    check_rule(function, [WITH_NAN], {"axis": axis})
    adjoint = vjp(function, np.ones_like(function(WITH_NAN, axis=axis)), WITH_NAN, axis=axis)
    assert np.all(adjoint[np.isnan(WITH_NAN)] == 0.0)
    assert not np.isnan(adjoint).any()


# ---- repeated indices and other selection corners ----------------------------------


def test_repeated_indices_accumulate():
    x = np.zeros(4)
    index = np.array([1, 1, 3, 1])
    adjoint = vjp(operator.getitem, np.array([1.0, 2.0, 3.0, 4.0]), x, index)
    np.testing.assert_allclose(adjoint, [0.0, 7.0, 0.0, 3.0])
    adjoint = vjp(np.take, np.array([1.0, 2.0, 3.0, 4.0]), x, index)
    np.testing.assert_allclose(adjoint, [0.0, 7.0, 0.0, 3.0])


def test_getitem_of_a_python_list():
    items = [1.0, np.ones(2), 3.0]
    adjoint = vjp(operator.getitem, np.array([5.0, 6.0]), items, 1)
    assert isinstance(adjoint, list)
    assert adjoint[0] == 0.0 and adjoint[2] == 0.0
    np.testing.assert_array_equal(adjoint[1], [5.0, 6.0])


def test_getitem_basic_index_keeps_float32():
    x = np.ones((3, 4), dtype=np.float32)
    adjoint = vjp(operator.getitem, np.ones(4, dtype=np.float32), x, 1)
    assert adjoint.dtype == np.float32
    adjoint = vjp(operator.getitem, np.ones(2, dtype=np.float32), x, (np.array([0, 0]), 1))
    assert adjoint.dtype == np.float32 and adjoint[0, 1] == 2.0


# ---- std at zero spread ------------------------------------------------------------


def test_std_of_a_constant_has_zero_adjoint():
    x = np.full((2, 3), 1.5)
    adjoint = vjp(np.std, np.ones(2), x, axis=1)
    np.testing.assert_array_equal(adjoint, np.zeros((2, 3)))


# ---- complex operands --------------------------------------------------------------


def complex_sample(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


COMPLEX_CASES = [
    (np.dot, [complex_sample(2, 3), complex_sample(3, 4, seed=1)], {}),
    (np.vdot, [complex_sample(4), complex_sample(4, seed=1)], {}),
    (np.inner, [complex_sample(2, 3), complex_sample(4, 3, seed=1)], {}),
    (np.outer, [complex_sample(2), complex_sample(3, seed=1)], {}),
    (np.matmul, [complex_sample(5, 2, 3), complex_sample(3, 2, seed=1)], {}),
    (np.tensordot, [complex_sample(2, 3, 4), complex_sample(4, 3, seed=1), ([1, 2], [1, 0])], {}),
    (np.einsum, ["ij,jk->ik", complex_sample(2, 3), complex_sample(3, 4, seed=1)], {}),
    (np.einsum, ["ii->i", complex_sample(3, 3)], {}),
    (np.kron, [complex_sample(2, 2), complex_sample(3, seed=1)], {}),
    (np.cross, [complex_sample(4, 3), complex_sample(3, seed=1)], {}),
    (np.prod, [complex_sample(3, 4)], {"axis": 1}),
    (np.cumprod, [complex_sample(3, 4)], {"axis": 0}),
    (np.sum, [complex_sample(3, 4)], {"axis": 0}),
    (np.mean, [complex_sample(3, 4)], {}),
    (np.var, [complex_sample(3, 4)], {"axis": 1}),
    (np.std, [complex_sample(3, 4)], {"axis": 0}),
    (np.average, [complex_sample(3, 4), 1, complex_sample(4, seed=1)], {}),
    (np.ndarray.conj, [complex_sample(3)], {}),
    (np.ndarray.astype, [np.arange(3.0) + 0.5, np.complex128], {}),
    (np.ndarray.astype, [complex_sample(3), np.float64], {}),
    (operator.getitem, [complex_sample(5), np.array([0, 0, 3])], {}),
]


@pytest.mark.parametrize("function, args, kwargs", COMPLEX_CASES,
                         ids=[f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(COMPLEX_CASES)])
def test_complex_operands(function, args, kwargs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        check_rule(function, args, kwargs)


# ---- memory layout: ravel/flatten/reshape in orders 'K' and 'A' --------------------

BASE = np.arange(24.0).reshape(2, 3, 4)
LAYOUTS = {
    "transposed": BASE.T,
    "reversed": BASE[::-1],
    "strided": BASE[:, ::-1, ::2],
    "permuted": BASE.transpose(1, 2, 0)[:, ::-1],
    "fortran": np.asfortranarray(BASE),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
@pytest.mark.parametrize("order", ["K", "A", "F", "C"])
@pytest.mark.parametrize("function", [np.ravel, np.ndarray.ravel, np.ndarray.flatten])
def test_ravel_follows_the_primal_layout(function, order, name):
    x = LAYOUTS[name]
    rng = np.random.default_rng(0)
    v = rng.standard_normal(x.shape)  # C-contiguous, unlike x
    shaped_like_x = np.empty_like(x)
    shaped_like_x[...] = v
    expected = function(shaped_like_x, order=order)
    np.testing.assert_array_equal(jvp(function, v, x, order=order), expected)
    g = rng.standard_normal(expected.shape)
    adjoint = vjp(function, g, x, order=order)
    assert adjoint.shape == x.shape
    assert np.sum(g * expected) == pytest.approx(np.sum(adjoint * v))


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_reshape_order_A_follows_the_primal_layout(name):
    x = LAYOUTS[name]
    rng = np.random.default_rng(1)
    v = rng.standard_normal(x.shape)
    shaped_like_x = np.empty_like(x)
    shaped_like_x[...] = v
    expected = np.reshape(shaped_like_x, (2, -1), order="A")
    np.testing.assert_array_equal(jvp(np.reshape, v, x, (2, -1), order="A"), expected)
    g = rng.standard_normal(expected.shape)
    adjoint = vjp(np.reshape, g, x, (2, -1), order="A")
    assert np.sum(g * expected) == pytest.approx(np.sum(adjoint * v))


# ---- unsupported cases fail loudly -------------------------------------------------


def test_pad_modes_without_a_rule_raise():
    with pytest.raises(NotImplementedError, match="not mode='maximum', reflect_type='even'"):
        vjp(np.pad, np.ones(5), np.ones(3), 1, "maximum")
    with pytest.raises(NotImplementedError, match="not mode='reflect', reflect_type='odd'"):
        vjp(np.pad, np.ones(5), np.ones(3), 1, "reflect", reflect_type="odd")


def test_median_overwrite_input_is_refused():
    x = np.array([3.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="overwrite_input"):
        RULES.vjp_rule(np.median, "a").template(1.0, 2.0, x, overwrite_input=True)


def test_einsum_needs_string_subscripts():
    from s2sad.runtime.products import einsum_adjoints

    with pytest.raises(TypeError, match="np.einsum need the subscripts as a string"):
        einsum_adjoints(1.0, [0, 0], (np.eye(2),))


def test_cross_of_2_vectors_is_refused():
    from s2sad.runtime.products import cross_adjoint_a

    with pytest.raises(ValueError, match="3-vectors"):
        cross_adjoint_a(np.ones(2), np.ones(2), np.ones(2))
