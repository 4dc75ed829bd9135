"""Walking and copying gast trees.

``walk`` visits the nodes in the order of ``ast.walk`` (breadth first) and returns them as
a list, about twice as fast: the compiler walks trees thousands of times per derivative.
It reads the tree as it is when called; a pass that replaces nodes while walking sees the
nodes that were there when the walk began. ``copy_tree`` is ``copy.deepcopy`` for trees;
``Transformer`` is ``gast.NodeTransformer``, faster. Both walk and transformer skip the
fields of the commonest nodes that hold only strings or numbers (a name's ``id``).

>>> import gast
>>> [type(n).__name__ for n in walk(gast.parse("y = x + 1").body[0])]
['Assign', 'Name', 'BinOp', 'Store', 'Name', 'Add', 'Constant', 'Load']
"""

from __future__ import annotations

import ast

import gast

_AST = gast.AST

#: fields of the commonest nodes that hold a string or a number, never a node: not read
_LEAVES = {gast.Name: ("id", "type_comment"), gast.Constant: ("value", "kind"),
           gast.Attribute: ("attr",), gast.keyword: ("arg",), gast.Assign: ("type_comment",),
           gast.FunctionDef: ("name", "type_comment"), gast.For: ("type_comment",)}
#: node type -> the fields that may hold nodes
_BRANCHES: dict[type, tuple[str, ...]] = {}


def _branches(kind: type) -> tuple[str, ...]:
    leaves = _LEAVES.get(kind, ())
    fields = _BRANCHES[kind] = tuple(f for f in kind._fields if f not in leaves)
    return fields


def walk(node: gast.AST) -> list[gast.AST]:
    """``node`` and every node below it, breadth first."""
    found = [node]
    append = found.append
    branches = _BRANCHES
    for current in found:  # the list grows as it is read: a queue
        fields = branches.get(type(current))
        if fields is None:
            fields = _branches(type(current))
        for field in fields:
            child = getattr(current, field, None)
            if type(child) is list:
                for item in child:
                    if isinstance(item, _AST):
                        append(item)
            elif isinstance(child, _AST):
                append(child)
    return found


def names_in(nodes) -> list[str]:
    """The names the trees ``nodes`` mention, each once, in order of appearance.

    >>> names_in([gast.parse("a + b * a").body[0], gast.parse("c").body[0]])
    ['a', 'b', 'c']
    """
    found: dict[str, None] = {}
    for node in nodes:
        for name in walk(node):
            if isinstance(name, gast.Name):
                found.setdefault(name.id)
    return list(found)


def copy_tree(node, memo: dict | None = None):
    """A copy of ``node`` (or of a list of nodes) and of every node below it
    (``copy.deepcopy`` for gast trees, several times faster: attributes that are not nodes,
    line numbers and the like, are shared, and so is ``origin``, the user's statement a
    statement was made from; a node reached twice is copied once, so attributes that point
    back up the tree stay cycles)."""
    if memo is None:
        memo = {}
    if type(node) is list:
        return [copy_tree(item, memo) if isinstance(item, _AST) else item for item in node]
    if not isinstance(node, _AST):
        return node  # None, or a constant: nothing to copy
    done = memo.get(id(node))
    if done is not None:
        return done
    kind = type(node)
    copied = memo[id(node)] = kind.__new__(kind)
    attributes = copied.__dict__
    for key, value in node.__dict__.items():
        if type(value) is list:
            value = [copy_tree(item, memo) if isinstance(item, _AST) else item
                     for item in value]
        elif isinstance(value, _AST) and key != "origin":
            value = copy_tree(value, memo)
        attributes[key] = value
    return copied


_VISIT_CONSTANT = getattr(ast.NodeVisitor, "visit_Constant", None)


class Transformer(gast.NodeTransformer):
    """``gast.NodeTransformer`` with the same results, faster: each node type's
    ``visit_<Type>`` method is looked up once per class, and only the fields that may hold
    nodes are visited."""

    _methods: dict[type, str | None]

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._methods = {}

    def visit(self, node: gast.AST):
        kind = type(node)
        methods = type(self)._methods
        try:
            name = methods[kind]
        except KeyError:
            name = f"visit_{kind.__name__}"
            # ast.NodeVisitor's own visit_Constant only looks for deprecated methods
            name = methods[kind] = name if getattr(type(self), name, None) not in (
                None, _VISIT_CONSTANT) else None
        return self.generic_visit(node) if name is None else getattr(self, name)(node)

    def generic_visit(self, node: gast.AST) -> gast.AST:
        fields = _BRANCHES.get(type(node))
        for field in _branches(type(node)) if fields is None else fields:
            old = getattr(node, field, None)
            if type(old) is list:
                new = []
                for value in old:
                    if isinstance(value, _AST):
                        value = self.visit(value)
                        if value is None:
                            continue
                        if not isinstance(value, _AST):
                            new.extend(value)
                            continue
                    new.append(value)
                old[:] = new
            elif isinstance(old, _AST):
                value = self.visit(old)
                if value is None:
                    delattr(node, field)
                else:
                    setattr(node, field, value)
        return node
