"""The catalog of rules (``s2sad rules``) and docs/rules.md, which is its output.

After a change to the rules, refresh the page with ``python -m s2sad rules > docs/rules.md``
or ``S2SAD_UPDATE_DOCS=1 make test``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from s2sad.rules import RULES
from s2sad.rules.catalog import COVERAGE, catalog

DOC = Path(__file__).parent.parent.parent / "docs" / "rules.md"


def run_rules(*flags, seed="0"):
    """``s2sad rules``'s output, run in a fresh process: this one's registry may also hold
    the rules other tests registered for their own functions."""
    result = subprocess.run(
        [sys.executable, "-m", "s2sad", "rules", *flags],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def markdown():
    return run_rules()


@pytest.fixture(scope="module")
def data():
    return json.loads(run_rules("--json"))


@pytest.fixture(scope="module")
def entries():
    return {entry.function: entry for entry in catalog().entries}


def test_docs_rules_md_is_current(markdown):
    if os.environ.get("S2SAD_UPDATE_DOCS"):
        DOC.write_text(markdown)
    on_disk = DOC.read_text()
    environment = catalog().environment()
    if environment not in on_disk:
        pytest.skip(f"docs/rules.md lists other versions than these: {environment}")
    assert markdown == on_disk, (
        "docs/rules.md is out of date: refresh it with `python -m s2sad rules > docs/rules.md`"
        " or `S2SAD_UPDATE_DOCS=1 make test`, and review the diff"
    )


def test_json_counts_add_up(data):
    functions, summary = data["functions"], data["summary"]
    assert summary["functions"] == len(functions)
    assert sum(summary[key] for key in COVERAGE) == summary["functions"]
    for key in ("functions", *COVERAGE):
        assert sum(counts[key] for counts in data["by_library"].values()) == summary[key]
    assert {entry["coverage"] for entry in functions} <= set(COVERAGE)
    assert data["by_library"]["numpy"]["both"] >= 160  # the count


def test_json_and_markdown_list_the_same_functions(markdown, data):
    table = markdown.split("| function ")[1]
    listed = [line.split("`")[1] for line in table.splitlines()[2:]]
    assert listed == [entry["function"] for entry in data["functions"]]
    assert f"**{data['summary']['functions']} functions**" in markdown


def test_rows_are_unique_and_sorted_by_family_then_name(data):
    keys = [(entry["family"], entry["function"]) for entry in data["functions"]]
    assert keys == sorted(keys)
    assert len({function for _, function in keys}) == len(keys)


def test_output_is_the_same_under_any_hash_seed(markdown, data):
    assert run_rules(seed="1") == markdown
    assert json.loads(run_rules("--json", seed="random")) == data


def test_sin_has_both_modes_and_floor_is_zero(entries):
    sin = entries["numpy.sin"]
    assert (sin.coverage, sin.reverse, sin.forward, sin.family) == (
        "both", ("x",), ("x",), "numpy_elementwise",
    )
    floor = entries["numpy.floor"]
    assert floor.coverage == "nondifferentiable"
    assert (floor.reverse_cell(), floor.forward_cell()) == ("zero", "zero")


def test_cells(entries):
    assert entries["math.atan2"].reverse_cell() == "y, x"  # the primal's parameter order
    assert entries["numpy.dot"].forward_cell() == "linear: a, b"
    assert entries["operator.truediv"].forward_cell() == "b; linear: a"
    unbroadcast = entries["s2sad.runtime.core.unbroadcast"]
    assert unbroadcast.reverse_cell() == "g; zero: x"
    assert unbroadcast.forward_cell() == "linear: g; zero: x"


def test_family_is_the_module_declaring_the_rules(entries):
    assert entries["numpy.add"].family == "numpy_elementwise"  # share(np.add, operator.add)
    assert entries["operator.add"].family == "operators"
    assert entries["math.floor"].family == "math_rules"  # nondifferentiable, no template
    assert entries["numpy.random.normal"].family == "nondiff"  # a computed declaration
    # declared in a loop, linear only
    assert entries["s2sad.runtime.products.dot_adjoint_a"].family == "runtime_rules"
    assert entries["s2sad.custom.stop_gradient"].family == "s2sad.custom"


def test_names_users_call(entries, data):
    assert "numpy.random.normal" in entries  # not only numpy.random.RandomState.normal
    assert "numpy.random.RandomState.normal" in entries
    assert "numpy.random.test" in entries  # not its repr, with a memory address
    assert "numpy.ndarray.sum" in entries and "abs" in entries
    assert not any(" " in entry["function"] for entry in data["functions"])


def test_scipy_rules_are_listed(entries):
    scipy = pytest.importorskip("scipy")
    listed = catalog()
    assert listed.versions["scipy"] == ".".join(scipy.__version__.split(".")[:2])
    assert entries["scipy.special.gamma"].family == "scipy_special"
    assert entries["scipy.linalg.det"].coverage == "both"
    assert "SciPy installed" in listed.environment()


def test_catalog_leaves_the_registry_alone():
    def snapshot():
        return {
            id(rules.function): (rules.name, rules.signature, dict(rules.vjps),
                                 dict(rules.jvps), set(rules.linear), set(rules.constant),
                                 rules.nondifferentiable)
            for rules in RULES
        }

    catalog()  # SciPy's rules load on the first call
    before = snapshot()
    catalog()
    assert snapshot() == before
