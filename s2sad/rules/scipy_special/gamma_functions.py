"""Rules for the gamma family of ``scipy.special``: gamma, its logarithm and
reciprocal, digamma and polygamma, beta, Pochhammer's symbol and the regularized
incomplete gamma functions."""

import numpy as np
from scipy.special import (
    beta,
    betaln,
    digamma,
    gamma,
    gammainc,
    gammaincc,
    gammaincinv,
    gammaln,
    loggamma,
    multigammaln,
    poch,
    polygamma,
    rgamma,
    zeta,
)

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import constant
from s2sad.runtime.special import gamma_density


@real_derivative(gammaln)
def gammaln_x(ans, x):
    return digamma(x)


@real_derivative(loggamma)
def loggamma_z(ans, z):
    return digamma(z)


# The trigamma function polygamma(1, z) is zeta(2, z) (which keeps float32).
@real_derivative(digamma)  # scipy.special.psi is the same ufunc
def digamma_z(ans, z):
    return zeta(2, z)


@real_derivative(polygamma, "x", unbroadcast=True)
def polygamma_x(ans, n, x):
    return polygamma(n + 1, x)


@real_derivative(gamma)
def gamma_z(ans, z):
    return ans * digamma(z)


# 1/Gamma(z); the rule uses psi(z), so it is nan at the poles of Gamma where rgamma is 0.
@real_derivative(rgamma)
def rgamma_z(ans, z):
    return -ans * digamma(z)


@real_derivative(betaln, "a", unbroadcast=True)
def betaln_a(ans, a, b):
    return digamma(a) - digamma(a + b)


@real_derivative(betaln, "b", unbroadcast=True)
def betaln_b(ans, a, b):
    return digamma(b) - digamma(a + b)


@real_derivative(beta, "a", unbroadcast=True)
def beta_a(ans, a, b):
    return ans * (digamma(a) - digamma(a + b))


@real_derivative(beta, "b", unbroadcast=True)
def beta_b(ans, a, b):
    return ans * (digamma(b) - digamma(a + b))


@real_derivative(multigammaln, "a")
def multigammaln_a(ans, a, d):
    return np.sum(digamma(np.expand_dims(a, -1) - np.arange(d) / 2), axis=-1)


@real_derivative(poch, "z", unbroadcast=True)
def poch_z(ans, z, m):
    return ans * (digamma(z + m) - digamma(z))


@real_derivative(poch, "m", unbroadcast=True)
def poch_m(ans, z, m):
    return ans * digamma(z + m)


# Regularized incomplete gamma functions: derivatives in x only (in a there is no
# closed form).
@real_derivative(gammainc, "x", unbroadcast=True)
def gammainc_x(ans, a, x):
    return gamma_density(a, x, ans)


@real_derivative(gammaincc, "x", unbroadcast=True)
def gammaincc_x(ans, a, x):
    return -gamma_density(a, x, ans)


@real_derivative(gammaincinv, "y", unbroadcast=True)
def gammaincinv_y(ans, a, y):
    return 1.0 / gamma_density(a, ans, ans)


# The slope of gammainc in x, in the result's precision: its own slope in x is
# density * ((a - 1) / x - 1) (second derivatives); ``like`` gives only a dtype.
@real_derivative(gamma_density, "x", unbroadcast=True)
def gamma_density_x(ans, a, x, like):
    return ans * ((a - 1) / x - 1)


constant(gamma_density, gamma_density_x, "like")
