"""Editions: the statutory layouts, declared as data (``2021.yaml``, ``2019.yaml``, …).

This module only reads that data into typed specs. Everything else — schema, scaffold,
messages, rules, document model — asks these specs for labels, keys and shapes, so adding an
edition or a provincial table is a data change.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml

from gxgen import kinds
from gxgen.kinds.base import Block, CellSpec, Field, Node, Row, TableKind
from gxgen.numbering import section_number

__all__ = ["Block", "CellSpec", "Edition", "Field", "Node", "Row", "Section", "TableSpec",
           "table_from_data"]

VALUE_TYPES = ("count", "signed", "wan_yuan", "yuan", "amount")


@dataclass(frozen=True)
class Balance:
    """``Σ left = Σ right`` for every column (the 勾稽关系 of the 申请 table)."""

    id: str
    left: tuple[str, ...]
    right: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """An extra identity between cells of one table: ``left`` = Σ ``right`` (op ``sum``),
    ``left`` ≤ Σ ``right`` (op ``le``) or ``left`` + Σ ``right`` ≥ 0 (op ``nonneg``)."""

    id: str
    op: str
    left: str
    right: tuple[str, ...]
    severity: str = "error"


@dataclass(frozen=True)
class Carry:
    """Cross-year: this year's ``into`` row equals last year's ``from`` row, per column."""

    id: str
    into: str
    source: str


@dataclass(frozen=True)
class Stock:
    """Cross-year plausibility: ``stock = last stock + added − removed`` for ``rows``."""

    id: str
    rows: tuple[str, ...]
    stock: str
    added: str
    removed: str


@dataclass(frozen=True)
class TableSpec:
    """A statutory table: what every kind has (key, label, rules, widths) and its ``shape``,
    the kind's own fields and behaviour (``gxgen.kinds``)."""

    key: str
    label: str
    shape: TableKind
    code: str = ""
    carry: Carry | None = None
    stock: Stock | None = None
    widths: tuple[float, ...] = ()
    title: str | None = None
    balance: Balance | None = None
    checks: tuple[Check, ...] = ()

    @property
    def kind(self) -> str:
        return self.shape.name

    @functools.cached_property
    def cells(self) -> tuple[CellSpec, ...]:
        """Every value cell of the table, in reading order."""
        return tuple(self.shape.cells(self))

    def cell(self, path: str) -> CellSpec:
        return self.cell_index[path]

    def labels(self) -> frozenset[str]:
        """Every fixed text of the table (its traditional forms are looked up, not converted)."""
        out = {self.label, self.title, *self.shape.labels()}
        return frozenset(x for x in out if x)

    @functools.cached_property
    def cell_index(self) -> dict[str, CellSpec]:
        return {c.path: c for c in self.cells}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    narrative: str | None = None
    tables: tuple[str, ...] = ()
    record: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Edition:
    id: str
    name: str
    notice: str
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    tables: dict[str, TableSpec]
    common: dict[str, Any] = field(compare=False, hash=False, repr=False)
    extensions: tuple[str, ...] = ()
    """Names of the extension-table files applied to this edition (``zhejiang``)."""
    own_labels: frozenset[str] = frozenset()
    """Labels from a user's own extension definition files: gxgen has not reviewed their
    traditional forms, so these alone go through OpenCC (``variants.Converter``)."""

    def covers(self, year: int) -> bool:
        """Whether this is the format for a report on ``year``."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def numbered(self) -> list[tuple[str, Section]]:
        """Sections with their numbers (``一、`` …), which shift when a block is inserted."""
        return [(section_number(i), s) for i, s in enumerate(self.sections)]

    def section_of(self, table: str) -> tuple[str, Section]:
        for number, section in self.numbered():
            if table in section.tables:
                return number, section
        raise KeyError(table)

    def cell_name(self, cell: CellSpec) -> str:
        """How messages name a statutory figure: ``三、收到和处理… 本年新收·自然人``."""
        if cell.table in self.tables:
            number, _ = self.section_of(cell.table)
            where = number + self.tables[cell.table].label
        else:
            number, section = next((n, s) for n, s in self.numbered() if s.record == cell.table)
            where = number + section.title
        name = "·".join(x for x in (cell.row_label, cell.col_label) if x)
        return f"{where} {name}"

    @functools.cached_property
    def cells(self) -> dict[str, CellSpec]:
        """Every statutory figure of the edition (tables and records), by facts path."""
        out: dict[str, CellSpec] = {}
        for section in self.sections:
            for key in section.tables:
                out.update(self.tables[key].cell_index)
        for path, spec in self.record_cells().items():
            out[path] = spec
        return out

    def record_cells(self) -> dict[str, CellSpec]:
        out = {}
        for section in self.sections:
            if not section.record:
                continue
            base = self.record_path(section.record)
            for fld in self.record_fields(section.record):
                path = f"{base}.{fld.key}"
                out[path] = CellSpec(
                    path=path, table=section.record, row=(), col=(fld.key,), value=fld.value,
                    row_label=self.field_label(base), col_label=fld.label,
                )
        return out

    def record_path(self, name: str) -> str:
        """Where a record sits in the facts (``other_matters.processing_fees``)."""
        return _record_path(self.common, name)

    def record_fields(self, name: str) -> tuple[Field, ...]:
        return tuple(Field(**f) for f in self.common["records"][name]["fields"])

    @property
    def fields(self) -> dict[str, Any]:
        return self.common["fields"]

    def field_label(self, path: str) -> str:
        """The Chinese label of a top-level or nested field path (``other_matters.text``)."""
        spec: dict[str, Any] = {"children": self.fields}
        for part in path.split("."):
            children = spec.get("children") or {}
            if part not in children:
                return path
            spec = children[part]
        return spec["label"]

    @property
    def phrases(self) -> dict[str, str]:
        return self.common["phrases"]

    def with_tables(self, section_after: str, section: Section, tables: dict[str, TableSpec],
                    in_section: str | None = None, last: bool = False) -> Edition:
        """A copy with extension tables: a new section after ``section_after`` (or, with
        ``in_section``, extra tables placed first — ``last``: last — in that existing section)."""
        sections = list(self.sections)
        if in_section:
            i = next(i for i, s in enumerate(sections) if s.key == in_section)
            old = sections[i].tables
            sections[i] = replace(sections[i], tables=(*old, *section.tables) if last
                                  else (*section.tables, *old))
        else:
            i = next(i for i, s in enumerate(sections) if s.key == section_after)
            sections.insert(i + 1, section)
        new = dict(self.tables)
        new.update(tables)
        return replace(self, sections=tuple(sections), tables=new)


def _record_path(common: dict[str, Any], record: str) -> str:
    for key, spec in common["fields"].items():
        if spec.get("type") == "group":
            for sub, subspec in spec.get("children", {}).items():
                if subspec.get("type") == "record" and sub == record:
                    return f"{key}.{sub}"
        if spec.get("type") == "record" and key == record:
            return key
    raise KeyError(record)


def table_from_data(key: str, data: dict[str, Any]) -> TableSpec:
    """Build a ``TableSpec`` from its data declaration (built-in or an extension file)."""
    balance = data.get("balance")
    carry, stock = data.get("carry"), data.get("stock")
    return TableSpec(
        key=key,
        label=data["label"],
        shape=kinds.get(data["kind"]).from_data(data),
        code=data.get("code", ""),
        carry=Carry(carry["id"], carry["into"], carry["from"]) if carry else None,
        stock=Stock(stock["id"], tuple(stock["rows"]), stock["stock"], stock["added"],
                    stock["removed"]) if stock else None,
        widths=tuple(float(w) for w in data.get("widths", ())),
        title=data.get("title"),
        balance=Balance(balance["id"], tuple(balance["left"]), tuple(balance["right"]))
        if balance else None,
        checks=tuple(
            Check(c["id"], c["op"], c["left"], tuple(c["right"]), c.get("severity", "error"))
            for c in data.get("checks", ())
        ),
    )


def _read(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)


@functools.cache
def common() -> dict[str, Any]:
    return _read("common.yaml")


@functools.cache
def traditional() -> dict[str, str]:
    """The reviewed traditional form of every fixed label and phrase (simplified → traditional)."""
    return _read("traditional.yaml")


EDITION_IDS = ("2021", "2019")


@functools.cache
def load(edition_id: str) -> Edition:
    """The built-in edition ``"2021"`` or ``"2019"``."""
    if edition_id not in EDITION_IDS:
        raise KeyError(edition_id)
    data = _read(f"{edition_id}.yaml")
    return Edition(
        id=str(data["id"]),
        name=data["name"],
        notice=data["notice"],
        first_year=int(data["first_year"]),
        last_year=data.get("last_year"),
        sections=tuple(
            Section(
                key=s["key"],
                title=s["title"],
                narrative=s.get("narrative"),
                tables=tuple(s.get("tables", ())),
                record=s.get("record"),
                required=bool(s.get("required", False)),
            )
            for s in data["sections"]
        ),
        tables={k: table_from_data(k, v) for k, v in data["tables"].items()},
        common=common(),
    )


def for_year(year: int) -> Edition | None:
    """The built-in edition a report on ``year`` should use."""
    return next((load(e) for e in available() if load(e).covers(year)), None)


def available() -> list[str]:
    return [e for e in EDITION_IDS if resources.files(__package__).joinpath(f"{e}.yaml").is_file()]
