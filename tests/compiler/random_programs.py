"""Seeded random programs with loops, for the random-program tests.

``scalar_program(seed)`` writes a function on Python floats (``math`` calls, ``for`` and
``while`` loops nested two deep, branches, ``break``/``continue``, accumulators, values
overwritten and carried between iterations); ``array_program(seed)`` one on small float64
arrays (``@``, ``np.tanh``, indexing in loops, weights read in several places and
reassigned). Each returns a ``Program``: the source text of ``f`` and arguments at which
every comparison on data is far from a tie, so finite differences are sound.

Values stay bounded: what a statement stores is squashed (``tanh``, ``sin``), a convex mix
or a product of bounded values, or a sum of a few small terms.
"""

from __future__ import annotations

import contextlib
import math
import random
from dataclasses import dataclass

import numpy as np

HEADER = "import math\n\nimport numpy as np\n\n\n"
MARGIN = 1e-2  # the least gap of a compared value from its threshold
INDEX_LIMIT = 4  # loop indices stay below this: every array has at least as many rows


@dataclass
class Program:
    source: str  # a module: imports and the function f
    args: tuple


@dataclass
class _Compare:
    """``lhs op rhs`` on data; instrumented, ``_margin(lhs, rhs) op rhs`` records the gap."""

    lhs: str
    op: str
    rhs: str

    def render(self, instrumented: bool) -> str:
        lhs = f"_margin({self.lhs}, {self.rhs})" if instrumented else self.lhs
        return f"{lhs} {self.op} {self.rhs}"


class _Generator:
    """Loops, branches and exits, shared by both families; a family says what its
    parameters, values, statements and tests on data are."""

    params: list[str]
    accumulator = "acc"  # the one name written by augmented assignment: never aliased

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.start()

    def start(self) -> None:
        """Forget what was written: start the function again."""
        self.lines: list[tuple[int, tuple]] = []
        self.depth = 1
        self.loops = 0  # loops around the current line
        self.indices: list[tuple[str, str]] = []  # (name, index expression), innermost last
        self.defined: list[str] = []  # variables every path to the current line assigns
        self.spent: list[str] = []  # indices of loops run: they keep their last value
        self.count = 0

    # ---- writing --------------------------------------------------------------------

    def emit(self, *parts) -> None:
        self.lines.append((self.depth, parts))

    @contextlib.contextmanager
    def indented(self):
        self.depth += 1
        yield
        self.depth -= 1

    def render(self, instrumented: bool) -> str:
        lines = [f"def f({', '.join(self.params)}):"]
        for depth, parts in self.lines:
            text = "".join(p if isinstance(p, str) else p.render(instrumented) for p in parts)
            lines.append("    " * depth + text)
        return HEADER + "\n".join(lines) + "\n"

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"{stem}{self.count}"

    def coef(self, low: float = 0.1, high: float = 0.9) -> str:
        return f"{self.rng.uniform(low, high):.2f}"

    def define(self, name: str) -> None:
        if name not in self.defined:
            self.defined.append(name)

    # ---- structure ------------------------------------------------------------------

    def block(self, statements: int) -> None:
        for _ in range(statements):
            roll = self.rng.random()
            if roll < 0.25 and self.loops < 2:
                self.loop()
            elif roll < 0.45:
                self.branch()
            else:
                self.assignment()

    def loop(self) -> None:
        rng = self.rng
        kind = rng.choice(["range", "range", "anonymous", "counter", "counter", "data"])
        if kind == "range" and self.indices and rng.random() < 0.4:
            kind = "triangular"  # for j in range(i + 1): trips vary with the outer index
        trips = rng.randint(2, INDEX_LIMIT)
        self.loops += 1
        if kind == "data":
            self.data_while()
        elif kind == "counter":
            k = self.fresh("k")
            self.emit(f"{k} = 0")
            self.emit(f"while {k} < {trips}:")
            with self.indented():
                self.emit(f"{k} = {k} + 1")
                self.loop_body(k, f"{k} - 1", trips, first=1)
        else:
            name = "_" if kind == "anonymous" else self.fresh("i")
            bound = str(trips)
            if kind == "triangular":  # one more trip than the outer index's value
                outer, index = self.indices[-1]
                bound = f"{outer} + 1" if outer == index else outer  # (a counter: index + 1)
            self.emit(f"for {name} in range({bound}):")
            with self.indented():
                self.loop_body(name, name, trips if kind != "triangular" else 1)
        self.loops -= 1
        if kind != "anonymous" and kind != "data":
            self.spent.append(name if kind != "counter" else k)

    def loop_body(self, name: str, index: str, trips: int, first: int = 0) -> None:
        """Maybe leave the loop or skip the rest of an iteration at a fixed index, never in
        the first iteration (so what the body assigns is defined after the loop); then the
        statements."""
        if name != "_":
            roll = self.rng.random()
            if roll < 0.35 and trips >= 3:
                self.emit(f"if {name} == {self.rng.randint(first + 1, first + trips - 2)}:")
                with self.indented():
                    self.emit("break" if roll < 0.2 else "continue")
            self.indices.append((name, index))
        self.block(self.rng.randint(1, 4))
        if name != "_":
            self.indices.pop()

    def branch(self) -> None:
        rng = self.rng
        if self.indices and rng.random() < 0.5:
            name = rng.choice(self.indices)[0]
            test = rng.choice([f"{name} % 2 == 0", f"{name} < 2", f"{name} == 1",
                               f"{name} > 0"])
        else:
            test = self.data_test()
        self.emit("if ", test, ":")
        self.branch_body()
        if rng.random() < 0.3:
            self.emit("elif ", self.data_test(), ":")
            self.branch_body()
        if rng.random() < 0.6:
            self.emit("else:")
            self.branch_body()

    def branch_body(self) -> None:
        """One or two assignments; what they define first is not defined after the if."""
        before = list(self.defined)
        with self.indented():
            for _ in range(self.rng.randint(1, 2)):
                self.assignment()
        self.defined = before

    def data_while(self) -> None:
        """``while w < limit`` with a data-dependent step: one to ten trips."""
        w = self.fresh("w")
        self.emit(f"{w} = 0.0")
        self.emit("while ", _Compare(w, "<", f"{self.rng.uniform(0.8, 2.0):.2f}"), ":")
        with self.indented():
            self.emit(f"{w} = {w} + 0.4 + 0.2 * {self.squashed_scalar()}")
            self.block(self.rng.randint(1, 3))

    def program(self) -> Program:
        """A function and arguments far from ties (another function if there are none)."""
        while True:
            self.start()
            self.prologue()
            self.block(self.rng.randint(2, 4))
            self.epilogue()
            for _ in range(20):
                args = self.arguments()
                if _least_margin(self.render(instrumented=True), args) >= MARGIN:
                    return Program(self.render(instrumented=False), args)

    def written(self) -> str:
        """A variable to assign: mostly one already defined (overwritten), sometimes new."""
        names = [n for n in self.defined if n not in self.params or self.rng.random() < 0.3]
        if not names or self.rng.random() < 0.2:
            return self.fresh("t")
        return self.rng.choice(names)

    def accumulate(self, term: str) -> None:
        """Add a small multiple of ``term`` to the accumulator, in place or not."""
        acc, coef = self.accumulator, self.coef(0.1, 0.5)
        in_place = self.rng.random() < 0.5
        self.emit(f"{acc} += {coef} * {term}" if in_place else f"{acc} = {acc} + {coef} * {term}")

    def read(self, names: list[str]) -> str:
        return self.rng.choice(names)


class _Scalar(_Generator):
    """Functions of two or three Python floats."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.params = ["a", "b", "c"][: self.rng.randint(2, 3)]

    def arguments(self) -> tuple:
        return tuple(round(self.rng.uniform(-1.0, 1.0), 3) for _ in self.params)

    def prologue(self) -> None:
        self.defined = list(self.params)
        self.emit(f"h = {self.expression(1)}")
        self.emit(f"{self.accumulator} = 0.0")
        self.defined += ["h", self.accumulator]

    def epilogue(self) -> None:
        others = [n for n in self.defined if n != self.accumulator]
        terms = [self.accumulator] + self.rng.sample(others, min(2, len(others)))
        self.emit(f"return {' + '.join(terms[:1] + [f'{self.coef()} * {t}' for t in terms[1:]])}")

    def leaf(self) -> str:
        roll = self.rng.random()
        if roll < 0.1:
            return self.coef(-0.9, 0.9)
        indices = [name for name, _ in self.indices] + self.spent
        if roll < 0.2 and indices:
            return f"0.1 * {self.rng.choice(indices)}"
        return self.read(self.defined)

    def expression(self, depth: int) -> str:
        roll = self.rng.random()
        if depth <= 0 or roll < 0.3:
            return self.leaf()
        if roll < 0.5:
            return f"math.{self.rng.choice(['sin', 'cos', 'tanh'])}({self.expression(depth - 1)})"
        if roll < 0.55:
            return f"{self.expression(depth - 1)} / (1.5 + math.cos({self.leaf()}))"
        op = self.rng.choice(["+", "-", "*", "*"])
        return f"({self.expression(depth - 1)} {op} {self.expression(depth - 1)})"

    def squashed_scalar(self) -> str:
        """An expression bounded by about 2 whatever its arguments."""
        inner = self.expression(2)
        roll = self.rng.random()
        if roll < 0.6:
            return f"math.{self.rng.choice(['sin', 'cos', 'tanh'])}({inner})"
        if roll < 0.8:
            return f"math.exp(0.5 * math.sin({inner}))"
        v = self.read(self.defined)
        return f"{v} / (1.0 + {v} * {v})"

    def assignment(self) -> None:
        rng = self.rng
        roll = rng.random()
        acc = self.accumulator
        if roll < 0.2:
            self.accumulate(self.squashed_scalar())
            return
        target = self.written()
        if target == acc:
            self.emit(f"{acc} = {self.coef(0.5, 0.9)} * {acc} + {self.squashed_scalar()}")
        elif roll < 0.45 and target in self.defined:
            c = rng.uniform(0.3, 0.9)
            self.emit(f"{target} = {c:.2f} * {target} + {1 - c:.2f} * {self.squashed_scalar()}")
        elif roll < 0.6 and target in self.defined:
            self.emit(f"{target} = {target} * math.{rng.choice(['cos', 'tanh', 'sin'])}"
                      f"({self.expression(2)})")
        elif roll < 0.68:
            source = self.read([n for n in self.defined if n not in (acc, target)])
            self.emit(f"{target} = {source}")  # an alias (of an immutable float)
        elif roll < 0.75 and target in self.defined:
            other = self.read([n for n in self.defined if n not in (acc, target)])
            self.emit(f"{target}, {other} = {other}, {self.squashed_scalar()}")
        else:
            self.emit(f"{target} = {self.squashed_scalar()}")
        self.define(target)

    def data_test(self) -> _Compare:
        lhs = self.read(self.defined)
        return _Compare(lhs, self.rng.choice(["<", ">"]), self.coef(-0.5, 0.5))


class _Array(_Generator):
    """Functions of a vector ``x``, a matrix ``W``, a vector ``b`` and maybe a float ``c``."""

    vectors = ["x", "b", "h", "g"]
    matrices = ["W", "V"]

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.n = self.rng.randint(INDEX_LIMIT, INDEX_LIMIT + 1)
        self.params = ["x", "W", "b"] + (["c"] if self.rng.random() < 0.5 else [])

    def arguments(self) -> tuple:
        rng = np.random.default_rng(self.rng.getrandbits(32))
        n = self.n
        args = (rng.uniform(-1, 1, n), rng.uniform(-1, 1, (n, n)) / np.sqrt(n),
                rng.uniform(-1, 1, n))
        return args + ((round(self.rng.uniform(-1.0, 1.0), 3),) if "c" in self.params else ())

    def prologue(self) -> None:
        self.defined = list(self.params)
        self.emit("h = np.tanh(W @ x + b)")
        self.emit("g = x")
        self.emit("V = W")
        self.emit(f"{self.accumulator} = 0.0")
        self.defined += ["h", "g", "V", self.accumulator]

    def epilogue(self) -> None:
        self.emit(f"return {self.accumulator} + np.sum({self.vector(1)})")

    def scalar(self) -> str:
        """A scalar: a float parameter, an element read by a loop index, a bounded sum."""
        choices = [f"{self.coef(-0.9, 0.9)}", f"np.tanh(np.sum({self.vector(1)}))"]
        if "c" in self.params:
            choices.append("c")
        if self.indices:
            index = self.rng.choice(self.indices)[1]
            choices += [f"{self.rng.choice(['x', 'h', 'g', 'b'])}[{index}]",
                        f"{self.rng.choice(self.matrices)}[{index}, {self.rng.randrange(self.n)}]"]
        return self.rng.choice(choices)

    squashed_scalar = scalar

    def vector(self, depth: int) -> str:
        rng = self.rng
        roll = rng.random()
        if depth <= 0 or roll < 0.25:
            if self.indices and rng.random() < 0.3:  # a row of a matrix
                return f"{rng.choice(self.matrices)}[{rng.choice(self.indices)[1]}]"
            return rng.choice(self.vectors)
        inner = self.vector(depth - 1)
        if roll < 0.45:
            return f"{rng.choice(self.matrices)} @ {inner}" if rng.random() < 0.7 else \
                f"{inner} @ {rng.choice(self.matrices)}"
        if roll < 0.6:
            return f"np.{rng.choice(['tanh', 'sin', 'cos'])}({inner})"
        if roll < 0.75:
            return f"({self.scalar()} * {inner})"
        return f"({inner} {rng.choice(['+', '-', '*'])} {self.vector(depth - 1)})"

    def assignment(self) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            term = rng.choice([f"np.sum({self.vector(1)} * {self.vector(0)})", self.scalar()])
            self.accumulate(f"np.tanh({term})" if rng.random() < 0.5 else term)
        elif roll < 0.35:
            target = rng.choice(self.matrices)
            other = "V" if target == "W" else "W"
            form = rng.choice([f"{target} * {self.coef(0.8, 0.99)}",
                               f"{target} - {self.coef(0.05, 0.2)} * np.tanh({other})",
                               other, f"0.5 * ({target} + {other})"])
            self.emit(f"{target} = {form}")
        else:
            target = rng.choice(["h", "g", "h"])
            inner = self.vector(2)
            form = rng.choice([f"np.tanh({inner})", f"np.sin({inner})",
                               f"{self.coef(0.3, 0.9)} * {target} + np.tanh({inner})",
                               f"{target} * np.cos({inner})",
                               f"np.tanh({inner} + {self.scalar()})",
                               rng.choice([v for v in self.vectors if v != target])])
            self.emit(f"{target} = {form}")

    def data_test(self) -> _Compare:
        lhs = self.rng.choice([f"np.sum({self.vector(1)})", self.accumulator])
        return _Compare(lhs, self.rng.choice(["<", ">"]), self.coef(-0.5, 0.5))


def _least_margin(source: str, args: tuple) -> float:
    """The least gap of a compared value from its threshold when ``source``'s ``f`` runs."""
    gaps = [math.inf]

    def margin(lhs, rhs):
        gaps.append(abs(float(lhs) - float(rhs)))
        return lhs

    scope = {"_margin": margin}
    exec(compile(source, "<margins>", "exec"), scope)
    scope["f"](*args)
    return min(gaps)


def scalar_program(seed: int) -> Program:
    return _Scalar(seed).program()


def array_program(seed: int) -> Program:
    return _Array(seed).program()
