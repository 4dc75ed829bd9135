"""What the reverse sweep reads of the primal variables, for the to-be-recorded analysis:
in each adjoint block, before and after each reversed branch and loop, and which names it
reads only for their shape and dtype (``unbroadcast(g, x)``)."""

from __future__ import annotations

import gast

from s2sad.analyses.to_be_recorded import ReverseReads
from s2sad.nodes import names_read
from s2sad.transforms.reversed_nodes import ReversedIf, ReversedStatement, walk_reversed
from s2sad.trees import walk


def reverse_reads(nodes: list, primal: set[str], bindings: dict, viewers: dict[str, set[str]],
                  in_place: set[str]) -> ReverseReads:
    """What the reversed statements ``nodes`` read of the ``primal`` variables, for the
    to-be-recorded analysis (``bindings``: what the generated code's names refer to)."""
    block, nonempty, before, fills, filled = {}, set(), {}, {}, set()
    for node in walk_reversed(nodes):
        key = id(node.statement)
        if isinstance(node, ReversedStatement):
            block[key] = _reads_of(node.block, primal)
            if node.block:
                nonempty.add(key)
            continue
        before[key] = _reads_of(node.before, primal)
        parts = (node.fills_body, node.fills_orelse) if isinstance(node, ReversedIf) \
            else (node.fills,)
        fills[key] = tuple(_reads_of(part, primal) for part in parts)
        if any(parts):
            filled.add(key)
    for_shape, for_value = _shape_and_value_reads(nodes, bindings)
    return ReverseReads(block, nonempty, for_shape, for_value, before, fills, filled,
                        viewers, in_place)


def _reads_of(statements: list[gast.stmt], primal: set[str]) -> set[str]:
    """The primal variables that statements of the reverse sweep read."""
    return set().union(*(names_read(s) for s in statements)) & primal


def _shape_and_value_reads(nodes: list, bindings: dict) -> tuple[set[str], set[str]]:
    """The names the adjoint blocks read as an argument a runtime helper takes for its
    shape and dtype (``unbroadcast(g, x)``), and those they read otherwise."""
    positions = {id(helper): spots for helper, spots in _shape_only_arguments().items()}
    for_shape: set[str] = set()
    for_value: set[str] = set()
    for statement in (s for node in walk_reversed(nodes) for s in getattr(node, "block", [])):
        inside = walk(statement)
        spared = [argument for used in inside if isinstance(used, gast.Call)
                  for argument in _shape_arguments(used, positions, bindings)]
        for_shape |= {argument.id for argument in spared}
        spared_ids = {id(argument) for argument in spared}
        for_value |= {n.id for n in inside if isinstance(n, gast.Name)
                      and isinstance(n.ctx, gast.Load) and id(n) not in spared_ids}
    return for_shape, for_value


def _shape_arguments(used: gast.Call, positions: dict, bindings: dict) -> list[gast.Name]:
    """The names a call of a runtime helper passes it for their shape and dtype only."""
    helper = bindings.get(getattr(used.func, "id", None))
    return [used.args[spot] for spot in positions.get(id(helper), ())
            if spot < len(used.args) and isinstance(used.args[spot], gast.Name)]


def _shape_only_arguments() -> dict:
    """Runtime helpers, and the positions of the arguments they read for their shape, dtype
    and type only."""
    from s2sad.runtime import core, indexing, products

    return {core.unbroadcast: (1,), core.unreduce: (1,), core.zeros_like: (0,),
            core.match: (1,), indexing.getitem_adjoint: (1,), indexing.setitem_adjoint: (2,),
            indexing.owned: (1,), products.matmul_adjoint_a: (1,),
            products.matmul_adjoint_b: (2,)}
