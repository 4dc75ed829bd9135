"""One self-contained HTML page showing functions beside their derivatives: for each, the
function, its tangent and its adjoint side by side, highlighted."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from s2sad.lecture.highlight import as_html

#: the columns of a function's row, in order, with their captions
COLUMNS = (("primal", "the function"), ("tangent", "tangent (forward mode)"),
           ("adjoint", "adjoint (reverse mode)"))

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
nav ul { padding-left: 1.2em; }
.columns { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1em;
           align-items: start; }
figure { margin: 0; border: 1px solid #ddd; border-radius: 6px; overflow-x: auto; }
figcaption { font-size: 0.85em; font-weight: 600; padding: 0.4em 0.7em;
             background: #f0f3f7; border-bottom: 1px solid #ddd; }
figure pre { margin: 0; padding: 0.6em 0.7em; font-size: 0.82em; line-height: 1.35; }
figure .s2sad-source { background: #fbfbfb; }
.refused { color: #8a1f11; white-space: pre-wrap; }
details { margin-top: 0.8em; }
table.aligned { border-collapse: collapse; width: 100%; }
table.aligned td { vertical-align: top; border-top: 1px solid #e4e4e4; padding: 0; }
table.aligned td.statement { width: 35%; background: #f6f8fb; }
table.aligned pre { margin: 0; padding: 0.3em 0.6em; font-size: 0.82em; }
@media (max-width: 1100px) { .columns { grid-template-columns: 1fr; } }
"""


@dataclass
class Entry:
    """A function's row: its name and, for each column, source text or a refusal."""

    name: str
    texts: dict[str, str] = field(default_factory=dict)
    refusals: dict[str, str] = field(default_factory=dict)


def page(title: str, entries: list[Entry], note: str = "") -> str:
    """The whole page, styles inline, nothing fetched from elsewhere."""
    escaped = html.escape(title)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{escaped}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
             f"<h1>{escaped}</h1>"]
    if note:
        parts.append(f'<p class="note">{html.escape(note)}</p>')
    parts.append("<nav><ul>")
    parts += [f'<li><a href="#{_anchor(e.name)}">{html.escape(e.name)}</a></li>'
              for e in entries]
    parts.append("</ul></nav>")
    parts += [_section(e) for e in entries]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _anchor(name: str) -> str:
    return "function-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def _section(entry: Entry) -> str:
    figures = []
    for column, caption in COLUMNS:
        if column in entry.refusals:
            body = f'<pre class="refused">{html.escape(entry.refusals[column])}</pre>'
        elif column in entry.texts:
            body = as_html(entry.texts[column])
        else:
            continue
        figures.append(f'<figure class="{column}"><figcaption>{html.escape(caption)}'
                       f"</figcaption>\n{body}</figure>")
    aligned = _aligned(entry.texts["adjoint"]) if "adjoint" in entry.texts else ""
    return (f'<section class="function" id="{_anchor(entry.name)}">'
            f"<h2>{html.escape(entry.name)}</h2>\n"
            f'<div class="columns">\n' + "\n".join(figures) + "\n</div>"
            + aligned + "</section>")


def statement_blocks(adjoint: str) -> list[tuple[str, str]]:
    """The adjoint's lines in blocks, each under the comment that heads it (in the reverse
    sweep, the user's statement the block reverses), with that comment's text; a ``def``
    starts a block of its own."""
    blocks: list[tuple[str, list[str]]] = [("", [])]
    for line in adjoint.rstrip("\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("#"):
            blocks.append((stripped[1:].strip(), []))
        elif line.startswith("def "):
            blocks.append(("", [line]))
        else:
            blocks[-1][1].append(line)
    return [(head, "\n".join(lines)) for head, lines in blocks if head or any(
        line.strip() for line in lines)]


def _aligned(adjoint: str) -> str:
    """The adjoint block by block, each beside the statement it reverses."""
    rows = []
    for statement, code in statement_blocks(adjoint):
        left = as_html(statement) if statement else ""
        right = as_html(code) if code.strip() else ""
        rows.append(f'<tr><td class="statement">{left}</td><td class="block">{right}</td></tr>')
    return ('\n<details class="aligned"><summary>the adjoint, each block beside the '
            "statement it reverses</summary>\n"
            '<table class="aligned">\n' + "\n".join(rows) + "\n</table></details>\n")
