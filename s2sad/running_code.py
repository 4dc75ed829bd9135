"""Whether the source s2sad reads for a function is the source Python is running.

``inspect`` reads a function's file as it is now; a file edited after its module was
imported (and not reloaded) shows text the running code was not compiled from. Compiling
the text found at the function's place again, inside stand-ins for its enclosing
functions and classes (so its free variables, name mangling and qualified name come out
the same), must give a code object equal to the running one: same instructions,
constants, names and positions. Otherwise differentiating that text would pair one
function's derivative with another function's values, so s2sad refuses.
"""

from __future__ import annotations
import __future__

import inspect
import linecache
import symtable
import types

from s2sad.errors import SourceUnavailableError

_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag


def check_running_code(function: types.FunctionType) -> None:
    """Raise ``SourceUnavailableError`` when ``function``'s source no longer compiles to
    the code it runs. Text that cannot be compiled on its own (a lambda in the middle of
    an expression spanning lines) is not checked."""
    code = function.__code__
    if code.co_filename.startswith("<s2sad "):  # generated code: registered once, as run
        return
    try:
        lines, first = inspect.getsourcelines(code)
    except (OSError, TypeError):
        return  # the front end says why it has no source
    qualname = getattr(code, "co_qualname", function.__qualname__)  # Python 3.10: none
    text = _standalone(code, qualname, lines, max(first, 1))
    if text is None:
        return
    try:
        module = compile(text, code.co_filename, "exec",
                         flags=code.co_flags & _FUTURE_FLAGS, dont_inherit=True)
    except (SyntaxError, ValueError):
        return
    # code objects have qualified names from Python 3.11 on; equality compares the rest
    if not any(found == code for found in _code_objects(module)
               if getattr(found, "co_qualname", qualname) == qualname):
        raise SourceUnavailableError(
            f"the source of {function.__qualname__} in {code.co_filename} (line "
            f"{code.co_firstlineno}) is not the code Python is running: the file changed "
            "after it was imported. Reload its module (importlib.reload) or restart, so "
            "that the function s2sad differentiates is the one that runs")


def _standalone(code: types.CodeType, qualname: str, lines: list[str],
                first: int) -> str | None:
    """The function's lines at their own line numbers and columns, inside stand-ins for
    the functions and classes its qualified name says enclose it, or None when that
    cannot be done."""
    parts = qualname.split(".")[:-1]
    enclosing = []  # (name, is a function): the named scopes before the text's own
    for index, part in enumerate(parts):
        if part.startswith("<") and part != "<locals>":
            break  # a comprehension or lambda: compiled from the text itself
        if part != "<locals>":
            enclosing.append((part, index + 1 < len(parts) and parts[index + 1] == "<locals>"))
    indent = len(lines[0]) - len(lines[0].lstrip())
    if indent and not enclosing:  # a module's function defined in an if or try block
        enclosing_lines = ["if 1:\n"]
    else:
        enclosing_lines = []
    if len(enclosing) + len(enclosing_lines) > first - 1 or len(enclosing) > indent:
        return None
    free = [n for n in code.co_freevars if n != "__class__"]
    functions = [i for i, (_, is_function) in enumerate(enclosing) if is_function]
    if free and not functions:
        return None  # a closure made by hand: no enclosing function in the source
    head = ["\n"] * (first - 1 - len(enclosing) - len(enclosing_lines)) + enclosing_lines
    for depth, (name, is_function) in enumerate(enclosing):
        keyword = "def" if is_function else "class"
        head.append(f"{' ' * depth}{keyword} {name}{'()' if is_function else ''}:\n")
    tail = []
    if free:  # cells of the nearest enclosing function, as the closure's were
        depth = functions[-1] + 1 if functions[-1] + 1 < len(enclosing) else indent
        tail = [f"{' ' * depth}{n} = None\n" for n in free]
    # a method call on a name the module imports compiles differently: import those too
    tail += [f"import {n}\n" for n in sorted(_imported(code.co_filename) & _names(code))]
    body = "".join(lines)
    if not body.endswith("\n"):
        body += "\n"
    return "".join(head) + body + "".join(tail)


_IMPORTED: dict[tuple, frozenset[str]] = {}


def _imported(filename: str) -> frozenset[str]:
    """The names the module in ``filename`` (as ``linecache`` has it) binds by import."""
    entry = linecache.cache.get(filename)
    if entry is None:
        return frozenset()
    key = (filename, entry[0], entry[1], id(entry[2]))
    found = _IMPORTED.get(key)
    if found is None:
        try:
            table = symtable.symtable("".join(entry[2]), filename, "exec")
            found = frozenset(s.get_name() for s in table.get_symbols() if s.is_imported())
        except (SyntaxError, ValueError):
            found = frozenset()
        if len(_IMPORTED) > 256:
            _IMPORTED.clear()
        _IMPORTED[key] = found
    return found


def _names(code: types.CodeType) -> set[str]:
    return {n for c in _code_objects(code) for n in c.co_names}


def _code_objects(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)
