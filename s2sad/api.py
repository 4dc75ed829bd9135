"""The public API: ``grad``, ``value_and_grad``, ``jvp``, ``vjp``, ``source``.

The names and calling conventions are JAX's, with ``wrt`` (argument positions or
parameter names) in place of ``argnums``.
"""

from __future__ import annotations

import copy
import functools
import inspect
import numbers
from collections.abc import Callable, Sequence
from typing import Any, Union

import numpy as np

from s2sad.deferred import LazyText
from s2sad.errors import NonScalarOutputError, S2sadError
from s2sad.pipeline import Request, clear_cache, derivative
from s2sad.runtime import zeros_like
from s2sad.runtime.arguments import refuse_arrays
from s2sad.runtime.core import output_kind
from s2sad.runtime.records import field_names, is_record

Wrt = Union[int, str, Sequence[Union[int, str]]]

__all__ = ["grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "hessian", "hvp",
           "source", "tape_size", "clear_cache"]


def _wrt_names(function: Callable, wrt: Wrt) -> tuple[tuple[str, ...], bool]:
    """Parameter names for ``wrt``, and whether the caller asked for a tuple."""
    params = [
        p.name
        for p in inspect.signature(function).parameters.values()
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
                    f"wrt={item} but {function.__name__} has {len(params)} "
                    f"parameters: {', '.join(params)}"
                )
            item = params[item]
        elif item not in params:
            raise ValueError(
                f"wrt={item!r} is not a parameter of {function.__name__} "
                f"(parameters: {', '.join(params)})"
            )
        names.append(item)
    if len(set(names)) != len(names):
        raise ValueError(f"wrt names a parameter twice: {wrt!r}")
    return tuple(names), as_tuple


def _through_partial(make: Callable) -> Callable:
    """Let ``make(functools.partial(h, *args, **keywords), wrt)`` be ``make(h, wrt')`` with
    the same values bound: the partial's arguments are fixed values, and ``wrt`` counts
    the parameters it leaves (as its signature does)."""

    @functools.wraps(make)
    def wrapper(function: Callable, wrt: Wrt = 0, **options: Any):
        if isinstance(function, functools.partial):
            names, as_tuple = _wrt_names(function, wrt)
            made = make(function.func, wrt=names if as_tuple else names[0], **options)
            return functools.partial(made, *function.args, **function.keywords)
        return make(function, wrt=wrt, **options)

    return wrapper


def _decorator(make: Callable) -> Callable:
    """Let ``make(f, wrt=...)`` be used as ``@make``, ``@make(wrt=...)`` or ``make(f)``."""
    make = _through_partial(make)

    @functools.wraps(make)
    def wrapper(function: Callable | None = None, wrt: Wrt = 0, **options: Any):
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
        return derivative(self.__wrapped__, self._request).source

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
    compiled = generated.function
    compiled.__wrapped__ = function
    compiled.__doc__ = function.__doc__
    compiled.__module__ = function.__module__
    compiled.source = (generated.text if generated.general is None
                       else LazyText(lambda: generated.source))
    return compiled


@_decorator
def grad(function: Callable, wrt: Wrt = 0, holomorphic: bool = False) -> Callable:
    """The gradient of a function with a real scalar output (a float, or an array of shape
    ``()``) with respect to the ``wrt`` arguments. For complex arguments it is
    ``dL/dRe + i dL/dIm``. ``holomorphic=True``: ``function`` is a holomorphic function of
    complex arguments with a complex scalar output, and the gradient its complex
    derivative ``f'(z)``.

    >>> import numpy as np
    >>> def f(x):
    ...     return np.sum(x ** 2)
    >>> grad(f)(np.array([1.0, 2.0]))
    array([2., 4.])
    """
    names, as_tuple = _wrt_names(function, wrt)
    if holomorphic:
        return _holomorphic(function, names, as_tuple, return_value=False)
    request = Request("reverse", names, wrt_tuple=as_tuple, scalar_check=True)
    return _derivative_function(function, request, "grad")


@_decorator
def value_and_grad(function: Callable, wrt: Wrt = 0, holomorphic: bool = False) -> Callable:
    """Like :func:`grad`, returning ``(value, gradient)``.

    >>> import math
    >>> def f(x):
    ...     return math.sin(x)
    >>> value_and_grad(f)(0.0)
    (0.0, 1.0)
    """
    names, as_tuple = _wrt_names(function, wrt)
    if holomorphic:
        return _holomorphic(function, names, as_tuple, return_value=True)
    request = Request("reverse", names, wrt_tuple=as_tuple, return_value=True, scalar_check=True)
    return _derivative_function(function, request, "value_and_grad")


def _holomorphic(function: Callable, names: tuple[str, ...], as_tuple: bool,
                 return_value: bool) -> Callable:
    """``grad(function, holomorphic=True)``: the reverse sweep seeded with 1 gives
    ``conj(f'(z))`` (s2sad's convention, ``g_z = conj(f'(z)) g``), so the conjugate of
    what it gives is ``f'(z)``."""
    request = Request("reverse", names, wrt_tuple=True, return_value=True)

    @functools.wraps(function)
    def gradient(*args: Any, **kwargs: Any) -> Any:
        bound = inspect.signature(function).bind(*args, **kwargs)
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
        batched: bool = False) -> tuple[Any, Any]:
    """Forward mode: ``(function(*primals), J @ tangents)``. The tangent of a primal that
    is not made of numbers (a random generator, a string) is not read.

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
    if len(primals) != len(tangents):
        raise ValueError(f"jvp got {len(primals)} primals but {len(tangents)} tangents")
    _check_values(function, primals)
    _check_values(function, tangents, "tangent")
    numeric = _numeric_positions(primals)
    names, _ = _wrt_names(function, numeric)
    function, bound, keywords = _parts(function)
    generated = derivative(function, Request("vector" if batched else "forward", names))
    tangents = tuple(tangents[p] for p in numeric)
    return generated.function(*bound, *primals, **keywords,
                              **dict(zip(generated.extra_parameters, tangents)))


def vjp(function: Callable, *primals: Any) -> tuple[Any, Callable]:
    """Reverse mode: ``(function(*primals), vjp_fn)``; ``vjp_fn(out_bar)`` returns one
    cotangent per primal (None for a primal that is not made of numbers).

    >>> def f(x, y):
    ...     return x * y
    >>> out, f_vjp = vjp(f, 2.0, 3.0)
    >>> out, f_vjp(1.0)
    (6.0, (3.0, 2.0))
    """
    _check_values(function, primals)
    numeric = _numeric_positions(primals)
    names, _ = _wrt_names(function, numeric)
    target, bound, keywords = _parts(function)
    generated = derivative(target, Request("reverse", names, return_value=True))
    adjoint = generated.function
    seed = generated.extra_parameters[0]
    # vjp_fn runs the forward sweep again: on the primals as they were before this call,
    # for those the function changes (written in place, a random generator's state)
    params = list(inspect.signature(function).parameters)
    written = set(generated.written_parameters)
    kept = {position: _snapshot(value) for position, value in enumerate(primals)
            if position not in numeric or position < len(params)
            and params[position] in written}
    out = function(*primals)

    def vjp_fn(out_bar: Any) -> tuple[Any, ...]:
        refuse_arrays(f"vjp_fn of {_name(function)}:", ["out_bar"], [out_bar])
        args = [_snapshot(kept[p]) if p in kept else value for p, value in enumerate(primals)]
        found = dict(zip(numeric, adjoint(*bound, *args, **keywords, **{seed: out_bar})[1]))
        return tuple(found.get(position) for position in range(len(primals)))

    return out, vjp_fn


def _check_values(function: Callable, values: Sequence[Any], what: str = "argument") -> None:
    """Refuse ``np.matrix``, masked arrays, record arrays and object or structured arrays
    among ``values`` (``function``'s arguments, or their tangents: ``what``), naming them."""
    try:
        names = list(inspect.signature(function).parameters)
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
           report: bool = False, optimize: bool = True, args: tuple | None = None) -> str:
    """The emitted source of ``function``'s derivative.

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
    text = derivative(_parts(function)[0], request).source
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


def _array_like(value: Any, what: str) -> None:
    if isinstance(value, (list, tuple, dict)):
        raise TypeError(f"jacfwd and jacrev take {what} arrays or numbers, not a "
                        f"{type(value).__name__}: differentiate with respect to each array, "
                        "or use jvp / vjp, which take structured values")


def _unit(like: Any, index: tuple[int, ...]) -> Any:
    """A one at ``index`` in zeros shaped and typed like ``like`` (a float for a float)."""
    if np.ndim(like) == 0 and not isinstance(like, np.ndarray):
        return 1.0
    unit = np.zeros(np.shape(like), dtype=np.result_type(like, np.float64))
    unit[index] = 1.0
    return unit


def _positions(function: Callable, names: tuple[str, ...]) -> list[int]:
    parameters = list(inspect.signature(function).parameters)
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


@_through_partial
def jacfwd(function: Callable, wrt: Wrt = 0, vectorized: bool = True,
           holomorphic: bool = False) -> Callable:
    """The Jacobian by forward mode: shape ``out.shape + in.shape``, a tuple of them when
    ``wrt`` is a tuple. ``vectorized``: one sweep of vector forward mode carrying every
    column at once (the identity as the batched tangent); otherwise one tangent sweep per
    input element (column by column). A tangent is ``J v`` for complex values too, so for
    a holomorphic function of complex arguments the Jacobian holds ``f'(z)``;
    ``holomorphic=True`` checks that the arguments are complex.

    >>> A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> def f(x):
    ...     return A @ x
    >>> jacfwd(f)(np.zeros(2))
    array([[1., 2.],
           [3., 4.],
           [5., 6.]])
    """
    names, as_tuple = _wrt_names(function, wrt)

    def columns(args: tuple, positions: list[int], keywords: dict) -> list[Any]:
        generated = derivative(function, Request("forward", names))
        blocks = []
        for position in positions:
            x = args[position]
            found = []
            for index in np.ndindex(np.shape(x)):
                tangents = [_unit(x, index) if p == position else zeros_like(args[p])
                            for p in positions]
                _, out_dot = generated.function(
                    *args, **keywords, **dict(zip(generated.extra_parameters, tangents)))
                _array_like(out_dot, "functions whose results are")
                found.append(np.asarray(out_dot))
            stacked = np.stack(found, axis=-1)
            blocks.append(stacked.reshape(stacked.shape[:-1] + np.shape(x)))
        return blocks

    def all_at_once(args: tuple, positions: list[int], keywords: dict) -> list[Any]:
        generated = derivative(function, Request("vector", names))
        sizes = [int(np.size(args[p])) for p in positions]
        seeds, start = [], 0
        for p, size in zip(positions, sizes):  # the identity, split by argument
            x = args[p]
            seed = np.zeros((sum(sizes), size), dtype=np.result_type(x, np.float64))
            seed[start:start + size] = np.eye(size)
            seeds.append(seed.reshape((sum(sizes),) + np.shape(x)))
            start += size
        _, out_dot = generated.function(*args, **keywords,
                                        **dict(zip(generated.extra_parameters, seeds)))
        _array_like(out_dot, "functions whose results are")
        out_dot = np.asarray(out_dot)  # (K,) + out.shape: rows of the Jacobian's transpose
        jacobian = np.moveaxis(out_dot, 0, -1)
        blocks, start = [], 0
        for p, size in zip(positions, sizes):
            block = jacobian[..., start:start + size]
            blocks.append(block.reshape(block.shape[:-1] + np.shape(args[p])))
            start += size
        return blocks

    def jacobian(*args: Any, **keywords: Any) -> Any:
        _check_values(function, args)
        positions = _positions(function, names)
        for p in positions:
            _array_like(args[p], "arguments that are")
        if holomorphic:
            _complex_arguments(function, args, positions, "jacfwd")
        blocks = (all_at_once if vectorized else columns)(args, positions, keywords)
        return tuple(blocks) if as_tuple else blocks[0]

    return jacobian


@_through_partial
def jacrev(function: Callable, wrt: Wrt = 0, holomorphic: bool = False) -> Callable:
    """The Jacobian by reverse mode, one adjoint sweep per output element (row by row):
    shape ``out.shape + in.shape``, a tuple of them when ``wrt`` is a tuple. For complex
    outputs a row is an adjoint, ``conj(J)`` in s2sad's convention; ``holomorphic=True``
    (complex arguments) gives ``J``, the complex derivatives, as ``jacfwd`` does.

    >>> import numpy as np
    >>> def f(x):
    ...     return np.sin(x) * x[0]
    >>> np.allclose(jacrev(f)(np.array([0.5, 1.0])), jacfwd(f)(np.array([0.5, 1.0])))
    True
    """
    names, as_tuple = _wrt_names(function, wrt)

    def jacobian(*args: Any, **keywords: Any) -> Any:
        _check_values(function, args)
        generated = derivative(function, Request("reverse", names, wrt_tuple=True,
                                                 return_value=True))
        seed = generated.extra_parameters[0]
        out = function(*copy.deepcopy(args), **keywords)
        _array_like(out, "functions whose results are")
        for position in _positions(function, names):
            _array_like(args[position], "arguments that are")
        if holomorphic:
            _complex_arguments(function, args, _positions(function, names), "jacrev")
        rows: list[list[Any]] = [[] for _ in names]
        for index in np.ndindex(np.shape(out)):
            _, adjoints = generated.function(*args, **keywords, **{seed: _unit(out, index)})
            for row, adjoint in zip(rows, adjoints):
                row.append(np.asarray(adjoint))
        blocks = []
        for row, position in zip(rows, _positions(function, names)):
            shape = np.shape(out) + np.shape(args[position])
            block = np.stack(row).reshape(shape)
            blocks.append(np.conj(block) if holomorphic else block)
        return tuple(blocks) if as_tuple else blocks[0]

    return jacobian


@_through_partial
def hessian(function: Callable, wrt: Wrt = 0) -> Callable:
    """The Hessian of a scalar function: the forward-mode Jacobian of its gradient (its
    shape ``in.shape + in.shape``).

    >>> def f(x):
    ...     return x[0] ** 2 * x[1]
    >>> hessian(f)(np.array([1.0, 2.0]))
    array([[4., 2.],
           [2., 0.]])
    """
    return jacfwd(grad(function, wrt), wrt)


@_through_partial
def hvp(function: Callable, wrt: Wrt = 0) -> Callable:
    """Hessian-vector products without forming the Hessian: ``hvp(f)(*args, v)`` is the
    tangent of ``grad(f)`` at ``args`` in direction ``v`` (forward over reverse, about the
    cost of a few gradients). With a tuple ``wrt``, ``v`` is a tuple of directions.

    >>> def f(x):
    ...     return np.sum(x ** 3)
    >>> hvp(f)(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    names, as_tuple = _wrt_names(function, wrt)
    gradient = grad(function, wrt)

    def product(*args_and_direction: Any, **keywords: Any) -> Any:
        *args, direction = args_and_direction
        directions = tuple(direction) if as_tuple else (direction,)
        _check_values(function, args)
        refuse_arrays(f"hvp of {function.__name__}:", ["v"], [direction])
        generated = derivative(gradient, Request("forward", names))
        return generated.function(*args, **keywords,
                                  **dict(zip(generated.extra_parameters, directions)))[1]

    return product
