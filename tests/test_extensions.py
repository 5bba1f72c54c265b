"""Extension tables: the built-in Zhejiang tables, their rules and placement, a provincial
office's own definition file (from the facts file or ``--extension``), and the errors a wrong
definition gives — each naming the definition file and the line of the mistake."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from clirun import gxgen
from conftest import dump, facts_2021, where, write
from hypothesis import given, settings
from hypothesis import strategies as st
from test_edition_2019 import facts_2019

from gxgen import editions, extensions
from gxgen.check import check_file
from gxgen.model import build_document

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ROOT / "src" / "gxgen" / "editions"

CHANNELS = {
    "published": 174, "gazette": 0, "website": 168, "weibo": 0, "wechat": 233,
    "other_channels": 0, "hot_topics": 2, "press_conferences": 3,
    "press_conferences_leaders": 1, "interviews": 2, "interviews_leaders": 2,
    "interpretations": 4, "social_responses": 0, "other_responses": 1,
}
ORGANIZATION = {
    "offices": 1, "reading_points": 1, "staff": 3, "full_time": 1, "part_time": 2,
    "funds": 1.5, "meetings": 2, "trainings": 1, "trainees": 30,
}


def zhejiang(base: dict[str, Any] | None = None, **tables: Any) -> dict[str, Any]:
    """Balanced facts using the Zhejiang tables (2019 edition unless ``base`` is given)."""
    data = dict(base or facts_2019())
    data["extensions"] = ["zhejiang"]
    data["channels"] = dict(CHANNELS)
    data["organization"] = dict(ORGANIZATION)
    for key, value in tables.items():
        data[key].update(value)
    return data


def check(tmp_path: Path, content: str | dict[str, Any], name: str = "facts.yaml",
          extra: tuple[str, ...] = ()):
    return check_file(write(tmp_path / name, content), find_previous=False, extra=extra)


def located(checked) -> list[tuple[str, str, str, int | None, int | None]]:
    return [(f.rule, f.severity, f.file, f.line, f.col) for f in checked.findings]


# --- the built-in Zhejiang tables -------------------------------------------------------------


@pytest.mark.parametrize("edition_id", ["2019", "2021"])
def test_zhejiang_placement(edition_id: str) -> None:
    base = editions.load(edition_id)
    ed, findings = extensions.extend(base, [extensions.Ref("zhejiang", Path("."))])
    assert findings == []
    assert ed.extensions == ("zhejiang",)
    assert [(n + s.title, s.tables) for n, s in ed.numbered()] == [
        ("一、总体情况", ()),
        ("二、主动公开政府信息情况", ("channels", "proactive")),
        ("三、收到和处理政府信息公开申请情况", ("applications",)),
        ("四、政府信息公开行政复议、行政诉讼情况", ("reviews",)),
        ("五、机构建设及组织保障情况", ("organization",)),
        ("六、存在的主要问题及改进情况", ()),
        ("七、其他需要报告的事项", ()),
    ]
    assert ed.tables["channels"].title == "1.不同渠道方式主动公开及回应解读总体情况"
    assert ed.tables["proactive"].title == "2.主动公开政府信息具体情况"
    assert base.tables["proactive"].title is None
    assert len(base.sections) == 6 and "channels" not in base.tables


def test_zhejiang_rows_and_units() -> None:
    ed, _ = extensions.extend(editions.load("2019"), [extensions.Ref("zhejiang", Path("."))])
    org = ed.tables["organization"]
    assert [(r.label, r.unit) for r in org.shape.rows][:7] == [
        ("（一）机构建设、保障经费情况", "——"),
        ("1.政府信息公开工作专门机构数", "个"),
        ("2.设置政府信息公开查阅点数", "个"),
        ("3.从事政府信息公开工作人员数", "人"),
        ("专职人员数（不包括政府公报及政府网站工作人员数）", "人"),
        ("兼职人员数", "人"),
        ("4.政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）",
         "万元"),
    ]
    assert org.cell("organization.funds").value == "wan_yuan"
    assert org.cell("organization.staff").value == "count"
    channels = ed.tables["channels"]
    assert channels.shape.columns == ("统　计　指　标", "单位", "统计数")
    units = {r.unit for r in channels.shape.rows}
    assert units == {"条", "次", "篇", "——"}
    assert len(channels.cells) == 14 and len(org.cells) == 9


def test_balanced_zhejiang_file_has_no_finding(tmp_path: Path) -> None:
    for base in (facts_2019(), facts_2021()):
        checked = check(tmp_path, zhejiang(base))
        assert checked.findings == [], [f.format() for f in checked.findings]


def test_zj_part_其中_not_above_its_parent(tmp_path: Path) -> None:
    text = dump(zhejiang(channels={"interviews_leaders": 3}))
    line, col = where(text, "interviews_leaders: 3")
    checked = check(tmp_path, text)
    assert located(checked) == [("ZJ-PART", "error", str(tmp_path / "facts.yaml"), line,
                                 col + len("interviews_leaders: "))]
    assert checked.findings[0].message() == (
        "二、不同渠道方式主动公开及回应解读总体情况 其中：主要负责同志参加政府网站在线访谈次数："
        "其中：主要负责同志参加政府网站在线访谈次数(3) 不应大于 2.政府网站在线访谈次数(2)")
    text = dump(zhejiang(channels={"press_conferences": 0}))
    checked = check(tmp_path, text)
    line, col = where(text, "press_conferences_leaders: 1")
    assert [(f.rule, f.line, f.col) for f in checked.findings] == [
        ("ZJ-PART", line, col + len("press_conferences_leaders: "))]


def test_zj_staff_full_plus_part_equals_staff(tmp_path: Path) -> None:
    text = dump(zhejiang(organization={"staff": 4}))
    line, col = where(text, "staff: 4")
    checked = check(tmp_path, text)
    assert [(f.rule, f.severity, f.line, f.col) for f in checked.findings] == [
        ("ZJ-STAFF", "error", line, col + len("staff: "))]
    message = checked.findings[0].message()
    assert message.startswith("五、机构建设及组织保障情况 3.从事政府信息公开工作人员数：")
    assert "专职人员数（不包括政府公报及政府网站工作人员数）、兼职人员数之和(3)" in message


def test_channels_need_not_sum_to_published(tmp_path: Path) -> None:
    checked = check(tmp_path, zhejiang(channels={"published": 1000, "website": 0}))
    assert checked.findings == []


def test_extension_values_are_checked(tmp_path: Path) -> None:
    text = dump(zhejiang(organization={"funds": 0.12345}))
    checked = check(tmp_path, text)
    assert [(f.rule, f.code) for f in checked.findings] == [("schema", "too_precise")]
    assert "4.政府信息公开专项经费" in checked.findings[0].message()
    text = dump(zhejiang(channels={"weibo": -1}))
    line, col = where(text, "weibo: -1")
    checked = check(tmp_path, text)
    assert [(f.rule, f.line, f.col) for f in checked.findings] == [
        ("ZJ-NONNEG", line, col + len("weibo: "))]
    data = zhejiang()
    del data["organization"]
    checked = check(tmp_path, data)
    assert [(f.rule, f.code, f.params["key"]) for f in checked.findings] == [
        ("schema", "missing_key", "organization")]


def test_zhejiang_renders_in_place(tmp_path: Path) -> None:
    checked = check(tmp_path, zhejiang(organization={"funds": 0.0}))
    doc = build_document(checked.facts)
    headings = [b.text for b in doc.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert headings[4] == "五、机构建设及组织保障情况"
    assert headings[6] == "七、其他需要报告的事项"
    tables = doc.tables()
    assert [t.key for t in tables] == ["channels", "proactive", "applications", "reviews",
                                       "organization"]
    assert [t.title for t in tables[:2]] == ["1.不同渠道方式主动公开及回应解读总体情况",
                                            "2.主动公开政府信息具体情况"]
    rows = {r[0].text: [c.text for c in r[1:]] for r in tables[4].rows}
    assert rows["（一）机构建设、保障经费情况"] == ["——", ""]
    assert rows["3.从事政府信息公开工作人员数"] == ["人", "3"]
    assert rows[next(k for k in rows if k.startswith("4."))] == ["万元", "0.0"]
    indents = {r[0].text: r[0].indent for r in tables[0].rows[1:]}
    assert indents["其中：主要负责同志参加新闻发布会次数"] == 2
    assert indents["1.参加或举办新闻发布会总次数"] == 1


def test_same_extended_edition_for_every_file(tmp_path: Path) -> None:
    one = check(tmp_path, zhejiang(), "a.yaml")
    two = check(tmp_path, zhejiang(), "b.yaml")
    assert one.facts.edition is two.facts.edition


# --- a provincial office's own table ----------------------------------------------------------


OWN = """\
extension: my_province
name: 某省补充统计表
editions: ["2019", "2021"]
tables:
  hotline:
    kind: indicators
    code: MP
    label: 政务热线办理情况
    columns: [统计指标, 单位, 统计数]
    rows:
      - {key: calls, label: 1.受理来电数, unit: 件}
      - {key: disclosure_calls, label: 其中：涉及政府信息公开的来电数, unit: 件, indent: 1}
    checks:
      - {id: MP-PART, op: le, left: disclosure_calls, right: [calls]}
sections:
  - key: hotline
    title: 政务热线办理情况
    after: reviews
    tables: [hotline]
"""


def own_facts(base: dict[str, Any] | None = None, ref: str = "./ext/hotline.yaml",
              **values: int) -> dict[str, Any]:
    data = dict(base or facts_2019())
    data["extensions"] = [ref]
    data["hotline"] = {"calls": 12, "disclosure_calls": 3, **values}
    return data


def test_own_definition_relative_to_the_facts_file(tmp_path: Path) -> None:
    write(tmp_path / "reports" / "ext" / "hotline.yaml", OWN)
    checked = check(tmp_path, own_facts(), "reports/2020.yaml")
    assert checked.findings == []
    numbered = [(n, s.key) for n, s in checked.facts.edition.numbered()]
    assert numbered[4] == ("五、", "hotline") and numbered[5] == ("六、", "problems")
    text = dump(own_facts(disclosure_calls=13))
    checked = check(tmp_path, text, "reports/2020.yaml")
    line, col = where(text, "disclosure_calls: 13")
    assert [(f.rule, f.line, f.col) for f in checked.findings] == [
        ("MP-PART", line, col + len("disclosure_calls: "))]
    doc = build_document(check(tmp_path, own_facts(), "reports/2020.yaml").facts)
    assert [t.key for t in doc.tables()] == ["proactive", "applications", "reviews", "hotline"]


def test_zhejiang_and_own_together(tmp_path: Path) -> None:
    write(tmp_path / "ext" / "hotline.yaml", OWN)
    data = zhejiang(own_facts())
    data["extensions"] = ["zhejiang", "./ext/hotline.yaml"]
    checked = check(tmp_path, data)
    assert checked.findings == []
    keys = [s.key for s in checked.facts.edition.sections]
    # each new section goes right after the one it names: the later one comes first
    assert keys == ["overview", "proactive", "applications", "reviews", "hotline",
                    "organization", "problems", "other_matters"]
    assert checked.facts.edition.extensions == ("zhejiang", "./ext/hotline.yaml")


def test_extension_on_the_command_line(tmp_path: Path) -> None:
    write(tmp_path / "hotline.yaml", OWN)
    data = own_facts()
    del data["extensions"]
    facts = write(tmp_path / "out" / "r.yaml", dump(data))
    result = gxgen("validate", str(facts))
    assert result.exit_code == 1  # hotline: unknown key without the extension
    result = gxgen("validate", str(facts), "--extension", str(tmp_path / "hotline.yaml"))
    assert result.exit_code == 0, result.output
    result = gxgen("render", str(facts), "--format", "md", "--extension",
                   str(tmp_path / "hotline.yaml"))
    assert result.exit_code == 0, result.output
    md = (tmp_path / "out" / "r.md").read_text("utf-8")
    assert "## 五、政务热线办理情况" in md and "| 1.受理来电数 | 件 | 12 |" in md
    result = gxgen("validate", str(facts), "--extension", "no_such_thing", "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 1
    assert [(f["rule"], f["file"], f["code"]) for f in report["findings"]] == [
        ("extension", "--extension", "ext_unknown")]


def test_file_changed_on_disk_is_read_again(tmp_path: Path) -> None:
    ext = write(tmp_path / "ext" / "hotline.yaml", OWN)
    first = check(tmp_path, own_facts())
    assert first.ok
    write(ext, OWN.replace("1.受理来电数", "1.受理来电总数"))
    second = check(tmp_path, own_facts())
    assert second.ok
    assert second.facts.edition.tables["hotline"].shape.rows[0].label == "1.受理来电总数"


# --- mistakes in a definition: one clear error at its line ------------------------------------


def _broken(tmp_path: Path, text: str, base: dict[str, Any] | None = None):
    ext = write(tmp_path / "ext" / "hotline.yaml", text)
    return ext, check(tmp_path, own_facts(base))


@pytest.mark.parametrize(("old", "new", "marker", "message"), [
    ("indent: 1}", "indnet: 1}", "indnet",
     "扩展表定义 tables.hotline.rows.第2项：未知的键 indnet（是否应为 indent？）"),
    ("right: [calls]", "right: [cals]", "cals",
     "扩展表定义 tables.hotline.checks.第1项.right.第1项：没有单元格 cals（是否应为 calls？）"),
    ("after: reviews", "after: review", "review\n",
     "扩展表定义 sections.第1项.after：没有名为 review 的节（是否应为 reviews？）"),
    ("kind: indicators", "kind: indicator", "indicator\n",
     "扩展表定义 tables.hotline.kind："
     "应为以下之一：blocks、matrix、indicators，实际为 “indicator”"),
    ("{key: disclosure_calls", "{key: calls", "calls, label: 其中",
     "扩展表定义 tables.hotline.rows.第2项.key：行键 calls 重复（第 11 行已用过）"),
    ("columns: [统计指标, 单位, 统计数]", "columns: [统计指标, 统计数]", "[统计指标, 统计数]",
     "扩展表定义 tables.hotline.columns：应恰好有 3 项，实际 2 项"),
    ("    tables: [hotline]\n", "    tables: [hot_line]\n", "hot_line",
     "扩展表定义 sections.第1项.tables.第1项："
     "表格 hot_line 未在 tables 中定义（是否应为 hotline？）"),
    ("code: MP", "code: mp", "mp\n",
     "扩展表定义 tables.hotline.code：应为大写字母的规则编号（如 ZJ-PART），实际为 “mp”"),
    ("op: le", "op: lt", "lt,",
     "扩展表定义 tables.hotline.checks.第1项.op：应为以下之一：sum、le、nonneg，实际为 “lt”"),
    ("label: 政务热线办理情况\n    columns", "label: 政务热线办理情况\n    blocks: []\n    columns",
     "blocks", "扩展表定义 tables.hotline.blocks：kind: indicators 的表格不用此键"),
    ("    title: 政务热线办理情况\n", "", "- key: hotline",
     "扩展表定义 sections.第1项：hotline 不是已有的节（已有：overview、proactive、applications、"
     "reviews、problems、other_matters）；新设一节须写 title"),
    ("extension: my_province\n", "extension: my_province\nextension: again\n", "extension: again",
     "键 extension 重复：第 1 行和第 2 行都写了它，请只保留一个"),
])
def test_definition_mistake_names_file_and_line(tmp_path: Path, old: str, new: str,
                                                marker: str, message: str) -> None:
    assert old in OWN
    text = OWN.replace(old, new, 1)
    ext, checked = _broken(tmp_path, text)
    assert checked.facts is None
    assert [f.message() for f in checked.findings] == [message]
    finding = checked.findings[0]
    line, col = where(text, marker)
    assert (finding.file, finding.line, finding.severity) == (str(ext), line, "error")
    assert finding.rule in ("extension", "yaml")
    assert finding.format().startswith(f"{ext}:{line}:")
    assert finding.message("en") != message


def test_table_key_taken_by_the_edition(tmp_path: Path) -> None:
    text = OWN.replace("  hotline:\n    kind", "  proactive:\n    kind").replace(
        "tables: [hotline]", "tables: [proactive]")
    ext, checked = _broken(tmp_path, text)
    line, col = where(text, "proactive:")
    assert [(f.file, f.line, f.col, f.message()) for f in checked.findings] == [
        (str(ext), line, col,
         "扩展表定义 tables.proactive：表格键 proactive 与已有的表格重名，请换一个键")]
    text = OWN.replace("  hotline:\n    kind", "  agency:\n    kind").replace(
        "tables: [hotline]", "tables: [agency]")
    _, checked = _broken(tmp_path, text)
    assert [f.message() for f in checked.findings] == [
        "扩展表定义 tables.agency："
        "表格键 agency 与事实文件的字段 agency（机关全称）重名，请换一个键"]


def test_matrix_total_without_rule(tmp_path: Path) -> None:
    text = OWN.replace("""    kind: indicators
    code: MP
    label: 政务热线办理情况
    columns: [统计指标, 单位, 统计数]
    rows:
      - {key: calls, label: 1.受理来电数, unit: 件}
      - {key: disclosure_calls, label: 其中：涉及政府信息公开的来电数, unit: 件, indent: 1}
""", """    kind: matrix
    label: 政务热线办理情况
    columns:
      - {key: phone, label: 电话}
      - {key: total, label: 合计, total: true}
    rows:
      - {key: calls, label: 1.受理来电数}
      - {key: disclosure_calls, label: 其中：涉及政府信息公开的来电数}
""").replace("disclosure_calls, right: [calls]", "disclosure_calls.phone, right: [calls.phone]")
    ext, checked = _broken(tmp_path, text)
    line, col = where(text, "total: true")
    col += len("total: ")
    assert [(f.file, f.line, f.col, f.message()) for f in checked.findings] == [
        (str(ext), line, col, "扩展表定义 tables.hotline.columns.第2项.total："
                              "total: true 须在上级节点写 total_rule（规则编号）")]
    fixed = text.replace("total: true", "total: MP-SUM")
    write(ext, fixed)
    checked = check(tmp_path, own_facts(calls=[5], disclosure_calls=[2]))
    assert checked.findings == []
    assert checked.facts.values["hotline.calls.total"] == 5


def test_widths_must_fit_the_grid(tmp_path: Path) -> None:
    text = OWN.replace("    columns: [统计指标", "    widths: [3, 1]\n    columns: [统计指标")
    _, checked = _broken(tmp_path, text)
    assert [f.message() for f in checked.findings] == [
        "扩展表定义 tables.hotline.widths：应有 3 个数（表格共 3 列），实际 2 个"]


def test_unplaced_table(tmp_path: Path) -> None:
    text = OWN + """  - key: proactive
    tables: [hotline]
"""
    ext, checked = _broken(tmp_path, text)
    line, _ = where(text, "[hotline]", 2)
    assert [(f.line, f.message()) for f in checked.findings] == [
        (line, "扩展表定义 sections.第2项.tables.第1项：表格 hotline 已放在 sections 第1项，"
               "每张表只能放一处")]
    text = OWN.replace("  - key: hotline\n    title: 政务热线办理情况\n    after: reviews\n"
                       "    tables: [hotline]\n", "  - key: proactive\n    tables: [spare]\n")
    text = text.replace("tables:\n  hotline:", "tables:\n  spare:\n    kind: indicators\n"
                        "    label: 备用\n    columns: [a, b, c]\n    rows: [{key: x, label: x}]\n"
                        "  hotline:")
    ext, checked = _broken(tmp_path, text)
    line, col = where(text, "  hotline:")
    assert [(f.line, f.col, f.message()) for f in checked.findings] == [
        (line, col + 2, "扩展表定义 tables.hotline：表格 hotline 没有放进任何一节"
                        "（在 sections 中写明放在哪里）")]


def test_edition_not_covered_by_the_definition(tmp_path: Path) -> None:
    write(tmp_path / "ext" / "hotline.yaml", OWN.replace('["2019", "2021"]', '["2021"]'))
    text = dump(own_facts())
    checked = check(tmp_path, text)
    line, col = where(text, "./ext/hotline.yaml")
    assert [(f.rule, f.file, f.line) for f in checked.findings] == [
        ("extension", str(tmp_path / "facts.yaml"), line)]
    assert checked.findings[0].message() == (
        f"扩展表“./ext/hotline.yaml”（{tmp_path / 'ext' / 'hotline.yaml'}）只适用于 2021 格式，"
        "此文件使用 2019 格式")


def test_unknown_name_and_missing_file(tmp_path: Path) -> None:
    data = own_facts()
    data["extensions"] = ["zhejang", "./nowhere.yaml"]
    text = dump(data)
    checked = check(tmp_path, text)
    assert [(f.code, f.line) for f in checked.findings] == [
        ("ext_unknown", where(text, "zhejang")[0]), ("ext_not_found", where(text, "./nowhere")[0])]
    assert checked.findings[0].message().startswith(
        "没有名为“zhejang”的内置扩展表（内置：zhejiang）")
    assert checked.findings[1].message() == f"扩展表定义文件 {tmp_path / 'nowhere.yaml'} 不存在"


def test_extensions_must_be_a_list_of_texts(tmp_path: Path) -> None:
    data = zhejiang()
    data["extensions"] = "zhejiang"
    checked = check(tmp_path, data)
    assert [f.rule for f in checked.findings][:1] == ["schema"]
    assert any("扩展表" in f.message() for f in checked.findings)


# --- the definition format is the built-in one ------------------------------------------------


def test_definition_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(extensions.definition_schema())


@pytest.mark.parametrize("edition_id", ["2019", "2021"])
def test_builtin_edition_tables_are_valid_definitions(edition_id: str) -> None:
    """Every built-in table, copied as it is into a definition file, passes every check."""
    data = yaml.safe_load((EDITIONS / f"{edition_id}.yaml").read_text("utf-8"))
    data = json.loads(json.dumps(data))  # the &outcomes alias expanded: definitions refuse them
    definition = {
        "extension": "copy",
        "tables": data["tables"],
        "sections": [{"key": "copy", "title": "副本", "after": "reviews",
                      "tables": list(data["tables"])}],
    }
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    ext, findings = extensions.parse(text.encode("utf-8"), "copy.yaml")
    assert findings == []
    built = dict(ext.tables)
    original = editions.load(edition_id)
    for key, spec in original.tables.items():
        assert built[key].cells == spec.cells


def test_builtin_extensions_are_valid() -> None:
    assert extensions.builtin_names() == ["zhejiang"]
    for name in extensions.builtin_names():
        raw = (EDITIONS / "extensions" / f"{name}.yaml").read_bytes()
        ext, findings = extensions.parse(raw, name)
        assert findings == [] and ext.name == name


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(
    ["", "x", "hotline", "calls", "reviews", "indicators", "matrix", "blocks", "count", "ZJ",
     "le", "sum", "2019", "统计数"]))
_KEYS = st.sampled_from(["extension", "tables", "sections", "titles", "editions", "kind",
                         "label", "rows", "columns", "key", "unit", "checks", "left", "right",
                         "id", "op", "after", "title", "children", "total", "blocks", "fields",
                         "caption", "hotline", "x"])
_TREES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _TREES, max_size=6))
def test_any_definition_gives_findings_never_an_exception(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    ext, findings = extensions.parse(text.encode("utf-8"), "any.yaml")
    assert (ext is None) == bool(findings)
    for finding in findings:
        assert finding.message() and finding.message("en")
        assert finding.file == "any.yaml"
    if ext is not None:
        base = editions.load("2019")
        extended, problems = extensions.apply(base, ext, extensions.Ref("any.yaml", Path(".")))
        assert (extended is None) == bool(problems)


def test_own_definition_renders_in_traditional(tmp_path: Path) -> None:
    """A province's own labels are not in traditional.yaml: they go through OpenCC instead
    of failing, while the statutory labels keep their reviewed forms."""
    from gxgen import render as rendering
    from gxgen.variants import VARIANTS

    write(tmp_path / "reports" / "ext" / "hotline.yaml", OWN)
    checked = check(tmp_path, own_facts(), "reports/2020.yaml")
    doc = rendering.document(checked.facts, VARIANTS["traditional"])
    hotline = next(t for t in doc.tables() if t.key == "hotline")
    labels = [c.text for row in hotline.rows for c in row if c.role == "stub"]
    assert any("受理來電數" in t for t in labels) and not any("来电" in t for t in labels)
    assert any(h.text.endswith("收到和處理政府信息公開申請情況") for h in doc.blocks
               if hasattr(h, "level"))
