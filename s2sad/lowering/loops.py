"""Loops over sequences become loops over indices: ``for x in xs`` becomes
``for _k in range(len(xs)): x = xs[_k]`` (``check_sequence(xs)`` first: a dict, a set or a
generator is an error), and likewise ``enumerate``, ``zip`` and ``reversed``; a loop over
``s2sad.checkpointed(values, S)`` is marked for checkpointing.

>>> import gast
>>> from s2sad.emit import to_source
>>> from s2sad.naming import Namer
>>> loop = gast.parse("for i, x in enumerate(xs):\\n    s = s + i * x").body[0]
>>> indexed, before, header = SequenceLoops(Namer({"xs", "s"}), {"enumerate": enumerate}.get,
...                                         {"s", "i", "x"}, {}).indexed(loop)
>>> indexed.body = header + indexed.body
>>> print(to_source(gast.Module(body=before + [indexed], type_ignores=[])), end="")
check_sequence(xs)
for i in range(len(xs)):
    x = xs[i]
    s = s + i * x
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

import gast

from s2sad import nodes
from s2sad.naming import Namer
from s2sad.nodes import assign, call, constant, located
from s2sad.trees import copy_tree, walk


class SequenceLoops:
    """Lowers the ``for`` loops of one function. ``resolve`` maps a free name to the object
    it refers to (``range``, ``zip``, ...), so a user's own ``zip`` is left alone; ``locals``
    are the function's own names; ``extra`` receives the functions lowered code calls."""

    def __init__(self, namer: Namer, resolve: Callable[[str], Any], locals: set[str],
                 extra: dict[str, Any], dicts: frozenset[str] = frozenset()) -> None:
        self.namer = namer
        self.resolve = resolve
        self.locals = locals
        self.extra = extra
        #: names that only ever hold a dict the function makes (``dict_names``): a loop
        #: over one runs over its keys, as ``d.keys()``
        self.dicts = dicts

    def builtin(self, node: gast.expr, function: Any) -> bool:
        return (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
                and node.func.id not in self.locals and self.resolve(node.func.id) is function
                and not node.keywords)

    def indexed(self, loop: gast.For):
        """``loop`` over a range, the statements to run before it, and those that start its
        body (binding the user's loop variables)."""
        loop = self._unmarked(loop)
        iterable, target = loop.iter, loop.target
        assigned = {n.id for s in loop.body for n in walk(s)
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        over_range = self.builtin(iterable, range)
        if (self.builtin(iterable, reversed) and len(iterable.args) == 1
                and self.builtin(iterable.args[0], range)):
            over_range = True
            loop = _with_iter(loop, gast.Subscript(value=iterable.args[0], slice=gast.Slice(
                lower=None, upper=None, step=constant(-1)), ctx=gast.Load()))
        if over_range and isinstance(target, gast.Name):
            if target.id not in assigned:
                return loop, [], []
            # the body rebinds the loop variable: the loop runs over an index of its own
            index = self.namer.fresh("_k")
            header = [assign(_as_store(target), nodes.name(index))]
            return _with_target(loop, index), [], located(header, loop)
        if (self.builtin(iterable, enumerate) and len(iterable.args) in (1, 2)
                and self.builtin(iterable.args[0], zip)
                and isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == 2):
            return self._enumerated_zip(loop)
        return self._over_items(loop, assigned)

    def _unmarked(self, loop: gast.For) -> gast.For:
        """A loop over ``checkpointed(values, snapshots, schedule)``: the loop over
        ``values``, marked with the options (``loop.snapshots``, ``loop.schedule``)."""
        from s2sad.checkpointing import checkpointed

        iterable = loop.iter
        if not (isinstance(iterable, gast.Call)
                and isinstance(iterable.func, (gast.Name, gast.Attribute))
                and self.resolve_chain(iterable.func) is checkpointed and iterable.args):
            return loop
        options = dict(zip(("snapshots", "schedule"), iterable.args[1:]))
        options.update((k.arg, k.value) for k in iterable.keywords)
        loop = _with_iter(loop, iterable.args[0])
        loop.snapshots = options.get("snapshots", constant(100))
        loop.schedule = options.get("schedule", constant("binomial"))
        return loop

    def _enumerated_zip(self, loop: gast.For):
        """``for i, (a, b) in enumerate(zip(A, B), start)``: the zip's own index, counted."""
        iterable, target = loop.iter, loop.target
        inner = copy.copy(loop)
        inner.iter, inner.target = iterable.args[0], target.elts[1]
        inner, before, header = self.indexed(inner)
        count = nodes.name(inner.target.id)
        if len(iterable.args) == 2:
            count = gast.BinOp(left=count, op=gast.Add(), right=iterable.args[1])
        header = located([assign(_as_store(target.elts[0]), count)], loop) + header
        return _with_iter(inner, inner.iter), before, header

    def _over_items(self, loop: gast.For, assigned: set[str]):
        """A loop over the items of sequences (``enumerate``, ``zip``, ``reversed`` or one
        sequence) as a loop over their positions."""
        iterable, target = loop.iter, loop.target
        before: list[gast.stmt] = []
        index = self.namer.fresh("_k")
        if self.builtin(iterable, enumerate) and len(iterable.args) in (1, 2):
            held = self._sequence(iterable.args[0], assigned, before)
            count = call("len", copy_tree(held))
            start = iterable.args[1] if len(iterable.args) == 2 else None
            if (isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == 2
                    and isinstance(target.elts[0], gast.Name) and start is None
                    and target.elts[0].id not in assigned):
                index = target.elts[0].id
                header = [assign(_as_store(target.elts[1]), _item(held, index))]
            else:
                number = nodes.name(index) if start is None else gast.BinOp(
                    left=nodes.name(index), op=gast.Add(), right=start)
                pair = gast.Tuple(elts=[number, _item(held, index)], ctx=gast.Load())
                header = [assign(_as_store(target), pair)]
        elif self.builtin(iterable, zip) and iterable.args:
            count, header = self._zipped(iterable, target, index, assigned, before)
        elif _dict_view(iterable):
            return self._over_dict(loop, assigned)
        elif isinstance(iterable, gast.Name) and iterable.id in self.dicts:
            keys = gast.Call(func=gast.Attribute(value=iterable, attr="keys", ctx=gast.Load()),
                             args=[], keywords=[])
            return self._over_dict(_with_iter(loop, keys), assigned)
        elif self.builtin(iterable, reversed) and len(iterable.args) == 1:
            held = self._sequence(iterable.args[0], assigned, before)
            length = call("len", copy_tree(held))
            last = gast.BinOp(left=length, op=gast.Sub(), right=constant(1))
            loop = _with_iter(loop, call("range", last, constant(-1), constant(-1)))
            header = [assign(_as_store(target), _item(held, index))]
            return _with_target(loop, index), before, located(header, loop)
        else:
            held = self._sequence(iterable, assigned, before)
            count = call("len", copy_tree(held))
            header = [assign(_as_store(target), _item(held, index))]
        loop = _with_target(_with_iter(loop, call("range", count)), index)
        return loop, located(before, loop), located(header, loop)

    def _over_dict(self, loop: gast.For, assigned: set[str]):
        """``for k, v in d.items()`` (``d.keys()``, ``d.values()``): a loop over the keys
        ``d`` has when it starts, reading ``d[k]`` at each; Python's ``RuntimeError`` if
        they change meanwhile."""
        from s2sad.runtime.sequences import check_same_keys, dict_keys

        view, target = loop.iter.func.attr, loop.target
        before: list[gast.stmt] = []
        d = loop.iter.func.value
        if not (isinstance(d, gast.Name) and d.id not in assigned):
            held = self.namer.fresh("_dict")
            before.append(assign(held, d))
            d = nodes.name(held)
        keys, index = self.namer.fresh("_keys"), self.namer.fresh("_k")
        before.append(assign(keys, call(self.bound(dict_keys, "dict_keys"), copy_tree(d))))
        check = gast.Expr(value=call(self.bound(check_same_keys, "check_same_keys"),
                                     copy_tree(d), nodes.name(keys)))
        key = _item(nodes.name(keys), index)
        entry = gast.Subscript(value=copy_tree(d), slice=key, ctx=gast.Load())
        if view == "keys":
            header = [assign(_as_store(target), key)]
        elif view == "values":
            header = [assign(_as_store(target), entry)]
        elif isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == 2:
            name = self.namer.fresh("_key")
            entry = gast.Subscript(value=copy_tree(d), slice=nodes.name(name), ctx=gast.Load())
            header = [assign(name, key), assign(_as_store(target.elts[0]), nodes.name(name)),
                      assign(_as_store(target.elts[1]), entry)]
        else:
            header = [assign(_as_store(target), gast.Tuple(elts=[key, entry],
                                                           ctx=gast.Load()))]
        loop = _with_target(_with_iter(loop, call("range", call("len", nodes.name(keys)))),
                            index)
        loop.orelse = [copy_tree(check)] + list(loop.orelse)
        return loop, located(before, loop), located([check] + header, loop)

    def _zipped(self, iterable: gast.Call, target: gast.expr, index: str, assigned: set[str],
                before: list[gast.stmt]):
        """The count and the header of a loop over ``zip(...)``; ``zip(reversed(xs), ...)``
        reads ``xs`` from its end."""
        backwards = [self.builtin(a, reversed) and len(a.args) == 1 for a in iterable.args]
        helds = [self._sequence(a.args[0] if back else a, assigned, before)
                 for a, back in zip(iterable.args, backwards)]
        lengths = [call("len", copy_tree(h)) for h in helds]
        count = lengths[0] if len(lengths) == 1 else call("min", *lengths)
        items = [_item_from_end(h, index) if back else _item(h, index)
                 for h, back in zip(helds, backwards)]
        if isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == len(items):
            header = [assign(_as_store(t), i) for t, i in zip(target.elts, items)]
        else:
            header = [assign(_as_store(target), gast.Tuple(elts=items, ctx=gast.Load()))]
        return count, header

    def _sequence(self, node: gast.expr, assigned: set[str],
                  before: list[gast.stmt]) -> gast.expr:
        """A name for ``node`` that the loop body does not rebind (``assigned``), checked to
        be readable by position (not a dict, set or generator) by statements added to
        ``before``."""
        if not (isinstance(node, gast.Name) and node.id not in assigned):
            held = self.namer.fresh("_sequence")
            before.append(assign(held, node))
            node = nodes.name(held)
        check = self.checker()
        before.append(gast.Expr(value=call(check, copy_tree(node))))
        return node

    def checker(self) -> str:
        """The name under which lowered code calls ``check_sequence``."""
        from s2sad.runtime.core import check_sequence

        return self.bound(check_sequence, "check_sequence")

    def bound(self, function: Any, stem: str) -> str:
        """The name under which lowered code calls ``function``, a runtime helper."""
        for name, value in self.extra.items():
            if value is function:
                return name
        name = self.namer.fresh(stem)
        self.extra[name] = function
        return name

    def resolve_chain(self, node: gast.expr) -> Any:
        """The object a name or attribute chain (``s2sad.checkpointed``) refers to."""
        if isinstance(node, gast.Name):
            return None if node.id in self.locals else self.resolve(node.id)
        if isinstance(node, gast.Attribute):
            return getattr(self.resolve_chain(node.value), node.attr, None)
        return None


def dict_names(function: gast.FunctionDef, resolve: Callable[[str], Any]) -> frozenset[str]:
    """The names (not parameters) every binding of which makes a new dict: a display, a
    dict comprehension or a call of ``dict``.

    >>> tree = gast.parse("def f(p):\\n    d = {}\\n    e = dict(a=p)\\n    e = p\\n"
    ...                   "    g = {k: p for k in 'ab'}").body[0]
    >>> sorted(dict_names(tree, {"dict": dict}.get))
    ['d', 'g']
    """
    made: dict[str, bool] = {}
    for node in walk(function):
        targets = node.targets if isinstance(node, gast.Assign) else []
        for target in targets:
            if isinstance(target, gast.Name):
                value = node.value
                new = isinstance(value, (gast.Dict, gast.DictComp)) or (
                    isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
                    and resolve(value.func.id) is dict and len(targets) == 1)
                made[target.id] = made.get(target.id, True) and new
    assignments = Counter(n.id for node in walk(function) if isinstance(node, gast.Assign)
                          for n in node.targets if isinstance(n, gast.Name))
    bindings = Counter(n.id for n in walk(function)  # also for targets, +=, := and with
                       if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store))
    parameters = {a.id for a in function.args.args + function.args.posonlyargs
                  + function.args.kwonlyargs}
    return frozenset(name for name, new in made.items() if new and name not in parameters
                     and bindings[name] == assignments[name])


def _dict_view(node: gast.expr) -> bool:
    """Whether ``node`` is ``d.items()``, ``d.keys()`` or ``d.values()``."""
    return (isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute)
            and node.func.attr in ("items", "keys", "values") and not node.args
            and not node.keywords)


def _item(held: gast.expr, index: str) -> gast.Subscript:
    return gast.Subscript(value=copy_tree(held), slice=nodes.name(index), ctx=gast.Load())


def _item_from_end(held: gast.expr, index: str) -> gast.Subscript:
    last = gast.BinOp(left=call("len", copy_tree(held)), op=gast.Sub(), right=constant(1))
    position = gast.BinOp(left=last, op=gast.Sub(), right=nodes.name(index))
    return gast.Subscript(value=copy_tree(held), slice=position, ctx=gast.Load())


def _as_store(target: gast.expr) -> gast.expr:
    """A copy of a loop target to assign to (its names and tuples in the store context)."""
    target = copy_tree(target)

    def mark(node: gast.expr) -> None:
        node.ctx = gast.Store()
        if isinstance(node, (gast.Tuple, gast.List)):
            for element in node.elts:
                mark(element)

    mark(target)
    return target


def _with_iter(loop: gast.For, iterable: gast.expr) -> gast.For:
    result = copy.copy(loop)
    result.iter = gast.copy_location(iterable, loop.iter)
    return result


def _with_target(loop: gast.For, index: str) -> gast.For:
    result = copy.copy(loop)  # (a copy keeps the marks: snapshots)
    result.target = gast.copy_location(nodes.name(index, gast.Store), loop.target)
    return result
