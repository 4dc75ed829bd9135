"""To-be-recorded: which values the forward sweep of an adjoint saves for its reverse sweep.

A forward data flow over the core body follows the variables whose current value the
reverse sweep reads; a statement overwriting such a value (or writing in place into an
array one of them may view) saves it. Reads are those of each statement's adjoint block,
of the statements made before a reversed branch or loop and at the end of its reversed
iterations, of the restores themselves (undoing ``xs.append(v)`` pops from the list as
that statement left it), the tests of reversed branches, the ranges of reversed ``for``
loops and, at the very end, the differentiated inputs. A reversed branch or loop is
emitted only if it does something, and it does something if it restores a value: the
flow is run again until the two agree.

The reverse sweep's reads come in as ``ReverseReads``, facts taken from the adjoint blocks
already made; the answer is ``RecordingFacts``, keyed by statement (``id``).

>>> import gast
>>> tree = gast.parse("def f(x, a):\\n    b = x * a\\n    x = b + a\\n"
...                   "    for i in range(n):\\n        x = x * a\\n    return x").body[0]
>>> first, second, loop = tree.body[:3]
>>> step = loop.body[0]
>>> reads = ReverseReads(block={id(first): {"x", "a"}, id(second): set(),
...                             id(step): {"x", "a"}},
...                      nonempty={id(first), id(second), id(step)},
...                      for_shape=set(), for_value={"x", "a"})
>>> facts = to_be_recorded(tree.body[:3], reads, read_at_end={"x"})
>>> names = {id(first): "first", id(second): "second", id(step): "step"}
>>> sorted((names[k], t) for k, t in facts.saves), facts.emitted[id(loop)]
([('second', 'x'), ('step', 'x')], True)
>>> facts.depth[id(step)], facts.loop_saves
(1, set())
"""

from __future__ import annotations

from dataclasses import dataclass, field

import gast

from s2sad.analyses.operations import appended_list, popped_list, targets_of
from s2sad.nodes import names_read
from s2sad.trees import copy_tree


@dataclass(frozen=True)
class ReverseReads:
    """What the reverse sweep reads of the primal variables, by statement (``id``)."""

    #: each simple statement -> the primal variables its adjoint block reads
    block: dict[int, set[str]]
    #: the simple statements whose adjoint block is not empty
    nonempty: set[int]
    #: the names the adjoint blocks read as an argument a runtime helper takes for its
    #: shape and dtype only (``unbroadcast(g, x)``), and those they read otherwise
    for_shape: set[str]
    for_value: set[str]
    #: each branch and loop -> the primal variables the statements made before its
    #: reverse read
    before: dict[int, set[str]] = field(default_factory=dict)
    #: each branch -> what the statements filled in at the end of its reversed body and
    #: of its reversed ``else`` read; each loop -> what those at the end of its reversed
    #: iterations read (one set)
    fills: dict[int, tuple[set[str], ...]] = field(default_factory=dict)
    #: the branches and loops whose reverse fills in adjoints (so it is emitted)
    filled: set[int] = field(default_factory=set)
    #: each array written in place -> the names that may view its memory (itself too)
    viewers: dict[str, set[str]] = field(default_factory=dict)
    #: names some statement changes in place
    in_place: set[str] = field(default_factory=set)


@dataclass
class RecordingFacts:
    #: (statement, variable): the statement saves the variable's value before it runs
    saves: set[tuple[int, str]]
    #: loops that save their variable's value from before the loop
    loop_saves: set[int]
    #: each statement -> how many loops enclose it
    depth: dict[int, int]
    #: each branch and loop -> whether its reverse is emitted (does something)
    emitted: dict[int, bool]
    #: values the reverse sweep reads only for their shape and dtype: saved as such
    shape_only: set[str]


def to_be_recorded(statements: list[gast.stmt], reads: ReverseReads,
                   read_at_end: set[str], primal: set[str] | None = None) -> RecordingFacts:
    """The saves of the forward sweep of ``statements`` (a core body without its
    return); ``read_at_end``: the names the derivative returns the values of;
    ``primal``: the function's own variables (every name, if not given)."""
    shape_only = _read_for_shape_only(statements, reads)
    if primal is not None:
        shape_only &= primal
    flow = _Flow(reads)
    emitted = {id(s): False for s in _compound(statements)}
    while True:
        facts = RecordingFacts(set(), set(), {}, emitted, shape_only)
        flow.run(statements, set(read_at_end), facts)
        agreed = {key: flow.nonempty(statement, facts)
                  for key, statement in ((id(s), s) for s in _compound(statements))}
        if agreed == emitted:
            return facts
        emitted = agreed


class _Flow:
    """One run of the forward data flow, for the reverse branches and loops emitted."""

    def __init__(self, reads: ReverseReads) -> None:
        self.reads = reads
        self.breaks: list[list[set[str]]] = []

    def run(self, body: list[gast.stmt], read: set[str], facts: RecordingFacts) -> None:
        self.facts = facts
        self.breaks = []
        self._body(body, read, 0)

    def nonempty(self, statement: gast.stmt, facts: RecordingFacts) -> bool:
        """Whether the reverse of ``statement`` does something."""
        key = id(statement)
        if isinstance(statement, gast.If):
            children = statement.body + statement.orelse
        elif isinstance(statement, (gast.For, gast.While)):
            children = statement.body
        else:
            return key in self.reads.nonempty or any(
                (key, t) in facts.saves for t in targets_of(statement))
        return key in self.reads.filled or any(self.nonempty(c, facts) for c in children)

    def _body(self, body: list[gast.stmt], read: set[str], depth: int) -> set[str]:
        """``read``: the variables whose current value the reverse sweep reads. Returns
        the same after ``body``; records the saves on the way."""
        for statement in body:
            self.facts.depth[id(statement)] = depth
            if isinstance(statement, gast.If):
                read = self._branch(statement, read, depth)
            elif isinstance(statement, (gast.For, gast.While)):
                read = self._loop(statement, read, depth) | self.reads.before.get(
                    id(statement), set())
            elif isinstance(statement, gast.Break):
                self.breaks[-1].append(set(read))
            else:
                read = self._simple(statement, read)
        return read

    def _branch(self, branch: gast.If, read: set[str], depth: int) -> set[str]:
        key = id(branch)
        if self.facts.emitted[key]:
            read = read | names_read(branch.test)
            _check_replayable(branch)
        # the zeros filled in at the end of a reversed branch read the values from before
        # it; those made before the reversed branch, the values after it
        fills_body, fills_orelse = self.reads.fills.get(key, (set(), set()))
        read = (self._body(branch.body, read | fills_body, depth)
                | self._body(branch.orelse, read | fills_orelse, depth))
        return read | self.reads.before.get(key, set())

    def _simple(self, statement: gast.stmt, read: set[str]) -> set[str]:
        key = id(statement)
        targets = set(targets_of(statement))
        # an in-place write changes every view of the array too
        self.facts.saves |= {(key, t) for t in targets
                             if t in read or self.reads.viewers.get(t, set()) & read
                             and operation_writes_in_place(statement)}
        return (read - targets) | self.reads.block.get(key, set()) \
            | self._read_by_restores(statement, targets)

    def _read_by_restores(self, statement: gast.stmt, targets: set[str]) -> set[str]:
        """What the restores of ``statement`` read: the object an undone ``append``,
        ``pop`` or in-place write changes again (it must be as the statement left it), and
        the value an undone ``y = xs.pop()`` puts back."""
        read: set[str] = set()
        for target in targets:
            if (id(statement), target) not in self.facts.saves:
                continue
            if popped_list(statement) == target:
                read |= set(targets_of(statement))
            elif appended_list(statement) is not None or \
                    written_part(statement, target) is not None:
                read.add(target)
        return read

    def _loop(self, loop: gast.For | gast.While, read: set[str], depth: int) -> set[str]:
        target = {loop.target.id} if isinstance(loop, gast.For) else set()
        if target & read:  # the loop variable's value from before the loop
            self.facts.loop_saves.add(id(loop))
        head = read - target
        # the zeros filled in at the end of each reversed iteration: values of its start
        fills = self.reads.fills.get(id(loop), (set(),))[0]
        while True:
            self.breaks.append([])
            end = self._body(loop.body, head | fills, depth + 1)
            breaks = self.breaks.pop()
            new_head = (read | end) - target
            if new_head == head:
                break
            head = new_head
        # the reversed loop sets its variable itself: reads of it inside are no reason to
        # keep the values it takes
        after = read | (set().union(end, *breaks) - target)
        if self.facts.emitted[id(loop)] and isinstance(loop, gast.For):
            after |= names_read(loop.iter)
        return after


def _read_for_shape_only(statements: list[gast.stmt], reads: ReverseReads) -> set[str]:
    """The names every reverse block reads only for their shape and dtype, and that no
    branch test, loop or in-place write reads or changes."""
    for_value = set(reads.for_value)
    inside = list(statements)  # every statement, nested ones too
    while inside:
        statement = inside.pop()
        if isinstance(statement, (gast.If, gast.While)):
            for_value |= names_read(statement.test)
        elif isinstance(statement, gast.For):
            for_value |= names_read(statement.iter) | names_read(statement.target)
        inside += getattr(statement, "body", []) + getattr(statement, "orelse", [])
    return reads.for_shape - for_value - reads.in_place - set(reads.viewers)


def _compound(body: list[gast.stmt]):
    """The branches and loops in ``body``, nested ones too."""
    for statement in body:
        if isinstance(statement, (gast.If, gast.For, gast.While)):
            yield statement
            yield from _compound(statement.body + getattr(statement, "orelse", []))


def written_part(statement: gast.stmt, target: str | None = None) -> gast.Subscript | None:
    """``x[i]`` for an in-place write ``x[i] = v`` (or generated code's
    ``accumulate_at(x, i, g)`` and ``g = setitem_adjoint(x, i, v)``, whose ``g`` is a
    plain ``target``)."""
    if target is not None and getattr(statement, "takes_out_of", target) != target:
        return None
    if isinstance(statement, gast.Assign) and isinstance(statement.targets[0], gast.Subscript):
        return statement.targets[0]
    if getattr(statement, "changes_in_place", None) is not None or \
            getattr(statement, "takes_out_of", None) is not None:
        target, index = statement.value.args[:2]
        return gast.Subscript(value=copy_tree(target), slice=copy_tree(index),
                              ctx=gast.Store())
    return None


def operation_writes_in_place(statement: gast.stmt) -> bool:
    """``x[i] = v``, ``xs.append(v)``, ``y = xs.pop()``, ``accumulate_at(x, i, g)``: the
    object itself changes."""
    return (appended_list(statement) is not None or popped_list(statement) is not None
            or getattr(statement, "changes_in_place", None) is not None
            or getattr(statement, "takes_out_of", None) is not None
            or isinstance(statement, gast.Assign)
            and isinstance(statement.targets[0], gast.Subscript))


def _check_replayable(branch: gast.If) -> None:
    """The reversed branch evaluates its test once the branch has run: normalization
    makes sure nothing in the branch changes what the test reads."""
    tested = names_read(branch.test)
    for statement in _walk_simple(branch.body + branch.orelse):
        if tested & set(targets_of(statement)):
            raise AssertionError(f"a branch changes its own test {sorted(tested)}")


def _walk_simple(body: list[gast.stmt]):
    for statement in body:
        if isinstance(statement, gast.If):
            yield from _walk_simple(statement.body + statement.orelse)
        elif isinstance(statement, (gast.For, gast.While)):
            yield from _walk_simple(statement.body)
        else:
            yield statement
