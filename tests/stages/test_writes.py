"""Write lowering (``lower_writes``): NumPy calls writing into an array become item writes."""

import numpy as np
import pytest

from s2sad.runtime import writes
from tests.stages.helpers import (
    UnsupportedSyntaxError,
    expected,
    lower_writes,
    namer_for,
    parsed,
    text,
    written,
)


def test_put_fill_flat_and_copyto_become_writes_at_positions_numpy_finds():
    lowered = written("""
        def f(x, y):
            np.put(y, [0, 2], x)
            y.fill(x[0])
            np.copyto(y, x, where=y > 0)
            y.flat[2] = x[0]
            return y
    """)
    assert text(lowered.node) == expected("""
        def f(x, y):
            _v = x
            _p, _s = write_positions('put', y, [0, 2], _v, 'raise')
            _w = ravel(_v)
            y[_p] = _w[_s]
            _v_ = x[0]
            _p_, _s_ = write_positions('fill', y, _v_)
            _w_ = ravel(_v_)
            y[_p_] = _w_[_s_]
            _v__ = x
            _p__, _s__ = write_positions('copyto', y, _v__, 'same_kind', y > 0)
            _w__ = ravel(_v__)
            y[_p__] = _w__[_s__]
            _v___ = x[0]
            _p___, _s___ = write_positions('flat', y, 2, _v___)
            _w___ = ravel(_v___)
            y[_p___] = _w___[_s___]
            return y
    """)
    assert lowered.extra["write_positions"] is writes.write_positions
    assert lowered.extra["ravel"] is np.ravel


def test_add_at_and_setitem_become_one_write_of_the_whole_array():
    lowered = written("""
        def f(x, y):
            np.add.at(y, [0, 0], x)
            y.__setitem__(1, x[1])
            return y
    """)
    assert text(lowered.node) == expected("""
        def f(x, y):
            y[...] = added_at(y, [0, 0], x)
            y[1] = x[1]
            return y
    """)


def test_another_ufunc_at_becomes_a_loop_over_the_positions_in_numpys_order():
    lowered = written("""
        def f(x, y):
            np.multiply.at(y, [0, 1], x)
            return y
    """)
    assert text(lowered.node) == expected("""
        def f(x, y):
            _i = [0, 1]
            _items = at_items(y, _i)
            _b = ravel(broadcast_to(x, at_shape(y, _i)))
            for _k in range(len(_items)):
                y[_items[_k]] = multiply(element(y, _items[_k]), _b[_k])
            return y
    """)
    assert lowered.extra["multiply"] is np.multiply


def test_a_function_without_such_writes_is_the_same_object():
    front = parsed("def f(x, y):\n    y[0] = x\n    return y\n")
    assert lower_writes(front, namer_for(front.node)) is front


@pytest.mark.parametrize("statement, message", [
    ("y.itemset(0, x)", r"^stage.py:2:4: y.itemset\(...\) writes into the array in a way s2sad "
                        r"cannot differentiate; write y\[i\] = v instead"),
    ("y.resize(3)", r"^stage.py:2:4: y.resize\(...\) writes into the array in a way s2sad cannot "
                    r"differentiate; use y = np.resize\(y, shape\)"),
    ("np.add.at(y[0], [0], x)", r"^stage.py:2:14: s2sad differentiates writes into a variable "
                                r"of the function only"),
    ("np.add.at(y, [0], x, x)", r"^stage.py:2:4: add.at takes the array, the indices and the "
                                r"value, by position; write add.at\(y, i, v\)"),
])
def test_writes_it_cannot_lower_are_refused_at_their_line(statement, message):
    with pytest.raises(UnsupportedSyntaxError, match=message):
        written(f"def f(x, y):\n    {statement}\n    return y\n")


@pytest.mark.parametrize("statement, kind, arguments", [
    ("np.fill_diagonal(y, x, wrap=True)", "fill_diagonal", "_v, True"),
    ("np.putmask(y, y > 0, x)", "putmask", "y > 0, _v"),
    ("np.place(y, y > 0, x)", "place", "y > 0, _v"),
    ("np.put_along_axis(y, i, x, 0)", "put_along_axis", "i, _v, 0"),
    ("y.put(0, x, mode='clip')", "put", "0, _v, 'clip'"),
    ("np.copyto(y, x, casting='unsafe')", "copyto", "_v, 'unsafe', True"),
])
def test_each_writer_binds_its_arguments_as_numpy_does(statement, kind, arguments):
    lowered = written(f"def f(x, y, i):\n    {statement}\n    return y\n")
    assert text(lowered.node) == expected(f"""
        def f(x, y, i):
            _v = x
            _p, _s = write_positions('{kind}', y, {arguments})
            _w = ravel(_v)
            y[_p] = _w[_s]
            return y
    """)


def test_an_assigned_result_is_none_and_subtract_at_adds_the_negation():
    lowered = written("""
        def f(x, y):
            r = np.put(y, 0, x)
            np.subtract.at(y, [0, 1], x)
            np.negative.at(y, [0])
            return y, r
    """)
    assert text(lowered.node) == expected("""
        def f(x, y):
            _v = x
            _p, _s = write_positions('put', y, 0, _v, 'raise')
            _w = ravel(_v)
            y[_p] = _w[_s]
            r = None
            y[...] = added_at(y, [0, 1], negative(x))
            _i = [0]
            _items = at_items(y, _i)
            for _k in range(len(_items)):
                y[_items[_k]] = negative(element(y, _items[_k]))
            return y, r
    """)
