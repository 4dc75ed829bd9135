"""Dead-code elimination: over a forward sweep, and of values nothing reads.

A primal statement whose results nothing later reads (neither the rest of the forward
sweep, nor the reverse sweep, nor the return) is dropped: ``grad`` does not compute the
function's value unless it needs it. Only assignments whose operation is known to be pure
(Python arithmetic, functions with rules, indexing, attributes) are removed; calls of
unknown functions and expression statements stay. Branches are cleaned one by one; a
``for`` loop's body keeps what follows the loop or a later iteration reads (``while``
loops are kept whole: their test decides whether they end).

``remove_unread`` then works on the whole derivative, both sweeps and inside loops: an
assignment of a pure value to a name the derivative made up that nothing reads anywhere
is dropped.

>>> import gast
>>> from s2sad.emit import to_source
>>> body = gast.parse("a = x * 2\\nb = a + 1\\nc = np.sin(x)\\nprint(c)").body
>>> pure = lambda statement: not isinstance(statement, gast.Expr)
>>> kept = eliminate_dead_code(body, needed={"a"}, is_pure=pure)
>>> print(to_source(gast.Module(body=kept, type_ignores=[])), end="")
a = x * 2
c = np.sin(x)
print(c)
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable

import gast

from s2sad.analyses.effects import Effects, FactsCache, plain_target, visit_nested
from s2sad.trees import walk


def _targets(statement: gast.stmt) -> set[str]:
    names: set[str] = set()
    if isinstance(statement, gast.Assign):
        for target in statement.targets:
            names |= {n.id for n in walk(target) if isinstance(n, gast.Name)}
    return names


def _reads(statement: gast.stmt) -> set[str]:
    return {n.id for n in walk(statement)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def eliminate_dead_code(statements: list[gast.stmt], needed: set[str],
                        is_pure: Callable[[gast.stmt], bool]) -> list[gast.stmt]:
    """The statements that produce something ``needed`` or have effects, in order."""
    needed = set(needed)
    kept: list[gast.stmt] = []
    for statement in reversed(statements):
        if isinstance(statement, gast.If):  # each branch on its own
            branch = copy.copy(statement)
            branch.body = eliminate_dead_code(statement.body, needed, is_pure)
            branch.orelse = eliminate_dead_code(statement.orelse, needed, is_pure)
            if branch.body or branch.orelse:
                branch.body = branch.body or [gast.Pass()]
                needed |= _reads(branch)
                kept.append(branch)
            continue
        if isinstance(statement, gast.For) and not statement.orelse:
            loop = _loop_without_dead_code(statement, needed, is_pure)
            needed |= _reads(loop)
            kept.append(loop)
            continue
        if isinstance(statement, (gast.For, gast.While)):  # kept whole
            needed |= _reads(statement)
            kept.append(statement)
            continue
        targets = _targets(statement)
        if targets and not (targets & needed) and is_pure(statement):
            continue
        needed -= targets
        needed |= _reads(statement)
        kept.append(statement)
    kept.reverse()
    return kept


def _loop_without_dead_code(loop: gast.For, needed: set[str],
                            is_pure: Callable[[gast.stmt], bool]) -> gast.For:
    """``loop`` without the statements of its body whose results neither what follows
    the loop nor a later iteration reads: what an iteration reads is needed at the end of
    the one before, until that settles."""
    carried: set[str] = set()
    while True:
        body = eliminate_dead_code(loop.body, needed | carried, is_pure)
        reads = set().union(*(_reads(s) for s in body))
        if reads <= carried:
            break
        carried |= reads
    cleaned = copy.copy(loop)
    cleaned.body = body or [gast.Pass()]
    return cleaned


def remove_unread(body: list[gast.stmt], effects: Effects, generated: set[str],
                  facts: FactsCache | None = None) -> bool:
    """Drop assignments of pure values to ``generated`` names whose value nothing reads:
    names read nowhere in ``body``, and values assigned again, later in the same block,
    before anything reads them (``x_bar = a`` when a copy's reads of ``x_bar`` were
    renamed); whether anything changed.

    >>> from s2sad.emit import to_source
    >>> body = gast.parse("_c = x\\ny = x * 2\\n_e = y\\nfor i in r:\\n    _d = y + i\\n"
    ...                   "_e = 2 * y\\nprint(_e)").body
    >>> remove_unread(body, Effects({}), {"_c", "_d", "_e"})
    True
    >>> print(to_source(gast.Module(body=body, type_ignores=[])), end="")
    y = x * 2
    for i in r:
        pass
    _e = 2 * y
    print(_e)
    """
    cache = facts or FactsCache()
    loads = Counter()
    for statement in body:
        loads.update(cache(statement).loads)
    return _drop_unread(body, effects, generated, loads, cache)


def _drop_unread(statements: list[gast.stmt], effects: Effects, generated: set[str],
                 loads: Counter, cache: FactsCache) -> bool:
    changed = visit_nested(statements,
                           lambda inner: _drop_unread(inner, effects, generated, loads, cache))
    # last statement first: what happens next to each name in this block, a read or an
    # assignment (a statement reads before it assigns)
    after: dict[str, bool] = {}  # name -> assigned before it is read again
    dead: set[int] = set()
    for index in range(len(statements) - 1, -1, -1):
        statement, known = statements[index], cache(statements[index])
        plain = isinstance(statement, gast.Assign) and all(
            plain_target(t) for t in statement.targets)
        if plain:
            names = set(known.stores)
            if (names and names <= generated and effects.removable(known)
                    and all(not loads[n] or after.get(n, False) for n in names)):
                dead.add(index)
                continue
            for name in names:
                after[name] = True
        for name in known.loads:
            after[name] = False
    if dead:
        statements[:] = [s for i, s in enumerate(statements) if i not in dead]
    return changed or bool(dead)

