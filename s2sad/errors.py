"""Errors s2sad raises at the user.

Every error names what went wrong in the user's terms: the file, line and column of
the user's source for constructs, the function and mode for missing rules.
"""

from __future__ import annotations


class S2sadError(Exception):
    """Base class of every error s2sad raises on purpose."""


class UnsupportedSyntaxError(SyntaxError, S2sadError):
    """A construct s2sad cannot differentiate, located in the user's source.

    Formats like a Python ``SyntaxError``: ``file:line:col: message``, then the source
    line and a caret under the column.
    """

    def __init__(
        self,
        message: str,
        filename: str = "<unknown>",
        lineno: int = 1,
        col_offset: int = 0,
        source_line: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        full = message if not hint else f"{message}; {hint}"
        # SyntaxError columns are 1-based.
        super().__init__(full, (filename, lineno, col_offset + 1, source_line))

    @property
    def col_offset(self) -> int:
        return (self.offset or 1) - 1

    def __str__(self) -> str:
        head = f"{self.filename}:{self.lineno}:{self.col_offset}: {self.msg}"
        if not self.text:
            return head
        line = self.text.rstrip("\n")
        stripped = line.lstrip()
        caret_col = max(self.col_offset - (len(line) - len(stripped)), 0)
        return f"{head}\n    {stripped}\n    {' ' * caret_col}^"


class MissingRuleError(S2sadError, LookupError):
    """A function is called on an active value but has no derivative rule."""

    def __init__(
        self, function_name: str, mode: str, argument: str | None = None, where: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.function_name = function_name
        self.mode = mode
        self.argument = argument
        what = f"no {mode} rule for {function_name}"
        if argument is not None:
            what += f" with respect to argument {argument!r}"
        decorator = "register_vjp" if mode == "reverse" else "register_jvp"
        if hint is None:
            hint = (
                f"Register one with @s2sad.{decorator}({function_name}), declare it with "
                f"s2sad.nondifferentiable({function_name}) if it has no derivative, or wrap "
                f"the value in s2sad.stop_gradient(...) if no derivative should flow through it"
            )
        super().__init__(f"{where + ': ' if where else ''}{what}. {hint}")


class InternalRuleError(MissingRuleError):
    """Differentiating s2sad's own derivative met one of s2sad's helpers without a rule:
    a bug in s2sad, reported at the line of the user's code that led there."""

    def __init__(self, helper: str, mode: str, argument: str | None, function: str,
                 line: str | None) -> None:
        self.helper = helper
        where = f" at {line}" if line else ""
        what = (f"internal error: differentiating the derivative of {function} again, s2sad "
                f"met its helper {helper}{where}, which has no {mode} rule")
        if argument is not None:
            what += f" with respect to argument {argument!r}"
        LookupError.__init__(self, f"{what}. This is a bug in s2sad, please report it")
        self.function_name = helper
        self.mode = mode
        self.argument = argument


class SourceUnavailableError(S2sadError, TypeError):
    """The source of a function to differentiate cannot be read."""


class NonScalarOutputError(S2sadError, TypeError):
    """``grad`` was asked for a function whose output is not a scalar."""


class AmbiguousSequenceError(S2sadError, TypeError):
    """``+`` or ``*`` met lists or tuples where the code did not show them to be sequences,
    and the derivative was built as arithmetic's: refused when it runs."""


class SharedElementError(S2sadError, ValueError):
    """A read ``s = w[i]`` that s2sad took for one element (a copy) turned out a view of
    ``w`` (a row of a matrix), which a later write into ``w`` would change: refused when it
    runs."""
