"""Settings for the whole tree: where Numba is not installed, the module that only
Numba-compiled derivatives import is not collected for its doctests (the tests of the
backend skip themselves, saying why); the longest test files are collected first, so that
the cores sharing the suite's files (``-n auto --dist loadfile``) start them first and
finish together."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("numba") else ["s2sad/backends/numba_runtime.py"]

#: files that take a minute or more: Numba compiling, random programs, worker processes
LONGEST_FIRST = ("tests/numba/", "tests/fuzz/test_fuzz.py", "tests/scaling/",
                 "tests/rules/test_decompositions_second_order.py", "tests/rules/test_closure.py",
                 "tests/test_examples.py", "tests/lecture/test_tutorial.py")


def pytest_collection_modifyitems(items):
    def rank(item):
        path = item.nodeid.split("::")[0]
        return next((i for i, start in enumerate(LONGEST_FIRST) if path.startswith(start)),
                    len(LONGEST_FIRST))
    items.sort(key=rank)
