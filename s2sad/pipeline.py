"""The pipeline: front end, fence, normalize, analyses, transform, emit, compile; with a cache.

>>> def f(x):
...     return x * x
>>> print(derivative(f, Request("reverse", ("x",), wrt_tuple=False)).source, end="")
def f_adjoint(x, _y_bar=1.0):
    # return x * x
    x_bar = _y_bar * conj(x) + _y_bar * conj(x)
    return match(x_bar, x)
"""

from __future__ import annotations

import dataclasses
import threading
import types
from dataclasses import dataclass
from typing import Any

import gast

from s2sad.analyses.operations import targets_of
from s2sad.compiler import Generated, compile_definition
from s2sad.deferred import DeferredVersion
from s2sad.derivative_cache import DerivativeCache
from s2sad.errors import S2sadError
from s2sad.frontend import is_made, parse_function
from s2sad.optimize.driver import optimize_definition
from s2sad.optimize.effects import Effects, effects_in
from s2sad.rules import RULES
from s2sad.running_code import check_running_code
from s2sad.transforms.common import float_guard, generalized, prepare, specialized
from s2sad.transforms.forward import ForwardTransform
from s2sad.transforms.reverse import ReverseTransform
from s2sad.transforms.vector import VectorForwardTransform
from s2sad.trees import walk

VERSION = "0.1.0"


@dataclass(frozen=True)
class Request:
    #: "forward" | "vector" (forward, K directions at once) | "reverse" | "primal" (the
    #: function alone, its calls bound)
    mode: str
    wrt: tuple[str, ...]
    wrt_tuple: bool = True
    return_value: bool = False
    scalar_check: bool = False
    #: the adjoint also returns its tape, a ``RecordingTape`` (see ``s2sad.tape_size``)
    record_tape: bool = False
    #: the emitted source starts with a report of what the forward sweep records
    report: bool = False
    #: False: the derivative as the rules give it, before any optimization
    optimize: bool = True

    def __post_init__(self) -> None:  # hashed at every cache lookup: once is enough
        object.__setattr__(self, "_hash", hash((
            self.mode, self.wrt, self.wrt_tuple, self.return_value, self.scalar_check,
            self.record_tape, self.report, self.optimize)))

    def __hash__(self) -> int:
        return self._hash


_cache = DerivativeCache()
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
    key = cache_key(function, request) if hasattr(function, "__code__") else None
    if key is not None:
        found = _cache.get(key, function)
        if found is not None and found.is_current(function):
            return found
    _in_progress.add(key)
    try:
        generated = _transform(function, request)
    finally:
        _in_progress.discard(key)
    if key is not None:
        with _lock:
            _cache.put(key, function, generated)
    return generated


def _transform(function: Any, request: Request) -> Generated:
    stats["transformations"] += 1
    parsed = parse_function(function)
    if not is_made(parsed.function):
        check_running_code(parsed.function)
    prepared = prepare(parsed, list(request.wrt), mode=_rules_mode(request.mode),
                       optimize=request.optimize)
    if request.mode == "primal":
        name = f"{parsed.name}_primal"
    elif request.mode == "forward":
        name = f"{parsed.name}_tangent"
    elif request.mode == "vector":
        name = f"{parsed.name}_tangents"
    else:
        name = f"{parsed.name}_{'grad' if request.scalar_check else 'adjoint'}"
    written = tuple(prepared.written_parameters)
    # np.sign of a value carrying a derivative: zero for real values, not for complex ones
    complex_version = _complex_version(parsed, prepared, request)
    if complex_version is not None and (request.mode == "vector" or not prepared.keeps_real):
        prepared, complex_version = complex_version, None  # one version, for all values
    # proven real scalar code that reads free numbers (globals) holds while they are real
    assumes = prepared.scalar_code and bool(prepared.assumed_real)
    if assumes and request.mode == "vector":
        prepared = generalized(prepared)
    if complex_version is None and not (
            prepared.scalar_unless or prepared.real_unless or assumes) or request.mode in (
            "primal", "vector"):
        compiled = compile_definition(_definition(prepared, request, name), parsed,
                                      prepared.namespace)
        return dataclasses.replace(compiled, written_parameters=written)
    # Python arithmetic: code for float arguments (no broadcasting, no complex values); an
    # array loop that keeps real values real: code without conj for real arguments. Either
    # hands other arguments (or free values no longer real) to the general code, built
    # when first needed.
    # Code that keeps real values real and reads nothing from outside, with np.sign:
    # the code for real arguments treats it as nondifferentiable, and hands complex ones
    # to the general version, which differentiates it by its complex rules.
    general = _deferred_general(
        complex_version if complex_version is not None
        else generalized(prepared) if assumes else prepared, request, f"{name}_general", parsed)
    real = bool(prepared.real_unless) or not prepared.scalar_unless  # else float scalars
    special = specialized(prepared)
    definition = _definition(special, request, name)
    checked = prepared.real_unless or [a.id for a in list(definition.args.posonlyargs)
                                       + list(definition.args.args)
                                       + list(definition.args.kwonlyargs)
                                       if a.id not in definition.extra_parameters]
    guarded = (checked + list(definition.extra_parameters) if real
               else prepared.scalar_unless)  # real code: the seed or tangents real too
    definition.body.insert(0, float_guard(definition, guarded, special.namespace, general,
                                          real=real, values=prepared.assumed_real))
    compiled = compile_definition(definition, parsed, special.namespace)
    general.attach(compiled.function, special.namespace.bound_name(general))
    return dataclasses.replace(compiled, general=general, written_parameters=written)


def _complex_version(parsed, prepared, request: Request):
    """``prepared`` made again with the complex rules of the functions nondifferentiable
    for real values only (``np.sign``), when one of them then carries a derivative;
    otherwise None."""
    if request.mode == "primal" or not any(
            op.kind == "inactive" and op.rules is not None
            and op.rules.complex_stand_in is not None for op in prepared.operations):
        return None
    again = prepare(parsed, list(request.wrt), mode=_rules_mode(request.mode),
                    optimize=request.optimize, complex_values=True)
    for op in again.operations:
        stand_in = op.kind == "apply" and RULES.find(op.function)
        if stand_in and stand_in.complex_stand_in is not None and any(
                t in again.active for t in targets_of(op.statement)):
            return again
    return None


def _deferred_general(prepared, request: Request, name: str, parsed) -> DeferredVersion:
    """The general version, built from ``prepared`` when first needed, as it would be
    now: a recursive call of a derivative being built now reaches it through a stub."""
    building = set(_in_progress)

    def build() -> Generated:
        added = building - _in_progress
        _in_progress.update(added)
        try:
            return compile_definition(_definition(prepared, request, name), parsed,
                                      prepared.namespace)
        finally:
            _in_progress.difference_update(added)

    return DeferredVersion(name, build)


def _rules_mode(mode: str) -> str:
    """The rules a mode needs: vector forward mode uses the forward ones."""
    return "forward" if mode == "vector" else mode


def _definition(prepared, request: Request, name: str):
    definition = _transformed(prepared, request, name)
    if prepared.optimize:
        optimize_definition(definition, _effects(definition, prepared.namespace,
                                                 _replaces_function(request)),
                            prepared.namer)
    return definition


def _effects(definition, namespace, keep_raising: bool = True) -> Effects:
    """What the names in ``definition`` refer to, for the optimizer's purity tests."""
    local = {n.id for n in walk(definition) if isinstance(n, gast.Name)
             and not isinstance(n.ctx, gast.Load)}
    return effects_in(namespace, local, getattr(definition, "stacks", set()), keep_raising)


def _replaces_function(request: Request) -> bool:
    """Whether the derivative is called in place of the function (``grad``, tangents), so
    it must raise where the function does. An adjoint taking the output's adjoint runs
    after the function itself did (``vjp`` calls it first; a call of a user function keeps
    the primal call in the forward sweep), and need not compute what it does not read."""
    return request.mode != "reverse" or request.scalar_check or request.return_value


def _transformed(prepared, request: Request, name: str):
    prepared.namer.reserve(name)  # the derivative's own name: no binding may take it
    if request.mode == "vector":
        return VectorForwardTransform(prepared).function(name)
    if request.mode in ("forward", "primal"):
        return ForwardTransform(prepared, request.mode == "primal").function(name)
    return ReverseTransform(prepared, keep_raising=_replaces_function(request)).function(
        name,
        wrt_tuple=request.wrt_tuple,
        return_value=request.return_value,
        scalar_check=request.scalar_check,
        record_tape=request.record_tape,
        report=request.report,
    )


def in_progress(function: Any, request: Request) -> bool:
    """Whether this derivative is being built right now (a recursive call reached it)."""
    return cache_key(function, request) in _in_progress


def zero_tangents(mode: str, extras: tuple) -> Any:
    """The zero tangent of a value, in ``mode``: batched like the tangents ``extras``
    in vector mode."""
    from s2sad.runtime import batch_zeros, directions, zeros_like

    if mode != "vector":
        return zeros_like
    k = directions(extras[0])
    return lambda value: batch_zeros(k, value)


class LazyDerivative:
    """A derivative reached by recursion, built on its first call. Called as
    ``stub(args, keywords, extras)``: the primal's arguments, then the tangents or the
    output adjoint the derivative adds."""

    def __init__(self, function: Any, request: Request) -> None:
        self.function = function
        self.request = request
        self._built: Generated | None = None

    def __call__(self, args: tuple, keywords: dict, extras: tuple) -> Any:
        if self._built is None:
            self._built = derivative(self.function, self.request)
        built = self._built
        return built.function(*args, **keywords, **dict(zip(built.extra_parameters, extras)))

    def __repr__(self) -> str:
        return f"<derivative of {self.function.__qualname__} ({self.request.mode})>"


class MethodDerivative:
    """The derivative of ``obj.<attr>(...)``, for a method found on ``obj``'s class when
    called. ``slots`` are the call's active arguments (``arg0``, ... for positions, or
    keyword names). Called as ``stub(obj, args, keywords, extras)``; a reverse derivative
    returns the adjoints in the order of ``slots``."""

    def __init__(self, attr: str, mode: str, slots: tuple[str, ...]) -> None:
        self.attr = attr
        self.mode = mode
        self.slots = slots
        self._built: dict[tuple[type, int], tuple] = {}

    def __call__(self, obj: Any, args: tuple, keywords: dict, extras: tuple) -> Any:
        if isinstance(obj, super):  # super(C, self).m(...): the method after C, on self
            found = getattr(getattr(obj, self.attr, None), "__func__", None)
            where = f"super({obj.__thisclass__.__qualname__}, ...)"
            obj = obj.__self__
        else:
            found = getattr(type(obj), self.attr, None)
            where = type(obj).__qualname__
        key = (found, len(args))
        built = self._built.get(key)
        # the primal call finds the method live: so does its derivative, every call
        if built is None or not built[0].is_current(built[3]):
            built = self._built[key] = self._build(found, where, len(args))
        generated, wrt, where, _ = built
        if self.mode in ("forward", "vector"):  # tangents by parameter (*args: one per item)
            zero = zero_tangents(self.mode, extras)
            tangents = {}
            for slot, extra in zip(self.slots, extras):
                name, item = where[slot]
                if item is None:
                    tangents[name] = extra
                else:
                    items = tangents.setdefault(
                        name, [zero(a) for a in args[len(args) - where["count"]:]])
                    items[item] = extra
            extras = tuple(tuple(tangents[n]) if isinstance(tangents[n], list) else tangents[n]
                           for n in wrt)
        result = generated.function(obj, *args, **keywords,
                                    **dict(zip(generated.extra_parameters, extras)))
        if self.mode in ("forward", "vector"):
            return result
        adjoints = []
        for slot in self.slots:
            name, item = where[slot]
            adjoint = result[wrt.index(name)]
            adjoints.append(adjoint if item is None else adjoint[item])
        return tuple(adjoints)

    def _build(self, function: Any, where: str, positional: int):
        import inspect

        if not isinstance(function, types.FunctionType):
            raise TypeError(f"s2sad: {where}.{self.attr} is not a Python method "
                            "s2sad can differentiate")
        signature = inspect.signature(function)
        parameters = list(signature.parameters.values())[1:]  # after self
        named = [p.name for p in parameters
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        varargs = next((p.name for p in parameters if p.kind is p.VAR_POSITIONAL), None)
        where: dict = {"count": max(0, positional - len(named))}
        for slot in self.slots:  # the parameter each active argument binds to
            if slot.startswith("arg") and slot[3:].isdigit():
                position = int(slot[3:])
                where[slot] = ((named[position], None) if position < len(named)
                               else (varargs, position - len(named)))
            else:
                where[slot] = (slot, None)
        order = [p.name for p in parameters]
        wrt = sorted({where[s][0] for s in self.slots}, key=order.index)
        generated = derivative(function, Request(self.mode, tuple(wrt), wrt_tuple=True))
        return generated, wrt, where, function

    def __repr__(self) -> str:
        return f"<derivative of .{self.attr} ({self.mode})>"


class UnpackedCall:
    """The derivative of a call that unpacks its arguments (``f(a, *t, k=b, **d)``), bound
    when it runs. Called as ``stub(values, extras)``: the value of each slot (``a``, ``t``,
    ``b``, ``d``) and the tangents of the active slots or the output adjoint. A reverse
    derivative returns the adjoints of the active slots (a tuple for ``*t``, a dict for
    ``**d``). ``proof``: what the caller's primal call of the function was compiled from
    (in reverse mode); a derivative built later for another state of the function is
    refused rather than paired with that primal."""

    def __init__(self, function: Any, mode: str, slots: tuple[str, ...],
                 active: tuple[str, ...], proof: Any = None) -> None:
        self.function = function
        self.mode = mode
        self.slots = slots
        self.active = active
        self.proof = proof
        self._built: dict[tuple, tuple] = {}

    def _expand(self, values: tuple):
        """The call's positional and keyword arguments, and where each came from."""
        args: list = []
        kwargs: dict = {}
        origins: dict = {}  # position or keyword -> (slot, item within the slot or None)
        for slot, value in zip(self.slots, values):
            if slot.startswith("**"):
                for key, item in value.items():
                    kwargs[key] = item
                    origins[key] = (slot, key)
            elif slot.startswith("*"):
                for index, item in enumerate(value):
                    origins[len(args)] = (slot, index)
                    args.append(item)
            elif slot.startswith("="):
                kwargs[slot[1:]] = value
                origins[slot[1:]] = (slot, None)
            else:
                origins[len(args)] = (slot, None)
                args.append(value)
        return args, kwargs, origins

    def _build(self, args: list, kwargs: dict, origins: dict):
        import inspect

        if self.proof is not None and not self.proof.holds(self.function):
            raise S2sadError(
                f"{self.function.__qualname__} changed after the derivative calling it "
                f"with unpacked arguments was built, and before that call first ran: its "
                f"primal call is the function as it was. Build the derivative again")
        signature = inspect.signature(self.function)
        bound = signature.bind(*range(len(args)), **{key: key for key in kwargs})
        # parameter -> the arguments it took: one, a tuple (*args) or a dict (**kwargs)
        taken = {}
        for name, marker in bound.arguments.items():
            kind = signature.parameters[name].kind
            if kind is inspect.Parameter.VAR_POSITIONAL:
                taken[name] = tuple(origins[m] for m in marker)
            elif kind is inspect.Parameter.VAR_KEYWORD:
                taken[name] = {key: origins[m] for key, m in marker.items()}
            else:
                taken[name] = origins[marker]

        def active(origin) -> bool:
            return origin[0] in self.active

        wrt = [name for name, got in taken.items()
               if (any(map(active, got)) if isinstance(got, tuple) and got and
                   isinstance(got[0], tuple) else any(map(active, got.values()))
                   if isinstance(got, dict) else active(got))]
        generated = derivative(self.function, Request(self.mode, tuple(wrt), wrt_tuple=True))
        return generated, wrt, taken

    def __call__(self, values: tuple, extras: tuple) -> Any:
        from s2sad.runtime import zeros_like

        args, kwargs, origins = self._expand(values)
        key = (len(args), tuple(kwargs))
        if key not in self._built:
            self._built[key] = self._build(args, kwargs, origins)
        generated, wrt, taken = self._built[key]
        extras_by_slot = dict(zip(self.active, extras))
        items = {**dict(enumerate(args)), **kwargs}

        zero = zero_tangents(self.mode, extras)

        def piece(origin, where):
            slot, item = origin
            if slot not in extras_by_slot:
                return zero(items[where])
            return extras_by_slot[slot] if item is None else extras_by_slot[slot][item]

        if self.mode in ("forward", "vector"):
            tangents = []
            for name in wrt:
                got = taken[name]
                if isinstance(got, dict):
                    tangents.append({k: piece(o, k) for k, o in got.items()})
                elif isinstance(got, tuple) and (not got or isinstance(got[0], tuple)):
                    positions = [p for p, o in origins.items() if o in got]
                    tangents.append(tuple(piece(o, p) for o, p in zip(got, positions)))
                else:
                    tangents.append(piece(got, next(p for p, o in origins.items()
                                                    if o == got)))
            return generated.function(*args, **kwargs, **dict(
                zip(generated.extra_parameters, tangents)))
        adjoints = generated.function(*args, **kwargs,
                                      **{generated.extra_parameters[0]: extras[0]})
        by_origin = {}
        for name, adjoint in zip(wrt, adjoints):
            got = taken[name]
            if isinstance(got, dict):
                by_origin.update({o: adjoint[k] for k, o in got.items()})
            elif isinstance(got, tuple) and (not got or isinstance(got[0], tuple)):
                by_origin.update({o: a for o, a in zip(got, adjoint)})
            else:
                by_origin[got] = adjoint
        result = []
        for slot, value in zip(self.slots, values):
            if slot not in self.active:
                continue
            if slot.startswith("**"):
                result.append({k: by_origin.get((slot, k), zeros_like(v))
                               for k, v in value.items()})
            elif slot.startswith("*"):
                parts = tuple(by_origin.get((slot, i), zeros_like(v))
                              for i, v in enumerate(value))
                result.append(parts if isinstance(value, tuple) else list(parts))
            else:
                result.append(by_origin.get((slot, None), zeros_like(value)))
        return tuple(result)

    def __repr__(self) -> str:
        return f"<derivative of {self.function.__qualname__} (unpacked call, {self.mode})>"


def clear_cache() -> None:
    """Forget every compiled derivative."""
    with _lock:
        _cache.clear()
