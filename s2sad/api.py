"""The public API: ``grad``, ``value_and_grad``, ``jvp``, ``vjp``, ``source`` (the
Jacobians and Hessians are in :mod:`s2sad.jacobians`).

The names and calling conventions are JAX's, with ``wrt`` (argument positions or
parameter names) in place of ``argnums``.
"""

from __future__ import annotations

import copy
import functools
import inspect
import numbers
import types
from collections.abc import Callable, Sequence
from typing import Any, Union

import numpy as np

from s2sad.backends.numba_backend import NumbaDerivative, numba_source, shared
from s2sad.dispatch import ShapeDispatch, generic
from s2sad.errors import NonScalarOutputError, S2sadError, SourceUnavailableError
from s2sad.pipeline import Request, clear_cache, derivative
from s2sad.runtime import zeros_like
from s2sad.runtime.arguments import refuse_arrays
from s2sad.runtime.core import output_kind
from s2sad.runtime.records import field_names, is_record

Wrt = Union[int, str, Sequence[Union[int, str]]]

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "source", "tape_size", "clear_cache"]


def _signature(function: Callable) -> inspect.Signature:
    """The parameters of the code that runs: a ``functools.wraps`` wrapper's own, not
    those of the function it wraps (a derivative built on first call takes its primal's)."""
    return inspect.signature(function,
                             follow_wrapped=not isinstance(function, types.FunctionType))


def _wrt_names(function: Callable, wrt: Wrt) -> tuple[tuple[str, ...], bool]:
    """Parameter names for ``wrt``, and whether the caller asked for a tuple."""
    try:
        signature = _signature(function)
    except (TypeError, ValueError) as error:  # a ufunc on some NumPy versions
        raise SourceUnavailableError(
            f"{_name(function)} is not a Python function, so it has no source to "
            "differentiate; give it a rule with s2sad.register_vjp / s2sad.register_jvp, "
            "or differentiate a Python function that calls it") from error
    params = [
        p.name
        for p in signature.parameters.values()
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
                                 types.BuiltinFunctionType, type, _DerivativeFunction)) \
            and callable(function):
        call = next((vars(kind)["__call__"] for kind in type(function).__mro__
                     if "__call__" in vars(kind)), None)
        if isinstance(call, types.FunctionType):
            return functools.partial(call, function)
    return function


def _varargs(function: Callable) -> tuple[int, str | None]:
    """How many named positional parameters ``function`` has, and its ``*args``'s name."""
    named, star = 0, None
    for parameter in _signature(function).parameters.values():
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


def _decorator(make: Callable) -> Callable:
    """Let ``make(f, wrt=...)`` be used as ``@make``, ``@make(wrt=...)`` or ``make(f)``."""
    make = _through_partial(make)

    @functools.wraps(make)
    def wrapper(function: Callable | None = None, wrt: Wrt | None = None, **options: Any):
        if function is None:
            return lambda f: make(f, wrt=wrt, **options)
        return make(function, wrt=wrt, **options)

    return wrapper


def _parts(function: Callable) -> tuple[Callable, tuple, dict]:
    """The function a ``functools.partial`` calls and the arguments it binds (or
    ``function`` itself and none)."""
    if isinstance(function, functools.partial):
        return function.func, function.args, function.keywords
    return function, (), {}


class _DerivativeFunction:
    """A derivative of a user function: call it like the function; ``.source`` is its code."""

    def __init__(self, function: Callable, request: Request, name: str) -> None:
        functools.update_wrapper(self, function)
        self.__wrapped__ = function
        self._request = request
        self._compiled = None
        self.__name__ = self.__qualname__ = f"{function.__name__}_{name}"

    def _function(self) -> Callable:
        if self._compiled is None:
            self._compiled = derivative(self.__wrapped__, self._request).function
        return self._compiled

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._function()
        return compiled(*args, **kwargs)

    @property
    def source(self) -> str:
        """The emitted Python source of this derivative."""
        return derivative(self.__wrapped__, self._request).version_text()

    def __repr__(self) -> str:
        return f"<s2sad derivative {self.__name__}>"


def _derivative_function(function: Callable, request: Request, name: str) -> Callable:
    """The compiled derivative itself when it can be built now: calls then go straight to
    generated code, with no wrapper. When it cannot be built yet (a name it uses is defined
    later in the module, say), a wrapper that builds it on the first call."""
    try:
        generated = derivative(function, request)
    except S2sadError:
        return _DerivativeFunction(function, request, name)
    # a function of its own (the same code and closure): the one the cache holds must not
    # hold the function it was built from, or a closure made at each call would stay
    compiled = _own_copy(generated.function)
    compiled.__wrapped__ = function
    compiled.__doc__ = function.__doc__
    compiled.__module__ = function.__module__
    compiled.source = generated.text
    if generated.shaped is not None:  # real array code: a version per argument shapes
        return ShapeDispatch(compiled, generated.shaped, function, generated.text)
    return compiled


def _own_copy(compiled: types.FunctionType) -> types.FunctionType:
    """A new function object running ``compiled``'s code in its closure."""
    copied = types.FunctionType(compiled.__code__, compiled.__globals__, compiled.__name__,
                                compiled.__defaults__, compiled.__closure__)
    copied.__kwdefaults__ = compiled.__kwdefaults__
    copied.__qualname__ = compiled.__qualname__
    copied.__dict__.update(compiled.__dict__)
    return copied


@_decorator
def grad(function: Callable, wrt: Wrt = 0, holomorphic: bool = False,
         has_aux: bool = False, backend: str = "numpy") -> Callable:
    """The gradient of a function with a real scalar output (a float, or an array of shape
    ``()``) with respect to the ``wrt`` arguments. For complex arguments it is
    ``dL/dRe + i dL/dIm``. ``holomorphic=True``: ``function`` is a holomorphic function of
    complex arguments with a complex scalar output, and the gradient its complex
    derivative ``f'(z)``. ``argnums`` is another name for ``wrt`` (JAX's). With
    ``has_aux=True``, ``function`` returns ``(output, aux)`` and the gradient function
    ``(gradient, aux)``, ``aux`` not differentiated.

    A bound method (``grad(model.loss)``) is differentiated with respect to its explicit
    arguments, ``self`` fixed. For the gradient with respect to a model's parameters, as
    JAX users take it, make the model a dataclass or a NamedTuple and pass the function of
    its class and the object: ``grad(Model.loss)(model, x)`` is a ``Model`` of
    derivatives.

    >>> import numpy as np
    >>> def f(x):
    ...     return np.sum(x ** 2)
    >>> grad(f)(np.array([1.0, 2.0]))
    array([2., 4.])
    """
    names, as_tuple = _wrt_names(function, wrt)
    backend = _backend(backend, has_aux or holomorphic)
    if has_aux:
        return _with_aux(function, names, as_tuple, holomorphic, return_value=False)
    if holomorphic:
        return _holomorphic(function, names, as_tuple, return_value=False)
    request = Request("reverse", names, wrt_tuple=as_tuple, scalar_check=True)
    if backend == "numba":
        return NumbaDerivative(function, request, "grad", derivative)
    return _derivative_function(function, request, "grad")


@_decorator
def value_and_grad(function: Callable, wrt: Wrt = 0, holomorphic: bool = False,
                   has_aux: bool = False, backend: str = "numpy") -> Callable:
    """Like :func:`grad`, returning ``(value, gradient)`` (``((value, aux), gradient)``
    with ``has_aux=True``, as JAX does).

    >>> import math
    >>> def f(x):
    ...     return math.sin(x)
    >>> value_and_grad(f)(0.0)
    (0.0, 1.0)
    """
    names, as_tuple = _wrt_names(function, wrt)
    backend = _backend(backend, has_aux or holomorphic)
    if has_aux:
        return _with_aux(function, names, as_tuple, holomorphic, return_value=True)
    if holomorphic:
        return _holomorphic(function, names, as_tuple, return_value=True)
    request = Request("reverse", names, wrt_tuple=as_tuple, return_value=True, scalar_check=True)
    if backend == "numba":
        return NumbaDerivative(function, request, "value_and_grad", derivative)
    return _derivative_function(function, request, "value_and_grad")


def _backend(backend: str, other_options: Any) -> str:
    """``backend``, checked: ``"numpy"`` (the default) or ``"numba"``
    (``s2sad.backends.numba_backend``)."""
    if backend not in ("numpy", "numba"):
        raise ValueError(f"backend must be 'numpy' or 'numba', not {backend!r}")
    if backend == "numba" and other_options:
        raise ValueError("backend='numba' takes none of has_aux, holomorphic, batched, "
                         "general, report and bound methods or partials yet")
    return backend


def _with_aux(function: Callable, names: tuple[str, ...], as_tuple: bool, holomorphic: bool,
              return_value: bool) -> Callable:
    """``grad(function, has_aux=True)``: ``function`` returns ``(output, aux)``; the
    reverse sweep is seeded with one for the output and zeros for ``aux``, whose structure
    the function's value gives (it runs once before the derivative)."""
    request = Request("reverse", names, wrt_tuple=True, return_value=True)
    kind = "value_and_grad" if return_value else "grad"

    @functools.wraps(function)
    def gradient(*args: Any, **kwargs: Any) -> Any:
        _check_values(function, args)
        target, bound, keywords = _parts(function)
        result = function(*copy.deepcopy(args), **kwargs)
        if not isinstance(result, tuple) or len(result) != 2:
            raise TypeError(f"{kind}({_name(function)}, has_aux=True) needs a function "
                            f"returning a pair (output, aux), not {output_kind(result)}")
        value, aux = result
        if np.ndim(value) != 0 or not isinstance(value, (numbers.Number, np.generic,
                                                         np.ndarray)) \
                or (np.iscomplexobj(value) and not holomorphic):
            raise NonScalarOutputError(
                f"{kind}({_name(function)}, has_aux=True) needs a real scalar output (the "
                f"pair's first item), but it is {output_kind(value)}; use s2sad.vjp or "
                "s2sad.jacrev for non-scalar outputs")
        if holomorphic:
            _complex_arguments(function, args, _positions(function, names), kind)
        generated = derivative(target, request)
        seed = {generated.extra_parameters[0]: (np.ones_like(value)[()], zeros_like(aux))}
        _, found = generated.function(*bound, *args, **keywords, **kwargs, **seed)
        if holomorphic:
            found = tuple(np.conj(g) if isinstance(g, np.ndarray) else type(g)(np.conj(g))
                          for g in found)
        found = found if as_tuple else found[0]
        return ((value, aux), found) if return_value else (found, aux)

    gradient.__name__ = f"{_name(function)}_{kind}"
    return gradient


def _holomorphic(function: Callable, names: tuple[str, ...], as_tuple: bool,
                 return_value: bool) -> Callable:
    """``grad(function, holomorphic=True)``: the reverse sweep seeded with 1 gives
    ``conj(f'(z))`` (s2sad's convention, ``g_z = conj(f'(z)) g``), so the conjugate of
    what it gives is ``f'(z)``."""
    request = Request("reverse", names, wrt_tuple=True, return_value=True)

    @functools.wraps(function)
    def gradient(*args: Any, **kwargs: Any) -> Any:
        bound = _signature(function).bind(*args, **kwargs)
        for name in names:
            value = bound.arguments[name]
            if not np.iscomplexobj(value) or isinstance(value, (tuple, list, dict)):
                raise TypeError(
                    f"grad({function.__name__}, holomorphic=True) needs complex arguments, "
                    f"but {name} is {output_kind(value)}: pass it as a complex number or "
                    f"array (x + 0j)")
        value, found = derivative(function, request).function(*args, **kwargs)
        if np.ndim(value) != 0 or not isinstance(value, (numbers.Number, np.generic,
                                                         np.ndarray)):
            raise NonScalarOutputError(
                f"grad({function.__name__}, holomorphic=True) needs a scalar output, but "
                f"{function.__name__} returned {output_kind(value)}; use s2sad.vjp or "
                "s2sad.jacrev for non-scalar outputs")
        found = tuple(np.conj(g) if isinstance(g, np.ndarray) else type(g)(np.conj(g))
                      for g in found)
        found = found if as_tuple else found[0]
        return (value, found) if return_value else found

    gradient.__name__ = f"{function.__name__}_{'value_and_grad' if return_value else 'grad'}"
    return gradient


def jvp(function: Callable, primals: Sequence[Any], tangents: Sequence[Any],
        batched: bool = False, has_aux: bool = False, backend: str = "numpy") -> tuple[Any, ...]:
    """Forward mode: ``(function(*primals), J @ tangents)``. The tangent of a primal that
    is not made of numbers (a random generator, a string) is not read. With
    ``has_aux=True``, ``function`` returns ``(out, aux)`` and ``jvp`` gives ``(out,
    out_tangent, aux)``, as JAX does, ``aux`` not differentiated.

    With ``batched``, each tangent carries K directions along a leading axis (shape
    ``(K,) + primal.shape``), and so does the output's tangent: vector forward mode, one
    pass of vectorized NumPy instead of K.

    >>> def f(x, y):
    ...     return x * y
    >>> jvp(f, (2.0, 3.0), (1.0, 0.0))
    (6.0, 3.0)
    >>> jvp(f, (2.0, 3.0), (np.array([1.0, 0.0]), np.array([0.0, 1.0])), batched=True)
    (6.0, array([3., 2.]))
    """
    primals, tangents = tuple(primals), tuple(tangents)
    function = _as_function(function)
    if len(primals) != len(tangents):
        raise ValueError(f"jvp got {len(primals)} primals but {len(tangents)} tangents")
    _check_values(function, primals)
    _check_values(function, tangents, "tangent")
    numeric = _numeric_positions(primals)
    names, _ = _wrt_names(function, numeric)
    function, bound, keywords = _parts(function)
    request = Request("vector" if batched else "forward", names)
    tangents = tuple(tangents[p] for p in numeric)
    if _backend(backend, batched or bound or keywords) == "numba":
        out, out_dot = shared(function, request, "jvp", derivative)(*primals, *tangents)
    else:
        generated = derivative(function, request)
        tangent = generated.function if generated.shaped is None else ShapeDispatch(
            generated.function, generated.shaped, function, generated.text)
        out, out_dot = tangent(*bound, *primals, **keywords,
                               **dict(zip(generated.extra_parameters, tangents)))
    if not has_aux:
        return out, out_dot
    if not isinstance(out, tuple) or len(out) != 2:
        raise TypeError(f"jvp({_name(function)}, has_aux=True) needs a function returning a "
                        f"pair (output, aux), not {output_kind(out)}")
    return out[0], out_dot[0], out[1]


def vjp(function: Callable, *primals: Any, has_aux: bool = False,
        backend: str = "numpy") -> tuple[Any, ...]:
    """Reverse mode: ``(function(*primals), vjp_fn)``; ``vjp_fn(out_bar)`` returns one
    cotangent per primal (None for a primal that is not made of numbers). With
    ``has_aux=True``, ``function`` returns ``(out, aux)`` and ``vjp`` gives ``(out, vjp_fn,
    aux)``, as JAX does.

    >>> def f(x, y):
    ...     return x * y
    >>> out, f_vjp = vjp(f, 2.0, 3.0)
    >>> out, f_vjp(1.0)
    (6.0, (3.0, 2.0))
    """
    function = _as_function(function)
    _check_values(function, primals)
    numeric = _numeric_positions(primals)
    names, _ = _wrt_names(function, numeric)
    target, bound, keywords = _parts(function)
    request = Request("reverse", names, return_value=True)
    generated = derivative(target, request)
    adjoint = generated.function if generated.shaped is None else ShapeDispatch(
        generated.function, generated.shaped, target, generated.text)
    if _backend(backend, has_aux or bound or keywords) == "numba":
        adjoint = shared(target, request, "vjp", derivative)
    seed = generated.extra_parameters[0]
    # vjp_fn runs the forward sweep again: on the primals as they were before this call,
    # for those the function changes (written in place, a random generator's state)
    params = list(_signature(function).parameters)
    written = set(generated.written_parameters)
    kept = {position: _snapshot(value) for position, value in enumerate(primals)
            if position not in numeric or position < len(params)
            and params[position] in written}
    out = function(*primals)
    if has_aux and (not isinstance(out, tuple) or len(out) != 2):
        raise TypeError(f"vjp({_name(function)}, has_aux=True) needs a function returning a "
                        f"pair (output, aux), not {output_kind(out)}")

    def vjp_fn(out_bar: Any) -> tuple[Any, ...]:
        refuse_arrays(f"vjp_fn of {_name(function)}:", ["out_bar"], [out_bar])
        args = [_snapshot(kept[p]) if p in kept else value for p, value in enumerate(primals)]
        if has_aux:
            out_bar = (out_bar, zeros_like(out[1]))
        found = dict(zip(numeric, adjoint(*bound, *args, **keywords, **{seed: out_bar})[1]))
        return tuple(found.get(position) for position in range(len(primals)))

    return (out[0], vjp_fn, out[1]) if has_aux else (out, vjp_fn)


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
    random generator, a string, a callable) get no tangent and no cotangent (None)."""
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
    return isinstance(value, (int, float, complex, np.number, np.bool_))


def source(function: Callable, mode: str = "reverse", wrt: Wrt = 0,
           report: bool = False, optimize: bool = True, args: tuple | None = None,
           general: bool = False, backend: str = "numpy") -> str:
    """The emitted source of ``function``'s derivative: the version real float64
    arguments select, or the one ``args`` select, or with ``general=True`` the version for
    any arguments (complex ones, say), when the derivative has more than one.

    ``mode`` is ``"reverse"`` (the adjoint), ``"forward"`` (the tangent) or ``"vector"`` (the
    tangent carrying K directions at once: see ``jvp(..., batched=True)``). With ``report``,
    the adjoint starts with comments saying what its forward sweep records for the reverse
    sweep: per loop iteration, in total as a formula of the loop counts, and in variables;
    given ``args`` as well, a first line says what that comes to at those arguments, in
    values and bytes (``tape_size``).
    ``optimize=False`` shows the derivative as the rules give it, for comparison: no shape
    facts (every ``unbroadcast`` kept), no specialized versions, every adjoint copied into
    its own variable, one operation per line (no value read once folded into its reader),
    no copy propagation, common-subexpression or dead-code elimination.
    ``backend="numba"`` (with ``args``) gives the module Numba compiles for those
    arguments' types.

    >>> def f(x, n):
    ...     for _ in range(n):
    ...         x = x * x
    ...     return x
    >>> for line in source(f, report=True).splitlines()[1:5]:
    ...     print(line)
        # What the forward sweep records for the reverse sweep:
        #   for _ in range(n):  line 2: 1 value per iteration (x)
        #   recorded in all: 1 * len(range(n)) values
        #   in variables: nothing
    >>> source(f, report=True, args=(0.9, 1000)).splitlines()[0]
    '# at the arguments given, the tape takes 1000 values (8.0 kB), at most 1000 at once'
    """
    if mode not in ("reverse", "forward", "vector"):
        raise ValueError(f"mode must be 'reverse', 'forward' or 'vector', not {mode!r}")
    names, as_tuple = _wrt_names(function, wrt)
    request = Request(mode, names, wrt_tuple=as_tuple, report=report and mode == "reverse",
                      optimize=optimize)
    target, bound, keywords = _parts(function)
    arguments = None
    if args is not None:
        given = inspect.signature(target).bind_partial(*bound, *args, **keywords)
        given.apply_defaults()
        arguments = dict(given.arguments)
    if _backend(backend, general or report) == "numba":
        return numba_source(function, request, args, derivative)
    text = derivative(target, request).version_text(arguments, general)
    if report and mode == "reverse" and args is not None:
        size = tape_size(function, *args, wrt=wrt)
        text = (f"# at the arguments given, the tape takes {size['pushes']} values "
                f"({_bytes(size['bytes'])}), at most {size['peak']} at once\n") + text
    return text


def _bytes(count: int) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def tape_size(function: Callable, *args: Any, wrt: Wrt = 0) -> dict[str, int]:
    """What the reverse sweep of ``grad(function, wrt)`` records at ``args``: the values
    pushed on its tape, their bytes (arrays by ``nbytes``, 8 per number) and the tape's
    largest length. Straight-line code keeps its few values in variables: all zeros.

    >>> def f(x):
    ...     for _ in range(10):
    ...         x = x * x
    ...     return x
    >>> tape_size(f, 0.9)
    {'pushes': 10, 'bytes': 80, 'peak': 10}
    """
    names, as_tuple = _wrt_names(function, wrt)
    request = Request("reverse", names, wrt_tuple=as_tuple, scalar_check=True, record_tape=True)
    function, bound, keywords = _parts(function)
    _, tape = derivative(function, request).function(*bound, *args, **keywords)
    if tape is None:
        return {"pushes": 0, "bytes": 0, "peak": 0}
    return {"pushes": tape.pushes, "bytes": tape.bytes, "peak": tape.peak}

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
