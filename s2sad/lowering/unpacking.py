"""Starred unpacking becomes reads by position: ``a, *b, c = e`` becomes

``_unpacked = e``, ``check_sequence(_unpacked, 2)`` (Python's error when fewer than two
items), ``a = _unpacked[0]``, ``b = [_unpacked[_k] for _k in range(1, len(_unpacked) - 1)]``
(a list, as Python makes it) and ``c = _unpacked[-1]``; the comprehension is then lowered
like any other.

>>> import gast
>>> from s2sad.emit import to_source
>>> from s2sad.naming import Namer
>>> statement = gast.parse("a, *b, c = xs").body[0]
>>> lowered = unpack_starred(statement, Namer({"a", "b", "c", "xs"}), "check_sequence")
>>> print(to_source(gast.Module(body=lowered, type_ignores=[])), end="")
_unpacked = xs
check_sequence(_unpacked, 2)
a = _unpacked[0]
b = [_unpacked[_k] for _k in range(1, len(_unpacked) - 1)]
c = _unpacked[-1]
"""

from __future__ import annotations

import gast

from s2sad import nodes
from s2sad.naming import Namer
from s2sad.nodes import assign, call, constant, located
from s2sad.trees import walk


def has_starred_target(statement: gast.stmt) -> bool:
    """Whether ``statement`` assigns to a tuple or list with a starred name in it (nested
    too: ``(a, *b), c = e``)."""
    return isinstance(statement, gast.Assign) and len(statement.targets) == 1 and isinstance(
        statement.targets[0], (gast.Tuple, gast.List)) and any(
        isinstance(n, gast.Starred) for n in walk(statement.targets[0]))


def unpack_starred(statement: gast.Assign, namer: Namer, checker: str) -> list[gast.stmt]:
    """The statements that bind ``statement``'s targets by position (see the module
    docstring); ``checker`` is the name lowered code calls ``check_sequence`` by."""
    elements = statement.targets[0].elts
    star = next((k for k, e in enumerate(elements) if isinstance(e, gast.Starred)), None)
    if star is None:  # (a, *b), c = e: _n, c = e, then a, *b = _n
        return _nested_first(statement, namer)
    after = len(elements) - star - 1
    held = namer.fresh("_unpacked")
    lowered: list[gast.stmt] = [
        assign(held, statement.value),
        gast.Expr(value=call(checker, nodes.name(held), constant(len(elements) - 1))),
    ]
    for k, element in enumerate(elements[:star]):
        lowered.append(assign(element, _item(held, constant(k))))
    index = namer.fresh("_k")
    end = gast.BinOp(left=call("len", nodes.name(held)), op=gast.Sub(), right=constant(after)) \
        if after else call("len", nodes.name(held))
    rest = gast.ListComp(elt=_item(held, nodes.name(index)), generators=[gast.comprehension(
        target=nodes.name(index, gast.Store), iter=call("range", constant(star), end), ifs=[],
        is_async=0)])
    lowered.append(assign(elements[star].value, rest))
    for k, element in enumerate(elements[star + 1:]):
        lowered.append(assign(element, _item(held, constant(k - after))))
    return located(lowered, statement)


def _nested_first(statement: gast.Assign, namer: Namer) -> list[gast.stmt]:
    """``statement`` with each nested target holding a starred name bound to a name of its
    own first, and unpacked from it after (in order, as the normalizer does)."""
    outer, later = [], []
    for element in statement.targets[0].elts:
        if isinstance(element, (gast.Tuple, gast.List)) and any(
                isinstance(n, gast.Starred) for n in walk(element)):
            held = namer.fresh("_unpacked")
            outer.append(nodes.name(held, gast.Store))
            later.append(assign(element, nodes.name(held)))
        else:
            outer.append(element)
    first = assign(gast.Tuple(elts=outer, ctx=gast.Store()), statement.value)
    return located([first] + later, statement)


def _item(held: str, index: gast.expr) -> gast.Subscript:
    return gast.Subscript(value=nodes.name(held), slice=index, ctx=gast.Load())
