"""Settings for the whole tree: where Numba is not installed, the module that only
Numba-compiled derivatives import is not collected for its doctests (the tests of the
backend skip themselves, saying why)."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("numba") else ["s2sad/backends/numba_runtime.py"]
