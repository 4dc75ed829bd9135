"""List comprehensions and generator expressions given to calls become loops appending to a
new list (a dict comprehension: writing entries of a new dict), before the statement, or
inside the branch that evaluates them; an assignment expression ``(n := e)`` becomes
``n = e`` there.

>>> import gast
>>> from s2sad.emit import to_source
>>> from s2sad.naming import Namer
>>> statement = gast.parse("y = sum(v * v for v in xs if v > 0)").body[0]
>>> hoisted, statement = lower_comprehensions(statement, Namer({"y", "v", "xs"}))
>>> print(to_source(gast.Module(body=hoisted + [statement], type_ignores=[])), end="")
_list1 = []
for v_ in xs:
    if v_ > 0:
        _list1.append(v_ * v_)
y = sum(_list1)
"""

from __future__ import annotations

import gast

from s2sad import nodes
from s2sad.naming import Namer
from s2sad.nodes import assign, located
from s2sad.trees import Transformer, copy_tree, walk


def lower_comprehensions(statement: gast.stmt, namer: Namer
                         ) -> tuple[list[gast.stmt], gast.stmt]:
    """``y = [e for v in xs if c]`` becomes ``_list1 = []``, ``for v1 in xs: if c:
    _list1.append(e)``, ``y = _list1`` (the loop variables renamed: they do not leak).
    A generator expression given to a call (``sum(e for v in xs)``) becomes the list of
    its values."""
    taking = _TakenOut(namer)
    statement = taking.visit(copy_tree(statement))
    return located(taking.hoisted, statement), statement


class _TakenOut(Transformer):
    """Replaces what ``lower_comprehensions`` takes out of a statement by a name, adding
    the statements that compute it to ``hoisted``."""

    def __init__(self, namer: Namer) -> None:
        self.namer = namer
        self.hoisted: list[gast.stmt] = []

    def visit_ListComp(self, node: gast.ListComp) -> gast.expr:
        name = self.namer.numbered("_list")
        self.hoisted.append(assign(name, gast.List(elts=[], ctx=gast.Load())))
        self.hoisted.append(_comprehension_loop(node, name, self.namer))
        return gast.copy_location(nodes.name(name), node)

    # a comprehension Python evaluates only on some paths stays on those paths:
    # a if c else [...] and a or [...] become branches assigning a variable
    def visit_IfExp(self, node: gast.IfExp) -> gast.expr:
        if not (has_comprehension(node.body) or has_comprehension(node.orelse)):
            return self.generic_visit(node)
        name = self.namer.fresh("_choice")
        self.hoisted.append(gast.If(test=node.test, body=[assign(name, node.body)],
                               orelse=[assign(name, node.orelse)]))
        return gast.copy_location(nodes.name(name), node)

    def visit_BoolOp(self, node: gast.BoolOp) -> gast.expr:
        rest = node.values[1:]
        if not any(has_comprehension(v) for v in rest):
            return self.generic_visit(node)
        name = self.namer.fresh("_either")
        self.hoisted.append(assign(name, node.values[0]))
        later = rest[0] if len(rest) == 1 else gast.BoolOp(op=node.op, values=rest)
        test = nodes.name(name) if isinstance(node.op, gast.And) else gast.UnaryOp(
            op=gast.Not(), operand=nodes.name(name))
        self.hoisted.append(gast.If(test=test, body=[assign(name, later)], orelse=[]))
        return gast.copy_location(nodes.name(name), node)

    def visit_Compare(self, node: gast.Compare) -> gast.expr:
        if not any(has_comprehension(c) for c in node.comparators[1:]):
            return self.generic_visit(node)
        # a < b < [...]: each operand evaluated once, a later one only when the
        # comparisons before it hold
        operands = [node.left] + list(node.comparators)
        result = self.namer.fresh("_either")

        def chain(previous: str, k: int) -> list[gast.stmt]:
            if k == len(node.ops) - 1:
                right, statements = operands[k + 1], []
            else:
                held = self.namer.fresh("_operand")
                right, statements = nodes.name(held), [assign(held, operands[k + 1])]
            statements.append(assign(result, gast.Compare(
                left=nodes.name(previous), ops=[node.ops[k]], comparators=[right])))
            if k < len(node.ops) - 1:
                statements.append(gast.If(test=nodes.name(result), body=chain(held, k + 1),
                                          orelse=[]))
            return statements

        first = self.namer.fresh("_operand")
        self.hoisted.append(assign(first, operands[0]))
        self.hoisted.extend(chain(first, 0))
        return gast.copy_location(nodes.name(result), node)

    def visit_DictComp(self, node: gast.DictComp) -> gast.expr:
        name = self.namer.numbered("_dict")
        self.hoisted.append(assign(name, gast.Dict(keys=[], values=[])))
        self.hoisted.append(_comprehension_loop(node, name, self.namer))
        return gast.copy_location(nodes.name(name), node)

    def visit_NamedExpr(self, node: gast.NamedExpr) -> gast.expr:
        # (n := e): n = e before the statement, which reads n
        value = self.visit(node.value)
        self.hoisted.append(assign(nodes.name(node.target.id, gast.Store), value))
        return gast.copy_location(nodes.name(node.target.id), node)

    def visit_GeneratorExp(self, node: gast.GeneratorExp) -> gast.expr:
        # an argument (sum(f(v) for v in xs)): the same values, made into a list
        return self.visit_ListComp(gast.ListComp(elt=node.elt,
                                                  generators=node.generators))


def _comprehension_loop(node: gast.ListComp | gast.DictComp, name: str,
                        namer: Namer) -> gast.stmt:
    """The loops of a list (``name.append(e)``) or dict (``name[k] = v``) comprehension."""
    renames: dict[str, str] = {}
    for generator in node.generators:
        for target in walk(generator.target):
            if isinstance(target, gast.Name):
                renames[target.id] = namer.fresh(target.id)
    node = _renamed(node, renames)
    inner: gast.stmt
    if isinstance(node, gast.DictComp):
        entry = gast.Subscript(value=nodes.name(name), slice=node.key, ctx=gast.Store())
        inner = assign(entry, node.value)
    else:
        append = gast.Attribute(value=nodes.name(name), attr="append", ctx=gast.Load())
        inner = gast.Expr(value=gast.Call(func=append, args=[node.elt], keywords=[]))
    for generator in reversed(node.generators):
        for condition in reversed(generator.ifs):
            inner = gast.If(test=condition, body=[inner], orelse=[])
        inner = gast.For(target=generator.target, iter=generator.iter, body=[inner],
                         orelse=[], type_comment=None)
    return inner


def has_comprehension(node: gast.AST) -> bool:
    """Whether ``node`` holds what this lowering takes out of its statement: a
    comprehension, a generator expression or an assignment expression (``:=``)."""
    return any(isinstance(n, (gast.ListComp, gast.GeneratorExp, gast.NamedExpr, gast.DictComp))
               for n in walk(node))



def _renamed(node: gast.AST, renames: dict[str, str]) -> gast.AST:
    node = copy_tree(node)
    for name in walk(node):
        if isinstance(name, gast.Name) and name.id in renames:
            name.id = renames[name.id]
    return node
