"""The 2019 trial edition (国办公开办函〔2019〕60号) as data: its tables, its rules, its
scaffold, its rendering in all three formats and both scripts, and the E-YEAR sanity check.

Every rule test starts from a 2019 facts file with no finding at all, breaks one cell and
expects exactly that rule at exactly that cell's line and column.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from clirun import gxgen
from conftest import dump, facts_2021, where, write
from extract import docx_tables, html_tables, model_rows

from gxgen import editions
from gxgen import render as rendering
from gxgen.check import check_file
from gxgen.document import Table
from gxgen.model import build_document
from gxgen.variants import VARIANTS

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "gxgen"

_BALANCED_2019: dict[str, Any] = {
    "edition": "2019",
    "agency": "某区测试局",
    "agency_type": "department",
    "year": 2020,
    "date": "2021-01-15",
    "overview": facts_2021()["overview"],
    "proactive": {
        "regulations": "na",
        "normative_documents": {"produced": 3, "published": 2, "public_total": 11},
        "licensing": {"previous": 40, "change": -3, "decisions": 120},
        "other_services": {"previous": 21, "change": 2, "decisions": 5},
        "penalty": {"previous": 7, "change": 0, "decisions": 15},
        "coercion": [2, 1, 3],
        "fees": {"previous": 4, "change": -4},
        "procurement": {"projects": 5, "amount": 109994},
    },
    "applications": {
        "new": [10, 2, 0, 1, 0, 1],
        "carried_in": [1, 0, 0, 0, 0, 0],
        "granted": [5, 1, 0, 0, 0, 0],
        "partial": [1, 0, 0, 0, 0, 0],
        "withheld": {"third_party_rights": [1, 0, 0, 0, 0, 0]},
        "unavailable": {"not_held": [2, 1, 0, 1, 0, 0]},
        "other": [1, 0, 0, 0, 0, 1],
        "carried_out": [1, 0, 0, 0, 0, 0],
    },
    "reviews": {
        "review": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1},
        "litigation": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0},
        "litigation_after_review": [0, 0, 0, 0],
    },
    "problems": "一是政策解读形式较为单一；二是依申请公开答复规范化有待加强。",
    "other_matters": {"text": "本年度无其他需要报告的事项。"},
}


def facts_2019(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(_BALANCED_2019)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def check_text(tmp_path: Path, text: str, name: str = "facts.yaml"):
    return check_file(write(tmp_path / name, text), find_previous=False)


def findings_of(checked) -> list[tuple[str, str, int | None, int | None]]:
    return [(f.rule, f.severity, f.line, f.col) for f in checked.findings]


@pytest.fixture
def ed() -> editions.Edition:
    return editions.load("2019")


# --- the data ----------------------------------------------------------------------------------


def test_edition_years(ed: editions.Edition) -> None:
    assert (ed.id, ed.first_year, ed.last_year) == ("2019", 2019, 2020)
    assert ed.notice == "国办公开办函〔2019〕60号"
    new = editions.load("2021")
    assert new.last_year is None
    raw = yaml.safe_load((SRC / "editions" / "2021.yaml").read_text("utf-8"))
    assert "last_year" not in raw


def test_proactive_table_is_the_trial_format(ed: editions.Edition) -> None:
    table = ed.tables["proactive"]
    captions = [b.caption for b in table.shape.blocks]
    assert captions == [f"第二十条第（{n}）项" for n in ("一", "五", "六", "八", "九")]
    assert [r.label for r in table.shape.blocks[0].rows] == ["规章", "规范性文件"]
    assert [f.label for f in table.shape.blocks[0].fields] == ["本年新制作数量", "本年新公开数量",
                                                         "对外公开总数量"]
    assert [r.label for r in table.shape.blocks[1].rows] == ["行政许可", "其他对外管理服务事项"]
    for block in table.shape.blocks[1:3]:
        assert [f.label for f in block.fields] == ["上一年项目数量", "本年增/减", "处理决定数量"]
    assert [f.label for f in table.shape.blocks[3].fields] == ["上一年项目数量", "本年增/减"]
    assert [(f.label, f.unit) for f in table.shape.blocks[4].fields] == [("采购项目数量", None),
                                                                    ("采购总金额", "元")]
    signed = {c.path for c in table.cells if c.value == "signed"}
    assert signed == {f"proactive.{r}.change" for r in
                      ("licensing", "other_services", "penalty", "coercion", "fees")}
    assert len(table.cells) == 22


def test_applications_table_has_one_other_row(ed: editions.Edition) -> None:
    table = ed.tables["applications"]
    rows = {c.row for c in table.cells}
    assert len(rows) == 23 and len(table.cells) == 161
    assert ("other",) in rows
    assert not any(r[0] == "other" and len(r) > 1 for r in rows)
    total = table.cell("applications.total.natural")
    (rule, parts), = [s for s in total.sums if s[0] == "T2-SUM"]
    assert len(parts) == 19 and "applications.other.natural" in parts
    assert ed.tables["reviews"].cells == editions.load("2021").tables["reviews"].cells


# --- scaffold -------------------------------------------------------------------------------


def test_init_2019_scaffold_validates(tmp_path: Path) -> None:
    result = gxgen("init", "--agency", "某局", "--year", "2020", "--edition", "2019")
    assert result.exit_code == 0, result.output
    text = result.output
    assert 'edition: "2019"' in text
    for key in ("produced:", "public_total:", "other_services:", "change:", "procurement:",
                "other_matters:"):
        assert key in text
    assert "overdue_fee" not in text and "processing_fees" not in text
    assert "采购总金额（元）" in text
    checked = check_text(tmp_path, text)
    assert checked.facts is not None and not checked.ok  # the narrative is still to write
    assert {f.rule for f in checked.findings} == {"C-EMPTY", "D-NODATE"}


def test_init_picks_2019_for_2020() -> None:
    result = gxgen("init", "--agency", "某局", "--year", "2020")
    assert 'edition: "2019"' in result.output
    result = gxgen("init", "--agency", "某局", "--year", "2021")
    assert 'edition: "2021"' in result.output


# --- rules: each one passes on the balanced file and fails on the right cell -----------------


def test_balanced_2019_has_no_finding(tmp_path: Path) -> None:
    checked = check_text(tmp_path, dump(facts_2019()))
    assert checked.findings == []
    values = checked.facts.values
    assert values["applications.total.natural"] == 10
    assert values["applications.total.total"] == 14
    assert values["reviews.review.total"] == 3


def _with_row(table: str, row: str, value: Any, **more: Any) -> dict[str, Any]:
    data = facts_2019(**more)
    data[table][row] = value
    return data


def test_signed_change_may_be_negative_but_counts_may_not(tmp_path: Path) -> None:
    ok = check_text(tmp_path, dump(_with_row("proactive", "licensing", [40, -40, 0])))
    assert ok.findings == []
    text = dump(_with_row("proactive", "licensing", [-1, 0, 0]))
    line, col = where(text, "licensing: [-1")
    col += len("licensing: [")
    checked = check_text(tmp_path, text)
    assert findings_of(checked) == [("T1-NONNEG", "error", line, col)]
    assert "行政许可·上一年项目数量" in checked.findings[0].message()


def test_t1_items_previous_plus_change_not_negative(tmp_path: Path) -> None:
    text = dump(_with_row("proactive", "other_services", {"previous": 3, "change": -5,
                                                           "decisions": 0}))
    line, col = where(text, "-5")
    checked = check_text(tmp_path, text)
    assert findings_of(checked) == [("T1-ITEMS", "warning", line, col)]
    assert checked.ok
    assert checked.findings[0].message() == (
        "二、主动公开政府信息情况 其他对外管理服务事项："
        "上一年项目数量(3)+本年增/减(-5)=-2，不应为负数")


def test_t1_pub_published_not_above_public_total(tmp_path: Path) -> None:
    text = dump(_with_row("proactive", "normative_documents",
                          {"produced": 3, "published": 12, "public_total": 11}))
    line, col = where(text, "published: 12")
    checked = check_text(tmp_path, text)
    assert findings_of(checked) == [("T1-PUB", "warning", line, col + len("published: "))]
    assert "本年新公开数量(12) 不应大于 对外公开总数量(11)" in checked.findings[0].message()


def test_t2_sum_counts_the_single_other_row(tmp_path: Path) -> None:
    data = facts_2019()
    data["applications"]["total"] = [10, 2, 0, 1, 0, 1]
    assert check_text(tmp_path, dump(data)).findings == []
    data["applications"]["other"] = [2, 0, 0, 0, 0, 0]  # one moved from 其他 to 自然人
    text = dump(data)
    line, col = where(text, "total: [10")
    checked = check_text(tmp_path, text)
    assert findings_of(checked) == [
        ("T2-SUM", "error", line, col + len("total: [")),
        ("T2-SUM", "error", line, col + len("total: [10, 2, 0, 1, 0, ")),
    ]
    natural, other = (f.message() for f in checked.findings)
    assert natural.startswith("三、收到和处理政府信息公开申请情况 办理结果总计·自然人：")
    assert "办理结果总计(10) ≠ （一）予以公开至（六）其他处理（共19项）之和(11)" in natural
    assert other.startswith("三、收到和处理政府信息公开申请情况 办理结果总计·其他：")


def test_t2_bal_per_column(tmp_path: Path) -> None:
    text = dump(_with_row("applications", "carried_out", [2, 0, 0, 0, 0, 0]))
    line, col = where(text, "new: [10")
    checked = check_text(tmp_path, text)
    # the natural-person column at its first figure; the computed 总计 column at its row
    assert findings_of(checked) == [("T2-BAL", "error", line, col),
                                    ("T2-BAL", "error", line, col + len("new: ["))]
    assert ["总计列" in f.message() for f in checked.findings] == [True, False]
    assert "自然人列" in checked.findings[1].message()


def test_t2_rowtot_typed_total_column(tmp_path: Path) -> None:
    text = dump(_with_row("applications", "granted", [5, 1, 0, 0, 0, 0, 7]))
    line, col = where(text, "granted: [5, 1, 0, 0, 0, 0, 7]")
    checked = check_text(tmp_path, text)
    col += len("granted: [5, 1, 0, 0, 0, 0, ")
    rowtot = [f for f in checked.findings if f.rule == "T2-ROWTOT"]
    assert [(f.line, f.col, f.path) for f in rowtot] == [(line, col, "applications.granted.total")]
    # the typed 7 also feeds the 总计 column's results total, so that column no longer balances
    assert {f.rule for f in checked.findings} == {"T2-ROWTOT", "T2-BAL"}


def test_t3_totals(tmp_path: Path) -> None:
    data = facts_2019()
    data["reviews"]["review"]["total"] = 4
    text = dump(data)
    line, col = where(text, "total: 4")
    checked = check_text(tmp_path, text)
    assert findings_of(checked) == [("T3-RV", "error", line, col + len("total: "))]


def test_2021_other_subrows_are_refused(tmp_path: Path) -> None:
    text = dump(_with_row("applications", "other", {"overdue_fee": [1, 0, 0, 0, 0, 0]}))
    checked = check_text(tmp_path, text)
    assert not checked.ok
    assert [f.rule for f in checked.findings] == ["schema"]
    assert "（六）其他处理" in checked.findings[0].message()


def test_procurement_amount(tmp_path: Path) -> None:
    text = dump(_with_row("proactive", "procurement", {"projects": 2, "amount": -5}))
    checked = check_text(tmp_path, text)
    line, col = where(text, "-5")
    assert findings_of(checked) == [("T1-NONNEG", "error", line, col)]
    text = dump(_with_row("proactive", "procurement", {"projects": 2, "amount": 0.125}))
    checked = check_text(tmp_path, text)
    assert [(f.rule, f.code) for f in checked.findings] == [("schema", "too_precise")]
    assert "采购总金额" in checked.findings[0].message()


def test_carry_across_2019_editions_and_into_2021(tmp_path: Path) -> None:
    last = facts_2019(year=2019, date="2020-01-20")
    last["applications"]["carried_out"] = [3, 0, 0, 0, 0, 0]
    last["applications"]["new"] = [12, 2, 0, 1, 0, 1]
    write(tmp_path / "r2019.yaml", dump(last))
    this = write(tmp_path / "r2020.yaml", dump(facts_2019()))
    checked = check_file(this)
    assert checked.previous == str(tmp_path / "r2019.yaml")
    assert [(f.rule, f.path) for f in checked.findings] == [
        ("X-CARRY", "applications.carried_in.natural")]
    nxt = facts_2021(year=2021, date="2022-01-20")
    nxt["applications"]["carried_in"] = [1, 0, 0, 0, 0, 0]
    checked = check_file(write(tmp_path / "r2021.yaml", dump(nxt)))
    assert checked.previous == str(tmp_path / "r2020.yaml")
    assert checked.findings == []


# --- E-YEAR -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("edition", "year", "expected"), [
    ("2019", 2019, None), ("2019", 2020, None), ("2021", 2021, None), ("2021", 2024, None),
    ("2019", 2021, "2021"), ("2019", 2023, "2021"), ("2021", 2020, "2019"),
    ("2021", 2019, "2019"), ("2019", 2018, None), ("2021", 2018, None),
])
def test_edition_year(tmp_path: Path, edition: str, year: int, expected: str | None) -> None:
    base = facts_2019() if edition == "2019" else facts_2021()
    data = dict(base, year=year, date=f"{year + 1}-01-20")
    text = dump(data)
    checked = check_text(tmp_path, text)
    found = [f for f in checked.findings if f.rule == "E-YEAR"]
    if expected is None:
        assert found == []
        return
    line, col = where(text, "edition: ")
    severity = "error" if edition == "2019" else "warning"  # the 2019 format is replaced
    assert [(f.severity, f.line, f.col) for f in found] == [
        (severity, line, col + len("edition: "))]
    notice = editions.load(expected).notice
    assert found[0].message() == (
        f"{year} 年度报告应使用 {expected} 格式（{notice}），此文件使用 {edition} 格式")


# --- rendering: merges in DOCX and HTML, every table ---------------------------------------------


@pytest.fixture
def rendered(tmp_path: Path):
    checked = check_text(tmp_path, dump(facts_2019()))
    doc = rendering.document(checked.facts, VARIANTS["simplified"])
    out = {fmt: rendering.writer(fmt)(doc, rendering.Options()) for fmt in ("docx", "html",
                                                                             "md")}
    return doc, out


def _spans(table: Table) -> dict[str, tuple[int, int]]:
    return {c.text: (c.rowspan, c.colspan) for row in table.rows for c in row
            if c.role != "value"}


def test_model_has_the_statutory_merges(rendered) -> None:
    doc, _ = rendered
    proactive, applications, reviews = doc.tables()
    assert proactive.columns == 4
    spans = _spans(proactive)
    assert spans["第二十条第（九）项"] == (1, 4)
    assert spans["采购项目数量"] == (1, 1) and spans["采购总金额"] == (1, 2)
    assert [c.text for c in proactive.rows[-1]] == ["政府集中采购", "5", "109994元"]
    assert [c.colspan for c in proactive.rows[-1]] == [1, 1, 2]
    eighth = next(r for r in proactive.rows if r[0].text == "行政事业性收费")
    assert [c.colspan for c in eighth] == [1, 1, 2]
    assert applications.columns == 10 and applications.header_rows == 3
    spans = _spans(applications)
    assert spans[applications.rows[0][0].text] == (3, 3)
    assert spans["三、本年度办理结果"] == (20, 1)
    assert spans["（三）不予公开"] == (8, 1)
    assert spans["（四）无法提供"] == (3, 1)
    assert spans["（五）不予处理"] == (5, 1)
    assert spans["（六）其他处理"] == (1, 2)
    assert spans["（七）总计"] == (1, 2)
    assert spans["一、本年新收政府信息公开申请数量"] == (1, 3)
    assert len(applications.rows) == 3 + 23
    spans = _spans(reviews)
    assert spans["行政复议"] == (1, 5) and spans["行政诉讼"] == (1, 10)
    assert spans["未经复议直接起诉"] == (1, 5) and spans["复议后起诉"] == (1, 5)
    assert [r[0].rowspan for r in reviews.rows[:1]] == [1]
    assert sum(1 for c in reviews.rows[1] if c.text == "结果维持" and c.rowspan == 2) == 1


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_every_2019_table_merges_in_file(rendered, fmt: str) -> None:
    doc, out = rendered
    read = docx_tables if fmt == "docx" else html_tables
    tables = read(out[fmt])
    assert len(tables) == 3
    for table, got in zip(doc.tables(), tables, strict=True):
        assert got == model_rows(table), table.key


def test_markdown_and_traditional(tmp_path: Path) -> None:
    checked = check_text(tmp_path, dump(facts_2019()))
    md = rendering.writer("md")(rendering.document(checked.facts, VARIANTS["simplified"]),
                                rendering.Options()).decode("utf-8")
    assert "| 政府集中采购 | 5 | 109994元 |" in md
    assert "| 行政许可 | 40 | -3 | 120 |" in md
    assert "| 规章 | / | / | / |" in md
    for name in ("traditional", "zh-TW", "zh-HK"):
        doc = rendering.document(checked.facts, VARIANTS[name])
        cells = {c.text for t in doc.tables() for row in t.rows for c in row}
        assert {"規範性文件", "其他對外管理服務事項", "政府集中採購", "本年增/減",
                "109994元", "（六）其他處理"} <= cells
        html = rendering.writer("html")(doc, rendering.Options()).decode("utf-8")
        assert "政府集中採購" in html and "政府集中采购" not in html


def test_na_amount_prints_slash_without_unit(tmp_path: Path) -> None:
    checked = check_text(tmp_path, dump(_with_row("proactive", "procurement", "na")))
    doc = build_document(checked.facts)
    assert [c.text for c in doc.tables()[0].rows[-1]] == ["政府集中采购", "/", "/"]


def test_empty_section_is_left_empty(tmp_path: Path) -> None:
    """gxgen never writes 无。 for the author (issue 9): an empty optional section is its
    heading alone."""
    checked = check_text(tmp_path, dump(facts_2019(other_matters=None)))
    doc = build_document(checked.facts)
    texts = [getattr(b, "text", None) for b in doc.blocks]
    assert texts[-1] == "六、其他需要报告的事项"
    assert "无。" not in texts


def test_writers_and_builder_know_no_edition() -> None:
    """2019 differs only in data: no edition id or 2019 label in the writers or the builder."""
    labels = set()
    data = yaml.safe_load((SRC / "editions" / "2019.yaml").read_text("utf-8"))

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("label", "caption") and isinstance(value, str):
                    labels.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data["tables"])
    assert "其他对外管理服务事项" in labels
    sources = [SRC / "model.py", *sorted((SRC / "writers").glob("*.py"))]
    for path in sources:
        strings = _code_strings(path.read_text("utf-8"))
        assert not [s for s in strings if re.search(r"\b20(19|21)\b", s)], path
        assert not [label for label in labels if any(label in s for s in strings)], path


def _code_strings(source: str) -> list[str]:
    """String literals of a module that the code uses; docstrings and attribute docstrings
    (bare string statements) are left out: they may quote a label as an example."""
    tree = ast.parse(source)
    docs = {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]
