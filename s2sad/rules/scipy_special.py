"""Derivative rules for ``scipy.special``.

Imported lazily by the registry on the first lookup of a SciPy function (and never when
SciPy is missing). The functions are ufuncs with positional-only parameters, named here
as SciPy's documentation names them. Only the arguments listed have rules: for example
``gammainc(a, x)`` is differentiable in ``x`` only, the Bessel functions ``jv(v, z)`` in
``z`` only, and differentiating through the other argument is rejected by the compiler.
Two-argument rules sum their adjoints down to the argument's shape (``unbroadcast``).
"""

import math

import numpy as np
from scipy.special import (
    beta,
    betaln,
    boxcox,
    boxcox1p,
    cbrt,
    cosdg,
    cosm1,
    dawsn,
    digamma,
    ellipe,
    ellipk,
    entr,
    erf,
    erfc,
    erfcinv,
    erfcx,
    erfi,
    erfinv,
    exp1,
    exp2,
    exp10,
    expi,
    expit,
    expm1,
    gamma,
    gammainc,
    gammaincc,
    gammaincinv,
    gammaln,
    huber,
    i0,
    i0e,
    i1,
    i1e,
    inv_boxcox,
    iv,
    ive,
    j0,
    j1,
    jv,
    k0,
    k0e,
    k1,
    k1e,
    kl_div,
    kv,
    kve,
    log1p,
    log_expit,
    log_ndtr,
    log_softmax,
    loggamma,
    logit,
    logsumexp,
    multigammaln,
    ndtr,
    ndtri,
    ndtri_exp,
    owens_t,
    poch,
    polygamma,
    pseudo_huber,
    rel_entr,
    rgamma,
    sindg,
    softmax,
    spence,
    wrightomega,
    xlog1py,
    xlogy,
    y0,
    y1,
    yv,
    zeta,
)

from s2sad.rules.derivative import real_derivative
from s2sad.rules.registry import constant, jvp_rule, vjp_rule
from s2sad.runtime import unbroadcast, unreduce
from s2sad.runtime.linalg import times_unreduced
from s2sad.runtime.reductions import total
from s2sad.runtime.special import gamma_density, safe_ratio

try:  # SciPy >= 1.15
    from scipy.special import softplus
except ImportError:  # pragma: no cover - older SciPy
    softplus = None

_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2 * math.pi)

# ---- gamma family -----------------------------------------------------------------------


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


# ---- error functions and the normal distribution ---------------------------------------


@real_derivative(erf)
def erf_z(ans, z):
    return (2 / _SQRT_PI) * np.exp(-z * z)


@real_derivative(erfc)
def erfc_x(ans, x):
    return -(2 / _SQRT_PI) * np.exp(-x * x)


@real_derivative(erfi)
def erfi_z(ans, z):
    return (2 / _SQRT_PI) * np.exp(z * z)


@real_derivative(erfcx)
def erfcx_x(ans, x):
    return 2 * x * ans - 2 / _SQRT_PI


@real_derivative(erfinv)
def erfinv_y(ans, y):
    return (_SQRT_PI / 2) * np.exp(ans * ans)


@real_derivative(erfcinv)
def erfcinv_y(ans, y):
    return -(_SQRT_PI / 2) * np.exp(ans * ans)


@real_derivative(dawsn)
def dawsn_x(ans, x):
    return 1 - 2 * x * ans


@real_derivative(ndtr)
def ndtr_x(ans, x):
    return np.exp(-x * x / 2) / _SQRT_2PI


# pdf(x) / cdf(x) computed as exp(-x^2/2 - log_ndtr(x)): finite far in the lower tail.
@real_derivative(log_ndtr)
def log_ndtr_x(ans, x):
    return np.exp(-x * x / 2 - ans) / _SQRT_2PI


@real_derivative(ndtri)
def ndtri_y(ans, y):
    return _SQRT_2PI * np.exp(ans * ans / 2)


@real_derivative(ndtri_exp)
def ndtri_exp_y(ans, y):
    return _SQRT_2PI * np.exp(y + ans * ans / 2)


@real_derivative(owens_t, "h", unbroadcast=True)
def owens_t_h(ans, h, a):
    return -np.exp(-h * h / 2) * erf(a * h / math.sqrt(2)) / (2 * _SQRT_2PI)


@real_derivative(owens_t, "a", unbroadcast=True)
def owens_t_a(ans, h, a):
    return np.exp(-h * h * (1 + a * a) / 2) / (2 * math.pi * (1 + a * a))


# ---- logistic function and friends ---------------------------------------------------------


@real_derivative(expit)
def expit_x(ans, x):
    return ans * (1 - ans)


@real_derivative(logit, divide=True)
def logit_x(ans, x):
    return x * (1 - x)


@real_derivative(log_expit)
def log_expit_x(ans, x):
    return expit(-x)


if softplus is not None:

    @real_derivative(softplus)
    def softplus_x(ans, x):
        return expit(x)


# ---- reductions: logsumexp, softmax, log_softmax --------------------------------------------
# logsumexp's gradient is the softmax weight b * exp(a - logsumexp), which never overflows.


@vjp_rule(logsumexp, "a")
def logsumexp_a(g, ans, a, axis=None, b=None, keepdims=False):
    return times_unreduced(
        np.exp(a - unreduce(ans, a, axis, keepdims)) * (1 if b is None else b),
        g, a, axis, keepdims,
    )


@vjp_rule(logsumexp, "b")
def logsumexp_b(g, ans, a, axis=None, b=None, keepdims=False):
    return unbroadcast(
        times_unreduced(np.exp(a - unreduce(ans, a, axis, keepdims)), g, a, axis, keepdims), b
    )


@jvp_rule(logsumexp, "a")
def logsumexp_a_dot(a_dot, ans, a, axis=None, b=None, keepdims=False):
    return np.sum(
        np.exp(a - unreduce(ans, a, axis, keepdims)) * (1 if b is None else b) * a_dot,
        axis=axis,
        keepdims=keepdims,
    )


@jvp_rule(logsumexp, "b")
def logsumexp_b_dot(b_dot, ans, a, axis=None, b=None, keepdims=False):
    return np.sum(
        np.exp(a - unreduce(ans, a, axis, keepdims)) * b_dot, axis=axis, keepdims=keepdims
    )


@vjp_rule(softmax)
def softmax_x(g, ans, x, axis=None):
    return ans * (g - total(g * ans, axis=axis, keepdims=True))


@jvp_rule(softmax)
def softmax_x_dot(x_dot, ans, x, axis=None):
    return ans * (x_dot - total(x_dot * ans, axis=axis, keepdims=True))


@vjp_rule(log_softmax)
def log_softmax_x(g, ans, x, axis=None):
    return g - np.exp(ans) * total(g, axis=axis, keepdims=True)


@jvp_rule(log_softmax)
def log_softmax_x_dot(x_dot, ans, x, axis=None):
    return x_dot - total(np.exp(ans) * x_dot, axis=axis, keepdims=True)


# ---- information theory ---------------------------------------------------------------------


@real_derivative(entr)
def entr_x(ans, x):
    return -(np.log(x) + 1)


@real_derivative(rel_entr, "x", unbroadcast=True)
def rel_entr_x(ans, x, y):
    return np.log(x / y) + 1


@real_derivative(rel_entr, "y", unbroadcast=True)
def rel_entr_y(ans, x, y):
    return -safe_ratio(x, y)


@real_derivative(kl_div, "x", unbroadcast=True)
def kl_div_x(ans, x, y):
    return np.log(x / y)


@real_derivative(kl_div, "y", unbroadcast=True)
def kl_div_y(ans, x, y):
    return 1 - safe_ratio(x, y)


# x * log(y) and x * log1p(y); 0 * log(0) = 0, and so is its derivative in y.
@real_derivative(xlogy, "x", unbroadcast=True)
def xlogy_x(ans, x, y):
    return np.log(y)


@real_derivative(xlogy, "y", unbroadcast=True)
def xlogy_y(ans, x, y):
    return safe_ratio(x, y)


@real_derivative(xlog1py, "x", unbroadcast=True)
def xlog1py_x(ans, x, y):
    return np.log1p(y)


@real_derivative(xlog1py, "y", unbroadcast=True)
def xlog1py_y(ans, x, y):
    return safe_ratio(x, 1 + y)


# ---- Bessel functions ---------------------------------------------------------------------
# J' = (J_{v-1} - J_{v+1}) / 2 (Y alike), I' = (I_{v-1} + I_{v+1}) / 2,
# K' = -(K_{v-1} + K_{v+1}) / 2; the exponentially scaled ones add their scale's derivative.


@real_derivative(j0)
def j0_x(ans, x):
    return -j1(x)


@real_derivative(j1)
def j1_x(ans, x):
    return (j0(x) - jv(2, x)) / 2


@real_derivative(jv, "z", unbroadcast=True)
def jv_z(ans, v, z):
    return (jv(v - 1, z) - jv(v + 1, z)) / 2


@real_derivative(y0)
def y0_x(ans, x):
    return -y1(x)


@real_derivative(y1)
def y1_x(ans, x):
    return (y0(x) - yv(2, x)) / 2


@real_derivative(yv, "z", unbroadcast=True)
def yv_z(ans, v, z):
    return (yv(v - 1, z) - yv(v + 1, z)) / 2


@real_derivative(i0)
def i0_x(ans, x):
    return i1(x)


@real_derivative(i1)
def i1_x(ans, x):
    return (i0(x) + iv(2, x)) / 2


@real_derivative(iv, "z", unbroadcast=True)
def iv_z(ans, v, z):
    return (iv(v - 1, z) + iv(v + 1, z)) / 2


@real_derivative(i0e)
def i0e_x(ans, x):
    return i1e(x) - np.sign(x) * ans


@real_derivative(i1e)
def i1e_x(ans, x):
    return (i0e(x) + ive(2, x)) / 2 - np.sign(x) * ans


@real_derivative(ive, "z", unbroadcast=True)
def ive_z(ans, v, z):
    return (ive(v - 1, z) + ive(v + 1, z)) / 2 - np.sign(z) * ans


@real_derivative(k0)
def k0_x(ans, x):
    return -k1(x)


@real_derivative(k1)
def k1_x(ans, x):
    return -(k0(x) + kv(2, x)) / 2


@real_derivative(kv, "z", unbroadcast=True)
def kv_z(ans, v, z):
    return -(kv(v - 1, z) + kv(v + 1, z)) / 2


@real_derivative(k0e)
def k0e_x(ans, x):
    return ans - k1e(x)


@real_derivative(k1e)
def k1e_x(ans, x):
    return ans - (k0e(x) + kve(2, x)) / 2


@real_derivative(kve, "z", unbroadcast=True)
def kve_z(ans, v, z):
    return ans - (kve(v - 1, z) + kve(v + 1, z)) / 2


# ---- exponential integrals, elliptic integrals, others ---------------------------------


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


# ---- elementary functions in scipy.special ----------------------------------------------


@real_derivative(expm1)
def expm1_x(ans, x):
    return ans + 1


@real_derivative(log1p, divide=True)
def log1p_x(ans, x):
    return 1 + x


@real_derivative(exp2)
def exp2_x(ans, x):
    return ans * math.log(2)


@real_derivative(exp10)
def exp10_x(ans, x):
    return ans * math.log(10)


@real_derivative(cbrt, divide=True)
def cbrt_x(ans, x):
    return 3 * ans * ans


@real_derivative(cosm1)
def cosm1_x(ans, x):
    return -np.sin(x)


@real_derivative(sindg)
def sindg_x(ans, x):
    return (math.pi / 180) * cosdg(x)


@real_derivative(cosdg)
def cosdg_x(ans, x):
    return -(math.pi / 180) * sindg(x)
