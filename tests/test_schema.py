"""schema.json and schema validation: generated from the edition data, committed, Chinese.

The committed ``schema.json`` must be what the code generates (a stale file fails here), a
valid 2020-12 schema, and carry a Chinese title and description on every property. Schema
errors come back as findings naming the statutory cell, at the line and column of the value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from clirun import gxgen
from conftest import COLUMNS, dump, facts_2021, where

from gxgen import editions, loader, schema
from gxgen.check import check_loaded
from gxgen.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "schema.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


APPS = "三、收到和处理政府信息公开申请情况"
REVIEWS = "四、政府信息公开行政复议、行政诉讼情况"
LICENSING = "二、主动公开政府信息情况 行政许可·本年处理决定数量"


def findings(data: dict[str, Any] | str) -> list[Finding]:
    text = data if isinstance(data, str) else dump(data)
    try:
        return check_loaded(loader.loads(text, "f.yaml")).findings
    except loader.LoadError as exc:
        return [exc.finding]


def errors(data: dict[str, Any] | str) -> list[Finding]:
    return [f for f in findings(data) if f.severity == "error"]


# --- the committed file ---------------------------------------------------------------------------


def test_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema.dumps(), (
        "schema.json is stale: run `PYTHONPATH=src python -m gxgen schema > schema.json`")


def test_schema_is_a_valid_2020_12_schema() -> None:
    doc = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)


def _properties(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    """Every ``properties`` entry anywhere in the schema, with its JSON pointer (not inside
    an ``if``: that is the edition switch's condition, not a key an author writes)."""
    out = []
    if isinstance(node, dict):
        for key, sub in (node.get("properties") or {}).items():
            out.append((f"{path}/properties/{key}", sub))
        for key, sub in node.items():
            if key != "if":
                out += _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            out += _properties(sub, f"{path}/{i}")
    return out


def test_every_property_has_a_chinese_title_and_description() -> None:
    props = _properties(json.loads(COMMITTED.read_text(encoding="utf-8")))
    assert len(props) > 200
    bad = [p for p, sub in props
           if not CJK.search(sub.get("title", "")) or not CJK.search(sub.get("description", ""))]
    assert bad == []


def test_statutory_labels_reach_the_schema() -> None:
    doc = schema.build()
    apps = doc["$defs"]["edition-2021"]["properties"]["applications"]["properties"]
    assert apps["withheld"]["properties"]["security_stability"]["title"] == "3.危及“三安全一稳定”"
    assert apps["new"]["properties"]["legal_service"]["title"] == "法律服务机构"
    fees = doc["$defs"]["edition-2021"]["properties"]["proactive"]["properties"]["fees"]
    assert "万元" in fees["description"] and "na" in fees["description"]


def test_schema_command_prints_the_schema() -> None:
    result = gxgen("schema")
    assert result.exit_code == 0
    assert result.output == schema.dumps()


def test_schema_dump_is_deterministic() -> None:
    assert schema.dumps() == schema.dumps()
    assert schema.dumps().endswith("}\n")


# --- the schema applied to files -------------------------------------------------------


def test_balanced_file_passes_the_committed_schema_as_is() -> None:
    """What an editor (yaml-language-server) sees: the file validates against schema.json."""
    doc = json.loads(COMMITTED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(doc)
    data = loader.loads(dump(facts_2021())).data
    assert list(validator.iter_errors(data)) == []
    data["proactive"]["licencing"] = 1
    assert [e.validator for e in validator.iter_errors(data)] == ["additionalProperties"]


@pytest.mark.parametrize("edition", ["2021", 2021])
def test_edition_as_text_or_number(edition: object) -> None:
    assert findings(facts_2021(edition=edition)) == []


@pytest.mark.parametrize(("text", "shown"), [
    ('"2030"', "“2030”"), ("2021.0", "2021.0"), ("yes", "true"), ("[2021]", "列表"),
    ("", "空"),
])
def test_unknown_edition(text: str, shown: str) -> None:
    source = dump(facts_2021()).replace("edition: '2021'", f"edition: {text}")
    [f] = findings(source)
    assert (f.rule, f.code, f.line, f.col) == ("schema", "bad_edition", 1, 10 if text else 9)
    assert f.message("zh").endswith("实际为 " + shown)
    assert "Decimal" not in f.message("zh") and "'" not in f.message("zh")


def test_missing_edition() -> None:
    [f] = findings(facts_2021(edition=None))
    assert f.code == "bad_edition" and "未填写" in f.message("zh")


@pytest.mark.parametrize("form", [
    [10, 2, 0, 1, 0, 1],
    [10, 2, 0, 1, 0, 1, 14],
    {"natural": 10, "business": 2, "nonprofit": 1, "other": 1},
    {"natural": 10, "business": 2, "research": 0, "nonprofit": 1, "legal_service": 0,
     "other": 1, "total": 14},
])
def test_row_as_list_or_mapping(form: object) -> None:
    data = facts_2021()
    data["applications"]["new"] = form
    assert findings(data) == []


@pytest.mark.parametrize(("length", "n"), [(3, 3), (5, 5), (8, 8), (0, 0)])
def test_row_of_the_wrong_length(length: int, n: int) -> None:
    data = facts_2021()
    data["applications"]["granted"] = [0] * length
    text = dump(data)
    [f] = errors(text)
    assert f.code == "bad_row_length" and f.path == "applications.granted"
    assert (f.line, f.col) == (where(text, "granted: ")[0], 12)
    assert f.message("zh") == (
        "三、收到和处理政府信息公开申请情况 （一）予以公开："
        "应列 6 个数（自然人、商业企业、科研机构、"
        f"社会公益组织、法律服务机构、其他），或再加总计共 7 个，实际为 {n} 个")


def test_block_row_of_the_wrong_length() -> None:
    data = facts_2021()
    data["proactive"]["normative_documents"] = [1, 2]
    [f] = errors(data)
    assert f.code in ("bad_row_length", "bad_value") and f.path == "proactive.normative_documents"
    assert "行政规范性文件" in f.message("zh")


# --- unknown and missing keys ----------------------------------------------------------


@pytest.mark.parametrize(("path", "wrong", "right", "where_zh"), [
    ((), "agency_typ", "agency_type", "文件顶层"),
    (("proactive",), "licencing", "licensing", "二、主动公开政府信息情况"),
    (("proactive", "normative_documents"), "in_forse", "in_force",
     "二、主动公开政府信息情况 行政规范性文件"),
    (("applications",), "carried_ot", "carried_out", APPS),
    (("applications", "withheld"), "state_secrets", "state_secret", f"{APPS} （三）不予公开"),
    (("applications", "new"), "bussiness", "business", f"{APPS} 本年新收"),
    (("reviews",), "litigations", "litigation", REVIEWS),
    (("reviews", "review"), "uphold", "upheld", f"{REVIEWS} 行政复议"),
    (("other_matters", "processing_fees"), "notice", "notices", "信息处理费"),
])
def test_unknown_key_with_did_you_mean(path: tuple[str, ...], wrong: str, right: str,
                                      where_zh: str) -> None:
    data = facts_2021()
    node = data
    for part in path:
        node = node[part]
    if isinstance(node, list):
        node = data["applications"]["new"] = dict(zip(COLUMNS, node, strict=True))
    node[wrong] = 0
    text = dump(data)
    [f] = errors(text)
    assert f.code == "unknown_key" and f.params["suggestion"] == right
    assert f.path == ".".join((*path, wrong))
    assert (f.line, f.col) == where(text, wrong + ":")
    assert f.message("zh").startswith(where_zh + "：未知的键 ")
    assert f"是否应为 {right}？" in f.message("zh") and f"did you mean {right}?" in f.message("en")


def test_unknown_key_without_a_near_match_lists_the_keys() -> None:
    data = facts_2021()
    data["reviews"]["zzqqxx"] = 1
    [f] = errors(data)
    assert f.code == "unknown_key_list"
    assert "review, litigation, litigation_after_review" in f.message("zh")


@pytest.mark.parametrize(("key", "label"), [
    ("agency", "机关全称"), ("year", "报告年度"),
    ("applications", "收到和处理政府信息公开申请情况"),
    ("overview", "总体情况"), ("problems", "存在的主要问题及改进情况"),
])
def test_missing_required_key(key: str, label: str) -> None:
    [f] = errors(facts_2021(**{key: None}))
    assert f.code == "missing_key" and f"缺少必填项 {key}（{label}）" in f.message("zh")
    assert f.line == 1


def test_empty_table_section_means_none_this_year() -> None:
    data = facts_2021()
    data["applications"] = {}
    data["reviews"] = None
    assert errors(data) == []


# --- value types ---------------------------------------------------------------------------------

SECRET_BIZ = "三、收到和处理政府信息公开申请情况 1.属于国家秘密·商业企业"


@pytest.mark.parametrize(("written", "shown"), [
    ("true", "true"), ("yes", "true"), ("no", "false"), ("null", "空"), ("", "空"),
    ("1.5", "1.5"), ("2.0", "2.0"), ('"/"', "“/”"), ("/", "“/”"), ("—", "“—”"), ("--", "“--”"),
    ("十二", "“十二”"), ('"12"', "“12”"), ("010", "“010”"), ("1:30", "“1:30”"), ("0x1F", "“0x1F”"),
    ("[1]", "列表"), ("{a: 1}", "映射"),
])
def test_a_count_must_be_a_whole_number(written: str, shown: str) -> None:
    text = dump(facts_2021()).replace("licensing: 120", f"licensing: {written}")
    [f] = errors(text)
    assert (f.rule, f.code, f.path) == ("schema", "bad_value", "proactive.licensing")
    line, col = where(text, "licensing:")
    assert (f.line, f.col) == (line, col + 11 if written else col + 10)
    assert f.message("zh") == f"{LICENSING}：应为非负整数或 na，实际为 {shown}"
    shown_en = {"空": "empty", "列表": "a list", "映射": "a mapping"}.get(shown, shown)
    assert f.message("en") == f"{LICENSING}: expected a whole number ≥ 0 or na, got {shown_en}"


@pytest.mark.parametrize("written", ["true", "null", "1.5", '"/"', "—", "na", '""', "七"])
def test_a_table_cell_in_a_list(written: str) -> None:
    data = facts_2021()
    data["applications"]["withheld"]["state_secret"] = [0, 777, 0, 0, 0, 0]
    text = dump(data).replace("777", written)
    [f] = errors(text)
    assert (f.rule, f.code) == ("schema", "bad_value")
    assert f.path == "applications.withheld.state_secret.1"
    line, col = where(text, f"[0, {written}")
    assert (f.line, f.col) == (line, col + 4)
    assert f.message("zh").startswith(SECRET_BIZ + "：应为非负整数，实际为 ")


def test_blank_cells_are_errors_not_zeros() -> None:
    text = dump(facts_2021())
    listed = text.replace("granted: [5, 1,", "granted: [5, ,")
    [f] = errors(listed)
    assert (f.rule, f.code, f.line, f.col) == ("yaml", "syntax", where(listed, "[5, ,")[0],
                                               where(listed, "[5, ,")[1] + 4)
    assert "缺少值" in f.message("zh")
    mapped = text.replace("upheld: 1, corrected: 1", "upheld: , corrected: 1")
    [f] = errors(mapped)
    assert (f.code, f.path) == ("bad_value", "reviews.review.upheld")
    assert f.message("zh") == ("四、政府信息公开行政复议、行政诉讼情况 行政复议·结果维持："
                               "应为非负整数，实际为 空")


@pytest.mark.parametrize(("table", "row", "rule"), [
    ("proactive", "licensing", "T1-NONNEG"),
    ("proactive", "fees", "T1-NONNEG"),
    ("applications", "new", "T2-NONNEG"),
    ("reviews", "review", "T3-NONNEG"),
])
def test_negative_numbers_take_the_table_nonneg_rule(table: str, row: str, rule: str) -> None:
    data = facts_2021()
    value: Any = -3
    if row == "new":
        data[table][row] = [10, 2, 0, -3, 0, 1]
        value = data[table][row]
    elif row == "review":
        data[table][row]["pending"] = -3
    elif row == "fees":
        data[table][row] = -0.5
    else:
        data[table][row] = value
    text = dump(data)
    [f] = errors(text)
    assert f.rule == rule and f.code == "bad_value"
    marker = "-0.5" if row == "fees" else "-3"
    assert (f.line, f.col) == where(text, marker)
    assert "应为非负" in f.message("zh")


@pytest.mark.parametrize(("cell", "allowed"), [
    (("proactive", "regulations"), True),
    (("proactive", "normative_documents", "issued"), True),
    (("proactive", "licensing"), True),
    (("proactive", "fees"), True),
    (("applications", "new", 0), False),
    (("reviews", "review", "upheld"), False),
    (("other_matters", "processing_fees", "notices"), False),
])
def test_na_only_where_the_format_allows_a_slash(cell: tuple[Any, ...], allowed: bool) -> None:
    data = facts_2021()
    node: Any = data
    for part in cell[:-1]:
        node = node[part]
    node[cell[-1]] = "na"
    found = errors(data)
    if allowed:
        assert found == []
    else:
        [f] = found
        assert f.code == "bad_value" and "“na”" in f.message("zh")
        assert "或 na" not in f.message("zh")


def test_na_row_of_a_block_as_a_word_list_or_mapping() -> None:
    for form in ("na", ["na", "na", "na"], {"issued": "na", "repealed": 0, "in_force": "na"}):
        data = facts_2021()
        data["proactive"]["regulations"] = form
        assert errors(data) == []


def test_a_block_row_given_as_other_text() -> None:
    data = facts_2021()
    data["proactive"]["regulations"] = "none"
    [f] = errors(data)
    assert f.message("zh") == ("二、主动公开政府信息情况 规章：应为“键: 值”映射或列表，或 na，"
                               "实际为 “none”")


@pytest.mark.parametrize(("key", "written", "expected"), [
    ("year", '"2022"', "2008至2100之间的整数"),
    ("year", "2022.0", "2008至2100之间的整数"),
    ("year", "99999", "2008至2100之间的整数"),
    ("agency", "''", "非空文字"),
    ("agency", "123", "非空文字"),
    ("agency_type", "county", "以下之一：department、government、township"),
    ("date", "明年", "YYYY-MM-DD 格式的日期"),
    ("date", "20230120", "YYYY-MM-DD 格式的日期"),
    ("overview", "5", "文字或列表"),
])
def test_top_level_fields(key: str, written: str, expected: str) -> None:
    text = dump(facts_2021(**{key: "@@@"})).replace("'@@@'", written)
    [f] = errors(text)
    assert (f.code, f.path) == ("bad_value", key)
    assert (f.line, f.col) == (where(text, f"{key}:")[0], len(key) + 3)
    assert f"应为{expected}，实际为" in f.message("zh")


def test_where_names_statutory_cells() -> None:
    ed = editions.load("2021")
    assert schema.where(ed, ("applications", "unavailable", "not_held", 2)) == \
        "三、收到和处理政府信息公开申请情况 1.本机关不掌握相关政府信息·科研机构"
    assert schema.where(ed, ("reviews", "litigation", "total")) == \
        "四、政府信息公开行政复议、行政诉讼情况 未经复议直接起诉·总计"
    assert schema.where(ed, ("other_matters", "processing_fees")) == "信息处理费"
    assert schema.where(ed, ()) == "文件顶层"
    assert schema.where(ed, ("applications", "withheld")) == f"{APPS} （三）不予公开"
    assert schema.where(ed, ("reviews", "litigation_after_review")) == f"{REVIEWS} 复议后起诉"


@pytest.mark.parametrize(("written", "marker", "message"), [
    ("[{heading: 主动公开, txt: 甲}]", "txt", "总体情况 第1项：未知的键 txt（是否应为 text？）"),
    ("[{heading: 主动公开}]", "{heading", "总体情况 第1项：缺少必填项 text（正文）"),
    ("[{heading: 主动公开, text: [1]}]", "1]", "总体情况 第1项：应为文字，实际为 1"),
    ("[[1]]", "[1]", "总体情况 第1项：应为文字或“键: 值”映射，实际为 列表"),
    ("{a: 1}", "{a", "总体情况：应为文字或列表，实际为 映射"),
])
def test_narrative_errors_say_what_is_wrong_inside(written: str, marker: str,
                                                   message: str) -> None:
    """Not "matches none of the alternatives": the branch that fits the value is followed."""
    text = dump(facts_2021(overview="@@@")).replace("'@@@'", written)
    [f] = errors(text)
    assert (f.line, f.col) == where(text, marker)
    assert f.message("zh") == message
