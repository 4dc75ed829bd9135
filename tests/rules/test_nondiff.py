"""Functions declared nondifferentiable, and the conventions the elementwise rules
follow at points where a derivative does not exist (ties, kinks, poles)."""

import builtins
import math
import operator

import numpy as np
import pytest

from s2sad.rules import RULES
from s2sad.runtime.elementwise import digamma, i1, sinc_slope

NONDIFFERENTIABLE = [
    # numpy rounding, sign and integer arithmetic
    np.floor,
    np.ceil,
    np.round,
    np.around,
    np.rint,
    np.trunc,
    np.fix,
    np.sign,
    np.heaviside,
    np.floor_divide,
    # indices and searching
    np.argmax,
    np.argmin,
    np.argsort,
    np.nonzero,
    np.flatnonzero,
    np.searchsorted,
    np.digitize,
    np.count_nonzero,
    # comparisons, logic and predicates
    np.greater,
    np.greater_equal,
    np.less,
    np.less_equal,
    np.equal,
    np.not_equal,
    np.logical_and,
    np.logical_or,
    np.logical_not,
    np.logical_xor,
    np.isnan,
    np.isinf,
    np.isfinite,
    np.isclose,
    np.allclose,
    np.array_equal,
    # bitwise
    np.bitwise_and,
    np.bitwise_or,
    np.bitwise_xor,
    np.invert,
    np.bitwise_not,
    np.left_shift,
    np.right_shift,
    # constants and shapes
    np.zeros_like,
    np.ones_like,
    np.empty_like,
    np.zeros,
    np.ones,
    np.empty,
    np.eye,
    np.identity,
    np.arange,
    np.shape,
    np.ndim,
    np.size,
    # built-ins
    len,
    round,
    int,
    bool,
    isinstance,
    range,
    type,
    # operators
    operator.floordiv,
    operator.lt,
    operator.le,
    operator.gt,
    operator.ge,
    operator.eq,
    operator.ne,
    operator.not_,
    operator.and_,
    operator.or_,
    operator.xor,
    operator.invert,
    operator.truth,
    operator.is_,
    operator.is_not,
    operator.contains,
    # math
    math.floor,
    math.ceil,
    math.trunc,
    math.isfinite,
    math.isinf,
    math.isnan,
    math.isclose,
    math.factorial,
    math.gcd,
    math.lcm,
    math.comb,
    math.perm,
    math.isqrt,
    # random sampling
    np.random.normal,
    np.random.uniform,
    np.random.rand,
    np.random.randn,
    np.random.seed,
    np.random.default_rng,
    np.random.Generator.normal,
    np.random.Generator.integers,
    np.random.Generator.standard_normal,
    np.random.RandomState.normal,
]


def _name(fn):
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", repr(fn))


@pytest.mark.parametrize("fn", NONDIFFERENTIABLE, ids=[_name(f) for f in NONDIFFERENTIABLE])
def test_declared_nondifferentiable(fn):
    rules = RULES.find(fn)
    assert rules is not None, f"{_name(fn)} has no rules at all"
    assert rules.nondifferentiable
    assert rules.modes() == ("zero",)
    assert not rules.vjps and not rules.jvps


def test_every_public_random_function_is_covered():
    selecting = {"choice", "permutation", "permuted", "shuffle"}
    for owner in (np.random, np.random.Generator):
        for name in dir(owner):
            value = getattr(owner, name)
            if name.startswith("_") or not callable(value) or isinstance(value, type):
                continue
            rules = RULES.find(value)
            if name in selecting:  # they can return active elements of their input
                assert rules is None or not rules.nondifferentiable, name
            else:
                assert rules is not None and rules.nondifferentiable, name


@pytest.mark.parametrize(
    "fn",
    [
        np.sin,
        np.maximum,
        np.clip,
        np.where,
        np.full,
        operator.mul,
        operator.matmul,
        abs,
        math.exp,
        math.hypot,
        builtins.abs,
    ],
)
def test_differentiable_functions_are_not_declared_nondifferentiable(fn):
    rules = RULES.find(fn)
    assert rules is not None and not rules.nondifferentiable
    assert set(rules.modes()) == {"jvp", "vjp"}


# ---- conventions at points without a derivative ------------------------------------


def _vjp(fn, argument, g, *args, **kwargs):
    rule = RULES.vjp_rule(fn, argument)
    return rule.template(g, fn(*args, **kwargs), *args, **kwargs)


def test_maximum_and_minimum_split_ties():
    x = np.array([1.0, 2.0, 3.0])
    y = np.array([1.0, 5.0, 0.0])
    g = np.ones(3)
    np.testing.assert_array_equal(_vjp(np.maximum, "x1", g, x, y), [0.5, 0.0, 1.0])
    np.testing.assert_array_equal(_vjp(np.maximum, "x2", g, x, y), [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(_vjp(np.minimum, "x1", g, x, y), [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(_vjp(np.fmax, "x1", g, x, y), [0.5, 0.0, 1.0])
    np.testing.assert_array_equal(_vjp(np.fmin, "x2", g, x, y), [0.5, 0.0, 1.0])


def test_abs_and_norms_have_subgradient_zero_at_zero():
    assert _vjp(np.abs, "x", np.ones(3), np.array([-2.0, 0.0, 3.0])).tolist() == [-1, 0, 1]
    assert _vjp(operator.abs, "a", 1.0, 0.0) == 0.0
    assert _vjp(math.fabs, "x", 1.0, 0.0) == 0.0
    assert _vjp(np.hypot, "x1", 1.0, 0.0, 0.0) == 0.0
    assert _vjp(math.hypot, "coordinates", 1.0, 0.0, 0.0) == (0.0, 0.0)
    assert _vjp(math.dist, "p", 1.0, (1.0, 2.0), (1.0, 2.0)) == (0.0, 0.0)


def test_clip_ties_go_to_the_argument():
    a = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    g = np.ones(5)
    np.testing.assert_array_equal(_vjp(np.clip, "a", g, a, 0.0, 1.0), [0, 1, 1, 1, 0])
    assert _vjp(np.clip, "a_min", g, a, 0.0, 1.0) == 1.0
    assert _vjp(np.clip, "a_max", g, a, 0.0, 1.0) == 1.0


def test_power_has_zero_exponent_derivative_at_zero_base():
    x = np.array([0.0, 2.0])
    # np.power shares operator.pow's rules, so its exponent is the parameter "b"
    assert np.all(np.isfinite(_vjp(np.power, "b", np.ones(2), x, np.array([1.5, 1.5]))))
    assert _vjp(operator.pow, "b", 1.0, 0.0, 2.0) == 0.0
    assert _vjp(math.pow, "y", 1.0, 0.0, 2.0) == 0.0


def test_sqrt_at_zero_is_infinite_like_numpy():
    with np.errstate(divide="ignore"):
        assert _vjp(np.sqrt, "x", np.ones(1), np.zeros(1))[0] == np.inf


def test_sinc_slope_is_smooth_through_zero():
    x = np.array([-1e-2 * (1 + 1e-12), -1e-2, 0.0, 1e-9])
    slope = sinc_slope(x)
    assert slope[2] == 0.0
    np.testing.assert_allclose(slope[0], slope[1], rtol=1e-9)
    np.testing.assert_allclose(slope[3], -(np.pi**2) / 3 * 1e-9, rtol=1e-9)


def test_digamma_poles_and_reference_values():
    assert math.isnan(digamma(0.0)) and math.isnan(digamma(-3.0))
    assert digamma(math.inf) == math.inf
    euler = 0.57721566490153286
    assert abs(digamma(1.0) + euler) < 1e-15
    assert abs(digamma(0.5) + euler + 2 * math.log(2.0)) < 1e-15
    # psi(n + 1) = H_n - gamma, and the reflection formula at negative arguments
    assert abs(digamma(11.0) - (sum(1.0 / k for k in range(1, 11)) - euler)) < 1e-14
    x = -2.3
    reflected = digamma(1.0 - x) - math.pi / math.tan(math.pi * x)
    assert abs(digamma(x) - reflected) < 1e-12


def test_digamma_and_i1_match_scipy():
    special = pytest.importorskip("scipy.special")
    xs = np.concatenate([np.linspace(-20.7, 50.0, 801), np.geomspace(1e-6, 1e6, 200)])
    ours = np.array([digamma(x) for x in xs])
    np.testing.assert_allclose(ours, special.digamma(xs), rtol=1e-12, atol=1e-14)
    xs = np.concatenate([np.linspace(-60.0, 60.0, 1201), np.geomspace(1e-8, 700.0, 200)])
    np.testing.assert_allclose(i1(xs), special.i1(xs), rtol=1e-13)
