"""Where a line of generated code came from in the user's source.

A derivative's source is registered in ``linecache`` under ``<s2sad name digest>``; the
compiler marks each generated function with the primal it was built from
(``PRIMAL_ATTRIBUTE``). A reverse-sweep statement follows a comment holding the user's
statement; a forward-sweep statement is the user's own, or assigns what the user's
statement computes (``_y = np.prod(y)`` for ``return np.prod(y)``). Following those
back, through a derivative of a derivative too, gives the user's function and line.
"""

from __future__ import annotations

import inspect
import linecache
import os
import sysconfig
from dataclasses import dataclass
from typing import Any

#: the attribute of a generated function holding a weak reference to the function it was
#: built from
PRIMAL_ATTRIBUTE = "_s2sad_primal"

_HEADERS = {"forward sweep", "reverse sweep"}


@dataclass(frozen=True)
class Origin:
    """A line of the user's code: the function, its file, the line number and its text."""

    function: Any
    filename: str
    lineno: int
    text: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}: {self.text}"


def is_generated(filename: str) -> bool:
    """Whether ``filename`` names s2sad's generated code."""
    return filename.startswith("<s2sad ")


def is_library(function: Any) -> bool:
    """Whether ``function`` comes from Python's standard library or an installed package
    (not from the user's own files).

    >>> import random, json
    >>> is_library(random.gauss), is_library(json.dumps), is_library(is_library)
    (True, True, False)
    """
    try:
        filename = inspect.getfile(function)
    except TypeError:
        return False
    return os.path.realpath(filename).startswith(_LIBRARY_PATHS)


_LIBRARY_PATHS = tuple(sorted({os.path.realpath(sysconfig.get_paths()[kind]) + os.sep
                               for kind in ("stdlib", "platstdlib", "purelib", "platlib")}))


def user_origin(function: Any, lineno: int, exact: bool = False) -> Origin | None:
    """The user's line that line ``lineno`` of ``function``'s file comes from, or None
    when it cannot be told. Unless ``exact``, a statement s2sad added (``_t = len(d)``)
    is credited to the nearest user statement above it; with ``exact``, only a user
    statement repeated or a reverse sweep's comment counts."""
    for _ in range(16):  # a derivative of a derivative ... of the user's function
        code = getattr(function, "__code__", None)
        if code is None:
            return None
        filename = code.co_filename
        if not is_generated(filename):
            text = linecache.getline(filename, lineno).strip()
            return Origin(function, filename, lineno, text)
        primal = _primal(function)
        if primal is None or getattr(primal, "__code__", None) is None:
            return None
        found = _line_in(primal, _candidates(linecache.getlines(filename), lineno, exact))
        if found is None:
            return None
        function, lineno = primal, found
    return None


def _candidates(lines: list[str], lineno: int, exact: bool = False) -> list[str]:
    """Texts the statement at ``lineno`` may come from, nearest first: it, then the lines
    and comments above it (a reverse sweep's comment holds the user's statement); with
    ``exact``, it and the comments only."""
    texts = []
    for number, line in enumerate(reversed(lines[:lineno])):
        stripped = line.strip()
        if exact and number and not stripped.startswith("#"):
            continue
        text = stripped.lstrip("#").strip()
        if text and text not in _HEADERS:
            texts.append(text)
    return texts


def _line_in(primal: Any, texts: list[str]) -> int | None:
    """The number of the line of ``primal``'s source that is one of ``texts`` (tried in
    order), as written or as the value it computes."""
    try:
        lines, first = inspect.getsourcelines(primal.__code__)
    except (OSError, TypeError):
        return None
    numbered = [(first + i, line.strip()) for i, line in enumerate(lines)]
    header = numbered[0][1].partition("):")[2].strip()  # def f(x): return ...
    numbered[0] = (first, header)
    for text in texts:
        for key in (_statement, _value):
            wanted = key(text)
            if wanted is None:
                continue
            for number, line in numbered:
                if key(line) == wanted:
                    return number
    return None


def _statement(text: str) -> str | None:
    return text or None


def _value(text: str) -> str | None:
    """What a statement computes: the right of its first ``=``, or a ``return``'s value."""
    if text.startswith("return "):
        return text[len("return "):].strip() or None
    head, sep, tail = text.partition(" = ")
    return tail.strip() if sep and "(" not in head and "[" not in head else None


def user_function(function: Any) -> Any:
    """The user's function a (derivative of a ...) derivative was built from."""
    for _ in range(16):
        code = getattr(function, "__code__", None)
        if code is None or not is_generated(code.co_filename):
            return function
        primal = _primal(function)
        if primal is None:
            return function
        function = primal
    return function


def _primal(function: Any) -> Any:
    """The function ``function`` (generated code) was built from, or None."""
    reference = getattr(function, PRIMAL_ATTRIBUTE, None)
    primal = reference() if reference is not None else None
    return getattr(function, "__wrapped__", None) if primal is None else primal


def origin_in_text(primal: Any, lines: list[str], lineno: int) -> Origin | None:
    """The line of ``primal`` (the user's function) that line ``lineno`` of a
    derivative's source text ``lines`` comes from, or None when it cannot be told."""
    found = _line_in(primal, _candidates(lines, lineno))
    if found is None:
        return None
    code = primal.__code__
    return Origin(primal, code.co_filename, found,
                  linecache.getline(code.co_filename, found).strip())
