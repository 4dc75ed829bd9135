"""Python source for an ``ast`` tree through the standard library's printer
(``ast.unparse``), written exactly as astor writes it.

Used where astor cannot be (Python 3.12 and later, where importing it warns, and 3.14,
where it fails). The differences from ``ast.unparse`` are astor's choices: no parentheses
around a tuple that is a whole statement's value, none where precedence does not need them
(``a or b and c``, ``a ** -b``, ``f(x for x in y)``), and parentheses around a
comprehension's element or a dict's key that is an operation or a number, around a number
before an attribute, ``lambda : 0``, infinity as ``1e1000`` and imaginary parts as floats.
``tests/compiler/test_emit.py`` compares the two printers on everything the corpus emits.

>>> import ast
>>> print(unparse(ast.parse("return a, b\\nx = [i + 1 for i in y]\\nz = a or b and c")), end="")
return a, b
x = [(i + 1) for i in y]
z = a or b and c
"""

from __future__ import annotations

import ast
import math

_P = ast._Precedence
#: the precedence astor gives an operand it leaves unmarked: every operation in parentheses
_HIGHEST = max(_P) + 1


class _AstorStyle(ast._Unparser):
    """``ast.unparse``'s printer with astor's layout."""

    def get_type_comment(self, node):
        return None

    # tuples bare where a statement takes them whole
    def visit_Tuple(self, node):
        with self.delimit_if("(", ")", not node.elts or self.get_precedence(node) > _P.TUPLE):
            self.items_view(self.traverse, node.elts)

    def _bare_tuple(self, value):
        if isinstance(value, ast.Tuple):
            self.set_precedence(_P.TUPLE, value)

    def visit_Return(self, node):
        self._bare_tuple(node.value)
        super().visit_Return(node)

    def visit_Assign(self, node):
        for part in (*node.targets, node.value):
            self._bare_tuple(part)
        super().visit_Assign(node)

    def visit_For(self, node):
        self._bare_tuple(node.target)
        super().visit_For(node)

    def visit_comprehension(self, node):
        self._bare_tuple(node.target)
        super().visit_comprehension(node)

    def visit_AugAssign(self, node):
        self._bare_tuple(node.value)
        super().visit_AugAssign(node)

    def visit_Expr(self, node):
        self._bare_tuple(node.value)
        super().visit_Expr(node)

    # operands astor leaves unmarked
    def visit_ListComp(self, node):
        self.set_precedence(_HIGHEST, node.elt)
        super().visit_ListComp(node)

    def visit_SetComp(self, node):
        self.set_precedence(_HIGHEST, node.elt)
        super().visit_SetComp(node)

    def visit_DictComp(self, node):
        self.set_precedence(_HIGHEST, node.key, node.value)
        super().visit_DictComp(node)

    def visit_Dict(self, node):
        self.set_precedence(_HIGHEST, *(key for key in node.keys if key is not None))
        super().visit_Dict(node)

    def visit_Attribute(self, node):
        self.set_precedence(_HIGHEST, node.value)
        self.traverse(node.value)
        self.write(".")
        self.write(node.attr)

    def visit_Constant(self, node):
        number = type(node.value) in (int, float, complex)
        with self.delimit_if("(", ")", number and self.get_precedence(node) == _HIGHEST):
            if number:
                self.write(_number(node.value))
            else:
                super().visit_Constant(node)

    # no parentheses that precedence does not need
    def visit_BoolOp(self, node):
        operator = self.boolops[type(node.op).__name__]
        precedence = self.boolop_precedence[operator]
        with self.require_parens(precedence, node):
            self.set_precedence(precedence.next(), *node.values)
            self.interleave(lambda: self.write(f" {operator} "), self.traverse, node.values)

    def visit_BinOp(self, node):
        if isinstance(node.op, ast.Pow) and isinstance(node.right, ast.UnaryOp):
            self._power_exponents.add(id(node.right))
        super().visit_BinOp(node)

    def visit_UnaryOp(self, node):
        if id(node) in self._power_exponents:
            self._precedences[node] = _P.FACTOR
        super().visit_UnaryOp(node)

    def visit_Call(self, node):
        if len(node.args) == 1 and not node.keywords and isinstance(node.args[0],
                                                                  ast.GeneratorExp):
            self._sole_arguments.add(id(node.args[0]))
        super().visit_Call(node)

    def visit_GeneratorExp(self, node):
        with self.delimit_if("(", ")", id(node) not in self._sole_arguments):
            self.traverse(node.elt)
            for generator in node.generators:
                self.traverse(generator)

    def visit_Lambda(self, node):
        with self.require_parens(_P.TEST, node):
            self.write("lambda ")
            self.traverse(node.args)
            self.write(": ")
            self.set_precedence(_P.TEST, node.body)
            self.traverse(node.body)


def _number(value) -> str:
    """A number as astor writes it: infinity as ``1e1000``, NaN as ``(1e1000-1e1000)``,
    a complex number's parts as floats."""
    def part(p, suffix=""):
        if isinstance(p, float) and math.isinf(p):
            return ("-1e1000" if p < 0 else "1e1000") + suffix
        if isinstance(p, float) and math.isnan(p):
            return f"(1e1000{suffix}-1e1000{suffix})"
        return repr(p) + suffix

    if type(value) is not complex:
        return part(value)
    imaginary = part(value.imag, "j")
    if value.real == 0:
        return imaginary
    if value.imag == 0:
        return f"({part(value.real)}+0j)"
    return f"({part(value.real)}{'' if imaginary.startswith('-') else '+'}{imaginary})"


def unparse(tree: ast.AST) -> str:
    """The source of ``tree`` as astor writes it, ending with a newline."""
    printer = _AstorStyle()
    printer._power_exponents = set()
    printer._sole_arguments = set()
    return printer.visit(tree) + "\n"
