"""s2sad.source's text, highlighted in a notebook and on a terminal."""

import html
import re
import subprocess
import sys
import textwrap

import pytest

import s2sad
from s2sad.lecture import highlight
from s2sad.lecture.highlight import SourceText

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def f(x1, x2):
    return x1 * x2 + x1


def test_source_is_a_string_that_prints_as_before():
    text = s2sad.source(f, wrt=(0, 1))
    assert isinstance(text, SourceText) and isinstance(text, str)
    assert str(text) == text and type(str(text)) is str
    assert repr(text) == repr(str(text))
    assert text.startswith("def f_adjoint(x1, x2, y_bar=1.0):")


def test_html_is_highlighted_or_escaped():
    text = s2sad.source(f, wrt=(0, 1))
    shown = text._repr_html_()
    assert "s2sad-source" in shown
    plain = html.unescape(re.sub(r"<[^>]+>", "", shown))
    assert plain.strip() == text.strip()


def test_html_without_pygments_is_an_escaped_pre(monkeypatch):
    monkeypatch.setattr(highlight, "_pygments", lambda: None)
    assert SourceText("a < b & c")._repr_html_() == \
        '<pre class="s2sad-source">a &lt; b &amp; c</pre>'
    assert highlight.as_ansi("x = 1\n") == "x = 1\n"


def test_ansi_colours_keep_the_text():
    pytest.importorskip("pygments")
    text = s2sad.source(f, wrt=(0, 1), mode="forward")
    coloured = highlight.as_ansi(text)
    assert coloured != text and ANSI.sub("", coloured) == text


def test_colour_choice(monkeypatch):
    class Terminal:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert highlight.wants_colour("auto", Terminal())
    assert not highlight.wants_colour("never", Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not highlight.wants_colour("auto", Terminal())
    assert highlight.wants_colour("always", None)


def test_the_command_colours_when_asked(tmp_path):
    pytest.importorskip("pygments")
    (tmp_path / "user.py").write_text(textwrap.dedent("""\
        def f(x):
            return x * x
        """))
    run = [sys.executable, "-m", "s2sad", "user.py"]
    plain = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert plain.returncode == 0 and not ANSI.search(plain.stdout)  # a pipe: no colour
    coloured = subprocess.run(run + ["--color", "always"], capture_output=True, text=True,
                              cwd=tmp_path)
    assert ANSI.search(coloured.stdout) and ANSI.sub("", coloured.stdout) == plain.stdout
    never = subprocess.run(run + ["--color", "never"], capture_output=True, text=True,
                           cwd=tmp_path)
    assert never.stdout == plain.stdout
