"""Forward transform: after each active primal statement, its tangent statement.

``f(x, W)`` becomes ``f_tangent(x, W, x_dot, W_dot) -> (y, y_dot)``. Tangents that are
symbolically zero (of inputs not differentiated, of values built from constants) get no
code: a statement's tangent sums only the contributions of arguments whose tangents are
known to be nonzero, and a zero is materialized only where a tangent is returned.

>>> import math, s2sad
>>> def f(x, w):
...     y = math.sin(x) * w
...     return y * y
>>> print(s2sad.source(f, mode="forward", wrt=(0, 1)), end="")
def f_tangent(x, w, x_dot, w_dot):
    _t1 = math.sin(x)
    y = _t1 * w
    y_dot = math.cos(x) * x_dot * w + _t1 * w_dot
    _y = y * y
    _y_dot = y_dot * y + y * y_dot
    return _y, _y_dot
"""

from __future__ import annotations

import copy

import gast

from s2sad.analyses.operations import Operation, targets_of
from s2sad.analyses.prepared import Prepared
from s2sad.nodes import add, assign, call, load, parameters, replace_node, replace_nodes, tuple_of
from s2sad.normalize import COMPOUND, local_names
from s2sad.simplify import simplify
from s2sad.transforms.calls import active_parameters, derivative_call, primal_call
from s2sad.transforms.common import plain_names
from s2sad.trees import copy_tree, walk


class ForwardTransform:
    #: the mode of the callees' derivatives
    call_mode = "forward"

    def __init__(self, prepared: Prepared, primal_only: bool = False) -> None:
        self.p = prepared
        #: emit the primal alone (calls bound as in a derivative): ``f_primal``
        self.primal_only = primal_only
        self.nonzero: set[str] = set(prepared.wrt)
        self.plain = plain_names(prepared)
        self.written = prepared.written_arrays
        #: with branches and loops, which tangents are nonzero depends on the path taken:
        #: then every active name keeps a tangent, a zero one where nothing flows into it
        self.flow_insensitive = prepared.has_control_flow
        if self.flow_insensitive:
            self.nonzero = set(prepared.active) | set(prepared.wrt)

    def dot(self, name: str) -> str:
        return self.p.namer.dot(name)

    def zeros(self, value: gast.expr) -> gast.expr:
        """A zero tangent for ``value``."""
        return call(self.p.runtime("zeros_like"), value)

    def owned(self, tangent: gast.expr, name: str) -> gast.expr:
        """A fresh tangent array for ``name`` (one written in place) holding ``tangent``
        (a zero for ``None``)."""
        return call(self.p.runtime("owned"), tangent, load(name))

    def function(self, name: str) -> gast.FunctionDef:
        core = self.p.core
        body: list[gast.stmt] = []
        if self.flow_insensitive:  # parameters given no tangent that loops make active
            body += [assign(self.dot(p), self._zero(None, p))
                     for p in parameters(core) if p in self.p.active and p not in self.p.wrt]
        if not self.primal_only:  # the primal itself writes where the user's code does
            body += self.p.copied_parameters(owned=self.owned)
            body += self._outside_tangents()
        body += self._block(core.body[:-1])
        body.append(self._return(core.body[-1]))
        args = copy_tree(core.args)
        dots = [
            gast.Name(id=self.dot(p), ctx=gast.Param(), annotation=None, type_comment=None)
            for p in self.p.wrt
        ]
        if args.defaults or args.kwonlyargs or args.vararg:  # after those: keyword-only
            args.kwonlyargs = args.kwonlyargs + dots
            args.kw_defaults = args.kw_defaults + [None] * len(dots)
        else:
            args.args = args.args + dots
        definition = gast.FunctionDef(
            name=name,
            args=args,
            body=body,
            decorator_list=[],
            returns=None,
            type_comment=None,
            type_params=[],
        )
        definition.extra_parameters = [d.id for d in dots]
        return definition

    def _outside_tangents(self) -> list[gast.stmt]:
        """A zero tangent for each global array the function writes values carrying a
        derivative into (``BUF[i] = x[i] ** 2``, in a loop or not), which no statement
        of the function defines."""
        local = local_names(self.p.core)
        written = sorted({op.operands[0].id for op in self.p.operations
                          if op.kind == "setitem" and op.operands[0].id not in local
                          and op.operands[0].id in self.p.active})
        self.nonzero.update(written)
        return [assign(self.dot(name), self.zeros(load(name))) for name in written]

    # -- statements ------------------------------------------------------------------
    def _block(self, statements: list[gast.stmt]) -> list[gast.stmt]:
        body: list[gast.stmt] = []
        for statement in statements:
            if isinstance(statement, COMPOUND):
                compound = copy.copy(statement)
                compound.body = self._block(statement.body)
                target = getattr(statement, "target", None)
                if isinstance(target, gast.Name) and target.id in self.p.active and \
                        self.flow_insensitive:  # an integer from a range: a zero tangent
                    compound.body.insert(0, assign(self.dot(target.id), self._zero(
                        None, target.id)))
                if isinstance(statement, gast.If):
                    compound.orelse = self._block(statement.orelse)
                body.append(compound)
                continue
            index = self.p.index_of[id(statement)]
            operation = self.p.operations[index]
            if operation.kind in ("call", "method", "value") and self._call_carries(operation):
                body.append(self._call_tangent(operation))
                continue
            if operation.kind == "call":
                statement = primal_call(self.p, operation)
            body.append(statement)
            body.extend(self._tangent(index, operation))
        return body

    def _call_carries(self, operation: Operation) -> bool:
        targets = targets_of(operation.statement)
        return any(t in self.p.active for t in targets) and bool(
            active_parameters(self.p, operation, self._carries))

    def _call_tangent(self, operation: Operation) -> gast.stmt:
        """``y = helper(a, b)``: ``y, y_dot = helper_tangent(a, b, a_dot=a_dot)``, one call
        for the value and its tangent."""
        active = active_parameters(self.p, operation, self._carries)
        tangents = [self._tangent_of(operation.arguments[p]) for p in active]
        value = derivative_call(self.p, operation, self.call_mode, active, tangents)
        primal = copy_tree(operation.statement.targets[0])
        targets = targets_of(operation.statement)
        if isinstance(primal, gast.Name):
            tangent = gast.Name(id=self.dot(targets[0]), ctx=gast.Store(), annotation=None,
                                type_comment=None)
        else:
            tangent = gast.Tuple(elts=[gast.Name(id=self.dot(t), ctx=gast.Store(),
                                                 annotation=None, type_comment=None)
                                       for t in targets], ctx=gast.Store())
        self.nonzero.update(targets)
        statement = assign(gast.Tuple(elts=[primal, tangent], ctx=gast.Store()), value)
        statement.origin = getattr(operation.statement, "origin", None)
        return statement

    def _fresh(self, value: gast.expr) -> bool:
        """Whether ``value`` certainly makes a new array (arithmetic, a zero)."""
        if isinstance(value, (gast.BinOp, gast.UnaryOp)):
            return True
        zero = self.zeros(load("_"))
        return (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)
                and value.func.id == zero.func.id)

    def _write_tangent(self, operation: Operation, name: str) -> list[gast.stmt]:
        """``x[i] = v``: ``x_dot[i] = v_dot`` (a zero where ``v``'s tangent is zero)."""
        block, tangent = self._in_place_tangent(operation, name, "zeros_like")
        if block is None:
            return []
        target = copy_tree(operation.statement.targets[0])
        target.value = load(self.dot(name))
        block.append(assign(target, tangent if tangent is not None
                            else gast.Constant(value=0.0, kind=None)))
        return block

    def _append_tangent(self, operation: Operation, name: str) -> list[gast.stmt]:
        """``xs.append(v)``: ``xs_dot.append(v_dot)`` (a zero where ``v``'s is zero)."""
        block, tangent = self._in_place_tangent(operation, name, "owned")
        if block is None:
            return []
        if tangent is None:
            tangent = self.zeros(copy_tree(operation.operands[1]))
        append = gast.Attribute(value=load(self.dot(name)), attr="append", ctx=gast.Load())
        block.append(gast.Expr(value=gast.Call(func=append, args=[tangent], keywords=[])))
        return block

    def _accumulate_tangent(self, operation: Operation, name: str) -> list[gast.stmt]:
        """``accumulate_at(a_bar, b, g)``: the same on the tangents, ``a_bar_dot`` and
        ``g_dot``."""
        block, tangent = self._in_place_tangent(operation, name, "owned")
        if block is None or tangent is None:
            return block or []
        call_ = copy_tree(operation.statement.value)
        call_.args = [load(self.dot(name)), call_.args[1], tangent]
        return block + [gast.Expr(value=call_)]

    def _pop_tangent(self, operation: Operation, name: str, sequence: str) -> list[gast.stmt]:
        """``y = xs.pop()``: ``y_dot = xs_dot.pop()``, the tangent pushed with the value."""
        if sequence not in self.nonzero or sequence not in self.p.active:
            if name in self.p.active and self.flow_insensitive:
                return [assign(self.dot(name), self.zeros(load(name)))]
            self.nonzero.discard(name)
            return []
        pop = gast.Attribute(value=load(self.dot(sequence)), attr="pop", ctx=gast.Load())
        self.nonzero.add(name)
        return [assign(self.dot(name), gast.Call(func=pop, args=[], keywords=[]))]

    def _in_place_tangent(self, operation: Operation, name: str, zero: str):
        """For a write into ``name``: the statements giving it a tangent to write into (made
        by the runtime helper ``zero``) and the tangent of the value written; ``None``
        statements when nothing needs writing."""
        if name not in self.p.active:
            return None, None
        value = operation.operands[1]
        tangent = self._tangent_of(value) if self._carries(value) else None
        block: list[gast.stmt] = []
        if name not in self.nonzero:
            if tangent is None:
                return None, None
            made = (self.zeros(load(name)) if zero == "zeros_like" else
                    self.owned(gast.Constant(value=None, kind=None), name))
            block.append(assign(self.dot(name), made))
            self.nonzero.add(name)
        return block, tangent

    def _zero(self, value: gast.expr | None, name: str) -> gast.expr:
        """The zero tangent of ``name = value``."""
        if isinstance(value, gast.Constant) and isinstance(value.value, (int, float)):
            return gast.Constant(value=0.0, kind=None)
        return self.zeros(load(name))

    def _tangent_of(self, atom: gast.expr) -> gast.expr | None:
        """The tangent of an atom, or None when it is a symbolic zero."""
        if isinstance(atom, gast.Name):
            return load(self.dot(atom.id)) if atom.id in self.nonzero else None
        if isinstance(atom, gast.Dict):  # the keyword arguments bound to **kwargs
            parts = [self._tangent_of(v) for v in atom.values]
            if all(p is None for p in parts):
                return None
            return gast.Dict(keys=[copy_tree(k) for k in atom.keys], values=[
                p if p is not None else self.zeros(copy_tree(v))
                for p, v in zip(parts, atom.values)])
        if isinstance(atom, (gast.Tuple, gast.List)):
            parts = [self._tangent_of(e) for e in atom.elts]
            if all(p is None for p in parts) and (atom.elts or isinstance(atom, gast.Tuple)):
                return None
            elements = [p if p is not None else self.zeros(e)
                        for p, e in zip(parts, atom.elts)]
            if isinstance(atom, gast.List):  # a new list: it may be appended to
                return gast.List(elts=elements, ctx=gast.Load())
            return tuple_of(elements)
        return None

    def _carries(self, atom: gast.expr) -> bool:
        return any(
            isinstance(n, gast.Name) and n.id in self.nonzero and n.id in self.p.active
            for n in walk(atom)
        )

    def _tangent(self, index: int, operation: Operation) -> list[gast.stmt]:
        targets = targets_of(operation.statement)
        if operation.kind == "setitem":
            return self._write_tangent(operation, targets[0])
        if operation.kind == "append":
            return self._append_tangent(operation, targets[0])
        if operation.kind == "pop":
            return self._pop_tangent(operation, targets[0], targets[1])
        if operation.kind == "accumulate":
            return self._accumulate_tangent(operation, targets[0])
        if not any(t in self.p.active for t in targets):
            if not self.flow_insensitive:
                self.nonzero.difference_update(targets)
            return []
        value = self._contribution(index, operation, targets)
        if value is None and self.flow_insensitive:  # nothing flows in: a zero tangent
            statement = operation.statement
            if len(targets) == 1 and isinstance(statement.targets[0], gast.Name):
                value = self._zero(statement.value, targets[0])
            else:
                value = self.zeros(tuple_of([load(t) for t in targets]))
        if value is None:
            self.nonzero.difference_update(targets)
            return []
        self.nonzero.update(targets)
        if len(targets) == 1 and isinstance(operation.statement.targets[0], gast.Name):
            if targets[0] in self.written and not self._fresh(value):  # x_dot[i] = ... next
                value = self.owned(value, targets[0])
            return [assign(self.dot(targets[0]), value)]
        target = gast.Tuple(
            elts=[
                gast.Name(id=self.dot(t), ctx=gast.Store(), annotation=None, type_comment=None)
                for t in targets
            ],
            ctx=gast.Store(),
        )
        return [assign(target, value)]

    def _contribution(
        self, index: int, operation: Operation, targets: list[str]
    ) -> gast.expr | None:
        kind = operation.kind
        if kind == "display" and isinstance(operation.statement.value, gast.Dict):
            display = operation.statement.value
            tangents = [self._tangent_of(v) for v in display.values]
            if all(t is None for t in tangents):
                return None
            return gast.Dict(keys=[copy_tree(k) for k in display.keys], values=[
                t if t is not None else self.zeros(copy_tree(v))
                for t, v in zip(tangents, display.values)])
        if kind in ("copy", "display", "unpack"):
            value = operation.operands[0] if kind != "display" else tuple_of(operation.operands)
            if kind == "display" and isinstance(operation.statement.value, gast.List):
                value = gast.List(elts=value.elts, ctx=gast.Load())  # a list's tangent: a list
            return self._tangent_of(value)
        if kind == "inactive":
            return None
        carrying = [p for p, atom in operation.arguments.items() if self._carries(atom)
                    and not (operation.rules is not None and p in operation.rules.constant)]
        if not carrying:
            return None
        if kind == "opaque":
            raise self.p.missing(operation, "forward")
        statement = operation.statement
        ans = statement.targets[0] if isinstance(statement, gast.Assign) else None
        ans = load(ans.id) if isinstance(ans, gast.Name) else tuple_of([load(t) for t in targets])
        total = None
        for param in carrying:
            atom = operation.arguments[param]
            term = self._term(index, operation, param, self._tangent_of(atom), ans)
            if total is None:
                total = term
            elif len(targets) > 1 or targets[0] not in self.plain:
                total = call(self.p.runtime("add"), total, term)
            else:
                total = add(total, term)
        return simplify(total, reassociate=True)

    def _term(self, index: int, operation: Operation, param: str, tangent: gast.expr,
              ans: gast.expr) -> gast.expr:
        """The contribution of ``param``'s tangent to the result's tangent, by its rule."""
        rules = operation.rules
        if param in rules.jvps:
            return self.p.inliner.expand(rules.jvps[param].template, [tangent, ans],
                                         operation.arguments,
                                         self.p.same_shape(index, operation), param)
        if param in rules.linear:
            return self._linear_term(operation.statement.value, operation.arguments[param],
                                     tangent)
        raise self.p.missing(operation, "forward", param)

    @staticmethod
    def _linear_term(value: gast.expr, atom: gast.expr, tangent: gast.expr) -> gast.expr:
        """The primal call with the tangent in place of the argument. A ``*args`` argument
        is a tuple made by binding, not a node of the call: replace its elements one by one."""
        if any(node is atom for node in walk(value)):
            return replace_node(value, atom, tangent)
        if isinstance(tangent, gast.Tuple):
            return replace_nodes(value, list(zip(atom.elts, tangent.elts)))
        return _starred_in_place(value, atom.elts, tangent)

    def _return(self, statement: gast.Return) -> gast.Return:
        value = statement.value
        if self.primal_only:
            return gast.Return(value=copy_tree(value))
        atoms = value.elts if isinstance(value, gast.Tuple) else [value]
        tangents = []
        for atom in atoms:
            tangent = self._tangent_of(atom) if self._carries(atom) else None
            tangents.append(
                tangent
                if tangent is not None
                else self.zeros(copy_tree(atom))
            )
        out = tuple_of(tangents) if isinstance(value, gast.Tuple) else tangents[0]
        return gast.Return(value=tuple_of([copy_tree(value), out]))


def _starred_in_place(call_node: gast.Call, elements: list, tangent: gast.expr) -> gast.Call:
    """A copy of ``call_node`` with its positional arguments ``elements`` (a ``*args``
    tuple) given as ``*tangent`` instead, one tangent standing for the whole tuple."""
    result = copy_tree(call_node)
    positions = [i for i, a in enumerate(call_node.args) if any(a is e for e in elements)]
    if not positions:
        return result
    starred = gast.Starred(value=copy_tree(tangent), ctx=gast.Load())
    kept = [a for i, a in enumerate(result.args) if i not in positions]
    kept.insert(positions[0], starred)
    result.args = kept
    return result
