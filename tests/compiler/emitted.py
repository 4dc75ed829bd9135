"""The emitted source of every corpus function, to compare two versions of the compiler.

``python -m tests.compiler.emitted OUT.json`` writes, for each function of the corpora,
the benchmark workloads and a hundred random loop programs, the source ``s2sad.source``
shows in forward, vector and reverse mode, optimized and not (a refusal's message in
place of a source). A change meant to keep the emitted code as it is (a refactoring)
compares the files written before and after it::

    python -m tests.compiler.emitted before.json   # on the old code
    python -m tests.compiler.emitted after.json    # on the new code
    python -m tests.compiler.emitted --compare before.json after.json
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
import tempfile

import s2sad
from s2sad.testing.rules import is_differentiable

MODES = [("forward", True), ("vector", True), ("reverse", True), ("reverse", False),
         ("forward", False)]


def _corpora() -> list[tuple[str, object, tuple]]:
    from benchmarks.workloads import ALL
    from tests.compiler.corpus import CORPUS
    from tests.compiler.corpus_calls import CALLS_CORPUS
    from tests.compiler.corpus_containers import CONTAINERS_CORPUS
    from tests.compiler.corpus_control import CONTROL_CORPUS
    from tests.compiler.corpus_inplace import INPLACE_CORPUS

    found = []
    for label, corpus in [("corpus", CORPUS), ("calls", CALLS_CORPUS),
                          ("containers", CONTAINERS_CORPUS), ("control", CONTROL_CORPUS),
                          ("inplace", INPLACE_CORPUS)]:
        for function, args in corpus:
            found.append((f"{label}.{function.__qualname__}", function, args))
    for workload in ALL:
        found.append((f"workload.{workload.name}", workload.f, workload.args()))
    return found


def _random(directory: str) -> list[tuple[str, object, tuple]]:
    from tests.compiler.random_programs import array_program, scalar_program

    found = []
    for kind, make in (("scalar", scalar_program), ("array", array_program)):
        for seed in range(50):
            program = make(seed)
            name = f"emitted_{kind}_{seed}"
            path = os.path.join(directory, name + ".py")
            with open(path, "w") as handle:
                handle.write(program.source)
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
            found.append((f"random.{kind}.{seed}", module.f, program.args))
    return found


def emitted() -> dict[str, str]:
    """``"<entry>/<mode>/<optimized>"`` -> the source shown, or the refusal's message."""
    sources = {}
    with tempfile.TemporaryDirectory() as directory:
        for key, function, args in _corpora() + _random(directory):
            names = [p for p, a in zip(inspect.signature(function).parameters, args)
                     if is_differentiable(a)]
            wrt = tuple(names) or (0,)
            for mode, optimize in MODES:
                try:
                    text = s2sad.source(function, mode=mode, wrt=wrt, optimize=optimize)
                except Exception as error:  # a refusal is part of what is emitted
                    text = f"{type(error).__name__}: {error}"
                sources[f"{key}/{mode}/{'optimized' if optimize else 'plain'}"] = text
    return sources


def _compare(before_path: str, after_path: str) -> int:
    with open(before_path) as handle:
        before = json.load(handle)
    with open(after_path) as handle:
        after = json.load(handle)
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    missing = sorted(before.keys() ^ after.keys())
    for key in changed:
        print(f"changed: {key}")
    for key in missing:
        print(f"in one file only: {key}")
    print(f"{len(before)} entries, {len(changed)} changed, {len(missing)} in one file only")
    return 1 if changed or missing else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        return _compare(argv[1], argv[2])
    with open(argv[0], "w") as handle:
        json.dump(emitted(), handle, indent=0, sort_keys=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
