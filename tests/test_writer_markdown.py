"""Tests for the Markdown writer: read back by pandoc's GFM reader (commonmark-hs), not by us."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import replace
from typing import Any

import pypandoc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from samples import applications_table, documents, sample_document, tricky_document
from test_writer_html import ParsedTable, assert_same_table, parse

from gxgen.document import Cell, Document, Heading, Paragraph, Table
from gxgen.writers import markdown
from gxgen.writers.html import table_html

# ---------------------------------------------------------------- reading GFM back


def gfm(text: bytes) -> list[dict[str, Any]]:
    """The blocks pandoc's GFM reader sees in ``text``."""
    return json.loads(pypandoc.convert_text(text.decode("utf-8"), to="json", format="gfm"))[
        "blocks"
    ]


def plain(inlines: list[dict[str, Any]]) -> str:
    """Inline text as a reader sees it: a hard break or ``<br>`` is a newline."""
    out = []
    for node in inlines:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak"):
            out.append(" ")
        elif t == "LineBreak":
            out.append("\n")
        elif t == "RawInline":
            assert c == ["html", "<br>"], c
            out.append("\n")
        elif t in ("Emph", "Strong", "Strikeout"):
            out.append(f"<{t}>" + plain(c) + f"</{t}>")
        elif t == "Link":
            out.append(plain(c[1]))
        else:
            raise AssertionError(f"unexpected inline {t}: {c}")
    return "".join(out)


def cell_text(cell: list[Any]) -> str:
    blocks = cell[4]
    assert len(blocks) <= 1
    return plain(blocks[0]["c"]) if blocks else ""


def pipe_tables(blocks: list[dict[str, Any]]) -> list[tuple[str | None, list[str], list[list[str]],
                                                          bool]]:
    """(caption line, header cells, body rows, has label column) for each table."""
    found = []
    for n, block in enumerate(blocks):
        if block["t"] != "Table":
            continue
        caption = None
        before = blocks[n - 1] if n else None
        if before and before["t"] == "Para" and [i["t"] for i in before["c"]] == ["Strong"]:
            caption = plain(before["c"][0]["c"])
        _, _, colspecs, head, bodies, _ = block["c"]
        labelled = colspecs[0][0]["t"] == "AlignDefault"
        assert all(spec[0]["t"] == "AlignCenter" for spec in colspecs[1:])
        (head_row,) = head[1]
        header = [cell_text(c) for c in head_row[1]]
        rows = [[cell_text(c) for c in row[1]] for body in bodies for row in body[3]]
        assert all(len(row) == len(header) for row in rows)
        found.append((caption, header, rows, labelled))
    return found


def normal(text: str) -> str:
    """Text as Markdown can show it: runs of spaces collapse, edge spaces and empty lines go."""
    lines = (re.sub(r"[ \t]+", " ", line).strip(" \t") for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- what a table should say


Entry = tuple[str, str | None, str, str]


def expected_entries(table: Table) -> Counter[Entry]:
    """Each value as (text, block caption, row label, column header), worked out from the grid.

    Independent of the writer: captions are one-row full-width caption cells; a header row
    holds only labels, at least one a column header; the label columns are those that hold a
    row label in every body row; spans are followed by cell identity in ``Table.grid()``.
    """
    grid = table.grid()
    blocks: list[tuple[str | None, list[int]]] = [(None, [])]
    for r, row in enumerate(table.rows):
        if len(row) == 1 and row[0].role == "caption" and row[0].colspan == table.columns \
                and row[0].rowspan == 1:
            blocks.append((row[0].text, []))
        else:
            blocks[-1][1].append(r)

    def distinct(slots: list[tuple[Cell, bool]]) -> str:
        seen: list[int] = []
        texts = []
        for cell, _ in slots:
            if id(cell) not in seen:
                seen.append(id(cell))
                if cell.text.strip():
                    indent = "\u3000" * cell.indent if cell.role == "stub" else ""
                    texts.append(indent + cell.text)
        return normal(" / ".join(texts))

    out: Counter[Entry] = Counter()
    for caption, rows in blocks:
        head = []
        for r in rows:
            cells = [cell for cell, _ in grid[r]]
            if head == [] or head[-1] == r - 1:
                if all(c.is_header for c in cells) and any(
                    c.role in ("header", "corner") for c in cells
                ):
                    head.append(r)
                    continue
            break
        body = rows[len(head):]
        stub = 0
        while body and stub < table.columns and all(grid[r][stub][0].role == "stub" for r in body):
            stub += 1
        for r in body:
            label = distinct(grid[r][:stub])
            for c in range(stub, table.columns):
                cell, origin = grid[r][c]
                if cell.role == "value" and origin:
                    header = distinct([grid[h][c] for h in head])
                    cap = normal(caption) if caption and caption.strip() else None
                    out[(normal(cell.text), cap, label, header)] += 1
    return out


def parsed_entries(md: bytes) -> Counter[Entry]:
    """Each non-empty body cell outside the label column, as read by the GFM reader."""
    out: Counter[Entry] = Counter()
    for caption, header, rows, labelled in pipe_tables(gfm(md)):
        for row in rows:
            label = row[0] if labelled else ""
            for text, head in list(zip(row, header, strict=True))[1 if labelled else 0:]:
                if text:
                    out[(text, caption, label, head)] += 1
    return out


# ---------------------------------------------------------------- pipe tables


def test_statutory_tables_read_back_cell_by_cell() -> None:
    doc = sample_document()
    md = markdown.render(doc)
    want: Counter[Entry] = Counter()
    for table in doc.tables():
        want += expected_entries(table)
    assert sum(want.values()) == sum(len(list(t.values())) for t in doc.tables()) == 175 + 15 + 10
    assert parsed_entries(md) == want


def test_flattened_header_and_row_labels() -> None:
    md = markdown.render(sample_document()).decode("utf-8")
    assert (
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） "
        "| 申请人情况 / 自然人 "
        "| 申请人情况 / 法人或其他组织 / 商业企业 |"
    ) in md
    assert "| 申请人情况 / 总计 |\n| --- | :-: | :-: |" in md
    assert "| 三、本年度办理结果 / （三）不予公开 / 1.属于国家秘密 | 1028 | 1029 |" in md
    assert "| 一、本年新收政府信息公开申请数量 | 1000 |" in md
    assert "| 行政复议 / 结果维持 | 行政复议 / 结果纠正 |" in md
    assert "| 行政诉讼 / 复议后起诉 / 总计 |\n| :-: |" in md
    assert "| 2000 | 2001 |" in md


def test_blocks_table_splits_at_captions() -> None:
    md = markdown.render(sample_document())
    tables = [t for t in pipe_tables(gfm(md)) if t[0]]
    assert [(caption, header) for caption, header, _, _ in tables] == [
        ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"]),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"]),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"]),
    ]
    assert tables[2][2] == [["行政处罚", "3005"], ["行政强制", "3006"]]
    assert tables[0][2][0] == ["规章", "/", "/", "/"]


def test_a_changed_figure_changes_one_line() -> None:
    doc = sample_document()
    table = applications_table()
    rows = list(table.rows)
    row = list(rows[12])
    row[-3] = replace(row[-3], text="999999")
    rows[12] = tuple(row)
    changed = replace(table, rows=tuple(rows))
    other = replace(doc, blocks=tuple(changed if b == table else b for b in doc.blocks))
    before = markdown.render(doc).decode("utf-8").splitlines()
    after = markdown.render(other).decode("utf-8").splitlines()
    diff = [d for d in difflib.unified_diff(before, after, lineterm="", n=0)
            if d[:1] in "+-" and d[:3] not in ("+++", "---")]
    assert len(diff) == 2
    row = "| 三、本年度办理结果 / （三）不予公开 / 6.属于四类过程性信息 | 1063 |"
    assert diff[0].startswith("-" + row)
    assert diff[1].startswith("+" + row)
    assert "999999" in diff[1]


def test_pipe_cells_escape_pipes_newlines_and_markup() -> None:
    table = Table(
        key="t",
        columns=3,
        rows=(
            (Cell("a|b", "corner"), Cell("*x*\n<y>", "header"), Cell("`c` [d](e)", "header")),
            (Cell("行|1\n行2", "stub"), Cell("1|2"), Cell("_3_ \\ &amp;")),
        ),
        header_rows=1,
    )
    md = markdown.render(Document(title=("t",), lang="zh-Hans", blocks=(table,)))
    (found,) = pipe_tables(gfm(md))
    assert found[1] == ["a|b", "*x*\n<y>", "`c` [d](e)"]
    assert found[2] == [["行|1\n行2", "1|2", "_3_ \\ &amp;"]]
    assert len([line for line in md.decode().splitlines() if line.startswith("|")]) == 3


def test_spanned_value_is_written_once_and_labels_repeat() -> None:
    table = Table(
        key="t",
        columns=3,
        rows=(
            (Cell("项目", "header", colspan=2), Cell("数", "header")),
            (Cell("组", "stub", rowspan=2), Cell("甲", "stub"), Cell("7", rowspan=2)),
            (Cell("乙", "stub"),),
        ),
        header_rows=1,
    )
    md = markdown.render(Document(title=("t",), lang="zh-Hans", blocks=(table,))).decode()
    assert "| 项目 | 数 |\n| --- | :-: |\n| 组 / 甲 | 7 |\n| 组 / 乙 |  |" in md


def test_html_tables_reuse_the_html_writer() -> None:
    doc = sample_document()
    md = markdown.render(doc, tables="html").decode("utf-8")
    for table in doc.tables():
        block = str(table_html(table))
        assert "\n\n" + block + "\n\n" in md
        assert "\n\n" not in block
    parsed = parse(md.split("\n\n<p align")[0].split("\n\n", 1)[1])
    assert len(parsed.tables) == 3
    for model, table in zip(doc.tables(), parsed.tables, strict=True):
        assert_same_table(model, table)


def test_html_tables_survive_a_gfm_reader() -> None:
    doc = sample_document()
    blocks = gfm(markdown.render(doc, tables="html"))
    raw = "\n".join(b["c"][1] for b in blocks if b["t"] == "RawBlock")
    tables: list[ParsedTable] = parse(raw.split('<p align="right">')[0]).tables
    for model, table in zip(doc.tables(), tables, strict=True):
        assert_same_table(model, table)
    assert [plain(b["c"][2]) for b in blocks if b["t"] == "Header"][1:3] == [
        "一、总体情况", "（一）主动公开"
    ]


# ---------------------------------------------------------------- narrative


NASTY = [
    "1. 不是列表",
    "2022) 也不是",
    "# 不是标题",
    "## 也不是",
    "- 不是列表项",
    "+ 也不是",
    "* 星号",
    "> 不是引用",
    "---",
    "===",
    "- - -",
    "___",
    "<b>不是粗体</b> <!-- 注释 --> <https://example.org>",
    "*强调* **加粗** _下划线_ __双__ ~~删除~~ `代码` $公式$",
    "[链接](http://x) ![图](y.png) [引用][1]",
    "&amp; &#169; & \\ 反斜杠结尾\\",
    "    四个空格开头",
    "\t制表符开头",
    "1.属于国家秘密",
    "第一行\n2. 第二行\n# 第三行",
    "a|b|c",
    "第一行\n---",
    "第一行\n===",
    "网址：http://www.x.cn/art/2023/1/1/art_1229_123.html。邮箱a_b@x.cn，谢谢",
    "见 www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm 。",
    "（详见https://x.cn/a_(b)_c?d=1&e=2）。",
]


@pytest.mark.parametrize("text", NASTY)
def test_narrative_renders_as_written(text: str) -> None:
    doc = Document(title=("标题",), lang="zh-Hans", blocks=(Paragraph(text),))
    blocks = gfm(markdown.render(doc))
    assert [b["t"] for b in blocks] == ["Header", "Para"]
    assert plain(blocks[1]["c"]) == normal(text)


def test_web_addresses_end_where_the_address_ends() -> None:
    text = "网址：http://www.x.cn/art_1.html。其余文字"
    md = markdown.render(Document(title=("t",), lang="zh-Hans", blocks=(Paragraph(text),)))
    assert "网址：<http://www.x.cn/art_1.html>。其余文字" in md.decode("utf-8")
    para = gfm(md)[1]["c"]
    assert [node["t"] for node in para] == ["Str", "Link", "Str"]
    assert para[1]["c"][2][0] == "http://www.x.cn/art_1.html"


@pytest.mark.parametrize("text", NASTY)
def test_headings_and_title_render_as_written(text: str) -> None:
    doc = Document(title=(text, "#"), lang="zh-Hans",
                   blocks=(Heading(1, text), Heading(2, text + " #")))
    blocks = gfm(markdown.render(doc))
    assert [(b["t"], b["c"][0]) for b in blocks] == [("Header", 1), ("Header", 2), ("Header", 3)]
    flat = " ".join(text.split("\n"))
    assert plain(blocks[0]["c"][2]) == normal(flat + "#")
    assert plain(blocks[1]["c"][2]) == normal(flat)
    assert plain(blocks[2]["c"][2]) == normal(flat + " #")


def test_layout_of_a_report() -> None:
    md = markdown.render(sample_document(draft_mark="草稿（校验未通过）")).decode("utf-8")
    assert md.startswith(
        "> **草稿（校验未通过）**\n\n# 舟山市定海区政务服务办公室2022年政府信息公开工作年度报告\n\n"
    )
    assert "\n\n## 一、总体情况\n\n### （一）主动公开\n\n2022年，" in md
    assert md.endswith('\n\n<p align="right">舟山市定海区政务服务办公室<br>\n2023年1月18日</p>\n')
    assert "\n\n\n" not in md


def test_escaping_everywhere() -> None:
    doc = tricky_document()
    md = markdown.render(doc)
    assert not re.search(rb"(?<!\\)<script", md)
    blocks = gfm(md)
    kinds = [b["t"] for b in blocks]
    assert kinds == ["BlockQuote", "Header", "Header", "Header", "Para", "Para", "Table",
                     "RawBlock"]
    assert plain(blocks[4]["c"]) == normal(doc.blocks[2].text)
    assert plain(blocks[5]["c"]) == normal(doc.tables()[0].title or "")
    signature = blocks[-1]["c"][1]
    assert "&lt;script&gt;" in signature and "2023年1月18日&lt;" in signature
    html_md = markdown.render(doc, tables="html")
    assert not re.search(rb"(?<!\\)<script", html_md)
    assert_same_table(doc.tables()[0], parse(html_md.split(b"\n\n")[-2]).tables[0])


def test_deterministic_and_validated() -> None:
    doc = sample_document(draft_mark="草稿")
    assert markdown.render(doc) == markdown.render(doc)
    assert markdown.render(doc, tables="html") == markdown.render(doc, tables="html")
    with pytest.raises(ValueError):
        markdown.render(doc, tables="grid")


# ---------------------------------------------------------------- property tests


@settings(max_examples=60, deadline=None)
@given(documents())
def test_random_documents(doc: Document) -> None:
    md = markdown.render(doc)
    assert md == markdown.render(doc)
    for table in doc.tables():
        alone = markdown.render(replace(doc, blocks=(table,), draft_mark=None))
        assert not expected_entries(table) - parsed_entries(alone)
        for cell in table.values():
            assert cell.text in md.decode("utf-8")
    blocks = gfm(md)
    paragraphs = [normal(b.text) for b in doc.blocks if isinstance(b, Paragraph)]
    shown = iter(plain(b["c"]) for b in blocks if b["t"] == "Para")
    for text in filter(None, paragraphs):
        assert any(text == seen for seen in shown), text
    html_md = markdown.render(doc, tables="html")
    tables = [b["c"][1] for b in gfm(html_md) if b["t"] == "RawBlock" and "<table" in b["c"][1]]
    assert len(tables) == len(doc.tables())
    for model, raw in zip(doc.tables(), tables, strict=True):
        assert_same_table(model, parse(raw).tables[0])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([*"文字 1234567890.)#>-+*=_`<>&;[]()!|\\~$:/\n\t",
                                  "http://", "https://x.cn/", "www.", "&amp;", "&#1;"]),
               max_size=20).map("".join))
def test_random_narrative_renders_as_written(text: str) -> None:
    doc = Document(title=("t",), lang="zh-Hans", blocks=(Paragraph(text),))
    blocks = gfm(markdown.render(doc))
    if normal(text):
        assert [b["t"] for b in blocks] == ["Header", "Para"]
        assert plain(blocks[1]["c"]) == normal(text)
    else:
        assert [b["t"] for b in blocks] == ["Header"]


def test_one_cell_object_reused_everywhere() -> None:
    zero, label = Cell("0"), Cell("项", "stub")
    table = Table(key="t", columns=3, rows=(
        (Cell("项目", "header"), Cell("甲", "header"), Cell("乙", "header")),
        (label, zero, zero),
        (label, zero, zero),
    ), header_rows=1)
    md = markdown.render(Document(title=("t",), lang="zh-Hans", blocks=(table,))).decode()
    assert "| 项目 | 甲 | 乙 |\n| --- | :-: | :-: |\n| 项 | 0 | 0 |\n| 项 | 0 | 0 |\n" in md
