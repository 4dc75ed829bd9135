"""Recording: what the forward sweep keeps for the reverse sweep, and both sweeps assembled.

The reverse sweep runs each statement's adjoint block with the primal variables holding
the values they had just after that statement ran forward. A statement that overwrites a
value the reverse sweep still reads saves the old value first and the reverse sweep
restores it after the statement's block: in straight-line code into a variable
(``_x1 = x`` ... ``x = _x1``), in a loop onto the tape, a plain list
(``_tape.append(x)`` ... ``x = _tape.pop()``). In code on Python numbers, a loop body's
own saves go into a list per value that the reversed loop iterates backwards
(``_xs.append(x)`` ... ``for x in reversed(_xs):``).

The reverse transform hands it the reversed statements (``reversed_nodes.py``). Which
values is the to-be-recorded analysis's answer (``analyses/to_be_recorded.py``), given what
the adjoint blocks read (``reverse_reads.py``). A branch is replayed from its test
(restored like any other value, so a test computed in a loop is recorded once per
iteration); a ``for`` loop is reversed by running its range backwards; a ``while`` loop,
or a loop left by ``break``, counts its iterations. Checkpointed loops have sweeps of their
own (``checkpointed_loops.py``), the tape report a module of its own
(``recording_report.py``).
"""

from __future__ import annotations

import copy

import gast

from s2sad.analyses.assignment import assignment_facts
from s2sad.analyses.mutation import IN_PLACE, views_of_written
from s2sad.analyses.operations import appended_list, popped_list, targets_of
from s2sad.analyses.prepared import Prepared
from s2sad.analyses.to_be_recorded import to_be_recorded, written_part
from s2sad.nodes import assign, call, comment, is_comment, load, parameters, store
from s2sad.normalize import local_names
from s2sad.transforms.calls import primal_call
from s2sad.transforms.checkpointed_loops import CheckpointedLoops, breaks_out
from s2sad.transforms.common import header, index_as_value
from s2sad.transforms.recorded_after import records_after_definition
from s2sad.transforms.reverse_reads import reverse_reads
from s2sad.transforms.reversed_nodes import (
    ReversedIf,
    ReversedLoop,
    ReversedStatement,
    walk_reversed,
)
from s2sad.trees import copy_tree, walk


class RecordingPlan:
    """The to-be-recorded analysis of one function, and the two sweeps it shapes."""

    def __init__(self, prepared: Prepared, statements: list[gast.stmt], nodes: list, *,
                 plain: set[str], lanes: bool = True, replayed: dict | None = None) -> None:
        """``nodes``: the reversed ``statements``; ``plain``: the names that certainly hold
        numbers or arrays (see ``plain_names``); ``replayed``: the calls that keep the
        random states their callee may draw from (``Sweep.replayed``)."""
        self.p = prepared
        self.replayed = replayed or {}
        self.plain = plain
        self._statement_of = {id(n.statement): n.statement for n in walk_reversed(nodes)}
        #: an array written in place -> the names that may view its memory (itself too)
        viewers: dict[str, set[str]] = {}
        for name, arrays in views_of_written(self.p.operations).items():
            for array in arrays:
                viewers.setdefault(array, set()).add(name)
        self.tape = self.p.namer.fresh("_tape")
        self.uses_tape = False
        #: names that some restore sets (the output must be kept aside before those)
        self.restored: set[str] = set()
        self._save_names: dict[tuple[int, str], str] = {}
        #: a loop whose reverse needs its count -> the variable counting its iterations
        self.counters: dict[int, str] = {}
        #: names some statement changes in place
        self.in_place = {op.operands[0].id for op in self.p.operations
                         if op.kind in IN_PLACE}
        self.checkpointed = CheckpointedLoops(self)
        primal = local_names(prepared.core)
        reads = reverse_reads(nodes, primal, self.p.namespace.bindings, viewers,
                              self.in_place)
        facts = to_be_recorded(statements, reads, set(self.p.wrt), primal)
        self.saves, self.loop_saves, self.depth = facts.saves, facts.loop_saves, facts.depth
        self.emitted, self.shape_only = facts.emitted, facts.shape_only
        #: a save a loop body's own statement makes once per iteration -> the list of its
        #: loop's own it goes into (a lane), which the reversed loop iterates backwards
        self.lanes: dict[tuple[int, str], str] = {}
        #: the same save -> the name its reversed iteration reads the saved value from
        self._lane_items: dict[tuple[int, str], str] = {}
        #: loop -> its lanes' saves, in the order of its body
        self.loop_lanes: dict[int, list[tuple[int, str]]] = {}
        #: saves recorded once their value is defined, and where they come back
        self.after = records_after_definition(
            statements, reads, facts, read_at_end=set(self.p.wrt),
            parameters=parameters(self.p.core))
        if lanes and self.p.scalar_code:
            self._plan_lanes(statements)
        self.after.place(self.lanes)
        self.restored |= {name for _, name in self.after.anchor}

    def _plan_lanes(self, body: list[gast.stmt]) -> None:
        """Lanes for the values saved by the simple statements directly in a loop's body
        (each runs once per iteration: a ``break`` only ever ends a body), in every emitted
        loop that is not checkpointed. Values saved deeper (in a branch, in an inner loop's
        own lanes or tape) keep their order on the tape.

        Only code on Python numbers has lanes: there a push and a pop cost as much as the
        arithmetic they serve, and a lane's ``append`` and the reversed loop's iteration
        about half as much; next to NumPy calls the difference is lost, and one tape reads
        better than a list per value."""
        for loop in (s for s in walk(gast.Module(body=body, type_ignores=[]))
                     if isinstance(s, (gast.For, gast.While))):
            if not self.emitted[id(loop)] or getattr(loop, "snapshots", None) is not None:
                continue
            saves = [(id(s), t) for s in loop.body
                     if not isinstance(s, (gast.If, gast.For, gast.While))
                     for t in targets_of(s)
                     if (id(s), t) in self.saves and (id(s), t) not in self.after.reread
                     and not self._appended(id(s))
                     and self._popped(id(s)) != t and self._written(id(s), t) is None]
            for save in saves:
                base = save[1].lstrip("_") or "value"
                self.lanes[save] = self.p.namer.fresh(f"_{base}s")
                self._lane_items[save] = self.p.namer.fresh(f"_{base}_prev")
            if saves:
                self.loop_lanes[id(loop)] = saves

    @property
    def lane_names(self) -> set[str]:
        """The lists the loops record on besides the tape."""
        return set(self.lanes.values())

    # -- names ---------------------------------------------------------------------------
    def _appended(self, key: int) -> bool:
        return key in self._statement_of and appended_list(self._statement_of[key]) is not None

    def _written(self, key: int, target: str | None = None) -> gast.Subscript | None:
        statement = self._statement_of.get(key)
        return None if statement is None else written_part(statement, target)

    def _popped(self, key: int) -> str | None:
        statement = self._statement_of.get(key)
        return None if statement is None else popped_list(statement)

    def _save(self, key: int, target: str, depth: int) -> gast.stmt | None:
        if self._appended(key) or self._popped(key) == target:  # undone by pop / append
            return None
        written = self._written(key, target)
        if written is None and target in self.shape_only and not self._scalar(key, target):
            value: gast.expr = call(self.p.runtime("shape_only"), load(target))
        elif written is None:
            value = load(target)
        elif target in self.plain:  # an array: x[i].copy()
            part = gast.Subscript(value=load(target), slice=copy_tree(written.slice),
                                  ctx=gast.Load())
            value = gast.Call(func=gast.Attribute(value=part, attr="copy", ctx=gast.Load()),
                              args=[], keywords=[])
        else:  # maybe a dict or a list
            value = call(self.p.runtime("written_part"), load(target),
                         index_as_value(self.p.namespace, written.slice))
        if (key, target) in self.lanes:
            return _push(self.lanes[key, target], value)
        if depth:
            self.uses_tape = True
            return _push(self.tape, value)
        if (key, target) not in self._save_names:
            self._save_names[key, target] = self.p.namer.numbered(f"_{target}")
        return assign(self._save_names[key, target], value)

    def _scalar(self, key: int, target: str) -> bool:
        """Whether the value of ``target`` that statement ``key`` overwrites is a number."""
        index = self.p.index_of.get(key)
        value = None if index is None else self.p.shapes.reaching[index].get(target)
        return value is not None and self.p.shapes.is_scalar(value)

    def _restore(self, key: int, target: str, depth: int) -> gast.stmt:
        self.restored.add(target)
        if self._appended(key):
            pop = gast.Attribute(value=load(target), attr="pop", ctx=gast.Load())
            return gast.Expr(value=gast.Call(func=pop, args=[], keywords=[]))
        if self._popped(key) and target == self._popped(key):  # y = xs.pop(): xs.append(y)
            statement = self._statement_of[key]
            append = gast.Attribute(value=load(target), attr="append", ctx=gast.Load())
            return gast.Expr(value=gast.Call(func=append, args=[
                load(statement.targets[0].id)], keywords=[]))
        if (key, target) in self.lanes:
            saved: gast.expr = load(self._lane_items[key, target])
        elif depth:
            saved = _pop(self.tape)
        else:
            saved = load(self._save_names[key, target])
        written = self._written(key, target)
        if written is None:
            return assign(target, saved)
        if target in self.plain:
            return assign(copy_tree(written), saved)
        return gast.Expr(value=call(self.p.runtime("restore_part"), load(target),
                                    index_as_value(self.p.namespace, written.slice), saved))

    def _counter(self, loop: gast.For | gast.While) -> str | None:
        """The variable counting ``loop``'s iterations, if its reverse needs one."""
        if not self.emitted[id(loop)]:
            return None
        if isinstance(loop, gast.For) and not breaks_out(loop.body):
            return None
        if isinstance(loop, gast.While) and id(loop) in self.loop_lanes:
            return None  # the reversed loop runs once per value of its lanes
        if id(loop) not in self.counters:
            self.counters[id(loop)] = self.p.namer.numbered("_trips")
        return self.counters[id(loop)]

    # -- the forward sweep ---------------------------------------------------------------
    def forward_sweep(self, statements: list[gast.stmt]) -> list[gast.stmt]:
        self._assigned = assignment_facts(self.p.core.body, parameters(self.p.core))
        return self.forward_body(statements)

    def possibly_assigned_before(self, loop: gast.stmt) -> frozenset[str]:
        """The names that may hold a value before ``loop`` (once the forward sweep is
        being made)."""
        return self._assigned.possible_before(loop)

    def forward_body(self, body: list[gast.stmt], record: bool = True) -> list[gast.stmt]:
        """The forward sweep of ``body``: the primal with its saves (none if not
        ``record``: the first run of a checkpointed loop)."""
        out: list[gast.stmt] = []
        for statement in body:
            key = id(statement)
            if isinstance(statement, gast.If):
                branch = copy.copy(statement)
                branch.body = self.forward_body(statement.body, record) or [gast.Pass()]
                branch.orelse = self.forward_body(statement.orelse, record)
                out.append(branch)
            elif isinstance(statement, (gast.For, gast.While)):
                out.extend(self._forward_loop(statement, record))
            else:
                for target in targets_of(statement):
                    if record and (key, target) in self.saves and (key, target) not in self.after:
                        save = self._save(key, target, self.depth[key])
                        out.extend([save] if save is not None else [])
                operation = self.p.operations[self.p.index_of[key]]
                if record and key in self.replayed:
                    out.append(copy_tree(self.replayed[key][1]))
                out.append(primal_call(self.p, operation) if operation.kind == "call"
                           else statement)
            if record:
                out.extend(self._save(*save, self.depth[save[0]])
                           for save in self.after.pushed_after(key, self.lanes))
        return out

    def _forward_loop(self, loop: gast.For | gast.While, record: bool = True
                      ) -> list[gast.stmt]:
        key = id(loop)
        depth = self.depth[key]
        if record and self.checkpointed.marks(loop):
            return self.checkpointed.forward(loop)
        before: list[gast.stmt] = []
        if depth == 0:  # a value saved in the loop before its first definition: None
            inside = {id(s) for s in walk(loop)}
            saved = {t for k, t in self.saves if k in inside and (k, t) not in self.after}
            saved |= {s.target.id for s in walk(loop)
                      if id(s) in self.loop_saves and s is not loop}
            # a name possibly assigned before may hold a value, which a None must not
            # overwrite
            undefined = sorted(saved - self.possibly_assigned_before(loop))
            before += [assign(name, gast.Constant(value=None, kind=None)) for name in undefined]
        if key in self.loop_saves and record:
            before.append(self._save(key, loop.target.id, depth))
        lanes = [self.lanes[save] for save in self.loop_lanes.get(key, [])] if record else []
        before += [assign(lane, gast.List(elts=[], ctx=gast.Load())) for lane in lanes]
        lowered = copy.copy(loop)
        lowered.body = self.forward_body(loop.body, record)
        after: list[gast.stmt] = []
        if lanes and depth:  # an inner loop's lanes wait on the tape for its reverse
            self.uses_tape = True
            after += [_push(self.tape, load(lane)) for lane in lanes]
        counter = self._counter(loop) if record else None
        if counter is not None:
            before.append(assign(counter, gast.Constant(value=0, kind=None)))
            step = gast.AugAssign(target=gast.Name(id=counter, ctx=gast.Store(), annotation=None,
                                                   type_comment=None),
                                  op=gast.Add(), value=gast.Constant(value=1, kind=None))
            lowered.body = [step] + lowered.body
            if depth:
                self.uses_tape = True
                after.append(_push(self.tape, load(counter)))
        return before + [lowered] + after

    # -- the reverse sweep ---------------------------------------------------------------
    def reverse_sweep(self, nodes: list) -> list[gast.stmt]:
        out: list[gast.stmt] = []
        last_origin = None
        for node in nodes:
            statement = node.statement
            key = id(statement)
            pops = [assign(name, _pop(self.tape))
                    for _, name in reversed(self.after.pushed_for.get(key, []))]
            pops += self.after.read_again_before(key)
            if isinstance(node, ReversedStatement):
                restores = [self._restore(key, t, self.depth[key])  # last saved, first back
                            for t in reversed(targets_of(statement))
                            if (key, t) in self.saves and (key, t) not in self.after]
                origin = getattr(statement, "origin", None)
                if (node.block or restores or pops) and origin is not None \
                        and origin is not last_origin:
                    compound = isinstance(origin, (gast.If, gast.For, gast.While))
                    parsed = self.p.parsed
                    text = header(parsed, origin) if compound else parsed.source_of(origin)
                    out.append(comment(text))
                    last_origin = origin
                out.extend(pops)
                out.extend(node.block)
                out.extend(restores)
                continue
            last_origin = None
            out.extend(pops)
            out.extend(node.before)
            if self.emitted[key]:
                out.append(comment(header(self.p.parsed, statement)))
                if isinstance(node, ReversedIf):
                    out.append(self._reversed_if(node))
                else:
                    out.extend(self._reversed_loop(node))
            if isinstance(node, ReversedLoop) and key in self.loop_saves:
                out.append(self._restore(key, statement.target.id, self.depth[key]))
        return out

    def _reversed_if(self, node: ReversedIf) -> gast.If:
        body = self.reverse_sweep(node.body) + node.fills_body
        orelse = self.reverse_sweep(node.orelse) + node.fills_orelse
        test = copy_tree(node.statement.test)
        if not body:
            return gast.If(test=gast.UnaryOp(op=gast.Not(), operand=test), body=orelse,
                           orelse=[])
        return gast.If(test=test, body=body, orelse=orelse)

    def _reversed_loop(self, node: ReversedLoop) -> list[gast.stmt]:
        loop = node.statement
        if self.checkpointed.handles(loop):
            return self.checkpointed.reverse(node)
        out: list[gast.stmt] = []
        counter = self._counter(loop)
        saves = self.loop_lanes.get(id(loop), [])
        lanes = [self.lanes[save] for save in saves]
        if counter is not None and self.depth[id(loop)]:
            out.append(assign(counter, _pop(self.tape)))
        if self.depth[id(loop)]:
            out += [assign(lane, _pop(self.tape)) for lane in reversed(lanes)]
        backwards = self.p.namespace.name_for(reversed, "reversed")
        body = self.reverse_sweep(node.body) + node.fills
        # what the reversed loop runs over: the loop's values backwards (unless its lanes
        # alone say how often and the body does not read the loop variable), or the count
        # of a while loop's iterations, and each lane backwards
        targets: list[gast.expr] = []
        iterables: list[gast.expr] = []
        if isinstance(loop, gast.For):
            values = copy_tree(loop.iter)
            if counter is not None:  # the iterations that ran before the break
                values = gast.Subscript(value=values, slice=gast.Slice(
                    lower=None, upper=load(counter), step=None), ctx=gast.Load())
            if not (lanes and counter is None and not _mentions(body, loop.target.id)):
                targets.append(store(loop.target.id))
                iterables.append(call(backwards, values))
        elif not lanes:
            targets.append(store(self.p.namer.fresh("_")))
            iterables.append(call(self.p.namespace.name_for(range, "range"), load(counter)))
        bound = {t.id for t in targets}
        for save, lane in zip(saves, lanes):
            item = self._lane_items[save]
            if save in self.after:
                item = save[1]  # recorded once defined: the value of this iteration
            elif save[1] not in bound and drop_leading_restore(body, save[1], item):
                item = save[1]  # the iteration starts by setting the variable itself
            bound.add(item)
            targets.append(store(item))
            iterables.append(call(backwards, load(lane)))
        if len(iterables) == 1:
            target, iterable = targets[0], iterables[0]
        else:
            target = gast.Tuple(elts=targets, ctx=gast.Store())
            iterable = call(self.p.namespace.name_for(zip, "zip"), *iterables)
        out.append(gast.For(target=target, iter=iterable, body=body or [gast.Pass()],
                            orelse=[], type_comment=None))
        return out


def _push(tape: str, value: gast.expr) -> gast.Expr:
    append = gast.Attribute(value=load(tape), attr="append", ctx=gast.Load())
    return gast.Expr(value=gast.Call(func=append, args=[value], keywords=[]))


def _pop(tape: str) -> gast.Call:
    pop = gast.Attribute(value=load(tape), attr="pop", ctx=gast.Load())
    return gast.Call(func=pop, args=[], keywords=[])


def _mentions(body: list[gast.stmt], name: str) -> bool:
    return any(isinstance(n, gast.Name) and n.id == name for s in body for n in walk(s))


def drop_leading_restore(body: list[gast.stmt], name: str, saved: str) -> bool:
    """Delete from ``body`` the restore ``name = saved`` when it is, directly in ``body``,
    the first statement to mention ``name`` (and a comment it leaves with nothing under
    it); whether it did. The reversed loop then binds ``name`` itself."""
    for position, statement in enumerate(body):
        if not _mentions([statement], name):
            continue
        restore = (isinstance(statement, gast.Assign)
                   and isinstance(statement.targets[0], gast.Name)
                   and statement.targets[0].id == name
                   and isinstance(statement.value, gast.Name) and statement.value.id == saved)
        if restore:
            del body[position]
            if position and is_comment(body[position - 1]) and (
                    position == len(body) or is_comment(body[position])):
                del body[position - 1]
        return restore
    return False
