"""DOCX writer: lays out the document model in a docxtpl Word template.

The template (``templates/report.docx``, or an agency's own via ``template=``) holds the
styles, the page setup, the headers and the footers. It is rendered with docxtpl **once per
process**, with unique marker strings as values; the zip parts are kept in memory, split at
the markers. Each document then only fills the gaps: escaped text, and the body
WordprocessingML (headings, paragraphs, tables with ``w:gridSpan``/``w:vMerge``) generated
here from the model, because docxtpl loops draw merged cells badly. A render is a string join
plus a zip write, a few milliseconds.

Placeholders (see ``tools/make_template.py``): ``{{ title }}``, ``{{ body }}`` (required),
``{{ signature }}`` and ``{{ draft }}`` act on their whole paragraph when alone in it (or
written ``{{p body }}``); ``{{ agency }}``, ``{{ date }}``, ``{{ year }}`` and inline uses of
``title``/``draft`` are plain text. A template without title, draft or signature placeholder
gets those paragraphs generated around the body. Jinja statements and filters are refused:
the template is rendered once, so they could not depend on the document.

The package has four parts: ``template`` reads, checks, renders and caches a template;
``body`` builds WordprocessingML from the model; ``slots`` is the table of what fills each
slot a template leaves open; ``errors`` is the one error, said through the message catalogue.
"""

from __future__ import annotations

from pathlib import Path

from gxgen.document import Document
from gxgen.writers.docx.body import STYLE_IDS as STYLE_IDS
from gxgen.writers.docx.body import body_xml as body_xml
from gxgen.writers.docx.body import signature_xml as signature_xml
from gxgen.writers.docx.body import table_xml as table_xml
from gxgen.writers.docx.body import title_lines
from gxgen.writers.docx.errors import DocxTemplateError as DocxTemplateError
from gxgen.writers.docx.slots import TRADITIONAL_FONTS as TRADITIONAL_FONTS
from gxgen.writers.docx.slots import VARIABLES as VARIABLES
from gxgen.writers.docx.template import MAX_PARTS as MAX_PARTS
from gxgen.writers.docx.template import MAX_RATIO as MAX_RATIO
from gxgen.writers.docx.template import PART_MAX_BYTES as PART_MAX_BYTES
from gxgen.writers.docx.template import RATIO_FLOOR as RATIO_FLOOR
from gxgen.writers.docx.template import TEMPLATE_MAX_BYTES as TEMPLATE_MAX_BYTES
from gxgen.writers.docx.template import TOTAL_MAX_BYTES as TOTAL_MAX_BYTES
from gxgen.writers.docx.template import W_NS as W_NS
from gxgen.writers.docx.template import default_template as default_template
from gxgen.writers.docx.template import prepare

__all__ = ["DocxTemplateError", "check_template", "render", "default_template"]

_prepare = prepare
"""Looked up here at each call, so a test can replace it."""
_title_lines = title_lines
"""The title's lines inside one run (``benchmarks/batch.py`` builds a naive DOCX with it)."""


def check_template(template: Path) -> None:
    """Read and prepare ``template`` now (raising ``DocxTemplateError``), so a command can
    refuse a broken one once, up front, before any report."""
    _prepare(Path(template))


def render(doc: Document, template: Path | None = None) -> bytes:
    """Lay ``doc`` out in ``template`` (default: the bundled one) and return the .docx bytes."""
    prepared = _prepare(Path(template) if template is not None else default_template())
    return prepared.render(doc)
