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
    one of your own."""
    return _registered(RULES.vjp(function, argument))


def register_jvp(function: Any, argument: int | str = 0) -> Callable[[Callable], Callable]:
    """Decorator: ``rule(x_dot, ans, *params)`` is the JVP of ``function`` in ``argument``."""
    return _registered(RULES.jvp(function, argument))


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
