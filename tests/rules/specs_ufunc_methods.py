"""Spec rows for the methods of ufuncs (``np.add.reduce``, ``np.maximum.accumulate``,
``np.add.reduceat``, ``np.multiply.outer``, ...) and the helpers their rules call."""

import numpy as np

from s2sad.rules.numpy_reductions.ufunc_methods import (
    add_accumulate,
    add_outer,
    add_reduce,
    add_reduceat,
    divide_outer,
    hypot_reduce,
    logaddexp_accumulate,
    logaddexp_reduce,
    maximum_accumulate,
    maximum_reduce,
    minimum_accumulate,
    minimum_reduce,
    multiply_accumulate,
    multiply_outer,
    multiply_reduce,
    subtract_outer,
)
from s2sad.runtime.reductions import (
    logaddexp_accumulate_adjoint,
    logaddexp_accumulate_tangent,
    outer_operand,
    reduceat_adjoint,
    running_extremum_adjoint,
    running_extremum_tangent,
)
from tests.rules.harness import Fixed, Spec
from tests.rules.specs_reductions import MASK

#: (axis, keepdims) combinations of a reduce (its default axis is 0, not None)
REDUCE_AXES = [
    {},
    {"axis": 1},
    {"axis": -1, "keepdims": True},
    {"axis": (0, 2)},
    {"axis": None},
    {"axis": None, "keepdims": True},
]


def named(function, name):
    def rows(*specs):
        for spec in specs:
            spec.id = name
        return list(specs)
    return rows


def over_reduce_axes(function, name, domain="real", shape=(3, 4, 2)):
    return named(function, name)(*(Spec(function, (shape,), kw, domain=domain)
                                   for kw in REDUCE_AXES))


_X = np.array([[0.5, -1.2, 0.8, 1.5], [1.1, 0.7, -0.9, 1.3], [-0.6, 1.4, 0.9, 1.2]])
_RUNNING_MAX = np.maximum.accumulate(_X, axis=1)
_RUNNING_LSE = np.logaddexp.accumulate(_X, axis=0)

SPECS = [
    *over_reduce_axes(add_reduce, "np.add.reduce"),
    *named(add_reduce, "np.add.reduce")(
        Spec(add_reduce, ((3, 4),), {"axis": 1, "where": MASK}),
        Spec(add_reduce, ((3, 4),), {"initial": 2.0}),
        Spec(add_reduce, ((4,),)),
    ),
    *over_reduce_axes(multiply_reduce, "np.multiply.reduce", shape=(2, 3, 2)),
    *named(multiply_reduce, "np.multiply.reduce")(
        Spec(multiply_reduce, ((3, 4),), {"axis": 1, "where": MASK}),
        Spec(multiply_reduce, ((3, 4),), {"initial": 1.5}),
    ),
    *over_reduce_axes(maximum_reduce, "np.maximum.reduce", "distinct"),
    *over_reduce_axes(minimum_reduce, "np.minimum.reduce", "distinct"),
    *named(maximum_reduce, "np.maximum.reduce")(
        Spec(maximum_reduce, ((3, 4),), {"axis": 1, "where": MASK, "initial": -100.0},
             domain="distinct"),
        Spec(minimum_reduce, ((3, 4),), {"initial": 0.2}, domain="distinct"),
    ),
    *over_reduce_axes(logaddexp_reduce, "np.logaddexp.reduce"),
    *named(logaddexp_reduce, "np.logaddexp.reduce")(
        Spec(logaddexp_reduce, ((3, 4),), {"axis": 1, "where": MASK, "initial": 0.3}),
        Spec(logaddexp_reduce, ((5,),), {"initial": -0.5}),
    ),
    *over_reduce_axes(hypot_reduce, "np.hypot.reduce"),
    *named(hypot_reduce, "np.hypot.reduce")(
        Spec(hypot_reduce, ((3, 4),), {"axis": 1, "where": MASK, "initial": 0.3}),
        Spec(hypot_reduce, ((5,),), {"initial": -0.5}),
    ),
    *named(add_accumulate, "np.add.accumulate")(
        Spec(add_accumulate, ((5,),)),
        Spec(add_accumulate, ((3, 4),), {"axis": 1}),
        Spec(add_accumulate, ((3, 4, 2),), {"axis": -2}),
    ),
    *named(multiply_accumulate, "np.multiply.accumulate")(
        Spec(multiply_accumulate, ((5,),)),
        Spec(multiply_accumulate, ((3, 4),), {"axis": 1}),
        Spec(multiply_accumulate, ((3, 4, 2),)),
    ),
    *named(maximum_accumulate, "np.maximum.accumulate")(
        Spec(maximum_accumulate, ((7,),), domain="distinct"),
        Spec(maximum_accumulate, ((3, 4),), {"axis": 1}, domain="distinct"),
        Spec(maximum_accumulate, ((3, 4, 2),), {"axis": -3}, domain="distinct"),
    ),
    *named(minimum_accumulate, "np.minimum.accumulate")(
        Spec(minimum_accumulate, ((7,),), domain="distinct"),
        Spec(minimum_accumulate, ((3, 4),), {"axis": -1}, domain="distinct"),
    ),
    *named(logaddexp_accumulate, "np.logaddexp.accumulate")(
        Spec(logaddexp_accumulate, ((6,),)),
        Spec(logaddexp_accumulate, ((3, 4),), {"axis": 1}),
        Spec(logaddexp_accumulate, ((3, 4, 2),), {"axis": -2}),
    ),
    *named(add_reduceat, "np.add.reduceat")(
        Spec(add_reduceat, ((7,), Fixed([0, 3, 5]))),
        Spec(add_reduceat, ((7,), Fixed([0, 4, 1, 6, 6]))),
        Spec(add_reduceat, ((3, 5), Fixed([1, 3])), {"axis": 1}),
    ),
    *named(add_outer, "np.add.outer")(
        Spec(add_outer, ((3,), (4,))),
        Spec(add_outer, ((2, 3), (4,))),
        Spec(add_outer, ((), (2, 2))),
    ),
    *named(subtract_outer, "np.subtract.outer")(
        Spec(subtract_outer, ((3,), (4,))),
        Spec(subtract_outer, ((2,), (3, 2))),
    ),
    *named(multiply_outer, "np.multiply.outer")(
        Spec(multiply_outer, ((3,), (4,))),
        Spec(multiply_outer, ((2, 3), (2,))),
        Spec(multiply_outer, ((3,), ())),
    ),
    *named(divide_outer, "np.divide.outer")(
        Spec(divide_outer, ((3,), (4,)), domain="positive"),
        Spec(divide_outer, ((2, 2), (3,)), domain="positive"),
    ),
    # the helpers, differentiated again
    Spec(running_extremum_tangent, ((3, 4), Fixed(_X), Fixed(_RUNNING_MAX), Fixed(1)),
         wrt=(0,)),
    Spec(running_extremum_adjoint, ((3, 4), Fixed(_X), Fixed(_RUNNING_MAX), Fixed(1)),
         wrt=(0,)),
    Spec(logaddexp_accumulate_tangent, ((3, 4), (3, 4), Fixed(_RUNNING_LSE), Fixed(0)),
         wrt=(0, 1)),
    Spec(logaddexp_accumulate_tangent, ((3, 4), Fixed(_X), (3, 4), Fixed(0)), wrt=(0, 2)),
    Spec(logaddexp_accumulate_adjoint, ((3, 4), (3, 4), Fixed(_RUNNING_LSE), Fixed(0)),
         wrt=(0, 1)),
    Spec(logaddexp_accumulate_adjoint, ((3, 4), Fixed(_X), (3, 4), Fixed(0)), wrt=(0, 2)),
    Spec(reduceat_adjoint, ((3,), Fixed(np.zeros(7)), Fixed([0, 4, 1])), wrt=(0,)),
    Spec(reduceat_adjoint, ((3, 2), Fixed(np.zeros((3, 5))), Fixed([1, 3]), Fixed(1)),
         wrt=(0,)),
    Spec(outer_operand, ((3,), Fixed(np.zeros((2, 2)))), wrt=(0,)),
    Spec(outer_operand, ((), Fixed(np.zeros(2))), wrt=(0,)),
]
