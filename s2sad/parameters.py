"""The parameters a derivative is taken with respect to, and the values it is given: ``wrt``
as parameter names, ``*args`` positions, the callable a ``functools.partial`` wraps, and the
checks of arguments (:mod:`s2sad.api` and :mod:`s2sad.jacobians` share them).
"""

from __future__ import annotations

import copy
import functools
import inspect
import types
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Union

import numpy as np

from s2sad.errors import SourceUnavailableError
from s2sad.runtime.arguments import refuse_arrays
from s2sad.runtime.core import output_kind
from s2sad.runtime.duck import is_duck_array
from s2sad.runtime.records import field_names, is_record

Wrt = Union[int, str, Sequence[Union[int, str]]]


def _signature(function: Callable) -> inspect.Signature:
    """The parameters of the code that runs: a ``functools.wraps`` wrapper's own, not
    those of the function it wraps (a derivative built on first call takes its primal's)."""
    return inspect.signature(function,
                             follow_wrapped=not isinstance(function, types.FunctionType))


#: a plain function's code -> its parameters (names and kinds), as its signature gives them
_PARAMETERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _parameters(function: Callable) -> list[inspect.Parameter]:
    """The parameters of ``_signature(function)``; found once per code object for a plain
    function, whose signature its code fixes (names and kinds, read here)."""
    if type(function) is not types.FunctionType or "__signature__" in function.__dict__:
        return list(_signature(function).parameters.values())
    found = _PARAMETERS.get(function.__code__)
    if found is None:
        found = _PARAMETERS[function.__code__] = list(
            _signature(function).parameters.values())
    return found


def _wrt_names(function: Callable, wrt: Wrt) -> tuple[tuple[str, ...], bool]:
    """Parameter names for ``wrt``, and whether the caller asked for a tuple.

    >>> def f(x, y, *, scale):
    ...     return x * y * scale
    >>> _wrt_names(f, 1), _wrt_names(f, (0, "scale"))
    ((('y',), False), (('x', 'scale'), True))
    """
    try:
        parameters = _parameters(function)
    except (TypeError, ValueError) as error:  # a ufunc on some NumPy versions
        raise SourceUnavailableError(
            f"{_name(function)} is not a Python function, so it has no source to "
            "differentiate; give it a rule with s2sad.register_vjp / s2sad.register_jvp, "
            "or differentiate a Python function that calls it") from error
    params = [
        p.name
        for p in parameters
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    as_tuple = isinstance(wrt, (tuple, list))
    names = []
    for item in wrt if as_tuple else [wrt]:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise TypeError(f"wrt must hold argument positions or names, not {item!r}")
        if isinstance(item, int):
            if not -len(params) <= item < len(params):
                raise ValueError(
                    f"wrt={item} but {_name(function)} has {len(params)} "
                    f"parameters: {', '.join(params)}"
                )
            item = params[item]
        elif item not in params and item != _varargs(function)[1]:
            raise ValueError(
                f"wrt={item!r} is not a parameter of {_name(function)} "
                f"(parameters: {', '.join(params)})"
            )
        names.append(item)
    if len(set(names)) != len(names):
        raise ValueError(f"wrt names a parameter twice: {wrt!r}")
    return tuple(names), as_tuple


def _wrt_or_argnums(make: Callable, wrt: Wrt | None, argnums: Wrt | None) -> Wrt:
    """``wrt``, or JAX's name for it, ``argnums``; the first argument when neither is
    given."""
    if argnums is not None and wrt is not None:
        raise TypeError(f"{make.__name__} takes wrt or argnums (the same thing), not both")
    found = argnums if argnums is not None else wrt
    return 0 if found is None else found


def _refuse_self(make: Callable, function: Callable, wrt: Wrt) -> None:
    """A bound method is differentiated with respect to its explicit arguments: ``wrt``
    naming its ``self`` points to the spelling that differentiates with respect to the
    object, the function of its class given the object as its first argument."""
    if not isinstance(function, types.MethodType) \
            or not isinstance(function.__func__, types.FunctionType):
        return
    parameters = list(_signature(function.__func__).parameters)
    if not parameters or parameters[0] not in (wrt if isinstance(wrt, (tuple, list))
                                               else [wrt]):
        return
    owner = type(function.__self__).__name__
    method = function.__func__.__name__
    raise ValueError(
        f"wrt names {parameters[0]!r}, but {make.__name__}({owner.lower()}.{method}) "
        f"differentiates the bound method with respect to its explicit arguments, "
        f"{parameters[0]} fixed; with respect to the object's fields (a dataclass or a "
        f"NamedTuple), differentiate the function with the object as its first argument: "
        f"{make.__name__}({owner}.{method}, wrt=0)({owner.lower()}, ...) gives a {owner} "
        f"of derivatives")


def _primal_names(function: Callable, positions: list[int], what: str
                  ) -> tuple[str, ...]:
    """The parameters ``jvp``/``vjp`` differentiate, by the primals' ``positions``; a
    primal passed in ``*args`` is refused with what to do instead."""
    target, bound, _ = _parts(function)
    named, star = _varargs(target)
    if star is not None and any(p + len(bound) >= named for p in positions):
        raise TypeError(f"{what} of {_name(function)}: a primal passed in *{star} is not "
                        f"supported; give {_name(function)} named parameters, or use grad, "
                        "jacfwd or jacrev, which differentiate with respect to *args")
    return _wrt_names(function, positions)[0]


def _varargs(function: Callable) -> tuple[int, str | None]:
    """How many named positional parameters ``function`` has, and its ``*args``'s name."""
    named, star = 0, None
    for parameter in _parameters(function):
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            named += 1
        elif parameter.kind is parameter.VAR_POSITIONAL:
            star = parameter.name
    return named, star


def _in_varargs(function: Callable, wrt: Wrt) -> bool:
    """Whether ``wrt`` names a position that ``*args`` takes."""
    if isinstance(function, functools.partial) or not callable(function):
        return False
    try:
        named, star = _varargs(function)
    except (TypeError, ValueError):
        return False
    items = wrt if isinstance(wrt, (tuple, list)) else [wrt]
    return star is not None and any(type(item) is int and item >= named for item in items)


def _parts(function: Callable) -> tuple[Callable, tuple, dict]:
    """The function a ``functools.partial`` calls and the arguments it binds (or
    ``function`` itself and none)."""
    if isinstance(function, functools.partial):
        return function.func, function.args, function.keywords
    return function, (), {}


def _check_values(function: Callable, values: Sequence[Any], what: str = "argument") -> None:
    """Refuse ``np.matrix``, masked arrays, record arrays and object or structured arrays
    among ``values`` (``function``'s arguments, or their tangents: ``what``), naming them."""
    try:
        names = list(_signature(function).parameters)
    except (TypeError, ValueError):
        names = []
    names += [f"#{p}" for p in range(len(names), len(values))]
    refuse_arrays(f"{_name(function)}'s"
                  + ("" if what == "argument" else f" {what} of"), names, values)


def _name(function: Callable) -> str:
    if isinstance(function, functools.partial):
        return f"partial({_name(function.func)})"
    return getattr(function, "__name__", "function")


def _snapshot(value: Any) -> Any:
    """A copy of ``value`` (``value`` itself if it cannot be copied)."""
    try:
        return copy.deepcopy(value)
    except Exception:  # an object without a copy (a file, a lock): shared, as passed
        return value


def _numeric_positions(primals: tuple) -> tuple[int, ...]:
    """The positions of the primals made of numbers and numeric arrays only: the others (a
    random generator, a string, a callable) get no tangent and no cotangent (None).

    >>> _numeric_positions((1.0, "mean", np.ones(2), [2.0, (3, 4)], np.array(["a"])))
    (0, 2, 3)
    """
    return tuple(p for p, value in enumerate(primals) if _numeric(value))


def _numeric(value: Any) -> bool:
    if is_record(value):  # a dataclass or a NamedTuple
        return all(_numeric(getattr(value, name)) for name in field_names(value))
    if isinstance(value, (tuple, list)):
        return all(_numeric(item) for item in value)
    if isinstance(value, dict):
        return all(_numeric(item) for item in value.values())
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biufc"
    if isinstance(value, (int, float, complex, np.number, np.bool_)):
        return True
    return is_duck_array(value) and np.dtype(value.dtype).kind in "biufc"


def _positions(function: Callable, names: tuple[str, ...]) -> list[int]:
    parameters = list(_signature(function).parameters)
    return [parameters.index(name) for name in names]


def _complex_arguments(function: Callable, args: tuple, positions: list[int],
                       what: str) -> None:
    """``holomorphic=True`` takes complex arguments only (as JAX does)."""
    for position in positions:
        if not np.iscomplexobj(args[position]) or isinstance(args[position],
                                                             (tuple, list, dict)):
            raise TypeError(f"{what}({function.__name__}, holomorphic=True) needs complex "
                            f"arguments, but argument {position} is "
                            f"{output_kind(args[position])}: pass it as complex (x + 0j)")
