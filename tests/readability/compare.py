"""How far s2sad's emitted derivatives are from the hand-written ones of ``expected/``:
``python -m tests.readability.compare`` prints, for each of the twenty functions
(``functions.py``) and each mode, ``match`` or a unified diff of the two normalized sources
with its count of changed lines, then how many of the forty matched and the changed lines in
all.

The emitted source is the version the arguments of ``functions.py`` select
(``s2sad.source(..., args=...)``). Both sources are normalized the same way before their
trees are compared exactly: comments go (by parsing), as do docstrings and a leading
version guard (``if not ...: return <name>_general(...)``); temporaries are renamed
``_v1``, ``_v2``, ... in the order they first appear. A temporary is a name the derivative
binds that is none of its parameters, no name of the primal function's source, and no such
name with ``_bar`` or ``_dot`` after it (``h_bar`` is the adjoint of the user's ``h``, not
a temporary).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import inspect
import textwrap
from pathlib import Path

import s2sad
from tests.readability.functions import ALL_FUNCTIONS

EXPECTED = Path(__file__).parent / "expected"
MODES = {"reverse": "adjoint", "forward": "tangent"}


def source_names(source: str) -> set[str]:
    """Every name a function's source reads, binds or takes as a parameter."""
    tree = ast.parse(textwrap.dedent(source))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return names | {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}


def user_names(primal_source: str) -> set[str]:
    """The names that are kept as they are: the primal's names, and their adjoints and
    tangents."""
    names = source_names(primal_source)
    return names | {name + suffix for name in names for suffix in ("_bar", "_dot")}


def function_definition(source: str, name: str | None = None) -> ast.FunctionDef:
    """The function definition named ``name`` in ``source`` (the first one without a name)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and name in (None, node.name):
            return node
    raise LookupError(f"no function {name or ''} in the source")


def is_version_guard(statement: ast.stmt) -> bool:
    """``if not ...: return <name>_general(...)``: the test that hands other arguments to
    the general version."""
    if not (isinstance(statement, ast.If) and not statement.orelse
            and isinstance(statement.test, ast.UnaryOp)
            and isinstance(statement.test.op, ast.Not) and len(statement.body) == 1):
        return False
    returned = statement.body[0]
    return (isinstance(returned, ast.Return) and isinstance(returned.value, ast.Call)
            and isinstance(returned.value.func, ast.Name)
            and returned.value.func.id.endswith("_general"))


def is_docstring(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str))


def bound_names(definition: ast.FunctionDef) -> list[str]:
    """The names the function binds, in the order they first appear."""
    return list(dict.fromkeys(name.id for name in names_in_order(definition)
                              if isinstance(name.ctx, ast.Store)))


def names_in_order(node: ast.AST) -> list[ast.Name]:
    """The ``Name`` nodes under ``node`` in the order of the source."""
    found = []

    class Visitor(ast.NodeVisitor):
        def visit_Name(self, name: ast.Name) -> None:
            found.append(name)

    Visitor().visit(node)
    return found


def rename_temporaries(definition: ast.FunctionDef, kept: set[str]) -> None:
    """Rename the temporaries of ``definition`` to ``_v1``, ``_v2``, ... in the order they
    first appear, read or bound."""
    parameters = {arg.arg for arg in definition.args.args}
    temporaries = set(bound_names(definition)) - parameters - kept
    canonical: dict[str, str] = {}
    for name in names_in_order(definition):
        if name.id in temporaries:
            name.id = canonical.setdefault(name.id, f"_v{len(canonical) + 1}")


def normalize(source: str, kept: set[str], name: str | None = None) -> ast.FunctionDef:
    """The definition of ``name`` in ``source`` without docstring, comments and leading
    version guard, its temporaries renamed."""
    definition = function_definition(source, name)
    body = definition.body
    if body and is_docstring(body[0]):
        body = body[1:]
    if body and is_version_guard(body[0]):
        body = body[1:]
    definition.body = body
    rename_temporaries(definition, kept)
    return definition


def same(first: str, second: str, kept: set[str]) -> bool:
    """Whether the first functions of two sources are the same once normalized."""
    return ast.dump(normalize(first, kept)) == ast.dump(normalize(second, kept))


def expected_source(function, mode: str) -> tuple[str, str]:
    """The hand-written derivative's file text and its function's name."""
    name = f"{function.__name__}_{MODES[mode]}"
    return (EXPECTED / f"{name}.py").read_text(), name


def compare(function, args, wrt, mode: str) -> tuple[bool, str]:
    """Whether s2sad's derivative of ``function`` in ``mode`` is the hand-written one, and
    the unified diff of the two normalized sources when it is not."""
    kept = user_names(inspect.getsource(function))
    emitted = normalize(s2sad.source(function, mode=mode, wrt=wrt, args=args), kept)
    text, name = expected_source(function, mode)
    wanted = normalize(text, kept, name)
    if ast.dump(emitted) == ast.dump(wanted):
        return True, ""
    diff = difflib.unified_diff(ast.unparse(wanted).splitlines(),
                                ast.unparse(emitted).splitlines(),
                                "expected", "emitted", lineterm="")
    return False, "\n".join(diff)


def changed_lines(diff: str) -> int:
    """The lines a unified diff removes or adds."""
    return sum(1 for line in diff.splitlines()[2:] if line[:1] in "+-")


def results() -> list[tuple[str, str, bool, str]]:
    """For each function and mode: its name, the mode, whether it matched, the diff."""
    rows = []
    for function, (args, wrt) in ALL_FUNCTIONS.items():
        for mode in MODES:
            matched, diff = compare(function, args, wrt, mode)
            rows.append((function.__name__, mode, matched, diff))
    return rows


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    rows = results()
    for name, mode, matched, diff in rows:
        verdict = "match" if matched else f"differs, {changed_lines(diff)} lines"
        print(f"## {name} {mode}: {verdict}")
        if diff:
            print(diff)
    print(f"matched {sum(row[2] for row in rows)} of {len(rows)}; "
          f"{sum(changed_lines(row[3]) for row in rows)} changed lines in all")


if __name__ == "__main__":
    main()
