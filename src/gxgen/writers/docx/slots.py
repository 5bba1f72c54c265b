"""The slots a prepared template leaves open, and what fills each one: a table, declared once.

Template preparation renders every placeholder as a marker ``GXGEN{kind}_{name}_`` and
splits the parts there. A slot is ``(kind, name, paragraph)``: kind ``P`` stands for a whole
paragraph (``paragraph`` is its XML when the value is set inside it, as for the draft mark),
``L`` for the title's lines inside a run, ``I`` for escaped text inside a ``w:t``. ``lang``
and the font names are ``I`` slots that preparation puts into the styles part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gxgen.document import Document
from gxgen.writers.docx.body import (
    agency_of,
    body_xml,
    esc,
    para,
    signature_xml,
    title_lines,
    title_paragraph,
)
from gxgen.writers.docx.errors import DocxTemplateError

MARK = "GXGEN{kind}_{name}_"
"""A slot's marker: unique text that no template holds by chance."""

VARIABLES = ("title", "body", "signature", "draft", "agency", "date", "year")
"""The placeholders a template may use."""
PARAGRAPH_VARIABLES = ("title", "body", "signature", "draft")
"""The placeholders that may stand for a whole paragraph."""

TRADITIONAL_FONTS = {
    "fangsong": ("仿宋_GB2312", "仿宋"),
    "kaiti": ("楷体_GB2312", "楷体"),
    "xiaobiaosong": ("方正小标宋简体", "方正小标宋_GBK"),
}
"""GB/T 9704's fonts as usually installed cover only GB2312, which has no traditional
characters: Word would patch every traditional glyph from another font. A traditional
document's styles get the GBK cut of the same face instead (slot name → (GB2312, GBK))."""

WORD_LANG = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "zh-TW": "zh-TW", "zh-HK": "zh-HK"}
"""The document's language → Word's ``w:lang`` (other traditional tags: zh-TW)."""


def marker(name: str) -> str:
    """The inline marker of ``name``: what docxtpl is given as its value."""
    return MARK.format(kind="I", name=name)


@dataclass(frozen=True)
class Layout:
    """What the slot values need to know of the template: its style ids (ours → its own),
    its text width, and which paragraphs it places itself (the rest are generated)."""

    styles: dict[str, str]
    text_width: int
    has_title: bool
    has_draft: bool
    has_signature: bool


SlotValue = Callable[[Document, Layout, str], str]
"""A slot's XML for a document, given the template's layout and the paragraph's own XML."""


def _body(doc: Document, layout: Layout, _: str) -> str:
    """The blocks, with the draft mark, title and 落款 the template does not place itself."""
    styles = layout.styles
    head = ""
    if not layout.has_draft and doc.draft_mark is not None:
        head += para(styles["GxDraft"], doc.draft_mark)
    if not layout.has_title:
        head += title_paragraph(doc, styles)
    tail = ""
    if not layout.has_signature and doc.signature is not None:
        tail = signature_xml(doc.signature, styles)
    keep = doc.signature is not None
    return head + body_xml(doc.blocks, styles, layout.text_width, keep) + tail


def _signature(doc: Document, layout: Layout, _: str) -> str:
    return "" if doc.signature is None else signature_xml(doc.signature, layout.styles)


def _draft(doc: Document, layout: Layout, paragraph: str) -> str:
    """The template's own draft paragraph with the mark in it, else one in our style."""
    if doc.draft_mark is None:
        return ""
    if paragraph:
        return paragraph.replace(marker("draft"), esc(doc.draft_mark))
    return para(layout.styles["GxDraft"], doc.draft_mark)


def _text(value: Callable[[Document], str]) -> SlotValue:
    """An ``I`` slot: the document's text, escaped."""
    return lambda doc, _layout, _paragraph: esc(value(doc))


def _font(slot: str) -> Callable[[Document], str]:
    simplified, traditional = TRADITIONAL_FONTS[slot]
    return lambda doc: simplified if doc.lang == "zh-Hans" else traditional


def _word_lang(doc: Document) -> str:
    return WORD_LANG.get(doc.lang, "zh-TW" if doc.lang.startswith("zh-Hant") else "zh-CN")


SLOTS: dict[tuple[str, str], SlotValue] = {
    ("P", "body"): _body,
    ("P", "signature"): _signature,
    ("P", "draft"): _draft,
    ("P", "title"): lambda doc, layout, _: title_paragraph(doc, layout.styles),
    ("L", "title"): lambda doc, _layout, _paragraph: title_lines(doc.title),
    ("I", "title"): _text(lambda doc: doc.title_text),
    ("I", "draft"): _text(lambda doc: doc.draft_mark or ""),
    ("I", "agency"): _text(agency_of),
    ("I", "date"): _text(lambda doc: (doc.signature.date or "") if doc.signature else ""),
    ("I", "year"): _text(lambda doc: str(doc.meta.get("year", ""))),
    ("I", "lang"): _text(_word_lang),
    **{("I", slot): _text(_font(slot)) for slot in TRADITIONAL_FONTS},
}
"""Every slot's value, by (kind, name): the one place that says what fills a template."""


class SlotValues:
    """Slot values for one document, computed on first use (a value may fill several
    slots: the agency in the header of every section)."""

    def __init__(self, doc: Document, layout: Layout) -> None:
        self.doc = doc
        self.layout = layout
        self.cache: dict[tuple[str, str, str], str] = {}

    def __getitem__(self, key: tuple[str, str, str]) -> str:
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = self._compute(*key)
        return value

    def _compute(self, kind: str, name: str, paragraph: str) -> str:
        value = SLOTS.get((kind, name))
        if value is None:
            raise DocxTemplateError("docx_slot_misplaced", name=name)
        return value(self.doc, self.layout, paragraph)
