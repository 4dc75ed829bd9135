"""A loop's bound read where it is used: ``range(xs.shape[0])``, not a temporary.

The lowering evaluates a ``for`` loop's sequence once, before the loop, into a temporary
(``_t2 = xs.shape[0]; for t in range(_t2)``), which the reverse sweep reads again
(``reversed(range(_t2))``). Where the temporary holds an element of the shape of a float64
array parameter the function never rebinds (an array's shape cannot change otherwise), the
read is written where the value is used, as a person writes it, and the temporary goes.

>>> import gast
>>> from s2sad.emit import to_source
>>> tree = gast.parse("def f(xs, h):\\n    _t2 = xs.shape[0]\\n"
...                   "    for t in range(_t2):\\n        h = h + xs[t]\\n"
...                   "    for t in reversed(range(_t2)):\\n        h = h * 2\\n"
...                   "    return h")
>>> inline_shape_reads(tree.body[0], frozenset({"xs"}), {"_t2"})
True
>>> print(to_source(tree.body[0]), end="")
def f(xs, h):
    for t in range(xs.shape[0]):
        h = h + xs[t]
    for t in reversed(range(xs.shape[0])):
        h = h * 2
    return h
"""

from __future__ import annotations

from collections import Counter

import gast

from s2sad.trees import copy_tree, walk


def inline_shape_reads(definition: gast.FunctionDef, float64_arrays: frozenset[str],
                       temporaries: set[str]) -> bool:
    """Write each temporary of ``temporaries`` bound once, at the top of ``definition``'s
    body, to ``x.shape[k]`` (``x`` one of ``float64_arrays`` never rebound) where it is
    read; whether any was."""
    stores = Counter(n.id for n in walk(definition)
                     if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store))
    changed = False
    for statement in list(definition.body):
        read = _shape_read(statement, float64_arrays, temporaries)
        if read is None:
            continue
        name, value = read
        array = value.value.value.id
        if stores[name] != 1 or stores[array] or _attribute_written(definition, array):
            continue
        definition.body.remove(statement)
        _replace_loads(definition, name, value)
        changed = True
    return changed


def _shape_read(statement: gast.stmt, float64_arrays: frozenset[str],
                temporaries: set[str]) -> tuple[str, gast.Subscript] | None:
    """``(t, x.shape[k])`` for ``t = x.shape[k]``, ``t`` a temporary, ``x`` a float64
    array parameter, ``k`` an int."""
    if not (isinstance(statement, gast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], gast.Name)
            and statement.targets[0].id in temporaries):
        return None
    value = statement.value
    if (isinstance(value, gast.Subscript) and isinstance(value.value, gast.Attribute)
            and value.value.attr == "shape" and isinstance(value.value.value, gast.Name)
            and value.value.value.id in float64_arrays
            and isinstance(value.slice, gast.Constant) and type(value.slice.value) is int):
        return statement.targets[0].id, value
    return None


def _attribute_written(definition: gast.FunctionDef, name: str) -> bool:
    """Whether ``definition`` assigns or deletes an attribute of ``name`` (``x.shape = ...``)."""
    return any(isinstance(n, gast.Attribute) and not isinstance(n.ctx, gast.Load)
               and isinstance(n.value, gast.Name) and n.value.id == name
               for n in walk(definition))


def _replace_loads(tree: gast.AST, name: str, value: gast.expr) -> None:
    for node in walk(tree):
        for field, child in gast.iter_fields(node):
            if _is_load(child, name):
                setattr(node, field, copy_tree(value))
            elif isinstance(child, list):
                for position, item in enumerate(child):
                    if _is_load(item, name):
                        child[position] = copy_tree(value)


def _is_load(node, name: str) -> bool:
    return isinstance(node, gast.Name) and node.id == name and isinstance(node.ctx, gast.Load)
