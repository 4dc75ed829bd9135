"""Spec rows for indexing and selection."""

import operator

import numpy as np

from tests.rules.harness import Fixed, Seq, Spec

getitem = operator.getitem

MASK = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, True]])
CONDITIONS = [np.array([True, False, False, True]), np.array([True, True, False, False])]

SPECS = [
    # basic indices
    Spec(getitem, ((5,), Fixed(2)), id="getitem_int"),
    Spec(getitem, ((5,), Fixed(-1)), id="getitem_negative"),
    Spec(getitem, ((3, 4), Fixed(1)), id="getitem_row"),
    Spec(getitem, ((3, 4), Fixed((1, 2))), id="getitem_element"),
    Spec(getitem, ((5,), Fixed(slice(1, 4))), id="getitem_slice"),
    Spec(getitem, ((6,), Fixed(slice(None, None, -2))), id="getitem_reverse_step"),
    Spec(getitem, ((3, 4), Fixed((slice(None), 1))), id="getitem_column"),
    Spec(getitem, ((3, 4), Fixed((None, slice(1, 3), None))), id="getitem_newaxis"),
    Spec(getitem, ((2, 3, 4), Fixed((Ellipsis, 0))), id="getitem_ellipsis"),
    Spec(getitem, ((2, 3, 4), Fixed((0, Ellipsis, slice(None, 2)))), id="getitem_mixed"),
    Spec(getitem, ((3, 4), Fixed(())), id="getitem_empty_tuple"),
    # advanced indices
    Spec(getitem, ((5,), Fixed(np.array([0, 2, 2, 4]))), id="getitem_repeated"),
    Spec(getitem, ((5,), Fixed([1, 1, 3])), id="getitem_list"),
    Spec(getitem, ((3, 4), Fixed(np.array([[0, 2], [2, 2]]))), id="getitem_int_array"),
    Spec(getitem, ((3, 4), Fixed((np.array([0, 2, 0]), np.array([1, 3, 1])))),
         id="getitem_pairs"),
    Spec(getitem, ((3, 4), Fixed((slice(1, None), np.array([3, 0, 3])))),
         id="getitem_slice_and_array"),
    Spec(getitem, ((3, 4), Fixed(MASK)), id="getitem_mask"),
    Spec(getitem, ((3, 4), Fixed(np.array([True, False, True]))), id="getitem_row_mask"),
    Spec(getitem, ((3, 4), Fixed((slice(None), MASK[0]))), id="getitem_mask_in_tuple"),
    Spec(getitem, ((3, 4), Fixed((np.array([True, False, True]), 2))), id="getitem_mask_int"),
    Spec(getitem, ((3,), Fixed(True)), id="getitem_true"),
    Spec(getitem, (Seq(((2,), (3,))), Fixed(1)), id="getitem_tuple_of_arrays"),
    Spec(getitem, (Seq(((2,), (3,), (1,))), Fixed(slice(0, 2))), id="getitem_tuple_slice"),
    # take and friends
    Spec(np.take, ((5,), Fixed([0, 3, 3]))),
    Spec(np.take, ((3, 4), Fixed([[0, 5], [11, 5]]))),
    Spec(np.take, ((3, 4), Fixed([2, 0, 2]), Fixed(1))),
    Spec(np.take, ((3, 4), Fixed(1), Fixed(0))),
    Spec(np.take, ((3, 4), Fixed([-1, 0]), Fixed(-1))),
    Spec(np.take, ((3, 4), Fixed([5, -4, 1]), Fixed(0)), {"mode": "wrap"}),
    Spec(np.take, ((3, 4), Fixed([7, -2, 1]), Fixed(1)), {"mode": "clip"}),
    Spec(np.take_along_axis, ((3, 4), Fixed(np.array([[0], [3], [3]])), Fixed(1))),
    Spec(np.take_along_axis, ((3, 4), Fixed(np.array([[0, 2, 2, 1]])), Fixed(0))),
    Spec(np.take_along_axis, ((3, 4), Fixed(np.array([1, 1, 11])), Fixed(None))),
    Spec(np.take_along_axis, ((2, 3, 2), Fixed(np.zeros((2, 3, 1), int)), Fixed(-1))),
    Spec(np.compress, (Fixed([True, False, True]), (3, 4))),
    Spec(np.compress, (Fixed([True, False, True]), (3, 4), Fixed(0))),
    Spec(np.compress, (Fixed([False, True]), (3, 4), Fixed(1))),
    Spec(np.choose, (Fixed(np.array([0, 2, 1, 0])), Seq(((4,), (4,), (4,))))),
    Spec(np.choose, (Fixed(np.array([[0, 1, 1], [1, 0, 0]])), Seq(((3,), (2, 3))))),
    Spec(np.choose, (Fixed(np.array([0, 1, 1, 0])), (2, 4))),
    Spec(np.choose, (Fixed(np.array([3, -1, 1, 0])), Seq(((4,), (4,)))), {"mode": "wrap"}),
    Spec(np.choose, (Fixed(np.array([3, -1, 1, 0])), Seq(((4,), (4,)))), {"mode": "clip"}),
    # select
    Spec(np.select, (Fixed(CONDITIONS), Seq(((4,), (4,))))),
    Spec(np.select, (Fixed(CONDITIONS), Seq(((4,), (4,))), ())),
    Spec(np.select, (Fixed(CONDITIONS), Seq(((4,), ())), (4,))),
    Spec(np.select, (Fixed(CONDITIONS), Seq(((3, 4), (4,))), (3, 1))),
    # sort and partition (distinct values)
    Spec(np.sort, ((5,),), domain="distinct"),
    Spec(np.sort, ((3, 4),), domain="distinct"),
    Spec(np.sort, ((3, 4), Fixed(0)), domain="distinct"),
    Spec(np.sort, ((2, 3, 4), Fixed(1)), domain="distinct"),
    Spec(np.sort, ((3, 4), Fixed(None)), domain="distinct"),
    Spec(np.sort, ((3, 4), Fixed(-1)), {"kind": "stable"}, domain="distinct"),
    Spec(np.partition, ((6,), Fixed(2)), domain="distinct"),
    Spec(np.partition, ((3, 5), Fixed(1)), domain="distinct"),
    Spec(np.partition, ((3, 5), Fixed([0, 2]), Fixed(0)), domain="distinct"),
    Spec(np.partition, ((2, 3, 4), Fixed(-1), Fixed(1)), domain="distinct"),
    Spec(np.partition, ((3, 4), Fixed(5), Fixed(None)), domain="distinct"),
]

# ---- a scalar spread over the elements a gather read, differentiated again ------------
from s2sad.runtime.indexing import spread_at  # noqa: E402

SPECS += [
    Spec(spread_at, ((), Fixed(np.zeros((3, 2))), Fixed((np.array([0, 1, 2, 2]),
                                                         np.array([1, 0, 1, 1])))), wrt=(0,)),
    Spec(spread_at, ((), Fixed(np.zeros(4)), Fixed(np.array([3, 0, 3]))), wrt=(0,)),
    Spec(spread_at, ((), Fixed(np.zeros((3, 4))), Fixed((slice(None), 1))), wrt=(0,)),
    Spec(spread_at, ((), Fixed(np.zeros(4)), Fixed(np.array([3, 0, 3]))), wrt=(0,),
         domain="complex"),
]

# ---- np.add.at on a copy, what the compiler lowers np.add.at and np.subtract.at into ----
from s2sad.runtime.writes import added_at, element  # noqa: E402

SPECS += [
    Spec(added_at, ((4,), Fixed(np.array([3, 0, 3, -1])), (4,)), id="added_at_repeated"),
    Spec(added_at, ((4,), Fixed([1, 1]), ()), id="added_at_scalar"),
    Spec(added_at, ((3, 2), Fixed((np.array([0, 2, 0]), np.array([1, 1, 1]))), (3,)),
         id="added_at_pairs"),
    Spec(added_at, ((3, 2), Fixed(np.array([2, 2])), (2,)), id="added_at_rows_broadcast"),
    Spec(element, ((3, 4), Fixed((2, -1))), id="element_of_a_matrix"),
    Spec(element, ((5,), Fixed((1,))), id="element_of_a_vector"),
]

# ---- the adjoints of sorting, differentiated again ---------------------------------
from s2sad.runtime.indexing import permute, unpermute  # noqa: E402

_ORDER = np.array([[2, 0, 3, 1], [1, 3, 0, 2], [0, 1, 2, 3]])
SPECS += [
    Spec(unpermute, ((3, 4), Fixed(np.zeros((3, 4))), Fixed(_ORDER)), wrt=(0,)),
    Spec(unpermute, ((4, 3), Fixed(np.zeros((4, 3))), Fixed(_ORDER.T), Fixed(0)), wrt=(0,)),
    Spec(unpermute, ((5,), Fixed(np.zeros(5)), Fixed(np.array([4, 0, 2, 1, 3])), Fixed(None)),
         wrt=(0,)),
    Spec(permute, ((3, 4), Fixed(_ORDER)), wrt=(0,)),
    Spec(permute, ((5,), Fixed(np.array([4, 0, 2, 1, 3])), Fixed(None)), wrt=(0,)),
]

from s2sad.runtime.indexing import (  # noqa: E402
    compress_adjoint,
    item_adjoint,
    item_tangent,
    take_adjoint,
    take_along_axis_adjoint,
)

SPECS += [
    Spec(take_adjoint, ((3,), Fixed(np.zeros(2)), Fixed([0, 1, 0])), wrt=(0,)),
    Spec(take_adjoint, ((3, 2), Fixed(np.zeros((3, 4))), Fixed([3, 0]), Fixed(1)), wrt=(0,)),
    Spec(take_adjoint, ((3,), Fixed(np.zeros(4)), Fixed([5, -6, 1]), Fixed(None),
                        Fixed("wrap")), wrt=(0,)),
    Spec(take_along_axis_adjoint, ((3, 2), Fixed(np.zeros((3, 4))),
                                   Fixed(np.array([[0, 3], [1, 1], [2, 0]])), Fixed(1)),
         wrt=(0,)),
    Spec(compress_adjoint, ((2, 4), Fixed([True, False, True]), Fixed(np.zeros((3, 4))),
                            Fixed(0)), wrt=(0,)),
    Spec(compress_adjoint, ((2,), Fixed([False, True, True]), Fixed(np.zeros((3, 4)))),
         wrt=(0,)),
    Spec(item_adjoint, ((), Fixed(np.zeros((3, 4))), Fixed((5,))), wrt=(0,)),
    Spec(item_adjoint, ((), Fixed(np.zeros((3, 4))), Fixed((1, 2))), wrt=(0,)),
    Spec(item_tangent, ((3, 4), Fixed((1, 2))), wrt=(0,)),
]

from s2sad.runtime.indexing import (  # noqa: E402
    choose_adjoint,
    masked,
    select_adjoint,
    select_tangent,
)

_CONDITIONS = [np.array([True, False, False, True]), np.array([True, True, False, False])]
SPECS += [
    Spec(select_adjoint, ((4,), Fixed(_CONDITIONS), Fixed((np.zeros(4), np.zeros(())))),
         wrt=(0,)),
    Spec(select_tangent, (Seq(((4,), ())), Fixed(np.zeros(4)), Fixed(_CONDITIONS)), wrt=(0,)),
    Spec(masked, (Fixed(np.array([True, False, True])), (3,), Fixed(np.zeros((2, 3)))),
         wrt=(1,)),
    Spec(choose_adjoint, ((4,), Fixed(np.array([0, 1, 1, 0])),
                          Fixed((np.zeros(4), np.zeros(())))), wrt=(0,)),
]
