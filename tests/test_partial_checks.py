"""Issue 9 item 8: schema errors no longer hide the rest.

Facts are built from the valid parts of a file with schema errors, the refused cells (and
totals depending on them) unknown; each rule needing an unknown cell is skipped, the others
run. Such a file is still never rendered. Last year's valid cells feed X-CARRY and X-STOCK
even when that file has errors elsewhere, with a note saying so. Several blank cells get one
closing hint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from clirun import gxgen
from conftest import dump, facts_2021, where, write
from test_edition_2019 import facts_2019

from gxgen import loader
from gxgen.check import check_file, check_loaded


def findings(path: Path, **kw: Any) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in check_file(path, **kw).findings]


def test_edition_error_and_broken_identities_are_seen_together(tmp_path: Path) -> None:
    data = facts_2019(year=2023, date="2024-01-20")
    data["other_matters"] = {"text": "本年度未收取信息处理费。"}
    data["applications"]["carried_out"] = [1, 0, 0, 0, 0, 2]
    data["reviews"]["review"]["upheld"] = "两"
    path = write(tmp_path / "2023.yaml", dump(data))
    checked = check_file(path)
    seen = {(f.rule, f.severity) for f in checked.findings}
    assert {("E-YEAR", "error"), ("schema", "error"), ("T2-BAL", "error")} <= seen
    assert checked.facts is None and checked.partial is not None
    out = tmp_path / "out.md"
    result = gxgen("render", str(path), "--draft", "--format", "md", "-o", str(out))
    assert result.exit_code == 1 and not out.exists(), "schema errors: never rendered"


def test_an_unknown_cell_skips_only_the_rules_that_need_it(tmp_path: Path) -> None:
    data = facts_2021()
    data["applications"]["granted"] = [5, "x", 0, 0, 0, 0]  # 商业企业 column unknown
    data["applications"]["carried_out"] = [1, 0, 0, 0, 0, 2]  # 其他 column off by 2
    text = dump(data)
    checked = check_file(write(tmp_path / "2022.yaml", text))
    found = [(f.rule, f.path) for f in checked.findings]
    # the 其他 column still balances wrong; the 商业企业 and 总计 columns need the unknown cell
    assert found == [("T2-BAL", "applications.new.other"), ("schema", "applications.granted.1")]
    partial = checked.partial
    assert partial is not None
    assert "applications.granted.business" in partial.unknown
    assert "applications.total.business" in partial.unknown  # a total depending on it
    assert partial.value("applications.granted.natural") == 5


def test_corrupting_any_one_cell_gives_exactly_its_schema_error(tmp_path: Path) -> None:
    """A balanced file has no finding; with one cell made unreadable, every identity through
    that cell is skipped and all the others still hold: the only finding is that cell's."""
    text = dump(facts_2021())
    facts = check_loaded(loader.loads(text, "x.yaml")).facts
    assert facts is not None
    places = {raw: path for path, raw in facts.where.items()
              if sum(1 for r in facts.where.values() if r == raw) == 1}
    assert len(places) > 60
    for raw, path in sorted(places.items(), key=str):
        data = facts_2021()
        node: Any = data
        for part in raw[:-1]:
            node = node[part]
        node[raw[-1]] = "?"
        checked = check_file(write(tmp_path / "2022.yaml", data), find_previous=False)
        got = [(f.rule, f.severity) for f in checked.findings]
        assert got == [("schema", "error")], (path, [f.format() for f in checked.findings])
        assert checked.partial is not None and path in checked.partial.unknown


@pytest.mark.parametrize(("blanks", "hint"), [(2, False), (3, True), (4, True)])
def test_blank_cells_get_one_closing_hint(tmp_path: Path, blanks: int, hint: bool) -> None:
    row = ["", "-", "_", None, 0, 0][:blanks] + [0] * (6 - blanks)
    data = facts_2021()
    data["applications"]["partial"] = row
    source = dump(data)
    checked = check_file(write(tmp_path / "2022.yaml", source), find_previous=False)
    per_cell = [f for f in checked.findings if f.code == "bad_value"]
    notes = [f for f in checked.findings if f.code == "blank_cells"]
    assert len(per_cell) == blanks
    assert len(notes) == int(hint)
    if hint:
        [note] = notes
        assert note.severity == "info"
        assert note.message() == (f"{blanks} 个单元格是空白或“-”“_”：空白单元格请填 0；"
                                  "总计可省略由 gxgen 计算")
        last = max((f.line, f.col) for f in per_cell)
        assert (note.line, note.col) == last
        assert checked.findings.index(note) > max(checked.findings.index(f) for f in per_cell)
        assert gxgen("validate", str(tmp_path / "2022.yaml")).stdout.count("  提示  ") == 1
    assert where(source, "partial:")[0] == per_cell[0].line


def last_year(**changes: Any) -> dict[str, Any]:
    data = facts_2021(**{"year": 2021, "date": "2022-01-20", **changes})
    data["proactive"]["normative_documents"] = {"issued": 1, "repealed": 0, "in_force": 8}
    return data


def test_last_years_valid_cells_still_tie_this_year(tmp_path: Path) -> None:
    prev = last_year()
    prev["applications"]["new"] = [11, 2, 0, 1, 0, 1]
    prev["applications"]["carried_out"] = [2, 0, 0, 0, 0, 0]  # this year carried_in: 1
    prev["reviews"] = {"review": {"upheld": "-"}}  # an as-published blank, elsewhere
    write(tmp_path / "2021.yaml", prev)
    checked = check_file(write(tmp_path / "2022.yaml", facts_2021()))
    got = [(f.rule, f.code, f.severity) for f in checked.findings]
    assert got == [("X-PREV", "previous_partial", "warning"), ("X-CARRY", "carry", "error")]
    note = checked.findings[0]
    assert "只用了其中有效的单元格" in note.message() and "valid cells" in note.message("en")
    assert checked.previous == str(tmp_path / "2021.yaml")


def test_an_unknown_cell_last_year_is_not_compared(tmp_path: Path) -> None:
    prev = last_year()
    prev["applications"]["carried_out"] = ["?", 0, 0, 0, 0, 0]
    prev["proactive"]["normative_documents"]["in_force"] = "?"
    write(tmp_path / "2021.yaml", prev)
    data = facts_2021()
    data["applications"]["carried_in"] = [7, 0, 0, 0, 0, 0]  # would differ from last year
    data["applications"]["new"] = [4, 2, 0, 1, 0, 1]
    data["overview"][1]["text"] = "全年依法办理政府信息公开申请，均在法定期限内答复。"  # no figure
    checked = check_file(write(tmp_path / "2022.yaml", data))
    assert findings(tmp_path / "2022.yaml") == [("X-PREV", "warning")]
    assert checked.findings[0].code == "previous_partial"


def test_previous_without_a_usable_year_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "2021.yaml", last_year(year="去年"))
    [finding] = check_file(write(tmp_path / "2022.yaml", facts_2021())).findings
    assert finding.code == "previous_unusable"


def test_this_years_broken_year_skips_year_rules_not_identities(tmp_path: Path) -> None:
    data = facts_2021(year="二〇二二")
    data["applications"]["carried_out"] = [1, 0, 0, 0, 0, 2]
    seen = findings(write(tmp_path / "2022.yaml", data))
    assert ("schema", "error") in seen and ("T2-BAL", "error") in seen
    assert not any(rule in ("E-YEAR", "D-DATE", "D-LATE", "D-NODATE") for rule, _ in seen)
