"""What every table kind shares: the cell types of the edition data and the ``TableKind`` base.

A table kind (``blocks``, ``matrix``, ``indicators``) is one class that knows its own fields
and everything that depends on its shape: its cells, its JSON Schema, reading its values
from facts, its layout in the document model, its scaffold, reading itself back from a laid
out table, and the checks of a definition a schema cannot say. The modules above (schema,
facts, model, scaffold, extensions) hand it their vocabulary through the small protocols
below, so this package imports nothing of theirs and nothing here branches on a kind's name.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from gxgen.document import Cell, Table
from gxgen.keys import NA, NA_PRINTED

Value = int | Decimal | str
"""An integer count, a ``Decimal`` amount, or ``"na"`` (not applicable, printed "/")."""

PathKey = tuple[str | int, ...]
"""A place in a YAML document: keys and list indices from the top."""

WHOLE = frozenset({"count", "signed"})
"""Value types printed and read as integers (the others are decimal amounts)."""


@dataclass(frozen=True)
class Field:
    """A column of a blocks table, or a field of a record."""

    key: str
    label: str
    value: str = "count"
    unit: str | None = None
    """Printed after the figure when the header carries no unit (2019 采购总金额: "109994元")."""


@dataclass(frozen=True)
class Node:
    """A row or column label in a matrix table (a tree: groups hold children)."""

    label: str
    key: str | None = None
    short: str | None = None
    total: str | None = None
    """Rule id when this leaf is the sum of the other leaves of its parent group."""
    children: tuple[Node, ...] = ()

    def leaves(self) -> Iterator[tuple[tuple[Node, ...], Node]]:
        """Yield ``(ancestors, leaf)`` pairs, ancestors outermost first (self included)."""
        if not self.children:
            yield (), self
            return
        for child in self.children:
            for chain, leaf in child.leaves():
                yield (self, *chain), leaf

    @property
    def name(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Row:
    """A row of a blocks or indicator table."""

    key: str
    label: str
    na: bool = False
    unit: str | None = None
    indent: int = 0
    heading: bool = False
    """A label-only row (``（二）通过不同渠道…`` with unit ``——``): no value of its own."""
    value: str | None = None
    """Value type of an indicator row when it differs from the table's (专项经费 in 万元)."""


@dataclass(frozen=True)
class Block:
    caption: str
    fields: tuple[Field, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class CellSpec:
    """One statutory figure: where it lives in the facts and what it is called."""

    path: str
    """Dotted facts path, e.g. ``applications.withheld.state_secret.natural``."""
    table: str
    row: tuple[str, ...]
    """Keys of the row part of the path (may be empty: 复议/诉讼 has one unlabelled row)."""
    col: tuple[str, ...]
    """Keys of the column part of the path (empty for single-field rows)."""
    value: str
    row_label: str
    col_label: str
    na: bool = False
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """For a total: ``(rule id, facts paths summed)`` for each dimension it totals (the
    （七）总计 cell of the 总计 column totals both its column and its row)."""

    @property
    def total(self) -> bool:
        return bool(self.sums)


def format_value(value: Value) -> str:
    """How a figure is printed: integers as is, amounts without exponent, ``na`` as "/",
    and zero without a sign (``-0.0`` is "0.0")."""
    if value == NA:
        return NA_PRINTED
    if isinstance(value, Decimal):
        return format(value.copy_abs() if value.is_zero() else value, "f")
    return str(value)


def parse_value(text: str, value_type: str) -> Value:
    """The figure a printed cell shows (the inverse of ``format_value``; a unit printed
    after the figure, such as 元, is left aside)."""
    text = text.strip()
    if text == NA_PRINTED:
        return NA
    match = _FIGURE.match(text)
    if not match:
        raise ValueError(f"not a figure: {text!r}")
    return int(match[0]) if value_type in WHOLE else Decimal(match[0])


_FIGURE = re.compile(r"-?\d+(?:\.\d+)?")


class Spec(Protocol):
    """What a kind reads of the table it shapes (``editions.TableSpec``)."""

    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def widths(self) -> tuple[float, ...]: ...

    @property
    def title(self) -> str | None: ...


class Labels(Protocol):
    """Fixed texts in the target script (``model.Converter``)."""

    def label(self, text: str) -> str: ...


class Figures(Protocol):
    """The figures a scaffold writes (``scaffold._Figures``): given ones or zeros."""

    def __call__(self, path: str) -> str: ...

    @property
    def totals(self) -> bool: ...


class SchemaParts(Protocol):
    """The value and object schemas ``gxgen.schema`` builds tables from."""

    na: str

    def value(self, value_type: str, na: bool, title: str, description: str) -> dict[str, Any]:
        ...

    def item(self, value_type: str) -> dict[str, Any]: ...

    def obj(self, title: str, description: str, props: dict[str, Any]) -> dict[str, Any]: ...


class Problems(Protocol):
    """Where a definition check reports (``extensions._Problems``)."""

    def add(self, path: PathKey, code: str, on_key: bool = False,
            where: PathKey | None = None, **params: Any) -> None: ...

    def dup(self, seen: dict[str, PathKey], key: str, path: PathKey, what: str) -> None: ...


Put = Callable[[str, Any, PathKey], None]
"""``put(facts path, raw value, place in the file)``: one figure as the author wrote it."""

Line = Callable[..., str]
"""``line(indent, body, comment)``: one scaffold line with its label comment aligned."""


def value_cell(value: Value, path: str, colspan: int = 1, unit: str | None = None) -> Cell:
    """A figure's cell; ``unit`` follows the figure (not "/") where the header has none."""
    text = format_value(value)
    if unit and value != NA:
        text += unit
    return Cell(text, "value", colspan=colspan, path=path)


def widths(table: Spec, cols: int) -> tuple[float, ...]:
    return table.widths if len(table.widths) == cols else ()


def title(table: Spec, conv: Labels) -> str | None:
    return conv.label(table.title) if table.title else None


class TableKind(ABC):
    """One table kind: its own fields (a frozen dataclass in the subclass) and behaviour."""

    name: ClassVar[str]

    @classmethod
    @abstractmethod
    def from_data(cls, data: dict[str, Any]) -> TableKind:
        """The kind's fields from a table declaration (built-in or extension file)."""

    @abstractmethod
    def cells(self, table: Spec) -> Iterator[CellSpec]:
        """Every value cell of the table, in reading order."""

    @abstractmethod
    def labels(self) -> set[str | None]:
        """The kind's fixed texts (headers, row labels, units)."""

    @abstractmethod
    def schema(self, table: Spec, parts: SchemaParts) -> dict[str, Any]:
        """The JSON Schema properties of the table's facts mapping (without ``text``)."""

    @abstractmethod
    def read_facts(self, table: Spec, raw: dict[str, Any], put: Put) -> None:
        """Each figure the author wrote, in whatever form the schema allows, to ``put``."""

    @abstractmethod
    def layout(self, table: Spec, value: Callable[[str], Value], conv: Labels) -> Table:
        """The table in the document model; ``value(path)`` gives each figure."""

    @abstractmethod
    def read_back(self, table: Spec, grid: Table) -> dict[str, Value]:
        """The figures of a laid-out table, by facts path, read by position from cell texts
        (the inverse of ``layout``: what a reader of published reports builds on)."""

    @abstractmethod
    def scaffold(self, table: Spec, figures: Figures, line: Line) -> list[str]:
        """The lines of the table's facts mapping under its key (labels as comments)."""

    def row_name(self, key: str) -> str | None:
        """The short name of the row (or row group) keyed ``key`` at any depth, for the
        figure checks' messages; ``None`` where the kind has no such row tree."""
        return None

    def row_groups(self) -> dict[tuple[str, ...], str]:
        """The name of each keyed row group by its keys (``("withheld",)`` → （三）不予公开):
        ``diff`` spells them out where leaf rows repeat across groups."""
        return {}

    def group_label(self, keys: tuple[str, ...]) -> str:
        """The label of the keyed row or column group at ``keys``, for messages about a
        whole group; "" where the kind has no groups."""
        return ""

    @abstractmethod
    def grid_columns(self) -> int:
        """How many grid columns the layout has (a definition's ``widths`` must match)."""

    @classmethod
    @abstractmethod
    def count_cells(cls, data: dict[str, Any]) -> int:
        """The figures a declaration holds, counted without checking or laying it out."""

    @classmethod
    @abstractmethod
    def top_keys(cls, data: dict[str, Any]) -> list[tuple[PathKey, str]]:
        """``(place in the declaration, key)`` of each key its facts mapping holds directly."""

    @classmethod
    @abstractmethod
    def check(cls, problems: Problems, base: PathKey, data: dict[str, Any]) -> None:
        """What a schema cannot say of a declaration: keys unique where they meet."""


def items(data: Any, key: str) -> list[Any]:
    """``data[key]`` when it is a list (a declaration not yet checked may hold anything)."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []
