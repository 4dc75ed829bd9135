"""The text of a lambda written in the middle of an expression that spans lines.

``inspect`` gives a lambda's source from its first line on, which may not parse alone
(``"sq": lambda x: x * x,`` from inside a dict literal). Python's lambda reaches as far
right as it can, so the longest piece of text from a ``lambda`` keyword on that line that
compiles as an expression, up to a closing bracket or comma, is that lambda, if its
compiled code reads the same names and constants as the function's. A line holding two
lambdas is left alone (the error then says so).

>>> f = lambda x: x * 2
>>> lambda_text('"b": lambda x: x * 2}\\n', f.__code__)
'_=(  lambda x: x * 2\\n)'
"""

from __future__ import annotations

import ast
import re
import types

_LAMBDA = re.compile(r"\blambda\b")
_PREFIX = "_=("


def lambda_text(text: str, code: types.CodeType) -> str | None:
    """A statement ``_=(lambda ...)`` with the lambda of ``code`` at its own line and
    column of ``text`` (whose first line holds it, alone), or None."""
    first_line = text.split("\n", 1)[0]
    matches = list(_LAMBDA.finditer(first_line))
    if len(matches) != 1:
        return None
    found = []
    for match in matches:
        rest = text[match.start():]
        for end in _ends(rest):
            try:
                expression = ast.parse(f"({rest[:end]}\n)", mode="eval").body
            except SyntaxError:
                continue
            if not isinstance(expression, ast.Lambda):
                continue  # a tuple of it and what follows a comma
            compiled = compile(ast.Expression(expression), "<lambda>", "eval")
            inner = [c for c in compiled.co_consts if isinstance(c, types.CodeType)]
            if inner and _same_reads(inner[0], code):
                found.append((match.start(), rest[:end]))
            break  # the longest expression is the lambda, ours or not
    if len(found) != 1:
        return None
    column, piece = found[0]
    prefix = _PREFIX + " " * (column - len(_PREFIX)) if column >= len(_PREFIX) else _PREFIX
    return f"{prefix}{piece}\n)"


def _ends(text: str) -> list[int]:
    """Where an expression starting at ``text``'s start may end, the farthest first."""
    ends = [i for i, ch in enumerate(text) if ch in ",)]}\n"] + [len(text)]
    return sorted(set(ends), reverse=True)


def _same_reads(candidate: types.CodeType, code: types.CodeType) -> bool:
    """The same parameters, constants and names read (a free variable of the function is
    a global of the candidate, compiled alone)."""
    def constants(c):
        return tuple(k for k in c.co_consts if not isinstance(k, types.CodeType))

    return (candidate.co_varnames == code.co_varnames
            and candidate.co_argcount == code.co_argcount
            and constants(candidate) == constants(code)
            and set(candidate.co_names) | set(candidate.co_freevars)
            == set(code.co_names) | set(code.co_freevars))
