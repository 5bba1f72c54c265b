"""``blocks``: captioned blocks of rows, each block with its own value columns (2019's
主动公开 table: 规章 · 规范性文件, then 行政许可 · …, each under its own header)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from gxgen.document import Cell, Table
from gxgen.keys import NA
from gxgen.kinds.base import (
    Block,
    CellSpec,
    Field,
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


def _spans(width: int, n: int) -> list[int]:
    """Share ``width`` grid columns among ``n`` fields; the last takes the remainder."""
    each = width // n
    return [each] * (n - 1) + [width - each * (n - 1)]


@dataclass(frozen=True)
class Blocks(TableKind):
    name: ClassVar[str] = "blocks"
    blocks: tuple[Block, ...]
    stub: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Blocks:
        return cls(
            blocks=tuple(
                Block(
                    caption=b["caption"],
                    fields=tuple(Field(**f) for f in b["fields"]),
                    rows=tuple(Row(**r) for r in b["rows"]),
                )
                for b in data.get("blocks", ())
            ),
            stub=data.get("stub"),
        )

    def cells(self, table: Spec) -> Iterator[CellSpec]:
        for block in self.blocks:
            single = len(block.fields) == 1
            for row in block.rows:
                for fld in block.fields:
                    col = () if single else (fld.key,)
                    yield CellSpec(
                        path=".".join((table.key, row.key, *col)),
                        table=table.key,
                        row=(row.key,),
                        col=col,
                        value=fld.value,
                        row_label=row.label,
                        col_label=fld.label,
                        na=row.na,
                    )

    def labels(self) -> set[str | None]:
        out: set[str | None] = {self.stub}
        for block in self.blocks:
            out.add(block.caption)
            out.update(x for f in block.fields for x in (f.label, f.unit))
            out.update(x for r in block.rows for x in (r.label, r.unit))
        return out

    def schema(self, table: Spec, parts: SchemaParts) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for block in self.blocks:
            for row in block.rows:
                props[row.key] = _row_schema(block, row, parts)
        return props

    def read_facts(self, table: Spec, raw: dict[str, Any], put: Put) -> None:
        base: PathKey = (table.key,)
        for block in self.blocks:
            for row in block.rows:
                if row.key not in raw:
                    continue
                value = raw[row.key]
                rpath = (*base, row.key)
                if len(block.fields) == 1:
                    put(f"{table.key}.{row.key}", value, rpath)
                    continue
                for i, fld in enumerate(block.fields):
                    path = f"{table.key}.{row.key}.{fld.key}"
                    if value == NA:
                        put(path, NA, rpath)
                    elif isinstance(value, list):
                        put(path, value[i], (*rpath, i))
                    elif fld.key in value:
                        put(path, value[fld.key], (*rpath, fld.key))

    def layout(self, table: Spec, value: Callable[[str], Value], conv: Labels) -> Table:
        width = max(len(b.fields) for b in self.blocks)
        cols = 1 + width
        rows: list[tuple[Cell, ...]] = []
        for block in self.blocks:
            rows.append((Cell(conv.label(block.caption), "caption", colspan=cols),))
            spans = _spans(width, len(block.fields))
            rows.append((Cell(conv.label(self.stub or ""), "header"),
                         *(Cell(conv.label(f.label), "header", colspan=s)
                           for f, s in zip(block.fields, spans, strict=True))))
            for row in block.rows:
                rows.append((Cell(conv.label(row.label), "stub"),
                             *(_cell(table.key, row, f, block, s, value, conv)
                               for f, s in zip(block.fields, spans, strict=True))))
        return Table(table.key, cols, tuple(rows), 0, widths(table, cols), title(table, conv))

    def read_back(self, table: Spec, grid: Table) -> dict[str, Value]:
        out: dict[str, Value] = {}
        lines = iter(grid.rows)
        for block in self.blocks:
            next(lines)
            next(lines)
            for row in block.rows:
                cells = next(lines)[1:]
                for fld, cell in zip(block.fields, cells, strict=True):
                    path = ".".join((table.key, row.key,
                                     *(() if len(block.fields) == 1 else (fld.key,))))
                    out[path] = parse_value(cell.text, fld.value)
        return out

    def scaffold(self, table: Spec, figures: Figures, line: Line) -> list[str]:
        out = []
        for block in self.blocks:
            out.append(f"  # {block.caption}")
            for row in block.rows:
                out.append(_row_line(table.key, block, row, figures, line))
        return out

    def grid_columns(self) -> int:
        return 1 + max(len(b.fields) for b in self.blocks)

    @classmethod
    def count_cells(cls, data: dict[str, Any]) -> int:
        return sum(len(items(b, "rows")) * len(items(b, "fields"))
                   for b in items(data, "blocks"))

    @classmethod
    def top_keys(cls, data: dict[str, Any]) -> list[tuple[PathKey, str]]:
        return [(("blocks", i, "rows", j, "key"), r["key"])
                for i, b in enumerate(data["blocks"]) for j, r in enumerate(b["rows"])]

    @classmethod
    def check(cls, problems: Problems, base: PathKey, data: dict[str, Any]) -> None:
        rows: dict[str, PathKey] = {}
        for i, block in enumerate(data["blocks"]):
            fields: dict[str, PathKey] = {}
            for j, fld in enumerate(block["fields"]):
                problems.dup(fields, fld["key"], (*base, "blocks", i, "fields", j, "key"), "列")
            for j, row in enumerate(block["rows"]):
                problems.dup(rows, row["key"], (*base, "blocks", i, "rows", j, "key"), "行")


def _cell(key: str, row: Row, fld: Field, block: Block, span: int,
          value: Callable[[str], Value], conv: Labels) -> Cell:
    path = f"{key}.{row.key}" if len(block.fields) == 1 else f"{key}.{row.key}.{fld.key}"
    return value_cell(value(path), path, span, conv.label(fld.unit) if fld.unit else None)


def _row_schema(block: Block, row: Row, parts: SchemaParts) -> dict[str, Any]:
    desc = f"{block.caption} {row.label}"
    if len(block.fields) == 1:
        fld = block.fields[0]
        return parts.value(fld.value, row.na, row.label, f"{desc} {fld.label}")
    cols = {f.key: parts.value(f.value, row.na, f.label, f"{desc} {f.label}")
            for f in block.fields}
    row_schema = parts.obj(row.label, desc, cols)
    row_schema["type"] = ["object", "array", *(["string"] if row.na else [])]
    row_schema.update(
        prefixItems=[{"anyOf": [parts.item(f.value), {"const": parts.na}]} if row.na
                     else parts.item(f.value) for f in block.fields],
        minItems=len(block.fields), maxItems=len(block.fields),
    )
    if row.na:
        row_schema["pattern"] = f"^{parts.na}$"
    return row_schema


def _row_line(base: str, block: Block, row: Row, figures: Figures, line: Line) -> str:
    na = "；不适用填 na" if row.na else ""
    path = f"{base}.{row.key}"
    if len(block.fields) == 1:
        return line(2, f"{row.key}: {figures(path)}", f"{row.label} {block.fields[0].label}{na}")
    given = [figures(f"{path}.{f.key}") for f in block.fields]
    body = NA if set(given) == {NA} else "{" + ", ".join(
        f"{f.key}: {v}" for f, v in zip(block.fields, given, strict=True)) + "}"
    labels = "、".join(f.label + (f"（{f.unit}）" if f.unit else "") for f in block.fields)
    return line(2, f"{row.key}: {body}", f"{row.label}：{labels}{na}")
