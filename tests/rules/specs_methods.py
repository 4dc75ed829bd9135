"""Spec rows for ndarray methods (called unbound: ``np.ndarray.sum(x, axis=0)``)."""

import numpy as np

from tests.rules.harness import Fixed, Spec

A = np.ndarray
SHAPE = (3, 4, 2)
AXES = [
    {},
    {"axis": 0},
    {"axis": -1},
    {"axis": (0, 2)},
    {"axis": None, "keepdims": True},
    {"axis": 1, "keepdims": True},
    {"axis": (-1, 1), "keepdims": True},
]
MASK = np.array([[True, False, True, True], [True, True, False, True], [False, True, True, True]])


def over_axes(method, domain="real", shape=SHAPE):
    return [Spec(method, (shape,), kw, domain=domain) for kw in AXES]


def named(specs):
    """The rows with ids naming the method, so that ``x.sum`` reads apart from ``np.sum``."""
    for spec in specs:
        spec.id = spec.id or f"ndarray.{spec.fn.__name__}"
    return specs


SPECS = named([
    # reductions
    *over_axes(A.sum),
    Spec(A.sum, ((3, 4),), {"axis": 1, "where": MASK}),
    Spec(A.sum, ((3, 4),), {"initial": 1.5}),
    *over_axes(A.mean),
    Spec(A.mean, ((3, 4),), {"axis": 0, "where": MASK}),
    *over_axes(A.max, "distinct"),
    *over_axes(A.min, "distinct"),
    Spec(A.max, ((3, 4),), {"axis": 1, "initial": 3.0}, domain="distinct"),
    Spec(A.min, ((3, 4),), {"axis": 0, "where": MASK, "initial": 100.0}, domain="distinct"),
    *over_axes(A.prod, shape=(2, 3, 2)),
    Spec(A.prod, ((3, 4),), {"axis": 1, "initial": 2.0}),
    *over_axes(A.var),
    *over_axes(A.std),
    Spec(A.var, ((3, 4),), {"axis": 1, "ddof": 1}),
    Spec(A.std, ((3, 4),), {"axis": 0, "ddof": 1, "where": MASK}),
    Spec(A.cumsum, ((3, 4),)),
    Spec(A.cumsum, ((3, 4),), {"axis": 1}),
    Spec(A.cumsum, ((3, 4),), {"axis": -2}),
    Spec(A.cumprod, ((3, 4),)),
    Spec(A.cumprod, ((3, 4),), {"axis": 0}),
    Spec(A.trace, ((3, 3),)),
    Spec(A.trace, ((3, 4, 2),), {"offset": 1, "axis1": 1, "axis2": 0}),
    # products
    Spec(A.dot, ((2, 3), (3, 4))),
    Spec(A.dot, ((3,), (3,))),
    Spec(A.dot, ((2, 3), (3,))),
    Spec(A.dot, ((2, 2, 3), (4, 3, 2))),
    # shapes
    Spec(A.reshape, ((3, 4), Fixed(2), Fixed(6))),
    Spec(A.reshape, ((3, 4), Fixed((2, 6)))),
    Spec(A.reshape, ((3, 4), Fixed(-1))),
    Spec(A.reshape, ((3, 4), Fixed((4, 3))), {"order": "F"}),
    Spec(A.reshape, ((3, 4), Fixed(2), Fixed(2), Fixed(3)), {"order": "A"}),
    Spec(A.transpose, ((3, 4),)),
    Spec(A.transpose, ((2, 3, 4),)),
    Spec(A.transpose, ((2, 3, 4), Fixed(1), Fixed(2), Fixed(0))),
    Spec(A.transpose, ((2, 3, 4), Fixed((2, 0, 1)))),
    Spec(A.transpose, ((2, 3, 4), Fixed([-1, 0, 1]))),
    Spec(A.transpose, ((2, 3), Fixed(None))),
    Spec(A.swapaxes, ((2, 3, 4), Fixed(0), Fixed(2))),
    Spec(A.swapaxes, ((2, 3, 4), Fixed(-1), Fixed(-2))),
    Spec(A.squeeze, ((3, 1, 4),)),
    Spec(A.squeeze, ((1, 3, 1),), {"axis": 0}),
    Spec(A.squeeze, ((1, 3, 1),), {"axis": (0, -1)}),
    Spec(A.ravel, ((3, 4),)),
    Spec(A.ravel, ((3, 4),), {"order": "F"}),
    Spec(A.ravel, ((2, 3, 2),), {"order": "K"}),
    Spec(A.flatten, ((3, 4),)),
    Spec(A.flatten, ((3, 4),), {"order": "F"}),
    Spec(A.copy, ((3, 4),)),
    Spec(A.copy, ((3, 4),), {"order": "F"}),
    Spec(A.astype, ((3, 4), Fixed(np.float64))),
    Spec(A.astype, ((3, 4), Fixed(np.float32)), rtol=1e-3, atol=1e-3, eps=1e-3),
    Spec(A.astype, ((3, 4), Fixed(np.complex128))),
    Spec(A.conj, ((3, 4),)),
    Spec(A.conjugate, ((3,),)),
    # selection
    Spec(A.diagonal, ((3, 4),)),
    Spec(A.diagonal, ((3, 4),), {"offset": -1}),
    Spec(A.diagonal, ((2, 3, 3),), {"axis1": 1, "axis2": 2}),
    Spec(A.take, ((3, 4), Fixed([0, 2, 2]))),
    Spec(A.take, ((3, 4), Fixed([1, 1]), Fixed(1))),
    Spec(A.repeat, ((3, 2), Fixed(2))),
    Spec(A.repeat, ((3, 2), Fixed([1, 3]), Fixed(1))),
    Spec(A.item, ((1,),)),
    Spec(A.item, ((3, 4), Fixed(5))),
    Spec(A.item, ((3, 4), Fixed(1), Fixed(2))),
    Spec(A.item, ((3, 4), Fixed((2, 3)))),
    Spec(A.tolist, ((3, 4),)),
    Spec(A.tolist, ((5,),)),
    Spec(A.tolist, ((2, 1, 2),)),
    # clip
    Spec(A.clip, ((3, 4), Fixed(-0.5), Fixed(0.5))),
    Spec(A.clip, ((3, 4), Fixed(-0.5))),
    Spec(A.clip, ((3, 4), Fixed(None), Fixed(0.3))),
    Spec(A.clip, ((3, 4), (3, 4), (3, 4))),
    Spec(A.clip, ((3, 4), (4,), Fixed(None))),
    Spec(A.clip, ((3, 4), (), ())),
    Spec(A.clip, ((3, 4), (), Fixed(None))),
    Spec(A.clip, ((4,), (3, 4), (3, 1))),
])
