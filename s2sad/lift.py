"""Lift: functions defined inside the differentiated function become functions of their own.

A nested ``def g(t): return t * x`` (or ``g = lambda t: t * x``) that reads ``x`` from the
enclosing function becomes ``def g(t, *, x): return t * x``, and each call ``g(a)``
becomes ``g(a, x=x)``: a closure reads its variables when called, which is when they are
passed. The lifted function is then differentiated like any other user function (its
derivative built from its own source, keeping the user's file and line numbers in
errors). Nested functions must only be called, not passed around or returned.

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
from collections.abc import Callable

import gast

from s2sad.frontend import ParsedFunction, functions_from_definitions
from s2sad.trees import Transformer, copy_tree, walk

ErrorFactory = Callable[..., Exception]


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
    return dataclasses.replace(parsed, node=outer,
                               extra=functions_from_definitions(lifted, parsed))


def lift_definitions(function: gast.FunctionDef, error: ErrorFactory
                     ) -> tuple[gast.FunctionDef, dict[str, gast.FunctionDef]]:
    """``function`` without its nested definitions, and those definitions lifted (each
    taking the enclosing variables it reads as keyword-only parameters)."""
    nested = _nested_definitions(function, error)
    if not nested:
        return function, {}
    free = _free_variables(function, nested)
    rewrite = _CallRewriter({name: sorted(variables) for name, variables in free.items()},
                            error)
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
                    nested: dict[str, tuple[gast.stmt, gast.FunctionDef]]) -> dict[str, set[str]]:
    """The enclosing variables each nested function reads, itself or through the nested
    functions it calls."""
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
    """``g(a)`` becomes ``g(a, x=x)``; any other use of a nested function is an error."""

    def __init__(self, free: dict[str, list[str]], error: ErrorFactory) -> None:
        self.free = free
        self.error = error

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

    def visit_Name(self, node: gast.Name) -> gast.Name:
        if node.id in self.free:
            raise self.error(node, f"the nested function {node.id!r} is used other than by "
                             "calling it", "call it directly, or define it at module level")
        return node
