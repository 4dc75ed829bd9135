"""Rules for ``scipy.special``'s exponential and elliptic integrals, Spence's function,
Wright's omega, the Huber losses and the Box-Cox transforms."""

import numpy as np
from scipy.special import (
    boxcox,
    boxcox1p,
    ellipe,
    ellipk,
    exp1,
    expi,
    huber,
    inv_boxcox,
    pseudo_huber,
    spence,
    wrightomega,
)

from s2sad.rules.derivative import real_derivative


@real_derivative(exp1)
def exp1_z(ans, z):
    return -np.exp(-z) / z


@real_derivative(expi)
def expi_x(ans, x):
    return np.exp(x) / x


@real_derivative(ellipk)
def ellipk_m(ans, m):
    return (ellipe(m) - (1 - m) * ans) / (2 * m * (1 - m))


@real_derivative(ellipe)
def ellipe_m(ans, m):
    return (ans - ellipk(m)) / (2 * m)


# spence(z) = integral from 1 to z of log(t) / (1 - t) dt.
@real_derivative(spence)
def spence_z(ans, z):
    return np.log(z) / (1 - z)


# Wright omega: w + log(w) = z, so w' = w / (1 + w).
@real_derivative(wrightomega)
def wrightomega_z(ans, z):
    return ans / (1 + ans)


@real_derivative(huber, "r", unbroadcast=True)
def huber_r(ans, delta, r):
    return np.clip(r, -delta, delta)


@real_derivative(pseudo_huber, "r", unbroadcast=True)
def pseudo_huber_r(ans, delta, r):
    return r / np.sqrt(1 + (r / delta) ** 2)


# Box-Cox transforms in x (for a fixed lambda).
@real_derivative(boxcox, "x", unbroadcast=True)
def boxcox_x(ans, x, lmbda):
    return x ** (lmbda - 1)


@real_derivative(boxcox1p, "x", unbroadcast=True)
def boxcox1p_x(ans, x, lmbda):
    return (1 + x) ** (lmbda - 1)


@real_derivative(inv_boxcox, "y", unbroadcast=True)
def inv_boxcox_y(ans, y, lmbda):
    return ans ** (1 - lmbda)
