"""``backend="numba"``: a derivative compiled to machine code by Numba.

For the arguments of a call (their types), the version of the derivative those
arguments select is emitted as for the NumPy backend, rewritten in Numba's nopython
subset (``numba_lowering``) with the types one run of the Python version shows
(``numba_types``), written to a file named by the digest of its text and compiled with
``numba.njit(cache=True)``. Numba's cache sits beside that file, so a changed source is
another file and never loads a stale compilation. What has no compiled form is an error
naming the user's line; the NumPy backend stays the default.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import inspect
import os
import platform
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from s2sad.backends import NotFinite, ShapeChanged, numba_runtime_path
from s2sad.backends.numba_lowering import COMPILED_HELPERS, HELPERS, Unsupported, lowered
from s2sad.backends.numba_types import frame_types
from s2sad.errors import S2sadError
from s2sad.origin import origin_in_text
from s2sad.pickling import reduced

_HEADER = ("import math\n\nimport numba\nimport numpy as np\n\n"
           "from s2sad.backends.numba_runtime import "
           f"{', '.join(HELPERS + COMPILED_HELPERS)}\n\n\n")


class NumbaBackendError(S2sadError):
    """A derivative that ``backend="numba"`` cannot compile."""


class Compiled:
    """One compiled version: the function Numba made, its source, and what it cost;
    ``python`` is the NumPy backend's derivative, which a call whose result is not finite
    runs again (``NotFinite``: where Python raises, ``math.log(-1.0)``, ``math.exp(1e3)``,
    compiled code gives NaN or infinity)."""

    def __init__(self, function: Any, text: str, transform_seconds: float) -> None:
        self.function = function
        self.python: Any = None
        self.text = text
        self.transform_seconds = transform_seconds
        self.compile_seconds = 0.0


class NumbaDerivative:
    """A derivative compiled by Numba for the argument types it is called with (one
    compilation per tuple of argument types); ``versions`` holds them, with their source
    and their cost (``transform_seconds``, ``compile_seconds``: the first call's).
    ``derive(function, request)`` builds derivatives (``pipeline.derivative``)."""

    def __init__(self, function: Any, request: Any, kind: str, derive: Any) -> None:
        functools.update_wrapper(self, function)
        self.__wrapped__ = function
        self.__name__ = self.__qualname__ = f"{function.__name__}_{kind}"
        self._request = request
        self._derive = derive
        self._signature: inspect.Signature | None = None
        self.versions: dict[tuple, Compiled] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            args = self._positional(args, kwargs)
        key = _key(args)
        compiled = self.versions.get(key)
        if compiled is None:
            return self._first_call(key, args)
        try:
            return compiled.function(*args)
        except (NotFinite, ShapeChanged):
            return compiled.python(*args)

    def __reduce__(self) -> tuple:
        return reduced(self)

    def _positional(self, args: tuple, kwargs: dict) -> tuple:
        """All the arguments by position, the derivative's own (a seed, tangents) too."""
        if self._signature is None:
            derived = self._derive(self.__wrapped__, self._request).function
            self._signature = inspect.signature(derived)
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return tuple(bound.arguments.values())

    def _first_call(self, key: tuple, args: tuple) -> Any:
        compiled = self.version(args)
        import numba

        start = time.perf_counter()
        try:
            result = compiled.function(*args)
        except numba.core.errors.TypingError as error:
            raise compile_error(self.__wrapped__, error) from None
        except (NotFinite, ShapeChanged):
            result = compiled.python(*args)
        except TypeError as error:  # the Python version raises it too, or the compiled
            compiled.python(*args)  # code is at fault (a value of a type it cannot take)
            raise compile_error(self.__wrapped__, error) from None
        compiled.compile_seconds = time.perf_counter() - start
        self.versions[key] = compiled
        return result

    def version(self, args: tuple) -> Compiled:
        """The compiled version for arguments like ``args`` (built now, not cached)."""
        start = time.perf_counter()
        text, function = _module_text(self.__wrapped__, self._request, args, self._derive)
        compiled = Compiled(_compiled(text, function), text, time.perf_counter() - start)
        compiled.python = self._derive(self.__wrapped__, self._request).function
        return compiled

    @property
    def source(self) -> str:
        """The source of the version compiled last."""
        if not self.versions:
            raise ValueError("no version is compiled before the first call; "
                             "s2sad.source(f, backend='numba', args=...) shows one")
        return list(self.versions.values())[-1].text

    def __repr__(self) -> str:
        return f"<s2sad derivative {self.__name__}, compiled by Numba>"


def _key(args: tuple) -> tuple:
    """What a compiled version is specialized on: each argument's type, and an array's
    dtype, shape and memory layout (shapes fix the tape buffers' rows)."""
    return tuple([(np.ndarray, a.dtype.str, a.shape, a.flags.c_contiguous)
                  if type(a) is np.ndarray else type(a) for a in args])


def numba_source(function: Any, request: Any, args: tuple | None, derive: Any) -> str:
    """The module text Numba compiles for ``function``'s derivative at arguments like
    ``args``; ``derive(function, request)`` builds derivatives (``pipeline.derivative``)."""
    return _module_text(function, request, args, derive)[0]


def _module_text(function: Any, request: Any, args: tuple | None,
                 derive: Any) -> tuple[str, str]:
    """The module text Numba compiles for ``function``'s derivative at arguments like
    ``args``, and the name of the derivative in it."""
    if args is None:
        raise ValueError("backend='numba' compiles for the types of the arguments: "
                         "give them (args=...)")

    _require_numba()
    generated = derive(function, request)
    arguments = _arguments(function, args)
    _check_arguments(function, arguments)
    selected = _selected_version(function, generated, arguments)
    callees = _callees(selected)
    found = frame_types(selected.function, args, {},
                        tuple(callee.function.__code__ for callee, _ in callees.values()))
    sources = [_lowered_callee(name, callee, primal, found, callees)
               for name, (callee, primal) in callees.items()]
    sources.append(_lowered_version(function, selected, found, callees))
    decorated = "\n\n".join(f"{_DECORATOR}{text}" for text in sources)
    return _HEADER + decorated + "\n", selected.function.__name__


#: how each function of a compiled module is compiled
_DECORATOR = "@numba.njit(cache=True)\n"


def _callees(version: Any) -> dict[str, tuple[Any, Any]]:
    """The derivatives of user functions that ``version`` calls, however deep, by the
    name its code calls each by: ``(Generated, the user's function)``, callees first."""
    found: dict[str, tuple[Any, Any]] = {}

    def visit(generated: Any) -> None:
        by_function = {id(dep.function): (dep, primal) for dep, primal in generated.depends}
        for name, value in _bindings(generated.function).items():
            pair = by_function.get(id(value))
            if pair is None or name in found and found[name][0] is pair[0]:
                continue
            if name in found:
                raise NumbaBackendError(
                    f"backend='numba' compiles each function a derivative calls under its "
                    f"name, but two different functions are called {name}; use the default "
                    "backend ('numpy') for this function")
            visit(pair[0])
            found[name] = pair
    visit(version)
    return found


def _lowered_version(function: Any, version: Any, found: dict, callees: dict) -> str:
    """``version``'s text (the derivative of the user's ``function``) in Numba's subset."""
    types, arrays = found[version.function.__code__]
    try:
        return lowered(version.text, types, _bindings(version.function), arrays,
                       set(callees))
    except Unsupported as error:
        raise _at_user_line(function, version.text, error) from None


def _lowered_callee(name: str, callee: Any, primal: Any, found: dict,
                    callees: dict) -> str:
    """The derivative ``callee`` of the user's ``primal``, called ``name``, in Numba's
    subset: its specialized version, when the arguments it was called with in the run
    seen are the ones that version takes."""
    types, _ = found[callee.function.__code__]
    if callee.general is not None:
        parameters = callee.selection.names
        allowed = {"f8", "array"} if callee.selection.real else {"f8"}
        if not types or any(not types.get(p) or not types[p] <= allowed for p in parameters):
            raise NumbaBackendError(
                f"backend='numba' compiles the derivative of {primal.__name__} for the "
                "argument types its specialized version takes, but it is called with "
                "others (or not at all in the run that learnt the types); use the default "
                f"backend ('numpy') for this function")
    if callee.written_parameters:
        raise NumbaBackendError(
            f"backend='numba' does not compile calls of {primal.__name__}, which writes "
            f"into its argument {callee.written_parameters[0]}; use the default backend "
            "('numpy') for this function")
    text = _lowered_version(primal, callee, found, callees)
    own = callee.function.__name__
    return text if own == name else text.replace(f"def {own}(", f"def {name}(", 1)


def _require_numba() -> None:
    try:
        import numba  # noqa: F401
    except ImportError as error:
        raise NumbaBackendError("backend='numba' needs Numba: pip install 's2sad[numba]' "
                                "(or use the default backend, 'numpy')") from error


def _arguments(function: Any, args: tuple) -> dict[str, Any]:
    """The primal's arguments by name (``args`` may go on with tangents or a seed)."""
    signature = inspect.signature(function)
    bound = signature.bind(*args[:len(signature.parameters)])
    bound.apply_defaults()
    return dict(bound.arguments)


#: the dtypes of the arrays compiled derivatives take
_ARRAY_DTYPES = ("float64", "int64", "bool")


def _check_arguments(function: Any, arguments: dict[str, Any]) -> None:
    """Refuses arguments the compiled version would not take: the version they select
    must be the real code (floats and float64 arrays, and integers, booleans and their
    arrays where no derivative flows)."""
    for name, value in arguments.items():
        array = type(value) is np.ndarray and value.dtype.name in _ARRAY_DTYPES
        if type(value) not in (float, int, bool) and not array:
            what = type(value).__name__ if type(value) is not np.ndarray else \
                f"an array of dtype {value.dtype}"
            raise NumbaBackendError(
                f"backend='numba' compiles derivatives of Python floats and float64 "
                f"arrays, but {function.__name__}'s argument {name} is {what}; pass those, "
                "or use the default backend ('numpy')")


def _selected_version(function: Any, generated: Any, arguments: dict[str, Any]) -> Any:
    """The version (``Generated``) of ``generated`` that ``arguments`` select, as
    ``Generated.version_text`` chooses it: a version for their shapes, else the
    specialized one; the general version (complex values, any types) is refused."""
    if generated.shaped is not None:
        types = generated.shaped.types_of(arguments)
        version = None if types is None else generated.shaped.version(types)
        if version is not None:
            return version
    if generated.general is None:
        return generated
    if generated.selection.selects(arguments):
        return generated
    general = generated.general.generated()
    if general.shaped is not None:
        types = general.shaped.types_of(arguments)
        version = None if types is None else general.shaped.version(types)
        if version is not None:
            return version
    kinds = ", ".join(f"{name}: {_kind(value)}" for name, value in arguments.items())
    raise NumbaBackendError(
        f"backend='numba' compiles the versions of {function.__name__}'s derivative "
        f"specialized for real arguments, but these arguments ({kinds}) select the "
        "general version; pass the types of a specialized version (s2sad.source(f, "
        "args=...) shows its test), or use the default backend ('numpy')")


def _kind(value: Any) -> str:
    if type(value) is np.ndarray:
        return f"{value.dtype} array of shape {value.shape}"
    return type(value).__name__


def _bindings(function: Any) -> dict[str, Any]:
    """What the free names of the generated ``function`` refer to."""
    found = dict(function.__globals__)
    cells = function.__closure__ or ()
    for name, cell in zip(function.__code__.co_freevars, cells):
        try:
            found[name] = cell.cell_contents
        except ValueError:
            continue
    return found


def _at_user_line(function: Any, text: str, error: Unsupported) -> NumbaBackendError:
    origin = origin_in_text(function, text.splitlines(), error.lineno)
    where = f"{origin.filename}:{origin.lineno}: " if origin else f"{function.__name__}: "
    shown = f"\n    {origin.text}" if origin else ""
    return NumbaBackendError(f"{where}{error.message}; use the default backend ('numpy') "
                             f"for this function{shown}")


def cache_directory() -> Path:
    """Where compiled derivatives' sources (and Numba's cache beside them) are kept:
    ``$S2SAD_NUMBA_CACHE``, else ``s2sad/numba`` in the user's cache directory."""
    given = os.environ.get("S2SAD_NUMBA_CACHE")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "s2sad" / "numba"


def _digest(text: str) -> str:
    import numba
    import numpy

    parts = [text, numba.__version__, numpy.__version__, sys.version, platform.machine(),
             Path(numba_runtime_path()).read_text()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def _compiled(text: str, name: str) -> Any:
    """``name`` from module ``text``, compiled by ``numba.njit(cache=True)`` from a file
    named by the digest of everything the compilation depends on."""
    import numba

    module_name = f"s2sad_numba_{_digest(text)}"
    directory = cache_directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{module_name}.py"
    if not path.exists() or path.read_text() != text:
        partial = directory / f".{module_name}.{os.getpid()}.tmp"
        partial.write_text(text)
        os.replace(partial, path)
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # where Numba's cache finds it when loading
        spec.loader.exec_module(module)
    compiled = getattr(module, name)
    return compiled if isinstance(compiled, numba.core.dispatcher.Dispatcher) \
        else numba.njit(cache=True)(compiled)


def compile_error(function: Any, error: Exception) -> NumbaBackendError:
    """A Numba typing error, said in the user's terms."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in str(error).splitlines()]
    lines = [line for line in lines if line]
    first = next((line for line in lines if line.startswith(">>>")), lines[0] if lines else
                 str(error))
    if first.startswith(">>>"):
        first = f"no compiled form of {first[3:].strip()}"
    return NumbaBackendError(f"{_definition_line(function)}backend='numba' could not "
                             f"compile the derivative of {function.__name__}: {first}; use "
                             "the default backend ('numpy') for this function")


def _definition_line(function: Any) -> str:
    """``file:line: `` of ``function``'s ``def`` (empty when it has no code)."""
    code = getattr(function, "__code__", None)
    return "" if code is None else f"{code.co_filename}:{code.co_firstlineno}: "


_SHARED: dict[tuple, NumbaDerivative] = {}


def shared(function: Any, request: Any, kind: str, derive: Any) -> NumbaDerivative:
    """The one ``NumbaDerivative`` of ``function``'s code for ``request``, for calls that
    make it anew each time (``jvp``, ``vjp``)."""
    key = (function, getattr(function, "__code__", None), request,
           getattr(function, "__defaults__", None), getattr(function, "__kwdefaults__", None))
    try:
        found = _SHARED.get(key)
    except TypeError:  # a default that cannot be hashed: a derivative of its own
        return NumbaDerivative(function, request, kind, derive)
    if found is None:
        found = _SHARED[key] = NumbaDerivative(function, request, kind, derive)
    return found
