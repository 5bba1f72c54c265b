"""Tests for the DOCX writer: the merges, the fonts, the page, the 落款, determinism, templates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from extract import para_text
from hypothesis import HealthCheck, given, settings
from lxml import etree
from samples import (
    applications_table,
    indicator_table,
    proactive_table,
    reviews_table,
    tiling_tables,
)

from gxgen.document import Cell, Document, Heading, Paragraph, Signature, Table
from gxgen.writers import docx as writer
from gxgen.writers.docx import DocxTemplateError, render

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
Q = f"{{{W}}}"

AGENCY = "舟山市定海区政务服务办公室"


# --------------------------------------------------------------------------- sample documents


def sample_document(**changes: object) -> Document:
    fields: dict[str, object] = dict(
        title=("舟山市定海区政务服务办公室", "2022年政府信息公开工作年度报告"),
        lang="zh-Hans",
        blocks=(
            Paragraph("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制。"
                      "报告中所列数据的统计期限自2022年1月1日起至2022年12月31日止。"),
            Heading(1, "一、总体情况"),
            Heading(2, "（一）主动公开"),
            Paragraph("2022年，我办主动公开政府信息1234条，其中通过门户网站公开567条，"
                      "通过政务新媒体公开89条。"),
            Heading(1, "二、主动公开政府信息情况"),
            proactive_table(title="（一）主动公开政府信息情况表"),
            indicator_table(),
            Heading(1, "三、收到和处理政府信息公开申请情况"),
            applications_table(),
            Heading(1, "四、政府信息公开行政复议、行政诉讼情况"),
            reviews_table(),
            Heading(1, "五、存在的主要问题及改进情况"),
            Paragraph("一是公开内容还不够全面。二是解读形式较单一。"),
        ),
        signature=Signature(AGENCY, "2023年1月18日"),
        meta={"agency": AGENCY, "year": "2022", "date": "2023-01-18"},
    )
    fields.update(changes)
    return Document(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- helpers


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def xml(data: bytes, name: str = "word/document.xml") -> etree._Element:
    return etree.fromstring(parts(data)[name])


def text_of(el: etree._Element) -> str:
    """The text of a paragraph, or of the paragraphs inside a cell, with breaks as ``\n``."""
    paras = [el] if el.tag == f"{Q}p" else el.findall(".//w:p", NS)
    if not paras:
        return "".join(el.itertext())
    return "\n".join(para_text(p) for p in paras)


def body_paragraphs(root: etree._Element) -> list[etree._Element]:
    return root.findall("w:body/w:p", NS)


def style_of(p: etree._Element) -> str | None:
    node = p.find("w:pPr/w:pStyle", NS)
    return None if node is None else node.get(f"{Q}val")


def xml_grid(tbl: etree._Element) -> list[list[tuple[int, int]]]:
    """Rebuild the slot → origin map from gridSpan/vMerge, checking the grid is rectangular."""
    columns = len(tbl.findall("w:tblGrid/w:gridCol", NS))
    grid: list[list[tuple[int, int]]] = []
    for r, tr in enumerate(tbl.findall("w:tr", NS)):
        line: list[tuple[int, int]] = []
        for tc in tr.findall("w:tc", NS):
            assert tc.find("w:p", NS) is not None, "every w:tc needs a w:p"
            span_el = tc.find("w:tcPr/w:gridSpan", NS)
            span = int(span_el.get(f"{Q}val")) if span_el is not None else 1
            merge = tc.find("w:tcPr/w:vMerge", NS)
            c = len(line)
            if merge is not None and merge.get(f"{Q}val", "continue") == "continue":
                above = grid[r - 1][c]
                assert all(grid[r - 1][c + d] == above for d in range(span))
                line.extend([above] * span)
            else:
                line.extend([(r, c)] * span)
        assert len(line) == columns, f"row {r} has {len(line)} slots, grid has {columns}"
        grid.append(line)
    return grid


def model_grid(table: Table) -> list[list[tuple[int, int]]]:
    """The same map from ``Table.grid()``: origins are where ``is_origin`` is set."""
    grid = table.grid()
    owner = [[(-1, -1)] * table.columns for _ in grid]
    for r, line in enumerate(grid):
        for c, (cell, origin) in enumerate(line):
            if origin:
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        owner[r + dr][c + dc] = (r, c)
    return owner


def check_table(tbl: etree._Element, table: Table) -> None:
    assert xml_grid(tbl) == model_grid(table)
    trs = tbl.findall("w:tr", NS)
    assert len(trs) == len(table.rows)
    grid = table.grid()
    for r, tr in enumerate(trs):
        c = 0
        for tc in tr.findall("w:tc", NS):
            cell, origin = grid[r][c]
            span = tc.find("w:tcPr/w:gridSpan", NS)
            merge = tc.find("w:tcPr/w:vMerge", NS)
            assert (int(span.get(f"{Q}val")) if span is not None else 1) == cell.colspan
            if origin:
                assert text_of(tc) == cell.text
                if cell.rowspan > 1:
                    assert merge is not None and merge.get(f"{Q}val") == "restart"
                else:
                    assert merge is None
            else:
                assert merge is not None and merge.get(f"{Q}val") is None
                assert text_of(tc) == ""
            c += cell.colspan


# --------------------------------------------------------------------------- tables


def test_tables_merge_exactly_like_the_model() -> None:
    doc = sample_document()
    root = xml(render(doc))
    tbls = root.findall("w:body/w:tbl", NS)
    assert len(tbls) == len(doc.tables()) == 4
    for tbl, table in zip(tbls, doc.tables(), strict=True):
        check_table(tbl, table)


def test_applications_table_spans() -> None:
    tbl = xml(render(sample_document())).findall("w:body/w:tbl", NS)[2]
    first = tbl.find("w:tr/w:tc", NS)
    assert first.find("w:tcPr/w:gridSpan", NS).get(f"{Q}val") == "3"
    assert first.find("w:tcPr/w:vMerge", NS).get(f"{Q}val") == "restart"
    assert text_of(first).startswith("（本列数据的勾稽关系为")
    trs = tbl.findall("w:tr", NS)
    assert len(trs) == 3 + 2 + 22 + 1
    # 三、本年度办理结果 starts in row 5 and is continued in the 21 rows below it.
    assert text_of(trs[5].find("w:tc", NS)) == "三、本年度办理结果"
    for tr in trs[6:27]:
        assert tr.find("w:tc/w:tcPr/w:vMerge", NS).get(f"{Q}val") is None
    assert trs[27].find("w:tc/w:tcPr/w:vMerge", NS) is None
    # Small row groups (（三）… 8 rows) stay on one page; the 22-row 三、 group may break.
    kept = [tr.find("w:tc/w:p/w:pPr/w:keepNext", NS) is not None for tr in trs]
    assert kept[7:14] == [True] * 7 and kept[14] is False  # （三）不予公开: rows 7–14
    assert kept[3] is False and kept[5] is False and kept[26] is False
    values = [text_of(tc) for tc in tbl.iter(f"{Q}tc")]
    assert [v for v in values if v.isdigit()] == [str(n) for n in range(1000, 1000 + 25 * 7)]


def test_table_geometry_and_header_rows() -> None:
    doc = sample_document()
    root = xml(render(doc))
    for tbl, table in zip(root.findall("w:body/w:tbl", NS), doc.tables(), strict=True):
        assert tbl.find("w:tblPr/w:tblW", NS).get(f"{Q}w") == "8845"
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(f"{Q}type") == "fixed"
        cols = [int(g.get(f"{Q}w")) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert len(cols) == table.columns and sum(cols) == 8845
        weights = table.widths or (1,) * table.columns
        for col, weight in zip(cols, weights, strict=True):
            assert abs(col - 8845 * weight / sum(weights)) <= 1
        for r, tr in enumerate(tbl.findall("w:tr", NS)):
            assert tr.find("w:trPr/w:cantSplit", NS) is not None
            assert (tr.find("w:trPr/w:tblHeader", NS) is not None) == (r < table.header_rows)
            for tc in tr.findall("w:tc", NS):
                width = int(tc.find("w:tcPr/w:tcW", NS).get(f"{Q}w"))
                span = tc.find("w:tcPr/w:gridSpan", NS)
                assert width > 0 and (span is None or width > min(cols))
    reviews = root.findall("w:body/w:tbl", NS)[3]
    assert len(reviews.findall("w:tblGrid/w:gridCol", NS)) == 15


def test_table_title_cell_styles_and_indent() -> None:
    root = xml(render(sample_document()))
    tbls = root.findall("w:body/w:tbl", NS)
    before = tbls[0].getprevious()
    assert style_of(before) == "GxTableTitle" and text_of(before) == "（一）主动公开政府信息情况表"
    # Two tables in a row are kept apart by a paragraph (Word would join them).
    assert tbls[1].getprevious().tag == f"{Q}p"
    caption = tbls[0].find("w:tr/w:tc/w:p", NS)
    assert style_of(caption) == "GxTableCaption"
    stubs = [tc for tc in tbls[1].iter(f"{Q}tc") if style_of(tc.find("w:p", NS)) == "GxTableStub"]
    indents = [tc.find("w:p/w:pPr/w:ind", NS) for tc in stubs]
    assert indents[0] is None
    assert indents[1].get(f"{Q}leftChars") == "100" and indents[2].get(f"{Q}leftChars") == "200"
    units = [tc for tc in tbls[1].iter(f"{Q}tc") if text_of(tc) == "条"]
    assert all(style_of(tc.find("w:p", NS)) == "GxTableText" for tc in units)


def test_python_docx_reads_the_tables() -> None:
    doc = sample_document()
    opened = docx.Document(io.BytesIO(render(doc)))
    assert len(opened.tables) == 4
    reviews = opened.tables[3]
    assert len(reviews.rows) == 4 and len(reviews.columns) == 15
    assert reviews.cell(0, 0).text == "行政复议" and reviews.cell(0, 7).text == "行政诉讼"
    assert reviews.cell(2, 0).text == "结果维持"  # vertically merged from row 1
    assert [reviews.cell(3, c).text for c in range(15)] == [str(2000 + c) for c in range(15)]
    apps = opened.tables[2]
    assert apps.cell(2, 1).text.startswith("（本列数据")
    assert apps.cell(20, 0).text == "三、本年度办理结果"
    assert apps.cell(6, 1).text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def test_malformed_table_fails_in_the_model() -> None:
    bad = Table("bad", 2, ((Cell("a", colspan=2),), (Cell("b"),)))
    with pytest.raises(ValueError, match="not filled"):
        render(sample_document(blocks=(bad,)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiling_tables())
def test_random_tilings_round_trip(table: Table) -> None:
    doc = sample_document(blocks=(Paragraph("前言"), table))
    tbl = xml(render(doc)).find("w:body/w:tbl", NS)
    check_table(tbl, table)


# --------------------------------------------------------------------------- text and styles


def test_escaping_and_control_characters() -> None:
    nasty = "A&B <x> \"q\" 'a' ]]> \x01\x0b控制\x1f字符\ufffe"
    doc = sample_document(
        title=(nasty,),
        blocks=(Heading(1, nasty), Paragraph(nasty), Table("t", 1, ((Cell(nasty),),))),
        signature=Signature(nasty, "2023年1月5日"),
        draft_mark=nasty,
        meta={"agency": nasty},
    )
    data = render(doc)
    clean = "A&B <x> \"q\" 'a' ]]> 控制字符"
    for name, raw in parts(data).items():
        if name.endswith(".xml") or name.endswith(".rels"):
            etree.fromstring(raw)  # well-formed
    opened = docx.Document(io.BytesIO(data))
    texts = [p.text for p in opened.paragraphs]
    assert texts.count(clean) >= 4  # draft, title, heading, paragraph (and the signature)
    assert opened.tables[0].cell(0, 0).text == clean
    assert opened.core_properties.title == clean
    assert opened.core_properties.author == clean
    assert clean in [p.text for p in opened.sections[0].header.paragraphs]


def test_line_breaks_and_tabs_in_text() -> None:
    doc = sample_document(blocks=(Paragraph("第一行\n第二行\t末"),))
    p = [p for p in body_paragraphs(xml(render(doc))) if style_of(p) == "GxBody"][0]
    assert len(p.findall(".//w:br", NS)) == 1 and len(p.findall(".//w:tab", NS)) == 1


def test_block_styles_and_title_lines() -> None:
    doc = sample_document()
    paragraphs = body_paragraphs(xml(render(doc)))
    styled = [(style_of(p), text_of(p)) for p in paragraphs if text_of(p)]
    assert styled[0] == ("GxTitle", "\n".join(doc.title))
    title = paragraphs[[style_of(p) for p in paragraphs].index("GxTitle")]
    assert len(title.findall(".//w:br", NS)) == len(doc.title) - 1
    assert ("GxHeading1", "一、总体情况") in styled
    assert ("GxHeading2", "（一）主动公开") in styled
    assert ("GxBody", "一是公开内容还不够全面。二是解读形式较单一。") in styled
    lead = sample_document(blocks=(Paragraph("（一）概述。正文", style="lead"),))
    assert "GxLead" in [style_of(p) for p in body_paragraphs(xml(render(lead)))]


def test_east_asian_fonts_on_styles() -> None:
    styles = xml(render(sample_document()), "word/styles.xml")

    def fonts(sid: str) -> dict[str, str]:
        el = styles.find(f"w:style[@w:styleId='{sid}']/w:rPr/w:rFonts", NS)
        return {k.split("}")[1]: v for k, v in el.attrib.items()} if el is not None else {}

    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert defaults.get(f"{Q}eastAsia") == "仿宋_GB2312"
    assert defaults.get(f"{Q}ascii") == "Times New Roman"
    assert not any("Theme" in k for k in defaults.attrib)
    assert fonts("Normal")["eastAsia"] == "仿宋_GB2312"
    assert fonts("GxTitle")["eastAsia"] == "方正小标宋简体"
    assert fonts("GxHeading1")["eastAsia"] == "黑体"
    assert fonts("GxHeading2")["eastAsia"] == "楷体_GB2312"
    assert fonts("GxPageNumber")["eastAsia"] == "宋体"

    def prop(sid: str, path: str, attr: str) -> str | None:
        el = styles.find(f"w:style[@w:styleId='{sid}']/{path}", NS)
        return None if el is None else el.get(f"{Q}{attr}")

    assert prop("GxTitle", "w:rPr/w:sz", "val") == "44"
    assert prop("Normal", "w:rPr/w:sz", "val") == "32"
    assert prop("Normal", "w:pPr/w:spacing", "lineRule") == "exact"
    assert prop("Normal", "w:pPr/w:autoSpaceDE", "val") == "0"  # "2023年1月18日" keeps its width
    assert 560 <= int(prop("Normal", "w:pPr/w:spacing", "line")) <= 580
    assert prop("GxBody", "w:pPr/w:ind", "firstLineChars") == "200"
    assert prop("GxTableText", "w:rPr/w:sz", "val") == "21"
    assert prop("GxTableText", "w:pPr/w:spacing", "lineRule") == "auto"
    assert prop("GxTableText", "w:pPr/w:spacing", "line") == "240"
    assert prop("GxTable", "w:tblPr/w:tblBorders/w:insideV", "val") == "single"
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{Q}eastAsia") == "zh-CN"
    hant = xml(render(sample_document(lang="zh-HK")), "word/styles.xml")
    lang = hant.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{Q}eastAsia") == "zh-HK"


def test_page_setup_and_page_numbers() -> None:
    data = render(sample_document())
    opened = docx.Document(io.BytesIO(data))
    section = opened.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert section.top_margin.mm == pytest.approx(37, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.1)
    assert section.left_margin.mm == pytest.approx(28, abs=0.1)
    assert section.right_margin.mm == pytest.approx(26, abs=0.1)
    assert opened.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer._element.find("w:p", NS)
        assert p.find("w:pPr/w:jc", NS).get(f"{Q}val") == align
        assert "PAGE" in "".join(p.itertext()) and text_of(p).startswith("— ")
        assert text_of(p).endswith(" —")
    sect = xml(data).find("w:body/w:sectPr", NS)
    assert sect.getnext() is None  # sectPr is last in the body


def test_no_rsids_or_stray_markers() -> None:
    for name, raw in parts(render(sample_document())).items():
        assert b"rsid" not in raw, name
        assert b"GXGEN" not in raw and b"{{" not in raw and b"gxbegin" not in raw, name


# --------------------------------------------------------------------------- 落款 and draft


def signature_indents(agency: str, date: str | None) -> tuple[float, float | None]:
    return Signature(agency, date).indents()


def test_signature_indents_follow_gbt_9704() -> None:
    name, date = signature_indents(AGENCY, "2023年1月18日")
    # 13 characters; the date is 2+1+0.5+1+1+1 = 6.5 characters wide.
    assert name == 2
    assert date == 13 - 6.5
    assert (21 - name - 13) + 2 == 21 - date - 6.5  # the date starts 2 characters further right
    short_name, short_date = signature_indents("区统计局", "2023年12月31日")
    assert short_date == 2  # the date is longer: it keeps 2, the name moves left
    assert short_name == 2 + 7 + 2 - 4
    assert signature_indents(AGENCY, None) == (2, None)


def test_signature_paragraphs() -> None:
    paragraphs = body_paragraphs(xml(render(sample_document())))
    sig = [p for p in paragraphs if style_of(p) == "GxSignature"]
    assert [text_of(p) for p in sig] == [AGENCY, "2023年1月18日"]
    inds = [p.find("w:pPr/w:ind", NS) for p in sig]
    assert [i.get(f"{Q}rightChars") for i in inds] == ["200", "650"]
    assert [i.get(f"{Q}right") for i in inds] == ["640", "2080"]
    blank = sig[0].getprevious()
    assert blank.tag == f"{Q}p" and text_of(blank) == ""
    # The last body paragraph, the blank line and the name keep with the next line.
    for p in (blank.getprevious(), blank, sig[0]):
        assert p.find("w:pPr/w:keepNext", NS) is not None
    nosig = body_paragraphs(xml(render(sample_document(signature=None))))
    assert not [p for p in nosig if style_of(p) == "GxSignature"]
    assert text_of(nosig[-1]) == "一是公开内容还不够全面。二是解读形式较单一。"


def test_draft_mark_on_every_page_and_at_the_top() -> None:
    mark = "草稿（校验未通过）"
    data = render(sample_document(draft_mark=mark))
    first = body_paragraphs(xml(data))[0]
    assert style_of(first) == "GxDraft" and text_of(first) == mark
    all_parts = parts(data)
    headers = [n for n in all_parts if n.startswith("word/header")]
    assert len(headers) == 2
    for name in headers:
        assert text_of(etree.fromstring(all_parts[name])) == mark
    color = xml(data, "word/styles.xml").find(
        "w:style[@w:styleId='GxDraft']/w:rPr/w:color", NS
    )
    assert color.get(f"{Q}val") != "000000"
    clean = render(sample_document())
    assert mark.encode() not in b"".join(parts(clean).values())
    assert style_of(body_paragraphs(xml(clean))[0]) == "GxTitle"


# --------------------------------------------------------------------------- files


def test_deterministic_bytes_and_properties() -> None:
    first = render(sample_document())
    second = render(sample_document())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(first)).core_properties
    assert props.title == "".join(sample_document().title)
    assert props.author == AGENCY
    assert props.created.date().isoformat() == "2023-01-18" == props.modified.date().isoformat()
    undated = docx.Document(io.BytesIO(render(sample_document(meta={}))))
    assert undated.core_properties.created.year == 2000
    other = render(sample_document(blocks=(Paragraph("另一份"),)))
    assert other != first


# --------------------------------------------------------------------------- user templates


def make_template(tmp_path: Path, *texts: str, name: str = "user.docx") -> Path:
    """A plain python-docx document (none of our styles) with the given paragraphs."""
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    path = tmp_path / name
    document.save(path)
    return path


def test_user_template_gets_missing_styles(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{ agency }}的报告", "{{ body }}")
    data = render(sample_document(draft_mark="草稿"), path)
    root = xml(data)
    paragraphs = body_paragraphs(root)
    texts = [text_of(p) for p in paragraphs]
    assert texts[0] == f"{AGENCY}的报告"
    assert "草稿" in texts and "\n".join(sample_document().title) in texts  # generated
    assert [text_of(p) for p in paragraphs if style_of(p) == "GxSignature"][-1] == "2023年1月18日"
    styles = xml(data, "word/styles.xml")
    for sid in writer.STYLE_IDS:
        assert styles.find(f"w:style[@w:styleId='{sid}']", NS) is not None, sid
    for tbl, table in zip(root.findall("w:body/w:tbl", NS), sample_document().tables(),
                          strict=True):
        check_table(tbl, table)


def test_user_template_with_paragraph_tag(tmp_path: Path) -> None:
    path = make_template(tmp_path, "{{p title }}", "{{p body }}", "{{ signature }}")
    root = xml(render(sample_document(), path))
    assert len(root.findall("w:body/w:tbl", NS)) == 4
    paragraphs = body_paragraphs(root)
    assert text_of(paragraphs[0]) == "\n".join(sample_document().title)
    assert style_of(paragraphs[0]) == "GxTitle"
    assert [text_of(p) for p in paragraphs].count("\n".join(sample_document().title)) == 1
    assert not (root.find("w:body", NS).text or "").strip()
    assert all(not (el.tail or "").strip() for el in root.find("w:body", NS))


def test_body_paragraph_that_ends_a_section_keeps_the_break(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("{{ title }}")
    document.add_section()
    document.paragraphs[-1].add_run("{{ body }}")  # the paragraph holding the section break
    document.add_paragraph("附：{{ agency }}")
    path = tmp_path / "sections.docx"
    document.save(path)
    root = xml(render(sample_document(), path))
    body = root.find("w:body", NS)
    assert len(root.findall("w:body/w:p/w:pPr/w:sectPr", NS)) == 1
    assert body[-1].tag == f"{Q}sectPr"
    kept = root.find("w:body/w:p/w:pPr/w:sectPr", NS).getparent().getparent()
    assert text_of(kept) == "" and kept.getprevious().tag == f"{Q}p"  # after the signature
    assert len(root.findall("w:body/w:tbl", NS)) == 4
    assert text_of(body[-2]) == f"附：{AGENCY}"


def test_renamed_style_ids_are_found_by_name(tmp_path: Path) -> None:
    with zipfile.ZipFile(writer.default_template()) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    # Word may rewrite a style id on save but keeps the name.
    styles = entries["word/styles.xml"].replace(b'w:styleId="GxBody"', b'w:styleId="a7"')
    for ref in (b"basedOn", b"next"):
        styles = styles.replace(b"<w:%s w:val=\"GxBody\"/>" % ref, b"<w:%s w:val=\"a7\"/>" % ref)
    assert b'<w:name w:val="GxBody"/>' in styles
    entries["word/styles.xml"] = styles
    entries["word/document.xml"] = entries["word/document.xml"].replace(
        b'w:val="GxBody"', b'w:val="a7"'
    )
    path = tmp_path / "renamed.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    paragraphs = body_paragraphs(xml(render(sample_document(), path)))
    assert "a7" in {style_of(p) for p in paragraphs}
    assert "GxBody" not in {style_of(p) for p in paragraphs}


def test_template_is_cached_and_reloaded_when_changed(tmp_path: Path) -> None:
    path = make_template(tmp_path, "版本一", "{{ body }}")
    assert "版本一" in text_of(xml(render(sample_document(), path)))
    document = docx.Document()
    document.add_paragraph("版本二，内容更长一些")
    document.add_paragraph("{{ body }}")
    document.save(path)
    assert "版本二" in text_of(xml(render(sample_document(), path)))


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (("{{ title }",), "语法错误"),
        (("{{ body }}", "{% if draft %}草稿{% endif %}"), "不支持"),
        (("{{ body }}", "{{ title|upper }}"), "过滤器"),
        (("{{ body }}", "{{ titel }}"), "未知变量"),
        (("{{ title }}",), "缺少正文占位符"),
        (("正文：{{ body }}",), "单独成段"),
        (("{{ body }}", "{{ body }}"), "只能出现一次"),
        (("{{ body }}", "{{p agency }}"), "只能写在段落中"),
    ],
)
def test_broken_templates_raise(tmp_path: Path, texts: tuple[str, ...], message: str) -> None:
    path = make_template(tmp_path, *texts)
    with pytest.raises(DocxTemplateError, match=message) as info:
        render(sample_document(), path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_not_a_docx_raises(tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("not a zip", encoding="utf-8")
    with pytest.raises(DocxTemplateError, match="zip"):
        render(sample_document(), text)
    empty_zip = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty_zip, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(DocxTemplateError, match="DOCX"):
        render(sample_document(), empty_zip)
    with pytest.raises(DocxTemplateError, match="找不到"):
        render(sample_document(), tmp_path / "missing.docx")
    assert issubclass(DocxTemplateError, ValueError)


def test_bundled_template_is_reproducible() -> None:
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "tools" / "make_template.py"
    spec = importlib.util.spec_from_file_location("make_template", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == writer.default_template().read_bytes()


def test_traditional_documents_use_gbk_fonts() -> None:
    """仿宋_GB2312 has no traditional glyphs: a traditional copy's styles name 仿宋 etc."""
    simplified = sample_document()
    traditional = sample_document(lang="zh-Hant")
    styles_s = parts(render(simplified))["word/styles.xml"].decode("utf-8")
    styles_t = parts(render(traditional))["word/styles.xml"].decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in styles_s and 'w:eastAsia="方正小标宋简体"' in styles_s
    assert "GB2312" not in styles_t and "方正小标宋简体" not in styles_t
    assert 'w:eastAsia="仿宋"' in styles_t and 'w:eastAsia="楷体"' in styles_t
    assert 'w:eastAsia="方正小标宋_GBK"' in styles_t and 'w:eastAsia="黑体"' in styles_t
