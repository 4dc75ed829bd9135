"""The tape report: what a derivative's forward sweep records for its reverse sweep.

Shown as comments at the top of the adjoint (``source(f, report=True)``): per loop, the
values recorded at each iteration and how many in all, as a formula of the loop counts;
then the values kept in variables. Made from a ``RecordingPlan`` once both sweeps are
emitted (the iteration counters are named then).
"""

from __future__ import annotations

import gast

from s2sad.emit import to_source
from s2sad.transforms.common import header
from s2sad.transforms.recording import RecordingPlan
from s2sad.trees import copy_tree


def recording_report(plan: RecordingPlan, statements: list[gast.stmt]) -> list[str]:
    """Lines saying what the forward sweep of ``statements`` records: per loop iteration
    (as a formula of the loop counts) and in variables."""
    kept = sorted({t for k, t in plan.saves if plan.depth.get(k) == 0})
    kept += sorted(s.target.id for s in _loops(statements)
                   if id(s) in plan.loop_saves and plan.depth[id(s)] == 0)
    lines = ["What the forward sweep records for the reverse sweep:"]
    total: list[str] = []
    for loop, counts in _loops_with_counts(statements, lambda loop: _count(plan, loop)):
        values = _recorded_per_iteration(plan, loop)
        if values:
            per = " * ".join(counts)
            noun = "value" if len(values) == 1 else "values"
            lines.append(f"  {header(plan.p.parsed, loop)}  line {loop.lineno}: {len(values)} "
                         f"{noun} per iteration ({', '.join(values)})")
            total.append(f"{len(values)} * {per}")
    if total:
        lines.append(f"  recorded in all: {' + '.join(total)} values")
    else:
        lines.append("  nothing recorded in loops")
    lines.append(f"  in variables: {', '.join(kept) if kept else 'nothing'}")
    return lines


def _recorded_per_iteration(plan: RecordingPlan, loop: gast.For | gast.While) -> list[str]:
    """What one iteration of ``loop`` records itself: its statements' saves, the values
    of inner loops' variables from before them and inner loops' iteration counts."""
    inside = {id(n) for n in _own_statements(loop)}
    values = sorted({t for k, t in plan.saves if k in inside and (k, t) not in plan.after.reread})
    values += sorted(f"{n.target.id} (before the loop)" for n in _loops(loop.body)
                     if id(n) in plan.loop_saves)
    values += [f"{plan.counters[id(n)]} (iterations)" for n in _loops(loop.body)
               if id(n) in plan.counters]
    return values


def _count(plan: RecordingPlan, loop: gast.For | gast.While) -> str:
    """How many times ``loop`` runs, as code (the trip count of a while loop)."""
    if isinstance(loop, gast.For):
        text = to_source(gast.Expr(value=copy_tree(loop.iter))).strip()
        return f"len({text})" if id(loop) not in plan.counters else plan.counters[id(loop)]
    if id(loop) in plan.loop_lanes:  # a lane holds a value per iteration
        return f"len({plan.lanes[plan.loop_lanes[id(loop)][0]]})"
    return plan.counters.get(id(loop), "trips")


def _loops(body: list[gast.stmt]):
    """The loops directly in ``body`` (through branches, not inside other loops)."""
    for statement in body:
        if isinstance(statement, (gast.For, gast.While)):
            yield statement
        elif isinstance(statement, gast.If):
            yield from _loops(statement.body)
            yield from _loops(statement.orelse)


def _loops_with_counts(body: list[gast.stmt], count, outer: tuple[str, ...] = ()):
    """Every loop in ``body``, with the trip counts of it and the loops around it."""
    for loop in _loops(body):
        counts = (*outer, count(loop))
        yield loop, counts
        yield from _loops_with_counts(loop.body, count, counts)


def _own_statements(loop: gast.stmt):
    """The simple statements of ``loop``'s body, not those of loops nested in it."""
    pending = list(loop.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, gast.If):
            pending.extend(statement.body + statement.orelse)
        elif not isinstance(statement, (gast.For, gast.While)):
            yield statement
