"""s2sad html: one self-contained page, each function beside its tangent and adjoint,
read back with html.parser."""

import html
import subprocess
import sys
import textwrap
from html.parser import HTMLParser

import pytest

from s2sad.lecture.page import Entry, page, statement_blocks

USER_FILE = textwrap.dedent("""\
    import math

    import numpy as np


    def f(x1, x2):
        return math.log(x1) + x1 * x2 - math.sin(x2)


    def layer(x, W):
        h = np.tanh(W @ x)
        return np.sum(h ** 2)


    def opaque(x):
        try:
            return x * x
        except ValueError:
            return x
    """)


class Structure(HTMLParser):
    """The page's sections, each with its figures' classes, captions and text."""

    def __init__(self):
        super().__init__()
        self.sections = []
        self.external = []
        self.stack = []
        self.figure = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.stack.append(tag)
        if tag in ("link", "script", "img", "iframe") or attrs.get("src"):
            self.external.append((tag, attrs))
        if tag == "section":
            self.sections.append({"id": attrs["id"], "title": "", "figures": []})
        elif tag == "figure":
            self.figure = {"class": attrs["class"], "caption": "", "text": ""}
            self.sections[-1]["figures"].append(self.figure)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
        if tag == "figure":
            self.figure = None

    def handle_data(self, data):
        if "h2" in self.stack and self.sections:
            self.sections[-1]["title"] += data
        elif self.figure is not None:
            key = "caption" if "figcaption" in self.stack else "text"
            self.figure[key] += data


def structure(text):
    parser = Structure()
    parser.feed(text)
    parser.close()
    assert not parser.stack, f"unclosed tags: {parser.stack}"
    return parser


@pytest.fixture
def written(tmp_path):
    (tmp_path / "user.py").write_text(USER_FILE)
    run = subprocess.run([sys.executable, "-m", "s2sad", "html", "user.py", "-o", "d.html"],
                         capture_output=True, text=True, cwd=tmp_path)
    return run, (tmp_path / "d.html").read_text(), tmp_path


def test_each_function_beside_its_tangent_and_adjoint(written):
    run, text, folder = written
    assert text.startswith("<!DOCTYPE html>")
    parsed = structure(text)
    assert parsed.external == []  # nothing fetched from elsewhere
    titles = [s["title"] for s in parsed.sections]
    assert titles == ["f", "layer", "opaque"]
    f_section = parsed.sections[0]
    assert [fig["class"] for fig in f_section["figures"]] == ["primal", "tangent", "adjoint"]
    assert [fig["caption"] for fig in f_section["figures"]] == [
        "the function", "tangent (forward mode)", "adjoint (reverse mode)"]
    primal, tangent, adjoint = (fig["text"].strip() for fig in f_section["figures"])
    assert primal.startswith("def f(x1, x2):")
    assert "def f_tangent(x1, x2, x1_dot, x2_dot):" in tangent
    assert "def f_adjoint(x1, x2, y_bar=1.0):" in adjoint
    shown = subprocess.run([sys.executable, "-m", "s2sad", "user.py", "f", "--mode", "both",
                            "--wrt", "x1,x2"], capture_output=True, text=True, cwd=folder)
    assert tangent + "\n\n\n" + adjoint == shown.stdout.strip()


def test_a_refused_function_shows_its_refusal(written):
    run, text, _ = written
    assert run.returncode == 1
    assert "user.py:16:4: try statements are not supported" in run.stderr
    opaque = structure(text).sections[2]
    assert opaque["figures"][1]["text"].strip().startswith("user.py:16:4: try statements")
    assert 'class="refused"' in text


def test_named_functions_and_wrt(tmp_path):
    (tmp_path / "user.py").write_text(USER_FILE)
    run = subprocess.run([sys.executable, "-m", "s2sad", "html", "user.py", "layer", "--wrt",
                          "W", "-o", "layer.html"], capture_output=True, text=True,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    parsed = structure((tmp_path / "layer.html").read_text())
    assert [s["title"] for s in parsed.sections] == ["layer"]
    assert "def layer_adjoint(x, W, y_bar=1.0):" in parsed.sections[0]["figures"][2]["text"]
    assert "W_bar = " in parsed.sections[0]["figures"][2]["text"]
    assert "x_bar" not in parsed.sections[0]["figures"][2]["text"]
    missing = subprocess.run([sys.executable, "-m", "s2sad", "html", "user.py", "-o",
                              "no/where.html"], capture_output=True, text=True, cwd=tmp_path)
    assert missing.returncode == 2 and "no folder" in missing.stderr


def test_the_page_escapes_what_it_shows():
    text = page("a <b>", [Entry("f", {"primal": "x = '<script>'\n"},
                                {"adjoint": "refused: a < b"})])
    parsed = structure(text)
    assert parsed.external == []
    assert "<title>a &lt;b&gt;</title>" in text
    figures = parsed.sections[0]["figures"]
    assert html.unescape(figures[0]["text"]).strip() == "x = '<script>'"
    assert figures[1]["class"] == "adjoint" and figures[1]["text"].strip() == "refused: a < b"


def test_the_adjoint_block_by_block_beside_its_statements(written):
    _, text, folder = written
    assert text.count('<table class="aligned">') == 2  # f and layer; opaque was refused
    shown = subprocess.run([sys.executable, "-m", "s2sad", "user.py", "layer", "--wrt",
                            "x,W"], capture_output=True, text=True, cwd=folder).stdout
    blocks = statement_blocks(shown)
    heads = [head for head, _ in blocks]
    assert heads.index("return np.sum(h ** 2)") < heads.index("h = np.tanh(W @ x)")
    reverse = dict(blocks)
    assert "h_bar = " in reverse["return np.sum(h ** 2)"]
    assert "W_bar = " in reverse["h = np.tanh(W @ x)"]
    # every line of the adjoint but its comments is in exactly one block, in order
    code = [line for _, block in blocks for line in block.split("\n") if line.strip()]
    assert code == [line for line in shown.split("\n")
                    if line.strip() and not line.strip().startswith("#")]
