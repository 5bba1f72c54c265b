"""Facts: every statutory figure in one flat table, whatever form the author wrote it in.

A row as a list, as a mapping or left out reads the same; totals left out are computed,
totals typed are kept (the rules check them); every typed figure knows its line.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from conftest import COLUMNS, dump, facts_2021, where

from gxgen import loader
from gxgen.check import check_loaded
from gxgen.facts import Facts, Item, narrative_items, paragraphs, parse_date


def build(data: dict[str, Any]) -> tuple[Facts, str]:
    text = dump(data)
    result = check_loaded(loader.loads(text, "f.yaml"))
    assert result.facts is not None, [f.format() for f in result.findings]
    return result.facts, text


def test_every_cell_of_the_edition_has_a_value() -> None:
    facts, _ = build(facts_2021())
    assert set(facts.values) == set(facts.edition.cells)
    # 10 主动公开 figures (2×3 + 1 + 2 + 1), 25 × 7 申请 cells, 15 复议/诉讼, 3 信息处理费
    assert len(facts.values) == 10 + 175 + 15 + 3


def test_list_mapping_and_left_out_rows_read_the_same() -> None:
    listed, _ = build(facts_2021())
    data = facts_2021()
    apps = data["applications"]
    apps["new"] = dict(zip(COLUMNS, apps["new"], strict=True))
    apps["granted"] = {"natural": 5, "business": 1}
    apps["carried_in"] = {"natural": 1}
    apps["other"] = {"overdue_fee": [0, 0, 0, 0, 0, 0]}
    data["reviews"]["litigation_after_review"] = [0, 0, 0, 0]
    mapped, _ = build(data)
    assert mapped.values == listed.values
    assert mapped.value("applications.other.overdue_fee.natural") == 0
    assert "applications.other.overdue_fee.natural" in mapped.typed
    assert "applications.other.overdue_fee.natural" not in listed.typed


def test_totals_are_computed_when_left_out() -> None:
    facts, _ = build(facts_2021())
    v = facts.value
    assert v("applications.total.natural") == 10        # （七）总计 = Σ 21 result rows
    assert v("applications.new.total") == 14            # 总计 column = Σ 申请人
    assert v("applications.total.total") == 14
    assert v("applications.carried_out.total") == 1
    assert v("reviews.review.total") == 3
    assert v("reviews.litigation.total") == 1
    assert v("reviews.litigation_after_review.total") == 0
    assert not any(p.endswith(".total") for p in facts.typed)


def test_typed_totals_are_kept_even_when_wrong() -> None:
    data = facts_2021()
    data["applications"]["new"] = [10, 2, 0, 1, 0, 1, 99]
    data["reviews"]["review"]["total"] = 7
    facts, _ = build(data)
    assert facts.value("applications.new.total") == 99 == facts.typed["applications.new.total"]
    assert facts.value("reviews.review.total") == 7


def test_a_list_of_seven_gives_the_total_a_list_of_six_does_not() -> None:
    data = facts_2021()
    data["applications"]["granted"] = [5, 1, 0, 0, 0, 0, 6]
    facts, _ = build(data)
    assert facts.typed["applications.granted.total"] == 6
    assert "applications.new.total" not in facts.typed


def test_na_rows_and_cells() -> None:
    data = facts_2021()
    data["proactive"]["licensing"] = "na"
    facts, _ = build(data)
    for field in ("issued", "repealed", "in_force"):
        assert facts.value(f"proactive.regulations.{field}") == "na"
        assert facts.number(f"proactive.regulations.{field}") == 0
    assert facts.value("proactive.licensing") == "na"


def test_amounts_are_exact_decimals() -> None:
    facts, _ = build(facts_2021())
    assert facts.value("proactive.fees") == Decimal("0.25")
    assert isinstance(facts.value("proactive.fees"), Decimal)
    assert facts.value("other_matters.processing_fees.notice_amount") == 200


def test_marks_point_at_the_value_or_the_row_left_out() -> None:
    data = facts_2021()
    data["applications"]["granted"] = {"natural": 5, "business": 1}
    facts, text = build(data)
    # a list element
    line, col = where(text, "[2, 1, 0, 1")
    mark = facts.mark("applications.unavailable.not_held.legal_service")
    assert (mark.line, mark.col) == (line, col + 13)
    # a mapping value
    mark = facts.mark("applications.granted.business")
    line, col = where(text, "business: 1")
    assert (mark.line, mark.col) == (line, col + 10)
    # a column left out of a mapping row: the row
    mark = facts.mark("applications.granted.research")
    assert (mark.line, mark.col) == where(text, "granted:")
    # a row left out: its group, else its table
    mark = facts.mark("applications.withheld.state_secret.natural")
    assert (mark.line, mark.col) == where(text, "withheld:")
    mark = facts.mark("applications.other.other.natural")
    assert (mark.line, mark.col) == where(text, "applications:")


def test_agency_year_and_type() -> None:
    facts, _ = build(facts_2021(agency_type=None))
    assert (facts.agency, facts.year, facts.agency_type) == ("某区测试局", 2022, "department")
    assert facts.date == datetime.date(2023, 1, 20)


# --- values the schema cannot judge ------------------------------------------------------------


@pytest.mark.parametrize(("written", "ok"), [
    ("0.1234", True), ("0.12345", False), ("12.00000", True), ("0.00001", False), ("3", True),
])
def test_fees_take_four_decimal_places(written: str, ok: bool) -> None:
    text = dump(facts_2021()).replace("fees: 0.25", f"fees: {written}")
    found = check_loaded(loader.loads(text, "f.yaml")).findings
    if ok:
        assert found == []
        return
    [f] = found
    assert (f.rule, f.code, f.path) == ("schema", "too_precise", "proactive.fees")
    assert (f.line, f.col) == (where(text, f"fees: {written}")[0], 9)
    assert f.message("zh") == ("二、主动公开政府信息情况 "
                               "行政事业性收费·本年收费金额（单位：万元）："
                               f"{written} 超出 4 位小数（单位万元）")


def test_yuan_take_two_decimal_places() -> None:
    text = dump(facts_2021()).replace("notice_amount: 200", "notice_amount: 1.005")
    [f] = check_loaded(loader.loads(text, "f.yaml")).findings
    assert (f.code, f.path) == ("too_precise", "other_matters.processing_fees.notice_amount")
    assert "2 位小数（单位元）" in f.message("zh")


@pytest.mark.parametrize("written", ["2023-02-30", "2023-13-01", "2022-02-29", "2023-00-10"])
def test_dates_that_do_not_exist(written: str) -> None:
    text = dump(facts_2021(date=written))
    [f] = check_loaded(loader.loads(text, "f.yaml")).findings
    assert (f.rule, f.code, f.path) == ("schema", "bad_date", "date")
    assert (f.line, f.col) == (where(text, "date:")[0], 7)
    assert f.message("zh") == f"成文日期：不是有效日期：{written}"


def test_parse_date() -> None:
    assert parse_date("2024-2-29") == datetime.date(2024, 2, 29)
    assert parse_date(" 2023-01-18 ") == datetime.date(2023, 1, 18)
    assert parse_date("2023-02-29") is None
    assert parse_date("2023/01/18") is None
    assert parse_date(20230118) is None


# --- narrative ---------------------------------------------------------------------------------


def test_paragraphs_split_on_blank_lines_and_join_wrapped_lines() -> None:
    text = "第一段第一行\n第一段第二行\n\n  \nSecond para\nwraps here\n\n\n第三段"
    assert paragraphs(text) == ["第一段第一行第一段第二行", "Second para wraps here", "第三段"]
    assert paragraphs("   \n\n ") == []


def test_narrative_forms() -> None:
    assert narrative_items(None) == []
    assert narrative_items("") == []
    assert narrative_items("甲\n\n乙") == [Item(None, ("甲", "乙"))]
    assert narrative_items(["甲", "", "乙"]) == [Item(None, ("甲",)), Item(None, ("乙",))]
    assert narrative_items([{"heading": " 主动公开 ", "text": ["甲", "乙\n\n丙"]}]) == [
        Item("主动公开", ("甲", "乙", "丙"))]
    assert narrative_items([{"heading": "监督保障", "text": ""}]) == [Item("监督保障", ())]


def test_text_of_a_narrative_field() -> None:
    facts, _ = build(facts_2021())
    text = facts.text("overview")
    assert "主动公开" in text and "全年主动公开政府信息312条" in text
    assert facts.text("other_matters.text") == "本年度无其他需要报告的事项。"
    assert facts.text("preface") == ""
