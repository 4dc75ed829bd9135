"""The versions of a derivative: code for the arguments at hand behind a guard, and the
general code it hands other arguments to.

Python arithmetic on floats, and code that keeps real values real, get a version of their
own (``specialized``) for adjoints and loops: real scalar code for float arguments, code
without ``conj`` for real ones. Its first statement (``float_guard``) tests that the
arguments are what it assumed, and calls the general version (``generalized``, built
when first needed) otherwise. ``s2sad.source`` shows the version real float64 arguments
select (``Selection``).

>>> import s2sad
>>> def g(x, n):
...     for _ in range(n):
...         x = x * x
...     return x
>>> print("\\n".join(s2sad.source(g).splitlines()[:3]))
def g_adjoint(x, n, x_bar=1.0):
    if not isinstance(x, float):
        return g_adjoint_general(x, n, x_bar)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import gast

from s2sad.analyses.operations import targets_of
from s2sad.analyses.prepared import Prepared
from s2sad.analyses.shape_inference import ArgumentType, infer_shapes
from s2sad.namespace import Namespace
from s2sad.nodes import call, load, parameters
from s2sad.runtime import all_real, real_numbers


def generalized(prepared: Prepared) -> Prepared:
    """A copy of proven real scalar code's ``prepared`` for the general version (complex
    values, arrays), taken when that code assumed free values real that may not stay so."""
    general = prepared.copy()
    general.inliner.real_only = general.scalar_code = False
    return general


def as_array_code(prepared: Prepared) -> Prepared:
    """A copy of arithmetic code for floats (``scalar_unless``) read as real code, for
    its versions by argument shapes: arguments that are real arrays, whose elements it
    reads (``w[i] * x[i]``), take those in place of the general version."""
    real = prepared.copy()
    real.real_unless, real.scalar_unless = parameters(real.core), []
    return real


def specialized(prepared: Prepared) -> Prepared:
    """The specialized version's copy of ``prepared`` (which stays as it is, for the
    general version): every value real (``real_unless``: no ``conj``), or every parameter
    a real scalar (``scalar_unless``: real scalar code)."""
    special = prepared.copy()
    special.inliner.real_only = True
    if prepared.scalar_unless:
        special.guarded_floats = list(prepared.scalar_unless)
        special.shapes.assume_scalar(parameters(special.core), prepared.number_results)
        special.scalar_code = True
        if special.kinds is not None:  # float parameters, arithmetic: no sequences
            special.kinds = special.kinds.of_numbers()
    special.scalar_unless, special.real_unless = [], []
    return special


def shaped(prepared: Prepared, types: dict[str, ArgumentType],
           tangents: Mapping[str, str] | None = None) -> Prepared | None:
    """The real version's copy of ``prepared`` for arguments of ``types``: the shapes
    they fix are known (no ``unbroadcast`` where the shapes agree, say). ``types`` holds
    the derivative's added parameters too: the ``tangents`` (by primal) must have their
    primals' shapes, and an adjoint's seed the output's; None where one does not (the
    version for any shapes serves those arguments, as it did)."""
    special = specialized(prepared)
    core_parameters = parameters(special.core)
    facts = infer_shapes(core_parameters, special.operations, special.shapes, types)
    special.shapes.assume_shapes(facts.shapes)
    special.known_shapes = _shapes_of_names(special, core_parameters, facts.shapes)
    tangents = dict(tangents or {})
    for name, kind in types.items():
        if name in core_parameters:
            continue
        if name in tangents:
            if kind.shape != types[tangents[name]].shape:
                return None
            continue
        output = _output_shape(special, facts.shapes)
        if output is None or kind.shape != output:
            return None
        returned = special.core.body[-1].value
        if not isinstance(returned, gast.Name) or \
                special.known_shapes.get(returned.id) == output:
            special.known_shapes[name] = kind.shape  # its variable holds that shape only
    arrays = [kind for kind in types.values() if kind.kind == "array"]
    if all(kind.dtype == "<f8" for kind in arrays):  # no integer arrays in the arithmetic
        special.float64_arrays = {name for name, kind in types.items()
                                  if kind.kind == "array" and name in special.known_shapes}
    special.array_parameters = {name for name, kind in types.items() if kind.kind == "array"
                                and name in core_parameters and name in special.known_shapes}
    return special


def _output_shape(prepared: Prepared, shapes: dict) -> tuple[int, ...] | None:
    """The shape of the function's output, where the facts fix it."""
    returned = prepared.core.body[-1].value
    if not isinstance(returned, gast.Name):
        return None
    value = prepared.shapes.final.get(returned.id)
    return shapes.get(value) if value is not None else None


def _shapes_of_names(prepared: Prepared, names: list[str], shapes: dict) -> dict:
    """Each name all of whose definitions have one known shape, with that shape."""
    found: dict[str, set] = {name: {shapes.get((name, -1))} for name in names}
    for index, operation in enumerate(prepared.operations):
        for target in targets_of(operation.statement):
            found.setdefault(target, set()).add(shapes.get((target, index)))
    for value in prepared.shapes.loop_variables():
        found.setdefault(value[0], set()).add(shapes.get(value))
    return {name: next(iter(held)) for name, held in found.items()
            if len(held) == 1 and None not in held}


def float_guard(definition: gast.FunctionDef, names: list[str], namespace: Namespace,
                general, real: bool = False, values: list = ()) -> gast.If:
    """``if not isinstance(x, float): return general(x, ...)``: the first statement of code
    specialized for float arguments ``names`` (with ``real``: ``if not all_real(x, ...)``,
    for real arrays and numbers). ``values`` are the free values (paths from a global or
    closure name, see ``Prepared.assumed_real``) the code assumed real: tested too, read
    at every call (``real_numbers(c)``; with ``real``, in ``all_real``)."""
    read = [_path(root, attrs) for root, attrs in values]
    if real:
        test = call(namespace.name_for(all_real, "all_real"), *[load(n) for n in names], *read)
    else:
        checks = [call(namespace.name_for(isinstance, "isinstance"), load(n),
                       load(namespace.name_for(float, "float"))) for n in names]
        if read:
            checks.append(call(namespace.name_for(real_numbers, "real_numbers"), *read))
        test = checks[0] if len(checks) == 1 else gast.BoolOp(op=gast.And(), values=checks)
    args = definition.args
    positional = [load(a.id) for a in list(args.posonlyargs) + list(args.args)]
    keywords = [gast.keyword(arg=a.id, value=load(a.id)) for a in args.kwonlyargs]
    fallback = gast.Call(func=load(namespace.name_for(general, general.__name__)),
                         args=positional, keywords=keywords)
    return gast.If(test=gast.UnaryOp(op=gast.Not(), operand=test),
                   body=[gast.Return(value=fallback)], orelse=[])


@dataclass(frozen=True)
class Selection:
    """What a version's guard tests, as a predicate: which version given arguments
    select (``s2sad.source(f, args=...)`` shows that one)."""

    names: tuple[str, ...]  # the parameters tested
    real: bool  # real numbers and arrays (``all_real``), or else Python floats
    values: tuple[tuple[str, tuple[str, ...]], ...]  # free values, as paths from a name
    resolve: Callable[[str], Any]  # a free name's value now

    def selects(self, arguments: Mapping[str, Any]) -> bool:
        """Whether the specialized version takes ``arguments`` (by parameter name; a
        parameter not given, such as the output's adjoint, is taken at its default)."""
        given = [arguments[n] for n in self.names if n in arguments]
        read = [self._read(root, attrs) for root, attrs in self.values]
        if self.real:
            return all_real(*given, *read)
        return all(isinstance(v, float) for v in given) and real_numbers(*read)

    def _read(self, root: str, attrs: tuple[str, ...]) -> Any:
        value = self.resolve(root)
        for attr in attrs:
            value = getattr(value, attr)
        return value


class ShapedVersions:
    """The versions of real array code for arguments of given types and shapes
    (``shape_inference.py``), each built from ``build(types)`` when first asked for (on
    the second call with such arguments, ``dispatch.py``), at most ``LIMIT`` of them: then
    the real version serves the rest."""

    LIMIT = 8

    def __init__(self, parameters: list[str], build: Callable[[dict], Any],
                 defaults: Mapping[str, Any] | None = None,
                 like: Mapping[str, str] | None = None) -> None:
        #: the derivative's parameters: the function's, then the output's adjoint or the
        #: tangents
        self.parameters = parameters
        #: the values of the parameters added to the function's when not given
        self.defaults = dict(defaults or {})
        #: a tangent not given (``source(f, args=...)``) is taken of its primal's type
        self.like = dict(like or {})
        self._build = build
        self._versions: dict[tuple, Any] = {}  # types -> Generated, or None: not built
        self._called: set[tuple] = set()  # types a call had (``called``)
        self._lock = threading.RLock()

    def types_of(self, arguments: Mapping[str, Any]) -> tuple | None:
        """The types of the arguments, by parameter; None when one is not of a kind a
        version is specialized for (see ``ArgumentType.of``)."""
        found = []
        arguments = {**self.defaults, **arguments}
        for name in self.parameters:
            if name not in arguments and self.like.get(name) in arguments:
                arguments[name] = arguments[self.like[name]]
            kind = ArgumentType.of(arguments[name]) if name in arguments else None
            if kind is None or kind.kind == "array" and kind.shape == ():
                return None  # a 0-d array: not a Python number (see assume_shapes)
            found.append(kind)
        return tuple(found)

    def called(self, types: tuple) -> bool:
        """Whether a call had arguments of ``types`` before (noting this one): a version is
        worth building for the second call (a derivative called once is not transformed
        twice), whichever object the calls went through (``jvp`` makes one per call)."""
        with self._lock:
            before = types in self._called or types in self._versions
            self._called.add(types)
        return before

    def version(self, types: tuple) -> Any:
        """The ``Generated`` version for ``types``, built now if need be; None beyond the
        limit, or when the version would be the real one (no shape helps it)."""
        found = self._versions.get(types, False)
        if found is not False:
            return found
        with self._lock:
            if types not in self._versions:
                full = len(self._versions) >= self.LIMIT
                self._versions[types] = None if full else self._build(
                    dict(zip(self.parameters, types)))
            return self._versions[types]


def _path(root: str, attrs: tuple[str, ...]) -> gast.expr:
    """``root.a.b``, read."""
    node: gast.expr = load(root)
    for attr in attrs:
        node = gast.Attribute(value=node, attr=attr, ctx=gast.Load())
    return node
