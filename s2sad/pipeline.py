"""The pipeline: the stages from a function's source to its compiled derivative, and the
cache of the derivatives built.

``build`` runs the stages front to back (``docs/architecture.md`` describes each):
parse, lift, lower writes, fence, lower jumps, normalize, fuse, the analyses, then for each
version of the derivative: transform, optimize, emit and compile. ``derivative`` builds a
derivative at most once for a function as it is (the cache). The stages that reach the
derivatives of other functions (calls, recursion) do so through ``CALLEES``, handed in
with the analysed function: no stage imports this module.

>>> def f(x):
...     return x * x
>>> print(derivative(f, Request("reverse", ("x",), wrt_tuple=False)).version_text(), end="")
def f_adjoint(x, y_bar=1.0):
    if not isinstance(x, float):
        return f_adjoint_general(x, y_bar)
    # return x * x
    x_bar = 2 * (y_bar * x)
    return match(x_bar, x)
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import types
import weakref
from typing import Any

import gast

from s2sad.analyses.operations import targets_of
from s2sad.analyses.prepared import Prepared, analyse
from s2sad.compiler import Generated, compile_definition
from s2sad.deferred import DeferredVersion
from s2sad.derivative_cache import DerivativeCache
from s2sad.derivative_definition import derivative_definition
from s2sad.dispatch import GENERIC, ShapeDispatch, generic
from s2sad.emit import to_source
from s2sad.errors import S2sadError
from s2sad.fence import check_supported
from s2sad.frontend import ParsedFunction, is_made, parse_function
from s2sad.inline import INLINE
from s2sad.lift import lift
from s2sad.lowering.jumps import lower_jumps
from s2sad.lowering.writes import lower_writes
from s2sad.naming import Namer, names_in
from s2sad.nodes import heading, is_heading, parameters
from s2sad.normalize import Normalizer
from s2sad.optimize.fused_operations import fuse_operations
from s2sad.request import Request
from s2sad.rules import RULES
from s2sad.running_code import check_running_code
from s2sad.runtime.replay import failing_as_recomputed
from s2sad.specialize import specialize_calls
from s2sad.transforms.reverse_output import recomputed_where
from s2sad.version import VERSION
from s2sad.versions import (
    Selection,
    ShapedVersions,
    as_array_code,
    float_guard,
    generalized,
    shaped,
    specialized,
)

__all__ = ["CALLEES", "Request", "analysed", "build", "clear_cache", "derivative",
           "in_progress"]


_cache = DerivativeCache(on_evict=INLINE.forget)
_in_progress: set = set()
_lock = threading.Lock()
stats = {"transformations": 0}


def cache_key(function: Any, request: Request) -> tuple:
    """The function's code, globals, closure cells and default values (by identity: the
    entry's proof holds them, so no other object takes their ids), and the request."""
    closure = function.__closure__
    defaults = function.__defaults__
    kwdefaults = function.__kwdefaults__
    return (function.__code__, id(function.__globals__),
            tuple(map(id, closure)) if closure else (),
            tuple(map(id, defaults)) if defaults else (),
            tuple((k, id(v)) for k, v in sorted(kwdefaults.items())) if kwdefaults else (),
            request, VERSION)


def derivative(function: Any, request: Request) -> Generated:
    """The compiled derivative of ``function`` for ``request``, transformed at most once."""
    function = generic(function)  # a dispatcher differentiates as its generic version
    key = cache_key(function, request) if hasattr(function, "__code__") else None
    if key is not None:
        found = _cache.get(key, function)
        if found is not None and found.is_current(function):
            return found
    _in_progress.add(key)
    try:
        generated = build(function, request)
    finally:
        _in_progress.discard(key)
    if key is not None:
        with _lock:
            _cache.put(key, function, generated)
    return generated


def build(function: Any, request: Request) -> Generated:
    """The derivative of ``function`` for ``request``: the stages, front to back."""
    stats["transformations"] += 1
    with _callee_kinds_remembered():
        parsed = parse_function(function)                 # parse: frontend.py
        if not is_made(parsed.function):
            check_running_code(parsed.function)           # the source is what runs
        prepared = analysed(parsed, request)             # lift ... analyses: below
        generated = _versions(prepared, request, parsed)  # transform, optimize, compile
    if request.result == "checked":  # its second run of the function may raise
        checked = failing_as_recomputed(generated.function, recomputed_where(parsed))
        setattr(checked, GENERIC, generated.function)  # what derivatives of it differentiate
        generated = dataclasses.replace(generated, function=checked)
    return generated


def analysed(parsed: ParsedFunction, request: Request,
              complex_values: bool = False) -> Prepared:
    """The front end and the analyses of ``parsed``. ``complex_values``: differentiate the
    functions nondifferentiable for real values only (``np.sign``) by their complex rules."""
    parsed = lift(parsed)                                 # lift: lift.py
    parsed = specialize_calls(parsed)                     # specialize: specialize.py
    namer = Namer(names_in(parsed.node))
    parsed = lower_writes(parsed, namer)                  # writes: lowering/writes.py
    check_supported(parsed.node, parsed.error)            # fence: fence.py
    parsed, lowered = lower_jumps(parsed, namer)          # jumps: lowering/jumps.py
    core = Normalizer(namer).function(lowered)            # normalize: normalize.py
    if request.optimize:
        parsed = fuse_operations(core, parsed, namer)     # fuse: optimize/fused_operations.py
    return analyse(parsed, core, namer, list(request.wrt), CALLEES,  # analyses/prepared.py
                   mode=_rules_mode(request.mode), optimize=request.optimize,
                   complex_values=complex_values, vector=request.mode == "vector")


def _versions(prepared: Prepared, request: Request, parsed: ParsedFunction) -> Generated:
    """The compiled derivative: one version, or a specialized one with its guard and the
    general one it hands other arguments to (``versions.py``); for real array code, the
    versions by argument shapes besides."""
    name = _version_name(parsed, request)
    written = tuple(prepared.written_parameters)
    outside = tuple(prepared.written_outside)
    # np.sign of a value carrying a derivative: zero for real values, not for complex ones
    complex_version = _complex_version(parsed, prepared, request)
    if complex_version is not None and (request.mode == "vector" or not prepared.keeps_real):
        prepared, complex_version = complex_version, None  # one version, for all values
    # proven real scalar code that reads free numbers (globals) holds while they are real
    assumes = prepared.scalar_code and bool(prepared.assumed_real)
    if assumes and request.mode == "vector":
        prepared = generalized(prepared)
    if request.result:  # an adjoint taking the forward sweep's result: the general version
        prepared = complex_version or (generalized(prepared) if assumes else prepared)
        return _single_version(prepared, request, name, parsed, written)
    if complex_version is None and not (
            prepared.scalar_unless or prepared.real_unless or assumes) or request.mode in (
            "primal", "vector"):
        return _single_version(prepared, request, name, parsed, written)
    real = bool(prepared.real_unless) or not prepared.scalar_unless  # else float scalars
    arrays = _as_array_code(prepared, request, real, complex_version)
    shaped_holder: list[ShapedVersions] = []
    general = _deferred_general(
        complex_version if complex_version is not None
        else generalized(prepared) if assumes else prepared, request, f"{name}_general", parsed,
        shaped_holder)
    pristine = _pristine_array_code(prepared, request, real, complex_version)
    # Python arithmetic: code for float arguments (no broadcasting, no complex values);
    # code that keeps real values real: code without conj for real arguments. Either hands
    # other arguments (or free values no longer real) to the general code, built when first
    # needed. Code that keeps real values real and reads nothing from outside, with
    # np.sign: the code for real arguments treats it as nondifferentiable, and hands
    # complex ones to the general version, which differentiates it by its complex rules.

    def by_shapes(extra: tuple[str, ...], unguarded: str) -> ShapeDispatch:
        """The float version's fallback: the versions by shapes, then the general one."""
        versions = _shaped_versions(arrays, request, name, parsed, extra, unguarded,
                                    written, arrays_only=True)
        shaped_holder.append(versions)
        return ShapeDispatch(general, versions, general, unguarded)

    compiled, unguarded, selection = _guarded_version(
        prepared, request, name, parsed, general, real,
        None if arrays is None or _shaped_parameters(arrays) is None else by_shapes)
    versions = None if pristine is None else _shaped_versions(
        pristine, request, name, parsed, compiled.extra_parameters, unguarded, written)
    return dataclasses.replace(compiled, general=general, written_parameters=written,
                               written_outside=outside, selection=selection, shaped=versions)


def _as_array_code(prepared: Prepared, request: Request, real: bool,
                   complex_version: Prepared | None) -> Prepared | None:
    """Arithmetic that keeps real values real, given arrays (whose elements it reads,
    ``w[i] * x[i]``): the array code its versions by argument shapes are made from, as
    real array code has, before the general version; None for other code."""
    if real or not prepared.keeps_real or request.mode not in ("reverse", "forward") \
            or complex_version is not None:
        return None
    return as_array_code(prepared)


def _pristine_array_code(prepared: Prepared, request: Request, real: bool,
                         complex_version: Prepared | None) -> Prepared | None:
    """For real array code, a copy its versions by argument shapes are made from, before
    the version for real arguments specializes it; None for other code."""
    if not real or request.mode not in ("reverse", "forward") \
            or complex_version is not None or prepared.assumed_real:
        return None
    return prepared.copy()


def _version_name(parsed: ParsedFunction, request: Request) -> str:
    if request.mode == "primal":
        return f"{parsed.name}_primal"
    if request.mode == "forward":
        return f"{parsed.name}_tangent"
    if request.mode == "vector":
        return f"{parsed.name}_tangents"
    return f"{parsed.name}_{'grad' if request.scalar_check else 'adjoint'}"


def _single_version(prepared: Prepared, request: Request, name: str, parsed,
                    written: tuple[str, ...]) -> Generated:
    """The derivative as one version (for a tangent of real array code, with versions by
    argument shapes besides)."""
    pristine = prepared.copy() if request.mode == "forward" and prepared.optimize \
        and prepared.keeps_real and not prepared.scalar_code else None
    definition = derivative_definition(prepared, request, name)
    compiled = compile_definition(definition, parsed, prepared.namespace)
    versions = None if pristine is None else _shaped_versions(
        pristine, request, name, parsed, compiled.extra_parameters, compiled.text, written)
    return dataclasses.replace(compiled, written_parameters=written, shaped=versions,
                               written_outside=tuple(prepared.written_outside))


def _guarded_version(prepared: Prepared, request: Request, name: str, parsed,
                     general: DeferredVersion, real: bool, by_shapes=None):
    """The version for real (or float) arguments, compiled, with its guard handing other
    arguments to ``general`` (or to what ``by_shapes(extra parameters, source)`` gives:
    versions by argument shapes before it); its source without the guard; what the guard
    tests."""
    special = specialized(prepared)
    definition = derivative_definition(special, request, name)
    unguarded = to_source(definition)
    extra = tuple(getattr(definition, "extra_parameters", ()))
    fallback = general if by_shapes is None else by_shapes(extra, unguarded)
    checked = prepared.real_unless or [a.id for a in list(definition.args.posonlyargs)
                                       + list(definition.args.args)
                                       + list(definition.args.kwonlyargs)
                                       if a.id not in definition.extra_parameters]
    guarded = (checked + list(definition.extra_parameters) if real
               else prepared.scalar_unless)  # real code: the seed or tangents real too
    leading = next(i for i, s in enumerate(definition.body) if not is_heading(s))
    definition.body.insert(leading, float_guard(definition, guarded, special.namespace,
                                                fallback, real=real,
                                                values=prepared.assumed_real))
    compiled = compile_definition(definition, parsed, special.namespace)
    if fallback is general:
        general.attach(compiled.function, special.namespace.bound_name(general))
    selection = Selection(tuple(guarded), real, tuple(prepared.assumed_real),
                          parsed.resolver())
    return compiled, unguarded, selection


def _shaped_parameters(pristine: Prepared) -> list[str] | None:
    """The parameters versions by shapes are called with, by position; None where the
    function has others (keyword-only, ``*args``, ``**kwargs``)."""
    arguments = pristine.core.args
    if arguments.kwonlyargs or arguments.vararg or arguments.kwarg:
        return None
    return parameters(pristine.core)


def _shaped_versions(pristine: Prepared, request: Request, name: str, parsed,
                     extra: tuple[str, ...], unguarded: str, written: tuple[str, ...],
                     arrays_only: bool = False) -> ShapedVersions | None:
    """The versions by argument shapes of real array code (``versions.ShapedVersions``):
    an adjoint's seed is a real scalar output's unless given, a tangent has its primal's
    type unless given. ``unguarded``: the source of the real version, which a version
    for shapes that change nothing would repeat. ``arrays_only``: none for arguments
    without an array (the version for floats serves them)."""
    own = _shaped_parameters(pristine)
    if own is None:
        return None  # the versions are called with the arguments by position
    extra = list(extra)
    seeds = {p: 1.0 for p in extra} if request.mode == "reverse" else {}
    like = dict(zip(extra, request.wrt)) if request.mode == "forward" else {}
    build = _shaped_builder(pristine, request, name, parsed, unguarded, written, like,
                            arrays_only)
    return ShapedVersions(own + extra, build, seeds, like)


def _shaped_builder(prepared: Prepared, request: Request, name: str, parsed, unguarded: str,
                    written: tuple[str, ...], tangents: dict[str, str],
                    arrays_only: bool = False):
    """Builds the version of real array code for arguments of given types and shapes
    (``versions.ShapedVersions``); None where the shapes change nothing in the code of
    the real version (``unguarded``), or, with ``arrays_only``, where no parameter of
    the function is given an array."""
    later = _Later(prepared, parsed)
    core_parameters = set(parameters(prepared.core))

    def make(prepared: Prepared, parsed, types: dict) -> Generated | None:
        if arrays_only and not any(kind.kind == "array" for name, kind in types.items()
                                   if name in core_parameters):
            return None
        version = shaped(prepared, types, tangents)
        if version is None:
            return None
        definition = derivative_definition(version, request, name)
        if to_source(definition) == unguarded:
            return None
        said = ", ".join(f"{p}: {t.describe()}" for p, t in types.items())
        definition.body.insert(0, heading(f"for {said}"))
        compiled = compile_definition(definition, parsed, version.namespace)
        return dataclasses.replace(compiled, written_parameters=written)

    return lambda types: later(make, types)


def _complex_version(parsed, prepared, request: Request):
    """``prepared`` made again with the complex rules of the functions nondifferentiable
    for real values only (``np.sign``), when one of them then carries a derivative;
    otherwise None."""
    if request.mode == "primal" or not any(
            op.kind == "inactive" and op.rules is not None
            and op.rules.complex_stand_in is not None for op in prepared.operations):
        return None
    again = analysed(parsed, request, complex_values=True)
    for op in again.operations:
        stand_in = op.kind == "apply" and RULES.find(op.function)
        if stand_in and stand_in.complex_stand_in is not None and any(
                t in again.active for t in targets_of(op.statement)):
            return again
    return None


def _deferred_general(prepared, request: Request, name: str, parsed,
                      shaped: list | None = None) -> DeferredVersion:
    """The general version, built from ``prepared`` when first needed (``_Later``);
    ``shaped`` holds the versions by shapes that come before it, if any (which
    ``source(f, args=...)`` shows where they serve the arguments)."""
    later = _Later(prepared, parsed)

    def make(prepared: Prepared, parsed) -> Generated:
        definition = derivative_definition(prepared, request, name)
        compiled = compile_definition(definition, parsed, prepared.namespace)
        return dataclasses.replace(compiled, shaped=shaped[0]) if shaped else compiled

    return DeferredVersion(name, lambda: later(make))


class _Later:
    """What a version built later needs: ``prepared`` and ``parsed`` holding their function
    weakly (a cache entry must not keep the function it was built from alive), and the
    derivatives being built now, as a recursive call must reach them (through stubs)."""

    def __init__(self, prepared: Prepared, parsed: ParsedFunction) -> None:
        self._function = weakref.ref(parsed.function)
        self._prepared = dataclasses.replace(
            prepared, parsed=dataclasses.replace(prepared.parsed, function=None))
        self._parsed = dataclasses.replace(parsed, function=None)
        self._building = set(_in_progress)

    def __call__(self, make, *args: Any) -> Any:
        function = self._function()
        if function is None:
            raise S2sadError(f"the function {self._parsed.name} was deleted before a version "
                             "of its derivative was built; differentiate it again")
        prepared = dataclasses.replace(
            self._prepared, parsed=dataclasses.replace(self._prepared.parsed,
                                                       function=function))
        parsed = dataclasses.replace(self._parsed, function=function)
        added = self._building - _in_progress
        _in_progress.update(added)
        try:
            return make(prepared, parsed, *args)
        finally:
            _in_progress.difference_update(added)


def _rules_mode(mode: str) -> str:
    """The rules a mode needs: vector forward mode uses the forward ones."""
    return "forward" if mode == "vector" else mode


def in_progress(function: Any, request: Request) -> bool:
    """Whether this derivative is being built right now (a recursive call reached it)."""
    return cache_key(generic(function), request) in _in_progress


class _Callees:
    """The pipeline's derivatives, as the stages reach them (``callees.Derivatives``)."""

    def derivative(self, function: Any, request: Request) -> Generated:
        return derivative(function, request)

    def in_progress(self, function: Any, request: Request) -> bool:
        return in_progress(function, request)

    def value_kind(self, function: Any) -> str | None:
        return value_kind(function)


_classifying = threading.local()


@contextlib.contextmanager
def _callee_kinds_remembered():
    """While a derivative is built (and the derivatives it builds), each callee's
    ``value_kind`` is found once: a chain of helpers is analysed once per helper."""
    outermost = getattr(_classifying, "found", None) is None
    if outermost:
        _classifying.found = {}
    try:
        yield
    finally:
        if outermost:
            _classifying.found = None


def value_kind(function: Any) -> str | None:
    """``Derivatives.value_kind``: the analyses of ``function`` (its derivative's code
    class, ``versions.py``); None for a function reached again while it is analysed
    (recursion), or one the analyses refuse."""
    if not isinstance(function, types.FunctionType):
        return None
    found = getattr(_classifying, "found", None)
    if found is not None and function in found:
        return found[function]
    busy = _classifying.__dict__.setdefault("functions", set())
    if function in busy:
        return None
    busy.add(function)
    try:
        kind = _value_kind(function)
    finally:
        busy.discard(function)
    if found is not None:
        found[function] = kind
    return kind


def _value_kind(function: Any) -> str | None:
    defaults = list(function.__defaults__ or ()) + list((function.__kwdefaults__ or {}).values())
    if not all(value is None or type(value) in (int, float, bool) for value in defaults):
        return None  # a default the caller leaves out may be complex, or an array
    try:
        prepared = analysed(parse_function(function), Request("reverse", ()))
    except Exception:  # the transformation of the call says why, where it matters
        return None
    if not prepared.keeps_real:
        return None
    flat = all(op.kind in ("apply", "copy", "inactive") or op.kind == "call"
               and isinstance(op.statement.targets[0], gast.Tuple) for op in prepared.operations)
    return "numbers" if (prepared.scalar_code or prepared.scalar_unless) and flat else "real"


CALLEES = _Callees()


def clear_cache() -> None:
    """Forget every compiled derivative."""
    with _lock:
        _cache.clear()
        INLINE.clear()
