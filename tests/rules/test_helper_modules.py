"""Helpers beside their rules: every run-time helper a rule template calls is in its
family's runtime modules (``s2sad/rules/helper_modules.py``), or in the shared core."""

from pathlib import Path

import pytest

from s2sad.rules import RULES, catalog
from s2sad.rules.helper_modules import (
    BORROWED_HELPERS,
    OWN_HELPERS,
    SHARED,
    helpers_by_family,
)

RUNTIME = Path(__file__).resolve().parents[2] / "s2sad" / "runtime"


@pytest.fixture(scope="module")
def used():
    catalog.catalog()  # imports every family (SciPy's too when SciPy is installed)
    return helpers_by_family(RULES)


@pytest.fixture(scope="module")
def families():
    return set(catalog.catalog() and catalog._families())


def test_every_helper_is_in_its_family_modules(used):
    misplaced = sorted(
        f"{family} calls {', '.join(sorted(names))} from s2sad/runtime/{module}"
        for family, modules in used.items() for module, names in modules.items()
        if module != SHARED and module not in OWN_HELPERS.get(family, ())
        and module not in BORROWED_HELPERS.get(family, ()))
    assert misplaced == [], (
        "a rule's helper goes in its family's runtime module (OWN_HELPERS); a helper of "
        "another family is listed in BORROWED_HELPERS, both in s2sad/rules/helper_modules.py")


def test_every_listed_module_is_called(used, families):
    unused = sorted(
        f"{family}: {module}"
        for table in (OWN_HELPERS, BORROWED_HELPERS) for family, modules in table.items()
        if family in families for module in modules if module not in used.get(family, {}))
    assert unused == []


def test_the_lists_name_families_and_runtime_modules(families):
    assert set(OWN_HELPERS) <= families
    assert set(BORROWED_HELPERS) <= set(OWN_HELPERS)
    for modules in [*OWN_HELPERS.values(), *BORROWED_HELPERS.values()]:
        for module in modules:
            assert (RUNTIME / f"{module}.py").is_file() or (RUNTIME / module).is_dir(), module


def test_every_family_calling_helpers_is_listed(used):
    unlisted = sorted(family for family, modules in used.items()
                      if set(modules) - {SHARED} and family not in OWN_HELPERS)
    assert unlisted == []
