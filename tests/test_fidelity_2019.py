"""Seeds 002 and 003 (2019 trial edition; 003 with the Zhejiang extension tables): the tables
gxgen renders from ``examples/`` match the published tables cell for cell — labels and
numbers — in DOCX, HTML and Markdown; so do the section headings, the table titles and the
落款.

Where the published copy differs, the difference is named, never skipped:

- the fixture's ``known_differences`` (label slips such as 转结, Word auto-numbering "3、 ",
  the 复议/诉讼 header laid out on a third row) are put right before comparing;
- seed 002 left cells blank where the agency typed nothing; gxgen writes 0 there (every
  figure of the statutory table is printed) and computes the blank 总计 cells. Only the cells
  the fixture lists as filled are compared; the others must be "0", or a computed total;
- 采购总金额: seed 003 put the unit in the header ("采购总金额（元）", cell "35074.0"); gxgen keeps
  the format's header "采购总金额" and writes the unit in the cell, as seed 002 does
  ("35074.0元"; seed 002: "109994元");
- seed 002 has no section 六; gxgen prints "六、其他需要报告的事项" with "无。";
- headings are compared by number and title: Word auto-numbering ("5、 ") counts as the same
  number, and after an extension section the later numbers shift as in seed 003 (六, 七);
- in-cell line breaks (the two long 扩展表 labels) are compared without the break, and the
  break itself is checked in each format separately (the DOCX reader drops ``w:br``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from extract import docx_xml, model_rows, texts
from fidelity import docx_rows, html_rows, md_rows, published, seed

from gxgen import render as rendering
from gxgen.check import check_file
from gxgen.document import Heading, Table
from gxgen.variants import VARIANTS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASES = {"002": "dinghai-jxj-2020.yaml", "003": "beilun-zwb-2020.yaml"}
READERS = {"docx": docx_rows, "html": html_rows, "md": md_rows}
UNIT_MOVED = {"003": {"proactive": {"35074.0": "35074.0元"}}}
"""Published cell text → ours, where the unit moved from the header into the cell."""
MISSING_SECTIONS = {"002": ["六、其他需要报告的事项"]}
NUMERALS = "一二三四五六七八九十"
HEADING = re.compile(r"([一二三四五六七八九十]|\d+)、\s*(.+)")
BREAK = re.compile(r"<br>|\n")


def _document(name: str):
    return _checked_document(name)[1]


def _checked_document(name: str):
    checked = check_file(EXAMPLES / CASES[name])
    assert checked.ok, [f.format() for f in checked.findings]
    return checked.facts, rendering.document(checked.facts, VARIANTS["simplified"])


def _flat(rows: list[list[str]]) -> list[list[str]]:
    return [[BREAK.sub("", c) for c in row] for row in rows]


def _filled_mask(data: dict, table: Table) -> list[list[str | None]] | None:
    """For a table the seed left partly blank: per rendered row and non-empty cell, ``None``
    where the published copy has the cell (labels, the figures in ``filled_cells``), else the
    path of the figure gxgen printed in a blank."""
    blank = any(d.get("table") == table.key and d["kind"] == "blank"
                for d in data["known_differences"])
    if not blank:
        return None
    filled = {f"{table.key}.{p}" for p in data["filled_cells"].get(table.key, {})}
    return [[None if c.role != "value" or c.path in filled else c.path for c in row if c.text]
            for row in table.rows if any(c.text for c in row)]


def _expected(data: dict, name: str, table: str) -> list[list[str]]:
    moved = UNIT_MOVED.get(name, {}).get(table, {})
    return [[moved.get(c, c) for c in row] for row in published(data, table)]


@pytest.mark.parametrize("fmt", sorted(READERS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_tables_match_published(name: str, fmt: str) -> None:
    data = seed(name)
    facts, doc = _checked_document(name)
    ours = READERS[fmt](rendering.writer(fmt)(doc, rendering.Options()))
    names = [t["name"] for t in data["tables"]]
    assert [t.key for t in doc.tables()] == names
    assert len(ours) == len(names)
    for table, rows in zip(doc.tables(), ours, strict=True):
        rows = _flat(rows)
        assert rows == _flat(texts(model_rows(table))), table.key
        mask = _filled_mask(data, table)
        if mask is not None:
            assert [len(r) for r in mask] == [len(r) for r in rows]
            cells = facts.edition.cells
            for row, paths in zip(rows, mask, strict=True):
                for text, path in zip(row, paths, strict=True):
                    if path is not None:
                        assert text == ("0" if not cells[path].total
                                        else str(facts.values[path])), path
            rows = [[c for c, p in zip(row, paths, strict=True) if p is None]
                    for row, paths in zip(rows, mask, strict=True)]
        assert rows == _flat(_expected(data, name, table.key)), table.key


def test_blank_cells_are_written_as_zero() -> None:
    """Seed 002's blanks: gxgen prints a figure in all 161 cells of the 申请 table — 0, or the
    computed total (新收, 予以公开 and 办理结果总计 are 1 in the 自然人 and 总计 columns)."""
    doc = _document("002")
    applications = next(t for t in doc.tables() if t.key == "applications")
    values = {c.path: c.text for c in applications.values()}
    assert len(values) == 161
    ones = {p for p, v in values.items() if v == "1"}
    assert ones == {f"applications.{r}.{c}" for r in ("new", "granted", "total")
                    for c in ("natural", "total")}
    assert set(values.values()) == {"0", "1"}


def test_headings_and_titles_match_published() -> None:
    for name in sorted(CASES):
        data = seed(name)
        doc = _document(name)
        titles = {_title(d["published"]): _title(d["statutory"])
                  for d in data["known_differences"] if d.get("table") == "headings"}
        expected = []
        for i, heading in enumerate(data["headings"] + MISSING_SECTIONS.get(name, [])):
            number = HEADING.fullmatch(heading).group(1)
            assert number in (str(i + 1), NUMERALS[i]), heading
            expected.append(NUMERALS[i] + "、" + titles.get(_title(heading), _title(heading)))
        ours = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
        assert ours == expected, name
        for table, spec in zip(doc.tables(), data["tables"], strict=True):
            if spec["heading"][:1].isdigit() and "、" not in spec["heading"][:3]:
                assert table.title == spec["heading"], table.key
            else:
                assert table.title is None, table.key


def _title(heading: str) -> str:
    return HEADING.fullmatch(heading).group(2)


def test_title_and_signature_match_published() -> None:
    for name in sorted(CASES):
        data = seed(name)["document"]
        doc = _document(name)
        assert "\n".join(doc.title) == data["title"]
        assert (doc.signature.agency, doc.signature.date) == (data["signature"], data["date"])


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_line_breaks_inside_extension_labels(fmt: str) -> None:
    doc = _document("003")
    out = rendering.writer(fmt)(doc, rendering.Options())
    first, second = "（一）主动公开政府信息数", "（不同渠道和方式公开相同信息计1条）"
    if fmt == "docx":
        xml = docx_xml(out)
        paras = ["|".join("BR" if el.tag.endswith("}br") else (el.text or "")
                          for el in p.iter() if el.tag.endswith(("}t", "}br")))
                 for p in xml.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/"
                                   "main}p")]
        assert f"{first}|BR|{second}" in paras
    else:
        assert f"{first}<br>" in out.decode("utf-8")
        assert second in out.decode("utf-8")


def test_changed_figure_is_caught() -> None:
    """The comparison is not vacuous: a different amount breaks it."""
    data = seed("003")
    checked = check_file(EXAMPLES / CASES["003"])
    checked.facts.values["proactive.procurement.amount"] = checked.facts.values[
        "proactive.procurement.amount"] + 1
    doc = rendering.document(checked.facts, VARIANTS["simplified"])
    ours = html_rows(rendering.writer("html")(doc, rendering.Options()))
    assert _flat(ours[1]) != _flat(_expected(data, "003", "proactive"))
