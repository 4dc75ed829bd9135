"""Checkpointed loops: the sweeps of a loop marked with ``s2sad.checkpointed(values, S)``.

The forward sweep runs the loop without recording and keeps the loop's state (the
variables an iteration reads from earlier ones; copies of those changed in place) before
the iterations a run-time ``Schedule`` picks, in one of ``S`` slots. The reverse sweep is
one loop over the schedule's actions: restore a kept state, advance without recording,
keep the state, or run iterations recording them and reverse them at once.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import gast

from s2sad.analyses.operations import targets_of
from s2sad.checkpointing import schedule
from s2sad.nodes import assign, call, load, store, tuple_of
from s2sad.recomputation import statements_recomputation
from s2sad.trees import copy_tree, walk

if TYPE_CHECKING:
    from s2sad.transforms.recording import RecordingPlan
    from s2sad.transforms.reversed_nodes import ReversedLoop


class CheckpointedLoops:
    """The checkpointed loops of one recording plan: their names and state, and both
    sweeps of each (the plan's ``forward_body`` and ``reverse_sweep`` make their
    bodies)."""

    def __init__(self, plan: RecordingPlan) -> None:
        self.plan = plan
        self.p = plan.p
        #: checkpointed loop -> the names of its schedule, snapshot dict and position
        self._names: dict[int, tuple[str, str, str]] = {}
        self._state_of: dict[int, list[str]] = {}

    def handles(self, loop: gast.stmt) -> bool:
        """Whether the forward sweep of ``loop`` was made here."""
        return id(loop) in self._names

    def marks(self, loop: gast.stmt) -> bool:
        """A loop marked with ``s2sad.checkpointed`` that the plan checkpoints (its reverse
        is emitted); a mark elsewhere than on a ``for`` loop of the body's top level, not
        left by a jump, is an error at the loop."""
        if getattr(loop, "snapshots", None) is None or not self.plan.emitted.get(id(loop)):
            return False
        if self.plan.depth[id(loop)] or not isinstance(loop, gast.For) or breaks_out(loop.body):
            raise self.p.parsed.error(
                loop, "s2sad.checkpointed marks a for loop of the function's own body, not "
                "nested in another loop and not left by break or return",
                "checkpoint the outermost loop, or drop the mark")
        again = statements_recomputation(self.p.parsed, loop.body, self.p.core)
        if again.differs:
            raise self.p.parsed.error(
                loop, "a loop marked with s2sad.checkpointed runs its iterations again in the "
                f"reverse sweep, and its body may then give other values ({again.reason}: "
                "random numbers, an iterator's items or other state)",
                "draw the random numbers before the loop and index them in it, or drop the "
                "mark")
        return True

    def forward(self, loop: gast.For) -> list[gast.stmt]:
        """``for t in values:`` run without recording, keeping the state where the
        schedule says."""
        key = id(loop)
        names = self._names[key] = (
            self.p.namer.fresh("_schedule"), self.p.namer.fresh("_snapshots"),
            self.p.namer.fresh("_position"))
        plan, snapshots, position = names
        state = self._state_of[key] = loop_state(loop)
        before = [assign(name, gast.Constant(value=None, kind=None))
                  for name in state if name not in self.plan.possibly_assigned_before(loop)]
        schedule_of = self.p.namespace.name_for(schedule, "checkpoint_schedule")
        before.append(assign(plan, call(schedule_of, copy_tree(loop.iter),
                                        copy_tree(loop.snapshots),
                                        copy_tree(loop.schedule))))
        before.append(assign(snapshots, gast.Dict(keys=[], values=[])))
        kept = gast.Attribute(value=load(plan), attr="kept", ctx=gast.Load())
        test = gast.Compare(left=load(position), ops=[gast.In()], comparators=[kept])
        slot = gast.Subscript(value=copy_tree(kept), slice=load(position), ctx=gast.Load())
        plain = copy.copy(loop)
        plain.target = gast.Tuple(elts=[store(position), copy_tree(loop.target)],
                                  ctx=gast.Store())
        plain.iter = call(self.p.namespace.name_for(enumerate, "enumerate"),
                          copy_tree(loop.iter))
        plain.body = [gast.If(test=test, body=[self._keep(snapshots, slot, state)],
                              orelse=[])] + self.plan.forward_body(loop.body, False)
        return before + [plain]

    def _keep(self, snapshots: str, slot: gast.expr, state: list[str]) -> gast.stmt:
        """``snapshots[slot] = (state...)``, copies of what the loop changes in place."""
        slot = gast.Subscript(value=load(snapshots), slice=slot, ctx=gast.Store())
        return gast.Assign(targets=[slot], value=tuple_of([
            self._copied(name) if name in self.plan.in_place else load(name) for name in state]),
            type_comment=None)

    @staticmethod
    def _copied(name: str) -> gast.expr:
        method = gast.Attribute(value=load(name), attr="copy", ctx=gast.Load())
        return gast.Call(func=method, args=[], keywords=[])

    def reverse(self, node: ReversedLoop) -> list[gast.stmt]:
        """The schedule's actions in turn: restore a kept state, advance without recording,
        keep the state, or run iterations recording them and reverse them."""
        loop = node.statement
        plan, snapshots, _ = self._names[id(loop)]
        state = self._state_of[id(loop)]
        action, start, stop, slot = (self.p.namer.fresh(n) for n in
                                     ("_action", "_start", "_stop", "_slot"))
        iterations = gast.Subscript(value=copy_tree(loop.iter), slice=gast.Slice(
            lower=load(start), upper=load(stop), step=None), ctx=gast.Load())

        def run(body: list[gast.stmt], backwards: bool = False) -> gast.For:
            values = copy_tree(iterations)
            if backwards:
                values = call(self.p.namespace.name_for(reversed, "reversed"), values)
            return gast.For(target=copy_tree(loop.target), iter=values,
                            body=body or [gast.Pass()], orelse=[], type_comment=None)

        kept = gast.Subscript(value=load(snapshots), slice=load(slot), ctx=gast.Load())
        restore = [assign(gast.Tuple(elts=[store(n) for n in state], ctx=gast.Store()), kept)]
        restore += [assign(n, self._copied(n)) for n in state if n in self.plan.in_place]
        reverse = [run(self.plan.forward_body(loop.body)),
                   run(self.plan.reverse_sweep(node.body) + node.fills, backwards=True)]
        cases = [("restore", restore), ("advance", [run(self.plan.forward_body(loop.body, False))]),
                 ("keep", [self._keep(snapshots, load(slot), state)])]
        dispatch = reverse
        for name, body in reversed(cases):
            test = gast.Compare(left=load(action), ops=[gast.Eq()],
                                comparators=[gast.Constant(value=name, kind=None)])
            dispatch = [gast.If(test=test, body=body, orelse=dispatch)]
        self.plan.uses_tape = True
        actions = gast.Attribute(value=load(plan), attr="actions", ctx=gast.Load())
        return [gast.For(target=gast.Tuple(elts=[store(n) for n in (action, start, stop, slot)],
                                           ctx=gast.Store()),
                         iter=actions, body=dispatch, orelse=[], type_comment=None)]


def loop_state(loop: gast.For) -> list[str]:
    """The variables an iteration may read from earlier ones: assigned in the loop and
    read in it before the iteration assigns them (assignments in branches and inner
    loops do not count as made)."""
    assigned = {t for s in walk(loop) if isinstance(s, gast.stmt)
                for t in targets_of(s)} - {loop.target.id}
    exposed: set[str] = set()
    made: set[str] = set()
    for statement in loop.body:
        exposed |= {n.id for n in walk(statement) if isinstance(n, gast.Name)
                    and isinstance(n.ctx, gast.Load)} - made
        if not isinstance(statement, (gast.If, gast.For, gast.While)):
            made |= set(targets_of(statement))
    return sorted(assigned & exposed)


def breaks_out(body: list[gast.stmt]) -> bool:
    """Whether a ``break`` in ``body`` (not in a nested loop) ends its loop."""
    for statement in body:
        if isinstance(statement, gast.Break):
            return True
        if isinstance(statement, gast.If) and (breaks_out(statement.body)
                                               or breaks_out(statement.orelse)):
            return True
    return False
