"""Derivatives of derivatives: s2sad differentiates its own generated code. Hessians and
Hessian-vector products against finite differences of the gradient and closed forms; a
function whose derivative uses a helper without rules is an error, never a wrong number."""

import math

import numpy as np
import pytest

import s2sad
from s2sad.errors import MissingRuleError, UnsupportedSyntaxError
from tests.compiler.corpus import CORPUS


def numeric_hessian(f, args, eps=1e-5):
    gradient = s2sad.grad(f)
    x = np.asarray(args[0], dtype=float)
    columns = []
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        up = gradient(x + step if x.ndim else float(x + step), *args[1:])
        down = gradient(x - step if x.ndim else float(x - step), *args[1:])
        columns.append((np.asarray(up) - np.asarray(down)) / (2 * eps))
    return np.stack(columns, axis=-1).reshape(x.shape + x.shape)


SCALAR_OUTPUT = [(f, args) for f, args in CORPUS
                 if np.ndim(f(*args)) == 0 and isinstance(args[0], (float, np.ndarray))]


@pytest.mark.parametrize("function, args", SCALAR_OUTPUT,
                         ids=[f.__name__ for f, _ in SCALAR_OUTPUT])
def test_hessian_of_the_straight_line_corpus(function, args):
    try:
        hessian = s2sad.hessian(function)(*args)
    except MissingRuleError as error:  # a clear error naming the helper is acceptable
        assert "no forward rule" in str(error)
        pytest.skip(f"second order not available yet: {str(error).split(':')[-1][:60]}")
    np.testing.assert_allclose(hessian, numeric_hessian(function, args), rtol=1e-4,
                               atol=1e-6)


def test_most_of_the_corpus_has_second_derivatives():
    working = 0
    for function, args in SCALAR_OUTPUT:
        try:
            s2sad.hessian(function)(*args)
            working += 1
        except MissingRuleError:
            pass
    assert working >= len(SCALAR_OUTPUT) * 2 // 3


def mlp(x, W):
    h = np.tanh(W @ x)
    return np.sum(h**2) + np.sum(x * x * x)


def test_hvp_equals_the_hessian_times_the_direction():
    rng = np.random.default_rng(0)
    x, W = rng.normal(size=3), rng.normal(size=(2, 3))
    v = rng.normal(size=3)
    hessian = s2sad.hessian(mlp)(x, W)
    np.testing.assert_allclose(s2sad.hvp(mlp)(x, W, v), hessian @ v, rtol=1e-10)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-10)
    np.testing.assert_allclose(hessian, numeric_hessian(mlp, (x, W)), rtol=1e-5, atol=1e-7)


def test_grad_of_grad_and_third_derivatives_of_scalar_code():
    def g(x):
        return x**3 + math.sin(x)

    second = s2sad.grad(s2sad.grad(g))
    third = s2sad.grad(second)
    assert math.isclose(second(2.0), 12.0 - math.sin(2.0), rel_tol=1e-12)
    assert math.isclose(third(2.0), 6.0 - math.cos(2.0), rel_tol=1e-12)


def test_closed_form_hessian_of_a_quadratic():
    A = np.array([[2.0, 1.0], [0.5, 3.0]])

    def quadratic(x):
        return x @ A @ x

    np.testing.assert_allclose(s2sad.hessian(quadratic)(np.array([0.3, -0.2])), A + A.T)


def loop_sum(x):
    s = 0.0
    for i in range(3):
        s = s + np.sin(x * i) * x
    return np.sum(s)


def rnn_like(x, W):
    for _ in range(3):
        x = np.tanh(W @ x) + x * 0.5
    return np.sum(x**2)


def filled_in_a_loop(x):
    y = np.zeros(4)
    for i in range(4):
        y[i] = x[i % 2] * x[(i + 1) % 3]
    return np.sum(y**2)


def branch_in_loop(x):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0:
            s = s + x[i] ** 3
        else:
            s = s - x[i] * x[0]
    return s


@pytest.mark.parametrize("function, args", [
    (loop_sum, (np.array([0.3, 0.7]),)),
    (rnn_like, (np.array([0.2, -0.4, 0.9]), 0.5 * np.arange(9.0).reshape(3, 3) / 9.0)),
    (filled_in_a_loop, (np.array([0.3, 0.7, -1.1]),)),
    (branch_in_loop, (np.array([0.3, -0.7, 1.1]),)),
], ids=["loop", "rnn", "in-place writes", "branch in loop"])
def test_hessians_through_loops_in_place_writes_and_branches(function, args):
    """The gradient of a loop records on a tape; its tangent pops tangents off a second."""
    hessian = s2sad.hessian(function)(*args)
    np.testing.assert_allclose(hessian, numeric_hessian(function, args), rtol=1e-5,
                               atol=1e-7)
    v = np.linspace(-1.0, 1.0, np.size(args[0]))
    np.testing.assert_allclose(s2sad.hvp(function)(*args, v), hessian @ v, rtol=1e-10,
                               atol=1e-12)


def indexed_in_a_loop(x):
    s = 0.0
    for i in range(3):
        s = s + x[i] * x[(i + 1) % 3] * x[i]
    return s


W_RNN = 0.5 * np.arange(9.0).reshape(3, 3) / 9.0
grad_loop_sum = s2sad.grad(loop_sum)
grad_rnn_like = s2sad.grad(rnn_like, wrt=0)
grad_indexed = s2sad.grad(indexed_in_a_loop)
grad_filled = s2sad.grad(filled_in_a_loop)


def sum_of_loop_gradient(x):
    return np.sum(grad_loop_sum(x))


def sum_of_rnn_gradient(x):
    return np.sum(grad_rnn_like(x, W_RNN))


def sum_of_indexing_gradient(x):
    return np.sum(grad_indexed(x))


def sum_of_writes_gradient(x):
    return np.sum(grad_filled(x))


@pytest.mark.parametrize("outer, function, extra", [
    (sum_of_loop_gradient, loop_sum, ()),
    (sum_of_rnn_gradient, rnn_like, (W_RNN,)),
    (sum_of_indexing_gradient, indexed_in_a_loop, ()),
    (sum_of_writes_gradient, filled_in_a_loop, ()),
], ids=["loop", "rnn", "indexing", "in-place writes"])
def test_reverse_over_reverse_equals_forward_over_reverse_through_loops(outer, function,
                                                                         extra):
    x = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(s2sad.grad(outer)(x),
                               s2sad.hvp(function)(x, *extra, np.ones_like(x)), rtol=1e-12,
                               atol=1e-12)


def test_reverse_over_reverse_through_repeated_writes_of_one_element():
    """The gradient takes the adjoint of a written element out and zeroes it; when one
    element is written twice, only the last write reaches the output."""

    def overwritten(x):
        y = np.zeros(3)
        for i in range(4):  # y[0] written twice
            y[i % 3] = x[i % 2] * x[(i + 1) % 3]
        y[np.array([2, 1, 2])] = x * x[0]  # y[2] written twice by one fancy write
        return np.sum(y ** 2 * np.array([1.0, 2.0, 3.0]))

    gradient = s2sad.grad(overwritten)

    def weighted_gradient(x):
        return np.sum(gradient(x) * np.array([1.0, -2.0, 0.5]))

    x = np.array([0.3, -0.7, 1.1])
    expected = s2sad.hvp(overwritten)(x, np.array([1.0, -2.0, 0.5]))
    np.testing.assert_allclose(s2sad.grad(weighted_gradient)(x), expected, rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(expected, numeric_hessian(overwritten, (x,))
                               @ np.array([1.0, -2.0, 0.5]), rtol=1e-5, atol=1e-7)


from tests.compiler.corpus_control import CONTROL_CORPUS  # noqa: E402

ARRAY_SCALAR = [(f, a) for f, a in CONTROL_CORPUS
                if isinstance(a[0], np.ndarray) and a[0].dtype == float and np.ndim(f(*a)) == 0]


@pytest.mark.parametrize("function, args", ARRAY_SCALAR,
                         ids=[f.__name__ for f, _ in ARRAY_SCALAR])
def test_forward_over_reverse_equals_reverse_over_reverse_on_the_control_corpus(function, args):
    """Two ways to the Hessian through branches, loops, early exits and helpers: they agree,
    or a helper without rules is named; never two different numbers."""
    try:
        forward = s2sad.hessian(function)(*args)
        reverse = s2sad.jacrev(s2sad.grad(function))(*args)
    except MissingRuleError as error:
        pytest.skip(f"no rule yet: {str(error).split(':')[-1][:60]}")
    np.testing.assert_allclose(forward, reverse, rtol=1e-8, atol=1e-10)


def reverse_over_forward(function, args, v):
    """``grad`` of the directional derivative ``x -> J(x) v`` that forward mode computes:
    H v, reverse mode differentiating s2sad's tangent code."""
    import inspect

    from s2sad.pipeline import Request, derivative
    from s2sad.testing.source import function_from_source

    first = list(inspect.signature(function).parameters)[0]
    tangent = derivative(function, Request("forward", (first,)))
    rest = [f"a{i}" for i in range(1, len(args))]
    source = (f"def directional(x, v):\n"
              f"    return tangent({', '.join(['x'] + rest)}, "
              f"{tangent.extra_parameters[0]}=v)[1]\n")
    scope = {"tangent": tangent.function, **dict(zip(rest, args[1:]))}
    directional = function_from_source(source, scope, filename=f"<{function.__name__} ro f>")
    return s2sad.grad(directional)(args[0], v)


@pytest.mark.parametrize("function, args", ARRAY_SCALAR,
                         ids=[f.__name__ for f, _ in ARRAY_SCALAR])
def test_reverse_over_forward_equals_forward_over_reverse_on_the_control_corpus(function,
                                                                                 args):
    v = np.random.default_rng(0).normal(size=np.shape(args[0]))
    try:
        forward_over_reverse = s2sad.hvp(function)(*args, v)
        reverse_of_tangent = reverse_over_forward(function, args, v)
    except MissingRuleError as error:
        pytest.skip(f"no rule yet: {str(error).split(':')[-1][:60]}")
    np.testing.assert_allclose(reverse_of_tangent, forward_over_reverse, rtol=1e-8,
                               atol=1e-10)


def norm_cubed(x):
    return np.linalg.norm(x) ** 3


def three_norm(x):
    return np.linalg.norm(x, 3) * np.sum(x)


def norm_of_order_one_and_a_half(x):
    return np.linalg.norm(x * x + 0.1, 1.5)


def piecewise_linear_norms(x):
    return np.linalg.norm(x, 1) * np.linalg.norm(x, np.inf) * np.linalg.norm(x)


def column_norms(x):
    return np.sum(np.linalg.norm(np.outer(x, x) + 1.0, axis=0) ** 2)


def frobenius(x):
    return np.linalg.norm(np.outer(x, x[::-1]) + 1.0, "fro")


def matrix_inf_norm(x):
    return np.linalg.norm(np.outer(x, x) - 2.0, np.inf) * np.sum(x * x)


def vector_four_norm(x):
    return np.linalg.vector_norm(np.outer(x, x), ord=4)


NORMS = [norm_cubed, three_norm, norm_of_order_one_and_a_half, piecewise_linear_norms,
         column_norms, frobenius, matrix_inf_norm, vector_four_norm]


@pytest.mark.parametrize("function", NORMS, ids=[f.__name__ for f in NORMS])
def test_second_derivatives_of_norms(function):
    x = np.array([0.3, -0.7, 1.1])
    hessian = s2sad.hessian(function)(x)
    np.testing.assert_allclose(hessian, numeric_hessian(function, (x,)), rtol=1e-5,
                               atol=1e-7)
    np.testing.assert_allclose(s2sad.jacrev(s2sad.grad(function))(x), hessian, rtol=1e-10,
                               atol=1e-12)


def test_the_error_of_a_gradient_shows_through_its_derivative():
    def wrong_call(x):
        return np.linalg.vector_norm(x, 4)  # ord is keyword-only

    with pytest.raises(UnsupportedSyntaxError, match="too many positional arguments"):
        s2sad.hessian(wrong_call)(np.array([1.0, 2.0]))


def test_second_derivatives_of_the_nuclear_norm_are_an_error_not_a_number():
    def nuclear(W):
        return np.linalg.norm(W, "nuc")

    with pytest.raises(NotImplementedError, match="ord='nuc'"):
        s2sad.hessian(nuclear)(np.array([[1.0, 2.0], [0.5, -1.0]]))


def sines_with_a_break(x):
    s = 0.0
    for k in range(1, 4):
        if s > 10.0:
            break
        s = s + math.sin(k * x) / k
    return s


def squares_written_in_place(x):
    y = np.zeros(3)
    for i in range(3):
        y[i] = np.sin(x * (i + 1))
    return np.sum(y * y)


def sines_of_a_list_read_backwards(x):
    xs = []
    for k in range(1, 4):
        xs.append(k * x)
    s = 0.0
    for v in reversed(xs):
        s = s + math.sin(v) / 3.0
    return s


def nested_sine_loops(x):
    s = 0.0
    for _ in range(2):
        y = x
        for _ in range(3):
            y = math.sin(y) * x + y
        s = s + y
    return s


def cube(a):
    return a * a * a


def through_a_helper(x):
    return cube(x) + np.exp(cube(0.5 * x))


def _sine_derivative(order, t):
    return [math.sin, math.cos, lambda u: -math.sin(u), lambda u: -math.cos(u)][order % 4](t)


CLOSED_FORMS = {  # the n-th derivative at x
    sines_with_a_break: lambda n, x: sum(k ** (n - 1) * _sine_derivative(n, k * x)
                                         for k in range(1, 4)),
    # sin(a x)^2 = (1 - cos(2 a x)) / 2
    squares_written_in_place: lambda n, x: sum(-0.5 * (2 * a) ** n
                                               * _sine_derivative(n + 1, 2 * a * x)
                                               for a in (1, 2, 3)),
    through_a_helper: None,
    # sum_k sin(k x) / 3: the list's elements read back by index
    sines_of_a_list_read_backwards: lambda n, x: sum(k ** n * _sine_derivative(n, k * x)
                                                     for k in range(1, 4)) / 3,
    nested_sine_loops: None,
}


@pytest.mark.parametrize("function", list(CLOSED_FORMS), ids=lambda f: f.__name__)
def test_third_and_fourth_derivatives_in_every_composition(function):
    """Reverse over reverse over ..., forward over reverse over ... and finite differences
    of the order below agree, through loops with a break, in-place writes, lists read
    back by index, nested loops and helpers."""
    x, step = 0.4, 1e-4
    derivatives = [function]
    for _ in range(4):
        derivatives.append(s2sad.grad(derivatives[-1]))
    for order in (3, 4):
        by_reverse = derivatives[order](x)
        by_forward = s2sad.jvp(derivatives[order - 1], (x,), (1.0,))[1]
        numeric = (derivatives[order - 1](x + step) - derivatives[order - 1](x - step)) \
            / (2 * step)
        assert by_forward == pytest.approx(by_reverse, rel=1e-10)
        assert numeric == pytest.approx(by_reverse, rel=1e-6)
        if CLOSED_FORMS[function] is not None:
            assert by_reverse == pytest.approx(CLOSED_FORMS[function](order, x), rel=1e-10)


def power(x, n):
    if n == 0:
        return 1.0
    return x * power(x, n - 1)


def halve_until_small(x):
    if abs(x) < 1.0:
        return math.sin(x)
    return halve_until_small(x / 2.0) * x


def test_second_derivatives_through_recursion():
    """The gradient of a recursive function calls itself; so does its derivative."""
    assert s2sad.hessian(power)(0.8, 5) == pytest.approx(20 * 0.8 ** 3, rel=1e-12)
    assert s2sad.grad(s2sad.grad(power))(0.8, 5) == pytest.approx(20 * 0.8 ** 3, rel=1e-12)
    x, step = 3.3, 1e-5  # three halvings: f = sin(x / 8) x^3 / 32
    gradient = s2sad.grad(halve_until_small)
    numeric = (gradient(x + step) - gradient(x - step)) / (2 * step)
    assert s2sad.grad(gradient)(x) == pytest.approx(numeric, rel=1e-7)
    assert s2sad.hessian(halve_until_small)(x) == pytest.approx(numeric, rel=1e-7)


def scaled(a, b):
    return a * np.sin(b)


def star_call(x):
    t = (x, x * 2.0)
    return scaled(*t)


def test_second_derivatives_through_a_star_call_are_a_clear_error():
    with pytest.raises(MissingRuleError, match=r"call with \* or \*\* arguments"):
        s2sad.hessian(star_call)(0.5)


def scales_its_first_entry(x):
    x[0] = x[0] * 3.0
    return np.sum(x * x)


def test_hessian_through_a_write_into_the_argument():
    """The reverse sweep saves x[0] before the write with .copy(); vector forward mode
    over it runs .copy() on each direction, a NumPy scalar (it was a float, which has no
    .copy())."""
    x = np.array([1.0, 2.0])
    closed = np.diag([18.0, 2.0])  # 9 x0^2 + x1^2
    np.testing.assert_allclose(s2sad.hessian(scales_its_first_entry)(x.copy()), closed)
    np.testing.assert_allclose(s2sad.jacrev(s2sad.grad(scales_its_first_entry))(x.copy()),
                               closed)



def aliased_in_one_branch(x, W):
    g = x
    h = x
    for i in range(3):
        if i > 5:
            g = g * np.cos(h)
        else:
            h = g
    return np.sum(np.tanh(W @ h))


def rows_read_in_one_branch(W, x):
    V = W
    acc = 0.0
    for i in range(2):
        acc = acc + np.sum(x * np.tanh(W[i]))
        if i == 0:
            W = W - 0.1 * np.tanh(V)
        else:
            acc = acc + np.sum(np.sin(V[i]) * x)
    return acc


@pytest.mark.parametrize("function, args", [
    (aliased_in_one_branch, (np.array([0.1, 0.2, -0.3, 0.4]), np.eye(4) * 0.5 + 0.1)),
    (rows_read_in_one_branch, (np.eye(3) * 0.5 + 0.1, np.array([0.3, -0.2, 0.5]))),
])
def test_hvp_through_adjoints_added_in_place_in_a_branch_of_a_loop(function, args):
    """The gradient adds adjoints in place (g_bar += h_bar, accumulate_at(V_bar, i, ...))
    in one branch of its reversed loop; what the other branch made them share (g_bar from
    unbroadcast(g_bar * _t2, g), V_bar from add(V_bar, ...)) is no reason to refuse
    differentiating it (both were an UnsupportedSyntaxError)."""
    v = np.linspace(-1.0, 1.0, np.size(args[0])).reshape(np.shape(args[0]))
    expected = np.tensordot(numeric_hessian(function, args), v, axes=v.ndim)
    np.testing.assert_allclose(s2sad.hvp(function)(*args, v), expected, rtol=1e-6, atol=1e-8)
