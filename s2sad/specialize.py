"""Specialize: a closure passed straight to a function of the user's becomes extra
arguments of a copy of that function.

Lift makes a nested function used as a value ``partial(g, k=k)``: the lifted function and
the enclosing variables it reads. A call ``simpson(partial(integrand, k=k), 0.0, b)`` of
a user function ``def simpson(fn, a, b, n=8)`` becomes ``simpson_with_integrand(0.0, b,
fn_k=k)``, a copy of ``simpson`` made from its source in which ``fn`` is no parameter but
``integrand`` itself and each ``fn(t)`` is ``fn(t, k=fn_k)``. The captured values are
then ordinary arguments: both functions are differentiated as any, in every mode and
order, and ``k`` gets its derivative through ``fn_k``.

Python's closure and the copy read the same values: lift refuses a closure over a
variable bound more than once or in a loop, and the callee cannot rebind its caller's
variables. The copy is made only where ``fn`` is used by calling it or by passing it on to
another call (which is then specialized in the copy's own turn, or refused there); any
other use (stored, returned, compared, bound again, overridden by a keyword of the same
name) keeps the call as it was, where a closure over a value carrying a derivative is
refused at the call.
"""

from __future__ import annotations

import builtins
import dataclasses
import functools
import inspect
import textwrap
import types
import weakref
from typing import Any

import gast

from s2sad.errors import S2sadError
from s2sad.frontend import ParsedFunction, is_made, parse_function, register_made
from s2sad.lift import PARTIAL
from s2sad.naming import names_in
from s2sad.origin import PRIMAL_ATTRIBUTE
from s2sad.rules import RULES
from s2sad.running_code import check_running_code
from s2sad.trees import Transformer, copy_tree, walk

#: (callee, its code, the function values given) -> the copy made for them; a copy keeps
#: what its key names alive, so the ids in a key are not reused while it is held
_COPIES: weakref.WeakValueDictionary = weakref.WeakValueDictionary()

#: a function value given: (the lifted function, the names of the variables it captures)
Given = tuple[Any, tuple[str, ...]]


@dataclasses.dataclass
class _Copy:
    """A specialized copy, and the parameter name each captured variable is passed by."""

    function: Any
    passed_as: dict[str, dict[str, str]]


def specialize_calls(parsed: ParsedFunction) -> ParsedFunction:
    """``parsed`` with each call of a user function given closures made by lift calling a
    copy of that function specialized for them (bound in ``parsed.extra``)."""
    if parsed.extra.get(PARTIAL) is not functools.partial:
        return parsed
    rewriter = _CallSpecializer(parsed)
    node = rewriter.visit(copy_tree(parsed.node))
    if not rewriter.bound:
        return parsed
    return dataclasses.replace(parsed, node=node, extra={**parsed.extra, **rewriter.bound},
                               specialized={**parsed.specialized, **rewriter.reached})


class _CallSpecializer(Transformer):
    """Calls given closures made by lift, turned into calls of copies where they can be."""

    def __init__(self, parsed: ParsedFunction) -> None:
        self.parsed = parsed
        self.local = _bound_names(parsed.node)
        self.taken = names_in(parsed.node) | set(parsed.extra) | set(parsed.closure)
        #: the names the copies are called by, and the copies
        self.bound: dict[str, Any] = {}
        #: a copy's name -> the path from a free name to the function it copies, and that
        #: function (a derivative holds while the path leads to it)
        self.reached: dict[str, tuple[tuple[str, tuple[str, ...]], Any]] = {}

    def visit_Call(self, node: gast.Call) -> gast.Call:
        self.generic_visit(node)
        given = self._function_values(node)
        if not given:
            return node
        chain = _chain(node.func)
        if chain is None or chain[0] in self.local:
            return node
        callee = self._resolve(chain)
        if not _copyable(callee) or any(isinstance(a, gast.Starred) for a in node.args) \
                or any(k.arg is None for k in node.keywords):
            return node
        parameters = _parameters_given(callee, node, given)
        if parameters is None:
            return node
        copy = _specialized_copy(callee, {p: given[slot][0] for p, slot in parameters.items()})
        new = {n for names in (copy.passed_as.values() if copy else ()) for n in names.values()}
        if copy is None or any(k.arg in new for k in node.keywords):  # one for **kwargs
            return node
        return self._call_of_copy(node, chain, callee, copy, parameters, given)

    def _function_values(self, node: gast.Call) -> dict[Any, tuple[Given, gast.Call]]:
        """The arguments that are closures made by lift, by position or keyword name."""
        found = {}
        for slot, value in [*enumerate(node.args), *((k.arg, k.value) for k in node.keywords)]:
            made = self._closure(value)
            if made is not None:
                found[slot] = (made, value)
        return found

    def _closure(self, value: gast.expr) -> Given | None:
        if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
                and value.func.id == PARTIAL and len(value.args) == 1
                and isinstance(value.args[0], gast.Name)
                and all(k.arg is not None for k in value.keywords)):
            return None
        function = self.parsed.resolve(value.args[0].id)
        if not (isinstance(function, types.FunctionType) and is_made(function)):
            return None
        return function, tuple(k.arg for k in value.keywords)

    def _resolve(self, chain: tuple[str, tuple[str, ...]]) -> Any:
        value = self.parsed.resolve(chain[0])
        for attr in chain[1]:
            try:
                value = getattr(value, attr)
            except Exception:
                return None
        return value

    def _call_of_copy(self, node: gast.Call, chain, callee: Any, copy: _Copy,
                      parameters: dict[str, Any], given: dict) -> gast.Call:
        slots = set(parameters.values())
        keywords = [k for k in node.keywords if k.arg not in slots]
        for parameter, slot in parameters.items():
            made = given[slot][1]
            for keyword in made.keywords:
                keywords.append(gast.keyword(arg=copy.passed_as[parameter][keyword.arg],
                                             value=keyword.value))
        name = self._name_for(copy.function)
        if chain[0] not in self.parsed.extra:  # the copy holds while these do
            for attr in ("", "__code__", "__defaults__", "__kwdefaults__"):
                path = (chain[0], chain[1] + ((attr,) if attr else ()))
                key = f"{name}.{attr}"
                if key in self.reached and self.reached[key][0] != path:  # a second name
                    key = f"{key}@{'.'.join((path[0], *path[1]))}"      # of the callee
                self.reached[key] = (path, getattr(callee, attr) if attr else callee)
        call = gast.Call(func=_load(name), keywords=keywords,
                         args=[a for i, a in enumerate(node.args) if i not in slots])
        return gast.copy_location(call, node)

    def _name_for(self, function: Any) -> str:
        for name, value in self.bound.items():
            if value is function:
                return name
        name = function.__name__
        while name in self.taken or name in self.parsed.globals or hasattr(builtins, name):
            name += "_"
        self.taken.add(name)
        self.bound[name] = function
        return name


def _chain(func: gast.expr) -> tuple[str, tuple[str, ...]] | None:
    """``("mod", ("simpson",))`` for ``mod.simpson``; None for another expression."""
    attrs = []
    while isinstance(func, gast.Attribute):
        attrs.append(func.attr)
        func = func.value
    if not isinstance(func, gast.Name):
        return None
    return func.id, tuple(reversed(attrs))


def _copyable(callee: Any) -> bool:
    """A plain Python function of the user's, without rules of its own."""
    if type(callee) is not types.FunctionType or hasattr(callee, PRIMAL_ATTRIBUTE) \
            or hasattr(callee, "__wrapped__"):
        return False
    module = getattr(callee, "__module__", None) or ""
    return module.split(".")[0] not in ("numpy", "scipy", "s2sad") and \
        RULES.find(callee) is None


def _parameters_given(callee: Any, node: gast.Call, given: dict) -> dict[str, Any] | None:
    """The callee's parameter each function value is given to (by its slot in the call),
    or None when the call does not bind, or one goes into ``*args`` or ``**kwargs``."""
    try:
        signature = inspect.signature(callee)
        bound = signature.bind(*range(len(node.args)), **{k.arg: k.arg for k in node.keywords})
    except (TypeError, ValueError):
        return None
    parameters = {}
    for name, slot in bound.arguments.items():
        kind = signature.parameters[name].kind
        if kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            if any(s in given for s in (slot if kind is inspect.Parameter.VAR_POSITIONAL
                                        else slot.values())):
                return None
        elif slot in given:
            parameters[name] = slot
    return parameters


def _specialized_copy(callee: Any, values: dict[str, Given]) -> _Copy | None:
    """The copy of ``callee`` in which each parameter of ``values`` is the lifted function
    given to it, or None where a parameter is used otherwise than called or passed on."""
    key = (id(callee), callee.__code__, id(callee.__defaults__),
           id(callee.__kwdefaults__), tuple(sorted(
        (p, id(function), names) for p, (function, names) in values.items())))
    found = _COPIES.get(key)
    if found is not None:
        return found.__s2sad_copy__
    try:
        source = parse_function(callee)
    except S2sadError:
        return None
    if not is_made(callee):
        check_running_code(callee)
    if not all(_only_called_or_passed(source.node, p, names)
               for p, (_, names) in values.items()):
        return None
    copy = _make_copy(callee, source, values)
    copy.function.__s2sad_copy__ = copy
    copy.function.__s2sad_copied_from__ = (callee, callee.__defaults__,
                                           callee.__kwdefaults__)
    _COPIES[key] = copy.function
    return copy


def _only_called_or_passed(definition: gast.FunctionDef, parameter: str,
                           captured: tuple[str, ...]) -> bool:
    """Whether ``parameter`` is bound only as a parameter and read only as a function
    called (without keywords named like the variables it captures, nor ``**``) or as an
    argument of a call."""
    arguments = [a.id for a in _parameter_nodes(definition)]
    if parameter not in arguments:
        return False
    called, passed = set(), set()
    for node in walk(definition):
        if isinstance(node, gast.Call):
            if isinstance(node.func, gast.Name) and node.func.id == parameter:
                if any(k.arg is None or k.arg in captured for k in node.keywords):
                    return False
                called.add(id(node.func))
            passed |= {id(a) for a in node.args} | {id(k.value) for k in node.keywords}
    for node in walk(definition):
        if isinstance(node, (gast.FunctionDef, gast.Lambda)) and node is not definition \
                and parameter in {a.id for a in _parameter_nodes(node)}:
            return False
        if isinstance(node, (gast.Global, gast.Nonlocal)) and parameter in node.names:
            return False
        if node is not definition and parameter in _names_bound_by(node):
            return False
        if isinstance(node, gast.Name) and node.id == parameter and not isinstance(
                node.ctx, gast.Param):
            if not isinstance(node.ctx, gast.Load) or id(node) not in called | passed:
                return False
    return True


def _names_bound_by(node: gast.AST) -> set[str]:
    """The names a definition, an import or a pattern binds by a field other than a
    ``Name`` (``def fn``, ``import fn``, ``case fn``)."""
    if isinstance(node, gast.alias):
        return {node.asname or node.name.partition(".")[0]}
    names = {getattr(node, field, None) for field in ("name", "asname", "rest")}
    return {name for name in names if isinstance(name, str)}


def _parameter_nodes(definition: gast.FunctionDef | gast.Lambda) -> list[gast.Name]:
    args = definition.args
    return [*args.posonlyargs, *args.args, *args.kwonlyargs,
            *(a for a in (args.vararg, args.kwarg) if a is not None)]


def _make_copy(callee: Any, source: ParsedFunction, values: dict[str, Given]) -> _Copy:
    """The copy: ``values``' parameters replaced by keyword-only parameters for the
    variables their functions capture, each call of one given those, each other read the
    function value ``partial(fn, k=fn_k)``."""
    definition = copy_tree(source.node)
    taken = names_in(definition)
    passed_as: dict[str, dict[str, str]] = {}
    for parameter, (_, names) in values.items():
        passed_as[parameter] = {}
        for variable in names:
            name = f"{parameter}_{variable}"
            while name in taken or name in source.globals or hasattr(builtins, name):
                name += "_"
            taken.add(name)
            passed_as[parameter][variable] = name
    definition = _ValuesThreaded(passed_as).visit(definition)
    positional_defaults, keyword_defaults = _without_parameters(definition, callee, set(values))
    stems = [function.__name__.strip("_") or "function" for function, _ in values.values()]
    stem = callee.__name__ if callee.__name__.isidentifier() else "function"
    definition.name = f"{stem}_with_{'_'.join(stems)}"
    for parameter in values:
        for name in passed_as[parameter].values():
            definition.args.kwonlyargs.append(gast.Name(id=name, ctx=gast.Param(),
                                                        annotation=None, type_comment=None))
            definition.args.kw_defaults.append(None)
    extra = {**source.extra, **{p: function for p, (function, _) in values.items()},
             PARTIAL: functools.partial}
    function = _compiled(definition, callee, source, extra, positional_defaults,
                         keyword_defaults)
    register_made(function, dataclasses.replace(source, function=function, node=definition,
                                                extra=extra))
    return _Copy(function, passed_as)


class _ValuesThreaded(Transformer):
    """``fn(t)`` becomes ``fn(t, k=fn_k)``, any other read of ``fn`` ``partial(fn,
    k=fn_k)``."""

    def __init__(self, passed_as: dict[str, dict[str, str]]) -> None:
        self.passed_as = passed_as

    def visit_Call(self, node: gast.Call) -> gast.Call:
        node.args = [self.visit(a) for a in node.args]
        node.keywords = [self.visit(k) for k in node.keywords]
        func = node.func
        if isinstance(func, gast.Name) and func.id in self.passed_as:
            node.keywords += [gast.keyword(arg=v, value=_load(name))
                              for v, name in self.passed_as[func.id].items()]
        else:
            node.func = self.visit(func)
        return node

    def visit_Name(self, node: gast.Name) -> gast.expr:
        names = self.passed_as.get(node.id)
        if names is None or not isinstance(node.ctx, gast.Load):
            return node
        made = gast.Call(func=_load(PARTIAL), args=[node], keywords=[
            gast.keyword(arg=v, value=_load(name)) for v, name in names.items()])
        return gast.copy_location(made, node)


def _without_parameters(definition: gast.FunctionDef, callee: Any, removed: set[str]
                        ) -> tuple[tuple, dict]:
    """Take the ``removed`` parameters out of ``definition``; the default values of those
    left (the callee's live ones)."""
    args = definition.args
    positional = [*args.posonlyargs, *args.args]
    live = list(callee.__defaults__ or ())
    first_default = len(positional) - len(live)
    kept_defaults, kept_nodes = [], []
    for i, parameter in enumerate(positional):
        if i >= first_default and parameter.id not in removed:
            kept_defaults.append(live[i - first_default])
            kept_nodes.append(args.defaults[i - first_default])
    args.posonlyargs = [a for a in args.posonlyargs if a.id not in removed]
    args.args = [a for a in args.args if a.id not in removed]
    args.defaults = kept_nodes
    kept = [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if a.id not in removed]
    args.kwonlyargs = [a for a, _ in kept]
    args.kw_defaults = [d for _, d in kept]
    keyword_defaults = {k: v for k, v in (callee.__kwdefaults__ or {}).items()
                        if k not in removed}
    return tuple(kept_defaults), keyword_defaults


def _compiled(definition: gast.FunctionDef, callee: Any, source: ParsedFunction,
              extra: dict[str, Any], defaults: tuple, keyword_defaults: dict) -> Any:
    """The copy as a live function: the callee's globals and closure cells, and a cell of
    its own for each name of ``extra``, so it runs as Python too."""
    from s2sad.emit import to_source

    free = dict(zip(callee.__code__.co_freevars, callee.__closure__ or ()))
    cells = {**{name: types.CellType(value) for name, value in extra.items()}, **free}
    factory = f"def __s2sad_factory__():\n    {', '.join(cells)} = {', '.join(cells)}\n"
    text = factory + textwrap.indent(to_source(definition), "    ")
    code = compile(text, f"<s2sad {callee.__qualname__} specialized>", "exec")
    outer = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    body = next(c for c in outer.co_consts if isinstance(c, types.CodeType))
    function = types.FunctionType(body, callee.__globals__, definition.name, defaults,
                                  tuple(cells[name] for name in body.co_freevars))
    function.__kwdefaults__ = keyword_defaults or None
    function.__qualname__ = callee.__qualname__.rpartition(".")[0] + (
        "." if "." in callee.__qualname__ else "") + definition.name
    return function


def _bound_names(definition: gast.FunctionDef) -> set[str]:
    """The parameters and the names a function assigns."""
    names = {a.id for a in _parameter_nodes(definition)}
    names |= {n.id for n in walk(definition) if isinstance(n, gast.Name)
              and isinstance(n.ctx, gast.Store)}
    return names


def _load(identifier: str) -> gast.Name:
    return gast.Name(id=identifier, ctx=gast.Load(), annotation=None, type_comment=None)
