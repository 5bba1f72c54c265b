"""The rules: every identity of statutory-format.md §6, cross-year ties, content and dates.

Each rule has a test that passes and one that fails on the right cell: the finding's rule id,
its facts path, its line and column, and a message naming the statutory cell with both
sides and the difference. Property tests: random balanced tables pass; any single-cell
change to one is caught at that row or column.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import COLUMNS, dump, facts_2021, where
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxgen import editions, loader, rules
from gxgen.check import check_loaded
from gxgen.facts import Facts
from gxgen.findings import Finding

APPS = "三、收到和处理政府信息公开申请情况"
REVIEWS = "四、政府信息公开行政复议、行政诉讼情况"


def load(data: dict[str, Any], name: str = "f.yaml") -> tuple[Facts, str]:
    text = dump(data)
    result = check_loaded(loader.loads(text, name))
    assert result.facts is not None and result.findings == [], \
        [f.format() for f in result.findings]
    return result.facts, text


def check(data: dict[str, Any], previous: dict[str, Any] | None = None
          ) -> tuple[list[Finding], str]:
    facts, text = load(data)
    prev = load(previous, "prev.yaml")[0] if previous is not None else None
    return rules.check(facts, prev), text


def only(found: list[Finding], rule: str) -> Finding:
    hits = [f for f in found if f.rule == rule]
    assert len(hits) == 1, [f.format() for f in found]
    return hits[0]


def at(f: Finding) -> tuple[int | None, int | None]:
    return f.line, f.col


def test_balanced_file_has_no_findings() -> None:
    assert check(facts_2021())[0] == []


# --- T2-BAL ---------------------------------------------------------------------------------


def test_t2_bal_fails_on_the_column() -> None:
    data = facts_2021()
    data["applications"]["carried_out"] = [1, 0, 0, 3, 0, 0]
    found, text = check(data)
    by_col = {f.path: f for f in found if f.rule == "T2-BAL"}
    assert set(by_col) == {"applications.new.nonprofit", "applications.new.total"}
    assert {f.rule for f in found} == {"T2-BAL"}
    f = by_col["applications.new.nonprofit"]
    assert f.severity == "error"
    line, col = where(text, "new: [10, 2, 0, 1")
    assert at(f) == (line, col + 16)
    assert f.message("zh") == (f"{APPS} 社会公益组织列：本年新收(1)+上年结转(0)=1 ≠ "
                               "办理结果总计(1)+结转下年度(3)=4，差 3")
    assert f.message("en") == (f"{APPS} 社会公益组织列: 本年新收(1)+上年结转(0)=1 ≠ "
                               "办理结果总计(1)+结转下年度(3)=4, difference 3")


def test_t2_bal_holds_per_column_not_only_in_total() -> None:
    data = facts_2021()
    data["applications"]["carried_out"] = [0, 1, 0, 0, 0, 0]   # total column still balances
    found, _ = check(data)
    assert sorted(f.path for f in found) == ["applications.new.business",
                                             "applications.new.natural"]


# --- T2-SUM ---------------------------------------------------------------------------------


def test_t2_sum_passes_when_typed_right() -> None:
    data = facts_2021()
    data["applications"]["total"] = [10, 2, 0, 1, 0, 1, 14]
    assert check(data)[0] == []


def test_t2_sum_fails_on_the_typed_total() -> None:
    data = facts_2021()
    data["applications"]["total"] = [10, 2, 0, 1, 0, 2]
    found, text = check(data)
    f = only(found, "T2-SUM")
    assert f.path == "applications.total.other"
    line, col = where(text, "total: [10, 2, 0, 1, 0, 2]")
    assert at(f) == (line, col + 24)
    assert f.message("zh") == (f"{APPS} 办理结果总计·其他：填写的 办理结果总计(2) ≠ "
                               "（一）予以公开至3.其他（共21项）之和(1)，差 1")
    # the same excess also breaks the 勾稽关系 of that column
    assert {g.path for g in found if g.rule == "T2-BAL"} == {"applications.new.other"}


# --- T2-ROWTOT ------------------------------------------------------------------------------


def test_t2_rowtot_passes_when_typed_right() -> None:
    data = facts_2021()
    data["applications"]["new"] = [10, 2, 0, 1, 0, 1, 14]
    data["applications"]["granted"] = {"natural": 5, "business": 1, "total": 6}
    assert check(data)[0] == []


@pytest.mark.parametrize("form", ["list", "mapping"])
def test_t2_rowtot_fails_on_the_typed_row_total(form: str) -> None:
    data = facts_2021()
    if form == "list":
        data["applications"]["partial"] = [1, 0, 0, 0, 0, 0, 3]
        marker, offset = "partial: [1, 0, 0, 0, 0, 0, 3]", 28
    else:
        data["applications"]["partial"] = {"natural": 1, "total": 3}
        marker, offset = "total: 3", 7
    found, text = check(data)
    f = only(found, "T2-ROWTOT")
    assert f.path == "applications.partial.total"
    line, col = where(text, marker)
    assert at(f) == (line, col + offset)
    assert f.message("zh") == (f"{APPS} （二）部分公开·总计：填写的 总计(3) ≠ "
                               "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他"
                               "之和(1)，差 2")


def test_grand_total_is_checked_both_ways() -> None:
    data = facts_2021()
    data["applications"]["total"] = {"total": 15}
    found, _ = check(data)
    rules_hit = sorted(f.rule for f in found if f.path == "applications.total.total")
    assert rules_hit == ["T2-ROWTOT", "T2-SUM"]


# --- T3-RV / T3-LD / T3-LR -----------------------------------------------------------------------


@pytest.mark.parametrize(("group", "rule", "name"), [
    ("review", "T3-RV", "行政复议"),
    ("litigation", "T3-LD", "未经复议直接起诉"),
    ("litigation_after_review", "T3-LR", "复议后起诉"),
])
def test_t3_totals(group: str, rule: str, name: str) -> None:
    data = facts_2021()
    row = data["reviews"][group]
    right = sum(row.values())
    data["reviews"][group] = [*row.values(), right]
    assert check(data)[0] == []

    data["reviews"][group] = {**row, "total": right + 4}
    found, text = check(data)
    f = only(found, rule)
    assert len(found) == 1 and f.severity == "error"
    assert f.path == f"reviews.{group}.total"
    line, col = where(text, f"total: {right + 4}")
    assert at(f) == (line, col + 7)
    assert f.message("zh") == (f"{REVIEWS} {name}·总计：填写的 总计({right + 4}) ≠ "
                               f"结果维持、结果纠正、其他结果、尚未审结之和({right})，差 4")


# --- non-negativity ------------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "rule"), [
    ("proactive", "T1-NONNEG"), ("applications", "T2-NONNEG"), ("reviews", "T3-NONNEG"),
])
def test_nonneg(table: str, rule: str) -> None:
    data = facts_2021()
    if table == "proactive":
        data["proactive"]["normative_documents"]["repealed"] = -1
    elif table == "applications":
        data["applications"]["withheld"]["third_party_rights"] = [1, 0, -1, 0, 0, 0]
    else:
        data["reviews"]["litigation"]["other"] = -1
    text = dump(data)
    result = check_loaded(loader.loads(text, "f.yaml"))
    f = only(result.findings, rule)
    assert at(f) == where(text, "-1") and f.severity == "error"
    assert "应为非负" in f.message("zh") and "实际为 -1" in f.message("zh")


# --- X-CARRY / X-STOCK ------------------------------------------------------------------


def last_year(**changes: Any) -> dict[str, Any]:
    """2021's facts, consistent with ``facts_2021()`` for 2022: 结转下年度 = this year's
    上年结转, 现行有效 8 + 2 − 1 = 9."""
    data = facts_2021(year=2021, date="2022-01-20", **changes)
    data["proactive"]["normative_documents"] = {"issued": 1, "repealed": 0, "in_force": 8}
    return data


def test_cross_year_passes_when_consistent() -> None:
    assert check(facts_2021(), last_year())[0] == []


def test_x_carry_fails_on_this_years_carried_in() -> None:
    prev = last_year()
    prev["applications"]["new"] = [11, 2, 0, 1, 0, 1]
    prev["applications"]["carried_out"] = [2, 0, 0, 0, 0, 0]
    found, text = check(facts_2021(), prev)
    f = only(found, "X-CARRY")
    assert f.severity == "error" and f.path == "applications.carried_in.natural"
    line, col = where(text, "carried_in: [1")
    assert at(f) == (line, col + 13)
    assert f.message("zh") == (f"{APPS} 上年结转·自然人：本年上年结转(1) ≠ prev.yaml 的"
                               "结转下年度(2)，差 -1")


def test_x_carry_when_carried_in_was_left_out() -> None:
    prev = last_year()
    data = facts_2021()
    del data["applications"]["carried_in"]
    data["applications"]["new"] = [11, 2, 0, 1, 0, 1]
    found, text = check(data, prev)
    f = only(found, "X-CARRY")
    assert at(f) == where(text, "applications:")


def test_x_stock_warns_on_this_years_stock() -> None:
    data = facts_2021()
    data["proactive"]["normative_documents"]["in_force"] = 11
    found, text = check(data, last_year())
    f = only(found, "X-STOCK")
    assert f.severity == "warning" and f.path == "proactive.normative_documents.in_force"
    line, col = where(text, "in_force: 11")
    assert at(f) == (line, col + 10)
    assert f.message("zh") == ("二、主动公开政府信息情况 行政规范性文件·现行有效件数："
                               "上年现行有效件数(8)"
                               "+本年制发件数(2)−本年废止件数(1)=9 ≠ 本年现行有效件数(11)，差 2")


def test_x_stock_skips_na_rows_and_checks_numbers() -> None:
    prev = last_year()
    prev["proactive"]["regulations"] = {"issued": 0, "repealed": 0, "in_force": 5}
    data = facts_2021()
    assert check(data, prev)[0] == []          # 规章 na this year: nothing to compare
    data["proactive"]["regulations"] = [1, 0, 5]
    f = only(check(data, prev)[0], "X-STOCK")
    assert f.path == "proactive.regulations.in_force"


# --- content ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["无", "无。", " 暂无。 ", "没有。", ["无"]])
def test_problems_just_none(text: Any) -> None:
    found, source = check(facts_2021(problems=text))
    f = only(found, "C-EMPTY")
    assert (f.severity, f.code, f.path) == ("warning", "narrative_empty", "problems")
    assert f.line == where(source, "problems:")[0]
    assert "五、存在的主要问题及改进情况" in f.message("zh")


@pytest.mark.parametrize("text", ["", "  \n\n", []])
def test_problems_empty(text: Any) -> None:
    found, _ = check(facts_2021(problems=text))
    assert only(found, "C-EMPTY").code == "narrative_missing"


def test_problems_saying_something_passes() -> None:
    assert check(facts_2021(problems="无重大问题，但解读形式较单一，将改进。"))[0] == []


def test_overview_heading_without_text() -> None:
    overview = facts_2021()["overview"]
    overview[2] = {"heading": "政府信息管理", "text": ""}
    found, text = check(facts_2021(overview=overview))
    f = only(found, "C-EMPTY")
    assert f.path == "overview.2" and "政府信息管理：尚未填写" in f.message("zh")
    assert at(f)[0] == where(text, "heading: 政府信息管理")[0]


@pytest.mark.parametrize("topic", ["主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设",
                                   "监督保障"])
def test_overview_missing_a_statutory_topic(topic: str) -> None:
    overview = [item for item in facts_2021()["overview"] if item["heading"] != topic]
    found, text = check(facts_2021(overview=overview))
    f = only(found, "C-TOPIC")
    assert f.severity == "warning" and f.params["topic"] == topic
    assert at(f) == where(text, "overview:")
    assert f"未涉及“{topic}”" in f.message("zh")


def test_fees_silent() -> None:
    data = facts_2021(other_matters={"text": "本年度无其他需要报告的事项。"})
    found, text = check(data)
    f = only(found, "C-FEES")
    assert (f.severity, f.path) == ("warning", "other_matters.text")
    assert at(f) == where(text, "本年度无其他需要报告的事项")
    assert check(facts_2021(other_matters={"text": "本年度未收取信息处理费。"}))[0] == []
    found, text = check(facts_2021(other_matters=None))
    assert at(only(found, "C-FEES")) == (1, 1)


# --- dates and edition ------------------------------------------------------------------------


@pytest.mark.parametrize(("agency_type", "date", "late"), [
    ("department", "2023-01-31", False),
    ("department", "2023-02-01", True),
    ("government", "2023-03-31", False),
    ("government", "2023-04-01", True),
    ("township", "2023-06-30", False),
])
def test_d_late(agency_type: str, date: str, late: bool) -> None:
    found, text = check(facts_2021(agency_type=agency_type, date=date))
    if not late:
        assert found == []
        return
    f = only(found, "D-LATE")
    assert f.severity == "warning" and at(f) == (where(text, "date:")[0], 7)
    deadline = "2023-01-31" if agency_type == "department" else "2023-03-31"
    assert f"成文日期 {date} 晚于法定公布期限 {deadline}" in f.message("zh")
    assert "第四十九条" in f.message("zh")


def test_d_date_before_the_year_ends() -> None:
    f = only(check(facts_2021(date="2022-12-31"))[0], "D-DATE")
    assert f.severity == "warning" and "2022-12-31" in f.message("zh")
    assert check(facts_2021(date="2023-01-01"))[0] == []


def test_e_year_on_the_wrong_edition() -> None:
    assert "2019" in editions.available()
    f = only(check(facts_2021(year=2020, date="2021-01-20"))[0], "E-YEAR")
    assert f.severity == "warning" and f.params["expected"] == "2019"


# --- properties ---------------------------------------------------------------------------------

EDITION = editions.load("2021")
TABLE = EDITION.tables["applications"]
ROWS = list(dict.fromkeys(c.row for c in TABLE.cells))
LEAVES = [r for r in ROWS if r not in {("new",), ("carried_in",), ("total",), ("carried_out",)}]
ALL_COLUMNS = (*COLUMNS, "total")
SLOW = settings(max_examples=75, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _put(apps: dict[str, Any], row: tuple[str, ...], value: Any) -> None:
    node = apps
    for part in row[:-1]:
        node = node.setdefault(part, {})
    node[row[-1]] = value


@st.composite
def balanced_tables(draw: st.DrawFn) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """A random balanced 申请 table in random forms, and the raw path of each typed cell."""
    counts = st.integers(0, 40)
    sparse = st.one_of(st.just((0,) * 6), st.lists(counts, min_size=6, max_size=6))
    values = {row: list(draw(sparse)) for row in LEAVES}
    sums = [sum(values[r][i] for r in LEAVES) for i in range(6)]
    out = draw(st.lists(st.integers(0, 20), min_size=6, max_size=6))
    into = [draw(st.integers(0, sums[i] + out[i])) for i in range(6)]
    values[("carried_out",)] = out
    values[("carried_in",)] = into
    values[("new",)] = [sums[i] + out[i] - into[i] for i in range(6)]
    if draw(st.booleans()):
        values[("total",)] = sums
    apps: dict[str, Any] = {}
    typed: list[tuple[Any, ...]] = []
    for row in ROWS:
        if row not in values:
            continue
        row_values = values[row]
        form = draw(st.sampled_from(["list", "list+total", "mapping", "mapping+total", "omit"]))
        if form == "omit" and any(row_values):
            form = "list"
        if form == "omit":
            continue
        full = [*row_values, sum(row_values)]
        if form.startswith("list"):
            cells = full if form.endswith("total") else list(row_values)
            _put(apps, row, cells)
            typed += [("applications", *row, i) for i in range(len(cells))]
        else:
            keep = [i for i in range(7) if (i < 6 and (row_values[i] or draw(st.booleans())))
                    or (i == 6 and form.endswith("total"))]
            _put(apps, row, {ALL_COLUMNS[i]: full[i] for i in keep})
            typed += [("applications", *row, ALL_COLUMNS[i]) for i in keep]
    return apps, typed


def _errors(data: dict[str, Any]) -> tuple[list[Finding], loader.Loaded]:
    loaded = loader.loads(dump(data), "f.yaml")
    result = check_loaded(loaded)
    found = list(result.findings)
    if result.facts is not None:
        found += rules.check(result.facts)
    return [f for f in found if f.severity == "error"], loaded


def _column(raw: tuple[Any, ...]) -> str:
    last = raw[-1]
    return ALL_COLUMNS[last] if isinstance(last, int) else last


def _points_at(f: Finding, raw: tuple[Any, ...], loaded: loader.Loaded) -> bool:
    """The finding is about the changed cell's row or column, or sits on its line."""
    row = ".".join(str(p) for p in raw[:-1])
    mark = loaded.marks.value(raw)
    if mark is not None and f.line == mark.line:
        return True
    if f.path is None:
        return False
    head, _, tail = f.path.rpartition(".")
    return head == row or tail == _column(raw)


@SLOW
@given(balanced_tables())
def test_random_balanced_tables_pass(table: tuple[dict[str, Any], list[Any]]) -> None:
    apps, _ = table
    found, _ = _errors(facts_2021(applications=apps))
    assert found == [], [f.format() for f in found]


@SLOW
@given(balanced_tables(), st.data())
def test_any_single_cell_change_is_caught(table: tuple[dict[str, Any], list[Any]],
                                          data: st.DataObject) -> None:
    apps, typed = table
    raw = data.draw(st.sampled_from(typed))
    delta = data.draw(st.integers(1, 5)) * data.draw(st.sampled_from([1, -1]))
    facts = facts_2021(applications=apps)
    node: Any = facts
    for part in raw[:-1]:
        node = node[part]
    node[raw[-1]] += delta
    found, loaded = _errors(facts)
    assert found, f"{raw} changed by {delta} went unnoticed"
    assert any(_points_at(f, raw, loaded) for f in found), [f.format() for f in found]


OUTCOMES = ("upheld", "corrected", "other", "pending", "total")


@st.composite
def review_tables(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group in ("review", "litigation", "litigation_after_review"):
        parts = draw(st.lists(st.integers(0, 50), min_size=4, max_size=4))
        row = [*parts, sum(parts)]
        out[group] = row if draw(st.booleans()) else dict(zip(OUTCOMES, row, strict=True))
    return out


@SLOW
@given(review_tables(), st.data())
def test_review_table_with_typed_totals(reviews: dict[str, Any], data: st.DataObject) -> None:
    assert _errors(facts_2021(reviews=reviews))[0] == []
    group = data.draw(st.sampled_from(sorted(reviews)))
    row = reviews[group]
    key = data.draw(st.sampled_from(range(5) if isinstance(row, list) else OUTCOMES))
    row[key] += data.draw(st.integers(1, 5)) * data.draw(st.sampled_from([1, -1]))
    found, loaded = _errors(facts_2021(reviews=reviews))
    assert found
    mark = loaded.marks.value(("reviews", group, key))
    assert any((f.path or "").startswith(f"reviews.{group}.") or f.line == mark.line
               for f in found), [f.format() for f in found]


def test_decimal_amounts_do_not_break_arithmetic() -> None:
    data = facts_2021()
    data["proactive"]["fees"] = Decimal("1234.5678")
    assert check(data)[0] == []
