"""Rules of ndarray attributes (``x.T``, ``x.mT``, ``x.real``, ``x.imag``), checked
against closed forms: the descriptors are not callable, so the spec table cannot run them."""

import numpy as np
import pytest

from s2sad.rules import RULES


def templates(attribute):
    return RULES.jvp_rule(attribute, "self").template, RULES.vjp_rule(attribute, "self").template


def real_inner(a, b):
    return float(np.real(np.sum(np.conj(np.asarray(a)) * np.asarray(b))))


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (5,)])
def test_T(shape):
    rng = np.random.default_rng(0)
    x, v = rng.standard_normal(shape), rng.standard_normal(shape)
    ans = x.T
    g = rng.standard_normal(ans.shape)
    jvp, vjp = templates(np.ndarray.T)
    np.testing.assert_array_equal(jvp(v, ans, x), v.T)
    np.testing.assert_array_equal(vjp(g, ans, x), g.T)
    assert vjp(g, ans, x).shape == x.shape


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4)])
def test_mT(shape):
    rng = np.random.default_rng(1)
    x, v = rng.standard_normal(shape), rng.standard_normal(shape)
    ans = x.mT
    g = rng.standard_normal(ans.shape)
    jvp, vjp = templates(np.ndarray.mT)
    np.testing.assert_array_equal(jvp(v, ans, x), np.swapaxes(v, -1, -2))
    np.testing.assert_array_equal(vjp(g, ans, x), np.swapaxes(g, -1, -2))


def test_real_of_complex():
    rng = np.random.default_rng(2)
    x = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    v = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    g = rng.standard_normal(4)
    jvp, vjp = templates(np.ndarray.real)
    np.testing.assert_array_equal(jvp(v, x.real, x), v.real)
    adjoint = vjp(g, x.real, x)
    # d Re(x) / d Re(x) = 1, d Re(x) / d Im(x) = 0: the adjoint is g + 0i
    np.testing.assert_array_equal(np.real(adjoint), g)
    np.testing.assert_array_equal(np.imag(adjoint), 0.0)
    assert real_inner(g, jvp(v, x.real, x)) == pytest.approx(real_inner(adjoint, v))


def test_real_of_real_is_identity():
    x, g = np.arange(3.0), np.array([1.0, -2.0, 0.5])
    jvp, vjp = templates(np.ndarray.real)
    np.testing.assert_array_equal(vjp(g, x.real, x), g)
    np.testing.assert_array_equal(jvp(g, x.real, x), g)


def test_imag_of_complex():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    v = rng.standard_normal(4) + 1j * rng.standard_normal(4)
    g = rng.standard_normal(4)
    jvp, vjp = templates(np.ndarray.imag)
    np.testing.assert_array_equal(jvp(v, x.imag, x), v.imag)
    adjoint = vjp(g, x.imag, x)
    # d Im(x) / d Re(x) = 0, d Im(x) / d Im(x) = 1: the adjoint is 0 + i g
    np.testing.assert_array_equal(adjoint, 1j * g)
    assert real_inner(g, jvp(v, x.imag, x)) == pytest.approx(real_inner(adjoint, v))


def test_imag_of_real_is_constant():
    x, g = np.arange(3.0), np.ones(3)
    jvp, vjp = templates(np.ndarray.imag)
    np.testing.assert_array_equal(vjp(g, x.imag, x), np.zeros(3))
    np.testing.assert_array_equal(jvp(g, x.imag, x), np.zeros(3))


def test_float32_stays_float32():
    x = np.ones((2, 3), dtype=np.float32)
    g = np.ones((3, 2), dtype=np.float32)
    jvp, vjp = templates(np.ndarray.T)
    assert vjp(g, x.T, x).dtype == np.float32
    assert jvp(x, x.T, x).dtype == np.float32


@pytest.mark.parametrize("attribute", [np.ndarray.shape, np.ndarray.ndim, np.ndarray.size,
                                       np.ndarray.dtype, np.ndarray.itemsize,
                                       np.ndarray.nbytes])
def test_metadata_attributes_carry_no_derivative(attribute):
    rules = RULES.find(attribute)
    assert rules is not None and rules.nondifferentiable


@pytest.mark.parametrize("method", [np.ndarray.argmax, np.ndarray.argmin, np.ndarray.argsort,
                                    np.ndarray.argpartition, np.ndarray.nonzero,
                                    np.ndarray.searchsorted, np.ndarray.all, np.ndarray.any,
                                    np.ndarray.round])
def test_index_valued_methods_carry_no_derivative(method):
    assert RULES.find(method).nondifferentiable


def test_attribute_rule_names():
    assert RULES.find(np.ndarray.T).name == "numpy.ndarray.T"
    assert RULES.find(np.ndarray.real).name == "numpy.ndarray.real"
