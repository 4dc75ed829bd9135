"""Forward substitution: a value read once is computed where it is read.

Normalization gives every operation a temporary and the rules give every argument its own
adjoint update; as written, the derivative stores and loads a name per operation. A
definition ``n = e`` of a name the derivative made up (a temporary, an adjoint) whose value
is read exactly once, by a later statement of the same block, is folded into that read
when

- ``e`` is pure and nothing between the two statements writes a name ``e`` reads (each
  statement crossed is an assignment of a pure value or a tape's push or pop);
- no comment lies between them (each primal statement's derivative stays under its own);
- the value is read nowhere else: ``n`` is read once in the whole function and assigned
  once, or the reading statement assigns ``n`` again (``x_bar = a; x_bar = x_bar + b``
  becomes ``x_bar = b + a``: accumulation without a temporary, the contributions in the
  order the primal statement reads the variable, as the reverse sweep meets them last to
  first).

The operations are the same, and a sum of two terms does not depend on their order, so
the result is the same to the last bit.

>>> import gast, math
>>> from s2sad.emit import to_source
>>> from s2sad.analyses.effects import Effects
>>> body = gast.parse("_t1 = x * a\\n_t2 = math.sin(x)\\n_t3 = _t2 * b\\ny = _t1 + _t3\\n"
...                   "y_bar = g * _t2\\ny_bar = y_bar + h").body
>>> temporaries = {"_t1", "_t2", "_t3"}
>>> substitute_single_uses(body, Effects({"math": math}), temporaries, temporaries | {"y_bar"})
True
>>> print(to_source(gast.Module(body=body, type_ignores=[])), end="")
_t2 = math.sin(x)
y = x * a + _t2 * b
y_bar = h + g * _t2
"""

from __future__ import annotations

from bisect import insort
from collections import Counter

import gast

from s2sad.analyses.effects import Effects, Facts, FactsCache, visit_nested
from s2sad.optimize.positions import NamePositions, next_position
from s2sad.trees import walk

#: the statements a value may be folded into (an augmented assignment reads its target
#: before the value, so it is not one)
_READERS = (gast.Assign, gast.AugAssign, gast.Expr, gast.Return)


def substitute_single_uses(body: list[gast.stmt], effects: Effects, temporaries: set[str],
                           generated: set[str], facts: FactsCache | None = None) -> bool:
    """Fold definitions read once into their readers, in every block of ``body``: of
    ``temporaries`` into any reader but a ``return``, of other ``generated`` names into
    a reader that assigns the name again; whether anything changed."""
    facts = facts or FactsCache()
    counts = _Counts(body, facts)
    return _block(body, effects, _Context(temporaries, generated, facts), counts)


class _Context:
    """The names the pass may fold, and the statements' shared facts."""

    def __init__(self, temporaries: set[str], generated: set[str],
                 facts: FactsCache) -> None:
        self.temporaries = temporaries
        self.generated = generated
        self.facts = facts


class _Counts:
    """How often each name is read and assigned in the whole function."""

    def __init__(self, body: list[gast.stmt], cache: FactsCache) -> None:
        self.loads: Counter = Counter()
        self.stores: Counter = Counter()
        for statement in body:
            facts = cache(statement)
            self.loads.update(facts.loads)
            self.stores.update(facts.stores)


def _block(statements: list[gast.stmt], effects: Effects, context: _Context,
           counts: _Counts) -> bool:
    changed = visit_nested(statements,
                           lambda inner: _block(inner, effects, context, counts))
    scan = _Scan(statements, effects, context.facts)
    folded = [index for index in range(len(statements))
              if _fold(statements, scan, index, effects, context, counts)]
    if folded:
        gone = set(folded)
        statements[:] = [s for i, s in enumerate(statements) if i not in gone]
    return changed or bool(folded)


class _Scan:
    """A block's statements and their facts, with what a definition's value may move
    past found by position: a statement folded into its reader stays in place until the
    block is done (every search looks forward, past it)."""

    def __init__(self, statements: list[gast.stmt], effects: Effects,
                 facts: FactsCache) -> None:
        self.facts = [facts(statement) for statement in statements]
        self.names = NamePositions(statements, facts)
        self._effects = effects
        #: the positions of the statements a pure value cannot be moved past
        self.barriers = [i for i, (s, known) in enumerate(zip(statements, self.facts))
                         if not effects.crossable_facts(s, known)]

    def changed(self, position: int, statement: gast.stmt, known: Facts) -> None:
        self.facts[position] = known
        self.names.changed(position, known)
        barrier = position in self.barriers
        if barrier != (not self._effects.crossable_facts(statement, known)):
            if barrier:
                self.barriers.remove(position)
            else:
                insort(self.barriers, position)


def _fold(statements: list[gast.stmt], scan: _Scan, index: int, effects: Effects,
          context: _Context, counts: _Counts) -> bool:
    """Fold ``statements[index]`` into the one later statement that reads its value."""
    definition, facts = statements[index], scan.facts
    if not (isinstance(definition, gast.Assign) and len(definition.targets) == 1
            and isinstance(definition.targets[0], gast.Name)):
        return False
    name = definition.targets[0].id
    if name not in context.generated or not effects.pure_facts(facts[index]):
        return False
    needs = set(facts[index].value_loads)
    if needs & effects.stacks:
        return False
    position = scan.names.next_load(name, index)
    if position is None:
        return False
    # nothing in between assigns what the value reads or the name, nor stops the move
    for stop in (scan.names.next_store([*needs, name], index),
                 next_position(scan.barriers, index)):
        if stop is not None and stop < position:
            return False
    reader, known = statements[position], facts[position]
    if not (isinstance(reader, _READERS) and known.value_loads[name] == 1
            and known.loads[name] == 1 and _evaluated_first(reader, name, effects)):
        return False
    if name not in _assigned(reader) and not (
            name in context.temporaries and not isinstance(reader, gast.Return)
            and counts.loads[name] == 1 and counts.stores[name] == 1):
        return False
    if _accumulates(reader, name) and not _is_sum(definition.value):
        reader.value = _program_order_sum(reader.value, definition.value)
    else:
        _replace(reader, name, definition.value)
    context.facts.forget(reader)
    context.facts.forget(definition)
    scan.changed(position, reader, context.facts(reader))
    counts.loads[name] -= 1
    counts.stores[name] -= 1
    return True


def _accumulates(reader: gast.stmt, name: str) -> bool:
    """Whether ``reader`` is ``name = name + b``, an adjoint's next contribution."""
    value = reader.value
    return (isinstance(reader, gast.Assign) and name in _assigned(reader)
            and isinstance(value, gast.BinOp) and isinstance(value.op, gast.Add)
            and isinstance(value.left, gast.Name) and value.left.id == name)


def _is_sum(value: gast.expr) -> bool:
    return isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Add, gast.Sub))


def _program_order_sum(accumulation: gast.BinOp, first: gast.expr) -> gast.BinOp:
    """``b + a`` for ``name = name + b`` after ``name = a``: the reverse sweep meets the
    contributions of one statement last to first, and two terms added in either order
    give the same bits, so they are written in the order the statement reads them (a
    third term would have to be added first, which rounds differently: ``a`` that is a
    sum keeps its place)."""
    return gast.BinOp(left=accumulation.right, op=gast.Add(), right=first)


def _evaluated_first(reader: gast.stmt, name: str, effects: Effects) -> bool:
    """Whether every call in ``reader`` with effects contains the read of ``name``: the
    moved value is then computed before any of them runs, as it was."""
    path = _path_to(_read_part(reader), name) or []
    return all(any(node is step for step in path) or effects.pure(node)
               for node in walk(_read_part(reader)) if isinstance(node, gast.Call))


def _path_to(tree: gast.AST, name: str) -> list[gast.AST] | None:
    """The nodes from ``tree`` down to its read of ``name``."""
    if isinstance(tree, gast.Name):
        return [tree] if tree.id == name and isinstance(tree.ctx, gast.Load) else None
    for child in gast.iter_child_nodes(tree):
        found = _path_to(child, name)
        if found is not None:
            return [tree, *found]
    return None


def _read_part(statement: gast.stmt) -> gast.AST:
    """The part of a simple statement evaluated before anything is stored."""
    return statement.value if statement.value is not None else gast.Constant(None, None)


def _assigned(statement: gast.stmt) -> set[str]:
    if isinstance(statement, gast.Assign):
        return {n.id for t in statement.targets for n in walk(t)
                if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    return set()


def _replace(tree: gast.stmt, name: str, value: gast.expr) -> None:
    """Put ``value`` in place of the one read of ``name`` in the statement ``tree``."""
    for node in walk(tree):
        for field, child in gast.iter_fields(node):
            if isinstance(child, gast.Name) and child.id == name and isinstance(
                    child.ctx, gast.Load):
                setattr(node, field, value)
                return
            if isinstance(child, list):
                for position, item in enumerate(child):
                    if isinstance(item, gast.Name) and item.id == name and isinstance(
                            item.ctx, gast.Load):
                        child[position] = value
                        return
