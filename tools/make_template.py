"""(Re)create ``templates/report.docx``, the Word template of the DOCX writer.

Run ``python tools/make_template.py`` from the repository root; running it twice gives the
same bytes (fixed zip timestamps and entry order, fixed document properties, no rsids).

The template is a docxtpl template with five placeholders, each alone in its paragraph unless
noted: ``{{ draft }}`` (draft mark, body top and page headers), ``{{ title }}`` (title lines),
``{{ body }}`` (replaced by the generated headings, paragraphs and tables), ``{{ signature }}``
(the 落款). ``{{ agency }}``, ``{{ date }}`` and ``{{ year }}`` may be used inline.

Layout follows GB/T 9704-2012: A4, margins 37/35/28/26 mm (text block 156 × 225 mm), fixed
28.95 pt line pitch (22 lines fill the text block), page numbers "— 1 —" in 4号宋体, odd pages
right and even pages left, one character in from the edge of the text block.

Named styles, which the writer references by id (or by name, if Word renamed the id), so an
agency restyles the report by editing these styles in Word/WPS:

========================  ========================================================
GxTitle                   标题: 2号 方正小标宋简体, centred, one blank line after
GxHeading1                一、 headings: 3号 黑体, 2-character first-line indent
GxHeading2                （一） headings: 3号 楷体_GB2312
GxBody                    正文: 3号 仿宋_GB2312, first-line indent 2 characters
GxLead                    a paragraph that starts with a run-in sub-heading
GxTableTitle              the line above a table (``1.…``), kept with the table
GxTableText               value and unit cells: 五号, single spacing, centred
GxTableHeader             column header cells: as GxTableText, bold
GxTableCaption            block caption rows of a table: as GxTableHeader
GxTableCorner             the top-left note of a matrix: as GxTableText
GxTableStub               row labels: as GxTableText, left-aligned
GxSignature               落款 lines: right-aligned (indents are set per line)
GxDraft                   the draft mark: red, bold, 黑体, centred
GxPageNumber              the footer page number: 4号 宋体
GxTable (table style)     all borders single ½ pt, narrow cell margins, centred
========================  ========================================================

Every Chinese font is given through ``w:eastAsia``; Western text and digits use Times New Roman.
Automatic spacing between Chinese and Western text is off (``w:autoSpaceDE/DN``), as in
公文 templates: "2023年1月18日" keeps its exact width, which the 落款 indents rely on.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import Twips

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "report.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4 in twips
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474  # 37/35/28/26 mm
HEADER_DISTANCE, FOOTER_DISTANCE = 851, 1247  # 15 mm; 22 mm puts "— 1 —" ~7 mm below the text
LINE_PITCH = 579  # twips = 28.95 pt: 22 lines fill the 225 mm text block

UNUSED_PARTS = {"stylesWithEffects", "webSettings", "numbering", "customXml", "thumbnail"}
"""Parts of python-docx's default template that the report does not use (dropped for size)."""

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

TNR = 'w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"'


def _para_style(
    sid: str, based: str, ppr: str = "", rpr: str = "", next_style: str | None = None
) -> str:
    nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}">'
        f'<w:name w:val="{sid}"/><w:basedOn w:val="{based}"/>{nxt}<w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'

STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:styles xmlns:w="{W_NS}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    f'<w:rFonts {TNR} w:eastAsia="仿宋_GB2312"/>'
    '<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
    # Built-in styles Word expects.
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '<w:qFormat/><w:pPr><w:widowControl w:val="0"/>'
    '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
    f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
    '<w:jc w:val="both"/></w:pPr>'
    f'<w:rPr><w:rFonts {TNR} w:eastAsia="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
    "</w:rPr></w:style>"
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "<w:unhideWhenUsed/></w:style>"
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
    '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/>'
    '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    f'<w:pPr>{SINGLE}<w:jc w:val="center"/></w:pPr>'
    '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/>'
    '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    f'<w:pPr>{SINGLE}<w:jc w:val="left"/></w:pPr>'
    '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>'
    # gxgen styles.
    + _para_style(
        "GxTitle",
        "Normal",
        '<w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="579" w:line="700" '
        'w:lineRule="exact"/><w:jc w:val="center"/>',
        '<w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/>',
        "GxBody",
    )
    + _para_style(
        "GxBody", "Normal", '<w:ind w:firstLine="640" w:firstLineChars="200"/>', "", "GxBody"
    )
    + _para_style("GxLead", "GxBody", "", "", "GxBody")
    + _para_style(
        "GxHeading1",
        "GxBody",
        '<w:keepNext/><w:outlineLvl w:val="0"/>',
        '<w:rFonts w:eastAsia="黑体"/>',
        "GxBody",
    )
    + _para_style(
        "GxHeading2",
        "GxBody",
        '<w:keepNext/><w:outlineLvl w:val="1"/>',
        '<w:rFonts w:eastAsia="楷体_GB2312"/>',
        "GxBody",
    )
    + _para_style("GxTableTitle", "GxBody", "<w:keepNext/>", "", "GxBody")
    + _para_style(
        "GxTableText",
        "Normal",
        f'{SINGLE}<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/>',
        '<w:sz w:val="21"/><w:szCs w:val="21"/>',
    )
    + _para_style("GxTableHeader", "GxTableText", "", "<w:b/><w:bCs/>")
    + _para_style("GxTableCaption", "GxTableHeader")
    + _para_style("GxTableCorner", "GxTableText")
    + _para_style("GxTableStub", "GxTableText", '<w:jc w:val="left"/>')
    + _para_style("GxSignature", "Normal", '<w:jc w:val="right"/>')
    + _para_style(
        "GxDraft",
        "Normal",
        f'{SINGLE}<w:jc w:val="center"/>',
        '<w:rFonts w:eastAsia="黑体"/><w:b/><w:bCs/><w:color w:val="C00000"/>'
        '<w:sz w:val="28"/><w:szCs w:val="28"/>',
    )
    + _para_style(
        "GxPageNumber",
        "Footer",
        "",
        '<w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:cs="宋体" w:hint="eastAsia"/>'
        '<w:sz w:val="28"/><w:szCs w:val="28"/>',
    )
    + '<w:style w:type="table" w:customStyle="1" w:styleId="GxTable"><w:name w:val="GxTable"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:tblPr><w:jc w:val="center"/>'
    f"<w:tblBorders><w:top {BORDER}/><w:left {BORDER}/><w:bottom {BORDER}/>"
    f"<w:right {BORDER}/><w:insideH {BORDER}/><w:insideV {BORDER}/></w:tblBorders>"
    '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
    '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
    '</w:tblPr><w:tcPr><w:vAlign w:val="center"/></w:tcPr></w:style>'
    "</w:styles>"
)

SETTINGS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:settings xmlns:w="{W_NS}">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
    ' w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
)


def _font(name: str, alt: str | None, charset: str, family: str, pitch: str) -> str:
    alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
    return (
        f'<w:font w:name="{name}">{alt_xml}<w:charset w:val="{charset}"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
    )


FONT_TABLE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:fonts xmlns:w="{W_NS}">'
    + _font("Times New Roman", None, "00", "roman", "variable")
    + _font("仿宋_GB2312", "仿宋", "86", "modern", "fixed")
    + _font("方正小标宋简体", "华文中宋", "86", "auto", "fixed")
    + _font("黑体", "SimHei", "86", "modern", "fixed")
    + _font("楷体_GB2312", "楷体", "86", "modern", "fixed")
    + _font("宋体", "SimSun", "86", "auto", "variable")
    + "</w:fonts>"
)

APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>gxgen</Application><DocSecurity>0</DocSecurity></Properties>"
)

FIELD_RUNS = (
    '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    "<w:r><w:t>1</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:t xml:space="preserve"> —</w:t></w:r>'
)


def _page_number_paragraph(odd: bool) -> object:
    """Odd pages: right, one character in; even pages: left, one character in (GB/T 9704 7.5)."""
    if odd:
        ppr = '<w:jc w:val="right"/>'
        ind = '<w:ind w:right="280" w:rightChars="100"/>'
    else:
        ppr = '<w:jc w:val="left"/>'
        ind = '<w:ind w:left="280" w:leftChars="100"/>'
    return parse_xml(
        f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="GxPageNumber"/>{ind}{ppr}</w:pPr>'
        f"{FIELD_RUNS}</w:p>"
    )


def _fill_header(header: object) -> None:
    par = header.paragraphs[0]  # type: ignore[attr-defined]
    par.style = "GxDraft"
    par.add_run("{{ draft }}")


def _fill_footer(footer: object, odd: bool) -> None:
    old = footer.paragraphs[0]._p  # type: ignore[attr-defined]
    old.addprevious(_page_number_paragraph(odd))
    old.getparent().remove(old)


def build() -> bytes:
    """Build the template and return its bytes."""
    document = docx.Document()
    part = document.part
    part._styles_part._element = parse_xml(STYLES_XML.encode("utf-8"))
    part._settings_part._element = parse_xml(SETTINGS_XML.encode("utf-8"))
    for rid, rel in list(part.rels.items()):
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind == "fontTable":
            rel.target_part._blob = FONT_TABLE_XML.encode("utf-8")
        elif kind in UNUSED_PARTS:
            part.drop_rel(rid)
    package = part.package
    for rid, rel in list(package.rels.items()):
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in UNUSED_PARTS:
            del package.rels[rid]
        elif kind == "extended-properties":
            rel.target_part._blob = APP_XML.encode("utf-8")

    body = document.element.body
    for child in list(body):
        if child.tag != f"{{{W_NS}}}sectPr":
            body.remove(child)
    document.add_paragraph("{{ draft }}", style="GxDraft")
    document.add_paragraph("{{ title }}", style="GxTitle")
    document.add_paragraph("{{ body }}", style="GxBody")
    document.add_paragraph("{{ signature }}", style="GxSignature")

    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = (
        Twips(HEADER_DISTANCE),
        Twips(FOOTER_DISTANCE),
    )
    section.gutter = Twips(0)
    sect = section._sectPr
    for attr in [a for a in sect.attrib if "rsid" in a]:
        del sect.attrib[attr]
    grid = sect.find(f"{{{W_NS}}}docGrid")
    grid.set(f"{{{W_NS}}}linePitch", str(LINE_PITCH))
    cols = sect.find(f"{{{W_NS}}}cols")
    cols.set(f"{{{W_NS}}}space", "425")

    _fill_header(section.header)
    _fill_header(section.even_page_header)
    _fill_footer(section.footer, odd=True)
    _fill_footer(section.even_page_footer, odd=False)

    props = document.core_properties
    props.title = "政府信息公开工作年度报告"
    props.author = "gxgen"
    props.last_modified_by = ""
    props.comments = (
        "gxgen 模板：{{ title }} 标题、{{ body }} 正文、{{ signature }} 落款、"
        "{{ draft }} 草稿标记；修改 Gx 开头的样式即可调整版式。"
    )
    props.subject = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = FIXED_DATE
    props.modified = FIXED_DATE

    raw = io.BytesIO()
    document.save(raw)
    return _repack(raw.getvalue())


def _repack(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps, fixed entry order and fixed compression."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {info.filename: src.read(info) for info in src.infolist()}
    first = ["[Content_Types].xml", "_rels/.rels"]
    order = first + sorted(name for name in entries if name not in first)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
