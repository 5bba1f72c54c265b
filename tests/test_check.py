"""The checking pipeline for files: never raises, and finds last year's file by itself.

Last year's file is a sibling named for year − 1 (``2021.yaml`` beside ``2022.yaml``), the
same name under a mirrored ``2021/`` folder, or ``previous=`` (``--previous``). A previous
file with errors, or for the wrong year, gives one warning and no cross-year findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import dump, facts_2021, write
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgen import loader, rules
from gxgen.check import check_file, check_loaded, previous_candidates
from gxgen.findings import sort_key


def last_year(**changes: Any) -> dict[str, Any]:
    data = facts_2021(**{"year": 2021, "date": "2022-01-20", **changes})
    data["proactive"]["normative_documents"] = {"issued": 1, "repealed": 0, "in_force": 8}
    return data


def carry_broken(data: dict[str, Any]) -> dict[str, Any]:
    """Last year's facts with 结转下年度 自然人 2 (this year's 上年结转 says 1)."""
    data["applications"]["new"] = [11, 2, 0, 1, 0, 1]
    data["applications"]["carried_out"] = [2, 0, 0, 0, 0, 0]
    return data


def rules_of(result: Any) -> list[str]:
    return [f.rule for f in result.findings]


def test_balanced_file_is_clean(tmp_path: Path) -> None:
    result = check_file(write(tmp_path / "2022.yaml", facts_2021()))
    assert result.findings == [] and result.ok and result.previous is None
    assert result.facts is not None and result.facts.year == 2022


def test_previous_candidates() -> None:
    assert previous_candidates(Path("reports/2022.yaml"), 2022) == [Path("reports/2021.yaml")]
    assert previous_candidates(Path("d/report-2022-final.yaml"), 2022) == [
        Path("d/report-2021-final.yaml")]
    assert previous_candidates(Path("facts/2022/agency/x.yaml"), 2022) == [
        Path("facts/2021/agency/x.yaml")]
    assert previous_candidates(Path("2022/2022.yaml"), 2022) == [
        Path("2022/2021.yaml"), Path("2021/2022.yaml")]
    assert previous_candidates(Path("facts.yaml"), 2022) == []


def test_sibling_file_is_found(tmp_path: Path) -> None:
    write(tmp_path / "2021.yaml", carry_broken(last_year()))
    result = check_file(write(tmp_path / "2022.yaml", facts_2021()))
    assert rules_of(result) == ["X-CARRY"]
    assert result.previous == str(tmp_path / "2021.yaml")
    assert str(tmp_path / "2021.yaml") in result.findings[0].message("zh")


def test_mirrored_folder_is_found(tmp_path: Path) -> None:
    write(tmp_path / "2021" / "tax" / "report.yaml", carry_broken(last_year()))
    result = check_file(write(tmp_path / "2022" / "tax" / "report.yaml", facts_2021()))
    assert rules_of(result) == ["X-CARRY"]


def test_consistent_sibling_gives_nothing(tmp_path: Path) -> None:
    write(tmp_path / "2021.yaml", last_year())
    result = check_file(write(tmp_path / "2022.yaml", facts_2021()))
    assert result.findings == [] and result.previous == str(tmp_path / "2021.yaml")


def test_explicit_previous_wins_over_the_sibling(tmp_path: Path) -> None:
    write(tmp_path / "2021.yaml", last_year())
    other = write(tmp_path / "elsewhere" / "last.yaml", carry_broken(last_year()))
    this = write(tmp_path / "2022.yaml", facts_2021())
    assert rules_of(check_file(this, previous=other)) == ["X-CARRY"]
    assert rules_of(check_file(this)) == []


def test_no_search_when_asked_not_to(tmp_path: Path) -> None:
    write(tmp_path / "2021.yaml", carry_broken(last_year()))
    result = check_file(write(tmp_path / "2022.yaml", facts_2021()), find_previous=False)
    assert result.findings == []


def test_stock_against_the_sibling(tmp_path: Path) -> None:
    prev = last_year()
    prev["proactive"]["normative_documents"]["in_force"] = 5
    write(tmp_path / "2021.yaml", prev)
    result = check_file(write(tmp_path / "2022.yaml", facts_2021()))
    [f] = result.findings
    assert (f.rule, f.severity) == ("X-STOCK", "warning") and result.ok


@pytest.mark.parametrize("content", [
    "agency: [\n",
    b"\x00\x01binary",
    "edition: '2021'\nagency: x\n",
])
def test_previous_with_errors_is_a_warning_and_skips_cross_year(tmp_path: Path,
                                                                content: Any) -> None:
    write(tmp_path / "2021.yaml", content)
    result = check_file(write(tmp_path / "2022.yaml", facts_2021()))
    [f] = result.findings
    assert (f.rule, f.code, f.severity) == ("X-PREV", "previous_unusable", "warning")
    assert (f.line, f.col) == (1, 1) and result.ok and result.previous is None
    assert "跳过跨年度核对" in f.message("zh") and "有错误（" in f.message("zh")


def test_previous_of_the_wrong_year(tmp_path: Path) -> None:
    wrong = write(tmp_path / "old.yaml", carry_broken(last_year(year=2020, date="2021-01-20")))
    result = check_file(write(tmp_path / "2022.yaml", facts_2021()), previous=wrong)
    [f] = [f for f in result.findings if f.rule.startswith("X-")]
    assert f.code == "previous_year_mismatch"
    assert f.message("zh") == f"上年度文件 {wrong} 的年度是 2020，应为 2021"


def test_broken_file_is_still_compared_on_its_valid_cells(tmp_path: Path) -> None:
    """Issue 9: a schema error no longer hides the cross-year check of the valid cells."""
    write(tmp_path / "2021.yaml", carry_broken(last_year()))
    data = facts_2021()
    data["applications"]["new"] = "many"
    result = check_file(write(tmp_path / "2022.yaml", data))
    assert rules_of(result) == ["schema", "X-CARRY"] and result.facts is None and not result.ok
    assert result.partial is not None


@pytest.mark.parametrize("content", [
    b"", b"\xff\xfe\x00\x00garbage\x00", bytes(range(256)), "- 1\n- 2\n", "[" * 10_000,
    "edition: 2021\n", "edition: '2021'\nagency: x\nyear: 2022\napplications: 5\n",
    "a: &x [1]\nb: *x\n", "\t- x", "edition: '2021'\nyear: 2022\nyear: 2023\n",
])
def test_check_file_never_raises(tmp_path: Path, content: Any) -> None:
    result = check_file(write(tmp_path / "2022.yaml", content))
    assert result.findings and not result.ok
    assert all(f.file == str(tmp_path / "2022.yaml") for f in result.findings)


def test_missing_and_directory(tmp_path: Path) -> None:
    assert [f.code for f in check_file(tmp_path / "none.yaml").findings] == ["not_found"]
    assert [f.code for f in check_file(tmp_path).findings] == ["is_directory"]


def test_findings_come_sorted_by_position(tmp_path: Path) -> None:
    data = facts_2021(problems="无")
    data["reviews"]["review"]["total"] = 9
    data["applications"]["carried_out"] = [0, 0, 0, 0, 0, 0]
    result = check_file(write(tmp_path / "2022.yaml", data), display="shown.yaml")
    assert len(result.findings) >= 3
    assert result.findings == sorted(result.findings, key=sort_key)
    assert {f.file for f in result.findings} == {"shown.yaml"}


# --- fuzz: whatever value lands wherever, findings and no exception ------------------------------

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.sampled_from(["na", "/", "—", "", " ", "2023-02-30", "0x10", "1:30", "yes"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=8),
                            st.dictionaries(st.sampled_from(["natural", "total", "text", "x",
                                                             "heading", "upheld", "new"]),
                                            inner, max_size=4)),
    max_leaves=12,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(node, dict):
        for key, sub in node.items():
            out += _paths(sub, (*path, key))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            out += _paths(sub, (*path, i))
    return out


@settings(max_examples=150, deadline=None)
@given(st.data(), _VALUES)
def test_any_value_anywhere_gives_findings_not_exceptions(data: st.DataObject, value: Any) -> None:
    facts = facts_2021()
    path = data.draw(st.sampled_from(_paths(facts)))
    node: Any = facts
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    try:
        loaded = loader.loads(dump(facts), "f.yaml")
    except loader.LoadError as exc:  # a control character, which YAML writes as an escape
        assert exc.finding.code == "bad_char"
        return
    result = check_loaded(loaded)
    for f in result.findings:
        assert f.message("zh") and f.message("en")
    if result.facts is not None:
        for f in rules.check(result.facts, result.facts):
            assert f.message("zh") and f.message("en")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_bytes_load_or_fail_cleanly(raw: bytes) -> None:
    try:
        loaded = loader.loads(raw, "f.yaml")
    except loader.LoadError as exc:
        assert exc.finding.message("zh")
        return
    check_loaded(loaded)
