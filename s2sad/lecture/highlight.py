"""Derivative source worth looking at: highlighted in a notebook (``_repr_html_``) and on a
terminal (ANSI colours), by Pygments when it is installed."""

from __future__ import annotations

import html
import os
import sys


def _pygments():
    """Pygments' ``highlight``, ``PythonLexer`` and formatters module, or None."""
    try:
        from pygments import formatters, highlight
        from pygments.lexers import PythonLexer
    except ImportError:
        return None
    return highlight, PythonLexer, formatters


def as_html(text: str) -> str:
    """``text`` as an HTML block that stands alone (inline styles, no stylesheet):
    highlighted by Pygments when installed, else an escaped ``<pre>``."""
    found = _pygments()
    if found is None:
        return f'<pre class="s2sad-source">{html.escape(text)}</pre>'
    highlight, lexer, formatters = found
    formatter = formatters.HtmlFormatter(noclasses=True, cssclass="s2sad-source")
    return highlight(text, lexer(), formatter)


def as_ansi(text: str) -> str:
    """``text`` with ANSI colours for a terminal (as it is without Pygments)."""
    found = _pygments()
    if found is None:
        return text
    highlight, lexer, formatters = found
    coloured = highlight(text, lexer(stripnl=False, ensurenl=False),
                         formatters.TerminalFormatter())
    return coloured


def wants_colour(choice: str, stream=None) -> bool:
    """Whether to colour output for ``--color auto|always|never``: on ``auto``, when the
    stream is a terminal and ``NO_COLOR`` is not set."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    stream = sys.stdout if stream is None else stream
    return stream.isatty() and not os.environ.get("NO_COLOR")


class SourceText(str):
    """Derivative source: a ``str`` that prints as the source does, and shows highlighted
    in Jupyter."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return as_html(str(self))
