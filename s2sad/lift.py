"""Lift: functions defined inside the differentiated function become functions of their own.

A nested ``def g(t): return t * x`` (or ``g = lambda t: t * x``) that reads ``x`` from the
enclosing function becomes ``def g(t, *, x): return t * x``, and each call ``g(a)``
becomes ``g(a, x=x)``: a closure reads its variables when called, which is when they are
passed. The lifted function is then differentiated like any other user function (its
derivative built from its own source, keeping the user's file and line numbers in
errors).

A lambda inside an expression (a dict or list display, an argument, a returned value) is
bound to a name of its own just before its statement (``acts = {"relu": lambda z: ...}``
becomes ``_lambda1 = lambda z: ...; acts = {"relu": _lambda1}``); a ``key=`` lambda stays
for the lowering, and one called where it is written for the fence to refuse. A nested
function used as a value (passed, stored, returned) is the lifted function, given the
enclosing variables it reads when it is used: ``partial(g, x=x)``. That is what Python's
closure reads when called only if each of those variables is bound once, outside loops;
any other is refused.

>>> import gast
>>> from s2sad.emit import to_source
>>> tree = gast.parse("def f(x):\\n    g = lambda t: t * x\\n    return g(2.0)")
>>> outer, lifted = lift_definitions(tree.body[0], lambda node, message, hint=None: None)
>>> print(to_source(outer), end="")
def f(x):
    return g(2.0, x=x)
>>> print(to_source(lifted["g"]), end="")
def g(t, *, x):
    return t * x
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

import gast

from s2sad.frontend import ParsedFunction, functions_from_definitions
from s2sad.trees import Transformer, copy_tree, walk

ErrorFactory = Callable[..., Exception]
#: the name lifted code makes a nested function's value by: functools.partial
PARTIAL = "__s2sad_partial__"
#: expressions whose lambdas stay where they are (the fence refuses them)
_COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _nested_definition(statement: gast.stmt) -> gast.FunctionDef | None:
    """The function a statement defines: ``def g(...)`` or ``g = lambda ...: ...``."""
    if isinstance(statement, gast.FunctionDef):
        return statement
    if (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], gast.Name)
            and isinstance(statement.value, gast.Lambda)):
        lam = statement.value
        body = gast.copy_location(gast.Return(value=lam.body), lam.body)
        definition = gast.FunctionDef(name=statement.targets[0].id, args=lam.args, body=[body],
                                      decorator_list=[], returns=None, type_comment=None,
                                      type_params=[])
        return gast.copy_location(definition, statement)
    return None


def _own_names(function: gast.FunctionDef) -> set[str]:
    args = function.args
    names = {a.id for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.id for a in (args.vararg, args.kwarg) if a is not None}
    for node in _walk_own(function):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
            names.add(node.id)
    return names


def _walk_own(function: gast.FunctionDef):
    """The nodes of ``function``'s body, not those of functions nested in it."""
    pending = list(function.body)
    while pending:
        node = pending.pop()
        yield node
        for child in gast.iter_child_nodes(node):
            if not isinstance(child, (gast.FunctionDef, gast.Lambda)):
                pending.append(child)


def _statements(body: list[gast.stmt]):
    for statement in body:
        yield statement
        for field in ("body", "orelse"):
            if not isinstance(statement, gast.FunctionDef):
                yield from _statements(getattr(statement, field, []) or [])


def lift(parsed: ParsedFunction) -> ParsedFunction:
    """``parsed`` with the functions defined inside it lifted out (into ``parsed.extra``)."""
    outer, lifted = lift_definitions(parsed.node, parsed.error)
    if not lifted:
        return parsed
    # the lifted functions reach the partial too: one of them may pass another on
    parsed = dataclasses.replace(parsed, extra={**parsed.extra, PARTIAL: functools.partial})
    extra = {**parsed.extra, **functions_from_definitions(lifted, parsed)}
    return dataclasses.replace(parsed, node=outer, extra=extra)


def lift_definitions(function: gast.FunctionDef, error: ErrorFactory
                     ) -> tuple[gast.FunctionDef, dict[str, gast.FunctionDef]]:
    """``function`` without its nested definitions, and those definitions lifted (each
    taking the enclosing variables it reads as keyword-only parameters)."""
    function = _hoist_lambdas(function)
    nested = _nested_definitions(function, error)
    if not nested:
        return function, {}
    free = _free_variables(function, nested, error)
    rewrite = _CallRewriter({name: sorted(variables) for name, variables in free.items()},
                            error, _rebound(function))
    lifted = {}
    for name, (_, definition) in nested.items():
        definition = rewrite.visit(copy_tree(definition))
        for variable in sorted(free[name]):
            definition.args.kwonlyargs.append(gast.Name(id=variable, ctx=gast.Param(),
                                                        annotation=None, type_comment=None))
            definition.args.kw_defaults.append(None)
        lifted[name] = definition
    removed = {id(statement) for statement, _ in nested.values()}
    outer = rewrite.visit(_without(copy_tree(function), removed, function))
    return outer, lifted


def _nested_definitions(function: gast.FunctionDef, error: ErrorFactory
                        ) -> dict[str, tuple[gast.stmt, gast.FunctionDef]]:
    """The functions defined in ``function``'s body, by name, with the statement defining
    each; an error for a name defined twice and for what a lifted function cannot hold."""
    nested = {}
    for statement in _statements(function.body):
        definition = _nested_definition(statement)
        if definition is not None:
            if definition.name in nested:
                raise error(statement, f"{definition.name!r} is defined twice inside the "
                            "function", "give each nested function its own name")
            nested[definition.name] = (statement, definition)
    for _, definition in nested.values():
        for node in walk(definition):
            if node is not definition and isinstance(node, (gast.FunctionDef, gast.Lambda)):
                raise error(node, "functions nested two levels deep are not supported",
                            "define the inner function at the level of the other")
            if isinstance(node, (gast.Nonlocal, gast.Global)):
                raise error(node, f"{type(node).__name__.lower()} statements in a nested "
                            "function are not supported",
                            "return the new value from the nested function and assign it "
                            "where it is called")
    return nested


def _free_variables(function: gast.FunctionDef,
                    nested: dict[str, tuple[gast.stmt, gast.FunctionDef]],
                    error: ErrorFactory) -> dict[str, set[str]]:
    """The enclosing variables each nested function reads, itself or through the nested
    functions it calls; an error where a nested function binds a name that another it
    calls reads from the enclosing function."""
    enclosing = _own_names(function) - set(nested)
    free: dict[str, set[str]] = {}
    calls: dict[str, set[str]] = {}
    for name, (_, definition) in nested.items():
        reads = {n.id for n in _walk_own(definition)
                 if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}
        free[name] = (reads & enclosing) - _own_names(definition)
        calls[name] = (reads & set(nested)) - _own_names(definition)
    changed = True
    while changed:  # a nested function calling another needs that one's variables too
        changed = False
        for name in nested:
            needed = set().union(*(free[c] for c in calls[name])) - _own_names(nested[name][1])
            if not needed <= free[name]:
                free[name] |= needed
                changed = True
    for name, (_, definition) in nested.items():
        for callee in sorted(calls[name]):
            hidden = sorted(free[callee] & _own_names(definition))
            if hidden:  # the callee reads the enclosing variable, not this one
                raise error(definition, f"{name!r} binds {hidden[0]!r}, which the nested "
                            f"function {callee!r} it uses reads from the enclosing function",
                            f"give {name}'s {hidden[0]!r} another name")
    return free


def _without(copied: gast.FunctionDef, removed: set[int], original: gast.FunctionDef):
    """``copied`` with the statements (found by identity in ``original``) removed."""
    pairs = list(zip(_statements(original.body), _statements(copied.body)))
    drop = {id(new) for old, new in pairs if id(old) in removed}

    def keep(body: list[gast.stmt]) -> list[gast.stmt]:
        kept = []
        for statement in body:
            if id(statement) in drop:
                continue
            if hasattr(statement, "orelse"):
                statement.orelse = keep(statement.orelse)
            if hasattr(statement, "body") and not isinstance(statement, gast.FunctionDef):
                statement.body = keep(statement.body) or [gast.Pass()]
            kept.append(statement)
        return kept

    copied.body = keep(copied.body) or [gast.Pass()]
    return copied


class _CallRewriter(Transformer):
    """``g(a)`` becomes ``g(a, x=x)``; ``g`` used as a value ``partial(g, x=x)``."""

    def __init__(self, free: dict[str, list[str]], error: ErrorFactory,
                 rebound: set[str]) -> None:
        self.free = free
        self.error = error
        #: the enclosing variables bound more than once or in a loop
        self.rebound = rebound

    def visit_Call(self, node: gast.Call) -> gast.Call:
        func = node.func
        if not isinstance(func, gast.Name):
            self.generic_visit(node)
            return node
        node.args = [self.visit(a) for a in node.args]
        node.keywords = [self.visit(k) for k in node.keywords]
        if func.id in self.free:  # the enclosing variables it reads, by keyword
            node.keywords += [gast.keyword(arg=v, value=gast.Name(
                id=v, ctx=gast.Load(), annotation=None, type_comment=None))
                for v in self.free[func.id]]
        return node

    def visit_Name(self, node: gast.Name) -> gast.expr:
        variables = self.free.get(node.id)
        if variables is None:
            return node
        if not isinstance(node.ctx, gast.Load):
            raise self.error(node, f"the nested function {node.id!r} is bound again",
                             "give the other value a name of its own")
        if not variables:
            return node
        changing = [v for v in variables if v in self.rebound]
        if changing:
            raise self.error(node, f"the nested function {node.id!r} is used as a value and "
                             f"reads {changing[0]!r}, which the function binds more than once "
                             "or in a loop: s2sad gives a function value the values it reads "
                             "when it is used, Python when it is called",
                             f"give that value a name of its own, bound once, or pass it "
                             f"to {node.id} as an argument")
        made = gast.Call(func=_name(PARTIAL), args=[node], keywords=[
            gast.keyword(arg=v, value=_name(v)) for v in variables])
        return gast.copy_location(made, node)


def _name(identifier: str) -> gast.Name:
    return gast.Name(id=identifier, ctx=gast.Load(), annotation=None, type_comment=None)


def _rebound(function: gast.FunctionDef) -> set[str]:
    """The names ``function`` binds more than once (a parameter counting once), or in a
    loop."""
    args = function.args
    counts: dict[str, int] = {}
    for a in args.posonlyargs + args.args + args.kwonlyargs + [
            a for a in (args.vararg, args.kwarg) if a is not None]:
        counts[a.id] = 1
    looped: set[str] = set()
    for node in _walk_own(function):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
            counts[node.id] = counts.get(node.id, 0) + 1
        if isinstance(node, (gast.For, gast.While, *_COMPREHENSIONS)):
            looped |= {n.id for n in walk(node) if isinstance(n, gast.Name)
                       and isinstance(n.ctx, gast.Store)}
    return {name for name, count in counts.items() if count > 1} | looped


def _hoist_lambdas(function: gast.FunctionDef) -> gast.FunctionDef:
    """``function`` with each lambda inside an expression of a simple statement bound to a
    name of its own just before it (not a ``key=`` lambda, nor one in a comprehension)."""
    taken = {n.id for n in walk(function) if isinstance(n, gast.Name)}
    counter = iter(range(1, 1 << 30))

    def fresh() -> str:
        name = f"_lambda{next(counter)}"
        while name in taken:
            name = f"_lambda{next(counter)}"
        taken.add(name)
        return name

    def block(body: list[gast.stmt]) -> list[gast.stmt]:
        out: list[gast.stmt] = []
        for statement in body:
            if isinstance(statement, (gast.If, gast.For, gast.While)):
                statement.body = block(statement.body)
                statement.orelse = block(statement.orelse)
            elif not isinstance(statement, gast.FunctionDef):
                for lam in _hoisted(statement):
                    name = fresh()
                    out.append(gast.copy_location(gast.Assign(
                        targets=[gast.Name(id=name, ctx=gast.Store(), annotation=None,
                                           type_comment=None)],
                        value=copy_tree(lam), type_comment=None), lam))
                    _replace(lam, gast.copy_location(_name(name), lam))
            out.append(statement)
        return out

    if not any(isinstance(n, gast.Lambda) for n in walk(function)):
        return function
    function = copy_tree(function)
    function.body = block(function.body)
    return function


def _hoisted(statement: gast.stmt) -> list[gast.Lambda]:
    """The lambdas of a simple statement to bind to names of their own, outermost only
    (neither a ``key=`` lambda nor one called where it is written, which the fence
    refuses)."""
    if _nested_definition(statement) is not None:
        return []
    keys = {id(k.value) for n in walk(statement) if isinstance(n, gast.Call)
            for k in n.keywords if k.arg == "key"}
    keys |= {id(n.func) for n in walk(statement) if isinstance(n, gast.Call)}  # (lambda: 1)()
    found, pending = [], [statement]
    while pending:
        node = pending.pop()
        for child in gast.iter_child_nodes(node):
            if isinstance(child, gast.Lambda):
                if id(child) not in keys:
                    found.append(child)
            elif not isinstance(child, _COMPREHENSIONS):
                pending.append(child)
    return found


def _replace(node: gast.AST, new: gast.AST) -> None:
    """Turn ``node`` into ``new`` in place (its parent keeps pointing at it)."""
    node.__class__ = new.__class__
    node.__dict__.clear()
    node.__dict__.update(new.__dict__)
