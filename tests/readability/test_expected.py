"""The hand-written derivatives of ``expected/`` are right: each adjoint against central
differences of its function, each tangent's value against the function and its derivative
against a central difference along a direction, and adjoint against tangent by the
dot-product identity, at the arguments of ``functions.py``."""

import importlib
import inspect

import numpy as np
import pytest

from tests.readability.functions import ALL_FUNCTIONS

CASES = [pytest.param(function, args, wrt if isinstance(wrt, tuple) else (wrt,),
                      isinstance(wrt, tuple), id=function.__name__)
         for function, (args, wrt) in ALL_FUNCTIONS.items()]


def expected(function, mode):
    """The hand-written ``adjoint`` or ``tangent`` of ``function``."""
    name = f"{function.__name__}_{mode}"
    return getattr(importlib.import_module(f"tests.readability.expected.{name}"), name)


def with_moved(args, positions, direction, step):
    """``args`` with each argument at ``positions`` moved by ``step`` times its direction."""
    moved = list(args)
    for position, delta in zip(positions, direction):
        value = np.asarray(args[position], dtype=float) + step * delta
        moved[position] = value if value.ndim else float(value)
    return moved


def central(function, args, positions, direction, eps=1e-6):
    """The central difference of ``function`` at ``args`` along ``direction``."""
    forward = function(*with_moved(args, positions, direction, eps))
    backward = function(*with_moved(args, positions, direction, -eps))
    return (forward - backward) / (2 * eps)


def random_direction(args, positions, seed=7):
    """A direction of the shapes of the arguments at ``positions``."""
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(np.shape(args[p])) for p in positions]


def unit_directions(args, positions):
    """Each unit direction of the arguments at ``positions``, with where its one is."""
    for index, position in enumerate(positions):
        for item in np.ndindex(np.shape(args[position])):
            direction = [np.zeros(np.shape(args[p])) for p in positions]
            direction[index][item] = 1.0
            yield index, item, direction


def adjoints(function, args, positions, is_tuple, output_bar=1.0):
    """The hand-written adjoint's results, as a list in the order of ``positions``."""
    result = expected(function, "adjoint")(*args, output_bar)
    return [np.asarray(r, dtype=float) for r in (result if is_tuple else (result,))]


def close(actual, wanted, tolerance=1e-6):
    """Equal to a relative ``tolerance``, taken against the largest of ``wanted`` and one."""
    scale = max(1.0, float(np.max(np.abs(wanted))))
    return np.allclose(actual, wanted, rtol=tolerance, atol=tolerance * scale)


@pytest.mark.parametrize("function, args, positions, is_tuple", CASES)
def test_adjoint_is_the_gradient(function, args, positions, is_tuple):
    gradient = adjoints(function, args, positions, is_tuple)
    assert [g.shape for g in gradient] == [np.shape(args[p]) for p in positions]
    for index, item, direction in unit_directions(args, positions):
        assert close(gradient[index][item], central(function, args, positions, direction)), \
            (index, item)


@pytest.mark.parametrize("function, args, positions, is_tuple", CASES)
def test_adjoint_is_linear_in_the_output_adjoint(function, args, positions, is_tuple):
    once = adjoints(function, args, positions, is_tuple)
    scaled = adjoints(function, args, positions, is_tuple, output_bar=-1.7)
    for a, b in zip(once, scaled):
        assert close(b, -1.7 * a)


@pytest.mark.parametrize("function, args, positions, is_tuple", CASES)
def test_tangent_is_the_directional_derivative(function, args, positions, is_tuple):
    direction = random_direction(args, positions)
    value, value_dot = expected(function, "tangent")(*args, *direction)
    assert close(value, function(*args), 1e-12)
    assert close(value_dot, central(function, args, positions, direction))


@pytest.mark.parametrize("function, args, positions, is_tuple", CASES)
def test_adjoint_and_tangent_agree(function, args, positions, is_tuple):
    direction = random_direction(args, positions, seed=11)
    _, value_dot = expected(function, "tangent")(*args, *direction)
    gradient = adjoints(function, args, positions, is_tuple)
    assert close(sum(np.sum(g * d) for g, d in zip(gradient, direction)), value_dot, 1e-10)


@pytest.mark.parametrize("function, args, positions, is_tuple", CASES)
def test_signatures_are_those_s2sad_uses(function, args, positions, is_tuple):
    names = list(inspect.signature(function).parameters)
    adjoint = inspect.signature(expected(function, "adjoint")).parameters
    assert list(adjoint)[:-1] == names
    assert list(adjoint)[-1].endswith("_bar") and adjoint[list(adjoint)[-1]].default == 1.0
    tangent = list(inspect.signature(expected(function, "tangent")).parameters)
    assert tangent == names + [names[p] + "_dot" for p in positions]


@pytest.mark.parametrize("function, args, positions, is_tuple", CASES)
def test_arguments_are_left_alone(function, args, positions, is_tuple):
    copies = [np.copy(a) for a in args]
    adjoints(function, args, positions, is_tuple)
    expected(function, "tangent")(*args, *random_direction(args, positions))
    assert all(np.array_equal(a, c) for a, c in zip(args, copies))
