"""Check derivative rules numerically, without the compiler.

``check_rule`` calls a function's registered JVP and VJP rules directly and checks them
against central finite differences and against each other through the dot-product
identity ``<g, J v> == <J^T g, v>``. It is how every built-in rule is tested, and how a
user can test a rule before registering it.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np

from s2sad.rules import RULES
from s2sad.rules.registry import RuleSet


class Symmetric(str):
    """A ``wrt`` entry of :func:`check_rule`: check this parameter along symmetric
    directions only.

    Rules of functions of a symmetric matrix (``np.linalg.eigh``, ``cholesky``, ...)
    differentiate them as functions of the symmetric part of their input, while the
    primal reads one triangle; a general random direction then makes finite differences
    and the rule disagree. For a ``Symmetric`` parameter the random direction is
    symmetrized in the last two axes of every square-matrix leaf. Plain names are checked
    along general directions, as before.

    >>> Symmetric("a") == "a"
    True
    """


def _symmetrize(v):
    if isinstance(v, np.ndarray) and v.ndim >= 2 and v.shape[-1] == v.shape[-2]:
        return (v + np.swapaxes(v, -1, -2)) / 2
    return v


def tree_map(fn, *trees):
    """Apply ``fn`` leafwise to tuples/lists/dicts of arrays and scalars."""
    first = trees[0]
    if isinstance(first, (tuple, list)):
        items = [tree_map(fn, *parts) for parts in zip(*trees)]
        return tuple(items) if isinstance(first, tuple) else items
    if isinstance(first, dict):
        return {k: tree_map(fn, *(t[k] for t in trees)) for k in first}
    return fn(*trees)


def tree_leaves(tree) -> list:
    if isinstance(tree, (tuple, list)):
        return [leaf for part in tree for leaf in tree_leaves(part)]
    if isinstance(tree, dict):
        return [leaf for k in tree for leaf in tree_leaves(tree[k])]
    return [tree]


def inner(a, b) -> float:
    """Real inner product of two values of the same structure (complex as pairs)."""
    total = 0.0
    for u, v in zip(tree_leaves(a), tree_leaves(b)):
        if u is None or v is None:
            continue
        total += float(np.real(np.sum(np.conj(np.asarray(u)) * np.asarray(v))))
    return total


def random_like(x, rng: np.random.Generator):
    """A random direction with the structure, shape and dtype of ``x``."""

    def leaf(v):
        if hasattr(v, "__array__") and not isinstance(v, (np.ndarray, np.generic)):
            v = np.asarray(v)  # an array kept in another form (s2sad.runtime.RankOne)
        if isinstance(v, np.ndarray):
            if v.dtype.kind == "b":  # flags as an array (SciPy 1.18's cho_factor lower)
                return np.zeros(v.shape)
            if v.dtype.kind == "c":
                return (rng.standard_normal(v.shape) + 1j * rng.standard_normal(v.shape)).astype(
                    v.dtype
                )
            return rng.standard_normal(v.shape).astype(v.dtype if v.dtype.kind == "f" else float)
        if isinstance(v, complex):
            return complex(rng.standard_normal(), rng.standard_normal())
        if isinstance(v, (bool, np.bool_)):  # a flag, such as the lower of cho_factor's (c, lower)
            return 0.0
        return float(rng.standard_normal())

    return tree_map(leaf, x)


def is_differentiable(x) -> bool:
    leaves = tree_leaves(x)
    return bool(leaves) and all(
        isinstance(v, (float, complex))
        and not isinstance(v, bool)
        or isinstance(v, np.ndarray)
        and v.dtype.kind in "fc"
        or isinstance(v, np.floating)
        for v in leaves
    )


def _axpy(alpha, v, x):
    # flags (bools, also in an array) inside an argument are never perturbed
    return tree_map(
        lambda vv, xx: xx if isinstance(xx, (bool, np.bool_)) or _is_flags(xx)
        else xx + alpha * vv, v, x
    )


def _is_flags(x) -> bool:
    return isinstance(x, np.ndarray) and x.dtype.kind == "b"


def jvp_by_rules(rules: RuleSet, bound, ans, tangents: dict[str, Any]):
    """Sum of the JVP rules' contributions for the given parameter tangents."""
    total = None
    for name, tangent in tangents.items():
        if name in rules.jvps:
            rule = rules.jvps[name]
            contribution = rule.template(tangent, ans, *bound.args, **bound.kwargs)
        elif name in rules.linear:
            arguments = dict(bound.arguments)
            arguments[name] = tangent
            rebound = bound.signature.bind_partial()
            rebound.arguments.update(arguments)
            contribution = rules.function(*rebound.args, **rebound.kwargs)
        else:
            raise AssertionError(f"{rules.name} has no JVP rule for {name!r}")
        total = contribution if total is None else tree_map(np.add, total, contribution)
    return total


def check_rule(
    function: Any,
    args: Sequence[Any],
    kwargs: dict[str, Any] | None = None,
    wrt: Sequence[str | int] | None = None,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    seed: int = 0,
    modes: Sequence[str] = ("jvp", "vjp"),
) -> None:
    """Check ``function``'s registered rules at ``args`` (raises AssertionError if wrong).

    ``wrt`` names (or numbers) the parameters to check; by default every float argument.
    A name given as ``Symmetric(name)`` is checked along symmetric directions only.
    """
    kwargs = dict(kwargs or {})
    rules = RULES.find(function)
    if rules is None or rules.signature is None:
        raise AssertionError(f"no rules registered for {function!r}")
    rng = np.random.default_rng(seed)
    bound = rules.signature.bind(*args, **kwargs)
    chosen = _chosen(bound, wrt)
    ans = function(*args, **kwargs)
    tangents = {n: random_like(bound.arguments[n], rng) for n in chosen}
    for n in {str(w) for w in wrt or () if isinstance(w, Symmetric)}:
        tangents[n] = tree_map(_symmetrize, tangents[n])
    by_rules = jvp_by_rules(rules, bound, ans, tangents)
    if "jvp" in modes:
        plus = _moved_call(function, rules, args, kwargs, tangents, eps)
        minus = _moved_call(function, rules, args, kwargs, tangents, -eps)
        by_differences = tree_map(
            lambda p, m: _difference(p, m) / (2 * eps), plus, minus
        )
        _assert_close(
            by_rules, by_differences, rtol, atol, f"JVP of {rules.name} vs finite differences"
        )
    if "vjp" in modes:
        _check_dot_product(rules, bound, ans, by_rules, tangents, random_like(ans, rng),
                           rtol, atol)


def _chosen(bound: inspect.BoundArguments, wrt: Sequence[str | int] | None) -> list[str]:
    """The parameters ``wrt`` names (or numbers); by default every float argument."""
    names = list(bound.arguments)
    if wrt is None:
        return [n for n in names if is_differentiable(bound.arguments[n])]
    return [names[w] if isinstance(w, int) else str(w) for w in wrt]


def _moved_call(function: Any, rules: RuleSet, args: Sequence[Any], kwargs: dict[str, Any],
                tangents: dict[str, Any], alpha: float) -> Any:
    """``function`` called as given, each argument in ``tangents`` moved by ``alpha``
    times its tangent: by keyword what was given by keyword (a parameter keyword-only in
    one NumPy version may be positional in another)."""
    bound = rules.signature.bind(*args, **kwargs)
    names = list(bound.arguments)
    parameters = rules.signature.parameters
    if any(parameters[n].kind in (parameters[n].VAR_POSITIONAL, parameters[n].VAR_KEYWORD)
           for n in tangents):
        moved = rules.signature.bind(*args, **kwargs)
        for n, tangent in tangents.items():
            moved.arguments[n] = _axpy(alpha, tangent, bound.arguments[n])
        return function(*moved.args, **moved.kwargs)
    moved_args, moved_kwargs = list(args), dict(kwargs)
    for n, tangent in tangents.items():
        value = _axpy(alpha, tangent, bound.arguments[n])
        if n in moved_kwargs:
            moved_kwargs[n] = value
        else:
            moved_args[names.index(n)] = value
    return function(*moved_args, **moved_kwargs)


def _check_dot_product(rules: RuleSet, bound: inspect.BoundArguments, ans: Any, by_rules: Any,
                       tangents: dict[str, Any], g: Any, rtol: float, atol: float) -> None:
    """``<g, J v> = <J^T g, v>``: the VJP rules against the JVP ``by_rules`` along the
    ``tangents``."""
    lhs = inner(g, by_rules)
    rhs = 0.0
    for n in tangents:
        if n not in rules.vjps:
            raise AssertionError(f"{rules.name} has no VJP rule for {n!r}")
        adjoint = rules.vjps[n].template(g, ans, *bound.args, **bound.kwargs)
        _assert_same_structure(adjoint, bound.arguments[n], f"VJP of {rules.name} in {n}")
        rhs += inner(adjoint, tangents[n])
    scale = max(abs(lhs), abs(rhs), 1.0)
    if not abs(lhs - rhs) <= rtol * scale * 10 + atol:  # false for nan too
        raise AssertionError(
            f"dot-product identity fails for {rules.name}: "
            f"<g, Jv> = {lhs!r}, <J^T g, v> = {rhs!r}"
        )


def _difference(p, m):
    """``p - m`` for finite differences; a flag (bool) output differs by 0."""
    p, m = np.asarray(p), np.asarray(m)
    if p.dtype == bool:
        return np.zeros(p.shape)
    return p - m


def _assert_same_structure(adjoint, primal, what: str) -> None:
    adjoint_leaves, primal_leaves = tree_leaves(adjoint), tree_leaves(primal)
    if len(adjoint_leaves) != len(primal_leaves):
        raise AssertionError(
            f"{what}: {len(adjoint_leaves)} adjoint parts for {len(primal_leaves)} argument parts"
        )
    for a, p in zip(adjoint_leaves, primal_leaves):
        if a is None:
            continue
        if np.shape(a) != np.shape(p):
            raise AssertionError(
                f"{what}: adjoint shape {np.shape(a)} != argument shape {np.shape(p)}"
            )


def _assert_close(actual, expected, rtol, atol, what: str) -> None:
    for a, e in zip(tree_leaves(actual), tree_leaves(expected)):
        a = np.asarray(a)
        e = np.asarray(e)
        if a.shape != e.shape and a.size != e.size:
            raise AssertionError(f"{what}: shape {a.shape} != {e.shape}")
        np.testing.assert_allclose(
            a.reshape(e.shape), e, rtol=rtol, atol=atol, err_msg=what, equal_nan=False
        )
