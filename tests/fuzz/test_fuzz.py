"""Generated whole programs against numbers (``programs``, ``check``).

The ``ci`` profile (the default) runs a fixed set of programs within two minutes; the
``long`` profile (``S2SAD_FUZZ_PROFILE=long``, ``make fuzz``) runs
``S2SAD_FUZZ_EXAMPLES`` programs (5000 by default) from the seed ``S2SAD_FUZZ_SEED``
(random by default) and appends its counts to ``S2SAD_FUZZ_LOG`` when set. A failure
shrinks to a minimal program, shown as the falsifying example.
"""

import os
import random
import time

from hypothesis import HealthCheck, given, note, seed, settings
from hypothesis import strategies as st

from tests.fuzz import check
from tests.fuzz.programs import FAMILIES, KNOWN_OPEN, arguments, programs

_QUIET = [HealthCheck.filter_too_much, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "ci", max_examples=150, derandomize=True, database=None, deadline=None,
    suppress_health_check=_QUIET, print_blob=False, report_multiple_bugs=False)
settings.register_profile(
    "long", max_examples=int(os.environ.get("S2SAD_FUZZ_EXAMPLES", "5000")),
    database=None, deadline=None, suppress_health_check=_QUIET, report_multiple_bugs=False)
PROFILE = os.environ.get("S2SAD_FUZZ_PROFILE", "ci")
SEED = int(os.environ.get("S2SAD_FUZZ_SEED", random.randrange(2**32)))


def _log(line: str) -> None:
    path = os.environ.get("S2SAD_FUZZ_LOG")
    if path:
        with open(path, "a") as handle:
            handle.write(line + "\n")


def _counts() -> str:
    return ", ".join(f"{key}: {value}" for key, value in sorted(check.COUNTS.items()))


def test_known_open_names_families():
    assert KNOWN_OPEN <= FAMILIES


def test_programs_against_numbers():
    seen = {"programs": 0, "started": time.time()}

    @settings(settings.get_profile(PROFILE))
    @given(st.data())
    def run(data):
        program = data.draw(programs(), label="program")
        args = data.draw(arguments(program), label="args")
        note(f"families: {sorted(program.used)}")
        seen["programs"] += 1
        check.COUNTS["programs"] += 1
        if seen["programs"] % 100 == 0:
            _log(f"seed {SEED}, {time.time() - seen['started']:.0f} s: {_counts()}")
        check.check(program, args)

    if PROFILE != "ci":  # the ci profile is derandomized: the same programs every run
        run = seed(SEED)(run)
    _log(f"profile {PROFILE}, seed {SEED}, known open: {sorted(KNOWN_OPEN)}")
    try:
        run()
    finally:
        _log(f"seed {SEED} done: {_counts()}")
        for message, count in check.REFUSALS.most_common():
            _log(f"  refused {count}: {message}")
    # the generator must reach the compiler's derivatives, not only its refusals
    assert check.COUNTS["passed"] >= check.COUNTS["programs"] // 3, _counts()
