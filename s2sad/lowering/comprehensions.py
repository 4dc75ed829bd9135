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
    hoisted: list[gast.stmt] = []

    class Replace(Transformer):
        def visit_ListComp(inner, node: gast.ListComp) -> gast.expr:  # noqa: N805
            name = namer.numbered("_list")
            hoisted.append(assign(name, gast.List(elts=[], ctx=gast.Load())))
            hoisted.append(_comprehension_loop(node, name, namer))
            return gast.copy_location(nodes.name(name), node)

        # a comprehension Python evaluates only on some paths stays on those paths:
        # a if c else [...] and a or [...] become branches assigning a variable
        def visit_IfExp(inner, node: gast.IfExp) -> gast.expr:  # noqa: N805
            if not (has_comprehension(node.body) or has_comprehension(node.orelse)):
                return inner.generic_visit(node)
            name = namer.fresh("_choice")
            hoisted.append(gast.If(test=node.test, body=[assign(name, node.body)],
                                   orelse=[assign(name, node.orelse)]))
            return gast.copy_location(nodes.name(name), node)

        def visit_BoolOp(inner, node: gast.BoolOp) -> gast.expr:  # noqa: N805
            rest = node.values[1:]
            if not any(has_comprehension(v) for v in rest):
                return inner.generic_visit(node)
            name = namer.fresh("_either")
            hoisted.append(assign(name, node.values[0]))
            later = rest[0] if len(rest) == 1 else gast.BoolOp(op=node.op, values=rest)
            test = nodes.name(name) if isinstance(node.op, gast.And) else gast.UnaryOp(
                op=gast.Not(), operand=nodes.name(name))
            hoisted.append(gast.If(test=test, body=[assign(name, later)], orelse=[]))
            return gast.copy_location(nodes.name(name), node)

        def visit_Compare(inner, node: gast.Compare) -> gast.expr:  # noqa: N805
            if not any(has_comprehension(c) for c in node.comparators[1:]):
                return inner.generic_visit(node)
            # a < b < [...]: each operand evaluated once, a later one only when the
            # comparisons before it hold
            operands = [node.left] + list(node.comparators)
            result = namer.fresh("_either")

            def chain(previous: str, k: int) -> list[gast.stmt]:
                if k == len(node.ops) - 1:
                    right, statements = operands[k + 1], []
                else:
                    held = namer.fresh("_operand")
                    right, statements = nodes.name(held), [assign(held, operands[k + 1])]
                statements.append(assign(result, gast.Compare(
                    left=nodes.name(previous), ops=[node.ops[k]], comparators=[right])))
                if k < len(node.ops) - 1:
                    statements.append(gast.If(test=nodes.name(result), body=chain(held, k + 1),
                                              orelse=[]))
                return statements

            first = namer.fresh("_operand")
            hoisted.append(assign(first, operands[0]))
            hoisted.extend(chain(first, 0))
            return gast.copy_location(nodes.name(result), node)

        def visit_DictComp(inner, node: gast.DictComp) -> gast.expr:  # noqa: N805
            name = namer.numbered("_dict")
            hoisted.append(assign(name, gast.Dict(keys=[], values=[])))
            hoisted.append(_comprehension_loop(node, name, namer))
            return gast.copy_location(nodes.name(name), node)

        def visit_NamedExpr(inner, node: gast.NamedExpr) -> gast.expr:  # noqa: N805
            # (n := e): n = e before the statement, which reads n
            value = inner.visit(node.value)
            hoisted.append(assign(nodes.name(node.target.id, gast.Store), value))
            return gast.copy_location(nodes.name(node.target.id), node)

        def visit_GeneratorExp(inner, node: gast.GeneratorExp) -> gast.expr:  # noqa: N805
            # an argument (sum(f(v) for v in xs)): the same values, made into a list
            return inner.visit_ListComp(gast.ListComp(elt=node.elt,
                                                      generators=node.generators))

    statement = Replace().visit(copy_tree(statement))
    return located(hoisted, statement), statement


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
