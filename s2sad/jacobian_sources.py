"""Jacobians that can be differentiated again: ``jacfwd(jacrev(f))``, ``grad`` of code
that calls ``jacfwd(f)``.

A Jacobian is computed by machinery s2sad does not differentiate (it sweeps, stacks and
assembles trees of arrays at run time). To differentiate it, s2sad reads instead a Python
function with the same value, written from ``f``'s tangent, column by column::

    def f_jacobian(x, y):
        columns = []
        for j in range(np.size(x)):
            _, column = f_tangent(x, y, x_dot=unit_tangent(x, j))
            columns.append(column)
        stacked = np.stack(columns, axis=-1)
        return np.reshape(stacked, np.shape(stacked)[:-1] + np.shape(x))

for a function of named positional parameters, the Jacobian with respect to one of them,
with an array or number output. Anything else is refused, saying what to use instead.
"""

from __future__ import annotations

import inspect
import itertools
import linecache
from collections.abc import Callable
from typing import Any

import numpy as np

from s2sad.errors import S2sadError
from s2sad.pickling import reduced
from s2sad.request import Request
from s2sad.runtime.bases import unit_tangent

_serial = itertools.count(1)


class DifferentiableJacobian:
    """``jacfwd(f)`` or ``jacrev(f)``: called, the Jacobian ``compute`` gives; given to
    s2sad again, the function :func:`jacobian_source` writes."""

    #: what tells ``s2sad.callables`` a derivative from other callable objects
    __s2sad_derivative__ = True

    def __init__(self, compute: Callable, function: Callable, wrt: Any, how: str,
                 options: dict[str, Any], derivative: Callable) -> None:
        self._compute = compute
        self.__wrapped__ = function
        self.__name__ = self.__qualname__ = compute.__name__
        self.__doc__ = compute.__doc__
        self._request = (how, wrt, tuple(sorted(options.items())))
        self._made: Callable | None = None
        self._wrt, self._how, self._options = wrt, how, options
        self._derivative = derivative  # the pipeline's: (function, request) -> Generated

    def __call__(self, *args: Any, **keywords: Any) -> Any:
        return self._compute(*args, **keywords)

    def _function(self) -> Callable:
        """The Jacobian as a Python function s2sad reads (built once)."""
        if self._made is None:
            self._made = jacobian_source(self.__wrapped__, self._wrt, self._how, self._options,
                                         self._derivative)
        return self._made

    def __reduce__(self) -> tuple:  # pickled by the recipe that made it (s2sad/pickling.py)
        return reduced(self)

    def __repr__(self) -> str:
        return f"<s2sad Jacobian {self.__name__}>"


def jacobian_source(function: Callable, wrt: Any, how: str, options: dict[str, Any],
                    derivative: Callable) -> Callable:
    """The Jacobian of ``function`` with respect to ``wrt`` as a function with source, the
    tangent it calls made by ``derivative``."""
    name = getattr(function, "__name__", "function")
    refused = _refusal(function, wrt, options)
    if refused:
        raise S2sadError(f"{how}({name}) cannot be differentiated again: {refused}; for "
                         f"second derivatives use s2sad.hessian({name}), or "
                         f"jacfwd(grad({name})) / jacrev(grad({name}))")
    params = list(inspect.signature(function).parameters)
    chosen = params[wrt] if isinstance(wrt, int) else wrt
    tangent = derivative(function, Request("forward", (chosen,)))
    seed = tangent.extra_parameters[0]
    stem = name if name.isidentifier() else "function"
    listed = ", ".join(params)
    source = (
        f"def {stem}_jacobian({listed}):\n"
        f"    columns = []\n"
        f"    for j in range(np.size({chosen})):\n"
        f"        _, column = {stem}_tangent({listed}, {seed}=unit_tangent({chosen}, j))\n"
        f"        columns.append(column)\n"
        f"    stacked = np.stack(columns, axis=-1)\n"
        f"    return np.reshape(stacked, np.shape(stacked)[:-1] + np.shape({chosen}))\n")
    filename = f"<the Jacobian of {name}, differentiable {next(_serial)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    scope: dict[str, Any] = {"__name__": "s2sad_jacobians", "np": np,
                             "unit_tangent": unit_tangent,
                             f"{stem}_tangent": tangent.function}
    exec(compile(source, filename, "exec"), scope)
    return scope[f"{stem}_jacobian"]


def _refusal(function: Callable, wrt: Any, options: dict[str, Any]) -> str | None:
    """Why the Jacobian of ``function`` cannot be written as a function, or None."""
    if any(options.values()):
        return "its options (" + ", ".join(k for k, v in options.items() if v) + ") are not " \
            "supported there"
    if isinstance(wrt, (tuple, list)):
        return "a tuple of arguments (wrt=...) is not supported there"
    if not inspect.isfunction(function):
        return "only the Jacobian of a Python function is"
    kinds = {p.kind for p in inspect.signature(function).parameters.values()}
    if kinds - {inspect.Parameter.POSITIONAL_OR_KEYWORD}:
        return "only a function of named positional parameters is"
    return None
