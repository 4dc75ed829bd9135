"""np.matrix, masked arrays, record arrays and object or structured arrays are refused at
the call, wherever they are passed, with the argument's name."""

import warnings

import numpy as np
import pytest

import s2sad

warnings.filterwarnings("ignore", category=PendingDeprecationWarning)


def squares(m):
    return np.sum(m ** 2)


def weighted(x, m):
    return np.sum(x * m)


def first(xs):
    return np.sum(xs[0] * xs[1])


def of_dict(d):
    return np.sum(d["a"] ** 2)


def double(x):
    return 2.0 * x


A = np.array([[1.0, 2.0], [3.0, 4.0]])
MATRIX = np.matrix(A)
MATRIX_MESSAGE = r"argument m is a numpy.matrix.*convert it with np.asarray\(m\)"


def test_matrix_gives_a_wrong_gradient_so_it_is_refused():
    # np.matrix's ** is a matrix power: sum(M @ M) has another gradient than sum(A ** 2)
    assert not np.allclose(np.sum(MATRIX ** 2), np.sum(A ** 2))
    with pytest.raises(TypeError, match="squares's " + MATRIX_MESSAGE):
        s2sad.grad(squares)(MATRIX)
    np.testing.assert_array_equal(s2sad.grad(squares)(A), 2 * A)


@pytest.mark.parametrize("call", [
    lambda: s2sad.grad(squares)(MATRIX),
    lambda: s2sad.value_and_grad(squares)(MATRIX),
    lambda: s2sad.grad(weighted)(A, MATRIX),  # not differentiated, still refused
    lambda: s2sad.jvp(squares, (MATRIX,), (A,)),
    lambda: s2sad.vjp(squares, MATRIX),
    lambda: s2sad.jacfwd(double)(MATRIX),
    lambda: s2sad.jacrev(double)(MATRIX),
    lambda: s2sad.hessian(squares)(MATRIX),
    lambda: s2sad.hvp(squares)(MATRIX, A),
], ids=["grad", "value_and_grad", "grad-other-argument", "jvp", "vjp", "jacfwd", "jacrev",
        "hessian", "hvp"])
def test_every_entry_point_refuses_a_matrix_argument(call):
    with pytest.raises(TypeError, match=r"argument (m|x) is a numpy.matrix"):
        call()


def test_tangents_cotangents_and_directions_are_checked_too():
    with pytest.raises(TypeError, match="tangent of argument m is a numpy.matrix"):
        s2sad.jvp(squares, (A,), (MATRIX,))
    _, pullback = s2sad.vjp(double, A)
    with pytest.raises(TypeError, match=r"vjp_fn of double: argument out_bar is a numpy"):
        pullback(MATRIX)
    with pytest.raises(TypeError, match="hvp of squares: argument v is a numpy.matrix"):
        s2sad.hvp(squares)(A, MATRIX)


def test_nested_in_containers():
    with pytest.raises(TypeError, match=r"argument xs\[1\] is a numpy.matrix"):
        s2sad.grad(first)([A, MATRIX])
    with pytest.raises(TypeError, match=r"argument d\['a'\] is a numpy.matrix"):
        s2sad.grad(of_dict)({"a": MATRIX})
    np.testing.assert_array_equal(s2sad.grad(first)([A, A])[0], A)


def test_masked_record_object_and_structured_arrays():
    masked = np.ma.array([1.0, 2.0], mask=[False, True])
    with pytest.raises(TypeError, match="argument m is a masked array"):
        s2sad.grad(squares)(masked)
    records = np.rec.array([(1.0, 2.0)], dtype=[("a", float), ("b", float)])
    with pytest.raises(TypeError, match="argument m is a numpy.recarray"):
        s2sad.grad(squares)(records)
    with pytest.raises(TypeError, match=r"dtype object.*m.astype\(float\)"):
        s2sad.grad(squares)(np.array([1.0, 2.0], dtype=object))
    with pytest.raises(TypeError, match="structured dtype"):
        s2sad.jvp(squares, (np.zeros(2, dtype=[("a", float)]),), (np.zeros(2),))


def test_plain_arrays_and_numbers_of_every_dtype_pass():
    for x in (A.astype(np.float32), np.float64(3.0), 3.0, np.array(2.0)):
        np.testing.assert_allclose(s2sad.grad(squares)(x), 2 * x)
    np.testing.assert_array_equal(s2sad.grad(weighted)(A, np.arange(4).reshape(2, 2)),
                                  np.arange(4).reshape(2, 2))
