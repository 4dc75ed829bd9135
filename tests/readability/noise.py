"""How much of the emitted source a person would not have written: ``python -m
tests.readability.noise`` prints, for each of the twelve functions (``functions.py``), the
lines of ``s2sad.source`` (the adjoint; ``--mode forward`` for the tangent) for the
arguments each is called with (the version they select; ``--any-arguments``: the default
source, for real float64 arguments of any shapes) and the noise tokens in them, then the
totals.

Noise tokens: the marks of code written for values the arguments are not (``conj(`` on
real values, a second ``_general`` version), of shapes not known (``match(``,
``unbroadcast(``, ``unreduce(``, ``broadcast_like(``, ``shape_only(``, ``owned(``), of
records made before their value exists (``= None``, ``append(None)``), of generic helpers
standing where a formula belongs (``_adjoint_a(``, ``_adjoint_b(``, ``mean_weights(``) and
of tests written twice (``is False``, ``is True``).
"""

from __future__ import annotations

import argparse
import re

import s2sad
from tests.readability.functions import FUNCTIONS

TOKENS = {
    "conj": r"\bconj\(",
    "general": r"^def \w+_general\(",
    "match": r"\bmatch\(",
    "unbroadcast": r"\bunbroadcast\(",
    "unreduce": r"\bunreduce\(",
    "broadcast_like": r"\bbroadcast_like\(",
    "shape_only": r"\bshape_only\(",
    "owned": r"\bowned\(",
    "placeholder": r"= None$|\.append\(None\)",
    "guard": r"return \w+_general\(",
    "helper": r"_adjoint_[ab]\(|\bmean_weights\(",
    "is bool": r"\bis (False|True)\b",
}


def count(text: str) -> dict[str, int]:
    """The noise tokens of each kind in ``text``."""
    return {kind: sum(len(re.findall(pattern, line)) for line in text.splitlines())
            for kind, pattern in TOKENS.items()}


def measure(mode: str = "reverse", given: bool = True) -> list[tuple[str, int, dict[str, int]]]:
    """For each function: its name, the lines of its emitted source (for its arguments,
    when ``given``), its noise tokens."""
    rows = []
    for function, (args, wrt) in FUNCTIONS.items():
        text = s2sad.source(function, mode=mode, wrt=wrt, args=args if given else None)
        lines = [line for line in text.splitlines() if line.strip()]
        rows.append((function.__name__, len(lines), count(text)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", default="reverse", choices=["reverse", "forward"])
    parser.add_argument("--any-arguments", action="store_true")
    options = parser.parse_args()
    rows = measure(options.mode, not options.any_arguments)
    kinds = list(TOKENS)
    print(f"| function | lines | noise | {' | '.join(kinds)} |")
    print("|:---|" + "---:|" * (len(kinds) + 2))
    for name, lines, tokens in rows:
        print(f"| {name} | {lines} | {sum(tokens.values())} | "
              + " | ".join(str(tokens[k]) for k in kinds) + " |")
    totals = {k: sum(t[k] for _, _, t in rows) for k in kinds}
    print(f"| **all {len(rows)}** | {sum(r[1] for r in rows)} | {sum(totals.values())} | "
          + " | ".join(str(totals[k]) for k in kinds) + " |")


if __name__ == "__main__":
    main()
