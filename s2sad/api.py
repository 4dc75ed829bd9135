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
from typing import Any

import numpy as np

from s2sad.backends.numba_backend import NumbaDerivative, numba_source, shared
from s2sad.callables import _as_function, _through_partial
from s2sad.dispatch import ShapeDispatch
from s2sad.errors import NonScalarOutputError, S2sadError
from s2sad.inline import INLINE
from s2sad.lecture.highlight import SourceText
from s2sad.parameters import (
    Wrt,
    _check_values,
    _complex_arguments,
    _name,
    _numeric_positions,
    _parts,
    _positions,
    _primal_names,
    _signature,
    _snapshot,
    _wrt_names,
)
from s2sad.pickling import VjpFunction, reduced, travelling
from s2sad.pipeline import Request, clear_cache, derivative
from s2sad.recomputation import recomputation
from s2sad.runtime import zeros_like
from s2sad.runtime.arguments import refuse_arrays
from s2sad.runtime.batched import batch_zeros, directions
from s2sad.runtime.core import output_kind
from s2sad.runtime.replay import (
    check_recomputed,
    put_back_states,
    random_states,
    replay_states,
)

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "source", "tape_size", "clear_cache"]


def _decorator(make: Callable) -> Callable:
    """Let ``make(f, wrt=...)`` be used as ``@make``, ``@make(wrt=...)`` or ``make(f)``."""
    maker = make.__name__
    make = _through_partial(make)

    @functools.wraps(make)
    def wrapper(function: Callable | None = None, wrt: Wrt | None = None, **options: Any):
        if function is None:
            return lambda f: wrapper(f, wrt, **options)
        generated = INLINE.find(maker, function, wrt, options)  # grad(f)(x) written inline
        if generated is not None and generated.is_current(function):
            made = _derivative_object(function, generated)
        else:
            with INLINE.recording(maker, function, wrt, options) as recording:
                made = make(function, wrt=wrt, **options)
                recording.keep(made)
        return travelling(made, wrapper, function, (), {"wrt": wrt, **options})

    return wrapper


class _DerivativeFunction:
    """A derivative of a user function: call it like the function; ``.source`` is its code."""

    #: what tells ``s2sad.callables`` a derivative from other callable objects
    __s2sad_derivative__ = True

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

    def __reduce__(self) -> tuple:
        return reduced(self)


def _derivative_function(function: Callable, request: Request, name: str) -> Callable:
    """The compiled derivative itself when it can be built now: calls then go straight to
    generated code, with no wrapper. When it cannot be built yet (a name it uses is defined
    later in the module, say), a wrapper that builds it on the first call."""
    try:
        generated = derivative(function, request)
    except S2sadError:
        return _DerivativeFunction(function, request, name)
    made = _derivative_object(function, generated)
    INLINE.record(function, generated, made)
    return made


def _derivative_object(function: Callable, generated: Any) -> Callable:
    """What ``grad`` and its kin hand out for the compiled derivative ``generated``."""
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


def _has_defaults(function: Callable) -> bool:
    """Whether ``function`` has default values (its tangent then takes the tangents by
    keyword, which ``backend="numba"``'s jvp does not pass yet)."""
    return bool(getattr(function, "__defaults__", None)
                or getattr(function, "__kwdefaults__", None))


def _backend(backend: str, other_options: Any) -> str:
    """``backend``, checked: ``"numpy"`` (the default) or ``"numba"``
    (``s2sad.backends.numba_backend``)."""
    if backend not in ("numpy", "numba"):
        raise ValueError(f"backend must be 'numpy' or 'numba', not {backend!r}")
    if backend == "numba" and other_options:
        raise ValueError("backend='numba' takes none of has_aux, holomorphic, batched, "
                         "general, report, bound methods or partials, and no jvp of a "
                         "function with default values, yet")
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
    names = _primal_names(function, numeric, "jvp")
    function, bound, keywords = _parts(function)
    request = Request("vector" if batched else "forward", names)
    tangents = tuple(_as_tangent_of(tangents[p], primals[p]) for p in numeric)
    if batched and tangents and directions(tangents) == 0:  # nothing to carry: zeros of
        out = function(*bound, *primals, **keywords)        # the output's structure
        out_dot = batch_zeros(0, out)
    elif _backend(backend, batched or bound or keywords or _has_defaults(function)) == "numba":
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


def _as_tangent_of(tangent: Any, primal: Any) -> Any:
    """A Python number given as the tangent of a 0-d array, as a 0-d array: the code for
    an array indexes it (``a_dot[..., None]``)."""
    if isinstance(primal, np.ndarray) and primal.shape == () and isinstance(
            tangent, (int, float, complex)) and not isinstance(tangent, bool):
        return np.asarray(tangent, dtype=np.result_type(primal.dtype, float))
    return tangent


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
    names = _primal_names(function, numeric, "vjp")
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
    again = recomputation(target)  # the global random states it may draw from, too
    states = random_states(again.sources, again.held, *bound, *primals,
                           *keywords.values()) if again.draws else None
    out = function(*primals)
    if has_aux and (not isinstance(out, tuple) or len(out) != 2):
        raise TypeError(f"vjp({_name(function)}, has_aux=True) needs a function returning a "
                        f"pair (output, aux), not {output_kind(out)}")

    def vjp_fn(out_bar: Any) -> tuple[Any, ...]:
        refuse_arrays(f"vjp_fn of {_name(function)}:", ["out_bar"], [out_bar])
        args = [_snapshot(kept[p]) if p in kept else value for p, value in enumerate(primals)]
        if has_aux:
            out_bar = (out_bar, zeros_like(out[1]))
        now = replay_states(states) if states is not None else None
        try:
            value, adjoints = adjoint(*bound, *args, **keywords, **{seed: out_bar})
        finally:
            if now is not None:
                put_back_states(now)
        if again.differs:
            check_recomputed(value, out, f"{_name(function)}, given to vjp,")
        found = dict(zip(numeric, adjoints))
        return tuple(found.get(position) for position in range(len(primals)))

    travelling_fn = VjpFunction(vjp_fn, vjp, function, tuple(
        kept.get(p, value) for p, value in enumerate(primals)),
        {"has_aux": has_aux, "backend": backend})
    return (out[0], travelling_fn, out[1]) if has_aux else (out, travelling_fn)


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
    arguments' types. The text is a ``str`` that Jupyter shows highlighted.

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
    if _backend(backend, general or report) == "numba":
        return SourceText(numba_source(function, request, args, derivative))
    target, arguments = _arguments_by_name(function, args)
    text = derivative(target, request).version_text(arguments, general)
    if report and mode == "reverse" and args is not None:
        size = tape_size(function, *args, wrt=wrt)
        text = (f"# at the arguments given, the tape takes {size['pushes']} values "
                f"({_bytes(size['bytes'])}), at most {size['peak']} at once\n") + text
    return SourceText(text)


def _arguments_by_name(function: Callable, args: tuple | None) -> tuple[Callable, dict | None]:
    """The function ``source`` reads, and ``args`` (with its bound ones and defaults) by
    parameter name, or None without ``args``."""
    target, bound, keywords = _parts(function)
    if args is None:
        return target, None
    given = inspect.signature(target).bind_partial(*bound, *args, **keywords)
    given.apply_defaults()
    return target, dict(given.arguments)


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


