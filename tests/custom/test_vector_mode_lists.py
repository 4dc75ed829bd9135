"""A list or tuple of arrays given to an elementwise NumPy function in vector forward mode
(``jacfwd``, ``hessian``): NumPy reads it as an array, so its batched tangent keeps the
batch axis first (the list of tangents read as an array put it second: a wrong Jacobian
whenever the list had as many items as there were directions)."""

import numpy as np
import pytest

import s2sad


def exp_of_a_list(x):
    return np.exp([x, x ** 2])


def sin_of_a_tuple(x):
    return np.sin((x, 3.0 * x))


def with_a_constant(x):
    return np.exp([x[0], 1.0])


def logaddexp_of_a_list(x):
    return np.sum(np.logaddexp.reduce([x, 2.0 * x]))


def _central_jacobian(f, x, eps=1e-6):
    columns = [(np.asarray(f(x + eps * e)) - np.asarray(f(x - eps * e))) / (2 * eps)
               for e in np.eye(x.size)]
    return np.stack(columns, axis=-1)


@pytest.mark.parametrize("f", [exp_of_a_list, sin_of_a_tuple, with_a_constant])
@pytest.mark.parametrize("n", [2, 3])
def test_jacfwd_of_a_list_given_to_an_elementwise_function(f, n):
    x = np.linspace(0.3, -0.7, n)
    np.testing.assert_allclose(s2sad.jacfwd(f)(x), _central_jacobian(f, x), rtol=1e-6,
                               atol=1e-8)


def test_the_hessian_through_a_list():
    x = np.array([0.3, -0.7])
    closed = np.diag(np.exp(x) * np.exp(2 * x) / (np.exp(x) + np.exp(2 * x)) ** 2)
    np.testing.assert_allclose(s2sad.hessian(logaddexp_of_a_list)(x), closed, rtol=1e-8,
                               atol=1e-12)
