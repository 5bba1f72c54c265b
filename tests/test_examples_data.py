"""The shipped example facts files and the seed-table fixtures are data the other tests trust.

These checks read the raw YAML/JSON and the edition data file directly, with their own small
arithmetic helper, so a wrong digit in an example or a fixture is caught independently of the
rule engine (src/gxgen/rules.py), which has its own tests.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import opencc
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*.yaml")
                  if yaml.safe_load(p.read_text("utf-8")).get("edition") == "2021")
DEMO = ROOT / "examples" / "demo-district"
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.json"))
EDITIONS = ROOT / "src" / "gxgen" / "editions"
NUMBER = re.compile(r"^-?\d+(\.\d+)?元?$")
DEADLINES = {"department": (1, 31), "government": (3, 31)}


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def load_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)


EDITION = load_yaml(EDITIONS / "2021.yaml")
COMMON = load_yaml(EDITIONS / "common.yaml")
SECTIONS = [s["key"] for s in EDITION["sections"]]
TOP_KEYS = set(COMMON["fields"]) | set(SECTIONS)
REQUIRED = {k for k, f in COMMON["fields"].items() if f.get("required")} | set(SECTIONS)


# ---------------------------------------------------------------- edition-derived shapes


def _leaf_paths(nodes: list[dict[str, Any]], prefix: tuple[str, ...] = ()) -> list[tuple]:
    """Facts paths of the leaves of a row tree (a node with a key adds a level)."""
    out: list[tuple[str, ...]] = []
    for node in nodes:
        path = prefix + ((node["key"],) if "key" in node else ())
        if node.get("children"):
            out.extend(_leaf_paths(node["children"], path))
        else:
            out.append(path)
    return out


APP = EDITION["tables"]["applications"]
APP_ROWS = _leaf_paths(APP["rows"])
RESULT_GROUP = next(n for n in APP["rows"] if "key" not in n)
RESULT_ROWS = [p for p in _leaf_paths(RESULT_GROUP["children"]) if p != ("total",)]
APPLICANT = _leaf_paths(APP["columns"][0]["children"])
COLUMNS = [p[-1] for p in APPLICANT if p != ("total",)]
REV = EDITION["tables"]["reviews"]["columns"]
REVIEW_KEYS = [c["key"] for c in REV[:1]] + [c["key"] for c in REV[1]["children"]]
OUTCOMES = [c["key"] for c in REV[0]["children"] if c["key"] != "total"]


def _row(value: Any, where: str, problems: list[str]) -> list[int]:
    """A table-2 row as 7 numbers, the 总计 column computed or checked."""
    if isinstance(value, list):
        cells, total = value[:6], value[6] if len(value) == 7 else None
        if len(value) not in (6, 7):
            problems.append(f"{where}: {len(value)} numbers, expected 6 or 7")
    elif isinstance(value, dict):
        unknown = set(value) - set(COLUMNS) - {"total"}
        if unknown:
            problems.append(f"{where}: unknown columns {sorted(unknown)}")
        cells, total = [value.get(k, 0) for k in COLUMNS], value.get("total")
    else:
        problems.append(f"{where}: not a row: {value!r}")
        return [0] * 7
    if any(not isinstance(c, int) or c < 0 for c in cells):
        problems.append(f"{where}: cells must be non-negative integers: {cells}")
    if total is not None and total != sum(cells):
        problems.append(f"{where}: 总计 {total} != {sum(cells)} (T2-ROWTOT)")
    return [*cells, sum(cells)]


def application_rows(apps: dict[str, Any], problems: list[str]) -> dict[tuple, list[int]]:
    """Every table-2 row path → 7 numbers; rows left out are zeros, （七）总计 derived."""
    rows: dict[tuple, list[int]] = {}
    known = {p[0] for p in APP_ROWS} | {"text"}
    for key in set(apps) - known:
        problems.append(f"applications: unknown row {key!r}")
    for path in APP_ROWS:
        node: Any = apps
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            rows[path] = _row(node, ".".join(path), problems)
        elif path[0] in apps and len(path) > 1 and not isinstance(apps[path[0]], dict):
            problems.append(f"{path[0]}: a group must be a mapping")
    for group in sorted({p[0] for p in APP_ROWS if len(p) > 1}):
        extra = set(apps.get(group) or {}) - {p[1] for p in APP_ROWS if p[0] == group}
        if extra:
            problems.append(f"{group}: unknown rows {sorted(extra)}")
    zero = [0] * 7
    derived = [sum(rows.get(p, zero)[c] for p in RESULT_ROWS) for c in range(7)]
    if ("total",) in rows and rows[("total",)] != derived:
        problems.append(f"（七）总计 {rows[('total',)]} != sum of results {derived} (T2-SUM)")
    rows[("total",)] = derived
    for path in APP_ROWS:
        rows.setdefault(path, list(zero))
    return rows


def identity_problems(facts: dict[str, Any]) -> list[str]:
    """T2-BAL, T2-SUM, T2-ROWTOT and T3-* on one facts mapping; [] when all hold."""
    problems: list[str] = []
    rows = application_rows(facts.get("applications") or {}, problems)
    for c in range(7):
        left = rows[("new",)][c] + rows[("carried_in",)][c]
        right = rows[("total",)][c] + rows[("carried_out",)][c]
        if left != right:
            problems.append(f"column {c}: 新收+结转 {left} != 总计+结转下年度 {right} (T2-BAL)")
    for key, value in (facts.get("reviews") or {}).items():
        if key not in REVIEW_KEYS:
            problems.append(f"reviews: unknown column group {key!r}")
            continue
        if isinstance(value, dict):
            cells, total = [value.get(k, 0) for k in OUTCOMES], value.get("total")
        else:
            cells, total = list(value[:4]), value[4] if len(value) == 5 else None
        if total is not None and total != sum(cells):
            problems.append(f"reviews.{key}: 总计 {total} != {sum(cells)} (T3)")
    return problems


def _headings(value: Any) -> list[str]:
    return [i["heading"] for i in value if isinstance(i, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# ---------------------------------------------------------------- examples


@pytest.fixture(scope="module")
def demo() -> dict[int, dict[str, Any]]:
    return {year: load_yaml(DEMO / f"{year}.yaml") for year in (2021, 2022)}


def test_examples_are_found() -> None:
    names = {p.relative_to(ROOT / "examples").as_posix() for p in EXAMPLES}
    assert {"dinghai-zwfw-2021.yaml", "binjiang-xzfw-2021.yaml", "guancheng-zwfw-2021.yaml",
            "demo-district/2021.yaml", "demo-district/2022.yaml"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_example_shape(path: Path) -> None:
    facts = load_yaml(path)
    assert isinstance(facts, dict)
    assert REQUIRED <= set(facts), f"missing {sorted(REQUIRED - set(facts))}"
    assert set(facts) <= TOP_KEYS, f"unknown keys {sorted(set(facts) - TOP_KEYS)}"
    assert facts["edition"] == "2021"
    assert isinstance(facts["agency"], str) and facts["agency"]
    assert isinstance(facts["year"], int) and 2021 <= facts["year"] <= 2030
    assert facts.get("agency_type", "department") in COMMON["fields"]["agency_type"]["choices"]
    for text in _strings(facts):
        assert "[bookmark" not in text and "\t" not in text
    for field in ("overview", "problems", "preface"):
        for heading in _headings(facts.get(field)):
            assert not re.match(r"^[（(][一二三四五六七八九十]+[）)]", heading), heading


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_example_identities(path: Path) -> None:
    facts = load_yaml(path)
    assert identity_problems(facts) == []
    proactive = facts["proactive"]
    for key in ("regulations", "normative_documents"):
        row = proactive.get(key, {})
        assert set(row) <= {"issued", "repealed", "in_force"}
        assert all(v == "na" or (isinstance(v, int) and v >= 0) for v in row.values())
    fees = proactive.get("fees", 0)
    assert fees == "na" or -Decimal(str(fees)).as_tuple().exponent <= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_example_date_within_deadline(path: Path) -> None:
    facts = load_yaml(path)
    if "date" not in facts:
        return
    date = facts["date"]
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    year = facts["year"]
    assert date > datetime.date(year, 12, 31)
    month_day = DEADLINES.get(facts.get("agency_type", "department"))
    if month_day:
        assert date <= datetime.date(year + 1, *month_day)


def test_demo_is_not_trivial(demo: dict[int, dict[str, Any]]) -> None:
    """The demo must exercise the arithmetic: several result rows and applicant types."""
    for facts in demo.values():
        rows = application_rows(facts["applications"], [])
        busy_rows = [p for p in RESULT_ROWS if rows[p][6]]
        busy_cols = [c for c in range(6) if rows[("new",)][c]]
        assert len(busy_rows) >= 8 and len(busy_cols) >= 4
        assert rows[("carried_in",)][6] and rows[("carried_out",)][6]
        cases = [facts["reviews"][k] for k in REVIEW_KEYS]
        assert sum(sum(c.values()) if isinstance(c, dict) else sum(c) for c in cases) > 0
        fees = facts["other_matters"]["processing_fees"]
        assert 0 < fees["collected"] <= fees["notice_amount"] and fees["notices"] > 0
        p = facts["proactive"]
        assert p["licensing"] and p["penalty"] and p["coercion"]
        assert Decimal(str(p["fees"])) % 1 != 0
    forms = [v for f in demo.values() for v in _walk_rows(f["applications"])]
    assert any(isinstance(v, list) and len(v) == 7 for v in forms)
    assert any(isinstance(v, list) and len(v) == 6 for v in forms)
    assert any(isinstance(v, dict) for v in forms)
    assert "total" in demo[2021]["applications"] and "total" not in demo[2022]["applications"]


def _walk_rows(apps: dict[str, Any]) -> list[Any]:
    out = []
    for path in APP_ROWS:
        node: Any = apps
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            out.append(node)
    return out


def test_demo_cross_year(demo: dict[int, dict[str, Any]]) -> None:
    last = application_rows(demo[2021]["applications"], [])
    this = application_rows(demo[2022]["applications"], [])
    assert this[("carried_in",)] == last[("carried_out",)]
    for key in ("regulations", "normative_documents"):
        before, now = demo[2021]["proactive"][key], demo[2022]["proactive"][key]
        if "na" in (*before.values(), *now.values()):
            assert set(before.values()) == set(now.values()) == {"na"}
            continue
        assert now["in_force"] == before["in_force"] + now["issued"] - now["repealed"]


@given(
    row=st.sampled_from(APP_ROWS),
    column=st.integers(min_value=0, max_value=5),
    delta=st.integers(min_value=1, max_value=5),
)
def test_identity_helper_catches_a_changed_cell(row: tuple, column: int, delta: int) -> None:
    """Raising any one applicant cell of the demo breaks an identity the helper reports."""
    facts = load_yaml(DEMO / "2021.yaml")
    node: Any = facts["applications"]
    for part in row[:-1]:
        node = node.setdefault(part, {})
    value = node.get(row[-1], [0] * 6)
    if isinstance(value, dict):
        value[COLUMNS[column]] = value.get(COLUMNS[column], 0) + delta
    else:
        value = list(value)
        value[column] += delta
    node[row[-1]] = value
    assert identity_problems(facts)


# ---------------------------------------------------------------- seed fixtures


def load_fixture(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _numeric(cell: str) -> bool:
    return bool(NUMBER.match(cell))


def test_all_five_fixtures_exist() -> None:
    assert [p.stem for p in FIXTURES] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_well_formed(path: Path) -> None:
    data = load_fixture(path)
    assert data["seed"] == path.stem and data["source"] and data["edition"] in ("2019", "2021")
    names = [t["name"] for t in data["tables"]]
    assert {"proactive", "applications", "reviews"} <= set(names) and len(set(names)) == len(names)
    for table in data["tables"]:
        assert table["rows"], table["name"]
        for row in table["rows"]:
            assert row and all(isinstance(c, str) and c.strip() == c and c for c in row), row
    tables = {t["name"]: t["rows"] for t in data["tables"]}
    blanks = "filled_cells" in data
    expected_rows = 25 if data["edition"] == "2021" else 23
    data_rows = tables["applications"][3:]
    assert len(data_rows) == expected_rows
    for row in data_rows:
        labels = [c for c in row if not _numeric(c)]
        values = row[len(labels):]
        assert 1 <= len(labels) <= 2 and row[: len(labels)] == labels, row
        assert all(_numeric(v) for v in values), row
        assert len(values) <= 7 if blanks else len(values) == 7, row
    values = tables["reviews"][-1]
    assert all(_numeric(v) for v in values)
    assert len(values) <= 15 if blanks else len(values) == 15
    if blanks:
        filled = data["filled_cells"]
        cells = [v for r in data_rows for v in r if _numeric(v)]
        assert len(cells) == len(filled["applications"])
        assert sorted(values) == sorted(filled["reviews"].values())


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.stem != "002"], ids=lambda p: p.stem)
def test_fixture_tables_balance(path: Path) -> None:
    """The published numbers obey T2-BAL and T3 (the seeds were checked by hand)."""
    tables = {t["name"]: t["rows"] for t in load_fixture(path)["tables"]}
    grid = [[int(v) for v in r if _numeric(v)] for r in tables["applications"][3:]]
    new, carried, total, out = grid[0], grid[1], grid[-2], grid[-1]
    for c in range(7):
        assert new[c] + carried[c] == total[c] + out[c]
        assert sum(r[c] for r in grid[2:-2]) == total[c]
    for r in grid:
        assert sum(r[:6]) == r[6]
    review = [int(v) for v in tables["reviews"][-1]]
    for start in (0, 5, 10):
        assert sum(review[start:start + 4]) == review[start + 4]


def _statutory_2021() -> dict[str, list[list[str]]]:
    """The 2021 tables' label cells in reading order, from the edition data."""
    pro = EDITION["tables"]["proactive"]
    proactive: list[list[str]] = []
    for block in pro["blocks"]:
        proactive.append([block["caption"]])
        proactive.append([pro["stub"]] + [f["label"] for f in block["fields"]])
        proactive.extend([r["label"]] for r in block["rows"])
    applicant = APP["columns"][0]
    applications = [[APP["corner"], applicant["label"]],
                     [c["label"] for c in applicant["children"]],
                     [c["label"] for c in applicant["children"][1]["children"]]]

    def walk(nodes: list[dict[str, Any]]) -> list[list[str]]:
        out: list[list[str]] = []
        for node in nodes:
            if node.get("children"):
                sub = walk(node["children"])
                out.append([node["label"], *sub[0]])
                out.extend(sub[1:])
            else:
                out.append([node["label"]])
        return out

    applications += walk(APP["rows"])
    outcomes = [c["label"] for c in REV[0]["children"]]
    courts = [c["label"] for c in REV[1]["children"]]
    reviews = [[REV[0]["label"], REV[1]["label"]], outcomes + courts, outcomes * 2]
    return {"proactive": proactive, "applications": applications, "reviews": reviews}


def _apply_known(data: dict[str, Any], name: str) -> list[list[str]]:
    """A fixture table's label cells with its declared deviations undone."""
    rows = [list(r) for r in next(t["rows"] for t in data["tables"] if t["name"] == name)]
    known = data["known_differences"]
    for diff in known:
        if diff["table"] == name and diff["kind"] == "layout":
            size = len(diff["published_rows"])
            at = next(i for i in range(len(rows)) if rows[i:i + size] == diff["published_rows"])
            rows[at:at + size] = diff["statutory_rows"]
    labels = {d["published"]: d["statutory"] for d in known
              if d["table"] == name and d["kind"] == "label"}
    everywhere = [d for d in known if d["table"] == "*"]
    t2s = opencc.OpenCC("t2s")
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if _numeric(cell):
                continue
            cell = labels.get(cell, cell)
            for diff in everywhere:
                if diff["kind"] == "script":
                    cell = t2s.convert(cell)
                else:
                    cell = cell.replace(diff["published"], diff["statutory"])
            cells.append(cell)
        if cells:
            out.append(cells)
    return out


@pytest.mark.parametrize(
    "path", [p for p in FIXTURES if load_fixture(p)["edition"] == "2021"], ids=lambda p: p.stem
)
def test_fixture_labels_are_statutory_modulo_known_differences(path: Path) -> None:
    """known_differences lists exactly what separates each 2021 seed from the format."""
    data = load_fixture(path)
    for name, expected in _statutory_2021().items():
        assert _apply_known(data, name) == expected, name


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_known_differences_point_at_real_cells(path: Path) -> None:
    data = load_fixture(path)
    tables = {t["name"]: t["rows"] for t in data["tables"]}
    cells = {n: {c for r in rows for c in r} for n, rows in tables.items()}
    for diff in data["known_differences"]:
        assert diff["kind"] and diff.get("note") is not None
        if diff["kind"] == "label":
            assert diff["published"] in cells[diff["table"]], diff
        elif diff["kind"] == "heading":
            assert diff["published"] in data["headings"], diff
        elif diff["kind"] == "layout":
            rows, pub = tables[diff["table"]], diff["published_rows"]
            assert any(rows[i:i + len(pub)] == pub for i in range(len(rows))), diff
        elif diff["kind"] in ("punctuation", "spacing"):
            assert any(diff["published"] in c for cs in cells.values() for c in cs), diff
        else:
            assert diff["kind"] in ("script", "blank", "extension"), diff
            assert diff["table"] == "*" or diff["table"] in tables
