"""``gxgen rollup``: the sum of two known agencies, by hand, and a file that passes every rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from clirun import gxgen
from conftest import facts_2021, write

from gxgen import loader
from gxgen.check import check_file, check_loaded
from gxgen.rollup import RollupError, add, rollup


def second_agency() -> dict[str, Any]:
    """Another balanced agency with different figures, 规章 stated and fees in 万元."""
    data = facts_2021(agency="某区政务服务办")
    data["proactive"] = {
        "regulations": {"issued": 1, "repealed": 0, "in_force": 4},
        "normative_documents": {"issued": 0, "repealed": 0, "in_force": 3},
        "licensing": 7, "penalty": "na", "coercion": 0, "fees": Decimal("1.2345"),
    }
    data["applications"] = {
        "new": [3, 1, 0, 0, 2, 0],
        "carried_in": [0, 1, 0, 0, 0, 0],
        "granted": [2, 1, 0, 0, 1, 0],
        "unavailable": {"not_held": [1, 0, 0, 0, 0, 0]},
        "other": {"overdue_fee": [0, 0, 0, 0, 1, 0]},
        "carried_out": [0, 1, 0, 0, 0, 0],
    }
    data["reviews"] = {"review": [0, 0, 1, 0], "litigation": [0, 0, 0, 2],
                       "litigation_after_review": [1, 0, 0, 0]}
    data["other_matters"] = {"text": "本年度未收取信息处理费。"}
    return data


@pytest.fixture
def two(tmp_path: Path) -> Path:
    root = tmp_path / "定海区"
    write(root / "区测试局" / "2022.yaml", facts_2021())
    write(root / "区政务服务办" / "2022.yaml", second_agency())
    return root


# the sums worked out by hand from facts_2021() and second_agency()
EXPECTED = {
    "proactive.regulations.issued": 1,          # na + 1
    "proactive.regulations.in_force": 4,        # na + 4
    "proactive.normative_documents.in_force": 12,   # 9 + 3
    "proactive.licensing": 127,                 # 120 + 7
    "proactive.penalty": 15,                    # 15 + na
    "proactive.fees": Decimal("1.4845"),        # 0.25 + 1.2345
    "applications.new.natural": 13,             # 10 + 3
    "applications.new.legal_service": 2,        # 0 + 2
    "applications.new.total": 20,               # 14 + 6
    "applications.carried_in.business": 1,      # 0 + 1
    "applications.granted.natural": 7,          # 5 + 2
    "applications.unavailable.not_held.natural": 3,     # 2 + 1
    "applications.other.overdue_fee.legal_service": 1,  # 0 + 1
    "applications.total.total": 20,             # 14 + 6
    "applications.carried_out.total": 2,        # 1 + 1
    "reviews.review.total": 4,                  # 3 + 1
    "reviews.litigation.pending": 2,            # 0 + 2
    "reviews.litigation_after_review.total": 1,
    "other_matters.processing_fees.collected": 200,     # 200 + (not stated) 0
}


def test_sum_of_two_agencies_equals_the_hand_computed_sum(two: Path) -> None:
    rolled = rollup([two], "定海区", 2022)
    for path, value in EXPECTED.items():
        assert rolled.values[path] == value, path
    assert {name for _, name in rolled.sources} == {"某区测试局", "某区政务服务办"}


def test_rollup_file_reads_back_to_the_sums_and_passes_all_rules(two: Path) -> None:
    rolled = rollup([two], "定海区", 2022)
    checked = check_loaded(loader.loads(rolled.text, "定海区.yaml"))
    assert checked.facts is not None
    assert checked.facts.values == rolled.values
    out = two / "定海区" / "2022.yaml"
    write(out, rolled.text)
    result = check_file(out)
    assert result.facts is not None, [f.format() for f in result.findings]
    errors = [f for f in result.findings if f.severity == "error"]
    assert errors and {f.rule for f in errors} == {"C-EMPTY"}, "the narrative is to write"
    assert not result.ok, "a roll-up renders only once its narrative is written (issue 9)"
    assert {f.rule for f in result.findings} <= {"C-EMPTY", "D-NODATE", "C-FEES"}
    assert "【待填写】" in rolled.text
    for file, _ in rolled.sources:
        assert f"#   {file}" in rolled.text


def test_rollup_renders(two: Path, tmp_path: Path) -> None:
    from gxgen import render
    from gxgen.variants import resolve

    rolled = rollup([two], "定海区", 2022)
    facts = check_loaded(loader.loads(rolled.text, "x.yaml")).facts
    plan = render.plan(facts, Path("2022.yaml"), ["md"], resolve(["simplified"]), tmp_path,
                       render.Options(), many=True)
    text = plan.outputs[0].data.decode("utf-8")
    assert "定海区2022年政府信息公开工作年度报告" in text and "127" in text


def test_cli_writes_inside_the_tree_and_does_not_count_itself(two: Path) -> None:
    out = two / "定海区" / "2022.yaml"
    args = [str(two), "--agency", "定海区", "--year", "2022", "-o", str(out)]
    first = gxgen("rollup", *args)
    assert first.exit_code == 0, first.output
    text = out.read_text("utf-8")
    again = gxgen("rollup", *args, "--update")
    assert again.exit_code == 0, again.output
    assert out.read_text("utf-8") == text
    assert "已汇总 2 个事实文件" in again.output


def test_refuses_mixed_years(two: Path) -> None:
    write(two / "旧" / "2021.yaml", facts_2021(year=2021, date="2022-01-20"))
    with pytest.raises(RollupError) as info:
        rollup([two], "定海区", 2022)
    assert "不能汇总不同年度的报告" in info.value.lines[0]
    assert any("2021.yaml：2021 年度" in line for line in info.value.lines)
    result = gxgen("rollup", str(two), "--agency", "定海区", "--year", "2022")
    assert result.exit_code == 1 and "不同年度" in result.output


def test_refuses_mixed_editions(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    old = next(p for p in sorted(examples.glob("*.yaml"))
               if loader.read(p).data.get("edition") == "2019")
    year = loader.read(old).data["year"]
    write(tmp_path / "a.yaml", old.read_bytes())
    write(tmp_path / "b.yaml", facts_2021(year=year, date=f"{year + 1}-01-20"))
    with pytest.raises(RollupError) as info:
        rollup([tmp_path], "某区", year)
    assert "不能汇总不同格式的报告" in info.value.lines[0]


def test_refuses_inputs_with_errors(two: Path) -> None:
    write(two / "坏" / "2022.yaml", "edition: '2021'\nagency: [\n")
    result = gxgen("rollup", str(two), "--agency", "定海区", "--year", "2022")
    assert result.exit_code == 2
    assert "有错误，未汇总" in result.output and "YAML 语法错误" in result.output


@pytest.mark.parametrize(("values", "total"), [
    (["na", "na"], "na"), (["na", 3], 3), ([2, 3], 5),
    ([Decimal("0.25"), 0, "na"], Decimal("0.25")),
])
def test_add(values: list[Any], total: Any) -> None:
    assert add(values) == total


def test_extension_tables_are_summed_and_declared(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    source = next(p for p in sorted(examples.glob("*.yaml"))
                  if loader.read(p).data.get("extensions"))
    data = loader.read(source).data
    write(tmp_path / "in" / "a.yaml", source.read_bytes())
    write(tmp_path / "in" / "b.yaml", source.read_bytes())
    rolled = rollup([tmp_path / "in"], "某区", data["year"], folder=tmp_path)
    out = write(tmp_path / "sum.yaml", rolled.text)
    result = check_file(out)
    assert result.facts is not None, [f.format() for f in result.findings]
    assert {f.rule for f in result.findings if f.severity == "error"} == {"C-EMPTY"}
    single = check_file(source).facts
    assert single is not None and result.facts is not None
    extra = [p for p in single.edition.cells if p.split(".")[0] not in ("proactive",
                                                                         "applications",
                                                                         "reviews")]
    assert extra
    for path in extra:
        value = single.values[path]
        assert result.facts.values[path] == (value if value == "na" else 2 * value), path



def test_two_2021_files_that_differ_in_extensions_are_named_as_such(tmp_path: Path) -> None:
    """Both are 〔2021〕30号: the refusal names the extension tables, not the 2019 edition."""
    write(tmp_path / "a" / "2022.yaml", facts_2021(agency="某区甲局"))
    from test_extensions import zhejiang

    write(tmp_path / "b" / "2022.yaml", zhejiang(facts_2021(agency="某区乙局")))
    result = gxgen("rollup", tmp_path / "a" / "2022.yaml", tmp_path / "b" / "2022.yaml",
                   "--agency", "某区", "--year", "2022")
    assert result.exit_code == 1, result.output
    assert "〔2019〕60号" not in result.stderr
    assert "扩展表 zhejiang" in result.stderr
