"""Operations (``OperationFinder.describe``): what each core statement computes."""

import operator

import numpy as np
import pytest
from numpy import sin as sine

from s2sad.runtime.fields import field
from tests.stages.helpers import UnsupportedSyntaxError, atom_text, operations, text


def helper(x, scale):
    return x * scale


def described(source, namespace=None):
    """``(statement, kind, function, {parameter: argument}, [operands])`` per statement."""
    _, _, found = operations(source, namespace)
    return [(text(op.statement).strip(), op.kind, op.function,
             {k: atom_text(v) for k, v in op.arguments.items()},
             [atom_text(o) for o in op.operands]) for op in found]


def test_syntax_and_calls_are_the_objects_with_rules_their_arguments_bound_by_name():
    assert described("""
        def f(x, W, p):
            a = W @ x
            b = a.T
            c = x.sum(axis=0)
            d = np.sin(c) + sine(c) + numpy.sin(c)
            e = p.weight
            return b[0, 1:]
    """, {"sine": sine, "numpy": np}) == [
        ("a = W @ x", "apply", operator.matmul, {"a": "W", "b": "x"}, []),
        ("b = a.T", "apply", np.ndarray.T, {"self": "a"}, []),
        ("c = x.sum(axis=0)", "apply", np.ndarray.sum, {"self": "x", "axis": "0"}, []),
        # np.sin, numpy.sin and from numpy import sin as sine are the one numpy.sin
        ("_t1 = np.sin(c)", "apply", np.sin, {"x": "c"}, []),
        ("_t2 = sine(c)", "apply", np.sin, {"x": "c"}, []),
        ("_t3 = _t1 + _t2", "apply", operator.add, {"a": "_t1", "b": "_t2"}, []),
        ("_t4 = numpy.sin(c)", "apply", np.sin, {"x": "c"}, []),
        ("d = _t3 + _t4", "apply", operator.add, {"a": "_t3", "b": "_t4"}, []),
        # an attribute no array has: a field of a record
        ("e = p.weight", "apply", field, {"record": "p", "name": "'weight'"}, []),
        # an index with slices is the value np.s_[...] makes
        ("_y = b[0, 1:]", "apply", operator.getitem, {"a": "b", "b": "__s2sad_numpy__.s_[0, 1:]"},
         []),
    ]


def test_containers_writes_user_functions_methods_and_what_carries_no_derivative():
    assert described("""
        def f(x, W, p, xs, fn):
            g = [x, W]
            h, k = g
            W[0] = x
            xs.append(x)
            m = xs.pop()
            n = x < m
            q = len(xs)
            r = helper(x, scale=2.0)
            t = p.method(x)
            u = np.pi
            w = fn(x, k=r)
            return r
    """, {"helper": helper}) == [
        ("g = [x, W]", "display", None, {}, ["x", "W"]),
        ("h, k = g", "unpack", None, {}, ["g"]),
        ("W[0] = x", "setitem", None, {"index": "0"}, ["W", "x"]),
        ("xs.append(x)", "append", None, {}, ["xs", "x"]),
        ("m = xs.pop()", "pop", None, {}, ["xs"]),
        ("n = x < m", "inactive", None, {}, []),
        ("q = len(xs)", "inactive", len, {}, []),
        ("r = helper(x, scale=2.0)", "call", helper, {"x": "x", "scale": "2.0"}, []),
        ("t = p.method(x)", "method", None, {"arg0": "x"}, ["p"]),
        ("u = np.pi", "inactive", None, {}, []),
        # a function held in a variable: differentiated by what it holds when called
        ("w = fn(x, k=r)", "value", None, {"arg0": "x", "k": "r"}, ["fn"]),
    ]


@pytest.mark.parametrize("call, message", [
    ("undefined_thing(x)", r"^stage.py:2:11: name 'undefined_thing' is not defined; define or "
                           r"import it before differentiating"),
    ("np.not_a_function(x)", r"^stage.py:2:11: 'not_a_function' is not an attribute of 'numpy'"),
])
def test_a_call_of_nothing_it_can_find_is_refused_at_the_call(call, message):
    with pytest.raises(UnsupportedSyntaxError, match=message):
        operations(f"def f(x, fn):\n    return {call}\n")
