"""Calls of a function held in a variable (``f(t, y)`` where ``f`` is an argument, a local
lambda, an item of a list or dict, or a factory's result): differentiated by what ``f``
holds when the call runs.

The derivative asks a ``ValueDerivatives`` stand-in, ``f_adjoint_of(f)``, for the
compiled derivative of a function of its own made for the function ``f`` reaches and the
call's shape, ``def call_f(arg0, arg1, k): return f(arg0, arg1, k=k)`` (``f`` bound in
its globals; the object of a bound method or a callable object, and a partial's
arguments, are its first parameters, given back bound: one derivative serves every
object). That function is differentiated as any other, so ``f`` is reached as a direct
call: a user function (its derivative built and cached as for a direct call), a lambda, a
closure, a NumPy function with rules, a function with rules of the user's. The
derivative is then called as any, ``f_adjoint_of(f)(a, b, c, g)``: a call through a
variable again, which is how derivatives of derivatives go through it.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import itertools
import keyword
import linecache
import types
from typing import Any

from s2sad.callees import Derivatives
from s2sad.errors import S2sadError
from s2sad.recomputation import recomputation
from s2sad.request import Request

_SUFFIX = {"forward": "_dot", "vector": "_dot"}
_serial = itertools.count(1)
#: entries a stand-in keeps (a closure made afresh at each call is a value of its own)
_KEPT = 64


def extra_names(mode: str, active: tuple[str, ...]) -> list[str]:
    """The names a derivative of the call function takes its tangents (or the output's
    adjoint, after the arguments) by."""
    if mode == "reverse":
        return ["_y_bar"]
    return [slot + _SUFFIX[mode] for slot in active]


class ValueDerivatives:
    """The derivatives of one call through a variable: ``stub(f)`` is the derivative, for
    ``mode`` and the ``active`` argument slots, of calling ``f`` with ``positional``
    arguments and the ``keywords`` named. ``where`` names the user's call (file, line,
    column, and the variable)."""

    def __init__(self, mode: str, positional: int, keywords: tuple[str, ...],
                 active: tuple[str, ...], derivatives: Derivatives, where: str,
                 checked: bool = False) -> None:
        self.mode = mode
        #: (reverse mode) the forward sweep's result follows the output's adjoint: a
        #: function that may give another result when run again has its recomputation
        #: checked
        self.checked = checked
        self.positional = positional
        self.keywords = keywords
        self.active = active
        self.derivatives = derivatives
        self.where = where
        self.request = Request(mode, active, wrt_tuple=True)
        #: (id of the function reached, values bound first, keywords bound) -> the
        #: function reached (kept: its id is not reused), the call function, its derivative
        self._calls: dict[tuple, list] = {}

    def __call__(self, function: Any) -> Any:
        target, first, named = _target(function)
        key = (id(target), len(first), tuple(named))
        found = self._calls.get(key)
        if found is None:
            call = _make_call(target, len(first), tuple(named), self.positional,
                              self.keywords, self.where)
            if len(self._calls) >= _KEPT:
                del self._calls[next(iter(self._calls))]
            found = self._calls[key] = [target, call, None]
        generated = found[2]
        if generated is None or not generated.is_current(found[1]):
            generated = found[2] = self._derivative(function, found[1])
        bound = (*first, *named.values())
        return functools.partial(generated.function, *bound) if bound else generated.function

    def apply(self, function: Any, args: tuple, keywords: dict, extras: tuple) -> Any:
        """The derivative of calling ``function`` with ``args`` and ``keywords`` (in the
        call shape this was made for), given the tangents or the output's adjoint."""
        derivative = self(function)
        arguments = (*args, *keywords.values())
        if self.mode == "reverse":
            return derivative(*arguments, *extras)
        return derivative(*arguments, **dict(zip(extra_names(self.mode, self.active), extras)))

    def _derivative(self, function: Any, call: Any) -> Any:
        """The derivative of the call function, located at the user's call if it fails."""
        request = self.request
        if self.checked:  # the forward sweep's result follows the output's adjoint
            request = dataclasses.replace(request, result="checked" if recomputation(
                call).differs else "taken")
        try:
            generated = self.derivatives.derivative(call, request)
        except S2sadError as error:
            raise S2sadError(f"{self.where}: differentiating the call of "
                             f"{_name(function)}: {error}") from error
        expected = extra_names(self.mode, self.active)
        if self.mode != "reverse" and list(generated.extra_parameters) != expected:
            raise S2sadError(f"{self.where}: the call of {_name(function)} passes an argument "
                             f"named like a derivative ({expected}); rename it")
        return generated

    def __repr__(self) -> str:
        return f"<derivatives of the call at {self.where} ({self.mode})>"


def _name(function: Any) -> str:
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", None)
    return name or f"a {type(function).__qualname__} object"


def _target(function: Any) -> tuple[Any, tuple, dict]:
    """The function a call of ``function`` reaches, and the values it is called with first
    (an object, a partial's arguments) and by keyword (a partial's keywords)."""
    if isinstance(function, types.MethodType):
        return function.__func__, (function.__self__,), {}
    if isinstance(function, functools.partial):
        target, first, named = _target(function.func)
        return target, (*first, *function.args), {**named, **function.keywords}
    if not callable(function):
        raise TypeError(f"'{type(function).__name__}' object is not callable")
    if isinstance(function, (types.FunctionType, type)):
        return function, (), {}
    if hasattr(function, "_request") and hasattr(function, "_function"):
        return function._function(), (), {}  # s2sad.grad(g) and the like: its derivative
    from s2sad.rules import RULES

    if RULES.find(function) is not None:
        return function, (), {}
    method = inspect.getattr_static(type(function), "__call__", None)
    module = getattr(method, "__module__", None) or ""
    if isinstance(method, types.FunctionType) and module.split(".")[0] not in (
            "numpy", "scipy", "s2sad"):  # a callable object of the user's class
        return method, (function,), {}
    return function, (), {}


def _make_call(target: Any, first: int, named: tuple[str, ...], positional: int,
               keywords: tuple[str, ...], where: str) -> Any:
    """``def call_f(_s2sad_bound0, arg0, ..., k): return f(_s2sad_bound0, arg0, ...,
    k=k)``, from source registered in ``linecache`` (so it is differentiated like any
    function with source)."""
    parameters = [f"arg{i}" for i in range(positional)] + list(keywords)
    if len(set(parameters)) != len(parameters) or any(keyword.iskeyword(k) for k in keywords):
        raise S2sadError(f"{where}: a keyword argument named like a position (arg0, arg1, "
                         "...) in a call through a variable is not supported; rename it")
    bound = [f"_s2sad_bound{i}" for i in range(first + len(named))]
    stem = getattr(target, "__name__", "function")
    name = f"call_{stem if stem.isidentifier() else 'lambda'}"
    given = bound[:first] + [f"arg{i}" for i in range(positional)]
    given += [f"{k}={k}" for k in keywords]
    given += [f"{k}={b}" for k, b in zip(named, bound[first:]) if k not in keywords]
    source = (f"def {name}({', '.join(bound + parameters)}):\n"
              f"    return _s2sad_function({', '.join(given)})\n")
    filename = f"<call of a function value {next(_serial)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    scope: dict[str, Any] = {"__name__": "s2sad_function_values", "_s2sad_function": target}
    exec(compile(source, filename, "exec"), scope)
    return scope[name]
