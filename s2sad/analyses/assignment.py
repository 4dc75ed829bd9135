"""Assignment: which variables hold a value before each branch and loop of a core body.

*Definitely* assigned: on every path that reaches it (the parameters, and assignments not
inside a branch taken only sometimes or a loop that may not run); the reverse sweep
shapes a zero adjoint like its variable only there. *Possibly* assigned: on some path;
a value the forward sweep saves inside a loop needs a variable to exist before the loop
(``None``) where it is not.

>>> import gast
>>> tree = gast.parse("def f(x):\\n    if x:\\n        a = x\\n        b = x\\n    else:\\n"
...                   "        a = x\\n    while a:\\n        c = a\\n    return c").body[0]
>>> branch, loop = tree.body[:2]
>>> facts = assignment_facts(tree.body, ['x'])
>>> sorted(facts.definite_before(loop)), sorted(facts.possible_before(loop))
(['a', 'x'], ['a', 'b', 'x'])
>>> sorted(facts.definite_before(branch)), sorted(facts.possible_before(branch))
(['x'], ['x'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import gast

from s2sad.analyses.operations import targets_of


@dataclass(frozen=True)
class AssignmentFacts:
    #: id of each branch and loop -> the names assigned on every path reaching it
    definite: dict[int, frozenset[str]]
    #: id of each branch and loop -> the names assigned on some path reaching it
    possible: dict[int, frozenset[str]]

    def definite_before(self, statement: gast.stmt) -> frozenset[str]:
        return self.definite.get(id(statement), frozenset())

    def possible_before(self, statement: gast.stmt) -> frozenset[str]:
        return self.possible.get(id(statement), frozenset())


def assignment_facts(body: list[gast.stmt], given: Iterable[str]) -> AssignmentFacts:
    """Both facts for every branch and loop of ``body``, which starts with the names
    ``given`` (the parameters) assigned."""
    definite: dict[int, frozenset[str]] = {}
    possible: dict[int, frozenset[str]] = {}

    def visit(body: list[gast.stmt], sure: set[str], maybe: set[str]):
        for statement in body:
            if isinstance(statement, gast.If):
                definite[id(statement)], possible[id(statement)] = frozenset(sure), frozenset(
                    maybe)
                sure_body, maybe_body = visit(statement.body, set(sure), set(maybe))
                sure_else, maybe_else = visit(statement.orelse, set(sure), set(maybe))
                sure, maybe = sure_body & sure_else, maybe_body | maybe_else
            elif isinstance(statement, (gast.For, gast.While)):
                definite[id(statement)], possible[id(statement)] = frozenset(sure), frozenset(
                    maybe)
                target = {statement.target.id} if isinstance(statement, gast.For) else set()
                maybe = visit(statement.body, sure | target, maybe | target)[1]
            else:
                sure = sure | set(targets_of(statement))
                maybe = maybe | set(targets_of(statement))
        return sure, maybe

    visit(body, set(given), set(given))
    return AssignmentFacts(definite, possible)
