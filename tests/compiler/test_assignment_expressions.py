"""Assignment expressions (``:=``) and dict comprehensions: taken out of their statement
in Python's order (in a branch when only some paths evaluate them, in every iteration of a
``while`` test, in the enclosing function from a comprehension); derivatives against
central differences."""

import inspect

import numpy as np
import pytest

import s2sad
from s2sad.errors import UnsupportedSyntaxError
from s2sad.testing import check_grads

X = np.array([0.5, 1.5, -0.3])


def in_an_if_test(x):
    if (n := np.sum(x * x)) > 0.1:
        return n * 2.0
    return n


def in_a_while_test(x):
    s = 0.0
    k = 0
    while (t := x[k] * 2.0) < 2.5 and k < 2:
        s = s + t * t
        k = k + 1
    return s + t


def in_a_comprehension(x):
    y = [z := np.sin(v) for v in x]
    return sum(y) + z  # z: the last value, bound in the function


def evaluated_on_one_path(x):
    a = x[0]
    if a > 0 or (b := x[1] * 3) > 1:
        b = a
    return b


def evaluated_on_the_other_path(x):
    a = -x[0]
    if a > 0 or (b := x[1] * 3) > 1:
        b = b * a
    return b


@pytest.mark.parametrize("function", [in_an_if_test, in_a_while_test, in_a_comprehension,
                                      evaluated_on_one_path, evaluated_on_the_other_path])
def test_against_central_differences(function):
    check_grads(function, (X,))


def test_closed_forms():
    np.testing.assert_allclose(s2sad.grad(in_an_if_test)(X), 4.0 * X)
    np.testing.assert_allclose(s2sad.grad(in_a_comprehension)(X),
                               np.cos(X) * np.array([1.0, 1.0, 2.0]))
    # b = 3 x1, then b * (-x0)
    np.testing.assert_allclose(s2sad.grad(evaluated_on_the_other_path)(X),
                               [-3 * X[1], -3 * X[0], 0.0])


def read_before(x):
    y = x + (x := 2.0 * x)
    return np.sum(y)


def test_a_name_read_before_its_assignment_expression_is_refused():
    line = inspect.getsourcelines(read_before)[1] + 1
    with pytest.raises(UnsupportedSyntaxError, match=rf":{line}:13: 'x' is read before this "
                       "assignment expression assigns it"):
        s2sad.grad(read_before)(X)


def squares_by_index(x):
    d = {k: x[k] ** 2 for k in range(3)}
    return d[0] + d[2] * d[1]


def named_weights(x):
    d = {f"w{k}": x[k] for k in range(2) if k >= 0}
    return d["w0"] * d["w1"]


def test_dict_comprehensions():
    # written beside the other constructs this lowering takes out of their statement
    for function in (squares_by_index, named_weights):
        check_grads(function, (X,))
    np.testing.assert_allclose(s2sad.grad(squares_by_index)(X),
                               [2 * X[0], 2 * X[1] * X[2] ** 2, 2 * X[2] * X[1] ** 2])


def read_before_in_a_test(x):
    if x + (x := 2.0 * x) > 0.5:
        return x * x
    return x


def changed_before_taken_out(x):
    xs = [x, 2.0 * x, 3.0 * x]
    return xs.pop() + sum([v for v in xs])


@pytest.mark.parametrize("function, message", [
    (read_before_in_a_test, "'x' is read before this assignment expression assigns it"),
    (changed_before_taken_out, "a call evaluated before a comprehension or assignment "
                               "expression of the same statement"),
])
def test_what_taking_out_would_reorder_is_refused(function, message):
    # taken out of their statement, these would run before what Python runs first: a
    # different branch, a list before its pop (silently wrong numbers before)
    line = inspect.getsourcelines(function)[1] + (1 if function is read_before_in_a_test else 2)
    with pytest.raises(UnsupportedSyntaxError, match=rf":{line}:\d+: {message}"):
        s2sad.grad(function)(0.15)
