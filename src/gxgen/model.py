"""Facts + edition → the document model (``gxgen.document``), in the target script.

Sections, headings, narrative and signature are put in order here; each statutory grid is
laid out by its table kind (``gxgen.kinds``: a matrix's header from its column tree, its
stub from its row tree). Labels come from the edition and go through ``Converter.label``
(reviewed traditional forms); the author's text goes through ``Converter.narrative`` (OpenCC).
"""

from __future__ import annotations

from typing import Protocol

from gxgen.document import Block, Document, Heading, Paragraph, Signature, Table
from gxgen.editions import TableSpec
from gxgen.facts import Facts
from gxgen.kinds.base import format_value
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
    """The table in the document model, laid out by its kind (``gxgen.kinds``)."""
    return table.shape.layout(table, facts.value, conv)
