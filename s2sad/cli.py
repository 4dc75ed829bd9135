"""The ``s2sad`` command: print or write the derivatives of the functions in a file.

``s2sad rules [--json]`` lists every function with derivative rules instead (the first
argument ``rules`` always means this command; a file of that name is ``./rules``).

Exit status: 0 on success, 1 for an error in the user's code (printed as
``file:line:col: message`` with the line and a caret), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import inspect
import re
import sys
import types
from collections.abc import Sequence
from pathlib import Path

from s2sad.errors import S2sadError, UnsupportedSyntaxError
from s2sad.lecture.highlight import as_ansi, wants_colour
from s2sad.namespace import import_line
from s2sad.pipeline import Request, derivative
from s2sad.rules import catalog
from s2sad.version import VERSION

USAGE_ERROR = 2
USER_ERROR = 1
RULES_COMMAND = "rules"
#: the lecture's views (s2sad/lecture/commands.py)
LECTURE_COMMANDS = ("trace", "graph", "html")

_DESCRIPTION = """\
Emit the derivative source of Python functions.

For each named function (every top-level function of FILE when none is named), print
its tangent (forward mode) and/or adjoint (reverse mode) as Python source. With -o, write
one module that imports with only numpy and s2sad.runtime.
"""

_EPILOG = """\
other commands:
  s2sad rules [--json]  list every function with derivative rules and its modes
                        (see s2sad rules --help). A first argument "rules" always
                        means this command: write ./rules for a file of that name.
  s2sad trace FILE.py FUNC --at 2,5
                        the lecture's primal, tangent and adjoint traces of a
                        function of real numbers (see s2sad trace --help)
  s2sad graph FILE.py FUNC [--at 2,5] [-o graph.dot|svg|png]
                        its computational graph (see s2sad graph --help)
  s2sad html FILE.py [FUNC ...] -o derivatives.html
                        a page showing each function beside its tangent and
                        adjoint, highlighted (see s2sad html --help)
"""

_RULES_DESCRIPTION = """\
Print every function s2sad has derivative rules for, with the arguments each mode
differentiates and the rules module declaring them: a markdown table (the text of
docs/rules.md) or, with --json, the same data as JSON. SciPy's rules are listed when SciPy
is installed.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="s2sad",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"s2sad {VERSION}")
    parser.add_argument("file", help="a Python file (imported, as python FILE would run it)")
    parser.add_argument(
        "functions",
        nargs="*",
        metavar="FUNC",
        help="functions to differentiate (default: all top-level functions)",
    )
    parser.add_argument(
        "--mode",
        choices=("reverse", "forward", "vector", "both"),
        default="reverse",
        help="which derivative to emit: reverse, forward, vector (forward mode carrying "
        "K directions at once) or both forward and reverse (default: reverse)",
    )
    parser.add_argument(
        "--wrt",
        default=None,
        help="comma-separated parameter names or positions (default: the first)",
    )
    parser.add_argument("-o", "--output", default=None, help="write the module to this file")
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="highlight the printed source with ANSI colours: on a terminal (auto, "
        "default; not when NO_COLOR is set), always or never (needs Pygments)",
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="start each adjoint with comments saying what its forward sweep records",
    )
    return parser


def _rules_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"s2sad {RULES_COMMAND}",
        description=_RULES_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    return parser


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str]):
    """The options, or the exit status when argparse exits (0 for --help, 2 for an error)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and USAGE_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == [RULES_COMMAND]:
        return _rules(argv[1:])
    if argv[:1] and argv[0] in LECTURE_COMMANDS:
        return _lecture(argv[0], argv[1:])
    options = _parse(_parser(), argv)
    if isinstance(options, int):
        return options
    path = Path(options.file)
    refused = _refused_paths(path, options.output)
    if refused is not None:
        return refused
    loaded = _functions_of(path, options.functions)
    if isinstance(loaded, int):
        return loaded
    module, functions = loaded
    modes = ("forward", "reverse") if options.mode == "both" else (options.mode,)
    output = _Output((module, path.stem), writing=bool(options.output))
    try:
        for function in functions:
            wrt = _wrt(function, options.wrt)
            if isinstance(wrt, str):
                print(f"s2sad: {wrt}", file=sys.stderr)
                return USAGE_ERROR
            for mode in modes:
                output.add(derivative(function, Request(
                    mode, wrt, wrt_tuple=len(wrt) > 1,
                    report=options.report and mode == "reverse")))
    except UnsupportedSyntaxError as error:
        print(str(error), file=sys.stderr)
        return USER_ERROR
    except S2sadError as error:
        print(f"s2sad: {error}", file=sys.stderr)
        return USER_ERROR
    output.emit(options.output, path, colour=wants_colour(options.color))
    return 0


def _refused_paths(path: Path, output: str | None) -> int | None:
    """The exit status for a file to read that is not there or one to write in no folder
    (saying so), or None."""
    if not path.is_file():
        print(f"s2sad: no such file: {path}", file=sys.stderr)
        return USAGE_ERROR
    if output and not Path(output).resolve().parent.is_dir():
        print(f"s2sad: cannot write {output}: no folder {Path(output).parent}",
              file=sys.stderr)
        return USAGE_ERROR
    return None


def _functions_of(path: Path, names: Sequence[str]) -> tuple[types.ModuleType, list] | int:
    """The user's module and the functions of it to differentiate, or the exit status
    (saying why there are none)."""
    try:
        module = _load(path)
    except Exception as error:  # the user's module failed to import
        print(f"s2sad: cannot import {path}: {type(error).__name__}: {error}", file=sys.stderr)
        return USER_ERROR
    functions = _select(module, names)
    if isinstance(functions, str):
        print(f"s2sad: {functions}", file=sys.stderr)
        return USAGE_ERROR
    if not functions:
        print(f"s2sad: {path} defines no function to differentiate", file=sys.stderr)
        return USER_ERROR
    return module, functions


class _Output:
    """The derivatives' sources in order; for a module written to a file, also the imports
    they need and the derivatives of the user functions they call."""

    def __init__(self, user: tuple[types.ModuleType, str], writing: bool) -> None:
        self.user = user
        self.writing = writing
        self.chunks: list[str] = []
        self.imports: set[str] = set()
        self.aliases: set[str] = set()
        self.written: dict[str, int] = {}  # function name -> id of the derivative under it

    def add(self, generated) -> None:
        self.chunks.append(generated.source)
        if self.writing:
            _write_with_callees(generated, self.chunks, self.imports, self.aliases,
                                self.written, self.user)

    def emit(self, output: str | None, path: Path, colour: bool = False) -> None:
        """Print the sources (highlighted with ``colour``), or write them to ``output`` as a
        module that stands alone."""
        text = "\n\n".join(self.chunks)
        if self.aliases:  # callees' derivatives under the names the derivatives call them by
            text += "\n\n" + "\n".join(sorted(self.aliases)) + "\n"
        if not output:
            sys.stdout.write(as_ansi(text) if colour else text)
            return
        header = [f'"""Derivatives of {path.name}, emitted by s2sad."""', ""]
        lines = sorted(self.imports, key=lambda line: (not line.startswith("import"), line))
        lines += _user_imports(self.user[0], path)
        # each import once; builtins are there without one
        header += [line for line in dict.fromkeys(lines) if not line.startswith("from builtins ")]
        Path(output).write_text("\n".join(header) + "\n\n\n" + text)


def _write_with_callees(generated, chunks: list[str], imports: set[str], aliases: set[str],
                        written: dict[str, int], user: tuple[types.ModuleType, str]) -> None:
    """The imports ``generated`` needs, and the source of the derivatives of the user
    functions it calls (recursively), so that the written module stands alone."""
    # a specialized derivative's source holds its general version too, which may reach
    # other objects (conj, say) and call other derivatives
    versions = [generated] if generated.general is None else \
        [generated.general.generated(), generated]
    bindings = {name: value for version in versions
                for name, value in version.bindings.items()}
    callees = {id(g.function): g for version in versions for g, _ in version.depends}
    defined = set(re.findall(r"^def (\w+)\(", generated.source, flags=re.MULTILINE))
    used = set(re.findall(r"\w+", generated.source))
    module, stem = user
    for name in sorted(used - set(bindings) - defined):  # globals read live
        value = vars(module).get(name, None)
        if value is not None and not name.startswith("__") and not isinstance(
                value, types.ModuleType) and name in _top_level_names(module):
            imports.add(f"from {stem} import {name}")
    for name, value in sorted(bindings.items()):
        if name not in used or getattr(value, "__name__", None) in defined:
            continue  # unused, or defined in the same source (a general version)
        callee = callees.get(id(value))
        if callee is None and vars(module).get(name, None) is value and \
                not isinstance(value, types.ModuleType):
            imports.add(f"from {stem} import {name}")  # a global of the file itself
            continue
        if callee is None:
            line = import_line(name, value)
            # the file was loaded under a name of s2sad's own: import from the file's module
            imports.add(re.sub(r"^from _s2sad_cli_(\w+) import", r"from \1 import", line))
            continue
        function_name = value.__name__
        if written.get(function_name, id(callee)) != id(callee):
            raise S2sadError(f"two different derivatives are both named {function_name}; "
                             "rename one of the functions they come from")
        if function_name != name:
            aliases.add(f"{name} = {function_name}")
        if function_name not in written:
            written[function_name] = id(callee)
            chunks.append(callee.source)
            _write_with_callees(callee, chunks, imports, aliases, written, user)


def _top_level_names(module: types.ModuleType) -> set[str]:
    """The names the file itself defines at top level (not those it imports)."""
    import ast

    source = Path(module.__file__).read_text() if getattr(module, "__file__", None) else ""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def _rules(argv: Sequence[str]) -> int:
    if Path(RULES_COMMAND).is_file():
        print(
            f"s2sad: {RULES_COMMAND!r} is the command listing the rules; "
            f"for the file of that name, write ./{RULES_COMMAND}",
            file=sys.stderr,
        )
    options = _parse(_rules_parser(), argv)
    if isinstance(options, int):
        return options
    listed = catalog.catalog()
    sys.stdout.write(catalog.as_json(listed) if options.json else catalog.document(listed))
    return 0


def _lecture(command: str, argv: Sequence[str]) -> int:
    from s2sad.lecture.commands import COMMANDS, Tools

    if Path(command).is_file():
        print(f"s2sad: {command!r} is a command; for the file of that name, write ./{command}",
              file=sys.stderr)
    return COMMANDS[command](argv, Tools(_lecture_functions, _derivative_source))


def _lecture_functions(path: Path, names: Sequence[str]) -> list | int:
    loaded = _functions_of(path, names)
    return loaded if isinstance(loaded, int) else loaded[1]


def _derivative_source(function, mode: str, spec: str | None) -> str:
    """The derivative's source as the command prints it, with respect to the parameters
    ``spec`` names (as ``--wrt`` does), or to every parameter."""
    wrt = _wrt(function, spec) if spec else tuple(inspect.signature(function).parameters)
    if isinstance(wrt, str):
        raise S2sadError(wrt)
    return derivative(function, Request(mode, wrt, wrt_tuple=len(wrt) > 1)).source


def _load(path: Path) -> types.ModuleType:
    """Import the file as ``python FILE`` runs it: its folder first on ``sys.path``, so
    that it imports the modules beside it."""
    folder = str(path.resolve().parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    name = f"_s2sad_cli_{path.stem}"
    # an explicit loader, so that a file without the .py suffix loads too (./rules)
    loader = importlib.machinery.SourceFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _select(module: types.ModuleType, names: Sequence[str]):
    if not names:
        return [
            value
            for value in vars(module).values()
            if inspect.isfunction(value) and value.__module__ == module.__name__
        ]
    chosen = []
    for name in names:
        value = getattr(module, name, None)
        if not inspect.isfunction(value):
            return f"{name!r} is not a function defined in {module.__file__}"
        chosen.append(value)
    return chosen


def _wrt(function, spec: str | None):
    params = list(inspect.signature(function).parameters)
    if not params:
        return f"{function.__name__} has no parameters to differentiate"
    if spec is None:
        return (params[0],)
    names = []
    for item in spec.split(","):
        item = item.strip()
        if item.isdigit():
            if int(item) >= len(params):
                return f"--wrt {item}: {function.__name__} has {len(params)} parameters"
            item = params[int(item)]
        if item not in params:
            return f"--wrt {item}: not a parameter of {function.__name__} ({', '.join(params)})"
        if item in names:
            return f"--wrt {spec}: names {item} twice"
        names.append(item)
    return tuple(names)


def _user_imports(module: types.ModuleType, path: Path) -> list[str]:
    """The file's own top-level imports, so the derivatives see the same names (its
    ``from __future__`` imports aside: they change how a file compiles, not its names, and
    may only open a module)."""
    import ast

    tree = ast.parse(path.read_text())
    return [
        ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))
        and not (isinstance(node, ast.ImportFrom) and node.module == "__future__")
    ]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
