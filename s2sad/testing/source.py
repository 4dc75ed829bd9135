"""Make functions from source text, with a real file name and line numbers.

The source is registered in ``linecache`` so s2sad (and tracebacks) can read it.
"""

from __future__ import annotations

import linecache
from typing import Any


def function_from_source(
    source: str,
    namespace: dict[str, Any] | None = None,
    *,
    filename: str = "<s2sad-test>",
    first_line: int = 1,
    name: str | None = None,
):
    """Define the function(s) in ``source`` and return the first (or the one named).

    >>> f = function_from_source("def f(x):\\n    return 2 * x\\n")
    >>> f(3)
    6
    """
    text = "\n" * (first_line - 1) + source
    linecache.cache[filename] = (len(text), None, text.splitlines(keepends=True), filename)
    scope: dict[str, Any] = dict(namespace or {})
    before = set(scope)
    exec(compile(text, filename, "exec"), scope)
    if name is not None:
        return scope[name]
    defined = [v for k, v in scope.items() if k not in before and callable(v)]
    return defined[0]
