"""The two printers ``s2sad.emit`` may use write the same text: astor (Python 3.10 and 3.11)
and ``ast.unparse`` in astor's style (``s2sad/unparse.py``, Python 3.12 and later). Where
astor is installed, every tree the corpora emit is printed by both and compared; on Pythons
without astor, the golden files (``tests/golden``) hold the unparse printer to astor's text.
"""

import ast
import inspect
import sys
import textwrap

import pytest

import s2sad
from s2sad import emit
from s2sad.errors import S2sadError
from s2sad.unparse import unparse

needs_astor = pytest.mark.skipif("astor" not in emit.PRINTERS,
                                 reason="astor is used on Python < 3.12 only")

#: statements whose printing differs between astor and plain ``ast.unparse``
STATEMENTS = """
return a, b
return (yield)
return -a
return
x = {1: 2, 'a': b + 1, c: -1, **d}
x = 1e400
x = -1e400
x = float('nan')
x = [1 for i in y]
x = [-i for i in y]
x = [i + 1 for i in y if i > 2]
x = {i: i + 1 for i in y}
x = {i * 2 for i in y}
x = sum(i * 2 for i in y)
x = g(a, (i * 2 for i in y))
x = (1).real
x = (1.5).real
x = (a + b).T
x = a or b and c
x = (a or b) and c
x = lambda: 0
x = lambda a, *b, c=1, **d: a + b
x = 1j
x = 2 + 3j
x = -(2 + 3j)
x = a ** -b
x = -a ** b
x = (-a) ** b
x = a ** b ** c
x = (a ** b) ** c
x = a - (b - c)
x = a @ (b @ c)
x = a if b else (c if d else e)
x = (a if b else c) + 1
x = a[1:2, ::3]
x = a[b, c:d]
x = a[(1, 2)]
x = a[()]
x = a[..., None]
x = a[:, -1]
x = ()
x = (a,)
x = a, (b, c)
a, b = b, a
a[0], b.c = 1, 2
x += a, b
f((a, b))
f((a,))
f(a, *b, c=d, **e)
x = not a == b
x = a < b < c
x = "a'b\\"c"
x = -a.b
x = (-a).b
for a, b in c: pass
x = [a for a, b in c]
x = {a: b for (a, b), d in c}
del a[0], b
"""


@pytest.mark.parametrize("statement", STATEMENTS.strip().splitlines())
@needs_astor
def test_statements_print_alike(statement):
    tree = ast.parse("def f():\n" + textwrap.indent(statement, "    "))
    assert unparse(tree) == emit.PRINTERS["astor"](tree)


@pytest.mark.parametrize("statement", STATEMENTS.strip().splitlines())
def test_statements_print_what_they_parse_from(statement):
    """On every Python: the text ``unparse`` writes parses back to the same tree."""
    tree = ast.parse("def f():\n" + textwrap.indent(statement, "    "))
    assert ast.dump(ast.parse(unparse(tree))) == ast.dump(tree)


@needs_astor
def test_the_corpora_print_alike(monkeypatch):
    """Every corpus function and workload, forward and reverse (``python -m
    tests.compiler.emitted`` covers all five modes and random programs, printing with the
    printer of the Python it runs on)."""
    from s2sad.testing.rules import is_differentiable
    from tests.compiler.emitted import _corpora

    printed = []
    astor_printer = emit.PRINTERS["astor"]

    def both(tree):
        text = astor_printer(tree)
        printed.append((text, unparse(tree)))
        return text

    monkeypatch.setitem(emit.PRINTERS, "astor", both)
    monkeypatch.setattr(emit, "PRINTER", "astor")
    s2sad.clear_cache()
    try:
        for _, function, args in _corpora():
            names = [p for p, a in zip(inspect.signature(function).parameters, args)
                     if is_differentiable(a)]
            for mode in ("forward", "reverse"):
                try:
                    s2sad.source(function, mode=mode, wrt=tuple(names) or (0,))
                except S2sadError:
                    pass
    finally:
        s2sad.clear_cache()
    assert len(printed) > 300
    differ = [pair for pair in printed if pair[0] != pair[1]]
    assert not differ, f"{len(differ)} of {len(printed)} differ, the first:\n" + "\n".join(
        differ[0])


def test_the_printer_of_this_python():
    assert emit.PRINTER == ("astor" if sys.version_info < (3, 12) else "ast.unparse")
