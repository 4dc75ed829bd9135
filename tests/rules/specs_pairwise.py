"""Spec rows for the fused pairwise squared distances and the helpers of their rules."""

import numpy as np

from s2sad.runtime.pairwise import (
    pairwise_sq_distances,
    pairwise_sq_distances_adjoint,
    pairwise_sq_distances_tangent,
    self_sq_distances,
    self_sq_distances_adjoint,
    self_sq_distances_tangent,
    swap_pairs,
)
from tests.rules.harness import Fixed, Spec

_rng = np.random.default_rng(12)


def _complex(*shape):
    return Fixed(_rng.standard_normal(shape) + 1j * _rng.standard_normal(shape))


SPECS = [
    # two real matrices (the fast paths), one column, and the expression as written:
    # points with more axes, a broadcast coordinate axis, complex points
    Spec(pairwise_sq_distances, ((4, 3), (5, 3))),
    Spec(pairwise_sq_distances, ((4, 1), (2, 1))),
    Spec(pairwise_sq_distances, ((4, 9), (3, 9))),
    Spec(pairwise_sq_distances, ((4, 2, 3), (5, 2, 3))),
    Spec(pairwise_sq_distances, ((4, 1), (5, 3))),
    Spec(pairwise_sq_distances, (_complex(4, 3), _complex(5, 3)), id="pairwise_complex"),
    Spec(self_sq_distances, ((5, 3),)),
    Spec(self_sq_distances, ((4, 2, 3),)),
    Spec(self_sq_distances, (_complex(4, 2),), id="self_complex"),
    Spec(swap_pairs, ((3, 4),)),
    Spec(swap_pairs, ((3, 4, 2),)),
    # the helpers are differentiated again for second derivatives
    Spec(pairwise_sq_distances_adjoint, ((4, 5), (4, 3), (5, 3))),
    Spec(pairwise_sq_distances_adjoint, ((4, 5, 2), (4, 2, 3), (5, 2, 3))),
    Spec(pairwise_sq_distances_adjoint, (_complex(4, 5), _complex(4, 3), _complex(5, 3)),
         id="adjoint_complex"),
    Spec(self_sq_distances_adjoint, ((4, 4), (4, 3))),
    Spec(self_sq_distances_adjoint, ((4, 4, 2), (4, 2, 3))),
    Spec(self_sq_distances_adjoint, (_complex(4, 4), _complex(4, 3)), id="self_adjoint_complex"),
    Spec(self_sq_distances_adjoint, (_complex(4, 4), (4, 3)), id="self_adjoint_complex_g"),
    Spec(pairwise_sq_distances_tangent, ((4, 3), (4, 3), (5, 3))),
    Spec(pairwise_sq_distances_tangent, ((4, 2, 3), (4, 2, 3), (5, 2, 3))),
    Spec(pairwise_sq_distances_tangent, (_complex(4, 3), _complex(4, 3), _complex(5, 3)),
         id="tangent_complex"),
    Spec(self_sq_distances_tangent, ((4, 3), (4, 3))),
    Spec(self_sq_distances_tangent, ((4, 2, 3), (4, 2, 3))),
    Spec(self_sq_distances_tangent, (_complex(4, 3), _complex(4, 3)), id="self_tangent_complex"),
]
