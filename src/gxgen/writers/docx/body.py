"""Document model → WordprocessingML: paragraphs, tables with merges, the 落款, properties.

Everything here is a string built from the model; nothing reads the template. The style ids
are ours (``STYLE_IDS``), mapped by the caller to the ids a template really uses, and the
text width comes from its page setup.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from gxgen.document import Cell, Document, Heading, Paragraph, Signature, Table

STYLE_IDS = (
    "GxTitle",
    "GxHeading1",
    "GxHeading2",
    "GxBody",
    "GxLead",
    "GxTableTitle",
    "GxTableText",
    "GxTableHeader",
    "GxTableCaption",
    "GxTableCorner",
    "GxTableStub",
    "GxSignature",
    "GxDraft",
    "GxTable",
)
"""Styles the generated XML refers to; missing ones are copied from the default template."""

_ROLE_STYLE = {
    "caption": "GxTableCaption",
    "corner": "GxTableCorner",
    "header": "GxTableHeader",
    "stub": "GxTableStub",
    "value": "GxTableText",
    "unit": "GxTableText",
}
_HEADING_ROLES = frozenset(("caption", "corner", "header"))

_FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"
DEFAULT_TEXT_WIDTH = 8845  # 156 mm in twips
_BODY_CHAR = 320  # 3号 = 16 pt = 320 twips: the fallback for *Chars indents
_TABLE_CHAR = 210  # 五号 = 10.5 pt
_KEEP_GROUP = 8  # row groups up to this many rows are not split across pages

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# --------------------------------------------------------------------------- text → XML


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry; normalise line ends."""
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def esc(text: str) -> str:
    """``text`` as XML character data or attribute value."""
    return (
        _clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _text_content(text: str) -> str:
    """Run content for ``text``: ``w:t`` pieces, with ``w:br`` and ``w:tab`` for \\n and \\t."""
    parts: list[str] = []
    for i, line in enumerate(_clean(text).split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return "".join(parts)


def _run(text: str) -> str:
    """One run; non-ASCII text gets ``w:hint="eastAsia"`` so Word sets “”—… in the CJK font."""
    content = _text_content(text)
    if not content:
        return ""
    if text.isascii():
        return f"<w:r>{content}</w:r>"
    return f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>{content}</w:r>'


def para(style: str, text: str, extra_ppr: str = "") -> str:
    """A paragraph of one run in ``style``; ``extra_ppr`` goes into its properties."""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr>{_run(text)}</w:p>'


# --------------------------------------------------------------------------- body XML


def _column_widths(table: Table, total: int) -> list[int]:
    weights = list(table.widths) if table.widths else [1.0] * table.columns
    if len(weights) != table.columns or any(w <= 0 for w in weights):
        raise ValueError(f"table {table.key}: widths must be {table.columns} positive numbers")
    whole = sum(weights)
    edges = [0]
    acc = 0.0
    for weight in weights:
        acc += weight
        edges.append(round(acc / whole * total))
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


def _cell_xml(cell: Cell, width: int, styles: dict[str, str], merge: str, keep: bool) -> str:
    span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
    tcpr = (
        f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
        '<w:vAlign w:val="center"/></w:tcPr>'
    )
    ppr = "<w:keepNext/>" if keep else ""
    if cell.indent and merge != "<w:vMerge/>":
        ppr += f'<w:ind w:left="{cell.indent * _TABLE_CHAR}" w:leftChars="{cell.indent * 100}"/>'
    style = styles[_ROLE_STYLE.get(cell.role, "GxTableText")]
    text = "" if merge == "<w:vMerge/>" else cell.text
    return f"<w:tc>{tcpr}{para(style, text, ppr)}</w:tc>"


def _inside_small_group(
    grid: list[list[tuple[Cell, bool]]], owner: list[list[tuple[int, int]]], r: int
) -> bool:
    """Whether row ``r`` and the next share a vertically merged cell of a small group, so
    the rows are kept on one page and the group label stays beside all of them."""
    if r + 1 >= len(grid):
        return False
    for c, origin in enumerate(owner[r]):
        if owner[r + 1][c] == origin and grid[origin[0]][origin[1]][0].rowspan <= _KEEP_GROUP:
            return True
    return False


def table_xml(table: Table, styles: dict[str, str], text_width: int = DEFAULT_TEXT_WIDTH) -> str:
    """A ``w:tbl`` for ``table``: fixed layout at the text width, merges as gridSpan/vMerge."""
    grid = table.grid()
    owner = table.origins()
    widths = _column_widths(table, text_width)
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{styles["GxTable"]}"/>'
        f'<w:tblW w:w="{text_width}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    out.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out.append("</w:tblGrid>")
    for r, line in enumerate(grid):
        header = r < table.header_rows
        starts = [cell for (cell, is_origin) in line if is_origin]
        keep = header or (bool(starts) and all(c.role in _HEADING_ROLES for c in starts))
        keep = keep or _inside_small_group(grid, owner, r)
        repeat = "<w:tblHeader/>" if header else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>")
        c = 0
        while c < table.columns:
            orow, ocol = owner[r][c]
            cell = grid[orow][ocol][0]
            width = sum(widths[ocol : ocol + cell.colspan])
            if orow == r:
                merge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
            else:
                merge = "<w:vMerge/>"
            out.append(_cell_xml(cell, width, styles, merge, keep))
            c = ocol + cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def body_xml(
    blocks: Iterable[Heading | Paragraph | Table],
    styles: dict[str, str],
    text_width: int = DEFAULT_TEXT_WIDTH,
    keep_last: bool = False,
) -> str:
    """WordprocessingML for the blocks; consecutive tables get a paragraph between them
    (Word would merge them), and a final table is followed by one (Word needs it).

    ``keep_last`` keeps a final paragraph with what follows (the 落款), so the signature
    never stands alone on the last page.
    """
    blocks = list(blocks)
    out: list[str] = []
    last_table = False
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            style = styles["GxHeading1" if block.level <= 1 else "GxHeading2"]
            out.append(para(style, block.text))
            last_table = False
        elif isinstance(block, Paragraph):
            style = styles["GxLead" if block.style == "lead" else "GxBody"]
            keep = "<w:keepNext/>" if keep_last and i == len(blocks) - 1 else ""
            out.append(para(style, block.text, keep))
            last_table = False
        else:
            if block.title:
                out.append(para(styles["GxTableTitle"], block.title))
            elif last_table:
                out.append(para(styles["GxTableText"], ""))
            out.append(table_xml(block, styles, text_width))
            last_table = True
    if last_table:
        out.append(para(styles["GxTableText"], ""))
    return "".join(out)


def _indent_right(chars: float) -> str:
    return f'<w:ind w:right="{round(chars * _BODY_CHAR)}" w:rightChars="{round(chars * 100)}"/>'


def signature_xml(sig: Signature, styles: dict[str, str]) -> str:
    """One empty line, the agency name, then the date (GB/T 9704 7.3.5.2, without seal)."""
    name_right, date_right = sig.indents()
    style = styles["GxSignature"]
    out = [para(styles["GxBody"], "", "<w:keepNext/>")]
    out.append(para(style, sig.agency, "<w:keepNext/>" + _indent_right(name_right)))
    if sig.date is not None and date_right is not None:
        out.append(para(style, sig.date, _indent_right(date_right)))
    return "".join(out)


def title_lines(lines: Iterable[str]) -> str:
    """Title lines inside one run: the run's ``w:t`` is open before and after the marker."""
    return '</w:t><w:br/><w:t xml:space="preserve">'.join(esc(line) for line in lines)


def title_paragraph(doc: Document, styles: dict[str, str]) -> str:
    """The title as one centred paragraph, a line break between its lines."""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{styles["GxTitle"]}"/></w:pPr><w:r>'
        f'<w:t xml:space="preserve">{title_lines(doc.title)}</w:t></w:r></w:p>'
    )


# --------------------------------------------------------------------------- properties


def _core_date(doc: Document) -> str:
    raw = doc.meta.get("date") or ""
    m = re.search(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", raw)
    if m:
        try:
            return dt.date(*(int(g) for g in m.groups())).isoformat() + "T00:00:00Z"
        except ValueError:
            pass
    return _FIXED_TIMESTAMP


def agency_of(doc: Document) -> str:
    """The agency's name: the facts' own, else the 落款's."""
    return doc.meta.get("agency") or (doc.signature.agency if doc.signature else "")


def core_xml(doc: Document) -> str:
    """``docProps/core.xml``: title, agency, language, and the report's date as the stamp."""
    stamp = _core_date(doc)
    agency = agency_of(doc)
    creator = f"<dc:creator>{esc(agency)}</dc:creator>" if agency else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{esc(doc.title_text)}</dc:title>{creator}"
        f"<dc:language>{esc(doc.lang)}</dc:language><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )

