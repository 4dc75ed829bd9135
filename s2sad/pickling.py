"""Derivatives that travel: ``pickle`` (and so process pools and ``dask.distributed``)
takes a derivative as the function it came from, by reference, and what it was asked
for (the public function that made it and its arguments); the loading process builds it
again.

A derivative that is an object of a class of s2sad's pickles through the class's
``__reduce__`` (:func:`reduced`). One that is a plain function (the compiled derivative
itself, which calls reach with no wrapper between) cannot: pickle saves a function as
the module attribute its ``__module__`` and ``__qualname__`` name. Such a function is
named as an attribute of this module whose name holds the recipe (readable name, the
recipe in hexadecimal, a number); this module's ``__getattr__`` gives the function itself
in the process that made it, and builds it again in any other.

A function is referred to by its module and qualified name, so it must be defined at
the top level of a module the loading process can import (``__main__`` is the loading
process's own: a script run by a process pool works, a notebook's cell does not). The
derivative of a function defined inside another or of a lambda pickles as Python's own
local functions do not: pickle's error names it.
"""

from __future__ import annotations

import ast
import functools
import importlib
import itertools
import pickle
import types
import weakref
from collections.abc import Callable
from typing import Any

from s2sad.errors import S2sadError

__all__ = ["DerivativePicklingError", "VjpFunction", "reduced", "travelling",
           "travelling_maker"]

#: the attribute of a derivative holding its recipe ``(maker, function, args, keywords)``
RECIPE = "_s2sad_recipe"

_NUMBERS = itertools.count(1)
#: the numbers ending the names given here -> the functions named, where they were made
_MADE: dict[int, weakref.ref] = {}
#: names read by pickle -> the derivative built again for them, in a loading process
_REBUILT: dict[str, Any] = {}
#: the most names ``_MADE`` holds before the names of functions gone are dropped
_MADE_LIMIT = [1024]
#: recipe (the function by its module and name) and derivative's name -> its name here
#: without the number: ``grad(f)(x)`` written inline names a derivative at each call
_PREFIXES: dict[tuple, str] = {}
_LITERALS = (int, float, str, bool, type(None))


class DerivativePicklingError(S2sadError, pickle.PicklingError):
    """A derivative that cannot be pickled, or built again where it was loaded."""


def travelling(made: Any, maker: Callable, function: Any, args: tuple,
               keywords: dict) -> Any:
    """``made`` (what ``maker(function, *args, **keywords)`` returned), marked so that it
    pickles by that recipe."""
    recipe = (maker, function, args, keywords)
    if isinstance(made, types.FunctionType):
        _name_function(made, recipe)
    elif not isinstance(made, functools.partial):
        setattr(made, RECIPE, recipe)
    return made


def travelling_maker(make: Callable) -> Callable:
    """``make`` (a public function making derivatives, as ``jacfwd``), whose results
    pickle by recipe."""

    @functools.wraps(make)
    def maker(function: Any, *args: Any, **keywords: Any) -> Any:
        return travelling(make(function, *args, **keywords), maker, function, args,
                          keywords)

    return maker


def reduced(derivative: Any) -> tuple:
    """``__reduce__`` of a derivative object: built again by its recipe when loaded."""
    recipe = getattr(derivative, RECIPE, None)
    if recipe is None:
        raise DerivativePicklingError(
            f"{derivative!r} was made inside s2sad, not by s2sad.grad or another public "
            "function, so there is no recipe to build it again from; pickle the function "
            "and build its derivative where it is loaded")
    maker, function, args, keywords = recipe
    reference = _named_reference(function)
    return _rebuilt, (maker, function if reference is None else reference, args, keywords)


def _rebuilt(maker: Callable, function: Any, args: tuple, keywords: dict) -> Any:
    """The derivative ``maker(function, *args, **keywords)`` in the loading process;
    ``function`` may be a ``(module, qualified name)`` reference."""
    if isinstance(function, tuple):
        function = _resolved_function(*function)
    return maker(function, *args, **keywords)


class VjpFunction:
    """The ``vjp_fn`` of ``s2sad.vjp``: pickles as ``maker(function, *primals,
    **keywords)`` (``maker`` is ``s2sad.vjp``), run again where it is loaded."""

    def __init__(self, call: Callable, maker: Callable, function: Any, primals: tuple,
                 keywords: dict) -> None:
        self._call = call
        self._recipe = (maker, function, primals, keywords)
        self.__name__ = getattr(call, "__name__", "vjp_fn")

    def __call__(self, out_bar: Any) -> tuple:
        return self._call(out_bar)

    def __reduce__(self) -> tuple:
        maker, function, primals, keywords = self._recipe
        reference = _named_reference(function)
        return _vjp_rebuilt, (maker, function if reference is None else reference,
                              primals, keywords)

    def __repr__(self) -> str:
        return f"<s2sad vjp_fn of {getattr(self._recipe[1], '__qualname__', '?')}>"


def _vjp_rebuilt(maker: Callable, function: Any, primals: tuple, keywords: dict) -> Any:
    """The ``vjp_fn`` ``maker`` gives at ``primals`` in the loading process."""
    return _rebuilt(maker, function, primals, keywords)[1]


def _function_reference(function: Any) -> tuple[str, str] | None:
    """``(module, qualified name)`` of a Python function defined at a module's top level
    (or in a class body there), else None."""
    if not isinstance(function, types.FunctionType):
        return None
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    return module, qualname


def _named_reference(function: Any) -> tuple[str, str] | None:
    """The reference to ``function`` when its name still leads to it; else None, and
    pickle then names the function it cannot find by that name."""
    return _function_reference(function) if _still_named(function) else None


def _renamed(function: Any) -> str:
    return (f"Can't pickle the derivative of {function.__module__}.{function.__qualname__}:"
            f" it's not the same object as {function.__module__}.{function.__qualname__} "
            "(the name now holds another function); pickle a derivative of what the name "
            "holds, or give this function a name of its own")


def _still_named(function: Any) -> bool:
    """Whether the name a reference gives ``function`` still leads to it (not to a
    function defined over it later, or to a decorator's wrapper): asked when pickling, so
    that another process never builds the derivative of another function by that name."""
    reference = _function_reference(function)
    if reference is None:
        return False
    try:
        found = _resolved(*reference)
    except (ImportError, AttributeError):  # not found here either: the loading process
        return True  # says so, naming the function (a notebook's, say)
    while found is not function and getattr(found, RECIPE, None) is not None:
        found = getattr(found, RECIPE)[1]  # the name holds a derivative made from it
    return found is function


def _resolved(module: str, qualname: str) -> Any:
    value: Any = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def _resolved_function(module: str, qualname: str) -> Any:
    """The function ``module.qualname`` in this process (the one a derivative found there
    was made from, for a module that applies ``@s2sad.grad`` to it)."""
    try:
        value = _resolved(module, qualname)
    except (ImportError, AttributeError) as error:
        where = ("this process's __main__ (a notebook cell or an interactive session "
                 "is not imported by other processes)" if module == "__main__"
                 else f"module {module}")
        raise DerivativePicklingError(
            f"cannot build the derivative of {module}.{qualname} again in this process: "
            f"{qualname} is not found in {where} ({error}); define the function in a "
            "module the loading process can import") from None
    while getattr(value, RECIPE, None) is not None:
        value = getattr(value, RECIPE)[1]
    return value


def _encoded(recipe: tuple) -> str | None:
    """The recipe as hexadecimal text, when its parts are names and literals."""
    maker, function, args, keywords = recipe
    maker_reference = _function_reference(maker)
    function_reference = _function_reference(function)
    if maker_reference is None or function_reference is None \
            or not _literal(args) or not _literal(keywords):
        return None
    return repr((maker_reference, function_reference, args, keywords)).encode().hex()


def _literal(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_literal(item) for item in value)
    if isinstance(value, dict):
        return all(type(key) is str and _literal(item) for key, item in value.items())
    return type(value) in _LITERALS


def _hexadecimal(text: str) -> bool:
    return len(text) % 2 == 0 and all(c in "0123456789abcdef" for c in text)


def _decoded(text: str) -> tuple:
    (maker, function, args, keywords) = ast.literal_eval(bytes.fromhex(text).decode())
    return _resolved(*maker), function, args, keywords


def _name_function(made: types.FunctionType, recipe: tuple) -> None:
    """Give ``made`` a name in this module holding ``recipe``; a derivative of a function
    pickle cannot refer to keeps a name saying where that function is."""
    setattr(made, RECIPE, recipe)
    maker, function, args, keywords = recipe
    try:
        key = (maker, type(function), getattr(function, "__module__", None),
               getattr(function, "__qualname__", None), args, made.__name__,
               tuple(keywords.items()))
        prefix = _PREFIXES.get(key)
    except TypeError:  # an unhashable argument
        key, prefix = None, None
    if prefix is None:
        prefix = _prefix(made, recipe)
        if key is not None:
            if len(_PREFIXES) > 4096:
                _PREFIXES.clear()
            _PREFIXES[key] = prefix
    if not prefix:
        qualname = getattr(function, "__qualname__", "")
        made.__qualname__ = f"{qualname.rpartition('.')[0]}.{made.__name__}".lstrip(".")
        return
    number = next(_NUMBERS)
    made.__module__ = __name__
    made.__qualname__ = f"{prefix}{number}"
    if len(_MADE) >= _MADE_LIMIT[0]:
        _forget_dead()
    _MADE[number] = weakref.ref(made)


def _prefix(made: types.FunctionType, recipe: tuple) -> str:
    """The name of ``made`` here without its number: its own name and the encoded recipe
    (empty when the recipe cannot be encoded)."""
    payload = _encoded(recipe)
    return "" if payload is None else f"{made.__name__}__{payload}__"


def _forget_dead() -> None:
    """Drop the names of derivative functions gone, and let the table grow to twice what
    remains."""
    for number in [number for number, reference in _MADE.items() if reference() is None]:
        del _MADE[number]
    _MADE_LIMIT[0] = max(1024, 2 * len(_MADE))


def __getattr__(name: str) -> Any:
    """A derivative function named here: the function itself where it was made, else
    built again by the recipe its name holds (once per name)."""
    parts = name.rsplit("__", 2)
    if len(parts) != 3 or not parts[2].isdigit() or not _hexadecimal(parts[1]):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    reference = _MADE.get(int(parts[2]))
    made = reference() if reference is not None else None
    if made is not None and made.__qualname__ == name:  # pickled here: from its own name?
        function = getattr(made, RECIPE)[1]
        if _function_reference(function) is not None and not _still_named(function):
            raise AttributeError(_renamed(function))
        return made
    if name in _REBUILT:
        return _REBUILT[name]
    maker, function, args, keywords = _decoded(parts[1])
    made = _rebuilt(maker, tuple(function), tuple(args), keywords)
    if len(_REBUILT) >= 1024:  # a long-lived worker sent a new derivative per task
        _REBUILT.clear()
    _REBUILT[name] = made
    return made
