"""Stand-ins the generated code calls for the derivatives of the functions it calls,
when those can only be built when the call runs: a recursive call (``LazyDerivative``),
a method found on the object's class (``MethodDerivative``), a call unpacking its
arguments (``UnpackedCall``).

Each builds its derivative through ``Derivatives``, the interface the pipeline hands
to the stages that reach callees (``s2sad/pipeline.py`` implements it with its cache),
so no stage imports the pipeline.
"""

from __future__ import annotations

import inspect
import types
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from s2sad.errors import S2sadError
from s2sad.recomputation import recomputation
from s2sad.request import Request

if TYPE_CHECKING:
    from s2sad.compiler import Generated


class Derivatives(Protocol):
    """The derivatives of other functions, as the stages reach them."""

    def derivative(self, function: Any, request: Request) -> Generated:
        """The compiled derivative of ``function`` for ``request``, built at most once."""

    def in_progress(self, function: Any, request: Request) -> bool:
        """Whether that derivative is being built right now (a recursive call reached it)."""

    def value_kind(self, function: Any) -> str | None:
        """What a called Python function makes of real values, from its own analyses:
        ``"numbers"`` (arithmetic on numbers and calls of such functions, reading nothing
        from outside: real numbers give real numbers), ``"real"`` (real values give real
        values), or None (not known: it may make complex values, or was not analysed)."""


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

    def __init__(self, function: Any, request: Request, derivatives: Derivatives) -> None:
        self.function = function
        self.request = request
        self.derivatives = derivatives
        self._built: Generated | None = None

    def build(self) -> Generated:
        """The derivative, built on the first call."""
        if self._built is None:
            self._built = self.derivatives.derivative(self.function, self.request)
        return self._built

    def __call__(self, args: tuple, keywords: dict, extras: tuple) -> Any:
        built = self.build()
        return built.function(*args, **keywords, **dict(zip(built.extra_parameters, extras)))

    def __repr__(self) -> str:
        return f"<derivative of {self.function.__qualname__} ({self.request.mode})>"


class MethodDerivative:
    """The derivative of ``obj.<attr>(...)``, for a method found on ``obj``'s class when
    called. ``slots`` are the call's active arguments (``arg0``, ... for positions, or
    keyword names). Called as ``stub(obj, args, keywords, extras)``; a reverse derivative
    returns the adjoints in the order of ``slots``."""

    def __init__(self, attr: str, mode: str, slots: tuple[str, ...],
                 derivatives: Derivatives, value_derivatives: Any = None,
                 checked: bool = False) -> None:
        #: makes the derivatives of calls of a value (``function_values.ValueDerivatives``),
        #: for an attribute the call does not bind the object to
        self.value_derivatives = value_derivatives
        self.attr = attr
        self.mode = mode
        self.slots = slots
        self.derivatives = derivatives
        #: the forward sweep's result follows the output's adjoint in ``extras``: a method
        #: that may give another result when run again has its recomputation checked
        self.checked = checked
        self._built: dict[tuple[type, int], tuple] = {}
        self._values: dict[tuple, Any] = {}

    def __call__(self, obj: Any, args: tuple, keywords: dict, extras: tuple) -> Any:
        if isinstance(obj, super):  # super(C, self).m(...): the method after C, on self
            found = getattr(getattr(obj, self.attr, None), "__func__", None)
            where = f"super({obj.__thisclass__.__qualname__}, ...)"
            obj = obj.__self__
        else:
            _refuse_distribution_value(obj, self.attr)
            if not _is_method(obj, self.attr):  # a static method, or a function held
                return self._value_call(obj, args, keywords, extras)  # by the object
            found = getattr(type(obj), self.attr, None)
            where = type(obj).__qualname__
        key = (found, len(args))
        built = self._built.get(key)
        # the primal call finds the method live: so does its derivative, every call
        if built is None or not built[0].is_current(built[3]):
            built = self._built[key] = self._build(found, where, len(args), type(obj))
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

    def _value_call(self, obj: Any, args: tuple, keywords: dict, extras: tuple) -> Any:
        """The derivative of ``obj.<attr>(...)`` where the attribute is a value the call
        does not bind ``obj`` to: differentiated as a call of that value."""
        shape = (len(args), tuple(keywords))
        values = self._values.get(shape)
        if values is None:
            values = self._values[shape] = self.value_derivatives(
                self.mode, len(args), tuple(keywords), self.slots, self.derivatives,
                f"{type(obj).__qualname__}.{self.attr}(...)", self.checked)
        return values.apply(getattr(obj, self.attr), args, keywords, extras)

    def _build(self, function: Any, where: str, positional: int, owner: type):
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
        checked = self.checked and recomputation(function, owner).differs
        generated = self.derivatives.derivative(function, Request(
            self.mode, tuple(wrt), wrt_tuple=True, result="checked" if checked else ""))
        return generated, wrt, where, function

    def __repr__(self) -> str:
        return f"<derivative of .{self.attr} ({self.mode})>"


def _is_method(obj: Any, attr: str) -> bool:
    """Whether ``obj.<attr>`` is a function of ``obj``'s class, called with ``obj`` first."""
    if isinstance(obj, type):  # C.f(...): what the class holds, called as it is
        return False
    instance_attributes = getattr(obj, "__dict__", None)
    if isinstance(instance_attributes, dict) and attr in instance_attributes:
        return False
    for cls in type(obj).__mro__:
        if attr in vars(cls):
            return isinstance(vars(cls)[attr], types.FunctionType)
    return True  # not found: the error comes from the method's own lookup


class UnpackedCall:
    """The derivative of a call that unpacks its arguments (``f(a, *t, k=b, **d)``), bound
    when it runs. Called as ``stub(values, extras)``: the value of each slot (``a``, ``t``,
    ``b``, ``d``) and the tangents of the active slots or the output adjoint. A reverse
    derivative returns the adjoints of the active slots (a tuple for ``*t``, a dict for
    ``**d``). ``proof``: what the caller's primal call of the function was compiled from
    (in reverse mode); a derivative built later for another state of the function is
    refused rather than paired with that primal."""

    def __init__(self, function: Any, mode: str, slots: tuple[str, ...],
                 active: tuple[str, ...], derivatives: Derivatives, proof: Any = None,
                 checked: bool = False) -> None:
        self.function = function
        #: the adjoint checks its recomputation against the forward sweep's result, which
        #: follows the output's adjoint in ``extras``
        self.checked = checked
        self.mode = mode
        self.slots = slots
        self.active = active
        self.derivatives = derivatives
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
        generated = self.derivatives.derivative(self.function, Request(
            self.mode, tuple(wrt), wrt_tuple=True, result="checked" if self.checked else ""))
        return generated, wrt, taken

    def __call__(self, values: tuple, extras: tuple) -> Any:
        args, kwargs, origins = self._expand(values)
        key = (len(args), tuple(kwargs))
        if key not in self._built:
            self._built[key] = self._build(args, kwargs, origins)
        generated, wrt, taken = self._built[key]
        if self.mode in ("forward", "vector"):
            tangents = self._tangents(wrt, taken, args, kwargs, origins, extras)
            return generated.function(*args, **kwargs, **dict(
                zip(generated.extra_parameters, tangents)))
        adjoints = generated.function(*args, **kwargs,
                                      **dict(zip(generated.extra_parameters, extras)))
        by_origin = {}
        for name, adjoint in zip(wrt, adjoints):
            got = taken[name]
            if isinstance(got, dict):
                by_origin.update({o: adjoint[k] for k, o in got.items()})
            elif isinstance(got, tuple) and (not got or isinstance(got[0], tuple)):
                by_origin.update({o: a for o, a in zip(got, adjoint)})
            else:
                by_origin[got] = adjoint
        return self._by_slot(by_origin, values)

    def _tangents(self, wrt: list, taken: dict, args: list, kwargs: dict, origins: dict,
                  extras: tuple) -> list:
        """The tangent of each parameter in ``wrt``, gathered from the tangents of the
        active slots of the call (``extras``), zeros for the inactive ones."""
        extras_by_slot = dict(zip(self.active, extras))
        items = {**dict(enumerate(args)), **kwargs}
        zero = zero_tangents(self.mode, extras)

        def piece(origin, where):
            slot, item = origin
            if slot not in extras_by_slot:
                return zero(items[where])
            tangent = extras_by_slot[slot]
            if item is None:
                return tangent
            if self.mode == "vector" and isinstance(tangent, np.ndarray):
                return tangent[:, item]  # an array spread (*x): its directions come first
            return tangent[item]

        tangents = []
        for name in wrt:
            got = taken[name]
            if isinstance(got, dict):
                tangents.append({k: piece(o, k) for k, o in got.items()})
            elif isinstance(got, tuple) and (not got or isinstance(got[0], tuple)):
                positions = [p for p, o in origins.items() if o in got]
                tangents.append(tuple(piece(o, p) for o, p in zip(got, positions)))
            else:
                tangents.append(piece(got, next(p for p, o in origins.items() if o == got)))
        return tangents

    def _by_slot(self, by_origin: dict, values: tuple) -> tuple:
        """The adjoint of each active slot of the call, shaped like its value (a tuple or
        list for ``*``, a dict for ``**``), zeros where no parameter took a part of it."""
        from s2sad.runtime import zeros_like

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


def _refuse_distribution_value(obj: Any, attr: str) -> None:
    """Raise, at the user's line, for a method of a ``scipy.stats`` distribution reached
    through a value (``stats.norm(mu, s).logpdf(x)``, frozen, or a distribution held in a
    variable): the rules are those of the distribution's methods called by its name, with
    the parameters as arguments."""
    owner = type(obj)
    if not (owner.__module__ or "").startswith("scipy.stats"):
        return
    from s2sad.runtime.located import located

    frozen = "frozen" in owner.__name__
    name = getattr(getattr(obj, "dist", None) if frozen else obj, "name", None)
    if name is None:
        return
    what = (f"a frozen scipy.stats distribution ({name}(...).{attr}(...))" if frozen
            else f"the method {attr} of a scipy.stats distribution held in a variable")
    raise NotImplementedError(located(
        f"s2sad: {what} has no derivative; call the distribution's method by its name, "
        f"with the parameters as arguments: stats.{name}.{attr}(x, ..., loc, scale)"))
