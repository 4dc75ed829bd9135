"""scipy.stats distributions (logpdf and pdf of t, gamma and beta in their shapes too,
and their cdf, sf and logcdf in x, loc and scale)
differentiated in their point and parameters, spelled as
users write them (``scipy.stats.norm.logpdf(x, loc=mu, scale=s)``, ``from scipy.stats
import norm; norm.cdf(x, mu, s)``, a method held in a global), at first order in both
modes and at second order (Hessian-vector products against central differences of the
gradient and against reverse over reverse); frozen distributions and the distributions
without rules refused at the user's line."""

import numpy as np
import pytest
import scipy.stats
from scipy import stats
from scipy.stats import logistic, norm

import s2sad
from s2sad.errors import MissingRuleError
from tests.rules.second_order_checks import check_first_order, check_hessian_vector_products

POINT = np.array([0.35, 1.2, -0.7, 0.9, 1.45, -0.3])
DIRECTION = np.array([0.3, -1.0, 0.6, 0.5, -0.4, 0.8])
normal_logpdf = stats.norm.logpdf


def normal_likelihood(x):
    return (np.sum(scipy.stats.norm.logpdf(x, loc=x[0] * 0.5, scale=np.exp(x[1])))
            + np.sum(normal_logpdf(x, x[2], 2.0) ** 2))


def normal_methods(x):
    return (np.sum(norm.cdf(x, x[2], 2.0) ** 2) + np.sum(norm.pdf(x[:3], 0.1, np.exp(x[3:])))
            + np.sum(norm.sf(x ** 2)) + np.sum(norm.logcdf(x, scale=1.5)))


def exponential(x):
    return (np.sum(stats.expon.logpdf(x, -2.0, np.exp(x[0])))
            + np.sum(stats.expon.pdf(x, x[1] - 2.0, 2.0) ** 2)
            + np.sum(stats.expon.cdf(x, -0.5, np.exp(x[2])))
            + np.sum(stats.expon.sf(x, -3.0 + x[3], 1.5))
            + np.sum(stats.expon.logcdf(x * 0.5, -3.0, 2.0 + x[4] ** 2)))


def laplace(x):
    return (np.sum(stats.laplace.logpdf(x, -2.0, np.exp(x[0])))
            + np.sum(stats.laplace.pdf(x, x[1] - 2.0, 2.0) ** 2)
            + np.sum(stats.laplace.cdf(x, -0.5, np.exp(x[2])))
            + np.sum(stats.laplace.sf(x, x[3] + 0.01, 1.5))
            + np.sum(stats.laplace.logcdf(x * 0.5, -3.0, 2.0 + x[4] ** 2)))


def logistic_methods(x):
    return (np.sum(logistic.logpdf(x, -2.0, np.exp(x[0])))
            + np.sum(logistic.pdf(x, x[1] - 2.0, 2.0) ** 2)
            + np.sum(logistic.cdf(x, -0.5, np.exp(x[2]))) + np.sum(logistic.sf(x, x[3], 1.5))
            + np.sum(logistic.logcdf(x * 0.5, -3.0, 2.0 + x[4] ** 2)))


def counts(x):
    return (np.sum(stats.poisson.logpmf(np.array([0, 1, 3, 2]), np.exp(x[:4])))
            + stats.binom.logpmf(3, 7, 1 / (1 + np.exp(-x[5]))))


def gaussian(x):
    a = np.reshape(x, (2, 3))
    cov = a.T @ a + np.eye(3)
    points = np.stack([x[:3], x[3:] ** 2])
    return (np.sum(stats.multivariate_normal.logpdf(points, mean=x[3:] * 0.5, cov=cov))
            + stats.multivariate_normal.logpdf(x[:3], x[3:], cov))


def shapes(x):
    y = np.abs(x) + 0.2
    return (np.sum(stats.t.logpdf(x, np.exp(x[0]) + 1.0, x[1] * 0.3, np.exp(x[2])))
            + np.sum(stats.gamma.logpdf(y * 2.0, np.exp(x[3]), -0.5 * np.exp(x[4]),
                                        1.5 + x[5] ** 2))
            + np.sum(stats.beta.logpdf(np.array([0.2, 0.5, 0.7]), np.exp(x[:3]),
                                       1.0 + x[3:] ** 2, x[0] * 0.05 - 0.1, 1.2 + x[1] * 0.05))
            + np.sum(stats.t.pdf(x, 2.0 + x[3] ** 2, 0.2, 1.5) ** 2)
            + stats.gamma.pdf(2.5, np.exp(x[4]), x[5] * 0.1, 1.3)
            + np.sum(stats.beta.pdf([0.3, 0.6], 1.5 + x[:2] ** 2, np.exp(x[2:4]))))


def shape_cdfs(x):
    return (np.sum(stats.t.cdf(x, 3.0, x[0] * 0.2, np.exp(x[1]))) ** 2
            + np.sum(stats.t.sf(x, 2.5, 0.1, 1.0 + x[2] ** 2) * x)
            + np.sum(stats.t.logcdf(x, 4.0, x[3], 1.5))
            + np.sum(stats.gamma.cdf(np.abs(x) + 2.0, 2.0, -0.1 * x[4] ** 2, 1.2) ** 2)
            + np.sum(stats.gamma.sf(np.abs(x) + 2.0, 1.5, 0.2, np.exp(x[5])))
            + np.sum(stats.gamma.logcdf(x ** 2 + 1.0, 3.0, 0.1, 2.0))
            + np.sum(stats.beta.cdf([0.2, 0.5, 0.7], 2.0, 3.0, x[:3] * 0.05 - 0.2, 1.5) ** 2)
            + np.sum(stats.beta.sf([0.3, 0.4], 1.5, 2.5, -0.1, 1.2 + x[3:5] * 0.05))
            + np.sum(stats.beta.logcdf(0.5 + x * 0.05, 2.0, 2.0, -0.2, 1.4)))


FUNCTIONS = [normal_likelihood, normal_methods, exponential, laplace, logistic_methods,
             counts, gaussian, shapes, shape_cdfs]


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_first_order_in_both_modes_against_differences(function):
    check_first_order(function, POINT, DIRECTION, atol=1e-7)


@pytest.mark.parametrize("function", FUNCTIONS, ids=lambda f: f.__name__)
def test_hessian_vector_products_against_differences_of_the_gradient(function):
    check_hessian_vector_products(function, POINT, DIRECTION)


def test_the_gaussian_log_likelihood_has_the_closed_form_hessian_in_its_mean():
    """``sum_i log N(x_i; mu, s)`` in ``mu`` has Hessian ``-n / s^2``."""

    def likelihood(mu):
        return np.sum(norm.logpdf(POINT, mu, 1.5))

    assert s2sad.grad(s2sad.grad(likelihood))(0.3) == pytest.approx(-6 / 1.5 ** 2, rel=1e-12)


def frozen(x):
    return np.sum(stats.norm(0.0, 2.0).logpdf(x))


def frozen_parameters(x):
    return np.sum(stats.norm(x[0], 2.0).logpdf(x))


def student(x):
    return np.sum(stats.t.cdf(x, np.exp(x[0])))


def gamma_shape(x):
    return np.sum(stats.gamma.cdf(x ** 2, np.exp(x[0])))


def counted(x):
    return np.sum(stats.poisson.logpmf(x, 2.0))


def test_a_frozen_distribution_is_refused_at_the_users_line():
    for derivative in (s2sad.grad(frozen), lambda x: s2sad.jvp(frozen, (x,), (x,))):
        with pytest.raises(NotImplementedError) as raised:
            derivative(POINT)
        message = str(raised.value)
        assert "test_stats_second_order.py" in message and "frozen scipy.stats" in message
        assert "stats.norm.logpdf(x, " in message


def held(x):
    distribution = stats.logistic
    return np.sum(distribution.logpdf(x, 0.5, 2.0))


def test_a_distribution_held_in_a_variable_is_refused_at_the_users_line():
    with pytest.raises(NotImplementedError) as raised:
        s2sad.grad(held)(POINT)
    message = str(raised.value)
    assert "test_stats_second_order.py" in message and "held in a variable" in message
    with pytest.raises(MissingRuleError) as raised:
        s2sad.grad(frozen_parameters)(POINT)
    assert "test_stats_second_order.py" in str(raised.value)


@pytest.mark.parametrize("function", [student, gamma_shape, counted],
                         ids=["t_shape", "gamma_shape", "poisson_k"])
def test_what_has_no_rules_is_refused_at_the_users_line(function):
    with pytest.raises(MissingRuleError) as raised:
        s2sad.grad(function)(np.abs(POINT) + 0.5)
    assert "test_stats_second_order.py" in str(raised.value)
