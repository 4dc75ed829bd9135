"""Reverse transform: a forward sweep that keeps what the reverse sweep needs, then the
reverse sweep, one block of adjoint statements per primal statement, in reverse order.

``f(x, W)`` becomes ``f_adjoint(x, W, y_bar=1.0) -> x_bar`` (a tuple of adjoints when
several inputs are differentiated). Adjoints that are symbolically zero get no code: the
first contribution to ``x_bar`` assigns it, later ones add to it.

Overwritten values: the reverse sweep runs each block with the primal variables holding
the values they had just after that statement ran forward. A statement that overwrites a
variable whose old value an earlier statement's adjoint reads saves it first
(``_x1 = x``) and the reverse sweep restores it (``x = _x1``) after the statement's own
block. Only such values are saved (to-be-recorded analysis).

Each statement's contributions to its arguments' adjoints come from
``adjoint_contributions.py`` (and ``reverse_in_place.py`` for writes and reads in place);
where each adjoint is held and which adjoint arrays may be written in place is kept by
``AdjointHolders`` (``adjoint_holders.py``); the sweeps are emitted by ``RecordingPlan``.
"""

from __future__ import annotations

import gast

from s2sad.analyses.assignment import assignment_facts
from s2sad.analyses.floats import float_valued, resolve_callee, surely_float_output
from s2sad.analyses.liveness import AdjointFlow
from s2sad.analyses.operations import (
    Operation,
    appended_list,
    targets_of,
)
from s2sad.analyses.prepared import Prepared
from s2sad.nodes import (
    add,
    assign,
    call,
    comment,
    heading,
    load,
    names_read,
    parameters,
    store,
    tuple_of,
)
from s2sad.optimize.common_subexpressions import hoist_common_calls, worth_computing_once
from s2sad.optimize.forward_sweep import prune_forward_sweep
from s2sad.optimize.scalar_spreads import spread_scalars_in
from s2sad.simplify import simplify
from s2sad.transforms.adjoint_contributions import adjoint_contributions
from s2sad.transforms.adjoint_holders import AdjointHolders
from s2sad.transforms.common import plain_names
from s2sad.transforms.parallel_assignment import in_safe_order
from s2sad.transforms.recording import RecordingPlan
from s2sad.transforms.recording_report import recording_report
from s2sad.transforms.reverse_in_place import (
    accumulate_adjoint,
    append_adjoint,
    pop_adjoint,
    takeout_adjoint,
    write_adjoint,
)
from s2sad.transforms.reverse_output import (
    argument_check,
    keep_output,
    output_check,
    recomputation_check,
    with_seed,
)
from s2sad.transforms.reversed_nodes import ReversedIf, ReversedLoop, ReversedStatement
from s2sad.trees import copy_tree, walk


class ReverseTransform:
    def __init__(self, prepared: Prepared, keep_raising: bool = True) -> None:
        self.p = prepared
        #: the forward sweep keeps statements that may raise (see ``Effects.removable``)
        self.keep_raising = keep_raising
        self.live: set[str] = set()
        #: the variables that hold adjoints (never restored, unlike primal variables)
        self.adjoint_variables: set[str] = set()
        #: adjoint variables whose value is certainly a Python float (in real scalar code)
        self.float_variables: set[str] = set()
        self.plain = plain_names(prepared)
        #: where each adjoint is held, and which adjoint variables hold an array the sweep
        #: may write into (x_bar[i] += g)
        self.holders = AdjointHolders(self.bar, self._fresh, self._updatable)
        self.indexed = _indexed_names(prepared.core)
        #: the names assigned before each branch and loop
        self.assigned = assignment_facts(prepared.core.body, parameters(prepared.core))
        #: which adjoints may be live (a superset of those the transform makes live)
        #: calls whose callee's random states are replayed (``Sweep.replayed``)
        self.replayed: dict[int, tuple[str, gast.stmt]] = {}
        self.flow = AdjointFlow(lambda s: prepared.operations[prepared.index_of[id(s)]],
                                prepared.active)

    def bar(self, name: str) -> str:
        """The variable of ``name``'s adjoint."""
        variable = self.p.namer.bar(name)
        self.adjoint_variables.add(variable)
        return variable

    def adjoint_temporary(self) -> str:
        """A new variable for an adjoint."""
        variable = self.p.namer.fresh(self.p.namer.temp() + "_bar")
        self.adjoint_variables.add(variable)
        return variable

    # -- assembling the function -------------------------------------------------------
    def function(
        self, name: str, *, wrt_tuple: bool, return_value: bool = False, scalar_check: bool = False,
        record_tape: bool = False, report: bool = False, result: str = "",
    ) -> gast.FunctionDef:
        core = self.p.core
        statements = core.body[:-1]
        returned = core.body[-1].value
        seed_name, seed_block = self._seed(returned, unit_seed=scalar_check)
        nodes = self._reverse_block(statements)
        # what the tape's measure counts is recorded on the tape alone
        plan = RecordingPlan(self.p, statements, nodes, plain=self.plain,
                             lanes=not record_tape, replayed=self.replayed)

        forward = self.p.copied_parameters() + plan.forward_sweep(statements)
        seen_name = None
        if result:  # called from a derivative, given the forward sweep's result
            seen_name = self.p.namer.fresh("_y_seen")
            if result == "checked":
                forward.append(recomputation_check(self.p, returned, seen_name))
        late_check = None
        if scalar_check and not self._surely_float_output(returned):
            late_check = output_check(self.p, returned, forward)
        reverse: list[gast.stmt] = list(seed_block) + plan.reverse_sweep(nodes)
        if return_value:
            returned = keep_output(self.p, returned, plan.restored, forward)
        reverse.append(self._return(returned, wrt_tuple, return_value))
        if record_tape:  # the tape goes out too (None when nothing is recorded on one)
            tape = load(plan.tape) if plan.uses_tape else gast.Constant(value=None, kind=None)
            reverse[-1].value = tuple_of([reverse[-1].value, tape])
        if self.p.optimize:
            reverse = spread_scalars_in(self.p, reverse)
            forward = prune_forward_sweep(self.p, forward, reverse, self.keep_raising)
        if scalar_check and (not self.p.scalar_code or late_check is not None):
            forward.insert(0, argument_check(self.p, late_check))
        if plan.uses_tape:
            tape = call(self.p.runtime("RecordingTape")) if record_tape else gast.List(
                elts=[], ctx=gast.Load())
            forward.insert(0, assign(plan.tape, tape))
        for stack, _ in self.replayed.values():
            forward.insert(0, assign(stack, gast.List(elts=[], ctx=gast.Load())))
        body = [comment("forward sweep"), *forward, comment("reverse sweep"), *reverse]
        if not forward:
            body = reverse
        if report:  # the tape report, as comments at the top
            body = [heading(line) for line in recording_report(plan, statements)] + body

        arguments = with_seed(core.args, seed_name)
        if seen_name is not None:
            arguments = with_seed(arguments, seen_name, None)
        definition = gast.FunctionDef(
            name=name, args=arguments, body=body, decorator_list=[],
            returns=None, type_comment=None, type_params=[])
        definition.extra_parameters = [n for n in (seed_name, seen_name) if n]
        definition.stacks = ({plan.tape} if plan.uses_tape else set()) | plan.lane_names
        return definition

    # -- the reverse sweep, statement by statement, last first ------------------------
    def _reverse_block(self, statements: list[gast.stmt]) -> list:
        nodes: list = []
        for statement in reversed(statements):
            if isinstance(statement, gast.If):
                nodes.append(self._reverse_if(statement))
            elif isinstance(statement, (gast.For, gast.While)):
                nodes.append(self._reverse_loop(statement))
            else:
                index = self.p.index_of[id(statement)]
                block = self._adjoint(index, self.p.operations[index])
                nodes.append(ReversedStatement(statement, block))
        return nodes

    def _reverse_if(self, statement: gast.If) -> ReversedIf:
        """Both branches reversed from the same adjoints; an adjoint one branch makes live
        and the other does not is zero on the other's path."""
        before = self._enter_control_flow()
        start, holdings = set(self.live), self.holders.snapshot()
        body = self._reverse_block(statement.body)
        body_end = self._materialize()
        live_body, body_holdings = set(self.live), self.holders.snapshot()
        self.live = set(start)
        self.holders.restore(holdings)
        self.float_variables.clear()
        orelse = self._reverse_block(statement.orelse)
        orelse_end = self._materialize()
        live_orelse = set(self.live)
        self.live = live_body | live_orelse
        self.holders.owned_in_both(body_holdings)
        node = ReversedIf(statement, body, orelse, before,
                          body_end + self._zeros(sorted(self.live - live_body), statement),
                          orelse_end + self._zeros(sorted(self.live - live_orelse), statement))
        self.holders.disown(live_body ^ live_orelse)
        self.float_variables.clear()
        return node

    def _reverse_loop(self, loop: gast.For | gast.While) -> ReversedLoop:
        """The body reversed once, starting from the adjoints live at every iteration's
        end: those live after the loop and those an iteration passes to the one before."""
        before = self._enter_control_flow()
        entry = set(self.live)
        head = self.flow.loop_head(loop, entry)
        before += self._zeros(sorted(head - entry), loop)
        self.live = set(head)
        # arrays indexed in the loop: their adjoints are updated in place, so each must be
        # an array of its own at every iteration's start
        indexed = sorted(_indexed_names(loop) & head)
        for name in indexed:
            self.own(name, before)
        entry = self.holders.enter_loop()
        body = self._reverse_block(loop.body)
        accumulated = self.holders.leave_loop(entry)
        fills = self._materialize()
        end = set(self.live)
        if not end <= head:  # the live analysis must cover what the transform does
            raise AssertionError(f"adjoints live around a loop: {sorted(end - head)}")
        fills += self._zeros(sorted(head - end), loop)
        # arrays updated in place, in the loop or in one inside it, are arrays of their own
        # at every iteration's start too
        for name in sorted((set(indexed) | accumulated) & head):
            self.own(name, fills)
        self.holders.owned_in_both(entry)
        self.live = head
        self.float_variables.clear()
        return ReversedLoop(loop, body, before, fills)

    def _enter_control_flow(self) -> list[gast.stmt]:
        """Before a branch or a loop: no float facts hold across it, and every live adjoint
        sits in its own variable (as at the end of every branch and iteration)."""
        self.float_variables.clear()
        return self._materialize()

    def _materialize(self) -> list[gast.stmt]:
        """Statements moving each live adjoint held elsewhere (in another adjoint's
        variable, or a constant) into its own variable."""
        pending = [(name, self.holders.current(name))
                   for name in self.holders.held_elsewhere(self.live)]
        block: list[gast.stmt] = []
        for name, value in self._in_safe_order(pending, block):
            block.append(assign(self.bar(name), value))
            self.holders.assigned(name, value)
        return block

    def _in_safe_order(self, pending: list[tuple[str, gast.expr]], block: list[gast.stmt]):
        """The adjoint assignments ``pending``, one after another (``in_safe_order``)."""
        return in_safe_order(pending, self.bar, self.p.namer.fresh, block)

    def _zeros(self, names: list[str], at: gast.stmt) -> list[gast.stmt]:
        """Zero adjoints for ``names``, at the forward point before the compound statement
        ``at``: shaped like the variable where it certainly has a value there, else the
        number 0.0 (the adjoint is then never read on that path)."""
        block = []
        defined = self.assigned.definite_before(at)
        for name in names:
            if self.p.scalar_code or name not in defined:
                zero = gast.Constant(value=0.0, kind=None)
            elif name in self.indexed and name not in self.plain:  # maybe a list: writable
                zero = call(self.p.runtime("owned"), gast.Constant(value=None, kind=None),
                            load(name))
            else:
                zero = call(self.p.runtime("zeros_like"), load(name))
            block.append(assign(self.bar(name), zero))
            self.holders.zeroed(name, array=not isinstance(zero, gast.Constant))
        return block

    def _seed(self, returned: gast.expr, unit_seed: bool) -> tuple[str | None, list[gast.stmt]]:
        """The parameter holding the output's adjoint, and statements spreading it. For
        ``grad`` (a scalar output) the adjoint is the constant 1, folded into the rules."""
        if isinstance(returned, gast.Name) and returned.id in self.p.namer.generated:
            # the value of a returned expression
            self.p.namer.name_derived(returned.id, "bar", self._seed_name())
        if isinstance(returned, gast.Name) and unit_seed:
            self.live.add(returned.id)
            kinds = self.p.kinds
            if kinds is not None and kinds.is_sequence(returned.id):
                # a list or dict: grad's check refuses it, but the code must compile
                # (its items are read from the seed), so the seed is a variable
                return None, [assign(self.bar(returned.id), gast.Constant(value=1.0,
                                                                          kind=None))]
            self.holders.hold(returned.id, 1.0)
            return None, []
        if isinstance(returned, gast.Name):
            self.live.add(returned.id)
            return self.bar(returned.id), []
        seed = self._seed_name()
        block: list[gast.stmt] = []
        if isinstance(returned, gast.Tuple):
            contributions: dict[str, list[gast.expr]] = {}
            for position, atom in enumerate(returned.elts):
                if isinstance(atom, gast.Name) and atom.id in self.p.active:
                    part = gast.Subscript(
                        value=load(seed),
                        slice=gast.Constant(value=position, kind=None),
                        ctx=gast.Load(),
                    )
                    contributions.setdefault(atom.id, []).append(part)
            self._accumulate(contributions, block)
        return seed, block

    def _seed_name(self) -> str:
        """The parameter of the returned value's adjoint: ``y_bar``, or ``out_bar`` (then
        ``result_bar``, ``output_bar``) when the function has a ``y`` of its own."""
        taken = self.p.namer.taken
        for base in ("y", "out", "result", "output"):
            if base not in taken and f"{base}_bar" not in taken:
                return self.p.namer.fresh(f"{base}_bar")
        return self.p.namer.fresh("_y_bar")

    def _return(self, returned: gast.expr, wrt_tuple: bool, return_value: bool) -> gast.Return:
        gradients = []
        for param in self.p.wrt:
            if param in self.live and self._surely_float(param):
                gradients.append(self.holders.current(param))
            elif param in self.live:
                gradients.append(call(self.p.runtime("match"), self.holders.current(param),
                                      load(param)))
            else:
                gradients.append(call(self.p.runtime("zeros_like"), load(param)))
        value = tuple_of(gradients) if wrt_tuple else gradients[0]
        if return_value:
            value = tuple_of([copy_tree(returned), value])
        return gast.Return(value=value)

    def _surely_float_output(self, returned: gast.expr) -> bool:
        """In real scalar code, the output is certainly a Python float (made by a math
        function, ``/`` or a float constant, on every path): ``grad`` need not check it."""
        return self.p.scalar_code and surely_float_output(self.p.core, returned, self._callee)

    def _surely_float(self, param: str) -> bool:
        """In real scalar code, whether ``param``'s adjoint is certainly a Python float
        (in a version for float arguments, of a parameter its guard tests)."""
        guarded = self.p.guarded_floats
        return self.p.scalar_code and (guarded is None or param in guarded) and \
            self._float_valued(self.holders.current(param))

    def _float_valued(self, node: gast.expr) -> bool:
        return float_valued(node, self.float_variables, self._callee)

    def _callee(self, func: gast.expr):
        return resolve_callee(func, self.p.namespace.bindings, self.p.parsed.globals)

    # -- adjoints of one statement -----------------------------------------------------
    def _adjoint(self, index: int, operation: Operation) -> list[gast.stmt]:
        targets = targets_of(operation.statement)
        # a list's adjoint, once it exists, is a list as long as the list: every append
        # and pop of an active list is reversed, whether or not its adjoint is live yet
        keeps_length = operation.kind in ("append", "pop") and \
            operation.operands[0].id in self.p.active
        if (not any(t in self.live for t in targets) and not keeps_length) or \
                operation.kind == "inactive":
            self.live.difference_update(targets)
            return []
        block: list[gast.stmt] = []
        if operation.kind == "pop":
            contributions = pop_adjoint(self, operation, targets, block)
        elif operation.kind == "accumulate":
            contributions = accumulate_adjoint(self, operation, block)
        elif operation.kind == "takeout":
            contributions = takeout_adjoint(self, operation, targets, block)
        elif operation.kind == "setitem":
            contributions = write_adjoint(self, operation, block)
        elif operation.kind == "append":
            contributions = append_adjoint(self, operation, block)
        else:
            contributions = adjoint_contributions(self, index, operation, targets, block)
            self.live.difference_update(targets)
        self._accumulate(contributions, block)
        return block

    # -- in-place writes and reads of arrays --------------------------------------------
    def own(self, name: str, block: list[gast.stmt]) -> str:
        """Make ``name``'s adjoint an array of its own (zeros if it is not live yet), which
        the sweep may then update in place; returns its variable."""
        variable = self.bar(name)
        if name in self.live and self.holders.owns(name):
            return variable
        if name in self.live:
            value = call(self.p.runtime("owned"), self.holders.current(name), load(name))
        elif name in self.plain:
            value = call(self.p.runtime("zeros_like"), load(name))
        else:  # maybe a list or tuple: its adjoint, a list, must be writable
            value = call(self.p.runtime("owned"), gast.Constant(value=None, kind=None),
                         load(name))
        self._assign_bar(name, value, block)
        self.live.add(name)
        return variable

    def _accumulate(
        self, contributions: dict[str, list[gast.expr]], block: list[gast.stmt]
    ) -> None:
        """Add each name's contributions to its adjoint.

        All right-hand sides read adjoint values from before this statement's block, so an
        assignment that would overwrite a variable another pending right-hand side still
        reads waits; if every pending assignment waits on another, the value read is copied
        aside first.
        """
        pending, in_place = self._totals(contributions)
        hoisted, totals = [], [e for _, e in pending]
        if self.p.optimize:  # a call repeated among the updates is computed once
            hoisted, totals = hoist_common_calls(
                totals, self.p.namer.temp, worth_computing_once(self.p.namespace.bindings))
        block.extend(hoisted)
        pending = [(name, total) for (name, _), total in zip(pending, totals)]
        for name, total in self._in_safe_order(pending, block):
            self._update(name, total, name in in_place, block)

    def _totals(self, contributions: dict[str, list[gast.expr]]
                ) -> tuple[list[tuple[str, gast.expr]], set[str]]:
        """Each name's new adjoint (its contributions summed, and added to its adjoint
        when that is live), and the names whose sum is added in place instead."""
        pending: list[tuple[str, gast.expr]] = []
        in_place: set[str] = set()
        for name, values in contributions.items():
            plain = name in self.plain
            total = values[0]
            for value in values[1:]:
                total = add(total, value) if plain else call(self.p.runtime("add"), total, value)
            if name in self.live and self.holders.adds_in_place(name, self.live):
                in_place.add(name)
            elif name in self.live:
                current = self.holders.current(name)
                total = (
                    add(current, total) if plain else call(self.p.runtime("add"), current, total)
                )
            pending.append((name, simplify(total, reassociate=True)))
        for name in sorted(in_place):  # an update in place must not change what another reads
            if any(self.bar(name) in names_read(e) for n, e in pending if n != name):
                in_place.discard(name)
                pending = [(n, simplify(add(self.holders.current(n), e), reassociate=True))
                           if n == name else e
                           for n, e in pending]
        return pending, in_place

    def _update(self, name: str, total: gast.expr, in_place: bool,
                block: list[gast.stmt]) -> None:
        """``name``'s adjoint becomes ``total`` (added into its array, ``in_place``): an
        assignment, or (optimized) another adjoint's variable or a constant it is kept as."""
        if in_place:  # x_bar -= v for a contribution -v: the same bits
            negated = isinstance(total, gast.UnaryOp) and isinstance(total.op, gast.USub)
            block.append(gast.AugAssign(
                target=store(self.bar(name)), op=gast.Sub() if negated else gast.Add(),
                value=total.operand if negated else total))
            self.holders.added_in_place(name)
        elif not self.p.optimize:
            self._assign_bar(name, total, block)
        elif (name not in self.live and isinstance(total, gast.Name)
                and total.id in self.adjoint_variables):
            self.holders.hold(name, total.id)  # x_bar is y_bar: no copy, just another name
        elif name not in self.live and _is_number(total):
            self.holders.hold(name, total.value)  # a constant adjoint folds into its uses
        else:
            self._assign_bar(name, total, block)
        self.live.add(name)

    def _updatable(self, name: str) -> bool:
        """Whether ``name``'s adjoint may be added to in place: an array of real numbers,
        whose dtype is its primal's (as for every adjoint updated in place)."""
        return name in self.plain and self.p.inliner.real_only and not self.p.scalar_code

    def _fresh(self, value: gast.expr) -> bool:
        """Whether ``value`` certainly makes a new array: arithmetic, a new zero or copy."""
        if isinstance(value, (gast.BinOp, gast.UnaryOp)):
            return True
        return isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and \
            value.func.id in (self.p.runtime("zeros_like"), self.p.runtime("owned"))

    def _assign_bar(self, name: str, value: gast.expr, block: list[gast.stmt]) -> None:
        variable = self.bar(name)
        for other in self.holders.sharing(name, self.live):
            block.append(assign(self.bar(other), load(variable)))  # keep the other's value
            self.holders.moved_home(other)
        block.append(assign(variable, value))
        self.holders.assigned(name, value)
        if self._float_valued(value):
            self.float_variables.add(variable)
        else:
            self.float_variables.discard(variable)


def _is_number(node: gast.expr) -> bool:
    return (isinstance(node, gast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool))


def _indexed_names(loop: gast.stmt) -> set[str]:
    """Names indexed (read ``x[i]`` or written ``x[i] = v``) or appended to inside
    ``loop``: their adjoints are updated in place."""
    names = set()
    for n in walk(loop):
        if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name):
            names.add(n.value.id)
        elif isinstance(n, gast.Expr) and appended_list(n) is not None:
            names.add(appended_list(n))
    return names
