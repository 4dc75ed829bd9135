"""What a packager checks: one version, ``--version``, the license, ``py.typed``, bounds
that say what s2sad needs, and an sdist that carries its own tests."""

import importlib.metadata
import re
from pathlib import Path

import s2sad
from s2sad.cli import main

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = (ROOT / "pyproject.toml").read_text()


def test_the_version_is_written_once():
    assert re.search(r'^version\s*=\s*"', PYPROJECT, re.M) is None
    assert 'version = { attr = "s2sad.version.VERSION" }' in PYPROJECT
    assert re.fullmatch(r"\d+\.\d+\.\d+", s2sad.__version__)
    try:
        installed = importlib.metadata.version("s2sad")
    except importlib.metadata.PackageNotFoundError:
        return
    assert installed == s2sad.__version__


def test_the_command_says_its_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"s2sad {s2sad.__version__}\n"


def test_license_and_typing_marker():
    assert 'license = "Apache-2.0"' in PYPROJECT
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text
    assert (Path(s2sad.__file__).parent / "py.typed").is_file()


def test_lower_bounds_are_what_s2sad_uses():
    """numpy 2.1 (ndarray.mT from 2.0, np.unstack from 2.1), gast 0.5.1 (NamedExpr)."""
    import gast
    import numpy as np

    assert '"numpy>=2.1,<3"' in PYPROJECT and '"gast>=0.5.1,<0.8"' in PYPROJECT
    assert hasattr(np, "unstack") and hasattr(np.ndarray, "mT")
    assert hasattr(gast, "NamedExpr")


def test_the_sdist_carries_tests_docs_and_examples():
    manifest = (ROOT / "MANIFEST.in").read_text().split()
    for folder in ("tests", "docs", "examples", "benchmarks"):
        assert folder in manifest
    # the test paths pytest is configured with are all inside what the sdist carries
    for path in re.search(r"testpaths = \[(.*)\]", PYPROJECT).group(1).split(","):
        top = path.strip().strip('"').split("/")[0]
        assert top in manifest or top == "s2sad"
