"""The checks the second-order rule tests share: a function of one vector against central
differences in both modes, and its Hessian-vector products against differences of its
gradient and against the Jacobian of the gradient."""

import numpy as np

import s2sad


def differences(function, x, eps=1e-6):
    """The gradient of ``function`` at ``x`` by central differences."""
    return np.array([(function(x + eps * e) - function(x - eps * e)) / (2 * eps)
                     for e in np.eye(len(x))])


def check_first_order(function, point, direction, atol, jacfwd=False):
    """``grad``, ``jvp`` (and ``jacfwd``) of ``function`` at ``point`` against differences."""
    numeric = differences(function, point)
    np.testing.assert_allclose(s2sad.grad(function)(point), numeric, rtol=1e-6, atol=atol)
    _, tangent = s2sad.jvp(function, (point,), (direction,))
    np.testing.assert_allclose(tangent, numeric @ direction, rtol=1e-6, atol=atol)
    if jacfwd:
        np.testing.assert_allclose(s2sad.jacfwd(function)(point), numeric, rtol=1e-6,
                                   atol=atol)


def check_hessian_vector_products(function, point, direction, atol=1e-6, exact_atol=1e-10):
    """``hvp`` against differences of the gradient (``atol``, relative 10 ``atol``), and
    against ``jacrev`` of the gradient (``exact_atol``, relative 100 ``exact_atol``)."""
    eps = 1e-5
    gradient = s2sad.grad(function)
    numeric = (gradient(point + eps * direction) - gradient(point - eps * direction)) / (2 * eps)
    product = s2sad.hvp(function)(point, direction)
    np.testing.assert_allclose(product, numeric, rtol=10 * atol, atol=atol)
    np.testing.assert_allclose(s2sad.jacrev(gradient)(point) @ direction, product,
                               rtol=100 * exact_atol, atol=exact_atol)
