"""The shape of the code: imports run one way, front to back, and the stages stay apart.

Every import counts, also one inside a function (it runs back up all the same); one under
``if TYPE_CHECKING:``, for annotations only, never runs and does not.
``python -m tests.test_architecture`` prints the figures: import circles, the largest
modules and the longest functions.
"""

from __future__ import annotations

import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "s2sad"


def _modules() -> dict[str, pathlib.Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(module: str, path: pathlib.Path) -> set[str]:
    """The s2sad modules ``module`` imports (``from s2sad import runtime`` imports
    ``s2sad.runtime``, not the package's ``__init__``)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text())
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
                   for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in typing_only:  # for annotations only: never runs
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            submodules = {f"{source}.{a.name}" for a in node.names} & MODULES.keys()
            found |= submodules
            if source in MODULES and len(submodules) < len(node.names):
                found.add(source)
    found.discard(module)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def circles() -> list[list[str]]:
    """The import circles: strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(GRAPH[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    return found


def test_no_import_circle():
    assert circles() == []


def _under(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


#: the modules that ask for derivatives, as the user does, and so may import the pipeline
_ABOVE_THE_PIPELINE = {"s2sad", "s2sad.__main__", "s2sad.api", "s2sad.jacobians",
                       "s2sad.custom", "s2sad.cli", "s2sad.checkpointing", "s2sad.pipeline"}

#: (importer, imported): a stage never imports a later one; rules and the runtime never
#: import the compiler
_FORBIDDEN = [
    (("s2sad.analyses",), ("s2sad.transforms", "s2sad.optimize", "s2sad.versions",
                           "s2sad.compiler")),
    (("s2sad.transforms",), ("s2sad.optimize.driver", "s2sad.versions", "s2sad.compiler")),
    (("s2sad.lowering", "s2sad.lift", "s2sad.specialize", "s2sad.fence", "s2sad.normalize",
      "s2sad.frontend"), ("s2sad.analyses", "s2sad.transforms", "s2sad.optimize")),
    (("s2sad.runtime",), ("s2sad.analyses", "s2sad.transforms", "s2sad.optimize",
                          "s2sad.rules", "s2sad.templates", "s2sad.compiler")),
]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_only_the_api_imports_the_pipeline(module):
    if module in _ABOVE_THE_PIPELINE or _under(module, "s2sad.testing"):
        return
    assert not GRAPH[module] & {"s2sad.pipeline", "s2sad.api"}, (
        f"{module} imports the pipeline: hand it what it needs (s2sad/callees.py)")


@pytest.mark.parametrize("importers, imported", _FORBIDDEN)
def test_stages_import_front_to_back(importers, imported):
    backward = sorted((m, i) for m in GRAPH if _under(m, *importers)
                      for i in GRAPH[m] if _under(i, *imported))
    assert backward == []


def _function_lengths() -> list[tuple[int, str]]:
    lengths = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lengths.append((node.end_lineno - node.lineno + 1, f"{module}.{node.name}"))
    return sorted(lengths, reverse=True)


def figures(out=sys.stdout) -> None:
    """Import circles, the largest modules, the longest functions."""
    found = circles()
    print(f"import circles: {len(found)} "
          f"({', '.join(str(len(c)) + ' modules' for c in found) or 'none'})", file=out)
    sizes = sorted(((len(p.read_text().splitlines()), m) for m, p in MODULES.items()),
                   reverse=True)
    print(f"modules: {len(sizes)}, over 500 lines: {sum(s > 500 for s, _ in sizes)}",
          file=out)
    for size, module in sizes[:8]:
        print(f"  {size:5d}  {module}", file=out)
    lengths = _function_lengths()
    print(f"functions: {len(lengths)}, over 50 lines: {sum(n > 50 for n, _ in lengths)}",
          file=out)
    for length, name in lengths[:8]:
        print(f"  {length:5d}  {name}", file=out)


if __name__ == "__main__":
    figures()
