"""Editions: the statutory layouts, declared as data (``2021.yaml``, ``2019.yaml``, …).

This module only reads that data into typed specs. Everything else — schema, scaffold,
messages, rules, document model — asks these specs for labels, keys and shapes, so adding an
edition or a provincial table is a data change.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource

from gxgen import keys, kinds
from gxgen.kinds.base import Block, CellSpec, Field, Node, Row, TableKind
from gxgen.numbering import section_number

__all__ = ["Block", "CellSpec", "Edition", "Field", "Node", "Row", "Section", "TableSpec",
           "table_from_data"]


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
    topics: bool = False
    """Whether the section's narrative must touch the edition's ``content.overview_topics``."""


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


def common() -> dict[str, Any]:
    """What every edition shares (``common.yaml``; read once, by ``gxgen.keys``)."""
    return keys.common()


@functools.cache
def traditional() -> dict[str, str]:
    """The reviewed traditional form of every fixed label and phrase (simplified → traditional)."""
    return _read("traditional.yaml")


@dataclass(frozen=True)
class ValueType:
    """A kind of figure (``count``, ``wan_yuan`` …), as ``common.yaml``'s ``value_types``
    declares it: the schema, the decimals, the unit and how messages name it."""

    name: str
    schema: dict[str, Any] = field(hash=False)
    expected: tuple[str, str]
    """What a figure of this type must be, in Chinese and English (schema findings)."""
    places: int | None = None
    """Decimal places allowed (``None``: as the schema says)."""
    unit: str | None = None


@dataclass(frozen=True)
class Deadline:
    """When an agency type publishes its report on year Y: ``month``/``day`` of Y + 1."""

    month: int
    day: int
    basis: str
    """The statute the D-LATE finding quotes."""


def _value_types() -> dict[str, ValueType]:
    return {
        name: ValueType(name, dict(spec["schema"]), (spec["expected"][0], spec["expected"][1]),
                        spec.get("places"), spec.get("unit"))
        for name, spec in common()["value_types"].items()
    }


VALUE_TYPES: dict[str, ValueType] = _value_types()
"""Every value type by name, in declaration order."""

TOTAL_KEY = keys.TOTAL_KEY

NA = keys.NA

NA_PRINTED = keys.NA_PRINTED

DEADLINES: dict[str, Deadline] = {
    kind: Deadline(int(d["month"]), int(d["day"]), d["basis"])
    for kind, d in common()["deadlines"].items()
}
"""Publication deadlines by agency type (《条例》第四十九条); a type not listed has none."""


def edition_schema() -> dict[str, Any]:
    """The JSON Schema of a built-in edition file (``editions/edition.schema.json``); its
    tables are those of an extension definition (``extension.schema.json``)."""
    return json.loads(resources.files(__package__).joinpath("edition.schema.json")
                      .read_text("utf-8"))


@functools.cache
def _edition_validator(part: str) -> jsonschema.Draft202012Validator:
    tables = json.loads(resources.files(__package__).joinpath("extension.schema.json")
                        .read_text("utf-8"))
    own = edition_schema()
    registry: Registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in (tables, own))
    return jsonschema.Draft202012Validator({"$ref": own["$id"] + part}, registry=registry)


def check_edition(name: str, data: Any, part: str = "") -> None:
    """Refuse an edition file that does not match its schema (``part``: ``#/$defs/common`` for
    ``common.yaml``): ``ValueError`` naming the file, the field and what is wrong (a broken
    built-in file is gxgen's bug, found by the tests)."""
    error = jsonschema.exceptions.best_match(_edition_validator(part).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise ValueError(f"{name}: {where}: {error.message}")


_EDITION_ID = re.compile(r"^id:", re.MULTILINE)


def edition_files() -> dict[str, str]:
    """The built-in edition files by id: each ``<id>.yaml`` with an ``id:`` field (the other
    data files — common, traditional, figures — have none)."""
    return {name[:-len(".yaml")]: name for name in _yaml_names()
            if _EDITION_ID.search(resources.files(__package__).joinpath(name).read_text("utf-8"))}


@functools.cache
def _yaml_names() -> tuple[str, ...]:
    return tuple(sorted(e.name for e in resources.files(__package__).iterdir()
                        if e.name.endswith(".yaml") and e.is_file()))


@functools.cache
def _edition_data() -> dict[str, dict[str, Any]]:
    """The built-in edition files, read. Their shape is checked by the tests
    (``check_edition``), not on every run: they change only with gxgen."""
    out = {}
    for stem, name in edition_files().items():
        data = _read(name)
        if str(data["id"]) != stem:
            raise ValueError(f"{name}: id: {data['id']!r} is not the file's name")
        out[stem] = data
    return out


@functools.cache
def load(edition_id: str) -> Edition:
    """A built-in edition (``"2021"``, ``"2019"``: ``available()``)."""
    data = _edition_data()[edition_id]
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
                topics=bool(s.get("topics", False)),
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
    """The built-in edition ids, newest format first."""
    files = _edition_data()
    return sorted(files, key=lambda e: int(files[e]["first_year"]), reverse=True)
