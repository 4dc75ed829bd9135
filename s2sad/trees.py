"""Walking gast trees.

``walk`` visits the nodes in the order of ``ast.walk`` (breadth first) and returns them as
a list, about twice as fast: the compiler walks trees thousands of times per derivative.
It reads the tree as it is when called; a pass that replaces nodes while walking sees the
nodes that were there when the walk began.

>>> import gast
>>> [type(n).__name__ for n in walk(gast.parse("y = x + 1").body[0])]
['Assign', 'Name', 'BinOp', 'Store', 'Name', 'Add', 'Constant', 'Load']
"""

from __future__ import annotations

import gast

_AST = gast.AST


def walk(node: gast.AST) -> list[gast.AST]:
    """``node`` and every node below it, breadth first."""
    found = [node]
    append = found.append
    for current in found:  # the list grows as it is read: a queue
        for field in current._fields:
            child = getattr(current, field, None)
            if type(child) is list:
                for item in child:
                    if isinstance(item, _AST):
                        append(item)
            elif isinstance(child, _AST):
                append(child)
    return found
