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
    return (f'<section class="function" id="{_anchor(entry.name)}">'
            f"<h2>{html.escape(entry.name)}</h2>\n"
            f'<div class="columns">\n' + "\n".join(figures) + "\n</div></section>")
