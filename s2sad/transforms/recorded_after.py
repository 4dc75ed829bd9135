"""Values a loop records once they are defined.

A variable one statement of a loop defines, and that the reverse sweep reads only where the
iteration that defined it is reversed (in the adjoint of that statement or of those after it
in the same body), is pushed once it is defined and popped where its reversed iteration first
reads it. Saved before each redefinition instead, its first record would be a value that
does not exist yet (``None``), and a pop would follow every adjoint that reads it.

On the tape, pops must come back in the reverse order of the pushes: a value is pushed right
after its definition when nothing between that push and the statement before whose reverse it
is popped records anything on the tape that comes back later; otherwise right after that
statement. On a lane (a list of its own per value) the reversed loop binds it for each
iteration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import gast

from s2sad.analyses.operations import appended_list, popped_list, targets_of
from s2sad.analyses.to_be_recorded import RecordingFacts, ReverseReads, written_part
from s2sad.nodes import names_read
from s2sad.trees import copy_tree

Key = tuple[int, str]


@dataclass
class AfterDefinition:
    """Which saves are recorded after their definition, and where they come back."""

    #: a save -> the statement (of the same body) before whose reverse it is popped
    anchor: dict[Key, int] = field(default_factory=dict)
    #: the saves on the tape pushed right after the statement defining them (the others are
    #: pushed after their anchor)
    right_after: set[Key] = field(default_factory=set)
    #: a statement -> the saves popped before its reverse, in the order they were pushed
    pushed_for: dict[int, list[Key]] = field(default_factory=dict)
    #: the saves not recorded at all: the reverse sweep runs their statement again (a read
    #: of an argument never written, at an index of the loops around it), where it would pop
    reread: set[Key] = field(default_factory=set)
    _tree: _Tree | None = field(default=None, repr=False)
    _facts: RecordingFacts | None = field(default=None, repr=False)

    def __contains__(self, save: Key) -> bool:
        return save in self.anchor

    def pushed_after(self, key: int, lanes: dict) -> list[Key]:
        """The saves the forward sweep records right after the statement ``key``."""
        late = [save for save in self.pushed_for.get(key, [])
                if save not in self.right_after and save not in lanes]
        own = [save for save in self.anchor if save[0] == key and save not in self.reread
               and (save in self.right_after or save in lanes)]
        return late + own

    def read_again_before(self, key: int) -> list[gast.stmt]:
        """The statements the reverse sweep runs again before the reverse of ``key``."""
        return [copy_tree(self._tree.by_key[save[0]]) for save in sorted(
            self.reread, key=lambda save: self._tree.order[save[0]])
            if self.anchor[save] == key]

    def place(self, lanes: dict) -> None:
        """Where the saves recorded on the tape are pushed (``lanes``: the saves recorded
        on lanes)."""
        tree, facts = self._tree, self._facts
        while True:
            _place_pushes(tree, self, facts, lanes)
            # a push after a branch that may jump out of the iteration may not happen
            jumped = [save for save in self.anchor if save not in lanes
                      and save not in self.right_after and save not in self.reread
                      and _jumps(tree.by_key[self.anchor[save]])]
            if not jumped:
                break
            for save in jumped:
                del self.anchor[save]
        tape = [save for save in self.anchor if save not in lanes and save not in self.reread]
        for save in sorted(tape, key=lambda s: _push_order(tree, s, self)):
            self.pushed_for.setdefault(self.anchor[save], []).append(save)


class _Tree:
    """Where each statement of a body stands: its list, its place, what encloses it."""

    def __init__(self, body: list[gast.stmt]) -> None:
        self.place: dict[int, tuple[list[gast.stmt], int]] = {}
        self.parent: dict[int, gast.stmt | None] = {}
        self.statements: list[gast.stmt] = []
        self._visit(body, None)
        self.by_key = {id(s): s for s in self.statements}
        self.order = {id(s): n for n, s in enumerate(self.statements)}

    def _visit(self, body: list[gast.stmt], parent: gast.stmt | None) -> None:
        for index, statement in enumerate(body):
            self.place[id(statement)] = (body, index)
            self.parent[id(statement)] = parent
            self.statements.append(statement)
            for part in (getattr(statement, "body", None), getattr(statement, "orelse", None)):
                if isinstance(part, list) and isinstance(statement, (gast.If, gast.For,
                                                                     gast.While)):
                    self._visit(part, statement)

    def enclosing(self, statement: gast.stmt):
        parent = self.parent[id(statement)]
        while parent is not None:
            yield parent
            parent = self.parent[id(parent)]

    def index_in(self, key: int, body: list[gast.stmt]) -> int | None:
        """The place in ``body`` of the statement ``key`` or of the one enclosing it."""
        statement = self.by_key[key]
        for candidate in (statement, *self.enclosing(statement)):
            place = self.place[id(candidate)]
            if place[0] is body:
                return place[1]
        return None


def records_after_definition(statements: list[gast.stmt], reads: ReverseReads,
                             facts: RecordingFacts, *, read_at_end: set[str],
                             parameters: list[str]) -> AfterDefinition:
    """The saves of ``facts`` that can be recorded after their definition, and where they
    come back (``place`` says where they are pushed, once the lanes are known)."""
    tree = _Tree(statements)
    readers = _reverse_readers(tree, reads, facts)
    definitions = _definitions(tree, parameters)
    plan = AfterDefinition()
    plan._tree, plan._facts = tree, facts
    for key, name in sorted(facts.saves, key=lambda save: (tree.order[save[0]], save[1])):
        statement = tree.by_key[key]
        if not _single_value(statement, name, definitions, reads, read_at_end, facts, tree):
            continue
        body, index = tree.place[key]
        places = [tree.index_in(reader, body) for reader in readers.get(name, ())]
        if any(place is None or place < index for place in places):
            continue
        plan.anchor[key, name] = id(body[max(places, default=index)])
        if _read_again(statement, tree, definitions, parameters, reads):
            plan.reread.add((key, name))
    return plan


def _read_again(statement: gast.stmt, tree: _Tree, definitions: dict[str, int],
                parameters: list[str], reads: ReverseReads) -> bool:
    """Whether ``statement`` reads, where the reverse sweep can read it again the same, an
    argument never written at an index made of the variables of the ``for`` loops around
    it, other such arguments and integers (``x[i]``, ``xs[t, j]``), or adds a number to
    such a variable (``i - 1``, ``j + 1.0``)."""
    if not (isinstance(statement, gast.Assign) and len(statement.targets) == 1):
        return False
    counters = set()
    for loop in tree.enclosing(statement):
        if isinstance(loop, gast.For) and isinstance(loop.target, gast.Name) \
                and _binds_not(loop, loop.target.id, tree):
            counters.add(loop.target.id)
    changed = set(reads.in_place) | set(reads.viewers) | set().union(*reads.viewers.values())
    unchanged = {name for name in parameters if definitions.get(name) == 1} - changed
    value = statement.value
    if isinstance(value, gast.BinOp):
        return isinstance(value.op, (gast.Add, gast.Sub)) and all(
            isinstance(side, gast.Name) and side.id in counters
            or isinstance(side, gast.Constant) and type(side.value) in (int, float)
            for side in (value.left, value.right))
    if not (isinstance(value, gast.Subscript) and isinstance(value.value, gast.Name)
            and value.value.id in unchanged):
        return False
    for node in gast.walk(value.slice):
        if isinstance(node, gast.Name) and node.id not in counters | unchanged:
            return False
        if not isinstance(node, (gast.Name, gast.Constant, gast.Tuple, gast.Slice,
                                 gast.Load, gast.expr_context)):
            return False
    return True


def _binds_not(loop: gast.For, name: str, tree: _Tree) -> bool:
    """Whether nothing in ``loop``'s body binds ``name``."""
    for statement in tree.statements:
        if any(e is loop for e in tree.enclosing(statement)):
            bound = targets_of(statement) if not isinstance(
                statement, (gast.If, gast.For, gast.While)) else []
            if isinstance(statement, gast.For):
                bound = [n.id for n in gast.walk(statement.target) if isinstance(n, gast.Name)]
            if name in bound:
                return False
    return True


def _place_pushes(tree: _Tree, plan: AfterDefinition, facts: RecordingFacts,
                  lanes: dict) -> None:
    """Which saves on the tape are pushed right after their definition."""
    plan.right_after = {save for save in plan.anchor
                        if save not in lanes and save not in plan.reread}
    changed = True
    while changed:
        changed = False
        for save in sorted(plan.right_after, key=lambda s: tree.order[s[0]]):
            if not _nothing_between(tree, save, plan, facts, lanes):
                plan.right_after.discard(save)
                changed = True


def _jumps(statement: gast.stmt) -> bool:
    """Whether a branch holds a ``break`` or ``continue`` of the loop around it."""
    if isinstance(statement, (gast.Break, gast.Continue)):
        return True
    if isinstance(statement, (gast.For, gast.While)):
        return False
    return any(_jumps(s) for s in getattr(statement, "body", []) + getattr(
        statement, "orelse", []))


def _push_order(tree: _Tree, save: Key, plan: AfterDefinition) -> tuple[int, int, int]:
    """Where the forward sweep pushes ``save``, as an order among those popped together."""
    body, index = tree.place[save[0]]
    anchor = tree.place[plan.anchor[save]][1]
    position = targets_of(body[index]).index(save[1])
    if save in plan.right_after:
        return (index, 0 if index < anchor else 2, position)
    return (anchor, 1, index * 1000 + position)


def _single_value(statement: gast.stmt, name: str, definitions: dict[str, int],
                  reads: ReverseReads, read_at_end: set[str], facts: RecordingFacts,
                  tree: _Tree) -> bool:
    """Whether ``name`` is a variable ``statement`` alone defines, whole, in a loop that is
    not checkpointed, and that nothing changes in place or reads after the reverse sweep."""
    loops = [s for s in tree.enclosing(statement) if isinstance(s, (gast.For, gast.While))]
    if not loops or any(getattr(loop, "snapshots", None) is not None for loop in loops):
        return False
    if isinstance(statement, (gast.If, gast.For, gast.While)) or definitions.get(name) != 1:
        return False
    if appended_list(statement) is not None or popped_list(statement) is not None or \
            written_part(statement, name) is not None:
        return False
    viewing = set().union(*reads.viewers.values()) if reads.viewers else set()
    return name not in reads.in_place and name not in viewing and \
        name not in reads.viewers and name not in read_at_end and \
        facts.depth.get(id(statement), 0) > 0


def _definitions(tree: _Tree, parameters: list[str]) -> dict[str, int]:
    """How many places bind each name: parameters, statements, loop variables."""
    count: dict[str, int] = {}
    bound = list(parameters)
    for statement in tree.statements:
        if isinstance(statement, gast.For):
            bound += [n.id for n in gast.walk(statement.target) if isinstance(n, gast.Name)]
        elif not isinstance(statement, (gast.If, gast.While)):
            bound += targets_of(statement)
    for name in bound:
        count[name] = count.get(name, 0) + 1
    return count


def _reverse_readers(tree: _Tree, reads: ReverseReads, facts: RecordingFacts
                     ) -> dict[str, set[int]]:
    """Each name -> the statements whose reverse reads it."""
    readers: dict[str, set[int]] = {}
    for statement in tree.statements:
        key = id(statement)
        if isinstance(statement, (gast.If, gast.For, gast.While)):
            names = set(reads.before.get(key, set())).union(*reads.fills.get(key, ()))
            if facts.emitted.get(key) and isinstance(statement, gast.If):
                names |= names_read(statement.test)
            if facts.emitted.get(key) and isinstance(statement, gast.For):
                names |= names_read(statement.iter)
        else:
            names = reads.block.get(key, set())
        for name in names:
            readers.setdefault(name, set()).add(key)
    return readers


def _nothing_between(tree: _Tree, save: Key, plan: AfterDefinition, facts: RecordingFacts,
                     lanes: dict) -> bool:
    """Whether what the forward sweep records on the tape between the push of ``save`` right
    after its definition and the end of its anchor's statement comes back before it."""
    body, index = tree.place[save[0]]
    anchor = tree.place[plan.anchor[save]][1]
    for other in plan.anchor:
        if other in lanes or other == save or other in plan.right_after \
                or other in plan.reread:
            continue
        other_anchor = tree.place[plan.anchor[other]]
        if other_anchor[0] is body and index < other_anchor[1] < anchor:
            return False  # pushed after a statement in between, popped after this one
    for place in range(index + 1, anchor + 1):
        statement = body[place]
        if isinstance(statement, (gast.If, gast.For, gast.While)):
            if _records_inside(statement, facts, tree):
                return False
            continue
        for name in targets_of(statement):
            other = (id(statement), name)
            if other not in facts.saves or other in lanes:
                continue
            if other not in plan.anchor:
                return False  # saved on the tape before the statement runs
            if other in plan.right_after and place < anchor and \
                    tree.place[plan.anchor[other]][1] < anchor:
                return False
    return True


def _records_inside(statement: gast.stmt, facts: RecordingFacts, tree: _Tree) -> bool:
    """Whether the forward sweep of a branch or loop may record anything."""
    if isinstance(statement, (gast.For, gast.While)):
        return True
    inside = [s for s in tree.statements if any(e is statement for e in tree.enclosing(s))]
    keys = {id(s) for s in inside}
    return any(isinstance(s, (gast.For, gast.While)) for s in inside) or any(
        key in keys for key, _ in facts.saves)
