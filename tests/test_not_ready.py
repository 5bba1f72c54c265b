"""Issue 9, "a report that is not ready does not pass as ready".

gxgen never writes report text for the author: an empty required narrative is an error (a
draft marks it 【未填写】), a typed 无。 stays a warning, no 无。 of gxgen's own; the scaffold
leaves 信息处理费 and the date to state; a 2021+ report on the 2019 format is an error; every
text line names its severity; a full-width colon or digit is named as such.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from clirun import gxgen
from conftest import dump, facts_2021, where, write
from test_edition_2019 import facts_2019

from gxgen import editions
from gxgen.check import check_file

SEVERITY_LINE = re.compile(r"^(?P<loc>\S+)  (?P<sev>\S+)  (?P<rule>[A-Z0-9-]+|schema|yaml)  ")


def scaffold(tmp_path: Path, year: int = 2022) -> Path:
    result = gxgen("init", "--agency", "某区测试局", "--year", str(year))
    assert result.exit_code == 0
    return write(tmp_path / f"{year}.yaml", result.stdout)


def rules(path: Path) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in check_file(path, find_previous=False).findings]


# --- 5. empty narrative: an error; a draft marks it; gxgen writes no 无。 --------------------


def test_untouched_scaffold_is_refused_without_draft(tmp_path: Path) -> None:
    path = scaffold(tmp_path)
    out = tmp_path / "out.md"
    result = gxgen("render", str(path), "--format", "md", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    errors = [line for line in result.stderr.splitlines() if "  错误  " in line]
    assert len(errors) == 6 and all("  C-EMPTY  " in line for line in errors)
    assert "有错误，未生成" in result.output


def test_draft_of_the_scaffold_marks_every_unwritten_text(tmp_path: Path) -> None:
    path = scaffold(tmp_path)
    out = tmp_path / "out"
    result = gxgen("render", str(path), "--draft", "--format", "md", "--variant", "both",
                   "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    text = (out / "2022.md").read_text("utf-8")
    for heading in ("（一）主动公开", "（五）监督保障", "五、存在的主要问题及改进情况"):
        assert re.search(rf"{heading}\n\n【未填写】\n", text), heading
    assert text.count("【未填写】") == 6
    assert "无。" not in text and "信息处理费" not in text, "gxgen states nothing for the author"
    assert (out / "2022.zh-Hant.md").read_text("utf-8").count("【未填寫】") == 6


def test_typed_none_stays_a_warning_and_renders_as_typed(tmp_path: Path) -> None:
    path = write(tmp_path / "2022.yaml", facts_2021(problems="无。"))
    assert rules(path) == [("C-EMPTY", "warning")]
    out = tmp_path / "r.md"
    assert gxgen("render", str(path), "--format", "md", "-o", str(out)).exit_code == 0
    assert "## 五、存在的主要问题及改进情况\n\n无。\n" in out.read_text("utf-8")


@pytest.mark.parametrize("problems", ["", "  \n", []])
def test_empty_required_narrative_is_an_error(tmp_path: Path, problems: object) -> None:
    path = write(tmp_path / "2022.yaml", facts_2021(problems=problems))
    assert rules(path) == [("C-EMPTY", "error")]


def test_gxgen_has_no_none_phrase_and_leaves_an_empty_section_empty(tmp_path: Path) -> None:
    assert "none" not in editions.common()["phrases"]
    path = write(tmp_path / "2022.yaml",
                 facts_2021(other_matters={"text": "", "processing_fees": {
                     "notices": 0, "notice_amount": 0, "collected": 0}}))
    out = tmp_path / "r.md"
    assert gxgen("render", str(path), "--format", "md", "-o", str(out)).exit_code == 0
    tail = out.read_text("utf-8").split("## 六、其他需要报告的事项")[1]
    assert tail.split("<p")[0].strip() == "本年度未收取信息处理费。"  # the author's figures


def test_scaffold_leaves_the_fees_to_state(tmp_path: Path) -> None:
    path = scaffold(tmp_path)
    text = path.read_text("utf-8")
    assert "  # processing_fees: {notices: 0, notice_amount: 0, collected: 0}" in text
    assert ("C-FEES", "warning") in rules(path)
    stated = write(tmp_path / "stated.yaml", text.replace("  # processing_fees:",
                                                          "  processing_fees:"))
    assert ("C-FEES", "warning") not in rules(stated)


# --- 6. no 成文日期 ------------------------------------------------------------------------------


def test_no_date_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "2022.yaml", facts_2021(date=None))
    [finding] = check_file(path).findings
    assert (finding.rule, finding.severity, finding.code) == ("D-NODATE", "warning", "no_date")
    assert "落款将没有日期" in finding.message() and "no date" in finding.message("en")
    assert gxgen("validate", str(path)).exit_code == 0


@pytest.mark.parametrize(("year", "agency_type", "printed"), [
    (2022, "department", "2023年1月20日"), (2019, "department", "2020年1月20日")])
def test_scaffold_date_comment_agrees_with_its_example(year: int, agency_type: str,
                                                       printed: str) -> None:
    text = gxgen("init", "--agency", "某局", "--year", str(year)).stdout
    [line] = [x for x in text.splitlines() if x.startswith("# date:")]
    example = line.split()[2]
    assert example == f"{year + 1}-01-20"
    assert f"印作“{printed}”" in line and "2023年1月18日" not in line
    assert "不填则落款没有日期" in line


# --- 7. E-YEAR and C-FEES on the 2019 format --------------------------------------------------


@pytest.mark.parametrize(("edition", "year", "severity", "code"), [
    ("2019", 2021, "error", 1), ("2019", 2023, "error", 1), ("2021", 2020, "warning", 0)])
def test_edition_year_severity(tmp_path: Path, edition: str, year: int, severity: str,
                               code: int) -> None:
    base = facts_2019 if edition == "2019" else facts_2021
    data = base(year=year, date=f"{year + 1}-01-20")
    data["other_matters"] = {"text": "本年度未收取信息处理费。"}
    path = write(tmp_path / "r.yaml", dump(data))
    found = [f for f in check_file(path).findings if f.rule == "E-YEAR"]
    assert [f.severity for f in found] == [severity]
    assert gxgen("validate", str(path)).exit_code == code


@pytest.mark.parametrize(("year", "text", "silent"), [
    (2021, "本年度无其他需要报告的事项。", True),
    (2023, None, True),
    (2021, "本年度未收取信息处理费。", False),
    (2020, "本年度无其他需要报告的事项。", False),
])
def test_fees_on_the_2019_format_from_2021(tmp_path: Path, year: int, text: str | None,
                                           silent: bool) -> None:
    data = facts_2019(year=year, date=f"{year + 1}-01-20")
    if text is None:
        data.pop("other_matters", None)
    else:
        data["other_matters"] = {"text": text}
    source = dump(data)
    found = [f for f in check_file(write(tmp_path / "r.yaml", source)).findings
             if f.rule == "C-FEES"]
    assert bool(found) == silent
    if found:
        assert (found[0].severity, found[0].code) == ("warning", "fees_silent_text")
        assert "请在正文中说明" in found[0].message()
        if text:
            assert (found[0].line, found[0].col) == where(source, text)


# --- 9. the severity on every line ------------------------------------------------------------


@pytest.mark.parametrize(("lang", "error", "warning"), [("zh", "错误", "警告"),
                                                         ("en", "error", "warning")])
def test_every_text_line_names_its_severity(tmp_path: Path, lang: str, error: str,
                                            warning: str) -> None:
    data = facts_2021(problems="无", date=None)
    data["applications"]["carried_out"] = [1, 0, 0, 0, 0, 2]
    path = write(tmp_path / "2022.yaml", data)
    result = gxgen("validate", "--lang", lang, str(path))
    assert result.exit_code == 1
    seen = []
    for line in result.stdout.splitlines():
        match = SEVERITY_LINE.match(line)
        assert match, line
        seen.append((match["sev"], match["rule"]))
    assert (error, "T2-BAL") in seen and (warning, "C-EMPTY") in seen
    assert (warning, "D-NODATE") in seen
    assert {s for s, _ in seen} == {error, warning}


# --- 10. full-width colon and digits -----------------------------------------------------------


def test_fullwidth_colon_is_named_at_its_own_line(tmp_path: Path) -> None:
    text = dump(facts_2021()).replace("penalty: 15", "penalty：15")
    path = write(tmp_path / "2022.yaml", text)
    result = gxgen("validate", str(path))
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    row, col = where(text, "penalty：")
    assert line.startswith(f"{path}:{row}:{col + len('penalty')}  错误  yaml  ")
    assert "全角冒号" in line and "penalty" in line and "缺少冒号" not in line
    english = gxgen("validate", "--lang", "en", str(path)).stdout
    assert "full-width colon" in english


def test_fullwidth_colon_read_as_text_gets_a_hint(tmp_path: Path) -> None:
    data = facts_2021()
    data["reviews"] = "review：1"
    [finding] = check_file(write(tmp_path / "2022.yaml", data)).findings
    assert finding.code == "bad_value_hint" and "全角冒号" in finding.message()


def test_fullwidth_digits_get_a_hint(tmp_path: Path) -> None:
    text = dump(facts_2021()).replace("licensing: 120", "licensing: １２０")
    path = write(tmp_path / "2022.yaml", text)
    [finding] = check_file(path).findings
    assert (finding.rule, finding.code, finding.path) == ("schema", "bad_value_hint",
                                                          "proactive.licensing")
    assert (finding.line, finding.col) == where(text, "１２０")
    assert "全角数字" in finding.message() and "120" in finding.message()
    assert "full-width digits; type 120" in finding.message("en")
