"""One Chinese numbering for sections (一、…) and items (（一）…), without an upper bound:
the numbers themselves, and every place that numbers something (edition sections, narrative
sub-headings, traditional labels, scaffold comments)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clirun import gxgen
from conftest import facts_2021, write

from gxgen import check, editions, extensions
from gxgen.model import build_document
from gxgen.numbering import item_number, numeral, section_number
from gxgen.variants import VARIANTS, Converter

SRC = Path(__file__).resolve().parent.parent / "src" / "gxgen"


@pytest.mark.parametrize(("n", "text"), [
    (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"),
    (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"), (111, "一百一十一"),
    (120, "一百二十"), (999, "九百九十九"), (1000, "一千"), (1001, "一千零一"),
    (1010, "一千零一十"), (1100, "一千一百"), (10000, "一万"), (10001, "一万零一"),
    (10010, "一万零一十"), (100010, "十万零一十"), (110000, "十一万"), (1000000, "一百万"),
    (100000000, "一亿"), (100000001, "一亿零一"), (10 ** 16, "一亿亿"),
])
def test_numerals(n: int, text: str) -> None:
    assert numeral(n) == text


def test_numbers_are_distinct_and_unbounded() -> None:
    seen = {numeral(n) for n in range(1, 20001)}
    assert len(seen) == 20000
    assert section_number(10) == "十一、" and item_number(99) == "（一百）"
    assert item_number(109) == "（一百一十）"
    with pytest.raises(ValueError):
        numeral(0)


def test_no_other_numbering_table() -> None:
    """The digits live in ``numbering.py`` only: a second table is how （十十） happened."""
    offenders = [p.name for p in SRC.rglob("*.py")
                 if p.name != "numbering.py" and "一二三四五六七八九" in p.read_text("utf-8")]
    assert offenders == []


def _many_sections(tmp_path: Path, n: int) -> Path:
    """An extension adding ``n`` sections (each one table), chained after 其他需要报告的事项."""
    tables = "".join(
        f"  t{i}:\n    kind: indicators\n    label: 表{i}\n    columns: [指标, 单位, 数值]\n"
        f"    rows:\n      - {{key: a, label: 甲, unit: 件}}\n" for i in range(n))
    sections = "".join(
        f"  - {{key: s{i}, title: 第{i}节, after: {'other_matters' if i == 0 else f's{i - 1}'}, "
        f"tables: [t{i}]}}\n" for i in range(n))
    definition = write(tmp_path / "many.yaml", f"extension: many\ntables:\n{tables}"
                                                f"sections:\n{sections}")
    data = facts_2021(extensions=["./many.yaml"], **{f"t{i}": {"a": i} for i in range(n)})
    write(tmp_path / "2022.yaml", data)
    return definition


def test_sections_past_ten(tmp_path: Path) -> None:
    _many_sections(tmp_path, 8)
    result = check.check_file(tmp_path / "2022.yaml")
    assert result.ok, [f.format() for f in result.findings]
    numbers = [n for n, _ in result.facts.edition.numbered()]
    assert numbers[9:] == ["十、", "十一、", "十二、", "十三、", "十四、"]
    headings = [b.text for b in build_document(result.facts).blocks
                if getattr(b, "level", 0) == 1]
    assert headings[-1] == "十四、第7节"


def test_sections_past_ten_render_traditional(tmp_path: Path) -> None:
    _many_sections(tmp_path, 8)
    out = tmp_path / "out.md"
    result = gxgen("render", tmp_path / "2022.yaml", "--format", "md", "--variant",
                   "traditional", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert "十四、第7節" in text and "十、第3節" in text


def test_validate_names_a_cell_in_section_eleven(tmp_path: Path) -> None:
    _many_sections(tmp_path, 8)
    data = facts_2021(extensions=["./many.yaml"], **{f"t{i}": {"a": i} for i in range(8)})
    data["t4"] = {"a": -1}
    write(tmp_path / "2022.yaml", data)
    result = gxgen("validate", tmp_path / "2022.yaml")
    assert result.exit_code == 1
    assert "十一、表4" in result.stdout


def test_long_narrative_lists(tmp_path: Path) -> None:
    items = [{"heading": f"第{i}项", "text": f"内容{i}。"} for i in range(120)]
    path = write(tmp_path / "2022.yaml", facts_2021(problems=items))
    result = check.check_file(path)
    assert result.facts is not None
    headings = [b.text for b in build_document(result.facts).blocks
                if getattr(b, "level", 0) == 2 and "第" in b.text and "项" in b.text]
    assert headings[9] == "（十）第9项" and headings[10] == "（十一）第10项"
    assert headings[99] == "（一百）第99项" and headings[100] == "（一百零一）第100项"
    assert headings[109] == "（一百一十）第109项" and headings[119] == "（一百二十）第119项"
    assert not any("十十" in h for h in headings)


def test_long_list_renders_in_every_format(tmp_path: Path) -> None:
    items = [{"heading": f"第{i}项", "text": f"内容{i}。"} for i in range(110)]
    path = write(tmp_path / "2022.yaml", facts_2021(problems=items))
    result = gxgen("render", path, "--format", "all", "--variant", "both", "-o",
                   tmp_path / "out/")
    assert result.exit_code == 0, result.output
    md = (tmp_path / "out" / "2022.md").read_text("utf-8")
    assert "（一百一十）第109项" in md
    html = (tmp_path / "out" / "2022.zh-Hant.html").read_text("utf-8")
    assert "（一百一十）第109項" in html


def test_traditional_labels_keep_long_numbers() -> None:
    conv = Converter(VARIANTS["traditional"])
    assert conv.label("一百零一、总体情况") == "一百零一、總體情況"
    assert conv.label("（一百一十）总体情况") == "（一百一十）總體情況"


def test_scaffold_numbers_extended_sections(tmp_path: Path) -> None:
    definition = _many_sections(tmp_path, 5)
    extended, problems = extensions.extend(
        editions.load("2021"), [extensions.Ref(str(definition), tmp_path)])
    assert extended is not None, problems
    result = gxgen("init", "--agency", "某局", "--year", "2022", "--extension", definition)
    assert result.exit_code == 0, result.output
    titles = re.findall(r"^# (\S+、)第\d节", result.stdout, re.M)
    assert titles == ["七、", "八、", "九、", "十、", "十一、"]


def test_parse_reads_back_every_numeral() -> None:
    from gxgen.numbering import parse

    assert all(parse(numeral(n)) == n for n in range(1, 20001))
    assert parse("两千三百") == 2300 and parse("二〇二一") is None
