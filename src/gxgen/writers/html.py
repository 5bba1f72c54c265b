"""HTML writer: one self-contained page (or a body-only fragment) from the document model.

The page layout lives in ``templates/report.html.j2`` so an agency can restyle it; the
table markup is built here, in one function, because the Markdown writer embeds the very
same tables when asked for merged cells.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from gxgen.document import Cell, Document, Heading, Paragraph, Table

TEMPLATE_NAME = "report.html.j2"


def _template_dirs() -> list[str]:
    """Installed wheels carry ``gxgen/templates``; a checkout has ``templates/`` at its root."""
    package = Path(__file__).resolve().parent.parent
    return [str(package / "templates"), str(package.parent.parent / "templates")]


@lru_cache(maxsize=8)
def _environment(search_path: tuple[str, ...]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(list(search_path)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters["lines"] = text_html
    env.globals["table_html"] = table_html
    env.tests["heading"] = lambda block: isinstance(block, Heading)
    env.tests["paragraph"] = lambda block: isinstance(block, Paragraph)
    env.tests["table"] = lambda block: isinstance(block, Table)
    return env


def text_html(text: str) -> Markup:
    """Escape ``text``, keeping its line breaks visible as ``<br>``."""
    return Markup("<br>\n").join(escape(line) for line in text.split("\n"))


def header_length(table: Table, origins: list[list[tuple[int, int]]]) -> int:
    """The rows of ``<thead>``: the declared header rows, grown until no span leaves them."""
    head = min(table.header_rows, len(table.rows))
    while 0 < head < len(table.rows) and any(r < head for r, _ in origins[head]):
        head += 1
    return head


def _cell_html(cell: Cell) -> str:
    classes = f"gx-{cell.role}"
    attrs = ""
    if cell.role == "stub":
        if cell.indent:
            classes += " gx-indented"
            attrs += f' style="--gx-indent:{cell.indent}"'
        attrs += f' scope="{"rowgroup" if cell.rowspan > 1 else "row"}"'
    elif cell.role == "header":
        attrs += f' scope="{"colgroup" if cell.colspan > 1 else "col"}"'
    elif cell.role == "caption":
        attrs += ' scope="colgroup"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    tag = "th" if cell.is_header else "td"
    return f'<{tag} class="{classes}"{attrs}>{text_html(cell.text)}</{tag}>'


def _rows_html(rows: tuple[tuple[Cell, ...], ...]) -> list[str]:
    return ["<tr>" + "".join(_cell_html(cell) for cell in row) + "</tr>" for row in rows]


def table_html(table: Table) -> Markup:
    """The ``<table>`` for one model table: spans only where > 1, ``<th scope>`` for labels.

    One ``<tr>`` per line and no blank line, so the block also stands as raw HTML in Markdown.
    """
    head = header_length(table, table.origins())
    lines = [
        f'<table class="gx-table" data-table="{escape(table.key)}" '
        f'style="--gx-cols:{table.columns}">'
    ]
    if table.title:
        lines.append(f'<caption class="gx-table-title">{text_html(table.title)}</caption>')
    if table.widths:
        total = sum(table.widths)
        lines.append(
            "<colgroup>"
            + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in table.widths)
            + "</colgroup>"
        )
    if head:
        lines += ["<thead>", *_rows_html(table.rows[:head]), "</thead>"]
    if head < len(table.rows):
        lines += ["<tbody>", *_rows_html(table.rows[head:]), "</tbody>"]
    lines.append("</table>")
    return Markup("\n".join(lines))


def render(
    doc: Document, *, fragment: bool = False, template: str | os.PathLike[str] | None = None
) -> bytes:
    """Render ``doc`` as UTF-8 HTML: a whole page, or with ``fragment`` only the report body.

    ``template`` replaces ``templates/report.html.j2`` with an agency's own file.
    """
    for table in doc.tables():
        table.grid()
    if template is None:
        env = _environment(tuple(_template_dirs()))
        name = TEMPLATE_NAME
    else:
        path = Path(template).resolve()
        env = _environment((str(path.parent),))
        name = path.name
    html = env.get_template(name).render(doc=doc, fragment=fragment)
    return html.encode("utf-8")
