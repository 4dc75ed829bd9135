"""Builders of the gast nodes the stages make, in one place.

>>> from s2sad.emit import to_source
>>> print(to_source(assign("y", add(call("f", load("x")), load("b")))), end="")
y = f(x) + b
>>> print(to_source(comment("what the sweep records")), end="")
# what the sweep records
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from s2sad.trees import copy_tree, walk

#: the name a comment statement holds: ``emit`` prints the statement as ``# text``
COMMENT_MARKER = "__s2sad_comment_"


def name(identifier: str, ctx: type[gast.expr_context] = gast.Load) -> gast.Name:
    return gast.Name(id=identifier, ctx=ctx(), annotation=None, type_comment=None)


def load(identifier: str) -> gast.Name:
    return name(identifier, gast.Load)


def store(identifier: str) -> gast.Name:
    return name(identifier, gast.Store)


def constant(value: Any) -> gast.Constant:
    return gast.Constant(value=value, kind=None)


def assign(target: str | gast.expr, value: gast.expr) -> gast.Assign:
    if isinstance(target, str):
        target = store(target)
    return gast.Assign(targets=[target], value=value, type_comment=None)


def call(func: str, *args: gast.expr) -> gast.Call:
    return gast.Call(func=load(func), args=list(args), keywords=[])


def add(left: gast.expr, right: gast.expr) -> gast.BinOp:
    return gast.BinOp(left=left, op=gast.Add(), right=right)


def tuple_of(elements: list[gast.expr]) -> gast.Tuple:
    return gast.Tuple(elts=elements, ctx=gast.Load())


def comment(text: str) -> gast.Expr:
    """A statement that prints as ``# text``."""
    node = gast.Expr(value=load(COMMENT_MARKER))
    node.comment_text = " ".join(text.split())
    return node


def is_comment(node: gast.AST) -> bool:
    return hasattr(node, "comment_text")


def heading(text: str) -> gast.Expr:
    """A comment that heads a function, before every statement (even its guard)."""
    node = comment(text)
    node.heading = True
    return node


def is_heading(node: gast.AST) -> bool:
    return getattr(node, "heading", False)


def located(statements: list[gast.stmt], where: gast.AST) -> list[gast.stmt]:
    """``statements``, made for ``where``, at its position (of a compound statement, its
    first line)."""
    compound = isinstance(where, (gast.If, gast.For, gast.While))
    for statement in statements:
        for node in walk(statement):
            if getattr(node, "lineno", None) is None and hasattr(where, "lineno"):
                gast.copy_location(node, where)
                node.end_lineno = where.lineno if compound else where.end_lineno
                node.end_col_offset = None if compound else where.end_col_offset
    return statements


def names_read(node: gast.AST) -> set[str]:
    return {
        n.id for n in walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)
    }


def parameters(function: gast.FunctionDef) -> list[str]:
    args = function.args
    return [a.id for a in list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)]


def replace_node(tree: gast.expr, old: gast.expr, new: gast.expr) -> gast.expr:
    """A copy of ``tree`` with the node ``old`` (by identity) replaced by ``new``."""
    return replace_nodes(tree, [(old, new)])


def replace_nodes(tree: gast.expr, pairs: list[tuple[gast.expr, gast.expr]]) -> gast.expr:
    """A copy of ``tree`` with each node ``old`` of ``pairs`` (by identity) replaced by its
    ``new``, all in one copy (a second replacement in a copy would find no node)."""
    for old, new in pairs:
        if tree is old:
            return copy_tree(new)
    result = copy.copy(tree)
    for field, value in gast.iter_fields(tree):
        if isinstance(value, list):
            setattr(
                result,
                field,
                [replace_nodes(v, pairs) if isinstance(v, gast.AST) else v for v in value],
            )
        elif isinstance(value, gast.AST):
            setattr(result, field, replace_nodes(value, pairs))
    return result
