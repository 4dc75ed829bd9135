"""Copy propagation: after ``a = b``, read ``b`` where ``a`` is read, while neither changes.

The rules of ``x = u + v`` hand the output's adjoint to each operand (``u_bar = x_bar``,
``v_bar = x_bar``). Reading ``x_bar`` itself in the statements that follow, up to the
first that assigns either name, leaves the copy unread, and dead-code elimination then
drops it. Both names hold the same object, so the values read are the same. A pure
statement that reads the copy after ``x_bar`` changes moves up, when it commutes with
everything it passes, to read ``x_bar`` before the change (``a_bar = a_bar + u_bar * x``
below).

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
>>> from s2sad.analyses.effects import Effects
>>> body = gast.parse("u_bar = x_bar\\nx_bar = x_bar * b\\na_bar = a_bar + u_bar * x").body
>>> propagate_copies(body, {"u_bar"}, effects=Effects({}))
True
>>> print(to_source(gast.Module(body=body, type_ignores=[])), end="")
u_bar = x_bar
a_bar = a_bar + x_bar * x
x_bar = x_bar * b
"""

from __future__ import annotations

import gast

from s2sad.analyses.effects import SIMPLE, Effects, Facts, FactsCache, nested_blocks
from s2sad.nodes import is_comment
from s2sad.optimize.positions import NamePositions, next_position
from s2sad.trees import walk


def propagate_copies(body: list[gast.stmt], generated: set[str],
                     facts: FactsCache | None = None, effects: Effects | None = None) -> bool:
    """Replace reads of each copy ``a = b`` (``a`` one of the ``generated`` names) in the
    statements after it in its block; whether anything changed. With ``effects``, a pure
    statement reading ``a`` after ``b`` changes moves up to before the change when nothing
    in between touches what it reads or writes, and reads ``b`` there."""
    facts = facts or FactsCache()
    changed = False
    block: _Block | None = None
    for index, statement in enumerate(body):
        for inner in nested_blocks(statement):
            changed |= propagate_copies(inner, generated, facts, effects)
        if (isinstance(statement, gast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], gast.Name)
                and statement.targets[0].id in generated
                and isinstance(statement.value, gast.Name)
                and statement.value.id != statement.targets[0].id):
            if block is None:
                block = _Block(body, facts)
            propagated, moved = _propagate(block, index + 1, statement.targets[0].id,
                                           statement.value.id, effects)
            changed |= propagated
            if moved:  # statements changed places: found again where they are
                block = None
    return changed


class _Block:
    """A block's statements, where each name is read and assigned, and where the
    statements that end a copy's reach (loops and branches) are."""

    def __init__(self, statements: list[gast.stmt], facts: FactsCache) -> None:
        self.statements = statements
        self.facts = facts
        self.names = NamePositions(statements, facts)
        self.compound = [i for i, s in enumerate(statements) if not isinstance(s, SIMPLE)]


def _propagate(block: _Block, start: int, copy: str, source: str,
               effects: Effects | None) -> tuple[bool, bool]:
    """Whether reads were renamed, and whether statements were moved."""
    statements, facts = block.statements, block.facts
    end = next_position(block.compound, start - 1)
    rebinding = block.names.next_store([copy, source], start - 1)
    if rebinding is not None and (end is None or rebinding < end):
        end = rebinding
    else:
        rebinding = None
    changed = False
    position = block.names.next_load(copy, start - 1)
    while position is not None and (end is None or position < end):
        statement = statements[position]
        if _rename_reads(statement, copy, source):
            facts.forget(statement)
            block.names.changed(position, facts(statement))
            changed = True
        position = block.names.next_load(copy, position)
    if rebinding is None:
        return changed, False
    statement = statements[rebinding]
    known = facts(statement)
    if statement.value is not None and known.loads[copy] and _rename_reads(
            statement.value, copy, source):
        facts.forget(statement)
        block.names.changed(rebinding, facts(statement))
        changed = True
    if effects is not None and copy not in known.stores:
        moved = _hoist_readers(statements, rebinding, copy, source, facts, effects)
        return changed or moved, moved
    return changed, False


def _hoist_readers(statements: list[gast.stmt], changing: int, copy: str, source: str,
                   facts: FactsCache, effects: Effects) -> bool:
    """Move the pure statements after ``statements[changing]`` (which assigns ``source``)
    that read ``copy`` to before it, where they can read ``source``: each only past
    statements it commutes with (neither writes what the other reads or writes, and
    those it passes have no effects)."""
    changed = False
    position = changing + 1
    while position < len(statements):
        statement = statements[position]
        known = facts(statement)
        if not isinstance(statement, gast.Assign) or copy in known.stores:
            break
        if known.loads[copy]:
            if not (effects.pure_facts(known) and all(
                    _commute(known, facts(other), effects, other)
                    for other in statements[changing:position])):
                break
            del statements[position]
            statements.insert(changing, statement)
            _rename_reads(statement, copy, source)
            facts.forget(statement)
            changing += 1
            changed = True
        position += 1
    return changed


def _commute(moved: Facts, other_facts: Facts, effects: Effects, other: gast.stmt) -> bool:
    if is_comment(other) or not isinstance(other, gast.Assign):
        return False
    if not effects.pure_facts(other_facts):
        return False
    reads, writes = set(moved.loads), set(moved.stores)
    return reads.isdisjoint(other_facts.stores) and writes.isdisjoint(other_facts.stores) \
        and writes.isdisjoint(other_facts.loads)


def _rename_reads(tree: gast.AST, old: str, new: str) -> bool:
    changed = False
    for node in walk(tree):
        if isinstance(node, gast.Name) and node.id == old and isinstance(node.ctx, gast.Load):
            node.id = new
            changed = True
    return changed
