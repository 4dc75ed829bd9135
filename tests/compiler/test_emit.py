"""Our own conversions between gast trees and Python's ``ast`` give what gast's do."""

import ast

import gast

from s2sad.emit import PRINTERS, to_ast
from s2sad.frontend import parse

SOURCE = '''
def f(a, /, b: float, *args, c=1.0, d, **kwargs) -> float:
    """A docstring."""
    x: int = 3
    y = [v * 2 for v in args if v > 0]
    z = {k: w for k, w in kwargs.items()}
    try:
        y = a[1:2, ::3] @ b ** -c
    except ValueError as error:
        raise TypeError(f"{error!r:>4}") from error
    with open(d) as handle, open(d):
        pass
    for i in range(3):
        x += i if i else -i
    else:
        del z
    while not x and (y or b):
        break
    lambda q, *r, s=2: (q, *r, s)
    return (yield from x)
'''


def test_to_ast_gives_what_gast_gives():
    tree = gast.parse(SOURCE)
    assert ast.dump(to_ast(tree)) == ast.dump(gast.gast_to_ast(tree))
    for printer in PRINTERS.values():
        assert printer(to_ast(tree)) == printer(gast.gast_to_ast(tree))


def _same(ours, theirs, path="tree"):
    """Equal gast trees: the same node types, fields and positions."""
    assert type(ours) is type(theirs), path
    if isinstance(ours, list):
        assert len(ours) == len(theirs), path
        for k, (a, b) in enumerate(zip(ours, theirs)):
            _same(a, b, f"{path}[{k}]")
    elif isinstance(ours, gast.AST):
        for name in ours._fields + ours._attributes:
            _same(getattr(ours, name, None), getattr(theirs, name, None), f"{path}.{name}")
    else:
        assert ours == theirs, path


def test_parse_gives_what_gast_gives():
    _same(parse(SOURCE), gast.parse(SOURCE))
