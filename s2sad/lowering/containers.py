"""Lists changed in place, dicts built by ``dict(...)``, and the keys of ``sorted``, ``min``
and ``max``, in the forms the later passes know.

- ``xs.extend(ys)`` becomes a loop appending ``ys``'s items; ``xs.insert(i, v)``,
  ``y = xs.pop(i)`` and ``del xs[i]`` take the items after position ``i`` off the end
  into a list of their own, append or pop there, and put them back: appends and pops,
  whose derivatives exist, on the same list (a name sharing it sees the change, as in
  Python). ``check_list(xs, where)`` first makes anything but a list an error;
- ``del d[k]`` and ``y = d.pop(k)`` of a dict (told apart when they run: ``is_dict``)
  rebind ``d`` to ``removed_entry(d, k)``, a new dict (the mutation check refuses it
  where another name in use may hold ``d``);
- ``del name`` is dropped where nothing reads the name after it (else refused);
- ``dict(a=x)`` becomes ``{"a": x}``, ``dict(pairs)`` (``dict(zip(keys, values))``) the dict
  comprehension ``{k: v for k, v in pairs}`` (``pairs.items()`` for a name made a dict);
- ``sorted(xs, key=lambda v: e, reverse=r)`` becomes ``ordered(xs, [e for v in xs], r)``
  and ``min(xs, key=...)`` ``xs[extremum_position([e for v in xs], "min")]``: the keys
  decide the order and carry no derivative;
- ``map(f, xs)`` becomes ``[f(v) for v in xs]`` (over ``zip`` for several iterables);
- ``sum(d.values())`` and the other builtins reading a whole ``d.values()``,
  ``d.items()`` or ``d.keys()`` read a list of them made at that point.

>>> import gast
>>> from s2sad.emit import to_source
>>> from s2sad.naming import Namer
>>> statement = gast.parse("xs.insert(1, v)").body[0]
>>> lowering = ContainerLowering(Namer({"xs", "v"}), {}.get, {"xs", "v"},
...                              lambda f, stem: stem, lambda node, *why: SyntaxError(*why))
>>> print(to_source(gast.Module(body=lowering.statement(statement, 0), type_ignores=[])),
...       end="")
check_list(xs, 'xs.insert(i, v)')
_at = insert_position(xs, 1)
_tail = []
for _k in range(len(xs) - _at):
    _item = xs.pop()
    _tail.append(_item)
xs.append(v)
for _k_ in range(len(_tail)):
    _item_ = _tail.pop()
    xs.append(_item_)
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import gast

from s2sad import nodes
from s2sad.lift import PARTIAL
from s2sad.naming import Namer
from s2sad.nodes import assign, call, constant, located
from s2sad.runtime import sequences
from s2sad.trees import Transformer, copy_tree, walk

#: builtins that read a whole ``d.values()`` (``d.items()``, ``d.keys()``) at once
_READERS = (sum, list, tuple, sorted, min, max, len, any, all)
_VIEWS = ("items", "keys", "values")


class ContainerLowering:
    """Lowers the constructs of the module docstring in one function's statements.

    ``bound(function, stem)`` gives the name lowered code calls a runtime helper by;
    ``error(node, message, hint)`` makes the located error of what is refused.
    """

    def __init__(self, namer: Namer, resolve: Callable[[str], Any], locals: set[str],
                 bound: Callable[[Any, str], str], error: Callable[..., Exception],
                 function: gast.FunctionDef | None = None) -> None:
        self.namer = namer
        self.resolve = resolve
        self.locals = locals
        self.bound = bound
        self.error = error
        self.function = function

    # -- expressions: dict(...), keys of sorted/min/max, views read whole ---------------
    def expressions(self, statement: gast.stmt) -> gast.stmt:
        """``statement`` with the calls of its own expressions rewritten (of a compound
        statement, its test or sequence only)."""
        head = "test" if isinstance(statement, (gast.If, gast.While)) else \
            "iter" if isinstance(statement, gast.For) else None
        part = getattr(statement, head) if head else statement
        if not any(self._rewritten(n) for n in walk(part)):
            self._check_lambdas(part)
            return statement
        rewritten = _Calls(self).visit(copy_tree(part))
        self._check_lambdas(rewritten)
        if head is None:
            return rewritten
        statement = copy.copy(statement)
        setattr(statement, head, rewritten)
        return statement

    def _check_lambdas(self, part: gast.AST) -> None:
        for node in walk(part):
            if isinstance(node, gast.Lambda):
                raise self.error(node, "a lambda inside the function is supported as the "
                                 "key of sorted, min or max only",
                                 "bind it to a name first (g = lambda t: ...), then call g")

    def builtin(self, node: gast.AST, *functions: Any) -> bool:
        """Whether ``node`` calls one of Python's own ``functions`` by its name."""
        return (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
                and node.func.id not in self.locals
                and any(self.resolve(node.func.id) is f for f in functions))

    def _rewritten(self, node: gast.AST) -> bool:
        if self.builtin(node, dict):
            return True
        if self.builtin(node, sorted, min, max) and any(k.arg == "key" for k in node.keywords):
            return True
        if self.builtin(node, map):
            return True
        return self.builtin(node, *_READERS) and any(_view(a) for a in node.args)

    def keyed(self, node: gast.Call) -> gast.expr:
        """``sorted``, ``min`` or ``max`` given a ``key``: the keys computed by a list
        comprehension, which decide the order."""
        which = self.resolve(node.func.id)
        key = next(k.value for k in node.keywords if k.arg == "key")
        others = [k for k in node.keywords if k.arg != "key"]
        if isinstance(key, gast.Constant) and key.value is None:
            return gast.copy_location(gast.Call(func=node.func, args=node.args,
                                                keywords=others), node)
        if which is not sorted and others:
            raise self.error(others[0].value, f"{which.__name__}(..., key=...) with "
                             f"{others[0].arg}= is not supported",
                             "test for an empty sequence before the call")
        if which is sorted and len(node.args) != 1 or not node.args or any(
                isinstance(a, gast.Starred) for a in node.args):
            raise self.error(node, f"{which.__name__}(..., key=...) is supported with its "
                             "items as positional arguments only")
        variable, element = self._key_function(key)
        sequence = node.args[0] if len(node.args) == 1 else gast.List(
            elts=list(node.args), ctx=gast.Load())
        if isinstance(sequence, gast.Name):
            first, held = sequence, sequence.id
        else:
            held = self.namer.fresh("_sequence")
            first = gast.NamedExpr(target=nodes.store(held), value=sequence)
        keys = gast.ListComp(elt=element, generators=[gast.comprehension(
            target=nodes.store(variable), iter=nodes.load(held), ifs=[], is_async=0)])
        if which is sorted:
            reverse = next((k.value for k in others if k.arg == "reverse"), constant(False))
            result: gast.expr = call(self.bound(sequences.ordered, "ordered"), first, keys,
                                     reverse)
        else:
            position = call(self.bound(sequences.extremum_position, "extremum_position"),
                            keys, constant(which.__name__))
            result = gast.Subscript(value=first, slice=position, ctx=gast.Load())
        return _located_tree(result, node)

    def mapped(self, node: gast.Call) -> gast.expr:
        """``map(f, xs)`` as ``[f(v) for v in xs]`` (``map(f, xs, ys)`` over ``zip(xs,
        ys)``): a list, read as the iterator would be."""
        function = node.args[0] if node.args else None
        if len(node.args) < 2 or node.keywords or any(isinstance(a, gast.Starred)
                                                      for a in node.args):
            raise self.error(node, "map(...) is supported with a function and its iterables "
                             "as positional arguments only")
        if not (_name_chain(function) or isinstance(function, gast.Call)
                and isinstance(function.func, gast.Name) and function.func.id == PARTIAL):
            raise self.error(function, "map(f, ...) is supported with f a name or a lambda "
                             "written in the call", "bind the function to a name first")
        variables = [self.namer.fresh("_v") for _ in node.args[1:]]
        element = gast.Call(func=copy_tree(function), args=[nodes.load(v) for v in variables],
                            keywords=[])
        if isinstance(function, gast.Call) and len(function.args) == 1:
            # a nested function given the variables it reads, called with them directly
            element.func = copy_tree(function.args[0])
            element.keywords = copy_tree(function.keywords)
        if len(variables) == 1:
            target: gast.expr = nodes.store(variables[0])
            sequence = node.args[1]
        else:
            target = gast.Tuple(elts=[nodes.store(v) for v in variables], ctx=gast.Store())
            sequence = call(self.bound(zip, "zip"), *node.args[1:])
        made = gast.ListComp(elt=element, generators=[gast.comprehension(
            target=target, iter=sequence, ifs=[], is_async=0)])
        return _located_tree(made, node)

    def _key_function(self, key: gast.expr) -> tuple[str, gast.expr]:
        """The variable and the expression a key computes for each item."""
        if isinstance(key, gast.Lambda):
            arguments = key.args
            if len(arguments.args) != 1 or arguments.posonlyargs or arguments.vararg or \
                    arguments.kwarg or arguments.kwonlyargs or arguments.defaults:
                raise self.error(key, "a key lambda of one parameter without defaults is "
                                 "supported only", "write key=lambda v: ...")
            return arguments.args[0].id, key.body
        if isinstance(key, gast.Name):  # a function named, or held in a variable
            variable = self.namer.fresh("_v")
            return variable, gast.Call(func=nodes.load(key.id), args=[nodes.load(variable)],
                                       keywords=[])
        if isinstance(key, gast.Call) and isinstance(key.func, gast.Name) and \
                key.func.id == PARTIAL and len(key.args) == 1:  # a nested function: called
            variable = self.namer.fresh("_v")             # with the variables it reads
            return variable, gast.Call(func=copy_tree(key.args[0]), args=[
                nodes.load(variable)], keywords=copy_tree(key.keywords))
        raise self.error(key, "a key other than a lambda written in the call or a name "
                         "is not supported",
                         "write key=lambda v: ... in the call")

    def dict_call(self, node: gast.Call) -> gast.expr:
        """``dict()``, ``dict(a=x, ...)`` and ``dict(pairs)`` as a display or a dict
        comprehension."""
        if any(k.arg is None for k in node.keywords) or len(node.args) > 1 or (
                node.args and node.keywords) or any(isinstance(a, gast.Starred)
                                                    for a in node.args):
            raise self.error(node, "dict(...) is supported with keywords or with one "
                             "sequence of pairs only", "write a dict display {'a': x}")
        if not node.args:
            return gast.copy_location(gast.Dict(
                keys=[gast.copy_location(constant(k.arg), k.value) for k in node.keywords],
                values=[k.value for k in node.keywords]), node)
        key, value = self.namer.fresh("_key"), self.namer.fresh("_value")
        pair = gast.Tuple(elts=[nodes.store(key), nodes.store(value)], ctx=gast.Store())
        pairs = node.args[0]
        if isinstance(pairs, gast.Name) and self._made_as(pairs.id) == "dict":  # a copy
            pairs = gast.Call(func=gast.Attribute(value=pairs, attr="items", ctx=gast.Load()),
                              args=[], keywords=[])
        return _located_tree(gast.DictComp(key=nodes.load(key), value=nodes.load(value),
                                           generators=[gast.comprehension(
                                               target=pair, iter=pairs, ifs=[],
                                               is_async=0)]), node)

    def view_read(self, node: gast.Call) -> gast.expr:
        """``d.values()`` (``items``, ``keys``) read whole: a list of them, made now."""
        d = node.func.value
        if not isinstance(d, gast.Name):
            raise self.error(node, f"{node.func.attr}() of an expression read whole is not "
                             "supported", "bind the dict to a name first")
        keys = call(self.bound(sequences.dict_keys, "dict_keys"), nodes.load(d.id))
        if node.func.attr == "keys":
            return _located_tree(keys, node)
        key = self.namer.fresh("_key")
        entry = gast.Subscript(value=nodes.load(d.id), slice=nodes.load(key), ctx=gast.Load())
        if node.func.attr == "items":
            entry = gast.Tuple(elts=[nodes.load(key), entry], ctx=gast.Load())
        return _located_tree(gast.ListComp(elt=entry, generators=[gast.comprehension(
            target=nodes.store(key), iter=keys, ifs=[], is_async=0)]), node)

    # -- statements: lists changed in place, del ---------------------------------------
    def statement(self, statement: gast.stmt, loops: int) -> list[gast.stmt] | None:
        """The statements ``statement`` becomes, or ``None`` when it is left as it is."""
        if isinstance(statement, gast.Delete):
            lowered: list[gast.stmt] = []
            for target in statement.targets:
                lowered.extend(self._deleted(statement, target, loops))
            return located(lowered or [gast.Pass()], statement)
        value = getattr(statement, "value", None)
        method = _list_method(value)
        if method is None:
            return None
        if isinstance(statement, gast.Expr) and method == "extend" and len(value.args) == 1:
            return located(self._extended(statement, value), statement)
        if isinstance(statement, gast.Expr) and method == "insert" and len(value.args) == 2:
            return located(self._inserted(statement, value), statement)
        target = statement.targets[0] if isinstance(statement, gast.Assign) and len(
            statement.targets) == 1 else None
        if method == "pop" and len(value.args) == 1 and (
                target is not None or isinstance(statement, gast.Expr)):
            return located(self._removed(statement, value.func.value.id, value.args[0], "pop",
                                         target), statement)
        if method == "pop" and not value.args and isinstance(statement, gast.Expr):
            return located([assign(self.namer.fresh("_item"), value)], statement)
        return None

    def _where(self, statement: gast.stmt, text: str) -> gast.Constant:
        error = self.error(statement, text)
        return constant(str(error).splitlines()[0])

    def _extended(self, statement: gast.Expr, value: gast.Call) -> list[gast.stmt]:
        xs, items = value.func.value.id, value.args[0]
        if isinstance(items, gast.GeneratorExp) and any(
                isinstance(n, gast.Name) and n.id == xs for n in walk(items)):
            raise self.error(items, f"{xs}.extend(...) of a generator reading {xs}, which "
                             "changes while the generator runs, is not supported",
                             f"make a list first: {xs}.extend([...])")
        lowered: list[gast.stmt] = [self._check_list(statement, xs, "xs.extend(ys)")]
        if not isinstance(items, gast.Name):
            held = self.namer.fresh("_sequence")
            lowered.append(assign(held, items))
            items = nodes.load(held)
        item = self.namer.fresh("_item")
        lowered.append(gast.For(target=nodes.store(item), iter=items, body=[
            _appended(xs, nodes.load(item))], orelse=[], type_comment=None))
        return lowered

    def _inserted(self, statement: gast.Expr, value: gast.Call) -> list[gast.stmt]:
        xs = value.func.value.id
        lowered: list[gast.stmt] = [self._check_list(statement, xs, "xs.insert(i, v)")]
        index, item = (self._held(a, lowered) for a in value.args)
        at = self.namer.fresh("_at")
        position = call(self.bound(sequences.insert_position, "insert_position"),
                        nodes.load(xs), index)
        lowered.append(assign(at, position))
        after = gast.BinOp(left=call("len", nodes.load(xs)), op=gast.Sub(),
                           right=nodes.load(at))
        tail, off = self._taken_off(xs, after)
        lowered += off + [_appended(xs, item)] + self._put_back(xs, tail)
        return lowered

    def _removed(self, statement: gast.stmt, xs: str, index: gast.expr, what: str,
                 target: gast.expr | None) -> list[gast.stmt]:
        text = "xs.pop(i)" if what == "pop" else "del xs[i]"
        before: list[gast.stmt] = []
        index = self._held(index, before)
        popped = self.namer.fresh("_popped")
        from_dict: list[gast.stmt] = []
        if what == "pop":
            from_dict.append(assign(popped, gast.Subscript(
                value=nodes.load(xs), slice=copy_tree(index), ctx=gast.Load())))
        from_dict.append(assign(xs, call(self.bound(sequences.removed_entry, "removed_entry"),
                                         nodes.load(xs), copy_tree(index))))
        kind = self._made_as(xs)
        if kind == "dict":
            lowered = before + from_dict
        else:
            from_list = self._removed_from_list(statement, xs, index, what, text, popped)
            if kind == "list":
                lowered = before + from_list
            else:  # told apart when it runs (the list's writes first: see mutation.py)
                test = gast.UnaryOp(op=gast.Not(), operand=call(
                    self.bound(sequences.is_dict, "is_dict"), nodes.load(xs)))
                lowered = before + [gast.If(test=test, body=from_list, orelse=from_dict)]
        if target is not None:
            lowered.append(assign(copy_tree(target), nodes.load(popped)))
        return lowered

    def _made_as(self, name: str) -> str | None:
        """``"list"`` or ``"dict"`` when every assignment of ``name`` in the function makes
        one (a display, a comprehension, ``list(...)``, ``dict(...)``), else ``None``."""
        nodes_in = walk(self.function) if self.function is not None else []
        assigned = [n for n in nodes_in if isinstance(n, gast.Name) and n.id == name
                    and isinstance(n.ctx, (gast.Store, gast.Param))]
        simple = [n for n in nodes_in if isinstance(n, gast.Assign) and len(n.targets) == 1
                  and isinstance(n.targets[0], gast.Name) and n.targets[0].id == name]
        if not simple or len(simple) != len(assigned):
            return None
        kinds = {self._container_kind(n.value) for n in simple}
        return kinds.pop() if len(kinds) == 1 else None

    def _container_kind(self, value: gast.expr) -> str | None:
        if isinstance(value, (gast.List, gast.ListComp)) or self.builtin(value, list):
            return "list"
        if isinstance(value, (gast.Dict, gast.DictComp)) or self.builtin(value, dict):
            return "dict"
        return None

    def _removed_from_list(self, statement: gast.stmt, xs: str, index: gast.expr, what: str,
                           text: str, popped: str) -> list[gast.stmt]:
        lowered: list[gast.stmt] = [self._check_list(statement, xs, text)]
        at = self.namer.fresh("_at")
        position = call(self.bound(sequences.item_position, "item_position"),
                        nodes.load(xs), index, constant(what))
        lowered.append(assign(at, position))
        after = gast.BinOp(left=gast.BinOp(left=call("len", nodes.load(xs)), op=gast.Sub(),
                                           right=nodes.load(at)),
                           op=gast.Sub(), right=constant(1))
        tail, off = self._taken_off(xs, after)
        return lowered + off + [assign(popped, _popped(xs))] + self._put_back(xs, tail)

    def _deleted(self, statement: gast.Delete, target: gast.expr,
                 loops: int) -> list[gast.stmt]:
        if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name) and \
                not isinstance(target.slice, (gast.Slice, gast.Tuple)):
            return self._removed(statement, target.value.id, target.slice, "del", None)
        if isinstance(target, gast.Name):
            self._check_unread(statement, target, loops)
            return []
        raise self.error(target, "del is supported for a name and for an item of a list "
                         "(del xs[i]) only", "build a new value without the part")

    def _check_unread(self, statement: gast.Delete, target: gast.Name, loops: int) -> None:
        """``del name`` is dropped: refused where the name may be read after it."""
        where = (statement.lineno, statement.col_offset)
        read = loops > 0 or self.function is None or any(
            isinstance(n, gast.Name) and n.id == target.id and isinstance(n.ctx, gast.Load)
            and (n.lineno, n.col_offset) > where for n in walk(self.function))
        if read:
            raise self.error(statement, f"del {target.id} where {target.id!r} may be read "
                             "after it (or inside a loop) is not supported",
                             "remove the del, or give the later value another name")

    def _check_list(self, statement: gast.stmt, xs: str, text: str) -> gast.stmt:
        check = self.bound(sequences.check_list, "check_list")
        return gast.Expr(value=call(check, nodes.load(xs), self._where(statement, text)))

    def _held(self, value: gast.expr, lowered: list[gast.stmt]) -> gast.expr:
        """``value``, or a name it is assigned to first (evaluated in its turn)."""
        if isinstance(value, (gast.Name, gast.Constant)):
            return value
        held = self.namer.fresh("_operand")
        lowered.append(assign(held, value))
        return nodes.load(held)

    def _taken_off(self, xs: str, count: gast.expr) -> tuple[str, list[gast.stmt]]:
        """A new list ``tail`` and the loop popping ``count`` items of ``xs`` into it."""
        tail, item = self.namer.fresh("_tail"), self.namer.fresh("_item")
        loop = gast.For(target=nodes.store(self.namer.fresh("_k")), iter=call("range", count),
                        body=[assign(item, _popped(xs)), _appended(tail, nodes.load(item))],
                        orelse=[], type_comment=None)
        return tail, [assign(tail, gast.List(elts=[], ctx=gast.Load())), loop]

    def _put_back(self, xs: str, tail: str) -> list[gast.stmt]:
        item = self.namer.fresh("_item")
        return [gast.For(target=nodes.store(self.namer.fresh("_k")),
                         iter=call("range", call("len", nodes.load(tail))),
                         body=[assign(item, _popped(tail)), _appended(xs, nodes.load(item))],
                         orelse=[], type_comment=None)]


class _Calls(Transformer):
    """Rewrites the calls ``ContainerLowering.expressions`` lowers, innermost first."""

    def __init__(self, lowering: ContainerLowering) -> None:
        self.lowering = lowering

    def visit_Call(self, node: gast.Call) -> gast.expr:
        node = self.generic_visit(node)
        lowering = self.lowering
        if lowering.builtin(node, dict):
            return lowering.dict_call(node)
        if lowering.builtin(node, *_READERS):
            node.args = [lowering.view_read(a) if _view(a) else a for a in node.args]
        if lowering.builtin(node, sorted, min, max) and any(
                k.arg == "key" for k in node.keywords):
            return lowering.keyed(node)
        if lowering.builtin(node, map):
            return lowering.mapped(node)
        return node


def _name_chain(node: gast.AST) -> bool:
    """``f``, ``np.sin``: a name, or attributes read from one."""
    while isinstance(node, gast.Attribute):
        node = node.value
    return isinstance(node, gast.Name)


def _view(node: gast.AST) -> bool:
    return (isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute)
            and node.func.attr in _VIEWS and not node.args and not node.keywords)


def _list_method(value: Any) -> str | None:
    if isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute) and \
            isinstance(value.func.value, gast.Name) and not value.keywords and \
            value.func.attr in ("extend", "insert", "pop") and not any(
                isinstance(a, gast.Starred) for a in value.args):
        return value.func.attr
    return None


def _appended(xs: str, value: gast.expr) -> gast.stmt:
    append = gast.Attribute(value=nodes.load(xs), attr="append", ctx=gast.Load())
    return gast.Expr(value=gast.Call(func=append, args=[value], keywords=[]))


def _popped(xs: str) -> gast.expr:
    pop = gast.Attribute(value=nodes.load(xs), attr="pop", ctx=gast.Load())
    return gast.Call(func=pop, args=[], keywords=[])


def _located_tree(node: gast.expr, where: gast.AST) -> gast.expr:
    """``node`` with its new parts at ``where``'s position."""
    for part in walk(node):
        if isinstance(part, gast.expr) and \
                getattr(part, "lineno", None) is None:
            gast.copy_location(part, where)
            part.end_lineno = getattr(where, "end_lineno", None)
            part.end_col_offset = getattr(where, "end_col_offset", None)
    return node

