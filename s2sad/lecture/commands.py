"""The command line's lecture views: ``s2sad trace``, ``s2sad graph`` and ``s2sad html``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from s2sad.errors import S2sadError, UnsupportedSyntaxError

USAGE_ERROR = 2
USER_ERROR = 1

_TRACE_DESCRIPTION = """\
Print the lecture's evaluation traces of FUNC at the point --at: the primal trace (v_{-1},
v_0 for the inputs, v_1 ... v_n for the elementary operations), the tangent trace along
--seed (forward mode) and the adjoint trace from the output back to the inputs (reverse
mode). FUNC must be a function of real numbers.
"""


def _numbers(text: str) -> tuple[float, ...]:
    """Comma-separated numbers, each an ``int`` when written as one (``3``, for a loop's
    count) and a ``float`` otherwise, as Python reads them."""
    try:
        return tuple(_number(item.strip()) for item in text.split(",") if item.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not comma-separated numbers: {text!r}") from None


def _number(text: str) -> float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _trace_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="s2sad trace", description=_TRACE_DESCRIPTION)
    parser.add_argument("file", help="a Python file (imported, as python FILE would run it)")
    parser.add_argument("function", metavar="FUNC", help="the function to trace")
    parser.add_argument("--at", type=_numbers, required=True, metavar="X1,X2,...",
                        help="the arguments, comma-separated")
    parser.add_argument("--mode", choices=("forward", "reverse", "both"), default="both",
                        help="which derivative traces to print (default: both)")
    parser.add_argument("--seed", type=_numbers, default=None, metavar="D1,D2,...",
                        help="the tangent direction (default: the first input's, 1,0,...)")
    parser.add_argument("--wrt", default=None,
                        help="comma-separated parameters that are inputs (default: all)")
    parser.add_argument("--format", choices=("text", "markdown", "latex"), default="text",
                        help="plain text (default), a markdown table or LaTeX")
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str]):
    """The options, or the exit status when argparse exits (0 for --help, 2 for an error)."""
    try:
        return parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and USAGE_ERROR


@dataclass(frozen=True)
class Tools:
    """What the commands need from the rest of s2sad, handed over by the command line:
    ``functions(path, names)`` gives the file's functions (all of them when no name is
    given) or the exit status having said why not; ``derivative_source(function, mode,
    wrt)`` the source of a derivative (``wrt`` as ``--wrt`` gives it, None for every
    parameter)."""

    functions: Callable[[Path, Sequence[str]], list | int]
    derivative_source: Callable[[object, str, str | None], str]


def load_functions(tools: Tools, file: str, names: Sequence[str]):
    """The functions ``names`` of ``file``, or the exit status (having said why not)."""
    path = Path(file)
    if not path.is_file():
        print(f"s2sad: no such file: {path}", file=sys.stderr)
        return USAGE_ERROR
    return tools.functions(path, names)


def reported(error: S2sadError) -> int:
    """Print ``error`` as the command prints errors in the user's code."""
    text = str(error) if isinstance(error, UnsupportedSyntaxError) else f"s2sad: {error}"
    print(text, file=sys.stderr)
    return USER_ERROR


def trace_command(argv: Sequence[str], tools: Tools) -> int:
    from s2sad.lecture.traces import trace

    options = parse(_trace_parser(), argv)
    if isinstance(options, int):
        return options
    functions = load_functions(tools, options.file, [options.function])
    if isinstance(functions, int):
        return functions
    function = functions[0]
    try:
        result = trace(function, *options.at, mode=options.mode, seed=options.seed,
                       wrt=_names(options.wrt))
    except S2sadError as error:
        return reported(error)
    except TypeError as error:  # the arguments do not fit the function's parameters
        print(f"s2sad: --at: {error}", file=sys.stderr)
        return USAGE_ERROR
    shown = {"text": str, "markdown": type(result).to_markdown,
             "latex": type(result).to_latex}[options.format](result)
    sys.stdout.write(shown)
    return 0


_GRAPH_DESCRIPTION = """\
Print (or with -o write) the computational graph of FUNC, a function of real numbers, as
Graphviz DOT text: a node v_i per input and elementary operation, an edge from each operand
to the operation reading it. With --at, each node carries its value, tangent (along --seed)
and adjoint, each edge its local partial derivative. -o graph.svg or graph.png draws it with
Graphviz's dot program when it is installed, else with Matplotlib.
"""


def _graph_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="s2sad graph", description=_GRAPH_DESCRIPTION)
    parser.add_argument("file", help="a Python file (imported, as python FILE would run it)")
    parser.add_argument("function", metavar="FUNC", help="the function to draw")
    parser.add_argument("--at", type=_numbers, default=None, metavar="X1,X2,...",
                        help="the arguments, comma-separated (values on the nodes)")
    parser.add_argument("--seed", type=_numbers, default=None, metavar="D1,D2,...",
                        help="the tangent direction (default: the first input's, 1,0,...)")
    parser.add_argument("--wrt", default=None,
                        help="comma-separated parameters that are inputs (default: all)")
    parser.add_argument("-o", "--output", default=None,
                        help="write to this file: .dot, .svg or .png (default: print DOT)")
    return parser


def graph_command(argv: Sequence[str], tools: Tools) -> int:
    from s2sad.lecture.drawing import draw
    from s2sad.lecture.graph import graph

    options = parse(_graph_parser(), argv)
    if isinstance(options, int):
        return options
    functions = load_functions(tools, options.file, [options.function])
    if isinstance(functions, int):
        return functions
    try:
        drawn = graph(functions[0], *(options.at or ()), seed=options.seed,
                      wrt=_names(options.wrt))
        if options.output is None:
            sys.stdout.write(drawn.dot)
        else:
            draw(drawn, options.output)
    except S2sadError as error:
        return reported(error)
    except TypeError as error:
        print(f"s2sad: --at: {error}", file=sys.stderr)
        return USAGE_ERROR
    return 0


def _names(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(item.strip() for item in text.split(","))


_HTML_DESCRIPTION = """\
Write one self-contained HTML page showing each named function of FILE (every top-level
function when none is named) beside its tangent (forward mode) and its adjoint (reverse
mode), highlighted (by Pygments when installed). A function s2sad refuses shows the
refusal in its place; the exit status is then 1.
"""


def _html_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="s2sad html", description=_HTML_DESCRIPTION)
    parser.add_argument("file", help="a Python file (imported, as python FILE would run it)")
    parser.add_argument("functions", nargs="*", metavar="FUNC",
                        help="functions to show (default: all top-level functions)")
    parser.add_argument("--wrt", default=None,
                        help="comma-separated parameter names or positions (default: all)")
    parser.add_argument("-o", "--output", required=True, help="the page to write")
    return parser


def html_command(argv: Sequence[str], tools: Tools) -> int:
    import inspect
    import textwrap

    from s2sad.lecture.page import Entry, page
    from s2sad.version import VERSION

    options = parse(_html_parser(), argv)
    if isinstance(options, int):
        return options
    if not Path(options.output).resolve().parent.is_dir():
        print(f"s2sad: cannot write {options.output}: no folder "
              f"{Path(options.output).parent}", file=sys.stderr)
        return USAGE_ERROR
    functions = load_functions(tools, options.file, options.functions)
    if isinstance(functions, int):
        return functions
    entries, status = [], 0
    for function in functions:
        entry = Entry(function.__name__)
        entry.texts["primal"] = textwrap.dedent(inspect.getsource(function))
        for mode in ("tangent", "adjoint"):
            try:
                entry.texts[mode] = tools.derivative_source(
                    function, "forward" if mode == "tangent" else "reverse", options.wrt)
            except S2sadError as error:
                entry.refusals[mode] = str(error)
                status = reported(error)
        entries.append(entry)
    name = Path(options.file).name
    Path(options.output).write_text(page(f"Derivatives of {name}", entries,
                                         f"emitted by s2sad {VERSION}"))
    return status


COMMANDS = {"trace": trace_command, "graph": graph_command, "html": html_command}
