"""Run-time helpers for the derivatives of ``scipy.stats`` distributions: the score of a
location-scale family, and the checks of the options the rules cover.

A location-scale family's log density is ``f0((x - loc) / scale) - log(scale)``; its
score ``d/dx`` is ``f0'(z) / scale``, and ``d score / dx = a score^2 + b / scale^2`` with
constants ``a, b`` of the family (:func:`score_terms`), so the score's rules are written
with the score itself and differentiate again to any order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from s2sad.runtime.located import located

#: (a, b) with d score / dx = a score^2 + b / scale^2, by the family's name
_SCORE_TERMS = {"norm": (0.0, -1.0), "expon": (0.0, 0.0), "laplace": (0.0, 0.0),
                "logistic": (0.5, -0.5)}


def loc_scale_score(self: Any, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    """``d/dx self.logpdf(x, loc, scale)`` for the location-scale families s2sad knows.

    >>> import scipy.stats
    >>> float(loc_scale_score(scipy.stats.norm, 1.0, 0.5, 2.0))
    -0.125
    """
    name = family(self)
    if name == "norm":
        return -(x - loc) / scale ** 2
    if name == "expon":
        return np.where(np.asarray(x) >= loc, -1.0 / np.asarray(scale), 0.0)
    if name == "laplace":
        return -np.sign(x - loc) / scale
    return -np.tanh((x - loc) / (2.0 * scale)) / scale


def score_terms(self: Any) -> tuple[float, float]:
    """The family's ``(a, b)``: ``d score / dx = a score^2 + b / scale^2``."""
    return _SCORE_TERMS[family(self)]


def family(self: Any) -> str:
    """The name of the distribution ``self`` (``'norm'``), one s2sad has rules for."""
    name = getattr(self, "name", None)
    if name not in _SCORE_TERMS:
        raise NotImplementedError(located(f"s2sad: no derivative for scipy.stats.{name}"))
    return name


def mvn_rows(x: Any, mean: Any = None, cov: Any = 1, allow_singular: bool = False) -> tuple:
    """The shape ``(-1, d)`` that lays ``multivariate_normal.logpdf``'s ``x`` out as rows of
    points; a full covariance matrix only.

    >>> mvn_rows(np.zeros((5, 3)), np.zeros(3), np.eye(3))
    (-1, 3)
    """
    if np.ndim(cov) != 2:
        raise NotImplementedError(located(
            "s2sad: scipy.stats.multivariate_normal.logpdf has a derivative for a full "
            "covariance matrix only; pass cov as a 2-D array (np.eye(d) * s for a scalar)"))
    return -1, np.shape(cov)[-1]


def mvn_mean(mean: Any, cov: Any) -> Any:
    """``multivariate_normal``'s ``mean``: zeros for None."""
    return np.zeros(np.shape(cov)[-1]) if mean is None else mean


def loc_scale_pdf(self: Any, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    """``self.pdf(x, loc, scale)``, with rules of its own (a method of a distribution
    passed in a variable would be found only when called)."""
    return self.pdf(x, loc, scale)


def loc_scale_logpdf(self: Any, x: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    """``self.logpdf(x, loc, scale)``, with rules of its own."""
    return self.logpdf(x, loc, scale)
