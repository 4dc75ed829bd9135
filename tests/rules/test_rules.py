"""Every built-in rule, called directly, against finite differences and the dot-product
identity. The rows come from the ``specs_*`` modules beside this file."""

import importlib
import pkgutil
from pathlib import Path

import pytest

from s2sad.testing import check_rule
from tests.rules.harness import build_args


def all_specs():
    here = Path(__file__).parent
    specs = []
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if info.name.startswith("specs_"):
            module = importlib.import_module(f"tests.rules.{info.name}")
            specs.extend(module.SPECS)
    return specs


SPECS = all_specs()


@pytest.mark.parametrize("spec", SPECS, ids=[s.name() for s in SPECS])
def test_rule(spec):
    args = build_args(spec)
    check_rule(spec.fn, args, spec.kwargs, spec.wrt, eps=spec.eps, rtol=spec.rtol, atol=spec.atol)
