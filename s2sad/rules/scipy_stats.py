"""Derivative rules for ``scipy.stats`` distributions, with respect to the point and the
parameters: ``logpdf``, ``pdf``, ``cdf``, ``logcdf`` and ``sf`` of ``norm``, ``expon``,
``laplace`` and ``logistic`` (in ``x``, ``loc`` and ``scale``), ``logpdf`` of ``t``,
``gamma`` and ``beta`` and their ``pdf`` (in their shapes too) and ``cdf``, ``sf`` and
``logcdf`` (in ``x``, ``loc`` and ``scale``), ``logpmf`` of ``poisson``
(in ``mu``) and ``binom`` (in ``p``), and ``multivariate_normal.logpdf`` (in ``x``,
``mean`` and ``cov``, the symmetric convention of :mod:`s2sad.runtime.linalg`).

A method read from a distribution (``scipy.stats.norm.logpdf``, a new bound method at
each read) has the rules of a stand-in taking the distribution first as ``self``
(``RULES.method``), so one set of templates serves every location-scale family: with
``z = (x - loc) / scale`` and ``S`` the derivative in ``x``, the derivative in ``loc``
is ``-S`` and in ``scale`` ``-(S (x - loc) + E) / scale``, ``E`` 1 for ``logpdf``, the
density for ``pdf`` and 0 otherwise. Arguments without rules (a count ``k``, ``loc`` of a
discrete distribution, the shapes of a cdf, which SciPy has no derivative function for,
frozen distributions' parameters) are refused where active.
"""

import numpy as np
import scipy.stats
from scipy.special import digamma

from s2sad.rules.registry import (
    RULES,
    constant,
    jvp_rule,
    linear,
    nondifferentiable,
    vjp_rule,
)
from s2sad.runtime.core import unbroadcast
from s2sad.runtime.linalg import mT
from s2sad.runtime.stats import (
    family,
    loc_scale_logpdf,
    loc_scale_pdf,
    loc_scale_score,
    mvn_mean,
    mvn_rows,
    score_terms,
)


def _stand_in(distribution, method, name=None):
    """The function the rules of ``distribution.method`` are keyed by, named as users
    write it (``scipy.stats.norm.logpdf``), calling the method; its rules take the
    distribution first, as ``self``."""

    def stand_in(self, *args, **kwargs):
        return getattr(self, method)(*args, **kwargs)

    stand_in.__name__ = method
    stand_in.__qualname__ = f"{name or distribution.name}.{method}"
    stand_in.__module__ = "scipy.stats"
    RULES.method(type(distribution), method, stand_in)
    return stand_in


# ---- the score of a location-scale family, written with itself -----------------------


@vjp_rule(loc_scale_score, "x")
def score_x(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(g * (score_terms(self)[0] * ans ** 2 + score_terms(self)[1] / scale ** 2),
                       x)


@vjp_rule(loc_scale_score, "loc")
def score_loc(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * (score_terms(self)[0] * ans ** 2
                             + score_terms(self)[1] / scale ** 2), loc)


@vjp_rule(loc_scale_score, "scale")
def score_scale(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * ((score_terms(self)[0] * ans ** 2 + score_terms(self)[1] / scale ** 2)
                             * (x - loc) + ans) / scale, scale)


@jvp_rule(loc_scale_score, "x")
def score_x_dot(x_dot, ans, self, x, loc=0.0, scale=1.0):
    return x_dot * (score_terms(self)[0] * ans ** 2 + score_terms(self)[1] / scale ** 2)


@jvp_rule(loc_scale_score, "loc")
def score_loc_dot(loc_dot, ans, self, x, loc=0.0, scale=1.0):
    return -loc_dot * (score_terms(self)[0] * ans ** 2 + score_terms(self)[1] / scale ** 2)


@jvp_rule(loc_scale_score, "scale")
def score_scale_dot(scale_dot, ans, self, x, loc=0.0, scale=1.0):
    return -scale_dot * ((score_terms(self)[0] * ans ** 2 + score_terms(self)[1] / scale ** 2)
                         * (x - loc) + ans) / scale


constant(loc_scale_score, score_x, "self")
nondifferentiable(score_terms, family, mvn_rows)


# ---- logpdf: S = score, E = 1 ------------------------------------------------------


def logpdf_x(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(g * loc_scale_score(self, x, loc, scale), x)


def logpdf_loc(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * loc_scale_score(self, x, loc, scale), loc)


def logpdf_scale(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * (loc_scale_score(self, x, loc, scale) * (x - loc) + 1.0) / scale,
                       scale)


def logpdf_x_dot(x_dot, ans, self, x, loc=0.0, scale=1.0):
    return x_dot * loc_scale_score(self, x, loc, scale)


def logpdf_loc_dot(loc_dot, ans, self, x, loc=0.0, scale=1.0):
    return -loc_dot * loc_scale_score(self, x, loc, scale)


def logpdf_scale_dot(scale_dot, ans, self, x, loc=0.0, scale=1.0):
    return -scale_dot * (loc_scale_score(self, x, loc, scale) * (x - loc) + 1.0) / scale


# ---- pdf: S = density * score, E = density ------------------------------------------


def pdf_x(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * loc_scale_score(self, x, loc, scale), x)


def pdf_loc(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * ans * loc_scale_score(self, x, loc, scale), loc)


def pdf_scale(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * ans * (loc_scale_score(self, x, loc, scale) * (x - loc) + 1.0)
                       / scale, scale)


def pdf_x_dot(x_dot, ans, self, x, loc=0.0, scale=1.0):
    return x_dot * ans * loc_scale_score(self, x, loc, scale)


def pdf_loc_dot(loc_dot, ans, self, x, loc=0.0, scale=1.0):
    return -loc_dot * ans * loc_scale_score(self, x, loc, scale)


def pdf_scale_dot(scale_dot, ans, self, x, loc=0.0, scale=1.0):
    return -scale_dot * ans * (loc_scale_score(self, x, loc, scale) * (x - loc) + 1.0) / scale


# ---- cdf and sf: S = +-density, E = 0 -----------------------------------------------


def cdf_x(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(g * loc_scale_pdf(self, x, loc, scale), x)


def cdf_loc(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * loc_scale_pdf(self, x, loc, scale), loc)


def cdf_scale(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * loc_scale_pdf(self, x, loc, scale) * (x - loc) / scale, scale)


def cdf_x_dot(x_dot, ans, self, x, loc=0.0, scale=1.0):
    return x_dot * loc_scale_pdf(self, x, loc, scale)


def cdf_loc_dot(loc_dot, ans, self, x, loc=0.0, scale=1.0):
    return -loc_dot * loc_scale_pdf(self, x, loc, scale)


def cdf_scale_dot(scale_dot, ans, self, x, loc=0.0, scale=1.0):
    return -scale_dot * loc_scale_pdf(self, x, loc, scale) * (x - loc) / scale


def sf_x(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * loc_scale_pdf(self, x, loc, scale), x)


def sf_loc(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(g * loc_scale_pdf(self, x, loc, scale), loc)


def sf_scale(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(g * loc_scale_pdf(self, x, loc, scale) * (x - loc) / scale, scale)


def sf_x_dot(x_dot, ans, self, x, loc=0.0, scale=1.0):
    return -x_dot * loc_scale_pdf(self, x, loc, scale)


def sf_loc_dot(loc_dot, ans, self, x, loc=0.0, scale=1.0):
    return loc_dot * loc_scale_pdf(self, x, loc, scale)


def sf_scale_dot(scale_dot, ans, self, x, loc=0.0, scale=1.0):
    return scale_dot * loc_scale_pdf(self, x, loc, scale) * (x - loc) / scale


# ---- logcdf: S = density / cdf, E = 0 -----------------------------------------------


def logcdf_x(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(g * np.exp(loc_scale_logpdf(self, x, loc, scale) - ans), x)


def logcdf_loc(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(loc_scale_logpdf(self, x, loc, scale) - ans), loc)


def logcdf_scale(g, ans, self, x, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(loc_scale_logpdf(self, x, loc, scale) - ans) * (x - loc)
                       / scale, scale)


def logcdf_x_dot(x_dot, ans, self, x, loc=0.0, scale=1.0):
    return x_dot * np.exp(loc_scale_logpdf(self, x, loc, scale) - ans)


def logcdf_loc_dot(loc_dot, ans, self, x, loc=0.0, scale=1.0):
    return -loc_dot * np.exp(loc_scale_logpdf(self, x, loc, scale) - ans)


def logcdf_scale_dot(scale_dot, ans, self, x, loc=0.0, scale=1.0):
    return -scale_dot * np.exp(loc_scale_logpdf(self, x, loc, scale) - ans) * (x - loc) / scale


#: method -> its templates: (VJP, JVP) for x, loc and scale
LOCATION_SCALE = {
    "logpdf": ((logpdf_x, logpdf_x_dot), (logpdf_loc, logpdf_loc_dot),
               (logpdf_scale, logpdf_scale_dot)),
    "pdf": ((pdf_x, pdf_x_dot), (pdf_loc, pdf_loc_dot), (pdf_scale, pdf_scale_dot)),
    "cdf": ((cdf_x, cdf_x_dot), (cdf_loc, cdf_loc_dot), (cdf_scale, cdf_scale_dot)),
    "sf": ((sf_x, sf_x_dot), (sf_loc, sf_loc_dot), (sf_scale, sf_scale_dot)),
    "logcdf": ((logcdf_x, logcdf_x_dot), (logcdf_loc, logcdf_loc_dot),
               (logcdf_scale, logcdf_scale_dot)),
}

# the density and its log as helpers of the rules, with the same rules
for _helper, _method in ((loc_scale_logpdf, "logpdf"), (loc_scale_pdf, "pdf")):
    for _argument, (_vjp, _jvp) in zip(("x", "loc", "scale"), LOCATION_SCALE[_method]):
        vjp_rule(_helper, _argument)(_vjp)
        jvp_rule(_helper, _argument)(_jvp)
    constant(_helper, logpdf_x, "self")

for _distribution in (scipy.stats.norm, scipy.stats.expon, scipy.stats.laplace,
                      scipy.stats.logistic):
    for _method, _templates in LOCATION_SCALE.items():
        _function = _stand_in(_distribution, _method)
        for _argument, (_vjp, _jvp) in zip(("x", "loc", "scale"), _templates):
            vjp_rule(_function, _argument)(_vjp)
            jvp_rule(_function, _argument)(_jvp)
        constant(_function, logpdf_x, "self")


# ---- discrete: poisson.logpmf in mu, binom.logpmf in p (k and loc have no derivative) --


def poisson_mu(g, ans, self, k, mu, loc=0):
    return unbroadcast(g * ((k - loc) / mu - 1.0), mu)


def poisson_mu_dot(mu_dot, ans, self, k, mu, loc=0):
    return mu_dot * ((k - loc) / mu - 1.0)


def binom_p(g, ans, self, k, n, p, loc=0):
    return unbroadcast(g * ((k - loc) / p - (n - (k - loc)) / (1.0 - p)), p)


def binom_p_dot(p_dot, ans, self, k, n, p, loc=0):
    return p_dot * ((k - loc) / p - (n - (k - loc)) / (1.0 - p))


POISSON_LOGPMF = _stand_in(scipy.stats.poisson, "logpmf")
vjp_rule(POISSON_LOGPMF, "mu")(poisson_mu)
jvp_rule(POISSON_LOGPMF, "mu")(poisson_mu_dot)
constant(POISSON_LOGPMF, poisson_mu, "self")
BINOM_LOGPMF = _stand_in(scipy.stats.binom, "logpmf")
vjp_rule(BINOM_LOGPMF, "p")(binom_p)
jvp_rule(BINOM_LOGPMF, "p")(binom_p_dot)
constant(BINOM_LOGPMF, binom_p, "self", "n")


# ---- multivariate_normal.logpdf: with r = x - mean and u = cov^{-1} r (one column per
# point), d/dx = -u, d/dmean = u, d/dcov = (u u^T - cov^{-1}) / 2


def mvn_x(g, ans, self, x, mean=None, cov=1, allow_singular=False):
    return np.reshape(-mT(np.linalg.solve(cov, mT(np.reshape(
        x - mvn_mean(mean, cov), mvn_rows(x, mean, cov))))) * np.reshape(g, (-1, 1)),
        np.shape(x))


def mvn_mean_rule(g, ans, self, x, mean=None, cov=1, allow_singular=False):
    return np.sum(mT(np.linalg.solve(cov, mT(np.reshape(
        x - mvn_mean(mean, cov), mvn_rows(x, mean, cov))))) * np.reshape(g, (-1, 1)), axis=0)


def mvn_cov(g, ans, self, x, mean=None, cov=1, allow_singular=False):
    return 0.5 * ((np.linalg.solve(cov, mT(np.reshape(x - mvn_mean(mean, cov),
                                                      mvn_rows(x, mean, cov))))
                   * np.reshape(g, (1, -1)))
                  @ mT(np.linalg.solve(cov, mT(np.reshape(x - mvn_mean(mean, cov),
                                                          mvn_rows(x, mean, cov)))))
                  - np.sum(g) * np.linalg.inv(cov))


def mvn_x_dot(x_dot, ans, self, x, mean=None, cov=1, allow_singular=False):
    return np.reshape(-np.sum(mT(np.linalg.solve(cov, mT(np.reshape(
        x - mvn_mean(mean, cov), mvn_rows(x, mean, cov))))) * np.reshape(
        x_dot * np.ones_like(x), mvn_rows(x, mean, cov)), axis=-1), np.shape(ans))


def mvn_mean_dot(mean_dot, ans, self, x, mean=None, cov=1, allow_singular=False):
    return np.reshape(np.sum(mT(np.linalg.solve(cov, mT(np.reshape(
        x - mvn_mean(mean, cov), mvn_rows(x, mean, cov))))) * mean_dot, axis=-1),
        np.shape(ans))


def mvn_cov_dot(cov_dot, ans, self, x, mean=None, cov=1, allow_singular=False):
    return np.reshape(
        0.5 * np.sum(np.linalg.solve(cov, mT(np.reshape(x - mvn_mean(mean, cov),
                                                        mvn_rows(x, mean, cov))))
                     * (cov_dot @ np.linalg.solve(cov, mT(np.reshape(
                         x - mvn_mean(mean, cov), mvn_rows(x, mean, cov))))), axis=0)
        - 0.5 * np.trace(np.linalg.solve(cov, cov_dot)), np.shape(ans))


MVN_LOGPDF = _stand_in(scipy.stats.multivariate_normal, "logpdf", "multivariate_normal")
for _argument, _vjp, _jvp in (("x", mvn_x, mvn_x_dot), ("mean", mvn_mean_rule, mvn_mean_dot),
                              ("cov", mvn_cov, mvn_cov_dot)):
    vjp_rule(MVN_LOGPDF, _argument)(_vjp)
    jvp_rule(MVN_LOGPDF, _argument)(_jvp)
constant(MVN_LOGPDF, mvn_x, "self", "allow_singular")


@vjp_rule(mvn_mean, "mean")
def mvn_mean_mean(c, ans, mean, cov):
    return c


linear(mvn_mean, mvn_mean_mean, "mean")
constant(mvn_mean, mvn_mean_mean, "cov")


# ---- logpdf of t, gamma and beta, in x, loc, scale and the shapes: with r = x - loc,
# d/dloc = -d/dx and d/dscale = -(r d/dx + 1) / scale, as for the families above


def t_x(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2), x)


def t_loc(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2), loc)


def t_scale(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * ((df + 1.0) * (x - loc) ** 2 / (df * scale ** 2 + (x - loc) ** 2)
                            - 1.0) / scale, scale)


def t_df(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * (0.5 * digamma((df + 1.0) / 2.0) - 0.5 * digamma(df / 2.0)
                            - 0.5 / df - 0.5 * np.log1p((x - loc) ** 2 / (df * scale ** 2))
                            + (df + 1.0) * (x - loc) ** 2
                            / (2.0 * df * (df * scale ** 2 + (x - loc) ** 2))), df)


def t_x_dot(x_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -x_dot * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)


def t_loc_dot(loc_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return loc_dot * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)


def t_scale_dot(scale_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return scale_dot * ((df + 1.0) * (x - loc) ** 2 / (df * scale ** 2 + (x - loc) ** 2)
                        - 1.0) / scale


def t_df_dot(df_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return df_dot * (0.5 * digamma((df + 1.0) / 2.0) - 0.5 * digamma(df / 2.0) - 0.5 / df
                     - 0.5 * np.log1p((x - loc) ** 2 / (df * scale ** 2))
                     + (df + 1.0) * (x - loc) ** 2
                     / (2.0 * df * (df * scale ** 2 + (x - loc) ** 2)))


def gamma_x(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * ((a - 1.0) / (x - loc) - 1.0 / scale), x)


def gamma_loc(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * ((a - 1.0) / (x - loc) - 1.0 / scale), loc)


def gamma_scale(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * ((x - loc) / scale - a) / scale, scale)


def gamma_a(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * (np.log((x - loc) / scale) - digamma(a)), a)


def gamma_x_dot(x_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return x_dot * ((a - 1.0) / (x - loc) - 1.0 / scale)


def gamma_loc_dot(loc_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -loc_dot * ((a - 1.0) / (x - loc) - 1.0 / scale)


def gamma_scale_dot(scale_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return scale_dot * ((x - loc) / scale - a) / scale


def gamma_a_dot(a_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return a_dot * (np.log((x - loc) / scale) - digamma(a))


def beta_x(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc))), x)


def beta_loc(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc))), loc)


def beta_scale(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * (a - 1.0 + b - 1.0 - (b - 1.0) * scale / (scale - (x - loc)) + 1.0)
                       / scale, scale)


def beta_a(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * (np.log((x - loc) / scale) - digamma(a) + digamma(a + b)), a)


def beta_b(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * (np.log1p(-(x - loc) / scale) - digamma(b) + digamma(a + b)), b)


def beta_x_dot(x_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return x_dot * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc)))


def beta_loc_dot(loc_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -loc_dot * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc)))


def beta_scale_dot(scale_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -scale_dot * (a - 1.0 + b - 1.0 - (b - 1.0) * scale / (scale - (x - loc)) + 1.0) / scale


def beta_a_dot(a_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return a_dot * (np.log((x - loc) / scale) - digamma(a) + digamma(a + b))


def beta_b_dot(b_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return b_dot * (np.log1p(-(x - loc) / scale) - digamma(b) + digamma(a + b))


for _distribution, _rules in (
        (scipy.stats.t, (("x", t_x, t_x_dot), ("df", t_df, t_df_dot), ("loc", t_loc, t_loc_dot),
                         ("scale", t_scale, t_scale_dot))),
        (scipy.stats.gamma, (("x", gamma_x, gamma_x_dot), ("a", gamma_a, gamma_a_dot),
                             ("loc", gamma_loc, gamma_loc_dot),
                             ("scale", gamma_scale, gamma_scale_dot))),
        (scipy.stats.beta, (("x", beta_x, beta_x_dot), ("a", beta_a, beta_a_dot),
                            ("b", beta_b, beta_b_dot), ("loc", beta_loc, beta_loc_dot),
                            ("scale", beta_scale, beta_scale_dot)))):
    _function = _stand_in(_distribution, "logpdf")
    for _argument, _vjp, _jvp in _rules:
        vjp_rule(_function, _argument)(_vjp)
        jvp_rule(_function, _argument)(_jvp)
    constant(_function, _rules[0][1], "self")


# ---- pdf of t, gamma and beta: the density times the logpdf's derivatives ------------


def t_pdf_x(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * ans * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2),
                       x)


def t_pdf_loc(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2),
                       loc)


def t_pdf_scale(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * ((df + 1.0) * (x - loc) ** 2
                                  / (df * scale ** 2 + (x - loc) ** 2) - 1.0) / scale, scale)


def t_pdf_df(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * (0.5 * digamma((df + 1.0) / 2.0) - 0.5 * digamma(df / 2.0)
                                  - 0.5 / df - 0.5 * np.log1p((x - loc) ** 2 / (df * scale ** 2))
                                  + (df + 1.0) * (x - loc) ** 2
                                  / (2.0 * df * (df * scale ** 2 + (x - loc) ** 2))), df)


def t_pdf_x_dot(x_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -x_dot * ans * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)


def t_pdf_loc_dot(loc_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return loc_dot * ans * (df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)


def t_pdf_scale_dot(scale_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return scale_dot * ans * ((df + 1.0) * (x - loc) ** 2 / (df * scale ** 2 + (x - loc) ** 2)
                              - 1.0) / scale


def t_pdf_df_dot(df_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return df_dot * ans * (0.5 * digamma((df + 1.0) / 2.0) - 0.5 * digamma(df / 2.0) - 0.5 / df
                           - 0.5 * np.log1p((x - loc) ** 2 / (df * scale ** 2))
                           + (df + 1.0) * (x - loc) ** 2
                           / (2.0 * df * (df * scale ** 2 + (x - loc) ** 2)))


def gamma_pdf_x(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * ((a - 1.0) / (x - loc) - 1.0 / scale), x)


def gamma_pdf_loc(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * ans * ((a - 1.0) / (x - loc) - 1.0 / scale), loc)


def gamma_pdf_scale(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * ((x - loc) / scale - a) / scale, scale)


def gamma_pdf_a(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * (np.log((x - loc) / scale) - digamma(a)), a)


def gamma_pdf_x_dot(x_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return x_dot * ans * ((a - 1.0) / (x - loc) - 1.0 / scale)


def gamma_pdf_loc_dot(loc_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -loc_dot * ans * ((a - 1.0) / (x - loc) - 1.0 / scale)


def gamma_pdf_scale_dot(scale_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return scale_dot * ans * ((x - loc) / scale - a) / scale


def gamma_pdf_a_dot(a_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return a_dot * ans * (np.log((x - loc) / scale) - digamma(a))


def beta_pdf_x(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc))), x)


def beta_pdf_loc(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * ans * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc))),
                       loc)


def beta_pdf_scale(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * ans * (a - 1.0 + b - (b - 1.0) * scale / (scale - (x - loc)))
                       / scale, scale)


def beta_pdf_a(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * (np.log((x - loc) / scale) - digamma(a) + digamma(a + b)), a)


def beta_pdf_b(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * ans * (np.log1p(-(x - loc) / scale) - digamma(b)
                                  + digamma(a + b)), b)


def beta_pdf_x_dot(x_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return x_dot * ans * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc)))


def beta_pdf_loc_dot(loc_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -loc_dot * ans * ((a - 1.0) / (x - loc) - (b - 1.0) / (scale - (x - loc)))


def beta_pdf_scale_dot(scale_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -scale_dot * ans * (a - 1.0 + b - (b - 1.0) * scale / (scale - (x - loc))) / scale


def beta_pdf_a_dot(a_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return a_dot * ans * (np.log((x - loc) / scale) - digamma(a) + digamma(a + b))


def beta_pdf_b_dot(b_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return b_dot * ans * (np.log1p(-(x - loc) / scale) - digamma(b) + digamma(a + b))


for _distribution, _rules in (
        (scipy.stats.t, (("x", t_pdf_x, t_pdf_x_dot), ("df", t_pdf_df, t_pdf_df_dot),
                         ("loc", t_pdf_loc, t_pdf_loc_dot),
                         ("scale", t_pdf_scale, t_pdf_scale_dot))),
        (scipy.stats.gamma, (("x", gamma_pdf_x, gamma_pdf_x_dot),
                             ("a", gamma_pdf_a, gamma_pdf_a_dot),
                             ("loc", gamma_pdf_loc, gamma_pdf_loc_dot),
                             ("scale", gamma_pdf_scale, gamma_pdf_scale_dot))),
        (scipy.stats.beta, (("x", beta_pdf_x, beta_pdf_x_dot), ("a", beta_pdf_a, beta_pdf_a_dot),
                            ("b", beta_pdf_b, beta_pdf_b_dot),
                            ("loc", beta_pdf_loc, beta_pdf_loc_dot),
                            ("scale", beta_pdf_scale, beta_pdf_scale_dot)))):
    _function = _stand_in(_distribution, "pdf")
    for _argument, _vjp, _jvp in _rules:
        vjp_rule(_function, _argument)(_vjp)
        jvp_rule(_function, _argument)(_jvp)
    constant(_function, _rules[0][1], "self")


# ---- cdf, sf and logcdf of t, gamma and beta in x, loc and scale (their shapes have no
# rule: SciPy has no function for those derivatives); S the derivative in x, as above


def t_cdf_x(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * scipy.stats.t.pdf(x, df, loc, scale), x)


def t_cdf_loc(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * scipy.stats.t.pdf(x, df, loc, scale), loc)


def t_cdf_scale(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * scipy.stats.t.pdf(x, df, loc, scale) * (x - loc) / scale, scale)


def t_cdf_x_dot(x_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return x_dot * scipy.stats.t.pdf(x, df, loc, scale)


def t_cdf_loc_dot(loc_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -loc_dot * scipy.stats.t.pdf(x, df, loc, scale)


def t_cdf_scale_dot(scale_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -scale_dot * scipy.stats.t.pdf(x, df, loc, scale) * (x - loc) / scale


def t_sf_x(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * -scipy.stats.t.pdf(x, df, loc, scale), x)


def t_sf_loc(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * -scipy.stats.t.pdf(x, df, loc, scale), loc)


def t_sf_scale(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * -scipy.stats.t.pdf(x, df, loc, scale) * (x - loc) / scale, scale)


def t_sf_x_dot(x_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return x_dot * -scipy.stats.t.pdf(x, df, loc, scale)


def t_sf_loc_dot(loc_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -loc_dot * -scipy.stats.t.pdf(x, df, loc, scale)


def t_sf_scale_dot(scale_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -scale_dot * -scipy.stats.t.pdf(x, df, loc, scale) * (x - loc) / scale


def t_logcdf_x(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(g * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans), x)


def t_logcdf_loc(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans), loc)


def t_logcdf_scale(g, ans, self, x, df, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans) * (x - loc)
                       / scale, scale)


def t_logcdf_x_dot(x_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return x_dot * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans)


def t_logcdf_loc_dot(loc_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -loc_dot * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans)


def t_logcdf_scale_dot(scale_dot, ans, self, x, df, loc=0.0, scale=1.0):
    return -scale_dot * np.exp(scipy.stats.t.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale


def gamma_cdf_x(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * scipy.stats.gamma.pdf(x, a, loc, scale), x)


def gamma_cdf_loc(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * scipy.stats.gamma.pdf(x, a, loc, scale), loc)


def gamma_cdf_scale(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * scipy.stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale, scale)


def gamma_cdf_x_dot(x_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return x_dot * scipy.stats.gamma.pdf(x, a, loc, scale)


def gamma_cdf_loc_dot(loc_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -loc_dot * scipy.stats.gamma.pdf(x, a, loc, scale)


def gamma_cdf_scale_dot(scale_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -scale_dot * scipy.stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale


def gamma_sf_x(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * -scipy.stats.gamma.pdf(x, a, loc, scale), x)


def gamma_sf_loc(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * -scipy.stats.gamma.pdf(x, a, loc, scale), loc)


def gamma_sf_scale(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * -scipy.stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale, scale)


def gamma_sf_x_dot(x_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return x_dot * -scipy.stats.gamma.pdf(x, a, loc, scale)


def gamma_sf_loc_dot(loc_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -loc_dot * -scipy.stats.gamma.pdf(x, a, loc, scale)


def gamma_sf_scale_dot(scale_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -scale_dot * -scipy.stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale


def gamma_logcdf_x(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(g * np.exp(scipy.stats.gamma.logpdf(x, a, loc, scale) - ans), x)


def gamma_logcdf_loc(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(scipy.stats.gamma.logpdf(x, a, loc, scale) - ans), loc)


def gamma_logcdf_scale(g, ans, self, x, a, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(scipy.stats.gamma.logpdf(x, a, loc, scale) - ans) * (x - loc)
                       / scale, scale)


def gamma_logcdf_x_dot(x_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return x_dot * np.exp(scipy.stats.gamma.logpdf(x, a, loc, scale) - ans)


def gamma_logcdf_loc_dot(loc_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -loc_dot * np.exp(scipy.stats.gamma.logpdf(x, a, loc, scale) - ans)


def gamma_logcdf_scale_dot(scale_dot, ans, self, x, a, loc=0.0, scale=1.0):
    return -scale_dot * np.exp(scipy.stats.gamma.logpdf(x, a, loc, scale) - ans) * (x - loc) / scale


def beta_cdf_x(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * scipy.stats.beta.pdf(x, a, b, loc, scale), x)


def beta_cdf_loc(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * scipy.stats.beta.pdf(x, a, b, loc, scale), loc)


def beta_cdf_scale(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * scipy.stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale, scale)


def beta_cdf_x_dot(x_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return x_dot * scipy.stats.beta.pdf(x, a, b, loc, scale)


def beta_cdf_loc_dot(loc_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -loc_dot * scipy.stats.beta.pdf(x, a, b, loc, scale)


def beta_cdf_scale_dot(scale_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -scale_dot * scipy.stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale


def beta_sf_x(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * -scipy.stats.beta.pdf(x, a, b, loc, scale), x)


def beta_sf_loc(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * -scipy.stats.beta.pdf(x, a, b, loc, scale), loc)


def beta_sf_scale(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * -scipy.stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale, scale)


def beta_sf_x_dot(x_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return x_dot * -scipy.stats.beta.pdf(x, a, b, loc, scale)


def beta_sf_loc_dot(loc_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -loc_dot * -scipy.stats.beta.pdf(x, a, b, loc, scale)


def beta_sf_scale_dot(scale_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -scale_dot * -scipy.stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale


def beta_logcdf_x(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(g * np.exp(scipy.stats.beta.logpdf(x, a, b, loc, scale) - ans), x)


def beta_logcdf_loc(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(scipy.stats.beta.logpdf(x, a, b, loc, scale) - ans), loc)


def beta_logcdf_scale(g, ans, self, x, a, b, loc=0.0, scale=1.0):
    return unbroadcast(-g * np.exp(scipy.stats.beta.logpdf(x, a, b, loc, scale) - ans) * (x - loc)
                       / scale, scale)


def beta_logcdf_x_dot(x_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return x_dot * np.exp(scipy.stats.beta.logpdf(x, a, b, loc, scale) - ans)


def beta_logcdf_loc_dot(loc_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return -loc_dot * np.exp(scipy.stats.beta.logpdf(x, a, b, loc, scale) - ans)


def beta_logcdf_scale_dot(scale_dot, ans, self, x, a, b, loc=0.0, scale=1.0):
    return (-scale_dot * np.exp(scipy.stats.beta.logpdf(x, a, b, loc, scale) - ans) * (x - loc)
            / scale)


for _distribution in (scipy.stats.t, scipy.stats.gamma, scipy.stats.beta):
    for _method in ("cdf", "sf", "logcdf"):
        _function = _stand_in(_distribution, _method)
        for _argument in ("x", "loc", "scale"):
            _vjp = globals()[f"{_distribution.name}_{_method}_{_argument}"]
            vjp_rule(_function, _argument)(_vjp)
            jvp_rule(_function, _argument)(globals()[f"{_distribution.name}_{_method}_"
                                                     f"{_argument}_dot"])
        constant(_function, _vjp, "self")
