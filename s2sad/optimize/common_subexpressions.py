"""Common-subexpression elimination across the adjoint updates of one statement.

The rules for each argument of a function are written separately, so they can repeat each
other's work: the adjoints of ``x = solve(A, b)`` both solve with ``A.T``. A call that
appears more than once among the right-hand sides of one reverse block is computed once,
into a temporary, before the block (where every right-hand side is evaluated anyway).
A call only a branch of ``a if c else b``, an ``and``/``or`` or a ``lambda`` may evaluate is
not computed before the block, where it could raise (a branch not taken is not evaluated
anyway); it is replaced by the temporary when another, sure, evaluation computes it.

>>> import gast
>>> from s2sad.emit import to_source
>>> parse = lambda text: gast.parse(text).body[0].value
>>> names = iter(["_t9"])
>>> hoisted, rewritten = hoist_common_calls(
...     [parse("-solve(A.T, g) @ x"), parse("uncol(solve(A.T, g))")], lambda: next(names))
>>> print(to_source(gast.Module(body=hoisted, type_ignores=[])), end="")
_t9 = solve(A.T, g)
>>> [to_source(gast.Expr(value=e)).strip() for e in rewritten]
['-_t9 @ x', 'uncol(_t9)']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import gast

from s2sad import nodes
from s2sad.trees import Transformer, copy_tree, walk


def hoist_common_calls(
    expressions: list[gast.expr],
    new_name: Callable[[], str],
    worth_it: Callable[[gast.Call], bool] = lambda call: True,
) -> tuple[list[gast.stmt], list[gast.expr]]:
    """Assignments computing each repeated call once, and the expressions using them.

    ``worth_it`` says which calls cost enough to be kept in a variable."""
    calls = [n for e in expressions for n in walk(e) if isinstance(n, gast.Call)]
    if len(calls) < 2 or len({_head(n) for n in calls}) == len(calls):
        return [], expressions  # no two calls of one function: nothing can repeat
    expressions = [copy_tree(e) for e in expressions]
    hoisted: list[gast.stmt] = []
    while True:
        calls = [n for e in expressions for n in walk(e) if isinstance(n, gast.Call)]
        heads = Counter(_head(n) for n in calls)
        known: dict[int, tuple] = {}  # the subtrees' keys, each made once
        keys = {id(n): _key(n, known) for n in calls if heads[_head(n)] > 1 and worth_it(n)}
        counts = Counter(keys.values())
        sure = {id(n) for e in expressions for n in _surely_evaluated(e)}
        sure_keys = {keys[i] for i in sure if i in keys}
        repeated = [key for key, count in counts.items() if count > 1 and key in sure_keys]
        if not repeated:
            return hoisted, expressions
        key = max(repeated, key=_size)  # the largest first: it contains the smaller ones
        node = next(n for n in calls if keys.get(id(n)) == key and id(n) in sure)
        name = new_name()
        hoisted.append(gast.Assign(targets=[nodes.name(name, gast.Store)],
                                   value=copy_tree(node), type_comment=None))
        expressions = [_Replace(key, name, known).visit(e) for e in expressions]


def worth_computing_once(bindings: dict[str, Any]) -> Callable[[gast.Call], bool]:
    """The calls worth a variable in generated code binding ``bindings``: all but
    ``conj`` (free for real values) and calls on constants only
    (``slice(None, None, None)``)."""
    from s2sad.runtime import conj

    def worth_it(call: gast.Call) -> bool:
        func = call.func
        if isinstance(func, gast.Name) and bindings.get(func.id) is conj:
            return False
        return not all(isinstance(a, gast.Constant) for a in call.args)

    return worth_it


def _surely_evaluated(node: gast.AST):
    """The calls in ``node`` that evaluating it always evaluates: not those only a branch of
    a conditional expression, a later operand of ``and``/``or``, a lambda's body or a
    comprehension's item may reach.

    >>> [c.func.id for c in _surely_evaluated(gast.parse("f(a) if g(b) else h(c)").body[0].value)]
    ['g']
    """
    if isinstance(node, gast.Call):
        yield node
    if isinstance(node, gast.IfExp):
        yield from _surely_evaluated(node.test)
    elif isinstance(node, gast.BoolOp):
        yield from _surely_evaluated(node.values[0])
    elif isinstance(node, (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp,
                           gast.GeneratorExp)):
        return
    else:
        for child in gast.iter_child_nodes(node):
            yield from _surely_evaluated(child)


def _head(call: gast.Call) -> str:
    """What a call calls, as text when it is a name or an attribute chain."""
    parts, node = [], call.func
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    parts.append(node.id if isinstance(node, gast.Name) else str(id(node)))
    return ".".join(reversed(parts))




def _key(node: object, known: dict[int, tuple]) -> object:
    """A hashable value equal for equal trees (constants keep their type: 1 is not 1.0);
    ``known`` keeps the keys of the nodes it has seen (with the nodes)."""
    if isinstance(node, gast.AST):
        found = known.get(id(node))
        if found is None:
            found = known[id(node)] = (node, (type(node).__name__,) + tuple(
                _key(getattr(node, f, None), known) for f in node._fields))
        return found[1]
    if isinstance(node, list):
        return tuple(_key(item, known) for item in node)
    return (type(node).__name__, node)


def _size(key: object) -> int:
    return sum(_size(part) for part in key) + 1 if isinstance(key, tuple) else 1


class _Replace(Transformer):
    def __init__(self, key: object, name: str, known: dict[int, tuple]) -> None:
        self.key = key
        self.name = name
        self.known = known

    def visit_Call(self, node: gast.Call) -> gast.expr:
        if _key(node, self.known) == self.key:
            return nodes.name(self.name, gast.Load)
        return self.generic_visit(node)
