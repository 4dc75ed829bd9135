"""Whole programs for differential testing: a hypothesis strategy and their rendering.

``programs()`` draws a module: a few helper functions and a function ``f`` of Python
floats and small arrays (float64, sometimes float32 or complex), with every loop form,
jumps anywhere, branches, ``and``/``or`` values, in-place writes, lists, tuples, dicts,
casts, lambdas and nested functions, list methods (``extend``, ``insert``, ``pop(i)``,
``del``), ``sorted``/``min``/``max`` with a key, ``dict(...)``, dict comprehensions and
loops over dict views, ``:=``, starred targets, the methods of ufuncs (``np.add.accumulate``,
``np.logaddexp.reduce``, ``np.subtract.outer``, ...), ``np.ix_`` reads and writes, and
helpers that write globals (a buffer, a log through a second name, a call counter).
The grammar is wider than what s2sad accepts (sets of computed values, calls of a
function held in a variable): a refusal is an outcome the oracle counts, not a failure,
as long as it is an s2sad error naming the program's file and line.

Every place where the value of ``f`` jumps (a comparison, a truth test, ``int``, ``abs``)
is a ``Gap`` node. Rendered plain it is its operand; rendered *instrumented* it calls
``_gap(value, kind, threshold)``, which records how far the value is from the jump and
which side it is on, so the oracle can keep inputs away from jumps (``signature``). An
order decided by comparisons (``sorted``, ``min`` with a key, a running maximum) is a
``"keys"`` gap: its distance is the least gap between two keys, its side the order.

A construct family listed in ``KNOWN_OPEN`` is not drawn: each entry names an open
compiler bug the family finds; removing the entry draws it again.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

N = 3  # the length of every vector

#: none today (a loop straight over a dict the function makes, ``for k in d``, found by
#: ``dict_iteration``, runs over its keys now: test_regressions.py)
KNOWN_OPEN: set[str] = set()

FAMILIES = {
    "inplace_numpy", "sequence_arith", "int_cast", "and_or", "negative_base",
    "return_last_in_loop", "defaults", "complex", "float32", "raises", "list_append",
    "aliasing_facts", "starred", "list_methods", "keyed_order", "dict_builtin",
    "dict_views", "dict_comprehension", "walrus", "ufunc_methods", "ix_indexing",
    "refused", "dict_iteration", "sequences_to_numpy", "global_state",
}

#: families whose programs s2sad refuses today (a set of computed values, a call through
#: a variable): drawn rarely, so refusals show up; each must be a located error
REFUSED = {"refused"}


# ---- expressions ------------------------------------------------------------------------


class Node:
    """Source text with holes ``{}`` filled by child nodes (or plain strings)."""

    def __init__(self, template: str, *children) -> None:
        self.template = template
        self.children = children

    def render(self, instrumented: bool) -> str:
        parts = [c.render(instrumented) if isinstance(c, Node) else str(c)
                 for c in self.children]
        return self.template.format(*parts)


class Gap(Node):
    """A value whose size decides a jump of ``f``: ``kind`` is ``"cmp"`` (against
    ``threshold``), ``"truth"`` (against 0), ``"int"`` (against the integers)."""

    def __init__(self, value, kind: str, threshold="0.0") -> None:
        super().__init__("{}", value)
        self.kind = kind
        self.threshold = threshold  # text or a node

    def render(self, instrumented: bool) -> str:
        inner = super().render(instrumented)
        if not instrumented:
            return inner
        threshold = self.threshold
        if isinstance(threshold, Node):
            threshold = threshold.render(instrumented)
        return f"_gap({inner}, {self.kind!r}, {threshold})"


def compare(lhs, op: str, threshold: str) -> Node:
    return Node("{} " + op + " " + threshold, Gap(lhs, "cmp", threshold))


# ---- the generator ----------------------------------------------------------------------


@dataclass(repr=False)
class Program:
    """A module defining ``f`` (and helpers); ``params`` says each parameter's kind."""

    lines: list = field(default_factory=list)  # (depth, [str | Node])
    params: list = field(default_factory=list)  # (name, kind, default or None)
    used: set = field(default_factory=set)  # the families drawn
    vector_output: bool = False
    header: str = "import math\n\nimport numpy as np\n\n\n"
    helpers: str = ""

    def render(self, instrumented: bool = False) -> str:
        signature = ", ".join(n if d is None else f"{n}={d}" for n, _, d in self.params)
        out = [f"def f({signature}):"]
        for depth, parts in self.lines:
            text = "".join(p.render(instrumented) if isinstance(p, Node) else p for p in parts)
            out.append("    " * depth + text)
        return self.header + self.helpers + "\n".join(out) + "\n"

    @property
    def source(self) -> str:
        return self.render(False)

    def __repr__(self) -> str:  # how hypothesis shows a falsifying example
        return "\n" + self.source

    @property
    def low_precision(self) -> bool:
        return "float32" in self.used


HELPERS = {
    "h_soft": "def h_soft(u, w=0.5):\n    return w * np.tanh(u) + (1.0 - w) * u * u\n\n\n",
    "h_kw": "def h_kw(u, v, *, scale=0.3):\n    return scale * u * v + np.sin(u)\n\n\n",
    "h_apply": "def h_apply(fn, u):\n    return fn(u) + 0.5 * u\n\n\n",
    "h_store": ("STORE = np.zeros(2)\n\n\ndef h_store(u):\n    STORE[0] = u\n"
                "    return 2.0 * u\n\n\n"),
    "h_log": ("LOG = []\n\n\ndef h_log(u):\n    kept = LOG\n    kept.append(u * u)\n"
              "    return u + 1.0\n\n\n"),
    "h_count": ("COUNT = [0]\n\n\ndef h_count(u):\n    COUNT[0] += 1\n"
                "    return u * 0.5\n\n\n"),
    "h_steps": ("def h_steps(fn, u, n=3):\n    for _ in range(n):\n"
                "        u = 0.5 * u + 0.3 * fn(u)\n    return h_apply(fn, u)\n\n\n"),
    "h_closure": (
        "def _make(c):\n    def inner(u):\n        return c * np.cos(u) + u\n\n"
        "    return inner\n\n\nh_closure = _make(0.7)\n\n\n"
    ),
}


class Builder:
    """Draws one program through ``draw``; keeps what is defined on every path."""

    def __init__(self, draw, enabled: set[str]) -> None:
        self.draw = draw
        self.enabled = enabled
        self.program = Program()
        self.depth = 1
        self.loops = 0
        self.indices: list[str] = []  # int loop variables in scope (all < N)
        self.scalars: list[str] = []
        self.vectors: list[str] = []
        self.lists: dict[str, int] = {}  # name -> least length
        self.tuples: dict[str, int] = {}
        self.dicts: list[str] = []
        self.callables: list[str] = []  # lambdas and nested functions taking one scalar
        self.count = 0

    # ---- drawing ----

    def pick(self, options):
        return self.draw(st.sampled_from(list(options)))

    def coin(self, p: float = 0.5) -> bool:
        return self.draw(st.integers(0, 99)) < p * 100

    def number(self, low: float = 0.1, high: float = 0.9) -> str:
        return f"{self.draw(st.integers(round(low * 20), round(high * 20))) / 20:.2f}"

    def has(self, family: str) -> bool:
        """Whether ``family`` may be drawn; drawing it records it."""
        return family in self.enabled and family not in KNOWN_OPEN

    def use(self, family: str) -> None:
        self.program.used.add(family)

    def fresh(self, stem: str) -> str:
        self.count += 1
        return f"{stem}{self.count}"

    def emit(self, *parts) -> None:
        self.program.lines.append((self.depth, list(parts)))

    @contextlib.contextmanager
    def indented(self):
        self.depth += 1
        yield
        self.depth -= 1

    def _state(self):
        return (list(self.scalars), list(self.vectors), dict(self.lists), dict(self.tuples),
                list(self.dicts), list(self.callables))

    @contextlib.contextmanager
    def scope(self):
        """What a block defines is not defined after it (a branch or a loop body); the
        block ends by adding what it defined to ``acc`` (before a final jump), so that
        every value reaches the output."""
        saved = self._state()
        with self.indented():
            start = len(self.program.lines)
            yield
            self.fold(saved[:5], start)
        (self.scalars, self.vectors, self.lists, self.tuples, self.dicts,
         self.callables) = saved

    def fold(self, before, start: int = 0) -> None:
        scalars, vectors, lists, tuples, dicts = before
        terms = [f"np.tanh({n})" for n in self.scalars if n not in scalars]
        terms += [f"np.sum(np.tanh({n}))" for n in self.vectors if n not in vectors]
        terms += [f"math.tanh(sum({n}))" for n in self.lists if n not in lists]
        terms += [f"np.tanh({n}[0])" for n in self.tuples if n not in tuples]
        terms += [f"np.tanh({n}[\"q\"])" for n in self.dicts if n not in dicts]
        if not terms:
            return
        line = (self.depth, [f"acc = acc + 0.1 * ({' + '.join(terms)})"])
        lines = self.program.lines
        last = lines[-1] if len(lines) > start else None
        if last and last[0] == self.depth and isinstance(last[1][0], str) \
                and last[1][0].split(" ")[0] in ("break", "continue", "return", "raise"):
            lines.insert(len(lines) - 1, line)
        else:
            lines.append(line)

    # ---- expressions ----

    def scalar(self, depth: int = 2):
        leaves = ["var", "var", "const", "index"]
        if self.lists:
            leaves.append("list")
        if self.tuples:
            leaves.append("tuple")
        if self.dicts:
            leaves.append("dict")
        if depth <= 0:
            kind = self.pick(leaves)
        else:
            kind = self.pick(leaves + ["unary", "unary", "binary", "binary", "reduce",
                                       "ifexp", "call", "cast", "andor", "kink"]
                             + self.newer_scalar_kinds())
        if kind in ("keyed", "ufunc_reduce", "ix"):
            return getattr(self, "scalar_" + kind)(depth)
        if kind == "var":
            return self.pick(self.scalars)
        if kind == "const":
            if self.has("negative_base") and self.coin(0.3):
                self.use("negative_base")
                return f"(-{self.number(0.5, 1.5)}) ** 2"
            return self.pick(["0.5", "-0.3", "1.25", "2", "math.pi / 4"])
        if kind == "index":
            vector = self.pick(self.vectors)
            index = self.pick(self.indices + ["0", "-1", str(N - 1)])
            return f"{vector}[{index}]"
        if kind == "list":
            name = self.pick(sorted(self.lists))
            return f"{name}[{self.draw(st.integers(-self.lists[name], self.lists[name] - 1))}]"
        if kind == "tuple":
            name = self.pick(sorted(self.tuples))
            return f"{name}[{self.draw(st.integers(0, self.tuples[name] - 1))}]"
        if kind == "dict":
            key = self.pick(['"p"', '"q"'])
            return f"{self.pick(self.dicts)}[{key}]"
        inner = self.scalar(depth - 1)
        if kind == "unary":
            form = self.pick(["math.sin({})", "math.cos({})", "math.tanh({})", "np.tanh({})",
                              "np.sin({})", "math.exp(0.5 * math.sin({}))",
                              "math.sqrt(1.0 + {0} * {0})", "math.log(1.0 + {0} * {0})",
                              "np.arctan({})", "-{}", "({}) ** 2", "math.atan({})"])
            return Node(form, inner)
        if kind == "binary":
            op = self.pick(["+", "-", "*", "*", "/"])
            if op == "/":
                return Node("({} / (1.5 + math.cos({})))", inner, self.scalar(depth - 1))
            return Node("({} " + op + " {})", inner, self.scalar(depth - 1))
        if kind == "reduce":
            vector = self.vector(depth - 1)
            form = self.pick(["np.sum({})", "np.mean({})", "np.dot({0}, {0})",
                              "({0} @ {0})", "np.sum(np.tanh({}))", "({}).sum()",
                              "float(np.sum({}))", "np.prod(np.cos({}))"])
            return Node(form, vector)
        if kind == "ifexp":
            return Node("({} if {} else {})", inner, self.test(), self.scalar(depth - 1))
        if kind == "call":
            return self.call(inner)
        if kind == "cast":
            if self.has("int_cast") and self.coin(0.5):
                self.use("int_cast")
                form = self.pick(["(int({}) * 0.1 + {})", "(float(int({})) + {})"])
                return Node(form, Gap(Node("({} * 3.0)", inner), "int"), inner)
            return Node(self.pick(["float({})", "np.float64({})", "(1.0 * {})"]), inner)
        if kind == "andor":
            if self.has("and_or"):
                self.use("and_or")
                if self.coin():
                    return Node("({} or {})", Gap(inner, "truth"), self.scalar(depth - 1))
                return Node("({} and {} or {})", self.test(), Gap(inner, "truth"),
                            self.scalar(depth - 1))
            return inner
        # kinks: abs at 0, max and min where the two sides meet
        if self.coin():
            return Node("abs({})", Gap(inner, "cmp"))
        other = self.scalar(depth - 1)
        return Node(self.pick(["max({}, {})", "min({}, {})"]), Gap(inner, "cmp", other), other)

    def newer_scalar_kinds(self) -> list[str]:
        kinds = []
        if self.lists and self.has("keyed_order"):
            kinds.append("keyed")
        for family, kind in (("ufunc_methods", "ufunc_reduce"), ("ix_indexing", "ix")):
            if self.has(family):
                kinds.append(kind)
        return kinds

    def scalar_keyed(self, depth: int):
        """``min``/``max`` with a key, or an item of ``sorted`` with one: the keys decide."""
        self.use("keyed_order")
        name = self.pick(sorted(self.lists))
        key = self.pick(["lambda v: (v - 0.3) ** 2", "abs", "lambda v: -v", "h_soft", None])
        items = Gap(name, "keys", str(key))
        keyword = "" if key is None else f", key={key}"
        which = self.pick(["min", "max", "sorted"])
        if which == "sorted":
            position = self.draw(st.integers(-self.lists[name], self.lists[name] - 1))
            reverse = self.pick(["", ", reverse=True"])
            return Node("sorted({}" + keyword + reverse + f")[{position}]", items)
        return Node(which + "({}" + keyword + ")", items)

    def scalar_ufunc_reduce(self, depth: int):
        self.use("ufunc_methods")
        vector = self.vector(depth - 1)
        form = self.pick(["np.add.reduce({})", "np.multiply.reduce(np.cos({}))",
                          "np.logaddexp.reduce({})", "np.hypot.reduce({})",
                          "np.add.reduce({}, keepdims=True)[0]", "np.minimum.reduce({})",
                          "np.maximum.reduce({}, initial=-5.0)",
                          "np.add.reduceat({}, [0, 2])[1]"])
        if "minimum" in form or "maximum" in form:
            vector = Gap(vector, "keys", "None")
        return Node(form, vector)

    def scalar_ix(self, depth: int):
        """A block of an outer product read through ``np.ix_``."""
        self.use("ix_indexing")
        matrix = self.pick(["np.outer({}, {})", "np.subtract.outer({}, {})"])
        rows, columns = self.pick(["[0, 2]", "[1]", "[2, 0, 2]"]), self.pick(["[1, 2]", "[0]"])
        return Node(f"np.sum({matrix}[np.ix_({rows}, {columns})])", self.vector(depth - 1),
                    self.vector(0))

    def call(self, argument):
        options = []
        if self.callables:
            options.append("local")
        options += ["h_soft", "h_kw", "h_closure"]
        if self.has("global_state") and self.coin(0.3):  # helpers writing globals: refused
            options += ["h_store", "h_log", "h_count"]  # if what they write carries a
            # derivative
        which = self.pick(options)
        if which == "local":
            return Node(self.pick(self.callables) + "({})", argument)
        self.program.used.add("helper:" + which)
        if which == "h_soft":
            return Node(self.pick(["h_soft({})", "h_soft({}, 0.25)", "h_soft({}, w=0.8)"]),
                        argument)
        if which in ("h_store", "h_log", "h_count"):
            self.use("global_state")
            read = {"h_store": " + STORE[0]", "h_log": " + 0.0", "h_count": ""}[which]
            return Node(f"({which}({{}}){read})", argument)
        if which == "h_kw":
            return Node(self.pick(["h_kw({}, {})", "h_kw({}, {}, scale=-0.5)",
                                   "h_kw(v={1}, u={0})"]),
                        argument, self.scalar(0))
        return Node("h_closure({})", argument)

    def vector(self, depth: int = 2):
        kind = self.pick(["var", "var", "var", "var", "const"] if depth <= 0 else
                         ["var", "const", "unary", "unary", "binary", "scale", "shuffle",
                          "where", "cast", "build"]
                         + (["ufunc"] if self.has("ufunc_methods") else [])
                         + (["sequence"] if self.has("sequences_to_numpy") else []))
        if kind == "ufunc":
            return self.vector_ufunc(depth)
        if kind == "sequence":
            return self.vector_of_sequence(depth)
        if kind == "var":
            return self.pick(self.vectors)
        if kind == "const":
            return self.pick(["np.ones(3)", "np.linspace(0.1, 0.9, 3)",
                              "np.array([0.5, -1.0, 2.0])", "np.arange(3.0)"])
        inner = self.vector(depth - 1)
        if kind == "unary":
            return Node(self.pick(["np.sin({})", "np.cos({})", "np.tanh({})",
                                   "np.exp(0.3 * {})", "np.sqrt(1.0 + {0} * {0})", "-{}",
                                   "np.arctan({})", "{} ** 2"]), inner)
        if kind == "binary":
            return Node("({} " + self.pick(["+", "-", "*"]) + " {})", inner,
                        self.vector(depth - 1))
        if kind == "scale":
            return Node("({} * {})", self.scalar(depth - 1), inner)
        if kind == "shuffle":
            return Node(self.pick(["({})[::-1]", "np.cumsum({})", "np.roll({}, 1)",
                                   "np.concatenate([({0})[1:], ({0})[:1]])", "({}).copy()",
                                   "np.flip({})", "np.asarray({})"]), inner)
        if kind == "where":
            threshold = self.number(-0.5, 0.5)
            return Node("np.where({}, {}, {})", compare(inner, ">", threshold), inner,
                        self.vector(depth - 1))
        if kind == "cast":
            if self.has("int_cast") and self.coin(0.4):
                self.use("int_cast")
                return Node("(({}).astype(int) * 0.1 + {})",
                            Gap(Node("({} * 3.0)", inner), "int"), inner)
            if self.has("float32") and self.coin(0.4):
                self.use("float32")
                return Node(self.pick(["({}).astype(np.float32)",
                                       "np.asarray({}, dtype=np.float32)"]), inner)
            return Node(self.pick(["({}).astype(float)", "np.array({}, dtype=np.float64)",
                                   "({}).astype(np.float64)"]), inner)
        # build from scalars
        return Node("np.array([{}, {}, {}])", self.scalar(depth - 1), self.scalar(0),
                    self.scalar(0))

    def vector_of_sequence(self, depth: int):
        """A list or tuple given to NumPy, which reads it as an array: to a ufunc, to a
        reduction's ``axis``, or multiplied by an array (``v * [0.5, 1.0, 2.0]``)."""
        self.use("sequences_to_numpy")
        items = [self.scalar(depth - 1), self.scalar(0), self.scalar(0)]
        shape = self.pick(["[{}, {}, {}]", "({}, {}, {})", "list(({}, {}, {}))"])
        sequence = Node(shape, *items)
        form = self.pick(["np.power({}, 2)", "np.square({})", "np.exp(0.3 * np.asarray({}))",
                          "np.sin({})", "np.maximum({}, 0.2)", "np.arctan2({}, [1.0, 2.0, 3.0])",
                          "np.log1p(np.square({}))", "np.reciprocal(np.add({}, 2.5))",
                          "np.multiply({0}, {0})", "np.sum(np.power([{0}, {0}], 2), axis=0)",
                          "weights", "comprehension"])
        if form == "weights":
            vector = self.vector(depth - 1)
            weights = self.pick(["[0.5, 1.0, 2.0]", "(0.5, 1.0, 2.0)"])
            return Node(self.pick([f"({{}} * {weights})", f"({weights} * {{}})"]), vector)
        if form == "comprehension":
            scalar = self.scalar(depth - 1)
            return Node("np.power([{} * k for k in range(" + str(N) + ")], 2)", scalar)
        return Node(form, sequence)

    def vector_ufunc(self, depth: int):
        """A vector made by a ufunc's method: an accumulation, ``reduceat``, an outer
        operation reduced back to a vector."""
        self.use("ufunc_methods")
        inner = self.vector(depth - 1)
        form = self.pick(["np.add.accumulate({})", "np.multiply.accumulate(np.cos({}))",
                          "np.logaddexp.accumulate({})", "np.add.reduceat({}, [0, 2, 1])",
                          "np.maximum.accumulate({})", "np.minimum.accumulate({})",
                          "outer"])
        if form == "outer":
            operation = self.pick(["add", "subtract", "multiply"])
            reduced = self.pick(["np.add.reduce({}, axis=1)", "({}) @ np.ones(3)",
                                 "np.sum({}, axis=0)"])
            return Node(reduced.format(f"np.{operation}.outer({{}}, {{}})"), inner,
                        self.vector(0))
        if "maximum" in form or "minimum" in form:
            inner = Gap(inner, "keys", "None")
        return Node(form, inner)

    def test(self):
        """A condition on data (its gap recorded), sometimes combined with ``and``/``or``."""
        kind = self.pick(["scalar", "scalar", "reduce", "index"] + (["both"] if True else []))
        threshold = self.number(-0.6, 0.6)
        op = self.pick(["<", ">", "<=", ">="])
        if kind == "reduce":
            return compare(Node("np.sum({})", self.vector(1)), op, threshold)
        if kind == "both":
            return Node("({} " + self.pick(["and", "or"]) + " {})",
                        compare(self.scalar(1), op, threshold),
                        compare(self.scalar(0), self.pick(["<", ">"]), self.number(-0.6, 0.6)))
        return compare(self.scalar(1), op, threshold)

    def squashed(self):
        """A scalar bounded whatever its arguments."""
        return Node(self.pick(["math.tanh({})", "math.sin({})", "np.tanh({})",
                               "({0} / (1.0 + {0} * {0}))"]), self.scalar(2))

    # ---- statements ----

    def block(self, count: int) -> None:
        for _ in range(count):
            self.statement()

    def statement(self) -> None:
        kinds = ["assign", "assign", "accumulate", "vector", "write", "container", "branch"]
        if self.loops < 2:
            kinds += ["loop", "loop"]
        if self.depth == 1:
            kinds += ["define"]
        if self.has("ix_indexing") and self.coin(0.3):
            kinds += ["matrix"]
        kind = self.pick(kinds)
        getattr(self, "s_" + kind)()

    def s_assign(self) -> None:
        targets = [s for s in self.scalars if s not in self.params_names()] + ["new"]
        target = self.pick(targets)
        if target == "new":
            target = self.fresh("t")
        form = self.pick(["plain", "mix", "unpack"] + (["walrus"] if self.has("walrus") else []))
        if form == "walrus":  # not in an expression rendered more than once: n read first
            self.use("walrus")
            name = self.fresh("n")
            self.emit(f"{target} = math.tanh(({name} := ", self.squashed(), f") + 0.5 * {name})")
            self.scalars.append(name)
        elif form == "mix" and target in self.scalars:
            self.emit(f"{target} = 0.6 * {target} + 0.4 * ", self.squashed())
        elif form == "unpack" and len(self.scalars) >= 1:
            other = self.fresh("t")
            self.emit(f"{target}, {other} = ", self.squashed(), ", ", self.squashed())
            self.scalars.append(other)
        else:
            self.emit(f"{target} = ", self.squashed())
        if target not in self.scalars:
            self.scalars.append(target)

    def s_accumulate(self) -> None:
        term = Node("{} * {}", self.number(0.1, 0.5), self.squashed())
        if self.coin():
            self.emit("acc += ", term)
        else:
            self.emit("acc = acc + ", term)

    def s_vector(self) -> None:
        target = self.pick([v for v in self.vectors if v not in self.params_names()] + ["new"])
        if target == "new":
            target = self.fresh("v")
        self.emit(f"{target} = ", Node(self.pick(["np.tanh({})", "np.sin({})",
                                                  "0.5 * np.tanh({})"]), self.vector(2)))
        if target not in self.vectors:
            self.vectors.append(target)

    def s_write(self) -> None:
        """An in-place write into a new array."""
        y = self.fresh("y")
        start = self.pick(["np.zeros(3)", "{}.copy()", "np.array({})", "1.0 * {}"])
        self.emit(f"{y} = ", Node(start, self.pick(self.vectors)) if "{}" in start else start)
        for _ in range(self.draw(st.integers(1, 3))):
            index = self.pick(self.indices + ["0", "1", "-1"])
            kind = self.pick(["set", "add", "slice", "slice_add", "mask", "numpy", "copies"])
            if kind == "copies" and self.has("aliasing_facts"):
                # values made before a write that the write leaves alone: an element read,
                # advanced indexing
                self.use("aliasing_facts")
                e, c = self.fresh("e"), self.fresh("c")
                self.emit(f"{e} = {y}[{self.pick(['0', '1', '-1'])}]")
                self.emit(f"{c} = {y}[[2, 0, 1]]")
                self.emit(f"{y}[{index}] += ", self.squashed())
                self.scalars.append(e)
                self.vectors.append(c)
            elif kind == "set" or kind == "copies":
                self.emit(f"{y}[{index}] = ", self.squashed())
            elif kind == "add":
                self.emit(f"{y}[{index}] {self.pick(['+=', '-=', '*='])} ", self.squashed())
            elif kind == "slice":
                self.emit(f"{y}[1:] = ", Node("({})[:2]", self.vector(1)))
            elif kind == "slice_add":
                self.emit(f"{y}[:2] += 0.5 * ", Node("({})[1:]", self.vector(1)))
            elif kind == "mask":
                threshold = self.number(-0.5, 0.5)
                self.emit(f"{y}[", compare(self.pick(self.vectors), ">", threshold), "] = ",
                          self.squashed())
            elif self.has("inplace_numpy"):
                self.use("inplace_numpy")
                form = self.pick(["np.add.at({y}, [0, 2, 0], {})",
                                  "np.subtract.at({y}, [1, 1], np.array([{0}, 0.5 * {0}]))",
                                  "np.put({y}, [0, 2], [{0}, 2.0 * {0}])",
                                  "np.copyto({y}, {})", "fill"])
                if form == "fill":
                    m = self.fresh("m")
                    self.emit(f"{m} = np.outer({y}, ", self.vector(1), ")")
                    self.emit(f"np.fill_diagonal({m}, ", self.squashed(), ")")
                    self.emit(f"{y} = np.tanh({m} @ np.ones(3))")
                elif "{}" in form and "copyto" in form or "add.at" in form:
                    self.emit(Node(form.replace("{y}", y), self.vector(1)))
                else:
                    self.emit(Node(form.replace("{y}", y), self.squashed()))
        self.vectors.append(y)

    def s_matrix(self) -> None:
        """A block of a matrix written through ``np.ix_`` (from another block, or a
        scalar), then the matrix folded into a vector."""
        self.use("ix_indexing")
        m, y = self.fresh("m"), self.fresh("y")
        self.emit(f"{m} = ", Node(self.pick(["np.outer({}, {})", "np.add.outer({}, {})"]),
                                  self.vector(1), self.vector(0)))
        rows, columns = self.pick(["[0, 2]", "[2, 1]"]), self.pick(["[1, 0]", "[0, 2]"])
        target = f"{m}[np.ix_({rows}, {columns})]"
        form = self.pick(["block", "scalar", "add"])
        if form == "block":
            self.emit(f"{target} = 0.5 * {m}[np.ix_([1, 2], [2, 0])]")
        elif form == "scalar":
            self.emit(f"{target} = ", self.squashed())
        else:
            self.emit(f"{target} += ", self.squashed())
        self.emit(f"{y} = np.tanh({m} @ np.ones(3))")
        self.vectors.append(y)

    def s_container(self) -> None:
        kinds = ["list", "list", "append", "tuple", "dict", "unpack", "sum", "concat",
                 "starred", "states"]
        for family, more in (("list_methods", ["extend", "insert", "pop"]),
                             ("dict_builtin", ["dict_call"]),
                             ("dict_comprehension", ["dict_comp"]),
                             ("dict_views", ["dict_view"]), ("refused", ["refused"])):
            if self.has(family):
                kinds += more
        kind = self.pick(kinds)
        if kind in ("extend", "insert", "pop", "dict_call", "dict_comp", "dict_view",
                    "refused"):
            if self.newer_container(kind):
                return
            kind = "dict" if kind.startswith("dict") else "list"
        if kind == "starred" and self.has("starred"):
            self.use("starred")
            head, rest = self.fresh("t"), self.fresh("r")
            if self.coin():
                self.emit(f"{head}, *{rest} = ", self.vector(1))
            else:
                self.emit(f"*{rest}, {head} = ", self.vector(1))
            self.scalars.append(head)
            self.emit(f"acc = acc + 0.1 * math.tanh(sum({rest}))")
            return
        if kind == "states" and self.has("aliasing_facts"):
            self.use("aliasing_facts")
            name, v = self.fresh("l"), self.fresh("v")
            self.emit(f"{name} = [", self.vector(1), "]")
            self.emit(f"{name}.append(np.sin({name}[-1]))")
            self.emit(f"{v} = {name}[0] * {name}[-1]")
            self.vectors.append(v)
            return
        if kind in ("starred", "states"):
            kind = "list"
        if kind == "list" or (kind in ("append", "unpack", "sum", "concat") and not self.lists):
            self.new_list()
        elif kind == "append" and not self.has("list_append"):
            self.emit("acc = acc + 0.1 * ", self.squashed())
        elif kind == "append":
            self.use("list_append")
            name = self.pick(sorted(self.lists))
            self.emit(f"{name}.append(", self.squashed(), ")")
            if self.loops == 0:
                self.lists[name] += 1
        elif kind == "concat":
            name = self.pick(sorted(self.lists))
            if self.has("sequence_arith"):
                self.use("sequence_arith")
                new = self.fresh("l")
                if self.coin():
                    self.emit(f"{new} = {name} + [", self.squashed(), "]")
                    self.lists[new] = self.lists[name] + 1
                else:
                    self.emit(f"{new} = {name} * 2")
                    self.lists[new] = self.lists[name] * 2
            else:
                self.emit(f"acc = acc + 0.1 * sum({name})")
        elif kind == "tuple":
            name = self.fresh("p")
            self.emit(f"{name} = (", self.squashed(), ", ", self.scalar(1), ")")
            self.tuples[name] = 2
            if self.has("sequence_arith") and self.coin():
                self.use("sequence_arith")
                self.emit(f"{name} = {name} + ({self.pick(self.scalars)},)")
                self.tuples[name] = 3
        elif kind == "dict":
            self.new_dict()
        elif kind == "unpack":
            name = self.pick(sorted(self.lists))
            a, b = self.fresh("t"), self.fresh("t")
            self.emit(f"{a}, {b} = {name}[0], {name}[1]")
            self.scalars += [a, b]
        else:
            name = self.pick(sorted(self.lists))
            self.emit(f"acc = acc + 0.1 * math.tanh(sum({name}))")

    def new_list(self) -> None:
        name = self.fresh("l")
        self.emit(f"{name} = [", self.squashed(), ", ", self.scalar(1), "]")
        self.lists[name] = 2

    def new_dict(self) -> None:
        name = self.fresh("d")
        self.emit(f"{name} = {{\"p\": ", self.squashed(), ", \"q\": ", self.scalar(1), "}")
        if self.coin():
            self.emit(f"{name}[\"q\"] = {name}[\"p\"] * ", self.squashed())
        self.dicts.append(name)

    def newer_container(self, kind: str) -> bool:
        """The newer container statements (a list or dict made first where there is none
        to use); False when ``kind`` cannot be drawn here."""
        if kind in ("extend", "insert", "pop"):
            if not self.lists:
                self.new_list()
            return getattr(self, "list_" + kind)()
        if kind == "dict_call":
            self.use("dict_builtin")
            name = self.fresh("d")
            if self.coin():
                self.emit(f"{name} = dict(p=", self.squashed(), ", q=", self.scalar(1), ")")
            else:
                self.emit(f"{name} = dict(zip([\"p\", \"q\"], [", self.squashed(), ", ",
                          self.scalar(1), "]))")
            self.dicts.append(name)
            return True
        if not self.dicts and kind in ("dict_comp", "dict_view"):
            self.new_dict()
        if kind == "dict_comp":
            self.use("dict_comprehension")
            name, source = self.fresh("d"), self.pick(self.dicts)
            forms = [f"{{k: np.tanh(v) + 0.5 * v for k, v in {source}.items()}}",
                     f"{{k: 2.0 * {source}[k] for k in {source}.keys()}}",
                     f"{{k: {source}[k] * {source}[\"p\"] for k in [\"p\", \"q\"]}}"]
            if self.has("dict_iteration"):
                forms.append(f"{{k: 2.0 * {source}[k] for k in {source}}}")
            form = self.pick(forms)
            if form == forms[-1] and len(forms) == 4:
                self.use("dict_iteration")
            self.emit(f"{name} = " + form)
            self.dicts.append(name)
            return True
        if kind == "dict_view":
            self.use("dict_views")
            source = self.pick(self.dicts)
            form = self.pick(["sum", "max", "len"])
            if form == "max":
                self.emit("acc = acc + 0.1 * ", Node("max({})", Gap(f"{source}.values()",
                                                                   "keys", "None")))
            else:
                self.emit("acc = acc + 0.1 * " + (
                    f"math.tanh(sum({source}.values()))" if form == "sum"
                    else f"np.tanh(len({source}.keys()) * {source}[\"q\"])"))
            return True
        return self.s_refused()

    def list_extend(self) -> bool:
        self.use("list_methods")
        name = self.pick(sorted(self.lists))
        form = self.pick(["display", "vector", "list"])
        if form == "display":
            self.emit(f"{name}.extend([", self.squashed(), ", ", self.scalar(1), "])")
            grown = 2
        elif form == "vector":
            self.emit(f"{name}.extend(", self.vector(1), ")")
            grown = N
        else:
            other = self.pick(sorted(self.lists))
            self.emit(f"{name}.extend({other})")
            grown = self.lists[other]
        if self.loops == 0:
            self.lists[name] += grown
        return True

    def list_insert(self) -> bool:
        self.use("list_methods")
        name = self.pick(sorted(self.lists))
        position = self.draw(st.integers(-self.lists[name], self.lists[name]))
        self.emit(f"{name}.insert({position}, ", self.squashed(), ")")
        if self.loops == 0:
            self.lists[name] += 1
        return True

    def list_pop(self) -> bool:
        """``t = xs.pop(i)`` or ``del xs[i]``, at the top of ``f`` only (where the least
        length of the list is known), leaving an item."""
        names = [n for n in sorted(self.lists) if self.lists[n] >= 2]
        if self.depth != 1 or self.loops or not names:
            return False
        self.use("list_methods")
        name = self.pick(names)
        position = self.draw(st.integers(-self.lists[name], self.lists[name] - 1))
        if self.coin():
            self.emit(f"del {name}[{position}]")
        else:
            t = self.fresh("t")
            self.emit(f"{t} = {name}.pop({position if self.coin(0.8) else ''})")
            self.scalars.append(t)
        self.lists[name] -= 1
        return True

    def s_refused(self) -> bool:
        """Constructs refused today, drawn rarely: a set of computed values, a function
        held in a variable, in a list, or passed to a helper."""
        if not self.coin(0.6):
            return False
        self.use("refused")
        t = self.fresh("t")
        form = self.pick(["set", "variable", "list", "argument"])
        if form == "set":
            self.emit(f"{t} = math.tanh(sum({{", self.squashed(), ", ", self.scalar(1), "}))")
        elif form == "variable":
            fn = self.fresh("fn")
            self.emit(f"{fn} = " + self.pick(["h_soft", "np.sin", "math.tanh"]
                                              + self.callables))
            self.emit(f"{t} = {fn}(", self.squashed(), ")")
        elif form == "list":
            fs = self.fresh("fs")
            self.emit(f"{fs} = [np.sin, lambda u: 0.5 * u * u, h_soft]")
            self.emit(f"{t} = {fs}[{self.draw(st.integers(0, 2))}](", self.squashed(), ")")
        else:
            fn = self.pick(["np.tanh", "h_soft", "lambda u: u * u", "h_closure"]
                           + self.callables)
            helper = self.pick(["h_apply", "h_steps"])  # called in a loop, passed on
            self.emit(f"{t} = {helper}({fn}, ", self.squashed(), ")")
        self.scalars.append(t)
        return True

    def s_branch(self) -> None:
        if self.has("walrus") and self.coin(0.25):  # (n := e) > c: n bound on every path
            self.use("walrus")
            name = self.fresh("n")
            self.emit("if ", compare(Node(f"({name} := {{}})", self.scalar(1)),
                                     self.pick(["<", ">"]), self.number(-0.6, 0.6)), ":")
            self.scalars.append(name)
        else:
            self.emit("if ", self.test(), ":")
        with self.scope():
            self.branch_body()
        if self.coin(0.3):
            self.emit("elif ", self.test(), ":")
            with self.scope():
                self.branch_body()
        if self.coin(0.5):
            self.emit("else:")
            with self.scope():
                self.branch_body()

    def branch_body(self) -> None:
        roll = self.draw(st.integers(0, 19))
        if roll < 2:
            self.s_return()
        elif roll == 1 and self.has("raises"):
            self.use("raises")
            self.emit("raise ValueError(\"out of range\")")
        else:
            self.block(self.draw(st.integers(1, 2)))

    def s_return(self) -> None:
        self.emit("return ", self.output())

    def s_define(self) -> None:
        """A lambda or a nested function of one scalar, maybe reading enclosing names."""
        name = self.fresh("g")
        outer = self.pick(self.scalars)
        if self.coin():
            self.emit(f"{name} = lambda u, k={self.number()}: k * np.tanh(u) + {outer} * u")
        else:
            self.emit(f"def {name}(u):")
            with self.indented():
                self.emit(f"return np.sin(u) * {outer}")
        self.callables.append(name)

    def s_loop(self) -> None:
        self.loops += 1
        kind = self.pick(["range", "range", "list", "array", "zip", "enumerate", "reversed",
                          "while", "counter"]
                         + (["dict"] if self.dicts and self.has("dict_views") else []))
        index = None
        scalar_names: list[str] = []
        if kind == "dict":
            self.use("dict_views")
            source, v = self.pick(self.dicts), self.fresh("u")
            form = self.pick(["items", "values", "keys"])
            if form == "items":
                self.emit(f"for k{self.count}, {v} in {source}.items():")
            elif form == "values":
                self.emit(f"for {v} in {source}.values():")
            else:
                key = f"k{self.count}"
                self.emit(f"for {key} in {source}.keys():")
                with self.indented():
                    self.emit(f"{v} = {source}[{key}]")
            scalar_names = [v]
            kind = "list"
        elif kind == "range":
            index = self.fresh("i")
            self.emit(f"for {index} in range({self.draw(st.integers(1, N))}):")
        elif kind == "list" and self.lists:
            u = self.fresh("u")
            self.emit(f"for {u} in {self.pick(sorted(self.lists))}:")
            scalar_names = [u]
        elif kind in ("array", "list"):
            u = self.fresh("u")
            self.emit(f"for {u} in ", self.vector(1), ":")
            scalar_names = [u]
        elif kind == "zip":
            u, w = self.fresh("u"), self.fresh("u")
            self.emit(f"for {u}, {w} in zip({self.pick(self.vectors)}, ", self.vector(1), "):")
            scalar_names = [u, w]
        elif kind == "enumerate":
            index, u = self.fresh("i"), self.fresh("u")
            self.emit(f"for {index}, {u} in enumerate({self.pick(self.vectors)}):")
            scalar_names = [u]
        elif kind == "reversed":
            u = self.fresh("u")
            self.emit(f"for {u} in reversed({self.pick(self.vectors)}):")
            scalar_names = [u]
        elif kind == "counter":
            index = self.fresh("k")
            self.emit(f"{index} = 0")
            self.emit(f"while {index} < {self.draw(st.integers(1, N))}:")
        else:  # a while loop on data: one to a few trips
            w = self.fresh("w")
            self.emit(f"{w} = 0.0")
            self.emit("while ", compare(w, "<", self.number(0.5, 1.5)), ":")
            with self.scope():
                self.emit(f"{w} = {w} + 0.4 + 0.2 * ", self.squashed())
                self.loop_body(None, [])
            self.loops -= 1
            return
        with self.scope():
            if kind == "counter":
                self.emit(f"{index} = {index} + 1")
                self.indices.append(f"{index} - 1")
                self.loop_body(index, scalar_names, first=1)
                self.indices.pop()
            else:
                if index is not None:
                    self.indices.append(index)
                self.loop_body(index, scalar_names)
                if index is not None:
                    self.indices.pop()
        if kind != "counter" and self.coin(0.2):
            self.emit("else:")
            with self.scope():
                self.s_accumulate()
        self.loops -= 1

    def loop_body(self, index, scalar_names, first: int = 0) -> None:
        self.scalars += scalar_names
        jump = self.draw(st.integers(0, 9))
        where = self.pick(["first", "last"])
        jumps = {0: "break", 1: "continue", 2: "return"}
        if jump in jumps and where == "first":
            self.jump(jumps[jump], index, first)
        self.block(self.draw(st.integers(1, 3)))
        if jump in jumps and where == "last":
            if jumps[jump] == "return" and not self.has("return_last_in_loop"):
                return
            if jumps[jump] == "return":
                self.use("return_last_in_loop")
            self.jump(jumps[jump], index, first, last=True)

    def jump(self, what: str, index, first: int, last: bool = False) -> None:
        if last and self.coin(0.3):
            if what == "return":
                self.s_return()
            else:
                self.emit(what)
            return
        if index is not None and self.coin():
            test = f"{index} == {self.draw(st.integers(first, first + N - 1))}"
        else:
            test = self.test()
        self.emit("if ", test, ":")
        with self.scope():
            if what == "return":
                self.s_return()
            else:
                self.emit(what)

    def output(self):
        scalars = " + ".join(f"np.tanh({n})" for n in self.scalars)
        vectors = " + ".join(f"np.sin({n})" for n in self.vectors)
        if self.program.vector_output:
            return Node("acc * {} + 0.2 * ({}) + 0.1 * ({})", self.vector(1), vectors, scalars)
        return Node("acc + 0.1 * ({}) + 0.1 * np.sum({})", scalars, vectors)

    def params_names(self) -> list[str]:
        return [n for n, _, _ in self.program.params]

    # ---- the whole function ----

    def build(self) -> Program:
        program = self.program
        program.params = [("a", "float", None)]
        if self.coin():
            program.params.append(("b", "float", None))
        program.params.append(("x", "vector", None))
        if self.coin(0.3):
            program.params.append(("y", "vector", None))
        if self.has("float32") and self.coin(0.2):
            program.params.append(("z", "float32", None))
            self.use("float32")
        if self.has("complex") and self.coin(0.2):
            program.params.append(("w", "complex", None))
            self.use("complex")
        if self.has("defaults") and self.coin(0.3):
            program.params.append(("c", "default", self.number()))
            self.use("defaults")
        self.scalars = [n for n, k, _ in program.params if k in ("float", "default")]
        self.vectors = [n for n, k, _ in program.params if k == "vector"]
        if "z" in self.params_names():
            self.emit("zz = np.tanh(z) * 0.5")
            self.vectors.append("zz")
        if "w" in self.params_names():
            self.emit("s_w = ", self.pick(["(w * np.conj(w)).real", "abs(w) ** 2",
                                           "np.real(w * w)", "np.imag(w) * np.real(w)"]))
            self.scalars.append("s_w")
        program.vector_output = self.coin(0.25)
        self.emit("acc = 0.0")
        self.block(self.draw(st.integers(1, 5)))
        self.emit("return ", self.output())
        program.helpers = "".join(HELPERS.values())
        return program


@st.composite
def programs(draw, enabled: frozenset = frozenset(FAMILIES)) -> Program:
    return Builder(draw, set(enabled)).build()


# ---- inputs and jumps ------------------------------------------------------------------


def arguments(program: Program):
    """A strategy for ``f``'s arguments (parameters with defaults are left out)."""
    unit = st.floats(-1.0, 1.0, allow_nan=False).map(lambda v: round(v, 3))
    parts = []
    for _, kind, default in program.params:
        if default is not None:
            continue
        if kind == "float":
            parts.append(unit)
        elif kind == "vector":
            parts.append(st.lists(unit, min_size=N, max_size=N).map(np.array))
        elif kind == "float32":
            parts.append(st.lists(unit, min_size=N, max_size=N).map(
                lambda v: np.array(v, dtype=np.float32)))
        else:
            parts.append(st.tuples(unit, unit).map(lambda p: complex(p[0], p[1])))
    return st.tuples(*parts)


class Trace:
    """What the instrumented program records: the least distance to a jump, and on which
    side of each jump every value fell (the signature)."""

    def __init__(self) -> None:
        self.least = math.inf
        self.sides: list = []

    def __call__(self, value, kind, threshold):
        if kind == "keys":
            self._order(value, threshold)
            return value
        v = np.asarray(value)
        if v.dtype.kind == "c" or v.dtype.kind not in "fiub":
            return value
        v = v.astype(float)
        if kind == "int":
            distance = np.abs(v - np.round(v))
            side = tuple(np.ravel(np.floor(v)))
        else:
            t = np.asarray(threshold, dtype=float)
            distance = np.abs(v - t)
            side = tuple(np.ravel(v > t))
        if distance.size:
            self.least = min(self.least, float(np.min(distance)))
        self.sides.append((kind, side))
        return value

    def _order(self, values, key) -> None:
        """The order ``key`` (None: the values themselves) puts ``values`` in, and how
        close two keys come to swapping it."""
        keys = np.array([float(np.real(key(v) if key is not None else v)) for v in values])
        if keys.size >= 2:
            ordered = np.sort(keys)
            self.least = min(self.least, float(np.min(np.diff(ordered))))
        self.sides.append(("keys", tuple(np.argsort(keys, kind="stable"))))
