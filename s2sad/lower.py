"""Lower: give loops and jumps the few shapes the later passes understand.

After this pass, on the user's (not yet normalized) tree:

- every ``for`` loop runs over ``range(...)`` (or a name holding a range), with a loop
  variable its body does not rebind: ``for x in xs``
  becomes ``for _k in range(len(xs)): x = xs[_k]``, and likewise ``enumerate``, ``zip`` and
  ``reversed`` (``check_sequence(xs)`` first: a dict, a set or a generator is an error);
- ``continue`` and ``break`` sit in tail position: nothing in their loop body runs after
  them (the statements that followed a conditional jump move into the branch that does not
  jump);
- ``for/else`` and ``while/else`` are gone (a flag records whether the loop broke);
- a ``return`` inside a loop sets a flag and breaks, and the function has one ``return``,
  its last statement.

>>> import gast
>>> from s2sad.emit import to_source
>>> source = '''
... def f(xs, t):
...     for x in xs:
...         if x > t:
...             return x
...         t = t * 2.0
...     return t
... '''
>>> tree = gast.parse(source).body[0]
>>> print(to_source(JumpLowering(Namer(names_in(tree)), {}.get).function(tree)), end="")
def f(xs, t):
    _returned = False
    check_sequence(xs)
    for _k in range(len(xs)):
        x = xs[_k]
        if x > t:
            _y = x
            _returned = True
            break
        else:
            t = t * 2.0
    if _returned:
        pass
    else:
        _y = t
    return _y
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from typing import Any

import gast

from s2sad import nodes
from s2sad.callees import LazyDerivative
from s2sad.frontend import ParsedFunction
from s2sad.naming import Namer, names_in
from s2sad.nodes import assign, call, constant
from s2sad.trees import Transformer, copy_tree, walk

__all__ = ["JumpLowering", "Namer", "lower_jumps", "names_in"]

_LOOPS = (gast.For, gast.While)
_JUMPS = (gast.Return, gast.Break, gast.Continue)










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


def _located(statements: list[gast.stmt], where: gast.AST) -> list[gast.stmt]:
    """``statements``, made for ``where``, at its position (of a compound statement, its
    first line)."""
    compound = isinstance(where, (gast.If, gast.For, gast.While))
    for statement in statements:
        for node in walk(statement):
            if getattr(node, "lineno", None) is None and hasattr(where, "lineno"):
                gast.copy_location(node, where)
                node.end_lineno = where.lineno if compound else where.end_lineno
                node.end_col_offset = None if compound else where.end_col_offset
    return statements


def always_jumps(block: list[gast.stmt]) -> bool:
    """Whether every path through ``block`` ends in a return, break or continue."""
    return any(_always(statement) for statement in block)


def _always(statement: gast.stmt) -> bool:
    if isinstance(statement, _JUMPS):
        return True
    if isinstance(statement, gast.If):
        return always_jumps(statement.body) and always_jumps(statement.orelse)
    return False


def may_jump(statement: gast.stmt) -> bool:
    """Whether some path through ``statement`` leaves it by a jump (after lowering, a loop
    never does: its returns became breaks and a test after it)."""
    if isinstance(statement, _JUMPS):
        return True
    if isinstance(statement, gast.If):
        return any(may_jump(s) for s in statement.body + statement.orelse)
    return False


def lower_jumps(parsed: ParsedFunction, namer: Namer) -> tuple[ParsedFunction, gast.FunctionDef]:
    """The function with its loops and jumps lowered, and ``parsed`` with the functions the
    lowered loops call (``parsed.extra``)."""
    lowering = JumpLowering(namer, parsed.resolve, dict(parsed.extra))
    lowered = lowering.function(parsed.node)
    if set(lowering.extra) - set(parsed.extra):
        parsed = dataclasses.replace(parsed, extra=lowering.extra)
    return parsed, lowered


class JumpLowering:
    """Lowers one function definition (see the module docstring).

    ``resolve`` maps a free name to the object it refers to (``range``, ``zip``, ...), so
    a user's own ``zip`` is left alone.
    """

    def __init__(self, namer: Namer, resolve: Callable[[str], Any],
                 extra: dict[str, Any] | None = None) -> None:
        self.namer = namer
        self.resolve = resolve
        #: names the lowered code calls that the function does not define (the check that
        #: a loop's values can be read by position), with their objects
        self.extra = extra if extra is not None else {}
        self.result: str | None = None
        self.returned: str | None = None

    def function(self, node: gast.FunctionDef) -> gast.FunctionDef:
        self._locals = {a.id for a in node.args.args + node.args.posonlyargs
                        + node.args.kwonlyargs} | {
            n.id for n in walk(node)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        node = self._checkpoint_calls(node)
        node = self._recursive_calls(node)
        # falling off the end returns None: that return is placed like any other, so a
        # test after a loop that may return holds it in the branch where the loop did not
        body = self._block(node.body + _located([gast.Return(value=None)], node.body[-1]),
                           loops=0)
        returns = [s for s in walk(gast.Module(body=body, type_ignores=[]))
                   if isinstance(s, gast.Return)]
        if len(returns) > 1 or returns[0] is not body[-1]:
            result = self._result_name()
            body = self._returns_assigned(body, result)
            body.append(_located([gast.Return(value=nodes.name(result))], node.body[-1])[0])
        if self.returned is not None:
            body.insert(0, _located([assign(self.returned, constant(False))], node.body[0])[0])
        lowered = copy.copy(node)
        lowered.body = body
        return lowered

    def _checkpoint_calls(self, node: gast.FunctionDef) -> gast.FunctionDef:
        """``s2sad.checkpoint(g)(a)`` is the call ``g(a)``: a call of a Python function is
        a checkpoint already (its adjoint recomputes its forward sweep)."""
        from s2sad.checkpointing import checkpoint

        def marked(n: gast.AST) -> bool:
            return (isinstance(n, gast.Call) and isinstance(n.func, gast.Call)
                    and len(n.func.args) == 1 and not n.func.keywords
                    and self._resolve_chain(n.func.func) is checkpoint)

        if not any(marked(n) for n in walk(node)):
            return node
        node = copy_tree(node)
        for n in walk(node):
            if marked(n):
                n.func = n.func.args[0]
        return node

    def _recursive_calls(self, node: gast.FunctionDef) -> gast.FunctionDef:
        """In generated code, ``stub((a, b), {"k": c}, (g,))`` calling a derivative that
        was reached by recursion (a ``LazyDerivative``): the call of that derivative,
        ``f_adjoint(a, b, k=c, _y_bar=g)``, built by now, which can be differentiated."""
        def stub(n: gast.AST) -> LazyDerivative | None:
            if not (isinstance(n, gast.Call) and isinstance(n.func, gast.Name)
                    and n.func.id not in self._locals and len(n.args) == 3
                    and isinstance(n.args[0], gast.Tuple) and isinstance(n.args[1], gast.Dict)
                    and isinstance(n.args[2], gast.Tuple) and not n.keywords):
                return None
            found = self.resolve(n.func.id)
            return found if isinstance(found, LazyDerivative) else None

        if not any(stub(n) is not None for n in walk(node)):
            return node
        node = copy_tree(node)
        for n in walk(node):
            lazy = stub(n)
            if lazy is None:
                continue
            built = lazy.build()
            name = self.namer.fresh(built.function.__name__)
            self.extra[name] = built.function
            positional, keywords, extras = n.args
            n.func = gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)
            n.args = list(positional.elts)
            n.keywords = [gast.keyword(arg=k.value, value=v)
                          for k, v in zip(keywords.keys, keywords.values)]
            n.keywords += [gast.keyword(arg=p, value=v)
                           for p, v in zip(built.extra_parameters, extras.elts)]
        return node

    def _result_name(self) -> str:
        if self.result is None:
            self.result = self.namer.fresh("_y")
        return self.result

    # -- blocks: jumps in tail position ------------------------------------------------
    def _block(self, statements: list[gast.stmt], loops: int) -> list[gast.stmt]:
        flat: list[gast.stmt] = []
        for statement in statements:
            flat.extend(self._statement(statement, loops))
        return _structure(flat)

    def _statement(self, statement: gast.stmt, loops: int) -> list[gast.stmt]:
        if not isinstance(statement, (gast.If, gast.For, gast.While)) and any(
                isinstance(n, (gast.ListComp, gast.GeneratorExp)) for n in walk(statement)):
            hoisted, statement = self._comprehensions(statement)
            lowered: list[gast.stmt] = []
            for part in hoisted + [statement]:
                lowered.extend(self._statement(part, loops))
            return lowered
        head = "test" if isinstance(statement, gast.If) else "iter" \
            if isinstance(statement, gast.For) else None
        if isinstance(statement, gast.While) and _has_comprehension(statement.test) and \
                not any(isinstance(n, (gast.Break, gast.Continue))
                        for s in statement.orelse for n in _outside_loops(s)):
            # a test evaluated again before each iteration: while True: if test: body
            # else: orelse; break (a break in the else block would leave the wrong loop)
            loop = copy.copy(statement)
            loop.test = gast.copy_location(constant(True), statement.test)
            loop.body = [gast.copy_location(gast.If(
                test=statement.test, body=statement.body,
                orelse=list(statement.orelse) + [gast.copy_location(gast.Break(),
                                                                    statement)]),
                statement)]
            loop.orelse = []
            return self._statement(loop, loops)
        if head and _has_comprehension(getattr(statement, head)):
            # an if's test or a for's sequence: evaluated once, before the statement
            carrier = gast.Expr(value=getattr(statement, head))
            for field in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
                setattr(carrier, field, getattr(carrier.value, field, None))
            hoisted, carrier = self._comprehensions(carrier)
            statement = copy.copy(statement)
            setattr(statement, head, carrier.value)
            lowered = []
            for part in hoisted + [statement]:
                lowered.extend(self._statement(part, loops))
            return lowered
        if isinstance(statement, gast.Return) and loops:
            value = statement.value if statement.value is not None else constant(None)
            self.returned = self.returned or self.namer.fresh("_returned")
            lowered = [assign(self._result_name(), value),
                       assign(self.returned, constant(True)), gast.Break()]
            return _located(lowered, statement)
        if isinstance(statement, gast.If):
            result = copy.copy(statement)
            result.body = self._block(statement.body, loops) or [gast.Pass()]
            result.orelse = self._block(statement.orelse, loops)
            return [result]
        if isinstance(statement, _LOOPS):
            return self._loop(statement, loops)
        return [statement]

    def _loop(self, loop: gast.For | gast.While, loops: int) -> list[gast.stmt]:
        before: list[gast.stmt] = []
        header: list[gast.stmt] = []
        if isinstance(loop, gast.For):
            loop, before, header = self._indexed(loop)
        body = loop.body
        after: list[gast.stmt] = []
        if loop.orelse:  # for/else: the else block runs unless the loop broke
            if _breaks(body):
                broke = self.namer.fresh("_broke")
                body = _flag_breaks(body, broke)
                before.append(assign(broke, constant(False)))
                after.append(gast.If(test=nodes.name(broke), body=[gast.Pass()],
                                     orelse=list(loop.orelse)))
            else:
                after.extend(loop.orelse)
        lowered = copy.copy(loop)
        lowered.orelse = []
        lowered.body = self._block(header + body, loops + 1) or [gast.Pass()]
        # (a return in the else block is the enclosing block's, lowered with it below)
        has_return = any(isinstance(n, gast.Return) for s in loop.body for n in walk(s))
        result = _located(before, loop) + [lowered]
        if has_return:  # leave the enclosing loop too, or return from the function
            leave = gast.Break() if loops else gast.Return(value=nodes.name(self.result))
            result += _located([gast.If(test=nodes.name(self.returned), body=[leave], orelse=[])],
                               loop)
        after_lowered = []
        for statement in _located(after, loop):
            after_lowered.extend(self._statement(statement, loops))
        return result + after_lowered

    # -- list comprehensions become loops appending to a list -------------------------
    def _comprehensions(self, statement: gast.stmt) -> tuple[list[gast.stmt], gast.stmt]:
        """``y = [e for v in xs if c]`` becomes ``_list1 = []``, ``for v1 in xs: if c:
        _list1.append(e)``, ``y = _list1`` (the loop variables renamed: they do not leak).
        A generator expression given to a call (``sum(e for v in xs)``) becomes the list of
        its values."""
        hoisted: list[gast.stmt] = []

        class Replace(Transformer):
            def visit_ListComp(inner, node: gast.ListComp) -> gast.expr:  # noqa: N805
                name = self.namer.numbered("_list")
                hoisted.append(assign(name, gast.List(elts=[], ctx=gast.Load())))
                hoisted.append(self._comprehension_loop(node, name))
                return gast.copy_location(nodes.name(name), node)

            # a comprehension Python evaluates only on some paths stays on those paths:
            # a if c else [...] and a or [...] become branches assigning a variable
            def visit_IfExp(inner, node: gast.IfExp) -> gast.expr:  # noqa: N805
                if not (_has_comprehension(node.body) or _has_comprehension(node.orelse)):
                    return inner.generic_visit(node)
                name = self.namer.fresh("_choice")
                hoisted.append(gast.If(test=node.test, body=[assign(name, node.body)],
                                       orelse=[assign(name, node.orelse)]))
                return gast.copy_location(nodes.name(name), node)

            def visit_BoolOp(inner, node: gast.BoolOp) -> gast.expr:  # noqa: N805
                rest = node.values[1:]
                if not any(_has_comprehension(v) for v in rest):
                    return inner.generic_visit(node)
                name = self.namer.fresh("_either")
                hoisted.append(assign(name, node.values[0]))
                later = rest[0] if len(rest) == 1 else gast.BoolOp(op=node.op, values=rest)
                test = nodes.name(name) if isinstance(node.op, gast.And) else gast.UnaryOp(
                    op=gast.Not(), operand=nodes.name(name))
                hoisted.append(gast.If(test=test, body=[assign(name, later)], orelse=[]))
                return gast.copy_location(nodes.name(name), node)

            def visit_Compare(inner, node: gast.Compare) -> gast.expr:  # noqa: N805
                if not any(_has_comprehension(c) for c in node.comparators[1:]):
                    return inner.generic_visit(node)
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
                hoisted.append(assign(first, operands[0]))
                hoisted.extend(chain(first, 0))
                return gast.copy_location(nodes.name(result), node)

            def visit_GeneratorExp(inner, node: gast.GeneratorExp) -> gast.expr:  # noqa: N805
                # an argument (sum(f(v) for v in xs)): the same values, made into a list
                return inner.visit_ListComp(gast.ListComp(elt=node.elt,
                                                          generators=node.generators))

        statement = Replace().visit(copy_tree(statement))
        return _located(hoisted, statement), statement

    def _comprehension_loop(self, node: gast.ListComp, name: str) -> gast.stmt:
        renames: dict[str, str] = {}
        for generator in node.generators:
            for target in walk(generator.target):
                if isinstance(target, gast.Name):
                    renames[target.id] = self.namer.fresh(target.id)
        node = _renamed(node, renames)
        append = gast.Attribute(value=nodes.name(name), attr="append", ctx=gast.Load())
        inner: gast.stmt = gast.Expr(value=gast.Call(func=append, args=[node.elt], keywords=[]))
        for generator in reversed(node.generators):
            for condition in reversed(generator.ifs):
                inner = gast.If(test=condition, body=[inner], orelse=[])
            inner = gast.For(target=generator.target, iter=generator.iter, body=[inner],
                             orelse=[], type_comment=None)
        return inner

    # -- for loops over sequences become loops over indices ----------------------------
    def _builtin(self, node: gast.expr, function: Any) -> bool:
        return (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)
                and node.func.id not in self._locals and self.resolve(node.func.id) is function
                and not node.keywords)

    def _indexed(self, loop: gast.For):
        """``loop`` over a range, the statements to run before it, and those that start its
        body (binding the user's loop variables)."""
        iterable, target = loop.iter, loop.target
        from s2sad.checkpointing import checkpointed

        if isinstance(iterable, gast.Call) and isinstance(iterable.func, (gast.Name,
                                                                          gast.Attribute)) \
                and self._resolve_chain(iterable.func) is checkpointed and iterable.args:
            # checkpointed(values, snapshots, schedule): the loop over values, marked
            options = dict(zip(("snapshots", "schedule"), iterable.args[1:]))
            options.update((k.arg, k.value) for k in iterable.keywords)
            loop = _with_iter(loop, iterable.args[0])
            loop.snapshots = options.get("snapshots", constant(100))
            loop.schedule = options.get("schedule", constant("binomial"))
            iterable = loop.iter
        assigned = {n.id for s in loop.body for n in walk(s)
                    if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
        over_range = self._builtin(iterable, range)
        if (self._builtin(iterable, reversed) and len(iterable.args) == 1
                and self._builtin(iterable.args[0], range)):
            over_range = True
            loop = _with_iter(loop, gast.Subscript(value=iterable.args[0], slice=gast.Slice(
                lower=None, upper=None, step=constant(-1)), ctx=gast.Load()))
        if over_range and isinstance(target, gast.Name):
            if target.id not in assigned:
                return loop, [], []
            # the body rebinds the loop variable: the loop runs over an index of its own
            index = self.namer.fresh("_k")
            header = [assign(_as_store(target), nodes.name(index))]
            return _with_target(loop, index), [], _located(header, loop)
        before: list[gast.stmt] = []

        def sequence(node: gast.expr) -> gast.expr:
            """A name for ``node`` that the loop body does not rebind, checked to be
            readable by position (not a dict, set or generator)."""
            if not (isinstance(node, gast.Name) and node.id not in assigned):
                held = self.namer.fresh("_sequence")
                before.append(assign(held, node))
                node = nodes.name(held)
            check = self._checker()
            before.append(gast.Expr(value=call(check, copy_tree(node))))
            return node

        def item(held: gast.expr, index: str) -> gast.Subscript:
            return gast.Subscript(value=copy_tree(held), slice=nodes.name(index), ctx=gast.Load())

        def item_from_end(held: gast.expr, index: str) -> gast.Subscript:
            last = gast.BinOp(left=call("len", copy_tree(held)), op=gast.Sub(),
                              right=constant(1))
            position = gast.BinOp(left=last, op=gast.Sub(), right=nodes.name(index))
            return gast.Subscript(value=copy_tree(held), slice=position, ctx=gast.Load())

        if (self._builtin(iterable, enumerate) and len(iterable.args) in (1, 2)
                and self._builtin(iterable.args[0], zip)
                and isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == 2):
            # for i, (a, b) in enumerate(zip(A, B), start): the zip's own index, counted
            inner = copy.copy(loop)
            inner.iter, inner.target = iterable.args[0], target.elts[1]
            inner, before, header = self._indexed(inner)
            count = nodes.name(inner.target.id)
            if len(iterable.args) == 2:
                count = gast.BinOp(left=count, op=gast.Add(), right=iterable.args[1])
            header = _located([assign(_as_store(target.elts[0]), count)], loop) + header
            return _with_iter(inner, inner.iter), before, header
        index = self.namer.fresh("_k")
        if self._builtin(iterable, enumerate) and len(iterable.args) in (1, 2):
            held = sequence(iterable.args[0])
            count = call("len", copy_tree(held))
            start = iterable.args[1] if len(iterable.args) == 2 else None
            if (isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == 2
                    and isinstance(target.elts[0], gast.Name) and start is None
                    and target.elts[0].id not in assigned):
                index = target.elts[0].id
                header = [assign(_as_store(target.elts[1]), item(held, index))]
            else:
                number = nodes.name(index) if start is None else gast.BinOp(
                    left=nodes.name(index), op=gast.Add(), right=start)
                pair = gast.Tuple(elts=[number, item(held, index)], ctx=gast.Load())
                header = [assign(_as_store(target), pair)]
        elif self._builtin(iterable, zip) and iterable.args:
            # zip(reversed(xs), ...): xs read from its end
            backwards = [self._builtin(a, reversed) and len(a.args) == 1
                         for a in iterable.args]
            helds = [sequence(a.args[0] if back else a)
                     for a, back in zip(iterable.args, backwards)]
            lengths = [call("len", copy_tree(h)) for h in helds]
            count = lengths[0] if len(lengths) == 1 else call("min", *lengths)
            items = [item_from_end(h, index) if back else item(h, index)
                     for h, back in zip(helds, backwards)]
            if isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == len(items):
                header = [assign(_as_store(t), i) for t, i in zip(target.elts, items)]
            else:
                header = [assign(_as_store(target), gast.Tuple(elts=items, ctx=gast.Load()))]
        elif self._builtin(iterable, reversed) and len(iterable.args) == 1:
            held = sequence(iterable.args[0])
            length = call("len", copy_tree(held))
            last = gast.BinOp(left=length, op=gast.Sub(), right=constant(1))
            loop = _with_iter(loop, call("range", last, constant(-1), constant(-1)))
            header = [assign(_as_store(target), item(held, index))]
            return _with_target(loop, index), before, _located(header, loop)
        else:
            held = sequence(iterable)
            count = call("len", copy_tree(held))
            header = [assign(_as_store(target), item(held, index))]
        loop = _with_target(_with_iter(loop, call("range", count)), index)
        return loop, _located(before, loop), _located(header, loop)

    def _checker(self) -> str:
        """The name under which lowered code calls ``check_sequence``."""
        from s2sad.runtime.core import check_sequence

        for name, value in self.extra.items():
            if value is check_sequence:
                return name
        name = self.namer.fresh("check_sequence")
        self.extra[name] = check_sequence
        return name

    def _resolve_chain(self, node: gast.expr) -> Any:
        """The object a name or attribute chain (``s2sad.checkpointed``) refers to."""
        if isinstance(node, gast.Name):
            return None if node.id in self._locals else self.resolve(node.id)
        if isinstance(node, gast.Attribute):
            return getattr(self._resolve_chain(node.value), node.attr, None)
        return None

    # -- one return at the end -----------------------------------------------------------
    def _returns_assigned(self, block: list[gast.stmt], result: str) -> list[gast.stmt]:
        out: list[gast.stmt] = []
        for statement in block:
            if isinstance(statement, gast.Return):
                value = statement.value if statement.value is not None else constant(None)
                if not (isinstance(value, gast.Name) and value.id == result):
                    out.extend(_located([assign(result, value)], statement))
                else:
                    out.append(gast.copy_location(gast.Pass(), statement))
            elif isinstance(statement, gast.If):
                lowered = copy.copy(statement)
                lowered.body = self._returns_assigned(statement.body, result)
                lowered.orelse = self._returns_assigned(statement.orelse, result)
                out.append(lowered)
            else:
                out.append(statement)  # loops hold no return any more
        return out


def _outside_loops(statement: gast.stmt):
    """``statement`` and the statements inside it that are not inside a loop of its own."""
    yield statement
    if isinstance(statement, gast.If):
        for inner in statement.body + statement.orelse:
            yield from _outside_loops(inner)


def _has_comprehension(node: gast.AST) -> bool:
    return any(isinstance(n, (gast.ListComp, gast.GeneratorExp)) for n in walk(node))


def _renamed(node: gast.AST, renames: dict[str, str]) -> gast.AST:
    node = copy_tree(node)
    for name in walk(node):
        if isinstance(name, gast.Name) and name.id in renames:
            name.id = renames[name.id]
    return node


def _with_iter(loop: gast.For, iterable: gast.expr) -> gast.For:
    result = copy.copy(loop)
    result.iter = gast.copy_location(iterable, loop.iter)
    return result


def _with_target(loop: gast.For, index: str) -> gast.For:
    result = copy.copy(loop)  # (a copy keeps the marks: snapshots)
    result.target = gast.copy_location(nodes.name(index, gast.Store), loop.target)
    return result


def _structure(flat: list[gast.stmt]) -> list[gast.stmt]:
    """Drop what follows a statement that always jumps; move what follows a statement that
    may jump into each of its branches that falls through."""
    for position, statement in enumerate(flat):
        if _always(statement):
            return flat[: position + 1]
        if may_jump(statement):
            tail = _structure(flat[position + 1:])
            if tail:
                statement = _distribute(statement, tail)
            return flat[:position] + [statement]
    return flat


def _distribute(statement: gast.If, tail: list[gast.stmt]) -> gast.If:
    result = copy.copy(statement)
    for field in ("body", "orelse"):
        branch = list(getattr(statement, field))
        if always_jumps(branch):
            pass
        elif branch and may_jump(branch[-1]):
            branch[-1] = _distribute(branch[-1], tail)
        else:
            branch = [s for s in branch if not isinstance(s, gast.Pass)]
            branch.extend(copy_tree(tail))
        setattr(result, field, branch)
    return result


def _breaks(body: list[gast.stmt]) -> bool:
    """Whether ``body`` breaks out of its own loop (a break or a return not in a nested loop
    counts; returns in nested loops also end this loop)."""
    for statement in body:
        if isinstance(statement, (gast.Break, gast.Return)):
            return True
        if isinstance(statement, gast.If) and (_breaks(statement.body)
                                               or _breaks(statement.orelse)):
            return True
        if isinstance(statement, _LOOPS) and any(
                isinstance(n, gast.Return) for n in walk(statement)):
            return True
    return False


def _flag_breaks(body: list[gast.stmt], flag: str) -> list[gast.stmt]:
    out: list[gast.stmt] = []
    for statement in body:
        if isinstance(statement, gast.Break):
            out.extend(_located([assign(flag, constant(True))], statement))
            out.append(statement)
        elif isinstance(statement, gast.If):
            lowered = copy.copy(statement)
            lowered.body = _flag_breaks(statement.body, flag)
            lowered.orelse = _flag_breaks(statement.orelse, flag)
            out.append(lowered)
        else:
            out.append(statement)
    return out

