"""Table kinds as modules (``gxgen.kinds``): each kind lays out its table and reads it back
from the laid-out grid, for every example and for random values; and a new kind is one
module, registered by name, that the schema, facts, scaffold and layout all go through."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxgen import editions, extensions, kinds, schema
from gxgen import facts as facts_mod
from gxgen import render as rendering
from gxgen.check import check_file
from gxgen.document import Cell, Table
from gxgen.editions import CellSpec, Section, table_from_data
from gxgen.kinds.base import (
    Figures,
    Labels,
    Line,
    PathKey,
    Problems,
    Put,
    SchemaParts,
    Spec,
    TableKind,
    Value,
    items,
    parse_value,
    title,
    value_cell,
    widths,
)
from gxgen.loader import loads
from gxgen.model import Simplified, layout
from gxgen.scaffold import scaffold
from gxgen.variants import VARIANTS, Converter

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").rglob("*.yaml"))


def test_builtin_kinds_are_registered() -> None:
    assert set(kinds.names()) >= {"blocks", "matrix", "indicators"}
    for name in ("blocks", "matrix", "indicators"):
        assert kinds.get(name).name == name
    with pytest.raises(KeyError, match="unknown table kind"):
        kinds.get("pie")
    assert kinds.find(None) is None


@pytest.mark.parametrize("name", EXAMPLES)
def test_read_back_every_example(name: str) -> None:
    checked = check_file(ROOT / name)
    facts = checked.facts
    assert facts is not None
    for key, table in facts.edition.tables.items():
        values = {c.path: facts.value(c.path) for c in table.cells}
        grid = table.shape.layout(table, facts.value, Simplified())
        assert table.shape.read_back(table, grid) == values, key
    for variant in ("traditional", "zh-HK"):
        doc = rendering.document(facts, VARIANTS[variant])
        for grid in doc.tables():
            table = facts.edition.tables[grid.key]
            assert table.shape.read_back(table, grid) == {
                c.path: facts.value(c.path) for c in table.cells}


def test_read_back_sees_a_changed_figure() -> None:
    facts = check_file(ROOT / "examples/demo-district/2021.yaml").facts
    assert facts is not None
    table = facts.edition.tables["applications"]
    grid = table.shape.layout(table, facts.value, Simplified())
    last = grid.rows[-1]
    changed = Table(grid.key, grid.columns,
                    (*grid.rows[:-1], (*last[:-1], Cell("987654", "value"))), grid.header_rows)
    back = table.shape.read_back(table, changed)
    assert back[table.cells[-1].path] == 987654
    assert back != table.shape.read_back(table, grid)


def _figure(cell: CellSpec) -> st.SearchStrategy[Value]:
    figures: dict[str, st.SearchStrategy[Value]] = {
        "count": st.integers(0, 10 ** 9),
        "signed": st.integers(-10 ** 9, 10 ** 9),
        "wan_yuan": st.integers(0, 10 ** 12).map(lambda n: Decimal(n).scaleb(-4)),
        "yuan": st.integers(0, 10 ** 12).map(lambda n: Decimal(n).scaleb(-2)),
        "amount": st.integers(0, 10 ** 12).map(lambda n: Decimal(n).scaleb(-2)),
    }
    return figures[cell.value]


def _edition_2021() -> editions.Edition:
    """2021 with the Zhejiang extension tables (all three kinds)."""
    edition, findings = extensions.extend(editions.load("2021"),
                                          [extensions.Ref("zhejiang", Path("."))])
    assert edition is not None, findings
    assert {t.kind for t in edition.tables.values()} == {"blocks", "matrix", "indicators"}
    return edition


EDITION_2021 = _edition_2021()
CONVERTERS = {v: Converter.for_edition(VARIANTS[v], EDITION_2021)
              for v in ("simplified", "traditional", "zh-TW")}


@st.composite
def table_values(draw: st.DrawFn) -> tuple[str, dict[str, Value]]:
    """A table and random valid figures for it (``na`` for a whole row, where allowed)."""
    key = draw(st.sampled_from(sorted(EDITION_2021.tables)))
    cells = EDITION_2021.tables[key].cells
    na = {c.row for c in cells if c.na and draw(st.booleans())}
    return key, {c.path: "na" if c.row in na else draw(_figure(c)) for c in cells}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table_values(), st.sampled_from(["simplified", "traditional", "zh-TW"]))
def test_read_back_random_values(drawn: tuple[str, dict[str, Value]], variant: str) -> None:
    key, values = drawn
    table = EDITION_2021.tables[key]
    grid = table.shape.layout(table, values.__getitem__, CONVERTERS[variant])
    assert table.shape.read_back(table, grid) == values


def test_parse_value_refuses_text() -> None:
    assert parse_value(" 12元", "count") == 12
    assert parse_value("/", "yuan") == "na"
    assert parse_value("0.50", "wan_yuan") == Decimal("0.5")
    with pytest.raises(ValueError, match="not a figure"):
        parse_value("十二", "count")


# --- a toy kind: one module is all a new kind needs ------------------------------------------


@dataclass(frozen=True)
class Checklist(TableKind):
    """A one-column list: each item a labelled count, printed under one header."""

    name: ClassVar[str] = "checklist"
    entries: tuple[tuple[str, str], ...]
    header: str = "数量"

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Checklist:
        return cls(tuple((e["key"], e["label"]) for e in data["entries"]),
                   data.get("header", "数量"))

    def cells(self, table: Spec) -> Iterator[CellSpec]:
        for key, label in self.entries:
            yield CellSpec(f"{table.key}.{key}", table.key, (key,), (), "count", label, "")

    def labels(self) -> set[str | None]:
        return {self.header, *(label for _, label in self.entries)}

    def schema(self, table: Spec, parts: SchemaParts) -> dict[str, Any]:
        return {key: parts.value("count", False, label, f"{table.label} {label}")
                for key, label in self.entries}

    def read_facts(self, table: Spec, raw: dict[str, Any], put: Put) -> None:
        for key, _ in self.entries:
            if key in raw:
                put(f"{table.key}.{key}", raw[key], (table.key, key))

    def layout(self, table: Spec, value: Callable[[str], Value], conv: Labels) -> Table:
        rows = [(Cell(conv.label(self.header), "header", colspan=2),)]
        rows += [(Cell(conv.label(label), "stub"),
                  value_cell(value(f"{table.key}.{key}"), f"{table.key}.{key}"))
                 for key, label in self.entries]
        return Table(table.key, 2, tuple(rows), 1, widths(table, 2), title(table, conv))

    def read_back(self, table: Spec, grid: Table) -> dict[str, Value]:
        return {f"{table.key}.{key}": parse_value(row[-1].text, "count")
                for (key, _), row in zip(self.entries, grid.rows[1:], strict=True)}

    def scaffold(self, table: Spec, figures: Figures, line: Line) -> list[str]:
        return [line(2, f"{key}: {figures(f'{table.key}.{key}')}", label)
                for key, label in self.entries]

    def grid_columns(self) -> int:
        return 2

    @classmethod
    def count_cells(cls, data: dict[str, Any]) -> int:
        return len(items(data, "entries"))

    @classmethod
    def top_keys(cls, data: dict[str, Any]) -> list[tuple[PathKey, str]]:
        return [(("entries", i, "key"), e["key"]) for i, e in enumerate(data["entries"])]

    @classmethod
    def check(cls, problems: Problems, base: PathKey, data: dict[str, Any]) -> None:
        seen: dict[str, PathKey] = {}
        for i, entry in enumerate(data["entries"]):
            problems.dup(seen, entry["key"], (*base, "entries", i, "key"), "行")


@pytest.fixture
def checklist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(kinds._KINDS, "checklist", Checklist)  # noqa: SLF001 (undone after)
    assert kinds.get("checklist") is Checklist


TOY = {"kind": "checklist", "label": "待办事项", "header": "件数",
       "entries": [{"key": "letters", "label": "来信"}, {"key": "visits", "label": "来访"}]}


def test_toy_kind_through_the_registry(checklist: None) -> None:
    table = table_from_data("todo", TOY)
    assert table.kind == "checklist"
    assert [c.path for c in table.cells] == ["todo.letters", "todo.visits"]
    assert table.labels() == {"待办事项", "件数", "来信", "来访"}
    edition = editions.load("2021").with_tables(
        "reviews", Section("todo", "待办事项情况", tables=("todo",)), {"todo": table})

    table_schema = schema.table_schema(table)
    assert table_schema["properties"]["letters"]["title"] == "来信"
    jsonschema.validate({"letters": 3, "visits": 0}, table_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"letters": -1}, table_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"calls": 1}, table_schema)

    text = scaffold(edition, "某区", 2021, values={**{p: 0 for p in edition.cells},
                                                    "todo.letters": 7, "todo.visits": 2})
    assert "todo:" in text and "letters: 7" in text and "# 来信" in text
    loaded = loads(text, "todo.yaml")
    problems, unusable = schema.problems(loaded, edition)
    assert problems == []
    facts, _ = facts_mod.build(loaded, edition, unusable)
    assert facts.value("todo.letters") == 7

    grid = layout(table, facts, Simplified())
    assert [[c.text for c in row] for row in grid.rows] == [["件数"], ["来信", "7"], ["来访", "2"]]
    assert table.shape.read_back(table, grid) == {"todo.letters": 7, "todo.visits": 2}


def test_toy_kind_is_unknown_unregistered() -> None:
    with pytest.raises(KeyError, match="checklist"):
        table_from_data("todo", TOY)


def test_extension_schema_names_the_registered_kinds() -> None:
    """Definition files are checked by a hand-written schema: a kind registered in gxgen
    must be declared there too (its fields under ``if kind``), or no definition can use it."""
    table = extensions.definition_schema()["$defs"]["table"]
    assert set(table["properties"]["kind"]["enum"]) == set(kinds.names())
