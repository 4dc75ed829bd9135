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
import types
from collections.abc import Callable
from typing import Any

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
    """Mark a function of your own for a VJP you give with ``function.defvjp(rule, ...)``
    (one rule per argument, in order, or ``argument=`` by keyword). Forward mode still
    differentiates its source unless ``defjvp`` gives a JVP too."""
    function.defvjp = _definer(function, register_vjp)
    function.defjvp = _definer(function, register_jvp)
    return function


custom_jvp = custom_vjp


def _definer(function: Callable, register: Callable) -> Callable:
    def define(*rules: Callable, argument: int | str | None = None) -> Callable:
        if argument is not None:
            register(function, argument)(rules[0])
        else:
            for position, rule in enumerate(rules):
                register(function, position)(rule)
        return function

    return define
