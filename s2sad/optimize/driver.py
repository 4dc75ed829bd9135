"""The optimizer: its passes over a derivative, run until none changes anything.

Each pass rewrites the function's body in place and says whether it changed it; one
pass's change can enable another's (a propagated copy leaves an unread assignment, a
folded temporary frees a later fold), so the driver runs all of them again until a round
changes nothing; a last pass simplifies what folding composed. The passes keep the
operations (and the order of those that depend on each other), so the optimized derivative
computes the same bits as without them (a test checks every corpus function);
``s2sad.source(f, optimize=False)`` shows the code before any optimization.

>>> import gast, math
>>> from s2sad.emit import to_source
>>> from s2sad.naming import Namer
>>> namer = Namer({"x", "a", "x_bar"})
>>> t1, t2, t1_bar = namer.temp(), namer.temp(), namer.bar("_t1")
>>> tree = gast.parse(f"def f(x, a):\\n    {t1} = x * a\\n    {t2} = math.sin({t1})\\n"
...                   f"    x_bar = 1.0\\n    {t1_bar} = x_bar\\n"
...                   f"    x_bar = {t1_bar} * a\\n    return {t2}, x_bar")
>>> rounds = optimize_definition(tree.body[0], Effects({"math": math}), namer)
>>> print(to_source(tree.body[0]), end="")
def f(x, a):
    _t2 = math.sin(x * a)
    x_bar = 1.0
    x_bar = x_bar * a
    return _t2, x_bar
"""

from __future__ import annotations

import gast

from s2sad.analyses.effects import Effects, FactsCache
from s2sad.naming import Namer
from s2sad.optimize.algebra import simplify_values
from s2sad.optimize.copies import propagate_copies
from s2sad.optimize.dead_code import remove_unread
from s2sad.optimize.substitution import substitute_single_uses

#: a bound on the rounds (each round that changes something shrinks the code)
_ROUNDS = 20


def optimize_definition(definition: gast.FunctionDef, effects: Effects, namer: Namer) -> int:
    """Optimize ``definition``'s body in place; the number of rounds that changed it."""
    body = definition.body
    generated = namer.generated
    rounds = 0
    facts = FactsCache()  # shared: each pass forgets the statements it changes
    while rounds < _ROUNDS:
        changed = propagate_copies(body, generated, facts, effects)
        changed |= remove_unread(body, effects, generated, facts)
        changed |= substitute_single_uses(body, effects, namer.temporaries, generated, facts)
        if not changed:
            break
        rounds += 1
    if simplify_values(body, facts):  # what folding composed (rarely a new pattern)
        rounds += 1
    return rounds
