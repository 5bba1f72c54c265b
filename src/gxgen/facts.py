"""Facts: a schema-valid facts file, normalised for rules and the document model.

Every statutory figure becomes one entry of a flat table keyed by its dotted path
(``applications.withheld.state_secret.natural``), whatever form the author used (a list of
six numbers, a mapping by column key, a row left out). Totals the author left out are
computed here; totals the author typed are kept, and ``rules`` checks them.

A file with schema errors is built too, from its valid parts: each place the schema refused
is cut out, the figures there (and totals that depend on them) are *unknown*, and a rule that
needs an unknown figure does not run. So a reviewer sees every finding the valid cells allow
at once; such facts are never rendered.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gxgen.editions import NA, VALUE_TYPES, CellSpec, Edition, TableSpec
from gxgen.findings import Finding
from gxgen.loader import Loaded, Mark, PathKey

Value = int | Decimal | str
"""An integer count, a ``Decimal`` amount, or ``"na"`` (not applicable, printed "/")."""


@dataclass(frozen=True)
class Item:
    """One narrative item: an optional sub-heading and its paragraphs."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass
class Facts:
    file: str
    edition: Edition
    data: dict[str, Any]
    marks: Any
    typed: dict[str, Value] = field(default_factory=dict)
    """Figures the author wrote, by facts path."""
    where: dict[str, PathKey] = field(default_factory=dict)
    """Where each typed figure sits in the YAML (for line numbers)."""
    values: dict[str, Value] = field(default_factory=dict)
    """Every known figure of the edition: typed, computed total, or 0 for a row left out."""
    unknown: set[str] = field(default_factory=set)
    """Figures that could not be read (a schema error there, or a total depending on one):
    absent from ``values``."""
    invalid: frozenset[str] = frozenset()
    """Top-level fields with a schema error (``year``, ``overview``, a table key)."""

    def known(self, *paths: str) -> bool:
        """Whether every one of these figures was read (a rule needing one that was not is
        skipped)."""
        return all(p in self.values for p in paths)

    def usable(self, key: str) -> bool:
        """Whether a field (``year``, ``date``, ``other_matters.text``) passed the schema."""
        return key.split(".")[0] not in self.invalid

    @property
    def agency(self) -> str:
        return str(self.data["agency"])

    @property
    def year(self) -> int:
        return int(self.data["year"])

    @property
    def agency_type(self) -> str:
        return str(self.data.get("agency_type") or "department")

    @property
    def date(self) -> datetime.date | None:
        return parse_date(self.data.get("date"))

    def value(self, path: str) -> Value:
        return self.values[path]

    def number(self, path: str) -> int | Decimal:
        """The figure for arithmetic: ``na`` counts as 0."""
        v = self.values[path]
        return 0 if v == NA else v  # type: ignore[return-value]

    def mark(self, path: str) -> Mark | None:
        """Where a figure (or, if it was left out, its row or table) is in the file."""
        raw = self.where.get(path)
        if raw is not None:
            return self.marks.value(raw)
        parts = path.split(".")
        for i in range(len(parts) - 1, 0, -1):
            probe = tuple(parts[:i])
            if probe in self.marks.values:
                return self.marks.key(probe)
        return None

    def narrative(self, key: str) -> list[Item]:
        """A narrative field (``overview``, ``other_matters.text``) as items."""
        value: Any = self.data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return narrative_items(value)

    def text(self, key: str) -> str:
        """All text of a narrative field, for content checks."""
        return "\n".join(
            line for i in self.narrative(key) for line in (i.heading, *i.paragraphs) if line
        )


def parse_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
    if not m:
        return None
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; lines inside a paragraph are joined (Chinese needs no space)."""
    out = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines:
            out.append("".join(_join(lines)))
    return out


def _join(lines: list[str]) -> list[str]:
    """Join wrapped lines; keep a space between two Latin words split over lines."""
    out = [lines[0]]
    for line in lines[1:]:
        if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and line[:1].isascii() \
                and line[:1].isalnum():
            out.append(" ")
        out.append(line)
    return out


def narrative_items(value: Any) -> list[Item]:
    if value is None:
        return []
    if isinstance(value, str):
        paras = paragraphs(value)
        return [Item(None, tuple(paras))] if paras else []
    items: list[Item] = []
    for entry in value:
        if isinstance(entry, str):
            paras = paragraphs(entry)
            if paras:
                items.append(Item(None, tuple(paras)))
        elif isinstance(entry, dict):
            body = entry.get("text")
            texts = body if isinstance(body, list) else [body or ""]
            paras = [p for t in texts for p in paragraphs(str(t))]
            heading = entry.get("heading")
            items.append(Item(str(heading).strip() if heading else None, tuple(paras)))
    return items


def build(loaded: Loaded, edition: Edition,
          unusable: Iterable[PathKey] = ()) -> tuple[Facts, list[Finding]]:
    """Normalise a facts file. ``unusable``: the places the schema refused (see
    ``schema.problems``), cut out and left unknown. Returns the facts and any value findings
    (dates that do not exist, amounts with too many decimals, blank cells)."""
    places = [p for p in unusable if p]
    data, gone = _prune(loaded.data, places)
    facts = Facts(loaded.file, edition, data, loaded.marks,
                  invalid=frozenset(str(p[0]) for p in places))
    for section in edition.sections:
        for key in section.tables:
            _read_table(facts, edition.tables[key], data.get(key) or {})
        if section.record:
            for path, spec in edition.record_cells().items():
                if spec.table == section.record:
                    raw = _dig(data, path.split("."))
                    if raw is not _MISSING:
                        _typed(facts, path, raw, tuple(path.split(".")))
    facts.unknown |= {p for p in edition.cells for g in gone
                      if p == g or p.startswith(g + ".")}
    _derive(facts)
    return facts, _value_findings(facts) + _blank_cells(loaded, edition, places)


_MISSING = object()
_UNKNOWN = object()
"""Stands in a list for an element the schema refused, so the others keep their columns."""

BLANKS = frozenset({"", "-", "_", "－", "—", "——", "＿"})
"""What an author leaves in a cell copied from a published table instead of a 0."""

BLANK_HINT_AT = 3
"""From this many blank cells on, one hint follows their errors: they are one habit."""


def _prune(data: dict[str, Any], places: list[PathKey]) -> tuple[dict[str, Any], list[str]]:
    """``data`` without the refused places (a copy), and the dotted figure paths cut out."""
    if not places:
        return data, []
    data = copy.deepcopy(data)
    gone = []
    for place in sorted(set(places), key=len):
        parent: Any = data
        for part in place[:-1]:
            parent = _child(parent, part)
        last = place[-1]
        if isinstance(parent, dict):
            parent.pop(last, None)
            if not any(isinstance(p, int) for p in place):
                gone.append(".".join(place))
        elif isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
            parent[last] = _UNKNOWN
    return data, gone


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _value_at(data: Any, place: PathKey) -> Any:
    for part in place:
        if isinstance(data, dict) and part in data or isinstance(data, list) and isinstance(
                part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return _MISSING
    return data


def _blank_cells(loaded: Loaded, edition: Edition, places: list[PathKey]) -> list[Finding]:
    """One closing hint when several figures were left blank, "-" or "_" (each already has
    its own error): the author copied a published table's look, not its figures."""
    roots = {*edition.tables, *(p.split(".")[0] for p in edition.record_cells())}
    blank = []
    for place in places:
        value = _value_at(loaded.data, place)
        if place[0] in roots and (value is None or isinstance(value, str)
                                  and value.strip() in BLANKS):
            blank.append(place)
    if len(blank) < BLANK_HINT_AT:
        return []
    last = max((loaded.marks.value(p) for p in blank), key=lambda m: (m.line, m.col) if m
               else (0, 0))
    return [Finding("schema", "info", "blank_cells", {"n": len(blank)}, loaded.file,
                    last.line if last else None, last.col if last else None)]


def _dig(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


def _typed(facts: Facts, path: str, value: Any, raw: PathKey) -> None:
    if value is _UNKNOWN:
        facts.unknown.add(path)
        return
    facts.typed[path] = value
    facts.where[path] = raw


def _read_table(facts: Facts, table: TableSpec, raw: dict[str, Any]) -> None:
    def put(path: str, value: Any, where: PathKey) -> None:
        _typed(facts, path, value, where)

    table.shape.read_facts(table, raw, put)


def _derive(facts: Facts) -> None:
    """Every figure's value: typed, else (a total) the sum of its parts — unknown when one
    of them is — else 0."""
    cells = facts.edition.cells
    cache: dict[str, Value | None] = {}

    def eff(path: str) -> Value | None:
        if path in cache:
            return cache[path]
        result: Value | None
        if path in facts.unknown:
            result = None
        elif path in facts.typed:
            result = facts.typed[path]
        elif cells[path].total:
            parts = [eff(p) for p in cells[path].sums[0][1]]
            known = [v for v in parts if v is not None]
            result = sum((_num(v) for v in known), 0) if len(known) == len(parts) else None
        else:
            result = 0
        cache[path] = result
        return result

    facts.values = {path: v for path in cells if (v := eff(path)) is not None}
    facts.unknown = set(cells) - set(facts.values)


def _num(v: Value) -> int | Decimal:
    return 0 if v == NA else v  # type: ignore[return-value]


def _value_findings(facts: Facts) -> list[Finding]:
    out = []
    for path, value in facts.typed.items():
        spec: CellSpec = facts.edition.cells[path]
        places, unit = VALUE_TYPES[spec.value].places, VALUE_TYPES[spec.value].unit
        if places is not None and isinstance(value, Decimal):
            if value != value.quantize(Decimal(1).scaleb(-places)):
                mark = facts.mark(path)
                out.append(Finding(
                    "schema", "error", "too_precise",
                    {"where": facts.edition.cell_name(spec), "value": value, "places": places,
                     "unit": unit},
                    facts.file, mark.line if mark else None, mark.col if mark else None, path))
    raw_date = facts.data.get("date")
    if raw_date is not None and facts.date is None:
        mark = facts.marks.value(("date",))
        out.append(Finding("schema", "error", "bad_date",
                           {"where": facts.edition.field_label("date"), "actual": raw_date},
                           facts.file, mark.line if mark else None, mark.col if mark else None,
                           "date"))
    return out
