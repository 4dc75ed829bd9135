"""Your own derivative rules, in the same form as s2sad's built-in ones.

A VJP rule for argument ``x`` of ``fn`` is ``rule(g, ans, *fn's parameters)`` returning
``x``'s share of the adjoint; a JVP rule is ``rule(x_dot, ans, *fn's parameters)`` returning
the output's tangent from ``x``'s. A rule whose body is a single ``return`` is inlined into
the emitted source like the built-in ones.

>>> import numpy as np
>>> import s2sad
>>> def softplus(x):
...     return np.log1p(np.exp(x))
>>> @s2sad.register_vjp(softplus)
... def softplus_x(g, ans, x):
...     return g / (1.0 + np.exp(-x))
>>> def loss(x):
...     return np.sum(softplus(x))
>>> s2sad.grad(loss)(np.zeros(2))
array([0.5, 0.5])
"""

from __future__ import annotations

import inspect
import threading
import types
from collections.abc import Callable
from typing import Any

from s2sad.errors import MissingRuleError
from s2sad.rules.registry import RULES

__all__ = [
    "custom_jvp",
    "custom_vjp",
    "nondifferentiable",
    "register_jvp",
    "register_vjp",
    "stop_gradient",
]


def _registered(register: Callable) -> Callable:
    """Register, then forget every compiled derivative (one may have used an older rule)."""

    def decorate(template: Callable) -> Callable:
        from s2sad.pipeline import clear_cache

        register(template)
        clear_cache()
        return template

    return decorate


def register_vjp(function: Any, argument: int | str = 0) -> Callable[[Callable], Callable]:
    """Decorator: ``rule(g, ans, *params)`` is the VJP of ``function`` in ``argument`` (a
    position or a parameter name). Works for any callable: a C function, a SciPy routine,
    one of your own. For a callable without Python source and no JVP in ``argument``,
    forward mode transposes this rule (it is linear in ``g``)."""
    register = RULES.vjp(function, argument)

    def both(template: Callable) -> Callable:
        register(template)
        name = _name_of(template, argument, function)
        rules = RULES.find(function)
        if not isinstance(function, types.FunctionType) and _replaceable(rules.jvps, name):
            RULES.jvp(function, argument)(transposed(template, name, "jvp"))
        return template

    return _registered(both)


def register_jvp(function: Any, argument: int | str = 0) -> Callable[[Callable], Callable]:
    """Decorator: ``rule(x_dot, ans, *params)`` is the JVP of ``function`` in ``argument``.
    Without a VJP in ``argument``, reverse mode transposes this rule (it is linear in
    ``x_dot``), as JAX does with ``custom_jvp``."""
    register = RULES.jvp(function, argument)

    def both(template: Callable) -> Callable:
        register(template)
        name = _name_of(template, argument, function)
        if _replaceable(RULES.find(function).vjps, name):
            RULES.vjp(function, argument)(transposed(template, name, "vjp"))
        return template

    return _registered(both)


def _name_of(template: Callable, argument: int | str, function: Any) -> str:
    """The primal parameter ``argument`` names, as the rule's signature gives it."""
    parameters = list(inspect.signature(template).parameters)[2:]
    if isinstance(argument, str):
        return argument
    if not 0 <= argument < len(parameters):
        raise ValueError(f"{function!r} has no argument {argument}")
    return parameters[argument]


def _replaceable(table: dict, name: str) -> bool:
    """No rule for ``name`` in ``table`` yet, or only one made by transposition."""
    return name not in table or getattr(table[name].template, "transposed", False)


def transposed(template: Callable, argument: str, mode: str) -> Callable:
    """The rule of the other mode, from ``template``, a rule linear in its first
    parameter: its transpose, computed by s2sad's reverse mode on the rule's own source.

    From a JVP ``rule(x_dot, ans, *params)`` (``mode="vjp"``): ``g`` goes through the
    transpose of ``x_dot -> rule(x_dot, ...)``. From a VJP ``rule(g, ans, *params)``
    (``mode="jvp"``): ``x_dot`` goes through the transpose of ``g -> rule(g, ...)``.
    """
    from s2sad.pipeline import Request, derivative
    from s2sad.runtime import zeros_like

    signature = inspect.signature(template)
    first = next(iter(signature.parameters))

    def rule(seed: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(seed, ans, *args, **kwargs).arguments
        linear_in = bound[argument] if mode == "vjp" else ans  # any point: the map is linear
        adjoint = derivative(template, Request("reverse", (first,), wrt_tuple=False))
        values = dict(bound, **{first: zeros_like(linear_in)})
        return adjoint.function(**values, **{adjoint.extra_parameters[0]: seed})

    rule.__signature__ = signature
    base = template.__name__ if template.__name__.isidentifier() else f"{mode}_{argument}"
    rule.__name__ = rule.__qualname__ = f"{base}_transposed"
    rule.transposed = True
    return rule


def nondifferentiable(function: Any) -> Any:
    """Declare that ``function``'s result carries no derivative (like ``np.floor``)."""
    from s2sad.pipeline import clear_cache

    RULES.nondifferentiable(function)
    clear_cache()
    return function


def stop_gradient(x: Any) -> Any:
    """``x`` itself, through which no derivative flows.

    >>> import s2sad
    >>> def f(x):
    ...     return x * s2sad.stop_gradient(x)
    >>> s2sad.grad(f)(3.0)
    3.0
    """
    return x


RULES.nondifferentiable(stop_gradient)


def custom_vjp(function: Callable) -> Callable:
    """Mark a function of your own for a VJP given with ``function.defvjp``, in either
    form: JAX's, ``defvjp(fwd, bwd)`` with ``fwd(*args) -> (out, residuals)`` and
    ``bwd(residuals, g) -> (one cotangent per argument)``; or s2sad's, one rule
    ``rule(g, ans, *args)`` per argument, in order (or ``argument=`` by keyword). Forward
    mode still differentiates its source unless ``defjvp`` gives a JVP too."""
    function.defvjp = _vjp_definer(function)
    function.defjvp = _jvp_definer(function)
    return function


def custom_jvp(function: Callable) -> Callable:
    """Mark a function of your own for a JVP given with ``function.defjvp``, in either
    form: JAX's, ``defjvp(jvp)`` with ``jvp(primals, tangents) -> (out, out_dot)``
    (tuples, one entry per argument); or s2sad's, one rule ``rule(x_dot, ans, *args)`` per
    argument. Reverse mode follows the JVP too, through its transpose."""
    function.defjvp = _jvp_definer(function)
    return function


def _parameters(function: Callable) -> list[inspect.Parameter]:
    return list(inspect.signature(function).parameters.values())


def _positional_count(rule: Callable) -> int | None:
    """How many positional parameters ``rule`` takes (None with ``*args``)."""
    count = 0
    for parameter in _parameters(rule):
        if parameter.kind is parameter.VAR_POSITIONAL:
            return None
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def _vjp_definer(function: Callable) -> Callable:
    def defvjp(*rules: Callable, argument: int | str | None = None) -> Callable:
        arity = len(_parameters(function))
        if argument is None and len(rules) == 2 and _positional_count(rules[1]) == 2 \
                and _positional_count(rules[0]) in (arity, None):
            for position in range(arity):
                register_vjp(function, position)(_from_fwd_bwd(function, *rules, position))
            return function
        _check_rules(function, rules, argument, "defvjp", "rule(g, ans, *args)",
                     "defvjp(fwd, bwd)")
        return _define(function, register_vjp, rules, argument)

    return defvjp


def _jvp_definer(function: Callable) -> Callable:
    def defjvp(*rules: Callable, argument: int | str | None = None) -> Callable:
        if argument is None and len(rules) == 1 and _positional_count(rules[0]) == 2:
            for position in range(len(_parameters(function))):
                register_vjp(function, position)(_jvp_transposed(function, rules[0], position))
                register_jvp(function, position)(_from_jvp(function, rules[0], position))
            return function
        _check_rules(function, rules, argument, "defjvp", "rule(x_dot, ans, *args)",
                     "defjvp(jvp) with jvp(primals, tangents)")
        return _define(function, register_jvp, rules, argument)

    return defjvp


def _check_rules(function: Callable, rules: tuple, argument: Any, name: str, form: str,
                 jax_form: str) -> None:
    """s2sad's form: one rule per argument (at most), each taking two more parameters than
    ``function``."""
    arity = len(_parameters(function))
    if argument is None and len(rules) > arity:
        raise TypeError(
            f"{function.__name__}.{name} got {len(rules)} rules for {arity} arguments: "
            f"give JAX's {jax_form}, or one {form} per argument")
    for rule in rules:
        count = _positional_count(rule)
        if count is not None and count != arity + 2:
            raise TypeError(
                f"{function.__name__}.{name}: a rule {form} takes {arity + 2} parameters, "
                f"but {getattr(rule, '__name__', rule)!r} takes {count}; JAX's form is "
                f"{jax_form}")


def _define(function: Callable, register: Callable, rules: tuple, argument: Any) -> Callable:
    if argument is not None:
        register(function, argument)(rules[0])
    else:
        for position, rule in enumerate(rules):
            register(function, position)(rule)
    return function


def _rule_signature(function: Callable) -> inspect.Signature:
    """``(seed, ans, *function's parameters)``, the signature of a rule of ``function``."""
    parameters = _parameters(function)
    taken = {p.name for p in parameters}
    seed, ans = (next(n for n in (f"_{base}", f"__{base}", f"_{base}_rule") if n not in taken)
                 for base in ("seed", "ans"))
    head = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_ONLY) for n in (seed, ans)]
    return inspect.Signature(head + parameters)


def _from_fwd_bwd(function: Callable, fwd: Callable, bwd: Callable, position: int) -> Callable:
    """The VJP rule of argument ``position`` from JAX's ``fwd`` and ``bwd``: the residuals
    are computed again from the arguments when the reverse sweep needs them."""
    signature = _rule_signature(function)
    arity = len(_parameters(function))

    def rule(seed: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(seed, ans, *args, **kwargs)
        arguments.apply_defaults()
        primals = list(arguments.arguments.values())[2:]
        _, residuals = fwd(*primals)
        cotangents = bwd(residuals, seed)
        if not isinstance(cotangents, tuple) or len(cotangents) != arity:
            raise TypeError(f"the bwd of {function.__name__} must return a tuple of {arity} "
                            f"cotangents, one per argument, not {cotangents!r}")
        return cotangents[position]

    rule.__signature__ = signature
    rule.__name__ = rule.__qualname__ = f"{function.__name__}_vjp_{position}"
    return rule


def _from_jvp(function: Callable, jvp: Callable, position: int) -> Callable:
    """The JVP rule of argument ``position`` from JAX's ``jvp(primals, tangents)``: the
    other arguments' tangents zero (the JVP is linear in the tangents, so the rules of all
    arguments add up to it)."""
    from s2sad.runtime import zeros_like

    signature = _rule_signature(function)

    def rule(tangent: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(tangent, ans, *args, **kwargs)
        arguments.apply_defaults()
        primals = tuple(arguments.arguments.values())[2:]
        tangents = tuple(tangent if p == position else zeros_like(value)
                         for p, value in enumerate(primals))
        _, out_dot = jvp(primals, tangents)
        return out_dot

    rule.__signature__ = signature
    rule.__name__ = rule.__qualname__ = f"{function.__name__}_jvp_{position}"
    return rule


class _Transposing(threading.local):
    """The primals each transpose in progress runs ``jvp`` at (a stack)."""

    def __init__(self) -> None:
        self.primals: list[tuple[Callable, tuple]] = []


_transposing = _Transposing()


def _jvp_transposed(function: Callable, jvp: Callable, position: int) -> Callable:
    """The VJP rule of argument ``position`` from JAX's ``jvp``: s2sad's reverse mode of
    ``jvp`` with respect to its tangents, seeded with ``(0, g)``, at zero tangents (``jvp``
    is linear in them)."""
    from s2sad.pipeline import Request, derivative
    from s2sad.runtime import zeros_like

    signature = _rule_signature(function)
    signature_names = list(signature.parameters)
    tangents_name = list(inspect.signature(jvp).parameters)[1]

    def rule(seed: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        arguments = signature.bind(seed, ans, *args, **kwargs)
        arguments.apply_defaults()
        primals = tuple(arguments.arguments.values())[2:]
        for outer_function, outer in _transposing.primals:
            if outer_function is not function:
                continue
            if all(a is b for a, b in zip(outer, primals)):
                # ``jvp`` calling ``function`` on the very primals it is transposed at: at
                # zero tangents no adjoint reaches what depends on the primals alone
                return zeros_like(primals[position])
            raise MissingRuleError(
                function.__name__, "reverse", signature_names[position + 2],
                hint=f"Reverse mode transposes the JVP of {function.__name__}, which calls "
                f"{function.__name__} on other values than its primals (its tangents?): "
                f"give {function.__name__} a VJP as well (s2sad.custom_vjp and defvjp)")
        adjoint = derivative(jvp, Request("reverse", (tangents_name,), wrt_tuple=False))
        tangents = tuple(zeros_like(value) for value in primals)
        _transposing.primals.append((function, primals))
        try:
            found = adjoint.function(primals, tangents,
                                     **{adjoint.extra_parameters[0]: (zeros_like(ans), seed)})
        finally:
            _transposing.primals.pop()
        return found[position]

    rule.__signature__ = signature
    rule.__name__ = rule.__qualname__ = f"{function.__name__}_jvp_{position}_transposed"
    return rule
