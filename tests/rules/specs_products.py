"""Spec rows for products."""

import numpy as np

from tests.rules.harness import Fixed, Seq, Spec

SPECS = [
    # dot: scalars, 1-D, 2-D and N-D combinations
    Spec(np.dot, ((3,), (3,))),
    Spec(np.dot, ((2, 3), (3,))),
    Spec(np.dot, ((3,), (3, 4))),
    Spec(np.dot, ((2, 3), (3, 4))),
    Spec(np.dot, ((2, 2, 3), (3, 4))),
    Spec(np.dot, ((2, 3), (2, 3, 4))),
    Spec(np.dot, ((2, 2, 3), (5, 3, 2))),
    Spec(np.dot, ((2, 3), (3,))),
    Spec(np.dot, ((), (3, 2))),
    Spec(np.dot, ((2, 3), ())),
    Spec(np.dot, ((), ())),
    # vdot, inner, outer
    Spec(np.vdot, ((4,), (4,))),
    Spec(np.vdot, ((2, 3), (3, 2))),
    Spec(np.inner, ((3,), (3,))),
    Spec(np.inner, ((2, 3), (3,))),
    Spec(np.inner, ((2, 3), (4, 3))),
    Spec(np.inner, ((2, 2, 3), (4, 3))),
    Spec(np.inner, ((), (2, 3))),
    Spec(np.outer, ((3,), (4,))),
    Spec(np.outer, ((2, 2), (3,))),
    Spec(np.outer, ((), (3,))),
    # matmul: 1-D promotion and batch broadcasting
    Spec(np.matmul, ((2, 3), (3, 4))),
    Spec(np.matmul, ((3,), (3, 4))),
    Spec(np.matmul, ((2, 3), (3,))),
    Spec(np.matmul, ((3,), (3,))),
    Spec(np.matmul, ((5, 2, 3), (3, 4))),
    Spec(np.matmul, ((2, 3), (5, 3, 4))),
    Spec(np.matmul, ((2, 1, 2, 3), (4, 3, 2))),
    Spec(np.matmul, ((3,), (5, 3, 2))),
    Spec(np.matmul, ((5, 2, 3), (3,))),
    # tensordot
    Spec(np.tensordot, ((2, 3, 4), (3, 4, 5))),
    Spec(np.tensordot, ((2, 3), (3, 4), Fixed(1))),
    Spec(np.tensordot, ((2, 3), (4, 5), Fixed(0))),
    Spec(np.tensordot, ((2, 3, 4), (4, 3, 5), Fixed(([1, 2], [1, 0])))),
    Spec(np.tensordot, ((2, 3, 4), (4, 2), Fixed(([0, -1], [1, 0])))),
    Spec(np.tensordot, ((2, 3, 4), (5, 3), Fixed((1, 1)))),
    Spec(np.tensordot, ((3, 2), (3, 2), Fixed(2))),
    # einsum
    Spec(np.einsum, (Fixed("ij,jk->ik"), (2, 3), (3, 4))),
    Spec(np.einsum, (Fixed("ij,jk"), (2, 3), (3, 4))),
    Spec(np.einsum, (Fixed("ij,kj->"), (2, 3), (4, 3))),
    Spec(np.einsum, (Fixed("i,i"), (3,), (3,))),
    Spec(np.einsum, (Fixed("i,j->ij"), (3,), (2,))),
    Spec(np.einsum, (Fixed("ij->ji"), (2, 3))),
    Spec(np.einsum, (Fixed("ij->j"), (2, 3))),
    Spec(np.einsum, (Fixed("ij"), (2, 3))),
    Spec(np.einsum, (Fixed("ji"), (2, 3))),
    Spec(np.einsum, (Fixed("ii->i"), (3, 3))),
    Spec(np.einsum, (Fixed("ii"), (3, 3))),
    Spec(np.einsum, (Fixed("iij->ji"), (3, 3, 2))),
    Spec(np.einsum, (Fixed("iji->j"), (3, 2, 3))),
    Spec(np.einsum, (Fixed("ii,i->i"), (3, 3), (3,))),
    Spec(np.einsum, (Fixed("bij,bjk->bik"), (2, 2, 3), (2, 3, 4))),
    Spec(np.einsum, (Fixed("...ij,...jk->...ik"), (2, 2, 3), (3, 4))),
    Spec(np.einsum, (Fixed("...i,...i"), (2, 3), (5, 1, 3))),
    Spec(np.einsum, (Fixed("i...->..."), (2, 3, 4))),
    Spec(np.einsum, (Fixed("ij,jk,kl->il"), (2, 3), (3, 4), (4, 2))),
    Spec(np.einsum, (Fixed("ij,jk,kl->il"), (2, 3), (3, 4), (4, 2)), {"optimize": True}),
    Spec(np.einsum, (Fixed("i,i,i->"), (3,), (3,), (3,))),
    Spec(np.einsum, (Fixed("ij,ij->ij"), (1, 3), (2, 3))),
    Spec(np.einsum, (Fixed(" ij , jk -> ki "), (2, 3), (3, 4))),
    Spec(np.einsum, (Fixed("ijk,jil->kl"), (3, 2, 4), (2, 3, 2))),
    # kron
    Spec(np.kron, ((2,), (3,))),
    Spec(np.kron, ((2, 3), (2, 2))),
    Spec(np.kron, ((2,), (3, 2))),
    Spec(np.kron, ((2, 2, 1), (3,))),
    Spec(np.kron, ((), (3,))),
    # cross (3-vectors)
    Spec(np.cross, ((3,), (3,))),
    Spec(np.cross, ((4, 3), (4, 3))),
    Spec(np.cross, ((4, 3), (3,))),
    Spec(np.cross, ((2, 1, 3), (4, 3))),
    Spec(np.cross, ((3, 4), (4, 3)), {"axisa": 0}),
    Spec(np.cross, ((3, 4), (3, 4)), {"axisa": 0, "axisb": 0, "axisc": 0}),
    Spec(np.cross, ((2, 3, 4), (2, 3, 4)), {"axis": 1}),
]

# ---- the outer product's adjoints, differentiated again for second derivatives ---------
from s2sad.runtime.products import outer_adjoint_a, outer_adjoint_b  # noqa: E402

SPECS += [
    Spec(outer_adjoint_a, ((3, 4), Fixed(np.zeros(3)), (4,)), wrt=(0, 2)),
    Spec(outer_adjoint_a, ((4, 3), Fixed(np.zeros((2, 2))), (3,)), wrt=(0, 2)),
    Spec(outer_adjoint_b, ((3, 4), (3,), Fixed(np.zeros(4))), wrt=(0, 1)),
    Spec(outer_adjoint_b, ((3, 2), (3,), Fixed(np.zeros((2, 1)))), wrt=(0, 1)),
    Spec(outer_adjoint_a, ((3, 4), Fixed(np.zeros(3)), (4,)), wrt=(0, 2), domain="complex"),
    Spec(outer_adjoint_b, ((3, 4), (3,), Fixed(np.zeros(4))), wrt=(0, 1), domain="complex"),
]

from s2sad.runtime.products import (  # noqa: E402
    cross_adjoint_a,
    cross_adjoint_b,
    kron_adjoint_a,
    kron_adjoint_b,
    tensordot_adjoint_a,
    tensordot_adjoint_b,
)

SPECS += [
    Spec(tensordot_adjoint_a, ((2, 4), Fixed(np.zeros((2, 3))), (3, 4), Fixed(1)),
         wrt=(0, 2)),
    Spec(tensordot_adjoint_a, ((2,), Fixed(np.zeros((2, 3, 4))), (4, 3),
                               Fixed(([1, 2], [1, 0]))), wrt=(0, 2)),
    Spec(tensordot_adjoint_b, ((2, 4), (2, 3), Fixed(np.zeros((3, 4))), Fixed(1)),
         wrt=(0, 1)),
    Spec(tensordot_adjoint_b, ((2,), (2, 3, 4), Fixed(np.zeros((4, 3))),
                               Fixed(([1, 2], [1, 0]))), wrt=(0, 1)),
    Spec(kron_adjoint_a, ((6,), Fixed(np.zeros(2)), (3,)), wrt=(0, 2)),
    Spec(kron_adjoint_a, ((6, 4), Fixed(np.zeros((2, 2))), (3, 2)), wrt=(0, 2)),
    Spec(kron_adjoint_b, ((6, 4), (2, 2), Fixed(np.zeros((3, 2)))), wrt=(0, 1)),
    Spec(cross_adjoint_a, ((4, 3), Fixed(np.zeros((4, 3))), (4, 3)), wrt=(0, 2)),
    Spec(cross_adjoint_a, ((2, 3, 4), Fixed(np.zeros((2, 3, 4))), (2, 3, 4)),
         {"axis": 1}, wrt=(0, 2)),
    Spec(cross_adjoint_b, ((4, 3), (4, 3), Fixed(np.zeros((4, 3)))), wrt=(0, 1)),
    Spec(cross_adjoint_b, ((2, 4, 3), (4, 3), Fixed(np.zeros((2, 1, 3)))), wrt=(0, 1)),
]

from s2sad.runtime.products import einsum_adjoints, einsum_tangent  # noqa: E402

SPECS += [
    Spec(einsum_adjoints, ((2, 4), Fixed("ij,jk->ik"), Seq(((2, 3), (3, 4)))), wrt=(0, 2)),
    Spec(einsum_adjoints, ((), Fixed("i,i"), Seq(((3,), (3,)))), wrt=(0, 2)),
    Spec(einsum_adjoints, ((3,), Fixed("ij,j,jk->i"), Seq(((3, 2), (2,), (2, 4)))),
         wrt=(0, 2)),
    Spec(einsum_tangent, (Seq(((2, 3), (3, 4))), Fixed(np.zeros((2, 4))), Fixed("ij,jk->ik"),
                          Seq(((2, 3), (3, 4)))), wrt=(0, 3)),
    Spec(einsum_tangent, (Seq(((3, 2), (2,), (2, 4))), Fixed(np.zeros(3)), Fixed("ij,j,jk->i"),
                          Seq(((3, 2), (2,), (2, 4)))), wrt=(0, 3)),
]

# ---- convolve, in each mode, and its adjoint differentiated again --------------------
from s2sad.runtime.products import convolve_adjoint  # noqa: E402

SPECS += [
    *[Spec(np.convolve, ((n,), (m,)), {"mode": mode})
      for n, m in ((5, 3), (3, 5), (4, 4), (6, 1)) for mode in ("full", "same", "valid")],
    Spec(np.convolve, ((5,), (2,), Fixed("same"))),
    Spec(np.convolve, ((5,), (3,), Fixed(0)), id="convolve_mode_number"),
    Spec(convolve_adjoint, ((7,), Fixed(np.zeros(5)), (3,)), wrt=(0, 2)),
    Spec(convolve_adjoint, ((5,), Fixed(np.zeros(3)), (5,), Fixed("same")), wrt=(0, 2)),
    Spec(convolve_adjoint, ((2,), Fixed(np.zeros(4)), (3,), Fixed("valid")), wrt=(0, 2)),
]

# ---- correlate (each mode, either operand the longer; complex too) and polyval ---------

SPECS += [
    Spec(np.correlate, ((5,), (3,))),
    Spec(np.correlate, ((2,), (5,), Fixed("same"))),
    Spec(np.correlate, ((4,), (6,), Fixed("same"))),
    Spec(np.correlate, ((5,), (2,)), {"mode": "same"}),
    Spec(np.correlate, ((3,), (4,), Fixed("full"))),
    Spec(np.correlate, ((3,), (5,), Fixed("valid"))),
    Spec(np.correlate, ((4,), (3,), Fixed("same")), domain="complex"),
    Spec(np.correlate, ((2,), (4,), Fixed("full")), domain="complex"),
    Spec(np.polyval, ((4,), (5,))),
    Spec(np.polyval, ((1,), (3,))),
    Spec(np.polyval, ((3,), ())),
    Spec(np.polyval, ((5,), (2, 3))),
    Spec(np.polyval, ((3,), (4,)), domain="complex"),
]
