"""What a value shares, known from what made it: writes s2sad accepts because the value
written is new (advanced indexing copies, a list display or ``list(...)`` makes a new
list), writes it still refuses because a live value shares the memory, and calls given an
``out`` by position, which write even when their result is not read. Checked against
central differences and closed forms."""

import inspect

import numpy as np
import pytest

import s2sad
from s2sad.errors import UnsupportedSyntaxError
from s2sad.testing import check_grads

X = np.array([1.0, 2.0, -0.5])


def fancy_index_then_write(x):
    y = x[[0, 1]]  # advanced indexing: a copy, untouched by the write below
    x[0] = 5.0
    return np.sum(y * x[:2])


def mask_then_write(x):
    y = x[x > 0.0]
    x[0] = 5.0
    return np.sum(y ** 2) + np.sum(x)


def array_index_then_write(x):
    idx = np.array([2, 0])
    y = x[idx]
    x[2] = x[2] * 3.0
    return np.sum(y * x[:2])


def list_display_then_append(x):
    states = [x]
    states.append(x * 2.0)
    return sum(np.sum(s * s) for s in states)


def states_in_a_loop(x):
    states = [x]
    for _ in range(3):
        states.append(np.sin(states[-1]))
    return np.sum(states[-1]) + np.sum(states[0])


@pytest.mark.parametrize("function", [fancy_index_then_write, mask_then_write,
                                      array_index_then_write, list_display_then_append,
                                      states_in_a_loop])
def test_new_values_are_written_freely(function):
    check_grads(function, (X.copy(),))


def test_fancy_index_copy_in_closed_form():
    # y = (x0, x1); f = y0 * 5 + y1 * x1 = 5 x0 + x1 ** 2
    np.testing.assert_allclose(s2sad.grad(fancy_index_then_write)(X.copy()), [5.0, 4.0, 0.0])


def view_then_write(x):
    y = x[0:2]  # basic indexing: a view, which the write changes
    x[0] = 5.0
    return np.sum(y * x[:2])


def display_then_write_item(x):
    states = [x]  # states[0] is x itself
    x[0] = 5.0
    return np.sum(states[0])


def index_sometimes_a_slice(x, flag):
    idx = [0, 1]
    if flag:
        idx = slice(0, 2)
    y = x[idx]
    x[0] = 5.0
    return np.sum(y * x[:2])


@pytest.mark.parametrize("function, args", [
    (view_then_write, (X.copy(),)),
    (display_then_write_item, (X.copy(),)),
    (index_sometimes_a_slice, (X.copy(), True)),
])
def test_shared_values_are_still_refused(function, args):
    lines, first = inspect.getsourcelines(function)
    line = first + next(k for k, text in enumerate(lines) if "x[0] = 5.0" in text)
    with pytest.raises(UnsupportedSyntaxError, match=rf":{line}:\d+: writing into 'x', which "
                       "may share memory"):
        s2sad.grad(function)(*args)


def cumsum_into_positional_out(x, c):
    z = np.zeros(3)
    w = np.cumsum(c, 0, None, z)  # noqa: F841  (the result unread: z is what counts)
    return np.sum(z * x)


def cumsum_method_into_positional_out(x, c):
    z = np.zeros(3)
    w = c.cumsum(0, None, z)  # noqa: F841
    return np.sum(z * x)


@pytest.mark.parametrize("function", [cumsum_into_positional_out,
                                      cumsum_method_into_positional_out])
def test_a_call_writing_into_a_positional_out_is_kept(function):
    c = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(function)(X.copy(), c), np.cumsum(c))
    check_grads(function, (X.copy(), c), wrt=(0,))


def element_then_write(w, z):
    s = w[0]  # one number of a vector: a copy
    w[0] += z
    return s * w[0]


def previous_value_in_a_loop(w):
    acc = 0.0
    for i in range(len(w)):
        prev = w[i]
        w[i] = w[i] * 2.0 + 1.0
        acc = acc + prev * w[i]
    return acc


def test_element_reads_are_copies():
    w = np.array([1.0, 2.0])
    # s * (w0 + z) with s = w0: (2 w0 + z, 0) and w0
    w_bar, z_bar = s2sad.grad(element_then_write, wrt=(0, 1))(w, 0.5)
    np.testing.assert_allclose(w_bar, [2.5, 0.0])
    assert z_bar == 1.0
    check_grads(element_then_write, (w, 0.5))
    check_grads(previous_value_in_a_loop, (X.copy(),))


def test_an_element_read_that_is_a_row_is_refused_when_it_runs():
    from s2sad.errors import SharedElementError

    with pytest.raises(SharedElementError, match="a read y\\[index\\] gave a ndarray, not one "
                       "number, and the code writes into y"):
        s2sad.grad(element_then_write)(np.eye(2), 0.5)
    with pytest.raises(SharedElementError, match="gave a ndarray, not one number"):
        s2sad.jvp(element_then_write, (np.eye(2), 0.5), (np.eye(2), 1.0))
    # a list holding arrays: its element is the array itself, which the write changes
    with pytest.raises(SharedElementError, match="gave a ndarray, not one number"):
        s2sad.grad(element_then_write)([np.ones(2), np.ones(2)], 0.5)


def starred_rest_reduced(x):
    a, *b = x
    return np.sum(b) * a  # the list b read as an array by np.sum


def comprehension_written_then_reduced(x):
    c = [v for v in x]
    c[0] = c[0] ** 2
    return np.sum(c) + np.std(c)


@pytest.mark.parametrize("function", [starred_rest_reduced, comprehension_written_then_reduced])
def test_a_list_read_as_an_array_gets_its_adjoint(function):
    # the adjoint of a list made in the function and given whole to NumPy: an array, spread
    # back over the list's items (it was dropped for zeros)
    check_grads(function, (X.copy(),))


def test_a_list_read_as_an_array_in_closed_form():
    # a * (x1 + x2): (x1 + x2, a, a)
    np.testing.assert_allclose(s2sad.grad(starred_rest_reduced)(X),
                               [X[1] + X[2], X[0], X[0]])


def cumsum_into_a_row(x):
    A = np.zeros((2, 3))
    np.cumsum(x, 0, None, A[1])  # the write lands in A, through a view
    return np.sum(A ** 2)


def test_a_call_writing_into_a_view_is_refused():
    line = inspect.getsourcelines(cumsum_into_a_row)[1] + 2
    with pytest.raises(UnsupportedSyntaxError, match=rf":{line}:\d+: the call np.cumsum\(...\) "
                       "may write into an argument, which may share memory"):
        s2sad.grad(cumsum_into_a_row)(X.copy())
