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


@vjp_rule(gammaln)
def gammaln_x(g, ans, x):
    return g * digamma(x)


@jvp_rule(gammaln)
def gammaln_x_dot(x_dot, ans, x):
    return x_dot * digamma(x)


@vjp_rule(loggamma)
def loggamma_z(g, ans, z):
    return g * digamma(z)


@jvp_rule(loggamma)
def loggamma_z_dot(z_dot, ans, z):
    return z_dot * digamma(z)


# The trigamma function polygamma(1, z) is zeta(2, z) (which keeps float32).
@vjp_rule(digamma)  # scipy.special.psi is the same ufunc
def digamma_z(g, ans, z):
    return g * zeta(2, z)


@jvp_rule(digamma)
def digamma_z_dot(z_dot, ans, z):
    return z_dot * zeta(2, z)


@vjp_rule(polygamma, "x")
def polygamma_x(g, ans, n, x):
    return unbroadcast(g * polygamma(n + 1, x), x)


@jvp_rule(polygamma, "x")
def polygamma_x_dot(x_dot, ans, n, x):
    return x_dot * polygamma(n + 1, x)


@vjp_rule(gamma)
def gamma_z(g, ans, z):
    return g * ans * digamma(z)


@jvp_rule(gamma)
def gamma_z_dot(z_dot, ans, z):
    return z_dot * ans * digamma(z)


# 1/Gamma(z); the rule uses psi(z), so it is nan at the poles of Gamma where rgamma is 0.
@vjp_rule(rgamma)
def rgamma_z(g, ans, z):
    return -g * ans * digamma(z)


@jvp_rule(rgamma)
def rgamma_z_dot(z_dot, ans, z):
    return -z_dot * ans * digamma(z)


@vjp_rule(betaln, "a")
def betaln_a(g, ans, a, b):
    return unbroadcast(g * (digamma(a) - digamma(a + b)), a)


@vjp_rule(betaln, "b")
def betaln_b(g, ans, a, b):
    return unbroadcast(g * (digamma(b) - digamma(a + b)), b)


@jvp_rule(betaln, "a")
def betaln_a_dot(a_dot, ans, a, b):
    return a_dot * (digamma(a) - digamma(a + b))


@jvp_rule(betaln, "b")
def betaln_b_dot(b_dot, ans, a, b):
    return b_dot * (digamma(b) - digamma(a + b))


@vjp_rule(beta, "a")
def beta_a(g, ans, a, b):
    return unbroadcast(g * ans * (digamma(a) - digamma(a + b)), a)


@vjp_rule(beta, "b")
def beta_b(g, ans, a, b):
    return unbroadcast(g * ans * (digamma(b) - digamma(a + b)), b)


@jvp_rule(beta, "a")
def beta_a_dot(a_dot, ans, a, b):
    return a_dot * ans * (digamma(a) - digamma(a + b))


@jvp_rule(beta, "b")
def beta_b_dot(b_dot, ans, a, b):
    return b_dot * ans * (digamma(b) - digamma(a + b))


@vjp_rule(multigammaln, "a")
def multigammaln_a(g, ans, a, d):
    return g * np.sum(digamma(np.expand_dims(a, -1) - np.arange(d) / 2), axis=-1)


@jvp_rule(multigammaln, "a")
def multigammaln_a_dot(a_dot, ans, a, d):
    return a_dot * np.sum(digamma(np.expand_dims(a, -1) - np.arange(d) / 2), axis=-1)


@vjp_rule(poch, "z")
def poch_z(g, ans, z, m):
    return unbroadcast(g * ans * (digamma(z + m) - digamma(z)), z)


@vjp_rule(poch, "m")
def poch_m(g, ans, z, m):
    return unbroadcast(g * ans * digamma(z + m), m)


@jvp_rule(poch, "z")
def poch_z_dot(z_dot, ans, z, m):
    return z_dot * ans * (digamma(z + m) - digamma(z))


@jvp_rule(poch, "m")
def poch_m_dot(m_dot, ans, z, m):
    return m_dot * ans * digamma(z + m)


# Regularized incomplete gamma functions: derivatives in x only (in a there is no
# closed form).
@vjp_rule(gammainc, "x")
def gammainc_x(g, ans, a, x):
    return unbroadcast(g * gamma_density(a, x, ans), x)


@jvp_rule(gammainc, "x")
def gammainc_x_dot(x_dot, ans, a, x):
    return x_dot * gamma_density(a, x, ans)


@vjp_rule(gammaincc, "x")
def gammaincc_x(g, ans, a, x):
    return unbroadcast(-g * gamma_density(a, x, ans), x)


@jvp_rule(gammaincc, "x")
def gammaincc_x_dot(x_dot, ans, a, x):
    return -x_dot * gamma_density(a, x, ans)


@vjp_rule(gammaincinv, "y")
def gammaincinv_y(g, ans, a, y):
    return unbroadcast(g * 1.0 / gamma_density(a, ans, ans), y)


@jvp_rule(gammaincinv, "y")
def gammaincinv_y_dot(y_dot, ans, a, y):
    return y_dot * 1.0 / gamma_density(a, ans, ans)


# The slope of gammainc in x, in the result's precision: its own slope in x is
# density * ((a - 1) / x - 1) (second derivatives); ``like`` gives only a dtype.
@vjp_rule(gamma_density, "x")
def gamma_density_x(g, ans, a, x, like):
    return unbroadcast(g * ans * ((a - 1) / x - 1), x)


@jvp_rule(gamma_density, "x")
def gamma_density_x_dot(x_dot, ans, a, x, like):
    return x_dot * ans * ((a - 1) / x - 1)


constant(gamma_density, gamma_density_x, "like")


# ---- error functions and the normal distribution ---------------------------------------


@vjp_rule(erf)
def erf_z(g, ans, z):
    return g * (2 / _SQRT_PI) * np.exp(-z * z)


@jvp_rule(erf)
def erf_z_dot(z_dot, ans, z):
    return z_dot * (2 / _SQRT_PI) * np.exp(-z * z)


@vjp_rule(erfc)
def erfc_x(g, ans, x):
    return -g * (2 / _SQRT_PI) * np.exp(-x * x)


@jvp_rule(erfc)
def erfc_x_dot(x_dot, ans, x):
    return -x_dot * (2 / _SQRT_PI) * np.exp(-x * x)


@vjp_rule(erfi)
def erfi_z(g, ans, z):
    return g * (2 / _SQRT_PI) * np.exp(z * z)


@jvp_rule(erfi)
def erfi_z_dot(z_dot, ans, z):
    return z_dot * (2 / _SQRT_PI) * np.exp(z * z)


@vjp_rule(erfcx)
def erfcx_x(g, ans, x):
    return g * (2 * x * ans - 2 / _SQRT_PI)


@jvp_rule(erfcx)
def erfcx_x_dot(x_dot, ans, x):
    return x_dot * (2 * x * ans - 2 / _SQRT_PI)


@vjp_rule(erfinv)
def erfinv_y(g, ans, y):
    return g * (_SQRT_PI / 2) * np.exp(ans * ans)


@jvp_rule(erfinv)
def erfinv_y_dot(y_dot, ans, y):
    return y_dot * (_SQRT_PI / 2) * np.exp(ans * ans)


@vjp_rule(erfcinv)
def erfcinv_y(g, ans, y):
    return -g * (_SQRT_PI / 2) * np.exp(ans * ans)


@jvp_rule(erfcinv)
def erfcinv_y_dot(y_dot, ans, y):
    return -y_dot * (_SQRT_PI / 2) * np.exp(ans * ans)


@vjp_rule(dawsn)
def dawsn_x(g, ans, x):
    return g * (1 - 2 * x * ans)


@jvp_rule(dawsn)
def dawsn_x_dot(x_dot, ans, x):
    return x_dot * (1 - 2 * x * ans)


@vjp_rule(ndtr)
def ndtr_x(g, ans, x):
    return g * np.exp(-x * x / 2) / _SQRT_2PI


@jvp_rule(ndtr)
def ndtr_x_dot(x_dot, ans, x):
    return x_dot * np.exp(-x * x / 2) / _SQRT_2PI


# pdf(x) / cdf(x) computed as exp(-x^2/2 - log_ndtr(x)): finite far in the lower tail.
@vjp_rule(log_ndtr)
def log_ndtr_x(g, ans, x):
    return g * np.exp(-x * x / 2 - ans) / _SQRT_2PI


@jvp_rule(log_ndtr)
def log_ndtr_x_dot(x_dot, ans, x):
    return x_dot * np.exp(-x * x / 2 - ans) / _SQRT_2PI


@vjp_rule(ndtri)
def ndtri_y(g, ans, y):
    return g * _SQRT_2PI * np.exp(ans * ans / 2)


@jvp_rule(ndtri)
def ndtri_y_dot(y_dot, ans, y):
    return y_dot * _SQRT_2PI * np.exp(ans * ans / 2)


@vjp_rule(ndtri_exp)
def ndtri_exp_y(g, ans, y):
    return g * _SQRT_2PI * np.exp(y + ans * ans / 2)


@jvp_rule(ndtri_exp)
def ndtri_exp_y_dot(y_dot, ans, y):
    return y_dot * _SQRT_2PI * np.exp(y + ans * ans / 2)


@vjp_rule(owens_t, "h")
def owens_t_h(g, ans, h, a):
    return unbroadcast(-g * np.exp(-h * h / 2) * erf(a * h / math.sqrt(2)) / (2 * _SQRT_2PI), h)


@vjp_rule(owens_t, "a")
def owens_t_a(g, ans, h, a):
    return unbroadcast(g * np.exp(-h * h * (1 + a * a) / 2) / (2 * math.pi * (1 + a * a)), a)


@jvp_rule(owens_t, "h")
def owens_t_h_dot(h_dot, ans, h, a):
    return -h_dot * np.exp(-h * h / 2) * erf(a * h / math.sqrt(2)) / (2 * _SQRT_2PI)


@jvp_rule(owens_t, "a")
def owens_t_a_dot(a_dot, ans, h, a):
    return a_dot * np.exp(-h * h * (1 + a * a) / 2) / (2 * math.pi * (1 + a * a))


# ---- logistic function and friends ---------------------------------------------------------


@vjp_rule(expit)
def expit_x(g, ans, x):
    return g * ans * (1 - ans)


@jvp_rule(expit)
def expit_x_dot(x_dot, ans, x):
    return x_dot * ans * (1 - ans)


@vjp_rule(logit)
def logit_x(g, ans, x):
    return g / (x * (1 - x))


@jvp_rule(logit)
def logit_x_dot(x_dot, ans, x):
    return x_dot / (x * (1 - x))


@vjp_rule(log_expit)
def log_expit_x(g, ans, x):
    return g * expit(-x)


@jvp_rule(log_expit)
def log_expit_x_dot(x_dot, ans, x):
    return x_dot * expit(-x)


if softplus is not None:

    @vjp_rule(softplus)
    def softplus_x(g, ans, x):
        return g * expit(x)

    @jvp_rule(softplus)
    def softplus_x_dot(x_dot, ans, x):
        return x_dot * expit(x)


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


@vjp_rule(entr)
def entr_x(g, ans, x):
    return -g * (np.log(x) + 1)


@jvp_rule(entr)
def entr_x_dot(x_dot, ans, x):
    return -x_dot * (np.log(x) + 1)


@vjp_rule(rel_entr, "x")
def rel_entr_x(g, ans, x, y):
    return unbroadcast(g * (np.log(x / y) + 1), x)


@vjp_rule(rel_entr, "y")
def rel_entr_y(g, ans, x, y):
    return unbroadcast(-g * safe_ratio(x, y), y)


@jvp_rule(rel_entr, "x")
def rel_entr_x_dot(x_dot, ans, x, y):
    return x_dot * (np.log(x / y) + 1)


@jvp_rule(rel_entr, "y")
def rel_entr_y_dot(y_dot, ans, x, y):
    return -y_dot * safe_ratio(x, y)


@vjp_rule(kl_div, "x")
def kl_div_x(g, ans, x, y):
    return unbroadcast(g * np.log(x / y), x)


@vjp_rule(kl_div, "y")
def kl_div_y(g, ans, x, y):
    return unbroadcast(g * (1 - safe_ratio(x, y)), y)


@jvp_rule(kl_div, "x")
def kl_div_x_dot(x_dot, ans, x, y):
    return x_dot * np.log(x / y)


@jvp_rule(kl_div, "y")
def kl_div_y_dot(y_dot, ans, x, y):
    return y_dot * (1 - safe_ratio(x, y))


# x * log(y) and x * log1p(y); 0 * log(0) = 0, and so is its derivative in y.
@vjp_rule(xlogy, "x")
def xlogy_x(g, ans, x, y):
    return unbroadcast(g * np.log(y), x)


@vjp_rule(xlogy, "y")
def xlogy_y(g, ans, x, y):
    return unbroadcast(g * safe_ratio(x, y), y)


@jvp_rule(xlogy, "x")
def xlogy_x_dot(x_dot, ans, x, y):
    return x_dot * np.log(y)


@jvp_rule(xlogy, "y")
def xlogy_y_dot(y_dot, ans, x, y):
    return y_dot * safe_ratio(x, y)


@vjp_rule(xlog1py, "x")
def xlog1py_x(g, ans, x, y):
    return unbroadcast(g * np.log1p(y), x)


@vjp_rule(xlog1py, "y")
def xlog1py_y(g, ans, x, y):
    return unbroadcast(g * safe_ratio(x, 1 + y), y)


@jvp_rule(xlog1py, "x")
def xlog1py_x_dot(x_dot, ans, x, y):
    return x_dot * np.log1p(y)


@jvp_rule(xlog1py, "y")
def xlog1py_y_dot(y_dot, ans, x, y):
    return y_dot * safe_ratio(x, 1 + y)


# ---- Bessel functions ---------------------------------------------------------------------
# J' = (J_{v-1} - J_{v+1}) / 2 (Y alike), I' = (I_{v-1} + I_{v+1}) / 2,
# K' = -(K_{v-1} + K_{v+1}) / 2; the exponentially scaled ones add their scale's derivative.


@vjp_rule(j0)
def j0_x(g, ans, x):
    return -g * j1(x)


@jvp_rule(j0)
def j0_x_dot(x_dot, ans, x):
    return -x_dot * j1(x)


@vjp_rule(j1)
def j1_x(g, ans, x):
    return g * (j0(x) - jv(2, x)) / 2


@jvp_rule(j1)
def j1_x_dot(x_dot, ans, x):
    return x_dot * (j0(x) - jv(2, x)) / 2


@vjp_rule(jv, "z")
def jv_z(g, ans, v, z):
    return unbroadcast(g * (jv(v - 1, z) - jv(v + 1, z)) / 2, z)


@jvp_rule(jv, "z")
def jv_z_dot(z_dot, ans, v, z):
    return z_dot * (jv(v - 1, z) - jv(v + 1, z)) / 2


@vjp_rule(y0)
def y0_x(g, ans, x):
    return -g * y1(x)


@jvp_rule(y0)
def y0_x_dot(x_dot, ans, x):
    return -x_dot * y1(x)


@vjp_rule(y1)
def y1_x(g, ans, x):
    return g * (y0(x) - yv(2, x)) / 2


@jvp_rule(y1)
def y1_x_dot(x_dot, ans, x):
    return x_dot * (y0(x) - yv(2, x)) / 2


@vjp_rule(yv, "z")
def yv_z(g, ans, v, z):
    return unbroadcast(g * (yv(v - 1, z) - yv(v + 1, z)) / 2, z)


@jvp_rule(yv, "z")
def yv_z_dot(z_dot, ans, v, z):
    return z_dot * (yv(v - 1, z) - yv(v + 1, z)) / 2


@vjp_rule(i0)
def i0_x(g, ans, x):
    return g * i1(x)


@jvp_rule(i0)
def i0_x_dot(x_dot, ans, x):
    return x_dot * i1(x)


@vjp_rule(i1)
def i1_x(g, ans, x):
    return g * (i0(x) + iv(2, x)) / 2


@jvp_rule(i1)
def i1_x_dot(x_dot, ans, x):
    return x_dot * (i0(x) + iv(2, x)) / 2


@vjp_rule(iv, "z")
def iv_z(g, ans, v, z):
    return unbroadcast(g * (iv(v - 1, z) + iv(v + 1, z)) / 2, z)


@jvp_rule(iv, "z")
def iv_z_dot(z_dot, ans, v, z):
    return z_dot * (iv(v - 1, z) + iv(v + 1, z)) / 2


@vjp_rule(i0e)
def i0e_x(g, ans, x):
    return g * (i1e(x) - np.sign(x) * ans)


@jvp_rule(i0e)
def i0e_x_dot(x_dot, ans, x):
    return x_dot * (i1e(x) - np.sign(x) * ans)


@vjp_rule(i1e)
def i1e_x(g, ans, x):
    return g * ((i0e(x) + ive(2, x)) / 2 - np.sign(x) * ans)


@jvp_rule(i1e)
def i1e_x_dot(x_dot, ans, x):
    return x_dot * ((i0e(x) + ive(2, x)) / 2 - np.sign(x) * ans)


@vjp_rule(ive, "z")
def ive_z(g, ans, v, z):
    return unbroadcast(g * ((ive(v - 1, z) + ive(v + 1, z)) / 2 - np.sign(z) * ans), z)


@jvp_rule(ive, "z")
def ive_z_dot(z_dot, ans, v, z):
    return z_dot * ((ive(v - 1, z) + ive(v + 1, z)) / 2 - np.sign(z) * ans)


@vjp_rule(k0)
def k0_x(g, ans, x):
    return -g * k1(x)


@jvp_rule(k0)
def k0_x_dot(x_dot, ans, x):
    return -x_dot * k1(x)


@vjp_rule(k1)
def k1_x(g, ans, x):
    return -g * (k0(x) + kv(2, x)) / 2


@jvp_rule(k1)
def k1_x_dot(x_dot, ans, x):
    return -x_dot * (k0(x) + kv(2, x)) / 2


@vjp_rule(kv, "z")
def kv_z(g, ans, v, z):
    return unbroadcast(-g * (kv(v - 1, z) + kv(v + 1, z)) / 2, z)


@jvp_rule(kv, "z")
def kv_z_dot(z_dot, ans, v, z):
    return -z_dot * (kv(v - 1, z) + kv(v + 1, z)) / 2


@vjp_rule(k0e)
def k0e_x(g, ans, x):
    return g * (ans - k1e(x))


@jvp_rule(k0e)
def k0e_x_dot(x_dot, ans, x):
    return x_dot * (ans - k1e(x))


@vjp_rule(k1e)
def k1e_x(g, ans, x):
    return g * (ans - (k0e(x) + kve(2, x)) / 2)


@jvp_rule(k1e)
def k1e_x_dot(x_dot, ans, x):
    return x_dot * (ans - (k0e(x) + kve(2, x)) / 2)


@vjp_rule(kve, "z")
def kve_z(g, ans, v, z):
    return unbroadcast(g * (ans - (kve(v - 1, z) + kve(v + 1, z)) / 2), z)


@jvp_rule(kve, "z")
def kve_z_dot(z_dot, ans, v, z):
    return z_dot * (ans - (kve(v - 1, z) + kve(v + 1, z)) / 2)


# ---- exponential integrals, elliptic integrals, others ---------------------------------


@vjp_rule(exp1)
def exp1_z(g, ans, z):
    return -g * np.exp(-z) / z


@jvp_rule(exp1)
def exp1_z_dot(z_dot, ans, z):
    return -z_dot * np.exp(-z) / z


@vjp_rule(expi)
def expi_x(g, ans, x):
    return g * np.exp(x) / x


@jvp_rule(expi)
def expi_x_dot(x_dot, ans, x):
    return x_dot * np.exp(x) / x


@vjp_rule(ellipk)
def ellipk_m(g, ans, m):
    return g * (ellipe(m) - (1 - m) * ans) / (2 * m * (1 - m))


@jvp_rule(ellipk)
def ellipk_m_dot(m_dot, ans, m):
    return m_dot * (ellipe(m) - (1 - m) * ans) / (2 * m * (1 - m))


@vjp_rule(ellipe)
def ellipe_m(g, ans, m):
    return g * (ans - ellipk(m)) / (2 * m)


@jvp_rule(ellipe)
def ellipe_m_dot(m_dot, ans, m):
    return m_dot * (ans - ellipk(m)) / (2 * m)


# spence(z) = integral from 1 to z of log(t) / (1 - t) dt.
@vjp_rule(spence)
def spence_z(g, ans, z):
    return g * np.log(z) / (1 - z)


@jvp_rule(spence)
def spence_z_dot(z_dot, ans, z):
    return z_dot * np.log(z) / (1 - z)


# Wright omega: w + log(w) = z, so w' = w / (1 + w).
@vjp_rule(wrightomega)
def wrightomega_z(g, ans, z):
    return g * ans / (1 + ans)


@jvp_rule(wrightomega)
def wrightomega_z_dot(z_dot, ans, z):
    return z_dot * ans / (1 + ans)


@vjp_rule(huber, "r")
def huber_r(g, ans, delta, r):
    return unbroadcast(g * np.clip(r, -delta, delta), r)


@jvp_rule(huber, "r")
def huber_r_dot(r_dot, ans, delta, r):
    return r_dot * np.clip(r, -delta, delta)


@vjp_rule(pseudo_huber, "r")
def pseudo_huber_r(g, ans, delta, r):
    return unbroadcast(g * r / np.sqrt(1 + (r / delta) ** 2), r)


@jvp_rule(pseudo_huber, "r")
def pseudo_huber_r_dot(r_dot, ans, delta, r):
    return r_dot * r / np.sqrt(1 + (r / delta) ** 2)


# Box-Cox transforms in x (for a fixed lambda).
@vjp_rule(boxcox, "x")
def boxcox_x(g, ans, x, lmbda):
    return unbroadcast(g * x ** (lmbda - 1), x)


@jvp_rule(boxcox, "x")
def boxcox_x_dot(x_dot, ans, x, lmbda):
    return x_dot * x ** (lmbda - 1)


@vjp_rule(boxcox1p, "x")
def boxcox1p_x(g, ans, x, lmbda):
    return unbroadcast(g * (1 + x) ** (lmbda - 1), x)


@jvp_rule(boxcox1p, "x")
def boxcox1p_x_dot(x_dot, ans, x, lmbda):
    return x_dot * (1 + x) ** (lmbda - 1)


@vjp_rule(inv_boxcox, "y")
def inv_boxcox_y(g, ans, y, lmbda):
    return unbroadcast(g * ans ** (1 - lmbda), y)


@jvp_rule(inv_boxcox, "y")
def inv_boxcox_y_dot(y_dot, ans, y, lmbda):
    return y_dot * ans ** (1 - lmbda)


# ---- elementary functions in scipy.special ----------------------------------------------


@vjp_rule(expm1)
def expm1_x(g, ans, x):
    return g * (ans + 1)


@jvp_rule(expm1)
def expm1_x_dot(x_dot, ans, x):
    return x_dot * (ans + 1)


@vjp_rule(log1p)
def log1p_x(g, ans, x):
    return g / (1 + x)


@jvp_rule(log1p)
def log1p_x_dot(x_dot, ans, x):
    return x_dot / (1 + x)


@vjp_rule(exp2)
def exp2_x(g, ans, x):
    return g * ans * math.log(2)


@jvp_rule(exp2)
def exp2_x_dot(x_dot, ans, x):
    return x_dot * ans * math.log(2)


@vjp_rule(exp10)
def exp10_x(g, ans, x):
    return g * ans * math.log(10)


@jvp_rule(exp10)
def exp10_x_dot(x_dot, ans, x):
    return x_dot * ans * math.log(10)


@vjp_rule(cbrt)
def cbrt_x(g, ans, x):
    return g / (3 * ans * ans)


@jvp_rule(cbrt)
def cbrt_x_dot(x_dot, ans, x):
    return x_dot / (3 * ans * ans)


@vjp_rule(cosm1)
def cosm1_x(g, ans, x):
    return -g * np.sin(x)


@jvp_rule(cosm1)
def cosm1_x_dot(x_dot, ans, x):
    return -x_dot * np.sin(x)


@vjp_rule(sindg)
def sindg_x(g, ans, x):
    return g * (math.pi / 180) * cosdg(x)


@jvp_rule(sindg)
def sindg_x_dot(x_dot, ans, x):
    return x_dot * (math.pi / 180) * cosdg(x)


@vjp_rule(cosdg)
def cosdg_x(g, ans, x):
    return -g * (math.pi / 180) * sindg(x)


@jvp_rule(cosdg)
def cosdg_x_dot(x_dot, ans, x):
    return -x_dot * (math.pi / 180) * sindg(x)
