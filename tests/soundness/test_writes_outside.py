"""A function that writes a value carrying a derivative into an array or list from
outside it (a global, a closure's cell) sends that derivative where its callers'
derivatives do not look: such a callee is refused at the call, with the global's name;
the function differentiated itself may write and read its global buffer. A callee that
writes an argument, or whose second run raises where its first did not (an exhausted
iterator), is refused with a located message, not a Python error from generated code.
Gradients are checked against central differences.
"""

import numpy as np
import pytest

import s2sad
from s2sad.errors import S2sadError

BUFFER = np.zeros(3)
LOG = []
CALLS = [0]


def central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def store_in_buffer(x):
    BUFFER[0] = x
    return x * 2.0


def reads_the_buffer_after(x):
    y = store_in_buffer(x)
    return y * BUFFER[0]


def store_through_a_second_name(x):
    buffer = BUFFER
    buffer[1] = x * 3.0
    return x * 2.0


def reads_through_a_second_name(x):
    y = store_through_a_second_name(x)
    return y * BUFFER[1]


def log_value(x):
    LOG.append(x * x)
    return x + 1.0


def logs(x):
    y = log_value(x)
    return y * y


@pytest.mark.parametrize("f, written", [(reads_the_buffer_after, "BUFFER"),
                                        (reads_through_a_second_name, "BUFFER"),
                                        (logs, "LOG")])
@pytest.mark.parametrize("derivative", ["grad", "jvp"])
def test_a_callee_writing_a_derivative_outside_is_refused_at_the_call(f, written, derivative):
    with pytest.raises(S2sadError) as raised:
        if derivative == "grad":
            s2sad.grad(f)(1.5)
        else:
            s2sad.jvp(f, (1.5,), (1.0,))
    message = str(raised.value)
    assert __file__ in message and repr(written) in message
    assert "outside" in message


def buffer_in_place(x):
    BUFFER[2] = x * x
    return BUFFER[2] * x


def test_the_function_differentiated_may_write_its_global_buffer():
    for _ in range(3):
        assert s2sad.grad(buffer_in_place)(1.5) == pytest.approx(
            central(buffer_in_place, 1.5), rel=1e-7)
        assert s2sad.jvp(buffer_in_place, (1.5,), (1.0,))[1] == pytest.approx(
            central(buffer_in_place, 1.5), rel=1e-7)


def count_call(x):
    CALLS[0] += 1
    return x * x


def counted(x):
    return count_call(x) * 3.0


def test_a_callee_writing_a_number_without_derivative_outside_is_differentiated():
    for _ in range(3):
        assert s2sad.grad(counted)(2.0) == pytest.approx(12.0)


def closure_cell(x):
    kept = np.zeros(2)

    def keep(v):
        kept[0] = v
        return v

    z = keep(x)
    return np.sum(kept ** 2) * z


def test_a_nested_function_writing_its_closure_cell_is_refused():
    with pytest.raises(S2sadError, match="'kept'"):
        s2sad.grad(closure_cell)(1.5)


def fill(buffer, x):
    buffer[0] = x
    return 0.0


def fills_without_using_the_result(x):
    buffer = np.zeros(2)
    fill(buffer, x)
    return np.sum(buffer ** 2)


def test_a_callee_writing_its_argument_is_refused_where_its_result_is_unused():
    with pytest.raises(S2sadError, match="fill writes into its argument 'buffer'"):
        s2sad.grad(fills_without_using_the_result)(1.5)


def next_item_times(items, x):
    return next(items) * x


def exhausts_an_iterator(x):
    items = iter([1.0, 2.0])
    a = next_item_times(items, x)
    b = next_item_times(items, x)
    return a * b


def test_an_iterator_exhausted_by_the_first_run_is_a_located_refusal():
    with pytest.raises(S2sadError, match="next_item_times raised StopIteration") as raised:
        s2sad.grad(exhausts_an_iterator)(1.5)
    assert __file__ in str(raised.value)


def store_doubled(x):
    BUFFER[0] = x * 2.0


def called_as_a_statement(x):
    store_doubled(x)
    return BUFFER[0] ** 2


def result_left_unread(x):
    _ = store_doubled(x)
    return BUFFER[0] ** 2


def store_in_the_default(x, kept=BUFFER):
    kept[0] = x * 2.0
    return 1.0


def through_a_default(x):
    c = store_in_the_default(x)
    return c * BUFFER[0] ** 2


def through_a_default_given(x):
    mine = np.zeros(1)
    c = store_in_the_default(x, mine)
    return c * mine[0] ** 2


APPEND_TO_LOG = LOG.append


def append_through_a_second_name(x):
    APPEND_TO_LOG(x * 2.0)
    return 1.0


def through_a_bound_method(x):
    LOG.clear()
    c = append_through_a_second_name(x)
    return c * LOG[0] ** 2


@pytest.mark.parametrize("f", [called_as_a_statement, result_left_unread, through_a_default,
                               through_a_default_given, through_a_bound_method])
@pytest.mark.parametrize("derivative", ["grad", "jvp"])
def test_a_write_outside_is_refused_however_the_call_is_spelled(f, derivative):
    """The result unused (no derivative of the callee was built), a default holding the
    global, a bound method of the global under a second name: each gave a gradient of 0
    (true 8 x)."""
    with pytest.raises(S2sadError) as raised:
        if derivative == "grad":
            s2sad.grad(f)(0.7)
        else:
            s2sad.jvp(f, (0.7,), (1.0,))
    assert __file__ in str(raised.value)


SQUARES = np.zeros(3)


def squares_into_the_buffer(x):
    for i in range(3):
        SQUARES[i] = x[i] * x[i]
    return np.sum(SQUARES * x)


def test_the_function_differentiated_may_fill_its_global_buffer_in_a_loop():
    """Forward mode named the buffer's tangent before any statement made it."""
    x = np.array([0.7, -1.3, 0.4])
    for _ in range(3):
        assert s2sad.jvp(squares_into_the_buffer, (x,), (np.ones(3),))[1] == pytest.approx(
            np.sum(3 * x ** 2))
        np.testing.assert_allclose(
            s2sad.jvp(squares_into_the_buffer, (x,), (np.eye(3),), batched=True)[1], 3 * x ** 2)
        np.testing.assert_allclose(s2sad.grad(squares_into_the_buffer)(x), 3 * x ** 2)


def put_then_get(x, box):
    box.put(x * 2.0)
    y = box.get()
    return y * y


def test_a_value_kept_by_a_call_of_unknown_effects_and_read_back_is_refused():
    """``box.put(v)`` then ``box.get()``: the derivative went into the queue and never came
    back (grad 0, true 8 x)."""
    import queue

    with pytest.raises(S2sadError, match="box.put") as raised:
        s2sad.grad(put_then_get)(0.7, queue.Queue())
    assert __file__ in str(raised.value)


def put_and_return(x, box):
    box.put(x * 2.0)
    return x * x


def puts_through_a_helper(x, box):
    return put_and_return(x, box) * 3.0


def test_a_callee_handing_a_derivative_to_a_call_of_unknown_effects_is_refused():
    import queue

    box = queue.Queue()
    assert s2sad.grad(put_and_return)(0.7, box) == pytest.approx(1.4)  # the caller's own
    with pytest.raises(S2sadError, match=r"a derivative to the call box\.put"):
        s2sad.grad(puts_through_a_helper)(0.7, box)


def check_positive(x):
    if not np.all(x > 0.0):
        raise ValueError("x must be positive")


def checked_then_squared(x):
    check_positive(x)
    return np.sum(x ** 2)


def test_a_helper_called_for_a_check_only_is_differentiated():
    """It writes nothing: its call as a statement was refused as a possible write."""
    x = np.array([0.5, 1.5])
    for _ in range(3):
        np.testing.assert_allclose(s2sad.grad(checked_then_squared)(x), 2 * x)
        assert s2sad.jvp(checked_then_squared, (x,), (np.ones(2),))[1] == pytest.approx(4.0)
