"""``indicators``: a list of statistical indicators, one figure each, with a unit column
(provincial tables such as Zhejiang's 政务公开工作机构 table; label-only heading rows)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from gxgen.document import Cell, Table
from gxgen.kinds.base import (
    CellSpec,
    Figures,
    Labels,
    Line,
    PathKey,
    Problems,
    Put,
    Row,
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


@dataclass(frozen=True)
class Indicators(TableKind):
    name: ClassVar[str] = "indicators"
    rows: tuple[Row, ...]
    columns: tuple[str, ...] = ()
    value: str = "count"

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Indicators:
        return cls(rows=tuple(Row(**r) for r in data.get("rows", ())),
                   columns=tuple(data.get("columns", ())),
                   value=data.get("value", "count"))

    def _figures(self) -> Iterator[Row]:
        return (row for row in self.rows if not row.heading)

    def cells(self, table: Spec) -> Iterator[CellSpec]:
        for row in self._figures():
            yield CellSpec(
                path=f"{table.key}.{row.key}",
                table=table.key,
                row=(row.key,),
                col=(),
                value=row.value or self.value,
                row_label=row.label.replace("\n", "").strip(),
                col_label="",
            )

    def labels(self) -> set[str | None]:
        return {*self.columns, *(x for r in self.rows for x in (r.label, r.unit))}

    def schema(self, table: Spec, parts: SchemaParts) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for row in self._figures():
            unit = f"（单位：{row.unit}）" if row.unit else ""
            label = row.label.replace("\n", "").strip()
            props[row.key] = parts.value(row.value or self.value, False, label,
                                         f"{table.label} {label}{unit}")
        return props

    def read_facts(self, table: Spec, raw: dict[str, Any], put: Put) -> None:
        for row in self._figures():
            if row.key in raw:
                put(f"{table.key}.{row.key}", raw[row.key], (table.key, row.key))

    def layout(self, table: Spec, value: Callable[[str], Value], conv: Labels) -> Table:
        rows: list[tuple[Cell, ...]] = [tuple(Cell(conv.label(c), "header") for c in self.columns)]
        for row in self.rows:
            label = Cell(conv.label(row.label), "stub", indent=row.indent)
            unit = Cell(conv.label(row.unit or ""), "unit")
            if row.heading:
                rows.append((label, unit, Cell("", "value")))
            else:
                path = f"{table.key}.{row.key}"
                rows.append((label, unit, value_cell(value(path), path)))
        cols = len(self.columns)
        return Table(table.key, cols, tuple(rows), 1, widths(table, cols), title(table, conv))

    def read_back(self, table: Spec, grid: Table) -> dict[str, Value]:
        return {f"{table.key}.{row.key}": parse_value(line[-1].text, row.value or self.value)
                for row, line in zip(self.rows, grid.rows[1:], strict=True) if not row.heading}

    def scaffold(self, table: Spec, figures: Figures, line: Line) -> list[str]:
        out = []
        for row in self.rows:
            label = row.label.strip()
            if row.heading:
                out.append(f"  # {label}")
            else:
                unit = f"（{row.unit}）" if row.unit else ""
                out.append(line(2, f"{row.key}: {figures(f'{table.key}.{row.key}')}",
                                f"{label}{unit}"))
        return out

    def grid_columns(self) -> int:
        return len(self.columns)

    @classmethod
    def count_cells(cls, data: dict[str, Any]) -> int:
        return len(items(data, "rows"))

    @classmethod
    def top_keys(cls, data: dict[str, Any]) -> list[tuple[PathKey, str]]:
        return [(("rows", j, "key"), r["key"]) for j, r in enumerate(data["rows"])]

    @classmethod
    def check(cls, problems: Problems, base: PathKey, data: dict[str, Any]) -> None:
        rows: dict[str, PathKey] = {}
        for j, row in enumerate(data["rows"]):
            problems.dup(rows, row["key"], (*base, "rows", j, "key"), "行")
