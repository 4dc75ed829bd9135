"""Copy propagation: after ``a = b``, read ``b`` where ``a`` is read, while neither changes.

The rules of ``x = u + v`` hand the output's adjoint to each operand (``u_bar = x_bar``,
``v_bar = x_bar``). Reading ``x_bar`` itself in the statements that follow, up to the
first that assigns either name, leaves the copy unread, and dead-code elimination then
drops it. Both names hold the same object, so the values read are the same.

>>> import gast
>>> from s2sad.emit import to_source
>>> body = gast.parse("_t1_bar = x_bar\\nu_bar = _t1_bar * a\\nx_bar = 2.0\\nv = _t1_bar").body
>>> propagate_copies(body, {"_t1_bar"})
True
>>> print(to_source(gast.Module(body=body, type_ignores=[])), end="")
_t1_bar = x_bar
u_bar = x_bar * a
x_bar = 2.0
v = _t1_bar
"""

from __future__ import annotations

import gast

from s2sad.optimize.effects import FactsCache, nested_blocks
from s2sad.trees import walk

_SIMPLE = (gast.Assign, gast.AugAssign, gast.Expr, gast.Return)


def propagate_copies(body: list[gast.stmt], generated: set[str],
                     facts: FactsCache | None = None) -> bool:
    """Replace reads of each copy ``a = b`` (``a`` one of the ``generated`` names) in the
    statements after it in its block; whether anything changed."""
    facts = facts or FactsCache()
    changed = False
    for index, statement in enumerate(body):
        for inner in nested_blocks(statement):
            changed |= propagate_copies(inner, generated, facts)
        if (isinstance(statement, gast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], gast.Name)
                and statement.targets[0].id in generated
                and isinstance(statement.value, gast.Name)
                and statement.value.id != statement.targets[0].id):
            changed |= _propagate(body[index + 1:], statement.targets[0].id,
                                  statement.value.id, facts)
    return changed


def _propagate(statements: list[gast.stmt], copy: str, source: str,
               facts: FactsCache) -> bool:
    changed = False
    for statement in statements:
        if not isinstance(statement, _SIMPLE):
            break
        known = facts(statement)
        rebinds = copy in known.stores or source in known.stores
        # a statement that rebinds either name: only what it evaluates first
        part = statement.value if rebinds else statement
        if part is not None and known.loads[copy] and _rename_reads(part, copy, source):
            facts.forget(statement)
            changed = True
        if rebinds:
            break
    return changed


def _rename_reads(tree: gast.AST, old: str, new: str) -> bool:
    changed = False
    for node in walk(tree):
        if isinstance(node, gast.Name) and node.id == old and isinstance(node.ctx, gast.Load):
            node.id = new
            changed = True
    return changed
