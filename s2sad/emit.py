"""Emit: gast tree to Python source text, through this one function.

Comments are statements made with :func:`comment`; they become ``# ...`` lines.
The printer is ``astor`` today; swapping it (for ``ast.unparse``) touches only this file.

>>> import gast
>>> tree = gast.parse("def f(x):\\n    return x")
>>> tree.body[0].body.insert(0, comment("the identity"))
>>> print(to_source(tree.body[0]), end="")
def f(x):
    # the identity
    return x
"""

from __future__ import annotations

import re

import astor
import gast

from s2sad.trees import walk

_MARKER = "__s2sad_comment_"
_MARKER_LINE = re.compile(rf"^(\s*){_MARKER}(\d+)__$")


def comment(text: str) -> gast.Expr:
    """A statement that prints as ``# text``."""
    node = gast.Expr(
        value=gast.Name(id=_MARKER, ctx=gast.Load(), annotation=None, type_comment=None)
    )
    node.comment_text = " ".join(text.split())
    return node


def is_comment(node: gast.AST) -> bool:
    return hasattr(node, "comment_text")


def to_source(node: gast.AST) -> str:
    """Python source for a gast statement or module, comments included."""
    texts: list[str] = []
    for child in walk(node):
        if is_comment(child):
            child.value.id = f"{_MARKER}{len(texts)}__"
            texts.append(child.comment_text)
    tree = gast.gast_to_ast(gast.fix_missing_locations(node))
    source = astor.to_source(tree, pretty_source=_join_lines)
    lines = []
    for line in source.splitlines():
        match = _MARKER_LINE.match(line)
        if match:
            lines.append(f"{match.group(1)}# {texts[int(match.group(2))]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def _join_lines(source: list[str]) -> str:
    """astor's pretty printer wraps long lines; keep each statement on one line."""
    return "".join(source)
