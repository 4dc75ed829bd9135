"""Vector forward mode (``jvp(..., batched=True)``, ``jacfwd``): K directions in one pass
give what K one-direction tangent sweeps give, on every corpus of compiled functions; the
Jacobians against finite differences; the batched forms of the structural rules."""

import copy

import numpy as np
import pytest

import s2sad
from s2sad.pipeline import Request, derivative
from s2sad.runtime import batched
from tests.compiler import corpus_checks as checks
from tests.compiler.corpus import CORPUS
from tests.compiler.corpus_calls import CALLS_CORPUS
from tests.compiler.corpus_containers import CONTAINERS_CORPUS
from tests.compiler.corpus_control import CONTROL_CORPUS
from tests.compiler.corpus_inplace import INPLACE_CORPUS

ALL = CORPUS + CONTROL_CORPUS + INPLACE_CORPUS + CONTAINERS_CORPUS + CALLS_CORPUS
DIRECTIONS = 3


def names_of(function, positions):
    import inspect

    parameters = list(inspect.signature(function).parameters)
    return tuple(parameters[p] for p in positions)


@pytest.mark.parametrize("function, args", ALL, ids=checks.ids(ALL))
def test_k_directions_at_once_equal_k_tangent_sweeps(function, args):
    positions = checks.float_positions(args)
    if not positions:
        pytest.skip("no float argument")
    names = names_of(function, positions)
    vector = derivative(function, Request("vector", names)).function
    single = derivative(function, Request("forward", names))
    rng = np.random.default_rng(1)
    directions = [[checks.random_structure_like(args[p], rng) for p in positions]
                  for _ in range(DIRECTIONS)]
    expected = []
    for direction in directions:
        tangents = dict(zip(single.extra_parameters, direction))
        expected.append(single.function(*copy.deepcopy(list(args)), **tangents))
    stacked = [batched.stack_directions([d[i] for d in directions])
               for i in range(len(positions))]
    value, tangent = vector(*copy.deepcopy(list(args)),
                            **dict(zip(single.extra_parameters, stacked)))
    for a, e in zip(checks.leaves(value), checks.leaves(expected[0][0])):
        np.testing.assert_array_equal(a, e)
    for k, split in enumerate(batched.split_directions(tangent)):
        got = checks.aligned_leaves(split, expected[k][1], "the batched tangent")
        for a, e in zip(got, checks.leaves(expected[k][1])):
            np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)


def network(W1, W2, x):
    h = np.tanh(W1 @ x + 0.5)
    z = W2.dot(h)
    z = z - np.mean(z)
    p = np.exp(z) / np.sum(np.exp(z))
    return p.reshape(-1, 1).T.ravel() * np.mean(h[1:])


def test_jacfwd_vectorized_equals_column_by_column_and_finite_differences():
    rng = np.random.default_rng(0)
    W1, W2, x = rng.normal(size=(5, 4)), rng.normal(size=(3, 5)), rng.normal(size=4)
    vectorized = s2sad.jacfwd(network, wrt=(0, 1, 2))(W1, W2, x)
    columns = s2sad.jacfwd(network, wrt=(0, 1, 2), vectorized=False)(W1, W2, x)
    for a, b in zip(vectorized, columns):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    step = 1e-6
    for position, block in enumerate(vectorized):
        args = [W1, W2, x]
        for index in np.ndindex(args[position].shape):
            up, down = [a.copy() for a in args], [a.copy() for a in args]
            up[position][index] += step
            down[position][index] -= step
            column = (network(*up) - network(*down)) / (2 * step)
            np.testing.assert_allclose(block[(...,) + index], column, rtol=1e-6, atol=1e-8)


def test_the_vector_source_carries_every_direction_in_one_pass():
    text = s2sad.source(network, mode="vector", wrt=(0, 1, 2))
    assert "def network_tangents(W1, W2, x, W1_dot, W2_dot, x_dot):" in text
    assert "split_directions" not in text  # every rule here has a batched form
    assert "batch_matmul" in text and "batch_getitem" in text and "batch_reshape" in text


def test_rules_without_a_batched_form_run_once_per_direction():
    def f(A, b):
        return np.linalg.solve(A, b)

    rng = np.random.default_rng(3)
    A, b = rng.normal(size=(3, 3)) + 3 * np.eye(3), rng.normal(size=3)
    assert "split_directions" in s2sad.source(f, mode="vector", wrt=(0, 1))
    vectorized = s2sad.jacfwd(f, wrt=(0, 1))(A, b)
    columns = s2sad.jacfwd(f, wrt=(0, 1), vectorized=False)(A, b)
    for a, c in zip(vectorized, columns):
        np.testing.assert_allclose(a, c, rtol=1e-12)


def test_jvp_batched_on_floats_and_arrays():
    def f(x, y):
        return x * np.sin(y)

    y = np.array([0.1, 0.2])
    out, tangents = s2sad.jvp(f, (2.0, y), (np.array([1.0, 0.0, 0.0]),
                                            np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])),
                              batched=True)
    np.testing.assert_allclose(tangents, [np.sin(y), [2 * np.cos(0.1), 0.0],
                                          [0.0, 2 * np.cos(0.2)]])


@pytest.mark.parametrize("a_shape, b_shape", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)),
                                              ((2, 3), (3, 4)), ((2, 2, 3), (3, 4))])
@pytest.mark.parametrize("dot", [False, True])
def test_batch_matmul_equals_one_product_per_direction(a_shape, b_shape, dot):
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=a_shape), rng.normal(size=b_shape)
    product = np.dot if dot else np.matmul
    ta, tb = rng.normal(size=(4,) + a_shape), rng.normal(size=(4,) + b_shape)
    np.testing.assert_allclose(batched.batch_matmul(ta, b, True, False, dot),
                               np.stack([product(t, b) for t in ta]))
    if len(a_shape) <= 2:
        np.testing.assert_allclose(batched.batch_matmul(a, tb, False, True, dot),
                                   np.stack([product(a, t) for t in tb]))


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_batch_reduce_equals_one_reduction_per_direction(axis, keepdims):
    t = np.random.default_rng(4).normal(size=(3, 2, 5))
    for reduction in (np.sum, np.mean):
        np.testing.assert_allclose(
            batched.batch_reduce(reduction, t, t[0], axis=axis, keepdims=keepdims),
            np.stack([reduction(d, axis=axis, keepdims=keepdims) for d in t]))


SETITEM_CASES = [
    ((5,), 2, ()), ((5,), slice(1, 3), (2,)), ((4, 3), (slice(None), 1), ()),
    ((4, 3), (slice(None), 1), (4,)), ((4, 3), np.array([True, False, True, True]), (3, 3)),
    ((4, 3), np.array([[True, False, True]] * 4), ()), ((5,), np.array([0, 2, 2]), (3,)),
    ((4, 3, 2), (np.array([0, 1]), slice(None), np.array([1, 0])), (2, 3)),
    ((4, 3), (Ellipsis, 0), (4,)), ((4, 3), (None, 1), (1, 3)),
    ((4, 3), (1, np.array([0, 2])), (2,)),
]


@pytest.mark.parametrize("shape, index, value_shape", SETITEM_CASES)
def test_batch_setitem_equals_one_write_per_direction(shape, index, value_shape):
    rng = np.random.default_rng(5)
    for value in (rng.normal(size=(3,) + value_shape), 0.0):
        tangent = rng.normal(size=(3,) + shape)
        expected = tangent.copy()
        for k in range(3):
            expected[k][index] = value[k] if isinstance(value, np.ndarray) else value
        batched.batch_setitem(tangent, index, value)
        np.testing.assert_array_equal(tangent, expected)


def gathered_energy(x):
    idx = np.array([0, 2, 2, 1, 0])
    energy = 0.0
    for k in range(3):  # in a loop, the adjoint of x[idx] is added in place
        energy = energy + np.sum(np.sin(x[idx]) * x[idx] ** 2) / (k + 1)
    return energy


def test_vector_mode_goes_through_adjoints_that_add_at_repeated_indices():
    x = np.array([0.3, -0.7, 1.1])
    gradient = s2sad.grad(gathered_energy)
    assert "batch_accumulate_at(x_bar_dot, idx" in s2sad.source(gradient, mode="vector")
    vectorized = s2sad.jacfwd(gradient)(x)
    columns = s2sad.jacfwd(gradient, vectorized=False)(x)
    np.testing.assert_allclose(vectorized, columns, rtol=1e-12, atol=1e-14)
    counts = np.array([2.0, 1.0, 2.0]) * (1 + 1 / 2 + 1 / 3)  # diagonal: each index's reads
    second = (2 - x ** 2) * np.sin(x) + 4 * x * np.cos(x)
    np.testing.assert_allclose(vectorized, np.diag(counts * second), rtol=1e-12, atol=1e-14)


def test_batch_accumulate_at_equals_one_add_at_per_direction():
    rng = np.random.default_rng(6)
    index, values = np.array([0, 2, 2, 1]), rng.normal(size=(3, 4))
    tangent = rng.normal(size=(3, 5))
    expected = tangent.copy()
    for k in range(3):
        np.add.at(expected[k], index, values[k])
    batched.batch_accumulate_at(tangent, index, values)
    np.testing.assert_allclose(tangent, expected)


# NumPy functions given a list of arrays build one array from it: in vector mode the
# list's tangent is a tuple of batched items, whose own array would put the directions on
# the second axis. Each batched form turns it into the batched array first.
W = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]])


def copy_of_a_list(x):
    return np.copy([x[0], x[1] * 3.0]) ** 2


def reshape_of_a_list(x):
    return np.reshape([x[0], x[1] * 3.0], (2, 1)) ** 2


def ravel_of_nested_lists(x):
    return np.ravel([[x[0]], [x[1] * 3.0]]) ** 2


def sum_of_a_list(x):
    return np.sum([x[0] * x[1], x[1] * 3.0]) * x


def sum_of_nested_lists_along_an_axis(x):
    return np.sum([[x[0], x[1]], [x[1], 2 * x[0]]], axis=0) ** 2


def product_with_a_list(x):
    return np.sin(W @ [x[0], x[1] ** 2])


def dot_of_lists(x):
    return np.dot([x[0], x[1] ** 2], [x[1], 1.0]) * x


@pytest.mark.parametrize("function", [
    copy_of_a_list, reshape_of_a_list, ravel_of_nested_lists, sum_of_a_list,
    sum_of_nested_lists_along_an_axis, product_with_a_list, dot_of_lists])
def test_structural_rules_of_lists_of_arrays(function):
    x = np.array([1.5, -0.5])
    directions = np.array([[1.0, 2.0], [3.0, -1.0]])  # not symmetric: a transposition shows
    _, batched_tangent = s2sad.jvp(function, (x,), (directions,), batched=True)
    one_by_one = [s2sad.jvp(function, (x,), (v,))[1] for v in directions]
    np.testing.assert_allclose(batched_tangent, one_by_one, rtol=1e-12)
    checks.check_forward_and_reverse(function, (x,))
