"""Rules for least squares and the pseudo-inverse: ``lstsq``, ``pinv``."""

import numpy as np

from s2sad.rules.registry import (
    jvp_rule,
    vjp_rule,
)
from s2sad.runtime.linalg import (
    col,
    mT,
    sym_if,
    uncol,
    zero_if_none,
)
from s2sad.runtime.linalg_inverses import rank_pinv

# lstsq returns (x, residuals, rank, s): x, the residuals and s are differentiated, the
# rank is constant. With P = rank_pinv(A, rank) (constant rank) and r = b - A x:
# dx = -P dA x + P P^T dA^T r + (I - P A) dA^T P^T x + P db,
# d residuals = -2 r^T dA x + 2 r^T db column by column (empty when lstsq gives none),
# ds as svd's singular values'.


@vjp_rule(np.linalg.lstsq, "a")
def lstsq_a(g, ans, a, b, rcond=None):
    return (-(mT(rank_pinv(a, ans[2])) @ col(zero_if_none(g[0], ans[0]), b)) @ mT(col(ans[0], b))
            + (col(b, b) - a @ col(ans[0], b))
            @ mT(rank_pinv(a, ans[2]) @ (mT(rank_pinv(a, ans[2]))
                                         @ col(zero_if_none(g[0], ans[0]), b)))
            + (mT(rank_pinv(a, ans[2])) @ col(ans[0], b))
            @ mT(col(zero_if_none(g[0], ans[0]), b)
                 - rank_pinv(a, ans[2]) @ (a @ col(zero_if_none(g[0], ans[0]), b)))
            - (2 * ((col(b, b) - a @ col(ans[0], b)) * zero_if_none(g[1], ans[1]))
               @ mT(col(ans[0], b)) if np.size(ans[1]) else 0.0)
            + (np.linalg.svd(a, full_matrices=False)[0]
               * np.expand_dims(zero_if_none(g[3], ans[3]), -2))
            @ np.linalg.svd(a, full_matrices=False)[2])


@vjp_rule(np.linalg.lstsq, "b")
def lstsq_b(g, ans, a, b, rcond=None):
    return uncol(mT(rank_pinv(a, ans[2])) @ col(zero_if_none(g[0], ans[0]), b)
                 + (2 * (col(b, b) - a @ col(ans[0], b)) * zero_if_none(g[1], ans[1])
                    if np.size(ans[1]) else 0.0), b)


@jvp_rule(np.linalg.lstsq, "a")
def lstsq_a_dot(a_dot, ans, a, b, rcond=None):
    return (uncol(-rank_pinv(a, ans[2]) @ (a_dot @ col(ans[0], b))
                  + rank_pinv(a, ans[2]) @ (mT(rank_pinv(a, ans[2]))
                                            @ (mT(a_dot) @ (col(b, b) - a @ col(ans[0], b))))
                  + mT(a_dot) @ (mT(rank_pinv(a, ans[2])) @ col(ans[0], b))
                  - rank_pinv(a, ans[2])
                  @ (a @ (mT(a_dot) @ (mT(rank_pinv(a, ans[2])) @ col(ans[0], b)))), b),
            (-2 * np.sum((col(b, b) - a @ col(ans[0], b)) * (a_dot @ col(ans[0], b)), axis=0)
             if np.size(ans[1]) else np.zeros_like(ans[1])),
            0.0,
            np.sum(np.linalg.svd(a, full_matrices=False)[0]
                   * (a_dot @ mT(np.linalg.svd(a, full_matrices=False)[2])), axis=-2))


@jvp_rule(np.linalg.lstsq, "b")
def lstsq_b_dot(b_dot, ans, a, b, rcond=None):
    return (uncol(rank_pinv(a, ans[2]) @ col(b_dot, b), b),
            (2 * np.sum((col(b, b) - a @ col(ans[0], b)) * col(b_dot, b), axis=0)
             if np.size(ans[1]) else np.zeros_like(ans[1])),
            0.0,
            np.zeros_like(ans[3]))


# P = pinv(A), at constant rank: dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P,
# A_bar = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A) (symmetrized for hermitian)
@vjp_rule(np.linalg.pinv)
def pinv_a(g, ans, a, rcond=None, hermitian=False):
    return sym_if(-mT(ans) @ g @ mT(ans)
                  + (mT(g) - a @ (ans @ mT(g))) @ (ans @ mT(ans))
                  + (mT(ans) @ ans) @ (mT(g) - (mT(g) @ ans) @ a), hermitian)


@jvp_rule(np.linalg.pinv)
def pinv_a_dot(a_dot, ans, a, rcond=None, hermitian=False):
    return (-ans @ sym_if(a_dot, hermitian) @ ans
            + (ans @ mT(ans)) @ (mT(sym_if(a_dot, hermitian))
                                 - (mT(sym_if(a_dot, hermitian)) @ a) @ ans)
            + (mT(sym_if(a_dot, hermitian)) - (ans @ a) @ mT(sym_if(a_dot, hermitian)))
            @ (mT(ans) @ ans))
