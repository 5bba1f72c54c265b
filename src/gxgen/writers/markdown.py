"""Markdown writer (GitHub/Gitee flavour).

Pipe tables are the default because they read as text and diff line by line: the column
header is flattened into one row and every body row carries its full row label, so a changed
figure changes exactly one line. Pipe tables cannot merge cells; ``tables="html"`` embeds the
HTML writer's ``<table>`` instead, which GitHub and Gitee render with its merges.

The 落款 cannot be right-aligned in Markdown itself, so it is a ``<p align="right">`` block:
GitHub, Gitee and pandoc honour ``align``, and as plain text it still reads as the last two
lines of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import escape

from gxgen.document import Cell, Document, Heading, Paragraph, Signature, Table
from gxgen.writers.html import table_html, text_html

TABLE_MODES = ("pipe", "html")

_INLINE = re.compile(r"([\\`*_\[\]<~|$])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
_BULLET = re.compile(r"^([-+])(?=[ \t]|$)")
_RULE_OR_SETEXT = re.compile(r"^([-=])[-= \t]*$")
_URL = re.compile(r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_URL_TRAILER = ".,:;!?'\"*_~"
_WWW = re.compile(r"(?<=www)\.")


def _url_end(url: str) -> str:
    """The URL without the punctuation that ends the sentence around it (GFM's rule)."""
    while url and (
        url[-1] in _URL_TRAILER or (url[-1] == ")" and url.count(")") > url.count("("))
    ):
        url = url[:-1]
    return url


def _escape_text(text: str) -> str:
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    return _WWW.sub(r"\\.", text)


def escape_inline(text: str) -> str:
    """Backslash the characters that could open inline markup (emphasis, code, links, HTML).

    Web addresses would otherwise show those backslashes: GFM autolinks them verbatim and
    runs the link on into the Chinese text that follows. So ``http://…`` becomes an explicit
    ``<http://…>`` autolink that ends where the address ends, and the dot of a bare ``www.``
    is escaped so that it stays plain text, exactly as written.
    """
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        url = _url_end(match.group(0))
        if url.endswith("://") and url.count("://") == 1:
            continue
        out.append(_escape_text(text[pos:match.start()]))
        out.append(f"<{url}>")
        pos = match.start() + len(url)
    out.append(_escape_text(text[pos:]))
    return "".join(out)


def escape_line(line: str) -> str:
    """Escape one line of narrative so it renders as written, wherever it starts.

    Only what would turn into markup is touched: ``1.`` is escaped only when a space
    follows (``1.属于国家秘密`` is never a list item), ``#`` only at the start, and so on.
    """
    line = escape_inline(line.strip(" \t"))
    if line.startswith(("#", ">")):
        return "\\" + line
    line = _ORDERED.sub(r"\1\\\2", line)
    line = _BULLET.sub(r"\\\1", line)
    return "\\" + line if _RULE_OR_SETEXT.match(line) else line


def escape_block(text: str) -> str:
    """A paragraph: every line escaped, inner line breaks kept as hard breaks."""
    lines = [escape_line(line) for line in text.split("\n")]
    return "\\\n".join(line for line in lines if line)


def _heading(prefix: str, text: str) -> str:
    return prefix + " " + escape_inline(" ".join(text.split("\n")).strip()).replace("#", "\\#")


def _pipe_cell(text: str) -> str:
    """Text inside a pipe-table cell: ``|`` escaped, line breaks as ``<br>``, no empty line."""
    lines = (escape_inline(line.strip(" \t")) for line in text.split("\n"))
    return "<br>".join(line for line in lines if line)


def _join(texts: list[str]) -> str:
    return " / ".join(t for t in texts if t.strip())


def _is_caption_row(table: Table, row: tuple[Cell, ...]) -> bool:
    return len(row) == 1 and row[0].role == "caption" and row[0].colspan == table.columns


@dataclass
class _Segment:
    caption: str | None
    rows: list[int]


def _segments(table: Table) -> list[_Segment]:
    """Split the table at caption rows; each part becomes its own pipe table."""
    segments = [_Segment(None, [])]
    for r, row in enumerate(table.rows):
        if _is_caption_row(table, row) and row[0].rowspan == 1:
            segments.append(_Segment(row[0].text, []))
        else:
            segments[-1].rows.append(r)
    return [s for s in segments if s.rows or s.caption is not None]


class _Grid:
    """The table's slots with, for each, the cell and where that cell starts."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.slots = table.grid()
        self.origins = table.origins()

    def cell(self, r: int, c: int) -> Cell:
        return self.slots[r][c][0]

    def is_header_row(self, r: int) -> bool:
        """Only labels, and at least one column header: a row label alone is no header."""
        cells = [self.cell(r, c) for c in range(self.table.columns)]
        return all(c.is_header for c in cells) and any(
            c.role in ("header", "corner") for c in cells
        )

    def stub_width(self, rows: list[int]) -> int:
        """Leading grid columns that hold a row label in every body row."""
        width = 0
        while width < self.table.columns and all(
            self.cell(r, width).role == "stub" for r in rows
        ):
            width += 1
        return width

    def column_groups(self, rows: list[int], start: int) -> list[list[int]]:
        """Value columns merged where no row of the segment draws a boundary between them."""
        groups: list[list[int]] = []
        for c in range(start, self.table.columns):
            if groups and all(self.origins[r][c] == self.origins[r][c - 1] for r in rows):
                groups[-1].append(c)
            else:
                groups.append([c])
        return groups

    def texts(self, rows: list[int], columns: list[int]) -> list[str]:
        """Texts of the distinct cells over ``rows`` × ``columns``, top-down then left-right."""
        seen: set[tuple[int, int]] = set()
        texts: list[str] = []
        for r in rows:
            for c in columns:
                origin = self.origins[r][c]
                if origin not in seen:
                    seen.add(origin)
                    cell = self.cell(r, c)
                    indent = "\u3000" * cell.indent if cell.role == "stub" else ""
                    texts.append(indent + cell.text)
        return texts


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def pipe_tables(table: Table) -> list[str]:
    """The table as one or more pipe tables (one per caption block), as Markdown blocks."""
    grid = _Grid(table)
    blocks: list[str] = []
    if table.title and escape_block(table.title):
        blocks.append(escape_block(table.title))
    for segment in _segments(table):
        head = 0
        while head < len(segment.rows) and grid.is_header_row(segment.rows[head]):
            head += 1
        head_rows, body_rows = segment.rows[:head], segment.rows[head:]
        if segment.caption and segment.caption.strip():
            blocks.append("**" + _pipe_cell(segment.caption.strip()) + "**")
        if not segment.rows:
            continue
        stub = grid.stub_width(body_rows) if body_rows else 0
        groups = grid.column_groups(segment.rows, stub)
        columns = ([list(range(stub))] if stub else []) + groups
        header = [_pipe_cell(_join(grid.texts(head_rows, cols))) for cols in columns]
        align = (["---"] if stub else []) + [":-:"] * len(groups)
        lines = [_pipe_row(header), _pipe_row(align)]
        for r in body_rows:
            cells = [_pipe_cell(_join(grid.texts([r], list(range(stub)))))] if stub else []
            for cols in groups:
                origin = grid.origins[r][cols[0]]
                cell = grid.cell(r, cols[0])
                own = origin[0] == r or cell.is_header
                cells.append(_pipe_cell(cell.text) if own else "")
            lines.append(_pipe_row(cells))
        blocks.append("\n".join(lines))
    return blocks


def _html_table(table: Table) -> str:
    return str(table_html(table))


def _signature(sig: Signature) -> str:
    """Raw HTML, so escaped as HTML: Markdown is not parsed inside an HTML block."""
    lines = [text_html(sig.agency)]
    if sig.date:
        lines.append(escape(sig.date))
    return '<p align="right">' + "<br>\n".join(str(line) for line in lines) + "</p>"


def render(doc: Document, *, tables: str = "pipe") -> bytes:
    """Render ``doc`` as GitHub/Gitee Markdown (UTF-8); ``tables`` is ``pipe`` or ``html``."""
    if tables not in TABLE_MODES:
        raise ValueError(f"tables must be one of {', '.join(TABLE_MODES)}, not {tables!r}")
    blocks: list[str] = []
    if doc.draft_mark and doc.draft_mark.strip():
        blocks.append("> **" + _pipe_cell(doc.draft_mark.strip()) + "**")
    blocks.append(_heading("#", doc.title_text))
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append(_heading("##" if block.level <= 1 else "###", block.text))
        elif isinstance(block, Paragraph) and escape_block(block.text):
            blocks.append(escape_block(block.text))
        elif isinstance(block, Table):
            blocks += pipe_tables(block) if tables == "pipe" else [_html_table(block)]
    if doc.signature:
        blocks.append(_signature(doc.signature))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
