"""NumPy calls that write into an array: derivatives against central differences, in both
modes and to second order, and the writes s2sad refuses, at their line."""

import operator

import numpy as np
import pytest

import s2sad
from s2sad.errors import UnsupportedSyntaxError
from s2sad.testing import check_grads


def central_gradient(f, x, eps=1e-6):
    """Central differences of the scalar ``f`` at ``x``."""
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[k] = eps
        g[k] = (f(x + step) - f(x - step)) / (2 * eps)
    return g


def central_hvp(f, x, v, eps=1e-5):
    """Central differences of ``grad f`` (itself by central differences) along ``v``."""
    return (central_gradient(f, x + eps * v, 1e-4) - central_gradient(f, x - eps * v, 1e-4)) \
        / (2 * eps)


X3 = np.array([-0.3, 0.2, 0.4])
X4 = np.array([0.7, -1.1, 0.3, 1.9])
M = np.array([[0.5, -1.2, 0.3], [2.0, 0.1, -0.7], [1.1, 0.9, -0.4]])


def add_at_repeated(x):
    y = np.zeros(3)
    np.add.at(y, [0, 0, 2], x)
    return np.sum(y ** 2)


def add_at_negative_2d(x):
    y = np.ones((3, 2))
    np.add.at(y, ([-1, 0, -1], [1, 1, 1]), x ** 2)
    return np.sum(np.sin(y) * y)


def add_at_into_parameter(y, x):
    np.add.at(y, [1, 1], x)  # a scalar, added twice
    return np.sum(y ** 3)


def subtract_at(x):
    y = x * 1.5
    np.subtract.at(y, [2, 0, 2], x[:3] ** 2)
    return np.sum(y ** 3)


def multiply_at(x):
    y = np.ones(4) + x
    np.multiply.at(y, [0, 0, 3, -1], x)
    return np.sum(y ** 2)


def divide_at_2d(a):
    y = a + 2.0
    np.divide.at(y, (np.array([0, 0, 2]), np.array([1, 1, 0])), np.array([1.5, -2.0, 3.0]) + a[1])
    return np.sum(np.cos(y))


def maximum_minimum_at(x):
    y = np.zeros(4)
    np.maximum.at(y, [0, 0, 1, 3], x)
    np.minimum.at(y, [1, 2], x[:2] * 0.5)
    return np.sum(y * np.arange(1.0, 5.0)) + np.sum(y ** 2)


def fill_diagonal(a, s):
    b = a * 1.0
    np.fill_diagonal(b, s * a[0, 1])
    return np.sum(b ** 2 * np.arange(9.0).reshape(3, 3))


def fill_diagonal_wrap(x):
    b = np.zeros((7, 3))
    np.fill_diagonal(b, x, wrap=True)  # x repeats along the diagonal
    return np.sum(np.tanh(b) * np.arange(21.0).reshape(7, 3))


def copyto_where(a, x):
    b = a ** 2
    np.copyto(b, x, where=np.array([True, False, True]))  # x broadcast along the rows
    return np.sum(b ** 3)


def copyto_whole(a):
    b = np.zeros((3, 3))
    np.copyto(b, a.T * 2.0, casting="same_kind")
    return np.sum(np.sin(b) * a)


def put_modes(x):
    y = np.ones(5)
    np.put(y, [0, -1, 0], x * 2.0)  # the last of repeated indices wins
    y.put([7, -9], x[:2] ** 2, mode="clip")
    return np.sum(y ** 3)


def put_wrap_method(x):
    y = np.zeros((2, 3))
    y.put([1, 8, 5], np.exp(x), mode="wrap")
    return np.sum(y * np.arange(6.0).reshape(2, 3)) + np.sum(y ** 2)


def put_scalar(y, s):
    np.put(y, [1, 2], s)
    return np.sum(y ** 2) * s


def putmask_repeating(a):
    b = np.zeros((3, 3))
    np.putmask(b, a > 0.0, a[0] * 3.0)  # values repeat by position
    return np.sum(b ** 2 * np.arange(9.0).reshape(3, 3))


def place_repeating(a):
    b = a.copy()
    np.place(b, a < 0.6, a[1, :2] * 2.0)  # values repeat in order
    return np.sum(b ** 3)


def put_along_axis(a, x):
    b = a * 1.0
    np.put_along_axis(b, np.array([[0], [2], [2]]), x[:, None] ** 2, axis=1)
    return np.sum(b ** 3)


def setitem_call(x):
    y = np.zeros(4)
    y.__setitem__([1, -1], x[:2] * 3.0)
    y.__setitem__(0, x[2])
    return np.sum(y ** 2) + y[0] * x[0]


def flat_writes(a):
    b = np.zeros((2, 3))
    b.flat[4] = a[0, 0]
    b.flat[0:2] = a[1, 1:] * 2.0
    b.flat[[5, -1, 3]] = a[2]  # repeats the last write
    return np.sum(b ** 2 * np.arange(1.0, 7.0).reshape(2, 3))


def fill_call(s):
    y = np.ones(3)
    y.fill(s * 2.0)
    return np.sum(y ** 2)


def writes_in_a_loop_and_a_branch(x):
    y = np.zeros((2, 3))
    for k in range(3):
        np.add.at(y, np.s_[:, [k, 0]], x[k] * np.array([1.0, -2.0]))
        if x[k] > 0.0:
            np.put(y, [k, k + 3], x[k] ** 2)
        else:
            np.copyto(y, 0.5 * x[k], where=y > 0.1)
    np.negative.at(y, (np.array([1, 1, 0]), np.array([2, 2, 2])))  # a unary ufunc
    np.fill_diagonal(y, x[2], True)
    return np.sum(np.sin(y) * np.arange(6.0).reshape(2, 3))


def copyto_for_its_value(x):
    y = np.zeros(3)
    z = np.copyto(y, x[::-1] ** 2)  # None
    return np.sum(y * np.arange(3.0)) if z is None else 0.0


def nested_writes(x):
    def scatter(v):
        y = np.zeros(3)
        np.add.at(y, [0, 0, 2], v)
        np.put(y, [1], v[0] * v[1])
        return y

    return np.sum(scatter(x) ** 2)


def _copied_where_positive(v):
    y = np.ones(3)
    np.copyto(y, v, where=v > 0)
    return y


def calls_a_writing_helper(x):
    return np.sum(np.sin(_copied_where_positive(x)))


def written_through_view(a):
    b = a * 1.0
    row = b[0]
    np.put(row, [0], 5.0)
    return np.sum(b ** 2)


CASES = [
    (add_at_repeated, (X3,)),
    (add_at_negative_2d, (X3,)),
    (add_at_into_parameter, (X3.copy(), 0.8)),
    (subtract_at, (X4,)),
    (multiply_at, (X4,)),
    (divide_at_2d, (M,)),
    (maximum_minimum_at, (X4,)),
    (fill_diagonal, (M, 1.3)),
    (fill_diagonal_wrap, (X3,)),
    (copyto_where, (M, X3)),
    (copyto_whole, (M,)),
    (put_modes, (X3,)),
    (put_wrap_method, (X3,)),
    (put_scalar, (X4.copy(), 0.6)),
    (putmask_repeating, (M,)),
    (place_repeating, (M,)),
    (put_along_axis, (M, X3)),
    (setitem_call, (X3,)),
    (flat_writes, (M,)),
    (fill_call, (0.7,)),
    (copyto_for_its_value, (X3,)),
    (nested_writes, (X3,)),
    (calls_a_writing_helper, (X3,)),
    (writes_in_a_loop_and_a_branch, (X3,)),
    (writes_in_a_loop_and_a_branch, (-X3,)),
]


@pytest.mark.parametrize("function, args", CASES,
                         ids=[f"{c[0].__name__}-{k}" for k, c in enumerate(CASES)])
def test_both_modes_against_central_differences(function, args):
    check_grads(function, args)  # forward against differences, reverse against forward
    before = [np.copy(a) for a in args]
    gradient = s2sad.grad(function)(*args)
    expected = central_gradient(lambda v: function(v, *args[1:]), args[0])
    np.testing.assert_allclose(gradient, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(s2sad.jacfwd(function)(*args), expected, rtol=1e-6, atol=1e-7)
    for a, b in zip(args, before):  # the caller's arrays are left as they were
        np.testing.assert_array_equal(a, b)


def test_add_at_gradient_in_closed_form():
    # y = [x0 + x1, 0, x2]: d/dx sum(y ** 2) = 2 [y0, y0, y2]
    np.testing.assert_allclose(s2sad.grad(add_at_repeated)(X3), [-0.2, -0.2, 0.8])


def test_put_last_write_wins_in_closed_form():
    # y = [2 x2, 1, 1, 1, 2 x1] then the clipped put writes x0^2 at 4 and x1^2 at 0
    x = np.array([0.5, -0.25, 2.0])
    y = np.array([x[1] ** 2, 1.0, 1.0, 1.0, x[0] ** 2])
    np.testing.assert_allclose(put_modes(x), np.sum(y ** 3))
    expected = [3 * y[4] ** 2 * 2 * x[0], 3 * y[0] ** 2 * 2 * x[1], 0.0]
    np.testing.assert_allclose(s2sad.grad(put_modes)(x), expected)


@pytest.mark.parametrize("function, args", [
    (add_at_repeated, (X3,)), (subtract_at, (X4,)), (multiply_at, (X4,)),
    (maximum_minimum_at, (X4,)), (divide_at_2d, (M,)), (put_modes, (X3,)),
    (fill_diagonal_wrap, (X3,)), (copyto_where, (X3[::-1] * 2.0, X3)),
    (flat_writes, (M,)), (putmask_repeating, (M,))],
    ids=["add_at", "subtract_at", "multiply_at", "maximum_at", "divide_at", "put",
         "fill_diagonal", "copyto", "flat", "putmask"])
def test_hessian_vector_products(function, args):
    x = args[0]
    v = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
    product = s2sad.hvp(function)(*args, v)
    expected = central_hvp(lambda u: function(u, *args[1:]), x, v)
    np.testing.assert_allclose(product, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("function, x", [(multiply_at, X4), (put_modes, X3),
                                         (fill_diagonal_wrap, X3), (add_at_negative_2d, X3)])
def test_hessians(function, x):
    expected = np.array([central_hvp(function, x, e) for e in np.eye(x.size)])
    np.testing.assert_allclose(s2sad.hessian(function)(x), expected, rtol=1e-4, atol=1e-5)


def test_values_match_numpy():
    for function, args in CASES:
        copies = [np.copy(a) for a in args]
        derivative_value = s2sad.value_and_grad(function)(*copies)[0]
        assert derivative_value == function(*[np.copy(a) for a in args])


def test_a_write_into_a_view_of_a_live_array_is_refused():
    with pytest.raises(UnsupportedSyntaxError, match=r"writing into 'row', which may share"
                       ) as caught:
        s2sad.grad(written_through_view)(M)
    assert caught.value.lineno == written_through_view.__code__.co_firstlineno + 3


def _shuffled(x):
    np.random.shuffle(x)
    return np.sum(x * np.arange(3.0))


def _c_function_writes(x):
    y = np.zeros(3)
    np.frexp(x, y)  # no out=, but a second positional output array
    return np.sum(y)


def _shuffled_for_a_value(x):
    y = x * 2.0
    nothing = np.random.shuffle(y)  # noqa: F841
    return np.sum(y * np.arange(3.0))


def _c_function_for_a_value(x):
    y = np.zeros(3)
    mantissa = np.frexp(x, y)[0]  # writes the exponents into y
    return np.sum(y) + np.sum(mantissa > 0)


def _c_setitem(x):
    y = np.zeros(3)
    operator.setitem(y, 0, x[0])  # a C function with no rule
    return np.sum(y)


def _c_setitem_for_a_value(x):
    y = np.zeros(3)
    nothing = operator.setitem(y, 0, x[0])  # noqa: F841
    return np.sum(y)


def _sorted_in_place(x):
    y = x * 2.0
    r = y.sort()  # noqa: F841
    return np.sum(y * np.arange(3.0))


def _setfield(x):
    y = np.zeros(3)
    y.setfield(x, np.float64)
    return np.sum(y)


def _itemset(x):
    y = np.zeros(3)
    y.itemset(0, x[0])
    return np.sum(y)


def _list_reversed(x):
    xs = [x[0], x[1]]
    xs.reverse()
    return xs[0] * xs[1]


def _ufunc_at_with_two_values(x):
    y = np.zeros(3)
    np.logaddexp.at(y, [0, 1], x[:2], x[:2])
    return np.sum(y)


def _ufunc_at_with_two_outputs(x):
    y = np.zeros(3)
    np.divmod.at(y, [0, 1], x[:2])
    return np.sum(y)


def _flat_augmented(x):
    y = np.zeros(3)
    y.flat[0] += x[0]
    return np.sum(y)


def _write_into_expression(x):
    y = np.zeros((2, 3))
    np.add.at(y[0], [0, 1], x[:2])
    return np.sum(y)


REFUSED = [
    (_shuffled, r"may modify its arguments in place", 1),
    (_shuffled_for_a_value, r"np\.random\.shuffle\(\.\.\.\) may write into 'y'", 2),
    (_c_function_writes, r"may modify its arguments in place", 2),
    (_c_function_for_a_value, r"np\.frexp\(\.\.\.\) may write into", 2),
    (_c_setitem, r"may modify its arguments in place", 2),
    (_c_setitem_for_a_value, r"operator\.setitem\(\.\.\.\) may write into 'y'", 2),
    (_sorted_in_place, r"y\.sort\(\.\.\.\) may write into 'y'", 2),
    (_setfield, r"y\.setfield\(\.\.\.\) writes into the array", 2),
    (_itemset, r"y\.itemset\(\.\.\.\) writes into the array", 2),
    (_list_reversed, r"may modify its arguments in place", 2),
    (_ufunc_at_with_two_values, r"logaddexp\.at takes the array, the indices and the", 2),
    (_ufunc_at_with_two_outputs, r"divmod\.at with 2 operand\(s\) is not supported", 2),
    (_flat_augmented, r"augmented assignment through \.flat", 2),
    (_write_into_expression, r"writes into a variable of the function only", 2),
]


@pytest.mark.parametrize("function, message, line", REFUSED, ids=[r[0].__name__ for r in REFUSED])
def test_refused_at_their_line(function, message, line):
    with pytest.raises(UnsupportedSyntaxError, match=message) as caught:
        s2sad.grad(function)(X3.copy())
    assert caught.value.lineno == function.__code__.co_firstlineno + line
    assert caught.value.filename.endswith("test_inplace_calls.py")


def test_copyto_casting_is_honored():
    def f(x):
        y = np.zeros(3, dtype=np.float32)
        np.copyto(y, x, casting="safe")  # float64 into float32 is not safe
        return np.sum(y)

    with pytest.raises(TypeError, match="Cannot cast"):
        f(X3)
    with pytest.raises(TypeError, match="Cannot cast"):
        s2sad.grad(f)(X3)


def test_a_ufunc_at_loop_refuses_a_rebound_range():
    def f(x, range=range):
        y = np.ones(3)
        np.multiply.at(y, [0, 0], x[0])
        return np.sum(y)

    with pytest.raises(UnsupportedSyntaxError, match="builtin range, which the") as caught:
        s2sad.grad(f)(X3)
    assert caught.value.lineno == f.__code__.co_firstlineno + 2


def _generator_shuffles_for_a_value(x):
    rng = np.random.default_rng(0)
    y = x * 1.0
    nothing = rng.shuffle(y)  # noqa: F841
    return np.sum(y * np.arange(3.0))


def _list_reversed_for_a_value(x):
    y = [x[0], x[1], x[2] * 2.0]
    nothing = y.reverse()  # noqa: F841
    return y[0] * 1.0 + y[1] * 2.0 + y[2] * 3.0


@pytest.mark.parametrize("function, message", [
    (_generator_shuffles_for_a_value, r"rng\.shuffle\(\.\.\.\) may write into 'y'"),
    (_list_reversed_for_a_value, r"y\.reverse\(\.\.\.\) may write into 'y'")])
def test_builtin_methods_that_write_are_refused_at_their_line(function, message):
    with pytest.raises(UnsupportedSyntaxError, match=message) as caught:
        s2sad.grad(function)(X3.copy())
    assert caught.value.lineno == function.__code__.co_firstlineno + 3 - (
        function is _list_reversed_for_a_value)


def test_a_put_method_of_another_object():
    import queue

    def f(x):
        q = queue.Queue()
        q.put(x * 2.0, True)  # taken for ndarray.put(ind, v)
        return np.sum(x) + q.qsize()

    def g(x, q):
        q.put(x * 2.0)  # not ndarray.put: left as the method call it is
        return np.sum(x ** 2)

    with pytest.raises(TypeError, match="s2sad differentiates put as NumPy's write into an "
                       "array; it was given a Queue"):
        s2sad.grad(f)(X3)
    q = queue.Queue()
    np.testing.assert_allclose(s2sad.grad(g)(X3, q), 2 * X3)
    np.testing.assert_allclose(q.get(), 2 * X3)


def _out_by_position(x):
    y = np.zeros(3)
    np.cumsum(x, 0, None, y)
    return np.sum(y ** 2)


def _out_by_position_for_a_value(x):
    y = np.zeros(3)
    z = np.dot(x, 2.0, y)
    return np.sum(y ** 2) + np.sum(z)


@pytest.mark.parametrize("function", [_out_by_position, _out_by_position_for_a_value])
def test_an_out_given_by_position_is_refused_at_its_line(function):
    with pytest.raises(UnsupportedSyntaxError, match="writes its result into its out "
                       "argument 'y', given by position") as caught:
        s2sad.grad(function)(X3.copy())
    assert caught.value.lineno == function.__code__.co_firstlineno + 2


def _float32_writes(x):
    y = np.zeros(4, dtype=np.float32)
    np.put(y, [0, 2], x[:2] * 2)
    np.add.at(y, [1, 1], x[2])
    return np.sum(y * y)


def _complex_put(z):
    y = np.zeros(3, dtype=complex)
    np.put(y, [0, 1], z * 1j)
    return np.real(np.sum(y * np.conj(y)))


def test_single_precision_and_complex_writes_in_closed_form():
    x = np.array([0.3, -0.5, 0.9], dtype=np.float32)
    gradient = s2sad.grad(_float32_writes)(x)
    assert gradient.dtype == np.float32
    # y = [2 x0, 2 x2, 2 x1, 0]: d/dx sum(y^2) = [8 x0, 8 x1, 8 x2]
    np.testing.assert_allclose(gradient, 8 * x, rtol=1e-6)
    z = np.array([0.3 + 0.2j, -0.5 + 0.1j])
    np.testing.assert_allclose(s2sad.grad(_complex_put)(z), 2 * z)  # dL/dRe + i dL/dIm
