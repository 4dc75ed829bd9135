"""Writes undone later in their block: the pattern of a reverse sweep.

A derivative's forward sweep saves the part an item write overwrites and its reverse
sweep writes it back (``_t = y[b]; s = _t.copy(); y[b] = v; ...; y[b] = s``). Views of
``y`` taken before the copy see the write only until the restore: after it they hold
what they were bound to again. So such a view may be read after the write as long as it
is not read between the write and the restore (``Restore.window``), which lets the
mutation check accept s2sad's own derivatives when they are differentiated again.

>>> import gast
>>> body = gast.parse("t = y[1:]\\ns = t.copy()\\ny[1:] = v\\nz = 2\\ny[1:] = s\\n").body
>>> restore = find_restore(body, body[2])
>>> restore.statement is body[4], sorted(restore.window), sorted(restore.bound)
(True, [], ['z'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import gast

from s2sad.trees import walk


@dataclass(frozen=True)
class Restore:
    """The statement that undoes a write, the names read strictly between the two, and
    the names bound there (views bound in the window change again at the restore)."""

    statement: gast.stmt
    window: frozenset[str]
    bound: frozenset[str]


def find_restore(block: Sequence[gast.stmt], write: gast.stmt) -> Restore | None:
    """The restore of ``write`` (``y[b] = v``, a statement of ``block``), or None."""
    if not (isinstance(write, gast.Assign) and len(write.targets) == 1
            and isinstance(write.targets[0], gast.Subscript)
            and isinstance(write.targets[0].value, gast.Name)):
        return None
    position = next((i for i, s in enumerate(block) if s is write), None)
    if position is None:
        return None
    target = write.targets[0]
    saved = _saved_copy(block[:position], target)
    if saved is None:
        return None
    window, bound = set(), set()
    for statement in block[position + 1:]:
        if _writes_back(statement, target, saved):
            return Restore(statement, frozenset(window), frozenset(bound))
        if not _simple(statement) or {saved, target.value.id} & _bound(statement):
            return None
        window |= _reads(statement)
        bound |= _bound(statement)
    return None


def _saved_copy(before: Sequence[gast.stmt], target: gast.Subscript) -> str | None:
    """``s`` when ``before`` ends with ``t = y[b]; s = t.copy()`` for the written place."""
    if len(before) < 2:
        return None
    read, copied = before[-2], before[-1]
    if not (_assigns_name(read) and _assigns_name(copied)
            and _same_place(read.value, target)):
        return None
    call = copied.value
    if not (isinstance(call, gast.Call) and not call.args and not call.keywords
            and isinstance(call.func, gast.Attribute) and call.func.attr == "copy"
            and isinstance(call.func.value, gast.Name)
            and call.func.value.id == read.targets[0].id):
        return None
    return copied.targets[0].id


def _writes_back(statement: gast.stmt, target: gast.Subscript, saved: str) -> bool:
    return (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and _same_place(statement.targets[0], target)
            and isinstance(statement.value, gast.Name) and statement.value.id == saved)


def _assigns_name(statement: gast.stmt) -> bool:
    return (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], gast.Name))


def _same_place(a: gast.AST, b: gast.AST) -> bool:
    """Whether two subscripts name the same place (the same text, whatever the context)."""
    def text(node):
        return gast.dump(node).replace("Store()", "Load()")
    return isinstance(a, gast.Subscript) and isinstance(b, gast.Subscript) and text(a) == text(b)


def _simple(statement: gast.stmt) -> bool:
    """A statement that runs straight through (no branch or loop that may jump out)."""
    return isinstance(statement, (gast.Assign, gast.Expr))


def _reads(node: gast.AST) -> set[str]:
    return {n.id for n in walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def _bound(statement: gast.stmt) -> set[str]:
    return {n.id for n in walk(statement)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
