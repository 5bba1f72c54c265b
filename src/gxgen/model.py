"""Facts + edition → the document model (``gxgen.document``), in the target script.

This is where the statutory grids are laid out, generically per table kind: a matrix's
header comes from its column tree (a leaf spans down to the last header row, a group spans
its leaves), its stub from its row tree (a group spans its leaves' rows, a leaf spans right
to the values). Labels come from the edition and go through ``Converter.label`` (reviewed
traditional forms); the author's text goes through ``Converter.narrative`` (OpenCC).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from gxgen.document import Block, Cell, Document, Heading, Paragraph, Signature, Table
from gxgen.editions import NA, NA_PRINTED, Node, TableSpec
from gxgen.facts import Facts, Value
from gxgen.numbering import item_number


class Converter(Protocol):
    lang: str

    def label(self, text: str) -> str: ...

    def narrative(self, text: str) -> str: ...


class Simplified:
    """The identity converter (simplified Chinese, the script the facts are written in)."""

    lang = "zh-Hans"

    def label(self, text: str) -> str:
        return text

    def narrative(self, text: str) -> str:
        return text


def format_value(value: Value) -> str:
    """How a figure is printed: integers as is, amounts without exponent, ``na`` as "/",
    and zero without a sign (``-0.0`` is "0.0")."""
    if value == NA:
        return NA_PRINTED
    if isinstance(value, Decimal):
        return format(value.copy_abs() if value.is_zero() else value, "f")
    return str(value)


def build_document(facts: Facts, conv: Converter | None = None, draft: bool = False) -> Document:
    conv = conv or Simplified()
    edition = facts.edition
    phrases = edition.phrases
    blocks: list[Block] = []
    blocks += _narrative(facts, "preface", conv)
    for number, section in edition.numbered():
        blocks.append(Heading(1, conv.label(number + section.title)))
        if section.narrative and not section.record:
            blocks += _narrative(facts, section.narrative, conv, section.required)
        for key in section.tables:
            table = edition.tables[key]
            raw = facts.data.get(key)
            if isinstance(raw, dict) and raw.get("text"):
                blocks += _narrative(facts, f"{key}.text", conv)
            blocks.append(layout(table, facts, conv))
        if section.record:
            blocks += _record(facts, section.record, section.narrative, conv)
    title = facts.data.get("title")
    if title:
        lines = tuple(conv.narrative(line.strip()) for line in str(title).splitlines()
                      if line.strip())
    else:
        lines = _default_title(conv.label(phrases["title"]), conv.narrative(facts.agency),
                               facts.year)
    signature = None
    if facts.date or facts.data.get("signature"):
        date = facts.date
        signature = Signature(
            agency=conv.narrative(str(facts.data.get("signature") or facts.agency)),
            date=conv.label(phrases["date"]).format(year=date.year, month=date.month,
                                                    day=date.day) if date else None,
        )
    meta = {"agency": facts.agency, "year": str(facts.year), "edition": edition.id}
    if facts.date:
        meta["date"] = facts.date.isoformat()
    return Document(
        title=lines,
        lang=conv.lang,
        blocks=tuple(blocks),
        signature=signature,
        draft_mark=conv.label(phrases["draft_mark"]) if draft else None,
        meta=meta,
    )


TITLE_CHARS = 20
"""Characters of 2号 type in the 156 mm text width (GB/T 9704): a longer title is set on two
lines, broken between the agency and the rest, never inside a word (7.3.1 回行时词意完整)."""


def _default_title(template: str, agency: str, year: int) -> tuple[str, ...]:
    whole = template.format(agency=agency, year=year)
    if len(whole) <= TITLE_CHARS or "{year}" not in template:
        return (whole,)
    head, _, tail = template.partition("{year}")
    return tuple(x for x in (head.format(agency=agency), "{year}".join(("", tail)).format(
        year=year)) if x)


def _narrative(facts: Facts, key: str, conv: Converter, required: bool = False) -> list[Block]:
    """The author's text. gxgen writes nothing in its place: a required text (or sub-heading)
    left empty — rendered only as a draft, validation refuses it — is marked 【未填写】."""
    out: list[Block] = []
    numbered = 0
    unwritten = Paragraph(conv.label(facts.edition.phrases["unwritten"]))
    for item in facts.narrative(key):
        if item.heading:
            out.append(Heading(2, item_number(numbered) + conv.narrative(item.heading)))
            numbered += 1
            if required and not item.paragraphs:
                out.append(unwritten)
        out += [Paragraph(conv.narrative(p)) for p in item.paragraphs]
    return out or [unwritten] * required


def _record(facts: Facts, record: str, narrative: str | None, conv: Converter) -> list[Block]:
    """Section 六: the 信息处理费 sentence (when the figures are given) and the text."""
    phrases = facts.edition.phrases
    out: list[Block] = []
    fields = facts.edition.record_fields(record)
    base = facts.edition.record_path(record)
    if any(f"{base}.{f.key}" in facts.typed for f in fields):
        values = {f.key: format_value(facts.value(f"{base}.{f.key}")) for f in fields}
        if all(facts.number(f"{base}.{f.key}") == 0 for f in fields):
            out.append(Paragraph(conv.label(phrases["fees_none"])))
        else:
            out.append(Paragraph(conv.label(phrases["fees"]).format(**values)))
    if narrative:
        out += _narrative(facts, narrative, conv)
    return out


def layout(table: TableSpec, facts: Facts, conv: Converter) -> Table:
    if table.kind == "blocks":
        return _blocks(table, facts, conv)
    if table.kind == "matrix":
        return _matrix(table, facts, conv)
    if table.kind == "indicators":
        return _indicators(table, facts, conv)
    raise ValueError(f"unknown table kind {table.kind!r}")


def _value(facts: Facts, path: str, colspan: int = 1, unit: str | None = None) -> Cell:
    """A figure's cell; ``unit`` follows the figure (not "/") where the header has none."""
    value = facts.value(path)
    text = format_value(value)
    if unit and value != NA:
        text += unit
    return Cell(text, "value", colspan=colspan, path=path)


def _spans(width: int, n: int) -> list[int]:
    """Share ``width`` grid columns among ``n`` fields; the last takes the remainder."""
    each = width // n
    return [each] * (n - 1) + [width - each * (n - 1)]


def _blocks(table: TableSpec, facts: Facts, conv: Converter) -> Table:
    width = max(len(b.fields) for b in table.blocks)
    cols = 1 + width
    rows: list[tuple[Cell, ...]] = []
    for block in table.blocks:
        rows.append((Cell(conv.label(block.caption), "caption", colspan=cols),))
        spans = _spans(width, len(block.fields))
        rows.append((Cell(conv.label(table.stub or ""), "header"),
                     *(Cell(conv.label(f.label), "header", colspan=s)
                       for f, s in zip(block.fields, spans, strict=True))))
        for row in block.rows:
            single = len(block.fields) == 1
            rows.append((Cell(conv.label(row.label), "stub"),
                         *(_value(facts, f"{table.key}.{row.key}" if single
                                  else f"{table.key}.{row.key}.{f.key}", s,
                                  conv.label(f.unit) if f.unit else None)
                           for f, s in zip(block.fields, spans, strict=True))))
    return Table(table.key, cols, tuple(rows), 0, _widths(table, cols), _title(table, conv))


def _depth(nodes: tuple[Node, ...]) -> int:
    return max((1 + _depth(n.children) for n in nodes), default=0)


def _count(node: Node) -> int:
    return sum(1 for _ in node.leaves())


def _matrix(table: TableSpec, facts: Facts, conv: Converter) -> Table:
    col_depth = _depth(table.columns)
    stub = _depth(table.rows)
    header: list[list[Cell]] = [[] for _ in range(col_depth)]
    if stub:
        header[0].append(Cell(conv.label(table.corner or ""), "corner", rowspan=col_depth,
                              colspan=stub))

    def heads(nodes: tuple[Node, ...], depth: int) -> None:
        for node in nodes:
            if node.children:
                header[depth].append(Cell(conv.label(node.label), "header",
                                          colspan=_count(node)))
                heads(node.children, depth + 1)
            else:
                header[depth].append(Cell(conv.label(node.label), "header",
                                          rowspan=col_depth - depth))

    heads(table.columns, 0)
    col_paths = [".".join(k for k in (*[n.key for n in chain], leaf.key) if k)
                 for node in table.columns for chain, leaf in node.leaves()]
    body: list[tuple[Cell, ...]] = []

    def values(prefix: str) -> list[Cell]:
        return [_value(facts, f"{prefix}.{c}") for c in col_paths]

    def stubs(nodes: tuple[Node, ...], depth: int, prefix: str, pending: list[Cell]) -> None:
        for node in nodes:
            path = f"{prefix}.{node.key}" if node.key else prefix
            if node.children:
                group = Cell(conv.label(node.label), "stub", rowspan=_count(node))
                stubs(node.children, depth + 1, path, [*pending, group])
                pending = []
            else:
                leaf = Cell(conv.label(node.label), "stub", colspan=stub - depth)
                body.append((*pending, leaf, *values(path)))
                pending = []

    if table.rows:
        stubs(table.rows, 0, table.key, [])
    else:
        body.append(tuple(values(table.key)))
    rows = tuple(tuple(r) for r in header) + tuple(body)
    cols = stub + len(col_paths)
    return Table(table.key, cols, rows, col_depth, _widths(table, cols), _title(table, conv))


def _indicators(table: TableSpec, facts: Facts, conv: Converter) -> Table:
    rows: list[tuple[Cell, ...]] = [
        tuple(Cell(conv.label(c), "header") for c in table.indicator_columns)
    ]
    for row in table.indicator_rows:
        label = Cell(conv.label(row.label), "stub", indent=row.indent)
        unit = Cell(conv.label(row.unit or ""), "unit")
        if row.heading:
            rows.append((label, unit, Cell("", "value")))
        else:
            rows.append((label, unit, _value(facts, f"{table.key}.{row.key}")))
    return Table(table.key, len(table.indicator_columns), tuple(rows), 1,
                 _widths(table, len(table.indicator_columns)), _title(table, conv))


def _widths(table: TableSpec, cols: int) -> tuple[float, ...]:
    return table.widths if len(table.widths) == cols else ()


def _title(table: TableSpec, conv: Converter) -> str | None:
    return conv.label(table.title) if table.title else None

