"""Jumps: give loops and jumps the few shapes the later passes understand.

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
import types
from collections.abc import Callable
from typing import Any

import gast

from s2sad import nodes
from s2sad.callees import LazyDerivative
from s2sad.frontend import ParsedFunction
from s2sad.lowering.comprehensions import has_comprehension, lower_comprehensions
from s2sad.lowering.containers import ContainerLowering
from s2sad.lowering.loops import SequenceLoops, dict_names
from s2sad.lowering.messages import as_call, has_message
from s2sad.lowering.unpacking import has_starred_target, unpack_starred
from s2sad.naming import Namer, names_in
from s2sad.nodes import assign, constant, located
from s2sad.runtime.messages import formatted, raise_error
from s2sad.trees import copy_tree, walk

__all__ = ["JumpLowering", "Namer", "lower_jumps", "names_in"]

_LOOPS = (gast.For, gast.While)
_JUMPS = (gast.Return, gast.Break, gast.Continue)


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
    lowering = JumpLowering(namer, parsed.resolve, dict(parsed.extra), parsed.error)
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
                 extra: dict[str, Any] | None = None,
                 error: Callable[..., Exception] | None = None) -> None:
        self.namer = namer
        self.resolve = resolve
        #: makes the located error of what this lowering refuses (a SyntaxError without it)
        self.error = error
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
        self.loops = SequenceLoops(self.namer, self.resolve, self._locals, self.extra,
                                   dict_names(node, self.resolve))
        self.containers = ContainerLowering(self.namer, self.resolve, self._locals,
                                            self.loops.bound, self._error, node)
        node = self._checkpoint_calls(node)
        node = self._recursive_calls(node)
        # falling off the end returns None: that return is placed like any other, so a
        # test after a loop that may return holds it in the branch where the loop did not
        body = self._block(node.body + located([gast.Return(value=None)], node.body[-1]),
                           loops=0)
        returns = [s for s in walk(gast.Module(body=body, type_ignores=[]))
                   if isinstance(s, gast.Return)]
        if len(returns) > 1 or returns[0] is not body[-1]:
            result = self._result_name()
            body = self._returns_assigned(body, result)
            body.append(located([gast.Return(value=nodes.name(result))], node.body[-1])[0])
        if self.returned is not None:
            body.insert(0, located([assign(self.returned, constant(False))], node.body[0])[0])
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
                    and self.loops.resolve_chain(n.func.func) is checkpoint)

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
        ``f_adjoint(a, b, k=c, y_bar=g)``, built by now, which can be differentiated."""
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

    def _check_taken_out(self, statement: gast.stmt) -> None:
        """What ``lower_comprehensions`` takes out of ``statement`` runs before the rest of
        it: refused where a call Python evaluates first may change what it reads (a method
        of a local value, ``xs.pop()``, or a Python function of the user's)."""
        taken = [n for n in walk(statement) if has_comprehension(n) and isinstance(
            n, (gast.ListComp, gast.GeneratorExp, gast.NamedExpr, gast.DictComp))]
        first = min(((n.lineno, n.col_offset) for n in taken), default=None)
        inside = {id(m) for n in taken for m in walk(n)}
        for node in walk(statement):
            if isinstance(node, gast.Call) and id(node) not in inside and first is not None \
                    and (node.lineno, node.col_offset) < first and self._may_change(node):
                message = ("a call evaluated before a comprehension or assignment expression "
                           "of the same statement, which may change what it reads")
                hint = "call it in a statement of its own before this one"
                if self.error is None:
                    raise SyntaxError(message)
                raise self.error(node, message, hint)

    def _may_change(self, call: gast.Call) -> bool:
        func = call.func
        if isinstance(func, gast.Attribute):  # a method of a local value: xs.pop()
            root = func.value
            while isinstance(root, gast.Attribute):
                root = root.value
            return not isinstance(root, gast.Name) or root.id in self._locals
        if isinstance(func, gast.Name):
            found = None if func.id in self._locals else self.resolve(func.id)
            return found is None or isinstance(found, types.FunctionType)
        return True

    def _error(self, node: gast.AST, message: str, hint: str | None = None) -> Exception:
        if self.error is None:
            return SyntaxError(message)
        return self.error(node, message, hint)

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
        if has_message(statement):  # raise, f-strings: calls
            statement = as_call(statement, self.loops.bound(raise_error, "raise_error"),
                                self.loops.bound(formatted, "formatted"))
        if has_starred_target(statement):  # a, *b = xs: reads by position
            return self._each(unpack_starred(statement, self.namer, self.loops.checker()),
                              loops)
        statement = self.containers.expressions(statement)
        changed = self.containers.statement(statement, loops)
        if changed is not None:  # lists changed in place (their arguments taken first), del
            return self._each(changed, loops)
        if not isinstance(statement, (gast.If, gast.For, gast.While)) and \
                has_comprehension(statement):
            self._check_taken_out(statement)
            hoisted, statement = lower_comprehensions(statement, self.namer)
            return self._each(hoisted + [statement], loops)
        head = "test" if isinstance(statement, gast.If) else "iter" \
            if isinstance(statement, gast.For) else None
        if isinstance(statement, gast.While) and has_comprehension(statement.test) and \
                not any(isinstance(n, (gast.Break, gast.Continue))
                        for s in statement.orelse for n in _outside_loops(s)):
            return self._statement(_tested_in_body(statement), loops)
        if head and has_comprehension(getattr(statement, head)):
            # an if's test or a for's sequence: evaluated once, before the statement
            carrier = gast.Expr(value=getattr(statement, head))
            for field in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
                setattr(carrier, field, getattr(carrier.value, field, None))
            self._check_taken_out(carrier)
            hoisted, carrier = lower_comprehensions(carrier, self.namer)
            statement = copy.copy(statement)
            setattr(statement, head, carrier.value)
            return self._each(hoisted + [statement], loops)
        if isinstance(statement, gast.Return) and loops:
            value = statement.value if statement.value is not None else constant(None)
            self.returned = self.returned or self.namer.fresh("_returned")
            lowered = [assign(self._result_name(), value),
                       assign(self.returned, constant(True)), gast.Break()]
            return located(lowered, statement)
        if isinstance(statement, gast.If):
            result = copy.copy(statement)
            result.body = self._block(statement.body, loops) or [gast.Pass()]
            result.orelse = self._block(statement.orelse, loops)
            return [result]
        if isinstance(statement, _LOOPS):
            return self._loop(statement, loops)
        return [statement]

    def _each(self, parts: list[gast.stmt], loops: int) -> list[gast.stmt]:
        """``parts`` lowered one after the other."""
        lowered: list[gast.stmt] = []
        for part in parts:
            lowered.extend(self._statement(part, loops))
        return lowered

    def _loop(self, loop: gast.For | gast.While, loops: int) -> list[gast.stmt]:
        before: list[gast.stmt] = []
        header: list[gast.stmt] = []
        if isinstance(loop, gast.For):
            loop, before, header = self.loops.indexed(loop)
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
        result = located(before, loop) + [lowered]
        if has_return:  # leave the enclosing loop too, or return from the function
            leave = gast.Break() if loops else gast.Return(value=nodes.name(self.result))
            result += located([gast.If(test=nodes.name(self.returned), body=[leave], orelse=[])],
                               loop)
        after_lowered = []
        for statement in located(after, loop):
            after_lowered.extend(self._statement(statement, loops))
        return result + after_lowered

    # -- one return at the end -----------------------------------------------------------
    def _returns_assigned(self, block: list[gast.stmt], result: str) -> list[gast.stmt]:
        out: list[gast.stmt] = []
        for statement in block:
            if isinstance(statement, gast.Return):
                value = statement.value if statement.value is not None else constant(None)
                if not (isinstance(value, gast.Name) and value.id == result):
                    out.extend(located([assign(result, value)], statement))
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


def _tested_in_body(statement: gast.While) -> gast.While:
    """A test evaluated again before each iteration: ``while True: if test: body else:
    orelse; break`` (a break in the else block would leave the wrong loop)."""
    loop = copy.copy(statement)
    loop.test = gast.copy_location(constant(True), statement.test)
    loop.body = [gast.copy_location(gast.If(
        test=statement.test, body=statement.body,
        orelse=list(statement.orelse) + [gast.copy_location(gast.Break(), statement)]),
        statement)]
    loop.orelse = []
    return loop


def _outside_loops(statement: gast.stmt):
    """``statement`` and the statements inside it that are not inside a loop of its own."""
    yield statement
    if isinstance(statement, gast.If):
        for inner in statement.body + statement.orelse:
            yield from _outside_loops(inner)


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
            out.extend(located([assign(flag, constant(True))], statement))
            out.append(statement)
        elif isinstance(statement, gast.If):
            lowered = copy.copy(statement)
            lowered.body = _flag_breaks(statement.body, flag)
            lowered.orelse = _flag_breaks(statement.orelse, flag)
            out.append(lowered)
        else:
            out.append(statement)
    return out
