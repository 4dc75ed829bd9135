"""The callables people pass to ``grad`` and its kin, made into plain functions:
``functools.partial`` objects (their bound arguments fixed, ``wrt`` counted among the
rest), callable objects and ``functools.wraps`` wrappers, and positions that fall in a
function's ``*args``.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

from s2sad.dispatch import generic
from s2sad.parameters import (
    Wrt,
    _in_varargs,
    _name,
    _refuse_self,
    _varargs,
    _wrt_names,
    _wrt_or_argnums,
)


def _through_partial(make: Callable) -> Callable:
    """Let ``make(functools.partial(h, *args, **keywords), wrt)`` be ``make(h, wrt')`` with
    the same values bound: the partial's arguments are fixed values, and ``wrt`` counts
    the parameters it leaves (as its signature does). ``argnums=`` is ``wrt=``."""

    @functools.wraps(make)
    def wrapper(function: Callable, wrt: Wrt | None = None, *, argnums: Wrt | None = None,
                **options: Any):
        wrt = _wrt_or_argnums(make, wrt, argnums)
        _refuse_self(make, function, wrt)
        function = _as_function(function)
        if _in_varargs(function, wrt):
            return _through_varargs(make, function, wrt, **options)
        if isinstance(function, functools.partial):
            inner = _as_function(function.func)
            bound = len(function.args)
            shifted = (tuple(k + bound if type(k) is int else k for k in wrt)
                       if isinstance(wrt, (tuple, list))
                       else wrt + bound if type(wrt) is int else wrt)
            if not isinstance(inner, functools.partial) and _in_varargs(inner, shifted):
                made = _through_varargs(make, inner, shifted, **options)
            else:
                names, as_tuple = _wrt_names(function, wrt)
                made = wrapper(inner, wrt=names if as_tuple else names[0], **options)
            return functools.partial(made, *function.args, **function.keywords)
        return make(function, wrt=wrt, **options)

    return wrapper


def _as_function(function: Callable) -> Callable:
    """A bound method as its function with ``self`` bound, a callable object as its
    class's ``__call__`` with the object bound (``functools.partial``): differentiated
    with respect to the explicit arguments, ``self`` a fixed value. A derivative that
    dispatches by shapes is its version for any shapes."""
    function = generic(function)
    if isinstance(function, types.MethodType) and isinstance(function.__func__,
                                                             types.FunctionType):
        return functools.partial(function.__func__, function.__self__)
    if not isinstance(function, (types.FunctionType, functools.partial, types.MethodType,
                                 types.BuiltinFunctionType, type)) \
            and callable(function) and not getattr(function, "__s2sad_derivative__", False):
        call = next((vars(kind)["__call__"] for kind in type(function).__mro__
                     if "__call__" in vars(kind)), None)
        if isinstance(call, types.FunctionType):
            return functools.partial(call, function)
    return function


def _through_varargs(make: Callable, function: Callable, wrt: Wrt, **options: Any) -> Callable:
    """``grad(f, wrt=k)`` where position ``k`` falls in ``f``'s ``*args``: the gradient
    with respect to the whole ``*args`` tuple, of which the positions asked for are
    picked. A ``make`` marked ``takes_varargs_positions`` (the Jacobians) picks them
    itself."""
    if getattr(make, "takes_varargs_positions", False):
        return make(function, wrt=wrt, **options)
    if make.__name__ not in ("grad", "value_and_grad") or options.get("has_aux") \
            or options.get("holomorphic"):
        raise TypeError(f"{make.__name__} differentiates with respect to *args positions "
                        f"only as grad, value_and_grad (plain), jacfwd, jacrev and hessian "
                        f"do; give {_name(function)} named parameters")
    named, star = _varargs(function)
    as_tuple = isinstance(wrt, (tuple, list))
    items = list(wrt) if as_tuple else [wrt]
    picks = []  # (name, index in *args or None)
    for item in items:
        if type(item) is int and item >= named:
            picks.append((star, item - named))
        else:
            picks.append((_wrt_names(function, item)[0][0], None))
    names = tuple(dict.fromkeys(name for name, _ in picks))
    made = make(function, wrt=names, **options)

    def pick(found: tuple) -> Any:
        chosen = [found[names.index(name)] if index is None
                  else found[names.index(name)][index] for name, index in picks]
        return tuple(chosen) if as_tuple else chosen[0]

    @functools.wraps(function)
    def picked(*args: Any, **kwargs: Any) -> Any:
        found = made(*args, **kwargs)
        if make.__name__ == "value_and_grad":
            return found[0], pick(found[1])
        return pick(found)

    picked.__name__ = f"{_name(function)}_{make.__name__}"
    return picked
