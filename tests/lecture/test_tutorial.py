"""docs/tutorial.md: every command it shows prints exactly what the page says, and its
Python examples run (doctest)."""

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"


def _file_block() -> str:
    """The first python block: the page's lecture.py."""
    return re.search(r"```python\n(.*?)```", TUTORIAL.read_text(), re.S).group(1)


def _commands() -> list[tuple[str, str]]:
    """Each ``$ s2sad ...`` command of the console blocks with the output shown under it."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", TUTORIAL.read_text(), re.S):
        for part in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = part.partition("\n")
            found.append((command, output))
    return found


COMMANDS = _commands()


def test_the_tutorial_shows_commands():
    assert len(COMMANDS) >= 6
    assert all(command.startswith("s2sad ") for command, _ in COMMANDS)


@pytest.mark.parametrize("command, output", COMMANDS, ids=[c for c, _ in COMMANDS])
def test_each_command_prints_what_the_page_shows(tmp_path, command, output):
    (tmp_path / "lecture.py").write_text(_file_block())
    run = subprocess.run([sys.executable, "-m", "s2sad", *command.split()[1:]],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.rstrip("\n") == output.rstrip("\n")


def test_the_lecture_numbers_are_on_the_page():
    text = TUTORIAL.read_text()
    for number in ("11.652071", "5.500000", "1.716338"):
        assert number in text


def test_the_python_examples():
    result = doctest.testfile(str(TUTORIAL), module_relative=False,
                              optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
