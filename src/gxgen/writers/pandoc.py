"""Formats written by pandoc (ODT, plain text) from a pandoc AST built straight from the model.

No Markdown or HTML round trip: the tables go to pandoc as ``Table`` nodes with their
rowspan/colspan, so nothing is re-parsed or guessed. pandoc's ODT writer draws no cell
borders and knows no style for the 落款, so the ODT is finished here: borders on the table
cells and the few paragraph styles the document names.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypandoc

from gxgen.document import Cell, Document, Heading, Paragraph, Table
from gxgen.writers.html import header_length

SUPPORTED: dict[str, str] = {
    "odt": "OpenDocument text for LibreOffice/WPS, tables with merged cells (via pandoc)",
    "txt": "plain UTF-8 text, tables drawn as grid tables with their merges (via pandoc)",
}

PANDOC_API_VERSION = [1, 23, 1]
SOURCE_DATE_EPOCH = "315532800"
"""1980-01-01T00:00:00Z, the earliest zip timestamp: the fixed date of every ODT we write."""

TXT_ARGS = ["--wrap=none"]
"""Plain text is never wrapped: a paragraph is one line (the reader's editor wraps it) and a
grid table is as wide as its content, so no label or figure is split across lines."""

_ENV_LOCK = threading.Lock()
_BODY_INDENT_PT = 24
_BASE_PT = 12
_CELL_BORDER = (
    '<style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.02in" '
    'style:vertical-align="top" />'
)
"""Cells are top-aligned: LibreOffice splits a tall merged label (三、本年度办理结果, 22 rows)
across pages, and a centred one then leaves a stray character on the next page."""

Json = dict[str, Any]
_NO_ATTR: list[Any] = ["", [], []]


def _styled(style: str, blocks: list[Json]) -> Json:
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def _inlines(text: str) -> list[Json]:
    """Words as ``Str``/``Space``; a line break in the text stays a ``LineBreak``."""
    out: list[Json] = []
    for n, line in enumerate(text.split("\n")):
        if n:
            out.append({"t": "LineBreak"})
        for m, word in enumerate(w for w in re.split(r"[ \t]+", line.strip(" \t")) if w):
            if m:
                out.append({"t": "Space"})
            out.append({"t": "Str", "c": word})
    return out


def _para(text: str) -> Json:
    return {"t": "Para", "c": _inlines(text)}


def _cell(cell: Cell) -> list[Any]:
    """A cell whose paragraph carries a gxgen style: pandoc's ODT cells are unstyled 12pt."""
    label = cell.role == "stub"
    align = {"t": "AlignLeft" if label else "AlignCenter"}
    para = _para(cell.text)
    if label and cell.indent and para["c"]:
        para["c"].insert(0, {"t": "Str", "c": "\u3000" * cell.indent})
    content = _styled("gxgen-cell-label" if label else "gxgen-cell", [para])
    return [_NO_ATTR, align, cell.rowspan, cell.colspan, [content]]


def _rows(rows: tuple[tuple[Cell, ...], ...]) -> list[Any]:
    return [[_NO_ATTR, [_cell(cell) for cell in row]] for row in rows]


def _table(table: Table, widths: bool) -> Json:
    grid = table.grid()
    origins = table.origins()
    head = header_length(table, origins)
    body = table.rows[head:]
    stub = 0
    while body and stub < table.columns and all(
        line[stub][0].role == "stub" for line in grid[head:]
    ):
        stub += 1
    while 0 < stub < table.columns and any(
        line[stub] == line[stub - 1] for line in origins[head:]
    ):
        stub -= 1  # pandoc clips a cell that straddles the row-head boundary
    total = sum(table.widths) if table.widths else 0
    colspecs = [
        [
            {"t": "AlignDefault"},
            {"t": "ColWidth", "c": table.widths[c] / total}
            if widths and total
            else {"t": "ColWidthDefault"},
        ]
        for c in range(table.columns)
    ]
    return {
        "t": "Table",
        "c": [
            _NO_ATTR,
            [None, []],
            colspecs,
            [_NO_ATTR, _rows(table.rows[:head])],
            [[_NO_ATTR, stub, [], _rows(body)]] if body else [],
            [_NO_ATTR, []],
        ],
    }


def build_ast(doc: Document, fmt: str) -> Json:
    """The pandoc JSON AST for ``doc``; ``fmt`` decides what is metadata and what is text."""
    meta: Json = {"lang": {"t": "MetaString", "c": doc.lang}}
    blocks: list[Json] = []
    title: list[Json] = []
    for n, line in enumerate(doc.title):
        title += ([{"t": "LineBreak"}] if n else []) + _inlines(line)
    if fmt == "odt":
        meta["title"] = {"t": "MetaInlines", "c": title}
    if doc.draft_mark and doc.draft_mark.strip():
        blocks.append(_styled("gxgen-draft", [
            {"t": "Para", "c": [{"t": "Strong", "c": _inlines(doc.draft_mark)}]}
        ]))
    if fmt != "odt":
        blocks.append({"t": "Para", "c": title})
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append({"t": "Header", "c": [min(block.level, 6), _NO_ATTR,
                                                _inlines(block.text)]})
        elif isinstance(block, Paragraph):
            blocks.append(_styled("gxgen-body", [_para(block.text)]))
        elif isinstance(block, Table):
            if block.title:
                blocks.append(_styled("gxgen-table-title", [_para(block.title)]))
            blocks.append(_table(block, widths=fmt == "odt"))
    if doc.signature:
        sig = [_styled("gxgen-signature-name", [_para(doc.signature.agency)])]
        if doc.signature.date:
            sig.append(_styled("gxgen-signature-date", [_para(doc.signature.date)]))
        blocks.append({"t": "Div", "c": [["", ["signature"], []], sig]})
    return {"pandoc-api-version": PANDOC_API_VERSION, "meta": meta, "blocks": blocks}


@contextmanager
def _fixed_source_date() -> Iterator[None]:
    """pypandoc copies ``os.environ`` into pandoc's process: pin SOURCE_DATE_EPOCH there.

    pandoc then stamps the zip entries and meta.xml with that date instead of the clock.
    The variable is restored afterwards; the lock keeps concurrent renders from interleaving.
    """
    with _ENV_LOCK:
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
        try:
            yield
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved


def _odt_styles(doc: Document, has_title: bool) -> str:
    """The paragraph styles the document names but pandoc's default styles.xml lacks.

    ``Title`` is among them: LibreOffice knows it built in, other ODF readers need it defined.
    """
    name, date = doc.signature.indents() if doc.signature else (2.0, 0.0)
    date = date or 0.0

    def paragraph(style: str, parent: str, props: str, text: str = "") -> str:
        return (
            f'<style:style style:name="{style}" style:family="paragraph" '
            f'style:parent-style-name="{parent}"><style:paragraph-properties {props} />'
            + (f"<style:text-properties {text} />" if text else "")
            + "</style:style>"
        )

    cell_text = 'fo:font-size="10.5pt" style:font-size-asian="10.5pt"'
    title = (
        'fo:font-size="22pt" style:font-size-asian="22pt" fo:font-weight="bold" '
        'style:font-weight-asian="bold"'
    )
    tight = 'fo:margin-top="0pt" fo:margin-bottom="0pt" fo:margin-left="0pt" fo:margin-right="0pt"'
    return "".join([
        paragraph("gxgen-body", "Text_20_body",
                  f'fo:text-indent="{_BODY_INDENT_PT}pt" fo:text-align="justify"'),
        paragraph("gxgen-signature-name", "Text_20_body",
                  f'fo:text-align="end" fo:margin-right="{name * _BASE_PT:g}pt" '
                  'fo:margin-top="12pt" fo:margin-bottom="0pt"'),
        paragraph("gxgen-signature-date", "Text_20_body",
                  f'fo:text-align="end" fo:margin-right="{date * _BASE_PT:g}pt" '
                  'fo:margin-top="0pt"'),
        paragraph("gxgen-draft", "Text_20_body",
                  'fo:text-align="center" fo:border="1.5pt solid #cc0000" fo:padding="4pt"',
                  'fo:color="#cc0000" fo:font-size="14pt" style:font-size-asian="14pt"'),
        paragraph("gxgen-table-title", "Text_20_body",
                  'fo:margin-top="6pt" fo:margin-bottom="3pt" fo:keep-with-next="always"'),
        paragraph("gxgen-cell", "Table_20_Contents",
                  f'fo:text-align="center" {tight}', cell_text),
        paragraph("gxgen-cell-label", "Table_20_Contents",
                  f'fo:text-align="start" {tight}', cell_text),
    ] + ([] if has_title else [
        paragraph("Title", "Heading",
                  'fo:text-align="center" fo:margin-top="0pt" fo:margin-bottom="18pt"', title),
    ]))


_PAGE = re.compile(r"<style:page-layout-properties [^>]*>")
_A4 = {
    "fo:page-width": "210mm", "fo:page-height": "297mm", "fo:margin-top": "37mm",
    "fo:margin-bottom": "35mm", "fo:margin-left": "28mm", "fo:margin-right": "26mm",
}


def _a4(tag: re.Match[str]) -> str:
    """pandoc's default page is US Letter: make it A4 with the GB/T 9704 margins."""
    text = tag.group(0)
    for attr, value in _A4.items():
        text = re.sub(rf'{attr}="[^"]*"', f'{attr}="{value}"', text)
    return text


_TABLE = re.compile(r"<table:table .*?</table:table>", re.S)
_ROW = re.compile(r"<table:table-row>.*?</table:table-row>", re.S)
_CELL = re.compile(r"<table:table-cell\b[^>]*/>|<table:table-cell\b.*?</table:table-cell>", re.S)


def _covered_cells(content: str, tables: list[Table]) -> str:
    """Give every row one element per column, as ODF requires: pandoc leaves out the
    ``<table:covered-table-cell/>`` of the slots a span covers. LibreOffice copes without
    them, stricter readers shift the cells to the left."""
    found = _TABLE.findall(content)
    if len(found) != len(tables):
        raise RuntimeError("pandoc's ODT tables do not match the document's")

    def fill(xml: str, table: Table) -> str:
        origins = table.origins()
        rows = iter(range(len(table.rows)))

        def row(match: re.Match[str]) -> str:
            r = next(rows)
            cells = _CELL.findall(match.group(0))
            starts = [c for c in range(table.columns) if origins[r][c] == (r, c)]
            if len(cells) != len(starts):
                raise RuntimeError("pandoc's ODT row does not match the model's")
            out = ["<table:covered-table-cell />"] * table.columns
            for c, cell in zip(starts, cells, strict=True):
                out[c] = cell
            return "<table:table-row>" + "".join(out) + "</table:table-row>"

        filled, count = _ROW.subn(row, xml)
        if count != len(table.rows):
            raise RuntimeError("pandoc's ODT table has lost or added rows")
        return filled

    parts = _TABLE.split(content)
    return "".join(
        part + (fill(found[n], tables[n]) if n < len(found) else "")
        for n, part in enumerate(parts)
    )


_CELL_STYLE = re.compile(
    r'(<style:style style:name="Table(?:Header)?RowCell" style:family="table-cell">\s*)'
    r"<style:table-cell-properties fo:border=\"none\" />"
)


def _finish_odt(data: bytes, doc: Document) -> bytes:
    """Add covered cells, cell borders and the gxgen styles; rewrite the zip entry by entry."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "content.xml":
                text, count = _CELL_STYLE.subn(lambda m: m.group(1) + _CELL_BORDER,
                                               body.decode("utf-8"))
                if count != 2 and doc.tables():
                    raise RuntimeError("pandoc's ODT table cell styles have changed")
                body = _covered_cells(text, doc.tables()).encode("utf-8")
            elif info.filename == "styles.xml":
                text, pages = _PAGE.subn(_a4, body.decode("utf-8"))
                if "</office:styles>" not in text or not pages:
                    raise RuntimeError("pandoc's ODT styles.xml has changed")
                extra = _odt_styles(doc, has_title='style:name="Title"' in text)
                text = text.replace("</office:styles>", extra + "</office:styles>", 1)
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = info.compress_type
            entry.external_attr = info.external_attr
            target.writestr(entry, body)
    return out.getvalue()


def render(doc: Document, fmt: str) -> bytes:
    """Render ``doc`` in one of :data:`SUPPORTED` formats through pandoc."""
    if fmt not in SUPPORTED:
        raise ValueError(f"format must be one of {', '.join(sorted(SUPPORTED))}, not {fmt!r}")
    source = json.dumps(build_ast(doc, fmt), ensure_ascii=False)
    if fmt == "txt":
        text = pypandoc.convert_text(source, to="plain", format="json", extra_args=TXT_ARGS)
        return text.replace("\r\n", "\n").encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="gxgen-") as tmp:
        path = Path(tmp) / "report.odt"
        with _fixed_source_date():
            pypandoc.convert_text(source, to="odt", format="json", outputfile=str(path))
        data = path.read_bytes()
    return _finish_odt(data, doc)
