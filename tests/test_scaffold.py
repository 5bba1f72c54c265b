"""``gxgen init``: a complete scaffold, a Chinese label beside every key, loads cleanly.

Its only errors are C-EMPTY, pointing at the narrative still to be written (issue 9: gxgen
never writes it, so an untouched scaffold is not ready); its warnings are the missing 成文日期
(D-NODATE) and, where the format has the 信息处理费 record (left commented out), C-FEES.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clirun import gxgen
from conftest import write

from gxgen import editions, loader
from gxgen.check import check_file, check_loaded
from gxgen.scaffold import scaffold

CJK = re.compile(r"[\u4e00-\u9fff]")
KEY = re.compile(r"^\s*(- )?#?\s*([a-z_]+):")


def init(*args: str) -> str:
    result = gxgen("init", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def text_2021() -> str:
    return init("--agency", "某区市场监督管理局", "--year", "2022")


def test_scaffold_validates_with_only_narrative_findings(tmp_path: Path, text_2021: str) -> None:
    path = write(tmp_path / "2022.yaml", text_2021)
    result = check_file(path)
    assert not result.ok and result.facts is not None
    assert {(f.rule, f.severity) for f in result.findings} == {
        ("C-EMPTY", "error"), ("C-FEES", "warning"), ("D-NODATE", "warning")}
    empty = [f for f in result.findings if f.rule == "C-EMPTY"]
    lines = text_2021.splitlines()
    pointed = [lines[f.line - 1].split()[0] for f in empty]
    assert pointed == ["text:"] * 5 + ["problems:"]
    assert [f.path for f in empty] == [f"overview.{i}" for i in range(5)] + ["problems"]


def test_every_key_line_has_a_chinese_comment(text_2021: str) -> None:
    keyed = [line for line in text_2021.splitlines() if KEY.match(line)]
    assert len(keyed) > 40
    for line in keyed:
        body, _, comment = line.partition("  # ")
        assert comment and CJK.search(comment), line


def test_every_statutory_figure_is_in_the_scaffold(text_2021: str) -> None:
    facts = check_loaded(loader.loads(text_2021, "x.yaml")).facts
    assert facts is not None
    records = set(facts.edition.record_cells())
    plain = {p for p, c in facts.edition.cells.items() if not c.total} - records
    assert set(facts.typed) == plain, "the 信息处理费 record is left for the author to state"
    assert all(facts.value(p) == 0 for p in facts.edition.cells)
    assert "  # processing_fees: {notices: 0" in text_2021


def test_labels_come_from_the_edition(text_2021: str) -> None:
    for label in ("3.危及“三安全一稳定”", "行政规范性文件", "本年收费金额（单位：万元）",
                  "未经复议直接起诉", "信息处理费", "国办公开办函〔2021〕30号"):
        assert label in text_2021


@pytest.mark.parametrize("edition_id", editions.available())
def test_each_edition_scaffold_loads_cleanly(tmp_path: Path, edition_id: str) -> None:
    ed = editions.load(edition_id)
    year = ed.last_year or ed.first_year + 1
    text = init("--agency", "某局", "--year", str(year), "--edition", edition_id)
    assert text == scaffold(ed, "某局", year)
    result = check_file(write(tmp_path / f"{year}.yaml", text))
    assert result.facts is not None and not result.ok
    assert {f.rule for f in result.findings if f.severity == "error"} == {"C-EMPTY"}
    assert {f.rule for f in result.findings} <= {"C-EMPTY", "C-FEES", "D-NODATE"}
    assert f'edition: "{edition_id}"' in text


@pytest.mark.parametrize(("year", "edition_id"), [(2019, "2019"), (2020, "2019"), (2021, "2021"),
                                                  (2030, "2021")])
def test_edition_follows_the_year(year: int, edition_id: str) -> None:
    assert f'edition: "{edition_id}"' in init("--agency", "某局", "--year", str(year))


@pytest.mark.parametrize("agency", ['某"局', "某局: 办公室 # 1", "a\nb: c", "'单引号'", "{x}", "-"])
def test_awkward_agency_names_survive(agency: str) -> None:
    text = init("--agency", agency, "--year", "2022")
    loaded = loader.loads(text)
    assert loaded.data["agency"] == agency
    assert "b" not in loaded.data


def test_deterministic(text_2021: str) -> None:
    assert init("--agency", "某区市场监督管理局", "--year", "2022") == text_2021


@pytest.mark.parametrize("args", [
    ["--agency", "某局", "--year", "2022", "--edition", "2030"],
    ["--agency", "某局", "--year", "1999"],
    ["--agency", "某局", "--year", "明年"],
    ["--year", "2022"],
    ["--agency", "某局"],
])
def test_bad_options_exit_2(args: list[str]) -> None:
    result = gxgen("init", *args)
    assert result.exit_code == 2 and result.stdout == ""


def test_init_with_an_extension_scaffolds_its_tables(tmp_path: Path) -> None:
    from gxgen.check import check_file

    result = gxgen("init", "--agency", "某局", "--year", "2020", "--extension", "zhejiang")
    assert result.exit_code == 0, result.output
    path = tmp_path / "2020.yaml"
    path.write_text(result.output, "utf-8")
    assert 'extensions: ["zhejiang"]' in result.output
    checked = check_file(path)
    assert checked.facts is not None and not checked.ok
    assert {f.rule for f in checked.findings} == {"C-EMPTY", "D-NODATE"}
    assert {"channels", "organization"} <= set(checked.facts.edition.tables)
    bad = gxgen("init", "--agency", "某局", "--year", "2020", "--extension", "nosuch")
    assert bad.exit_code == 2 and "zhejiang" in bad.output
