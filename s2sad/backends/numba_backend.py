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

from s2sad.backends import NotFinite, numba_runtime_path
from s2sad.backends.numba_lowering import HELPERS, Unsupported, lowered
from s2sad.backends.numba_types import local_types
from s2sad.errors import S2sadError
from s2sad.origin import origin_in_text
from s2sad.pickling import reduced

_HEADER = ("import math\n\nimport numpy as np\n\n"
           f"from s2sad.backends.numba_runtime import {', '.join(HELPERS)}\n\n\n")


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
        key = tuple([type(a) for a in args])
        compiled = self.versions.get(key)
        if compiled is None:
            return self._first_call(key, args)
        try:
            return compiled.function(*args)
        except NotFinite:
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
        except NotFinite:
            result = compiled.python(*args)
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
    _check_arguments(function, generated, arguments)
    text = generated.version_text(arguments)
    python_function = generated.function
    types = local_types(python_function, args, {})
    try:
        source = lowered(text, types, _bindings(python_function))
    except Unsupported as error:
        raise _at_user_line(function, text, error) from None
    name = python_function.__name__
    return _HEADER + source + "\n", name


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


def _check_arguments(function: Any, generated: Any, arguments: dict[str, Any]) -> None:
    """Refuses arguments the compiled version would not take: the version they select
    must be the real scalar code (floats, and integers and booleans where no derivative
    flows)."""
    general = generated.general is not None and not generated.selection.selects(arguments)
    for name, value in arguments.items():
        if type(value) not in (float, int, bool) or general:
            raise NumbaBackendError(
                f"backend='numba' compiles derivatives of Python floats for now, but "
                f"{function.__name__}'s argument {name} is {type(value).__name__}"
                f"{' (or the arguments select the general version)' if general else ''}; "
                "pass floats, or use the default backend ('numpy') for arrays")


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
    return numba.njit(cache=True)(getattr(module, name))


def compile_error(function: Any, error: Exception) -> NumbaBackendError:
    """A Numba typing error, said in the user's terms."""
    first = next((line for line in str(error).splitlines() if line.strip()), str(error))
    first = re.sub(r"\x1b\[[0-9;]*m", "", first)
    return NumbaBackendError(f"backend='numba' could not compile the derivative of "
                             f"{function.__name__}: {first}; use the default backend "
                             "('numpy') for this function")


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
