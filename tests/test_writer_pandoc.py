"""Tests for the pandoc formats (ODT, plain text): every figure of every table must survive."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from hypothesis import given, settings
from samples import documents, sample_document, tricky_document

from gxgen.document import Cell, Document, Paragraph, Signature, Table
from gxgen.writers import pandoc

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def normal(text: str) -> str:
    """What survives pandoc's inline model: runs of spaces become one, edge spaces go."""
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip(" \t") for line in text.split("\n"))


# ---------------------------------------------------------------- reading ODT back


def odt_text(element: ET.Element) -> str:
    """Text of an ODF element, line breaks and space runs included."""
    out = [element.text or ""]
    for child in element:
        if child.tag == q("text:line-break"):
            out.append("\n")
        elif child.tag == q("text:s"):
            out.append(" " * int(child.get(q("text:c"), "1")))
        elif child.tag == q("text:tab"):
            out.append("\t")
        else:
            out.append(odt_text(child))
        out.append(child.tail or "")
    return "".join(out)


Slot = tuple[str, int, int] | None
"""A table cell as (text, rowspan, colspan), or None for a covered cell."""


def odt_tables(data: bytes) -> list[tuple[int, list[list[Slot]]]]:
    """(header row count, rows of cells and covered cells) for each table in content.xml."""
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("content.xml"))
    found = []
    for table in root.iter(q("table:table")):
        head = table.find(q("table:table-header-rows"))
        head_rows = list(head.iter(q("table:table-row"))) if head is not None else []
        rows = []
        for row in table.iter(q("table:table-row")):
            cells: list[Slot] = []
            for cell in row:
                if cell.tag == q("table:covered-table-cell"):
                    cells.append(None)
                    continue
                assert cell.tag == q("table:table-cell")
                paragraphs = cell.findall(q("text:p"))
                assert len(paragraphs) <= 1
                cells.append((
                    odt_text(paragraphs[0]) if paragraphs else "",
                    int(cell.get(q("table:number-rows-spanned"), "1")),
                    int(cell.get(q("table:number-columns-spanned"), "1")),
                ))
            rows.append(cells)
        found.append((len(head_rows), rows))
    return found


def rebuild(rows: list[list[Slot]], width: int) -> list[list[tuple[str, bool]]]:
    """The grid the ODF way: one element per column, a covered cell exactly where a span is."""
    slots: list[list[tuple[str, bool] | None]] = [[None] * width for _ in rows]
    for r, row in enumerate(rows):
        assert len(row) == width, f"row {r} has {len(row)} elements for {width} columns"
        for c, cell in enumerate(row):
            if cell is None:
                assert slots[r][c] is not None, f"covered cell at {r},{c} under no span"
                continue
            assert slots[r][c] is None, f"cell at {r},{c} inside a span"
            text, rowspan, colspan = cell
            for dr in range(rowspan):
                for dc in range(colspan):
                    assert slots[r + dr][c + dc] is None
                    slots[r + dr][c + dc] = (text, dr == 0 and dc == 0)
    return slots  # type: ignore[return-value]


def assert_odt_tables(doc: Document, data: bytes) -> None:
    """Each ODT table has the model's grid: same spans, same text in every slot."""
    tables = odt_tables(data)
    assert len(tables) == len(doc.tables())
    for model, (head, rows) in zip(doc.tables(), tables, strict=True):
        assert head <= len(model.rows) and head >= min(model.header_rows, len(model.rows))
        want = model.grid()
        got = rebuild(rows, model.columns)
        for want_row, got_row in zip(want, got, strict=True):
            for (cell, origin), (text, porigin) in zip(want_row, got_row, strict=True):
                assert origin == porigin
                indent = "\u3000" * cell.indent if cell.role == "stub" and normal(cell.text) else ""
                assert text == indent + normal(cell.text)


def odt_styles(data: bytes) -> tuple[ET.Element, ET.Element]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return ET.fromstring(archive.read("content.xml")), ET.fromstring(archive.read("styles.xml"))


# ---------------------------------------------------------------- reading text back


def assert_txt_rows(table: Table, txt: str) -> None:
    """Each model row's figures stand, in order and each in its own cell, on one line."""
    lines = txt.splitlines()
    for row in table.rows:
        figures = [normal(c.text) for c in row if c.role == "value"]
        if not figures:
            continue
        pattern = re.compile(
            r"\|"
            + r"\|(?:.*\|)?".join(rf" {re.escape(f.splitlines()[0])} +" for f in figures)
            + r"\|"
        )
        assert any(pattern.search(line) for line in lines), figures


# ---------------------------------------------------------------- ODT


def test_odt_tables_keep_every_cell_and_merge() -> None:
    doc = sample_document()
    data = pandoc.render(doc, "odt")
    assert_odt_tables(doc, data)
    head, rows = odt_tables(data)[1]
    assert head == 3
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert rows[0][0] == (corner, 3, 3)
    assert rows[0][1:3] == [None, None]
    assert rows[5][0] == ("三、本年度办理结果", 22, 1)
    assert rows[6][0] is None


def test_every_figure_is_in_the_odt() -> None:
    doc = sample_document()
    texts = [cell[0] for _, rows in odt_tables(pandoc.render(doc, "odt"))
             for row in rows for cell in row if cell]
    for table in doc.tables():
        for cell in table.values():
            assert cell.text in texts
    assert texts.count("/") == 3


def test_odt_is_byte_identical_and_leaves_the_environment_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = sample_document(draft_mark="草稿")
    first = pandoc.render(doc, "odt")
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    second = pandoc.render(doc, "odt")
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert b"1980-01-01T00:00:00Z" in archive.read("meta.xml")


def test_odt_styles_resolve_and_page_is_a4() -> None:
    doc = sample_document(draft_mark="草稿")
    content, styles = odt_styles(pandoc.render(doc, "odt"))
    defined = {s.get(q("style:name")) for tree in (content, styles)
               for s in tree.iter(q("style:style"))}
    used = {e.get(q("text:style-name")) for e in content.iter() if e.get(q("text:style-name"))}
    assert used <= defined, used - defined
    assert {"gxgen-body", "gxgen-cell", "gxgen-cell-label", "gxgen-draft",
            "gxgen-signature-name", "gxgen-signature-date"} <= used
    page = next(styles.iter(q("style:page-layout-properties")))
    assert (page.get(q("fo:page-width")), page.get(q("fo:page-height"))) == ("210mm", "297mm")
    assert [page.get(q(f"fo:margin-{side}")) for side in ("top", "bottom", "left", "right")] == [
        "37mm", "35mm", "28mm", "26mm"
    ]
    borders = {s.get(q("style:name")): s.find(q("style:table-cell-properties")).get(q("fo:border"))
               for s in content.iter(q("style:style"))
               if s.get(q("style:family")) == "table-cell"}
    assert borders == {"TableHeaderRowCell": "0.5pt solid #000000",
                       "TableRowCell": "0.5pt solid #000000"}


def test_odt_text_order_and_escaping() -> None:
    doc = tricky_document()
    data = pandoc.render(doc, "odt")
    content, _ = odt_styles(data)
    body = content.find(q("office:body"))
    paragraphs = [(p.get(q("text:style-name")), odt_text(p)) for p in body.iter()
                  if p.tag in (q("text:p"), q("text:h"))]
    title = paragraphs[0]
    assert title == ("Title", normal("\n".join(doc.title)))
    assert paragraphs[1] == ("gxgen-draft", normal(doc.draft_mark or ""))
    assert ("gxgen-body", normal(doc.blocks[2].text)) in paragraphs
    assert paragraphs[-2:] == [("gxgen-signature-name", normal(doc.signature.agency)),
                               ("gxgen-signature-date", "2023年1月18日<")]
    assert_odt_tables(doc, data)


def test_signature_indents_follow_gb9704() -> None:
    assert Signature("舟山市定海区政务服务办公室", "2023年1月18日").indents() == (2, 6.5)
    name, date = Signature("某局", "2023年12月18日").indents()
    assert (name, date) == (9, 2)


# ---------------------------------------------------------------- plain text


def test_txt_keeps_every_row_of_figures() -> None:
    doc = sample_document()
    txt = pandoc.render(doc, "txt").decode("utf-8")
    for table in doc.tables():
        assert_txt_rows(table, txt)
    assert "| 三、本年度办理结果       | （一）予以公开" in txt
    assert txt.index("舟山市定海区政务服务办公室\n2022年") < txt.index("一、总体情况")
    assert txt.rstrip().endswith("舟山市定海区政务服务办公室\n\n2023年1月18日")


def test_txt_does_not_wrap_wide_tables() -> None:
    doc = sample_document()
    txt = pandoc.render(doc, "txt").decode("utf-8")
    borders = [line for line in txt.splitlines() if line.startswith("+")]
    assert borders and all(line.endswith("+") for line in borders)
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert re.search(rf"\| {re.escape(label)} +\| 1140 +\|", txt)


def test_txt_never_wraps_a_cell_or_paragraph() -> None:
    label = " ".join(["机关名称"] * 30)
    table = Table(key="t", columns=2, rows=(
        (Cell("项目", "header"), Cell("数", "header")),
        (Cell(label, "stub"), Cell("251000 元")),
    ), header_rows=1)
    doc = Document(title=("t",), lang="zh-Hans", blocks=(Paragraph(label * 3), table))
    txt = pandoc.render(doc, "txt").decode("utf-8")
    assert re.search(rf"\| {label} +\| 251000 元 +\|", txt)
    assert label * 3 in txt.splitlines()


def test_txt_escaping_and_determinism() -> None:
    doc = tricky_document()
    txt = pandoc.render(doc, "txt").decode("utf-8")
    assert normal(doc.blocks[2].text) in txt
    assert "5<6>&7" in txt
    assert txt == pandoc.render(doc, "txt").decode("utf-8")


def test_unknown_format() -> None:
    assert set(pandoc.SUPPORTED) == {"odt", "txt"}
    assert all(pandoc.SUPPORTED.values())
    with pytest.raises(ValueError):
        pandoc.render(sample_document(), "pdf")


def test_malformed_table_is_refused() -> None:
    bad = Table(key="bad", columns=2, rows=((Cell("a"),),))
    with pytest.raises(ValueError):
        pandoc.render(sample_document(blocks=(bad,)), "txt")


# ---------------------------------------------------------------- property tests


@settings(max_examples=40, deadline=None)
@given(documents())
def test_random_documents_txt(doc: Document) -> None:
    txt = pandoc.render(doc, "txt").decode("utf-8")
    for table in doc.tables():
        for cell in table.values():
            assert cell.text in txt
        assert_txt_rows(table, txt)


@settings(max_examples=25, deadline=None)
@given(documents())
def test_random_documents_odt(doc: Document) -> None:
    data = pandoc.render(doc, "odt")
    assert_odt_tables(doc, data)
    content, styles = odt_styles(data)
    defined = {s.get(q("style:name")) for tree in (content, styles)
               for s in tree.iter(q("style:style"))}
    used = {e.get(q("text:style-name")) for e in content.iter() if e.get(q("text:style-name"))}
    assert used <= defined
