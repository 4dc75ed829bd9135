"""``raise`` statements and f-strings become calls: ``raise E(f"bad {x}")`` becomes
``raise_error(E(formatted("bad {}", x)))``. A raising call keeps its place in every sweep
(it has effects), so a derivative raises where the function does; the text it carries has
no derivative.

>>> import gast
>>> from s2sad.emit import to_source
>>> statement = gast.parse("raise ValueError(f'x = {x[0]:.3f} is {kind!r}')").body[0]
>>> print(to_source(as_call(statement, "raise_error", "formatted")), end="")
raise_error(ValueError(formatted('x = {:.3f} is {!r}', x[0], kind)))
"""

from __future__ import annotations

import gast

from s2sad.nodes import call, constant
from s2sad.trees import Transformer

_CONVERSIONS = {115: "!s", 114: "!r", 97: "!a"}


def has_message(statement: gast.stmt) -> bool:
    """Whether ``statement`` is a ``raise`` or holds an f-string."""
    return isinstance(statement, gast.Raise) or any(
        isinstance(n, gast.JoinedStr) for n in gast.walk(statement))


def as_call(statement: gast.stmt, raising: str, formatting: str) -> gast.stmt:
    """``statement`` with its f-strings as calls of ``formatting`` (the name ``formatted``
    is called by) and, a ``raise``, as a call of ``raising`` (``raise_error``'s name)."""
    statement = _Formatted(formatting).visit(statement)
    if not isinstance(statement, gast.Raise):
        return statement
    args = [statement.exc] + ([statement.cause] if statement.cause is not None else [])
    return gast.copy_location(gast.Expr(value=call(raising, *args)), statement)


class _Formatted(Transformer):
    def __init__(self, formatting: str) -> None:
        self.formatting = formatting

    def visit_JoinedStr(self, node: gast.JoinedStr) -> gast.expr:
        template, values = [], []
        for part in node.values:
            if isinstance(part, gast.Constant):
                template.append(str(part.value).replace("{", "{{").replace("}", "}}"))
                continue
            spec = ""
            if part.format_spec is not None:
                spec = ":" + "".join(str(p.value) for p in part.format_spec.values)
            template.append("{" + _CONVERSIONS.get(part.conversion, "") + spec + "}")
            values.append(self.visit(part.value))
        return gast.copy_location(call(self.formatting, constant("".join(template)), *values),
                                  node)
