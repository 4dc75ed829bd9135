"""Normalize: desugar a function body into A-normal form, the core every later pass reads.

Core grammar (after ``s2sad.lowering``, which structures loops and jumps)::

    body   := stmt* return atom | return (atom, ...)      (one return, at the end)
    stmt   := NAME = rhs                       (one operation per assignment)
            | NAME[index] = atom               (an in-place write)
            | NAME, NAME, ... = atom | call    (flat tuple unpacking)
            | call                             (an expression statement)
            | assert ... | pass
            | if atom: stmt+ else: stmt*     (or if not atom: ...; no statement of either
                                                branch changes what the test reads)
            | for NAME in range(atom, ...) | NAME: stmt+    (atoms the body leaves alone)
            | while atom: stmt+                (the statements computing the test end the
                                                body again)
            | break                            (in tail position only)
    rhs    := atom | atom BINOP atom | UNARYOP atom | atom CMPOP atom
            | call | atom[index] | atom.ATTR | (atom, ...) | [atom, ...] | {atom: atom, ...}
    call   := func(atom, ..., KEY=atom, ...)
    func   := a global name or attribute chain (np.linalg.norm), or atom.METHOD
    index  := atom | slice of atoms | None | Ellipsis | tuple of those
    atom   := NAME | constant | tuple of constants

Every generated statement carries ``origin``: the user's statement it came from (for
comments and error positions). Temporaries are ``_t1, _t2, ...``. The target of an
assignment is never one of its own operands (``x = x * a`` becomes ``_t1 = x * a;
x = _t1``), so a derivative rule always sees the operands' values from before the
statement; augmented assignment and nested unpacking are expanded; docstrings dropped.

>>> import gast
>>> from s2sad.emit import to_source
>>> tree = gast.parse("def f(x, W):\\n    h = np.tanh(W @ x + 1.0)\\n    return np.sum(h ** 2)")
>>> print(to_source(Normalizer(Namer(names_in(tree))).function(tree.body[0])), end="")
def f(x, W):
    _t1 = W @ x
    _t2 = _t1 + 1.0
    h = np.tanh(_t2)
    _t3 = h ** 2
    _y = np.sum(_t3)
    return _y
"""

from __future__ import annotations

import copy

import gast

from s2sad.naming import Namer, names_in
from s2sad.nodes import assign, load, store
from s2sad.trees import copy_tree, walk

__all__ = ["Normalizer", "local_names", "is_atom", "names_in", "simple_statements", "COMPOUND"]

#: The compound statements of the core; every other statement is simple.
COMPOUND = (gast.If, gast.For, gast.While)


def simple_statements(body: list[gast.stmt]):
    """The simple statements of a core body, in source order (branches and loop bodies
    included)."""
    for statement in body:
        if isinstance(statement, gast.If):
            yield from simple_statements(statement.body)
            yield from simple_statements(statement.orelse)
        elif isinstance(statement, COMPOUND):
            yield from simple_statements(statement.body)
        else:
            yield statement


def local_names(function: gast.FunctionDef) -> set[str]:
    """Parameters and every name the body assigns: the function's local variables."""
    names = {a.id for a in _parameters(function.args)}
    for node in walk(function):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
            names.add(node.id)
    return names


def _parameters(args: gast.arguments) -> list[gast.Name]:
    params = list(args.posonlyargs) + list(args.args) + list(args.kwonlyargs)
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    return params


def is_atom(node: gast.AST) -> bool:
    if isinstance(node, (gast.Name, gast.Constant)):
        return True
    if isinstance(node, gast.Tuple):
        return all(
            isinstance(e, gast.Constant) or isinstance(e, gast.Tuple) and is_atom(e)
            for e in node.elts
        )
    return False








class Normalizer:
    """Rewrites one function into the core grammar (see the module docstring)."""

    def __init__(self, namer: Namer) -> None:
        self.namer = namer
        self.locals: set[str] = set()
        self._out: list[gast.stmt] = []
        self._origin: gast.stmt | None = None

    def function(self, node: gast.FunctionDef) -> gast.FunctionDef:
        self.locals = local_names(node)
        result = copy.copy(node)
        result.body = self._block(node.body)
        return result

    # -- statements ------------------------------------------------------------------
    def _block(self, statements: list[gast.stmt]) -> list[gast.stmt]:
        saved = self._out, self._origin
        body: list[gast.stmt] = []
        for statement in statements:
            self._out = body
            self._origin = statement
            self._statement(statement)
        self._out, self._origin = saved
        return body

    def _capture(self, produce) -> list[gast.stmt]:
        """The statements ``produce()`` emits, kept apart from the current block."""
        saved = self._out
        self._out = []
        produce()
        produced, self._out = self._out, saved
        return produced

    def _emit(self, statement: gast.stmt) -> None:
        origin = self._origin
        if not hasattr(statement, "origin"):
            statement.origin = origin
            gast.copy_location(statement, origin)
            if hasattr(origin, "end_lineno"):
                statement.end_lineno = origin.end_lineno
                statement.end_col_offset = origin.end_col_offset
        self._out.append(statement)

    def _statement(self, node: gast.stmt) -> None:
        if isinstance(node, gast.Expr):
            self._expression_statement(node)
        elif isinstance(node, gast.Assign):
            self._assign(node)
        elif isinstance(node, gast.AugAssign) and isinstance(node.target, gast.Subscript):
            self._augmented_item(node)
        elif isinstance(node, gast.AugAssign):
            target = node.target
            value = gast.BinOp(left=load(target.id), op=node.op, right=node.value)
            gast.copy_location(value, node)
            self._bind(target, value)
        elif isinstance(node, gast.Return):
            self._emit(gast.Return(value=self._return_value(node.value)))
        elif isinstance(node, (gast.Pass, gast.Assert, gast.Break)):
            self._emit(node)
        elif isinstance(node, gast.Continue):
            pass  # in tail position (see s2sad.lowering.jumps): the body simply ends
        elif isinstance(node, gast.If):
            test = self._atom(node.test)
            self._emit_if(test, self._block(node.body) or [gast.Pass()],
                          self._block(node.orelse))
        elif isinstance(node, gast.For):
            self._for(node)
        elif isinstance(node, gast.While):
            self._while(node)
        else:  # the fence lets nothing else through
            raise NotImplementedError(type(node).__name__)

    def _expression_statement(self, node: gast.Expr) -> None:
        if isinstance(node.value, gast.Constant):
            return  # a docstring or a bare constant does nothing
        value = self._operation(node.value)
        if _pops(value):  # xs.pop() for its effect: y = xs.pop(), y unused
            self._emit(gast.Assign(targets=[gast.Name(
                id=self.namer.temp(), ctx=gast.Store(), annotation=None,
                type_comment=None)], value=value, type_comment=None))
            return
        self._emit(gast.Expr(value=value))

    def _assign(self, node: gast.Assign) -> None:
        if len(node.targets) == 1:
            self._bind(node.targets[0], node.value)
            return
        # a = b = e: evaluated once, bound left to right (i = xs[i] = 1 writes xs[1])
        atom = self._atom(node.value)
        if isinstance(atom, gast.Name) and atom.id in _changed_names(
                [gast.Assign(targets=node.targets, value=atom, type_comment=None)]):
            atom = load(self._hoist(atom))
        for target in node.targets:
            self._bind(target, atom)

    def _augmented_item(self, node: gast.AugAssign) -> None:
        """``x[i] += v``: the index evaluated once, read, combined, written back."""
        target = self._subscript_target(node.target)
        current = gast.Subscript(value=load(target.value.id),
                                 slice=copy_tree(target.slice), ctx=gast.Load())
        value = gast.BinOp(left=self._atom(current), op=node.op,
                           right=self._atom(node.value))
        self._emit(gast.Assign(targets=[target], value=self._atom(value), type_comment=None))

    def _for(self, node: gast.For) -> None:
        iterable = node.iter
        # the reversed loop evaluates its range again once the loop has run: a name
        # the body changes is read into a temporary first
        changed = _changed_names(node.body) | _changed_names(
            [gast.Assign(targets=[node.target], value=load("_"), type_comment=None)])

        def bound(atom: gast.expr) -> gast.expr:
            if isinstance(atom, gast.Name) and atom.id in changed:
                return load(self._hoist(atom))
            return atom

        if isinstance(iterable, gast.Call):  # range(...)
            iterable = gast.Call(func=iterable.func, args=[bound(self._atom(a)) for a in
                                                           iterable.args], keywords=[])
        else:
            iterable = bound(self._atom(iterable))
        loop = gast.For(target=node.target, iter=iterable,
                        body=self._block(node.body) or [gast.Pass()], orelse=[],
                        type_comment=None)
        if hasattr(node, "snapshots"):  # s2sad.checkpointed: its options, as atoms
            loop.snapshots = self._atom(node.snapshots)
            loop.schedule = self._atom(node.schedule)
        self._emit(loop)

    def _while(self, node: gast.While) -> None:
        tests: list[gast.expr] = []
        test_statements = self._capture(lambda: tests.append(self._atom(node.test)))
        self._out.extend(test_statements)
        latch = copy_tree(test_statements)  # the test, computed again each time
        self._emit(gast.While(test=tests[0], body=self._block(node.body) + latch,
                              orelse=[]))

    def _return_value(self, value: gast.expr | None) -> gast.expr:
        if value is None:
            return gast.Constant(value=None, kind=None)
        if isinstance(value, gast.Tuple):
            return gast.Tuple(elts=[self._atom(e) for e in value.elts], ctx=gast.Load())
        if is_atom(value):
            return value
        name = self.namer.fresh("_y")
        self._emit(assign(name, self._operation(value)))
        return load(name)

    def _subscript_target(self, target: gast.Subscript) -> gast.Subscript:
        """``x[index]`` as a store target with the index made of atoms."""
        return gast.Subscript(value=load(target.value.id), slice=self._index(target.slice),
                              ctx=gast.Store())

    def _bind(self, target: gast.expr, value: gast.expr) -> None:
        if isinstance(target, gast.Subscript):  # an in-place write: x[index] = atom
            target = self._subscript_target(target)
            self._emit(gast.Assign(targets=[target], value=self._atom(value), type_comment=None))
            return
        if isinstance(target, gast.Name):
            rhs = self._operation(value)
            if target.id in _read_names(rhs):
                temp = self.namer.temp()
                self._emit(assign(temp, rhs))
                rhs = load(temp)
            self._emit(assign(target.id, rhs))
            return
        # tuple unpacking: flat names on the left of an atom or a call
        if isinstance(value, (gast.Tuple, gast.List)) and not is_atom(value):
            value = gast.Tuple(elts=[self._atom(e) for e in value.elts], ctx=gast.Load())
            value = load(self._hoist(value))
        elif not isinstance(value, gast.Name):
            value = self._operation(value)
            if not isinstance(value, gast.Call):
                value = load(self._hoist(value))
        names = []
        nested = []
        for element in target.elts:
            if isinstance(element, gast.Name) and not nested:
                names.append(element.id)
            else:  # from the first nested target on, bound in order after the unpacking
                temp = self.namer.temp()
                names.append(temp)
                nested.append((element, temp))
        read = _read_names(value)
        if any(n in read for n in names):
            value = load(self._hoist(value))
        flat = gast.Tuple(elts=[store(n) for n in names], ctx=gast.Store())
        self._emit(gast.Assign(targets=[flat], value=value, type_comment=None))
        for element, temp in nested:
            self._bind(element, load(temp))

    # -- expressions -----------------------------------------------------------------
    def _hoist(self, rhs: gast.expr) -> str:
        name = self.namer.temp()
        self._emit(assign(name, rhs))
        return name

    def _atom(self, node: gast.expr) -> gast.expr:
        """An atom with the value of ``node``, hoisting what is not one."""
        folded = _fold_constant(node)
        if folded is not None:
            return folded
        if is_atom(node):
            return node
        operation = self._operation(node)
        return operation if is_atom(operation) else load(self._hoist(operation))

    def _operation(self, node: gast.expr) -> gast.expr:
        """``node`` as one operation on atoms (the right-hand side of an assignment)."""
        folded = _fold_constant(node)
        if folded is not None:
            return folded
        if isinstance(node, gast.Compare) and len(node.ops) > 1:
            # a < b < c is (a < b) and (b < c), b evaluated once, c only if a < b
            temp = self.namer.temp()
            left = self._atom(node.left)
            self._comparisons(temp, left, node.ops, node.comparators)
            return load(temp)
        if isinstance(node, gast.IfExp):  # a if c else b: a branch assigning a temporary
            temp = self.namer.temp()
            test = self._atom(node.test)
            body = self._capture(lambda: self._emit(assign(temp, self._operation(node.body))))
            orelse = self._capture(
                lambda: self._emit(assign(temp, self._operation(node.orelse))))
            self._emit_if(test, body, orelse)
            return load(temp)
        if isinstance(node, gast.BoolOp):  # short-circuit: later operands in branches
            temp = self.namer.temp()
            self._emit(assign(temp, self._operation(node.values[0])))
            self._short_circuit(temp, node.op, node.values[1:])
            return load(temp)
        if isinstance(node, gast.Attribute) and self._is_global_chain(node):
            return node
        result = self._on_atoms(node)
        return node if result is None else gast.copy_location(result, node)

    def _on_atoms(self, node: gast.expr) -> gast.expr | None:
        """``node``'s operation on its operands made atoms; None for an atom itself."""
        if isinstance(node, gast.BinOp):
            return gast.BinOp(
                left=self._atom(node.left), op=node.op, right=self._atom(node.right)
            )
        if isinstance(node, gast.UnaryOp):
            return gast.UnaryOp(op=node.op, operand=self._atom(node.operand))
        if isinstance(node, gast.Compare):
            return gast.Compare(
                left=self._atom(node.left),
                ops=node.ops,
                comparators=[self._atom(c) for c in node.comparators],
            )
        if isinstance(node, gast.Call):
            return gast.Call(
                func=self._callee(node.func),
                args=[gast.Starred(value=self._atom(a.value), ctx=gast.Load())
                      if isinstance(a, gast.Starred) else self._atom(a) for a in node.args],
                keywords=[
                    gast.keyword(arg=k.arg, value=self._atom(k.value)) for k in node.keywords
                ],
            )
        if isinstance(node, gast.Subscript):
            return gast.Subscript(
                value=self._atom(node.value), slice=self._index(node.slice), ctx=gast.Load()
            )
        if isinstance(node, gast.Attribute):
            return gast.Attribute(value=self._atom(node.value), attr=node.attr, ctx=gast.Load())
        if isinstance(node, (gast.Tuple, gast.List)):
            return type(node)(elts=[self._atom(e) for e in node.elts], ctx=gast.Load())
        if isinstance(node, gast.Dict):
            return gast.Dict(keys=[self._atom(k) for k in node.keys],
                             values=[self._atom(v) for v in node.values])
        return None

    def _short_circuit(self, temp: str, op: gast.boolop, rest: list[gast.expr]) -> None:
        if not rest:
            return

        def evaluate_next() -> None:
            self._emit(assign(temp, self._operation(rest[0])))
            self._short_circuit(temp, op, rest[1:])

        branch = self._capture(evaluate_next)
        test = load(temp) if isinstance(op, gast.And) else gast.UnaryOp(op=gast.Not(),
                                                                           operand=load(temp))
        self._emit_if(test, branch, [])

    def _comparisons(self, temp: str, left: gast.expr, ops: list, operands: list) -> None:
        right = self._atom(operands[0])
        self._emit(assign(temp, gast.Compare(left=left, ops=[ops[0]], comparators=[right])))
        if len(ops) > 1:
            rest = self._capture(lambda: self._comparisons(temp, right, ops[1:], operands[1:]))
            self._emit_if(load(temp), rest, [])

    def _emit_if(self, test: gast.expr, body: list[gast.stmt], orelse: list[gast.stmt]) -> None:
        """``if test: body else: orelse``, its test a value the branches leave alone.

        The reverse sweep replays a branch by its test, evaluated when the branch has run:
        a test reading a name the branch rebinds or changes in place (``_t = lam; if not
        _t: _t = 0.5 * x`` for ``lam or 0.5 * x``) is first taken into a temporary of its
        own (``_c = not _t; if _c: ...``), as the truth value Python's ``if`` computes."""
        tested = test.operand if isinstance(test, gast.UnaryOp) else test
        if isinstance(tested, gast.Name) and tested.id in _changed_names(body + orelse):
            decision = self.namer.temp()
            negated = isinstance(test, gast.UnaryOp)
            self._emit(assign(decision, gast.UnaryOp(op=gast.Not(), operand=tested)))
            test = load(decision) if negated else gast.UnaryOp(op=gast.Not(),
                                                                operand=load(decision))
        self._emit(gast.If(test=test, body=body, orelse=orelse))

    def _callee(self, func: gast.expr) -> gast.expr:
        if isinstance(func, gast.Name) or self._is_global_chain(func):
            return func
        if isinstance(func, gast.Attribute):  # a method of a value: value.method(...)
            return gast.copy_location(
                gast.Attribute(value=self._atom(func.value), attr=func.attr, ctx=gast.Load()), func
            )
        return self._atom(func)

    def _is_global_chain(self, node: gast.expr) -> bool:
        while isinstance(node, gast.Attribute):
            node = node.value
        return isinstance(node, gast.Name) and node.id not in self.locals

    def _index(self, index: gast.expr) -> gast.expr:
        if isinstance(index, gast.Slice):
            return gast.Slice(
                *(
                    None if part is None else self._atom(part)
                    for part in (index.lower, index.upper, index.step)
                )
            )
        if isinstance(index, gast.Tuple):
            return gast.Tuple(elts=[self._index(e) for e in index.elts], ctx=gast.Load())
        return self._atom(index)


def _changed_names(statements: list[gast.stmt]) -> set[str]:
    """Names that ``statements`` rebind, write into (``x[i] = v``, ``x.a = v``) or call a
    method of (``xs.pop()``)."""
    changed: set[str] = set()
    for node in walk(gast.Module(body=statements, type_ignores=[])):
        if isinstance(node, gast.Name) and isinstance(node.ctx, (gast.Store, gast.Del)):
            changed.add(node.id)
        elif isinstance(node, (gast.Subscript, gast.Attribute)) and isinstance(
                node.ctx, (gast.Store, gast.Del)) or isinstance(node, gast.Call) and \
                isinstance(node.func, gast.Attribute):
            root = node.func if isinstance(node, gast.Call) else node
            while isinstance(root, (gast.Subscript, gast.Attribute)):
                root = root.value
            if isinstance(root, gast.Name):
                changed.add(root.id)
    return changed


def _read_names(node: gast.expr) -> set[str]:
    return {n.id for n in walk(node) if isinstance(n, gast.Name)}


def _fold_constant(node: gast.expr) -> gast.expr | None:
    """``-1``, ``+2.0`` and ``(-1, 0)`` are constants, not operations."""
    if isinstance(node, gast.Tuple) and node.elts:
        elements = [_fold_constant(e) or e for e in node.elts]
        if all(is_atom(e) and not isinstance(e, gast.Name) for e in elements):
            return gast.copy_location(gast.Tuple(elts=elements, ctx=gast.Load()), node)
        return None
    if (
        isinstance(node, gast.UnaryOp)
        and isinstance(node.op, (gast.USub, gast.UAdd))
        and isinstance(node.operand, gast.Constant)
        and isinstance(node.operand.value, (int, float, complex))
        and not isinstance(node.operand.value, bool)
    ):
        value = node.operand.value
        return gast.copy_location(
            gast.Constant(value=-value if isinstance(node.op, gast.USub) else value, kind=None),
            node,
        )
    return None


def _pops(value: gast.expr) -> bool:
    """``xs.pop()``: a list's last item taken off."""
    return (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
            and value.func.attr == "pop" and isinstance(value.func.value, gast.Name)
            and not value.args and not value.keywords)
