"""Emit: gast tree to Python source text, through this one function.

Comments are statements made with ``s2sad.nodes.comment``; they become ``# ...`` lines.
The printer is astor on Python 3.10 and 3.11; from 3.12 on, where importing astor warns
(and 3.14, where it fails), it is the standard library's ``ast.unparse`` made to write what
astor writes (``s2sad/unparse.py``). ``PRINTERS`` holds the printers this Python has.

>>> import gast
>>> from s2sad.nodes import comment
>>> tree = gast.parse("def f(x):\\n    return x")
>>> tree.body[0].body.insert(0, comment("the identity"))
>>> print(to_source(tree.body[0]), end="")
def f(x):
    # the identity
    return x
"""

from __future__ import annotations

import ast
import math
import re
import sys

import gast

from s2sad.nodes import COMMENT_MARKER, is_comment
from s2sad.unparse import unparse


def _astor(tree: ast.AST) -> str:
    return astor.to_source(tree, pretty_source=_join_lines)


#: printer name -> function from an ``ast`` tree to its source
PRINTERS = {"ast.unparse": unparse}
if sys.version_info < (3, 12):
    import astor

    PRINTERS["astor"] = _astor
#: the printer used
PRINTER = "astor" if "astor" in PRINTERS else "ast.unparse"

_MARKER_LINE = re.compile(rf"^(\s*){COMMENT_MARKER}(\d+)__$")


def to_source(node: gast.AST, printer: str | None = None) -> str:
    """Python source for a gast statement or module, comments included (``printer``, a
    key of ``PRINTERS``, defaults to ``PRINTER``)."""
    texts: list[str] = []
    _mark_comments([node], texts)
    tree = to_ast(node)
    source = PRINTERS[printer or PRINTER](tree)
    lines = []
    for line in source.splitlines():
        match = _MARKER_LINE.match(line)
        if match:
            lines.append(f"{match.group(1)}# {texts[int(match.group(2))]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _mark_comments(statements: list[gast.AST], texts: list[str]) -> None:
    """Number the comments among ``statements`` and in the blocks inside them, keeping
    their texts in ``texts``."""
    for statement in statements:
        if is_comment(statement):
            statement.value.id = f"{COMMENT_MARKER}{len(texts)}__"
            texts.append(statement.comment_text)
        for field in statement._fields:
            inner = getattr(statement, field, None)
            if type(inner) is list and inner and isinstance(inner[0], _BLOCK_ITEMS):
                _mark_comments(inner, texts)


_BLOCK_ITEMS = (gast.stmt, gast.excepthandler)


def to_ast(node):
    """The Python ``ast`` of a gast tree (``gast.gast_to_ast`` without its visitor, several
    times faster): each node as the ``ast`` class of its name with the fields both have;
    the names that ``ast`` spells as ``arg`` or as a string become those."""
    if type(node) is list:
        return [to_ast(item) for item in node]
    if not isinstance(node, gast.AST):
        return node
    kind = type(node)
    if kind is gast.Constant:
        return _constant(node.value, getattr(node, "kind", None))
    if kind is gast.arguments:
        return ast.arguments(**{field: _args(getattr(node, field))
                                if field in _ARGUMENT_NAMES else to_ast(getattr(node, field))
                                for field in ast.arguments._fields})
    if kind is gast.ExceptHandler:
        return ast.ExceptHandler(type=to_ast(node.type), body=to_ast(node.body),
                                 name=node.name.id if node.name is not None else None)
    found = _AST_FIELDS.get(kind)
    if found is None:
        target = getattr(ast, kind.__name__)
        found = _AST_FIELDS[kind] = (target, [f for f in kind._fields if f in target._fields])
    target, fields = found
    values = {}
    for field in fields:
        value = getattr(node, field, None)
        if type(value) is list:
            value = [to_ast(item) for item in value]
        elif isinstance(value, gast.AST):
            value = _CONTEXTS.get(type(value)) or to_ast(value)
        values[field] = value
    return target(**values)


def _constant(value, kind=None) -> ast.expr:
    """A literal as an expression the printer writes with its value: a negative number as
    the negation of its magnitude (``(-2.0) ** 2``, not ``-2.0 ** 2``, which is ``-4.0``),
    a complex number as the sum of its parts (the signs of its zero parts are not
    all kept: Python has no literal for ``complex(-0.0, 0.0)``)."""
    if type(value) in (int, float) and (value < 0 or value == 0 and math.copysign(1, value) < 0):
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(value=-value))
    if type(value) is complex and (value.real or math.copysign(1, value.real) < 0
                                   or math.copysign(1, value.imag) < 0):
        imaginary = ast.Constant(value=abs(value.imag) * 1j)
        if math.copysign(1, value.imag) < 0:
            imaginary = ast.UnaryOp(op=ast.USub(), operand=imaginary)
        return ast.BinOp(left=_constant(value.real), op=ast.Add(), right=imaginary)
    return ast.Constant(value=value, kind=kind)


#: a load or store context is one object in Python's own trees too
_CONTEXTS = {gast.Load: ast.Load(), gast.Store: ast.Store(), gast.Del: ast.Del()}


_AST_FIELDS: dict[type, tuple[type, list[str]]] = {}
_ARGUMENT_NAMES = ("posonlyargs", "args", "vararg", "kwonlyargs", "kwarg")


def _args(names):
    """Parameters, which gast spells as names, as ``ast.arg``."""
    if type(names) is list:
        return [_args(n) for n in names]
    if names is None:
        return None
    return ast.arg(arg=names.id, annotation=to_ast(names.annotation),
                   type_comment=names.type_comment)


def _join_lines(source: list[str]) -> str:
    """astor's pretty printer wraps long lines; keep each statement on one line."""
    return "".join(source)
