"""Tests for the HTML writer."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from samples import (
    documents,
    sample_document,
    tricky_document,
)

from gxgen.document import Cell, Document, Paragraph, Table
from gxgen.writers import html

# ---------------------------------------------------------------- parsing helpers


@dataclass
class ParsedCell:
    tag: str
    attrs: dict[str, str | None]
    text: str
    section: str

    @property
    def rowspan(self) -> int:
        return int(self.attrs.get("rowspan") or 1)

    @property
    def colspan(self) -> int:
        return int(self.attrs.get("colspan") or 1)


@dataclass
class ParsedTable:
    attrs: dict[str, str | None]
    rows: list[list[ParsedCell]] = field(default_factory=list)
    caption: str | None = None
    sections: list[str] = field(default_factory=list)

    def grid(self) -> list[list[tuple[ParsedCell, bool]]]:
        """Expand rowspan/colspan the way a browser does, refusing gaps and overlaps."""
        width = sum(c.colspan for c in self.rows[0]) if self.rows else 0
        slots: list[list[tuple[ParsedCell, bool] | None]] = [
            [None] * width for _ in self.rows
        ]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while slots[r][c] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        assert slots[r + dr][c + dc] is None, "overlapping cells"
                        slots[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
                c += cell.colspan
        assert all(all(s is not None for s in line) for line in slots), "gap in table"
        return slots  # type: ignore[return-value]


VOID = {"br", "meta", "col", "link", "img", "input", "hr", "wbr", "source"}


class ReportParser(HTMLParser):
    """Collects tables, the elements seen and the text of each element by class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[ParsedTable] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None, list[str]]] = []
        self._cell: ParsedCell | None = None
        self._section = ""
        self._in_caption = False
        self._caption: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "br":
            self._data("\n")
        if tag in VOID:
            return
        if tag == "table":
            self.tables.append(ParsedTable(a))
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
            self.tables[-1].sections.append(tag)
        elif tag == "tr":
            self.tables[-1].rows.append([])
        elif tag in ("th", "td"):
            self._cell = ParsedCell(tag, a, "", self._section)
            self.tables[-1].rows[-1].append(self._cell)
        elif tag == "caption":
            self._in_caption, self._caption = True, []
        self._open.append((tag, a.get("class"), []))

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}>"
        open_tag, cls, parts = self._open.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        if cls:
            for name in cls.split():
                self.texts.setdefault(name, []).append("".join(parts))
        if tag in ("th", "td"):
            self._cell = None
        elif tag == "caption":
            self._in_caption = False
            self.tables[-1].caption = "".join(self._caption)
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = ""

    def handle_data(self, data: str) -> None:
        # The writer only adds newlines between tags and after <br>; a newline of the text
        # itself is always a <br>, so edge newlines are markup.
        self._data(data.strip("\n"))

    def _data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        if self._in_caption:
            self._caption.append(data)
        for _, _, parts in self._open:
            parts.append(data)


def parse(html: bytes | str) -> ReportParser:
    parser = ReportParser()
    parser.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    parser.close()
    assert not parser._open, f"unclosed elements: {[t for t, _, _ in parser._open]}"
    return parser


EXPECTED_SCOPE = {"caption": "colgroup", "corner": None}


def expected_scope(cell: Cell) -> str | None:
    if cell.role == "header":
        return "colgroup" if cell.colspan > 1 else "col"
    if cell.role == "stub":
        return "rowgroup" if cell.rowspan > 1 else "row"
    return EXPECTED_SCOPE.get(cell.role)


def assert_same_table(model: Table, parsed: ParsedTable) -> None:
    """The parsed <table> covers exactly the model's grid, slot by slot, with the right markup."""
    want, got = model.grid(), parsed.grid()
    assert len(got) == len(want)
    for want_row, got_row in zip(want, got, strict=True):
        assert len(got_row) == model.columns
        for (cell, origin), (pcell, porigin) in zip(want_row, got_row, strict=True):
            assert origin == porigin
            assert pcell.text == cell.text
            assert pcell.tag == ("th" if cell.is_header else "td")
            assert pcell.attrs.get("scope") == expected_scope(cell)
            assert ("rowspan" in pcell.attrs) == (cell.rowspan > 1)
            assert ("colspan" in pcell.attrs) == (cell.colspan > 1)


# ---------------------------------------------------------------- example tests


def test_tables_rebuild_to_the_model_grid() -> None:
    doc = sample_document()
    parsed = parse(html.render(doc))
    assert len(parsed.tables) == 3
    for model, table in zip(doc.tables(), parsed.tables, strict=True):
        assert_same_table(model, table)
        assert table.attrs["data-table"] == model.key


def test_header_rows_are_in_thead_and_body_rows_in_tbody() -> None:
    doc = sample_document()
    for model, table in zip(doc.tables(), parse(html.render(doc)).tables, strict=True):
        sections = [row[0].section for row in table.rows]
        assert sections == ["thead"] * model.header_rows + ["tbody"] * (
            len(model.rows) - model.header_rows
        )


def test_thead_grows_when_a_header_cell_spans_into_the_body() -> None:
    table = Table(
        key="t",
        columns=2,
        rows=(
            (Cell("h", "corner", rowspan=2), Cell("a", "header")),
            (Cell("1"),),
            (Cell("x", "stub"), Cell("2")),
        ),
        header_rows=1,
    )
    parsed = parse(html.render(sample_document(blocks=(table,)))).tables[0]
    assert [row[0].section for row in parsed.rows] == ["thead", "thead", "tbody"]
    assert_same_table(table, parsed)


def test_statutory_spans_and_scopes() -> None:
    parsed = parse(html.render(sample_document())).tables[1]
    corner = parsed.rows[0][0]
    assert (corner.tag, corner.colspan, corner.rowspan) == ("th", 3, 3)
    assert "scope" not in corner.attrs
    group = next(c for row in parsed.rows for c in row if c.text == "三、本年度办理结果")
    assert (group.rowspan, group.attrs["scope"]) == (22, "rowgroup")
    assert parsed.rows[0][1].attrs["scope"] == "colgroup"
    values = [c for row in parsed.rows for c in row if c.tag == "td"]
    assert len(values) == 175 and all("scope" not in c.attrs for c in values)
    assert not any(c.attrs.get("rowspan") == "1" or c.attrs.get("colspan") == "1"
                   for row in parsed.rows for c in row)


def test_blocks_table_keeps_captions_and_wide_value_cells() -> None:
    parsed = parse(html.render(sample_document())).tables[0]
    captions = [row[0] for row in parsed.rows if row[0].attrs.get("class") == "gx-caption"]
    assert [c.text for c in captions] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"
    ]
    assert all(c.colspan == 4 and c.attrs["scope"] == "colgroup" for c in captions)
    licence = next(row for row in parsed.rows if row[0].text == "行政许可")
    assert (licence[1].tag, licence[1].colspan, licence[1].text) == ("td", 3, "3004")


def test_page_head_and_language() -> None:
    out = html.render(sample_document(lang="zh-HK")).decode("utf-8")
    assert out.startswith("<!DOCTYPE html>\n<html lang=\"zh-HK\">")
    parsed = parse(out)
    tags = dict((t, a) for t, a in parsed.tags if t in ("meta", "title", "style"))
    assert ("meta", {"charset": "utf-8"}) in parsed.tags
    viewport = {"name": "viewport", "content": "width=device-width, initial-scale=1"}
    assert ("meta", viewport) in parsed.tags
    assert "title" in tags
    assert "<title>舟山市定海区政务服务办公室2022年政府信息公开工作年度报告</title>" in out


def test_self_contained_without_requests() -> None:
    out = html.render(sample_document(draft_mark="草稿")).decode("utf-8").lower()
    for needle in ("http", "src=", "<link", "<script", "url(", "@import", "//"):
        assert needle not in out, needle


def test_print_stylesheet() -> None:
    out = html.render(sample_document()).decode("utf-8")
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in out
    assert "@media print" in out
    assert "thead { display: table-header-group; }" in out
    assert "font-size: 16pt" in out and "font-size: 22pt" in out and "font-size: 10.5pt" in out
    for family in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "FangSong", "serif"):
        assert family in out
    assert "overflow-x: auto" in out


def test_everything_is_escaped() -> None:
    doc = tricky_document()
    out = html.render(doc).decode("utf-8")
    assert "<script" not in out
    parsed = parse(out)
    assert parsed.texts["gx-title"] == ["".join(
        line + ("\n" if n < len(doc.title) - 1 else "") for n, line in enumerate(doc.title)
    )]
    assert parsed.texts["gx-h1"] == [doc.blocks[0].text]
    assert parsed.texts["gx-h2"] == [doc.blocks[1].text]
    assert parsed.texts["gx-p"] == [doc.blocks[2].text]
    assert parsed.texts["gx-sig-agency"] == [doc.signature.agency]
    assert parsed.texts["gx-sig-date"] == [doc.signature.date]
    assert parsed.texts["gx-draft"] == [doc.draft_mark]
    assert parsed.tables[0].caption == doc.tables()[0].title
    assert parsed.tables[0].attrs["data-table"] == 'k"<>&'
    assert ("meta", {"name": "author", "content": doc.meta["agency"]}) in parsed.tags
    assert_same_table(doc.tables()[0], parsed.tables[0])


def test_fragment_is_body_only_and_scoped() -> None:
    doc = sample_document(draft_mark="草稿")
    out = html.render(doc, fragment=True).decode("utf-8")
    for needle in ("<html", "<head", "<body", "<!doctype", "<title", "<meta", "@page"):
        assert needle not in out.lower()
    assert out.startswith('<div class="gx-report" lang="zh-Hans">\n<style>')
    assert out.rstrip().endswith("</div>")
    style = out[out.index("<style>") + 7:out.index("</style>")]
    preludes = [p.strip() for p in re.findall(r"([^{};]+)\{", style)]
    selectors = [p for p in preludes if not p.startswith("@")]
    assert len(selectors) > 20
    for group in selectors:
        for selector in group.split(","):
            assert selector.strip().startswith(".gx-report"), selector
    parsed = parse(out)
    for model, table in zip(doc.tables(), parsed.tables, strict=True):
        assert_same_table(model, table)
    assert parsed.texts["gx-sig-agency"] == ["舟山市定海区政务服务办公室"]


def test_signature_and_draft_layout() -> None:
    out = html.render(sample_document(draft_mark="草稿（校验未通过）")).decode("utf-8")
    assert ".gx-report .gx-sig-date { padding-left: 2em; }" in out
    assert re.search(
        r"\.gx-report \.gx-signature \{\s*display: table;\s*margin: [^;]* 2em 0 auto;", out
    )
    body = out[out.index("<main"):]
    assert body.index("gx-draft") < body.index("gx-title")
    assert "position: fixed" in out
    assert "gx-draft" not in html.render(sample_document()).decode("utf-8").split("<main")[1]


def test_deterministic() -> None:
    assert html.render(sample_document()) == html.render(sample_document())
    assert html.render(sample_document(), fragment=True) == html.render(
        sample_document(), fragment=True
    )


def test_agency_template(tmp_path: Path) -> None:
    custom = tmp_path / "mine.html.j2"
    custom.write_text(
        "<h1>{{ doc.title_text }}</h1>{% for t in doc.tables() %}{{ table_html(t) }}{% endfor %}",
        encoding="utf-8",
    )
    doc = tricky_document()
    out = html.render(doc, template=custom).decode("utf-8")
    assert "<script" not in out
    assert_same_table(doc.tables()[0], parse(out).tables[0])


def test_malformed_table_is_refused() -> None:
    bad = Table(key="bad", columns=2, rows=((Cell("a", colspan=3),),))
    with pytest.raises(ValueError):
        html.render(sample_document(blocks=(bad,)))


# ---------------------------------------------------------------- property tests

@settings(max_examples=150, deadline=None)
@given(documents(), st.booleans())
def test_random_documents_round_trip(doc: Document, fragment: bool) -> None:
    out = html.render(doc, fragment=fragment)
    assert out == html.render(doc, fragment=fragment)
    parsed = parse(out)
    assert len(parsed.tables) == len(doc.tables())
    for model, table in zip(doc.tables(), parsed.tables, strict=True):
        assert_same_table(model, table)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert parsed.texts.get("gx-p", []) == paragraphs
    assert b"<script" not in out.replace(b"&lt;script", b"")


# ---------------------------------------------------------------- browser check

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(not (CHROMIUM and shutil.which("pdftotext")), reason="needs chromium")
def test_prints_to_a4_with_every_figure(tmp_path: Path) -> None:
    doc = sample_document(draft_mark="草稿（校验未通过）")
    page = tmp_path / "report.html"
    page.write_bytes(html.render(doc))
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    words = set(text.split())
    for table in doc.tables():
        for cell in table.values():
            assert cell.text in words, cell.text
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)
