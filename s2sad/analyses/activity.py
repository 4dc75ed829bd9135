"""Activity: a value needs a derivative only if it is varied and useful.

*Varied*: it depends on an input we differentiate with respect to. *Useful*: the output
depends on it. Names that are both are *active*; every other value is a symbolic zero
and gets no derivative code at all. The analysis is per name and flow-insensitive (a
name is active if any of its definitions is), iterated to a fixed point: conservative,
never wrong, and exact for the usual one-definition-per-name code.

>>> import gast
>>> from s2sad.analyses.operations import Operation
>>> def op(target, *reads):
...     statement = gast.parse(f"{target} = 0").body[0]
...     names = [gast.Name(id=r, ctx=gast.Load(), annotation=None, type_comment=None)
...              for r in reads]
...     return Operation("display", statement, operands=names)
>>> ops = [op("n", "k"), op("h", "x", "n"), op("y", "h"), op("z", "x")]
>>> sorted(active_names(ops, inputs={"x"}, outputs={"y"}))
['h', 'x', 'y']
"""

from __future__ import annotations

from collections.abc import Iterable

from s2sad.analyses.operations import Operation, targets_of


def active_names(operations: Iterable[Operation], inputs: set[str], outputs: set[str]) -> set[str]:
    operations = list(operations)
    edges = [(op.names_read(), targets_of(op.statement)) for op in operations]
    varied = set(inputs)
    changed = True
    while changed:
        changed = False
        for reads, targets in edges:
            if any(r in varied for r in reads):
                for t in targets:
                    if t not in varied:
                        varied.add(t)
                        changed = True
    useful = set(outputs)
    changed = True
    while changed:
        changed = False
        for reads, targets in edges:
            if any(t in useful for t in targets):
                for r in reads:
                    if r not in useful:
                        useful.add(r)
                        changed = True
    return varied & useful
