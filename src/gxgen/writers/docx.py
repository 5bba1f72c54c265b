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
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree

from gxgen import files
from gxgen.document import Cell, Document, Heading, Paragraph, Signature, Table
from gxgen.messages import render as render_message
from gxgen.writers import WriterError

__all__ = ["DocxTemplateError", "check_template", "render", "default_template"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CT_STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
_CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_CT_STORY = (
    _CT_MAIN,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
)

VARIABLES = ("title", "body", "signature", "draft", "agency", "date", "year")
"""The placeholders a template may use."""
_PARAGRAPH_VARIABLES = ("title", "body", "signature", "draft")

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

_WORD_LANG = {"zh-Hans": "zh-CN", "zh-Hant": "zh-TW", "zh-TW": "zh-TW", "zh-HK": "zh-HK"}

TRADITIONAL_FONTS = {
    "fangsong": ("仿宋_GB2312", "仿宋"),
    "kaiti": ("楷体_GB2312", "楷体"),
    "xiaobiaosong": ("方正小标宋简体", "方正小标宋_GBK"),
}
"""GB/T 9704's fonts as usually installed cover only GB2312, which has no traditional
characters: Word would patch every traditional glyph from another font. A traditional
document's styles get the GBK cut of the same face instead (slot name → (GB2312, GBK))."""

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ZIP_LEVEL = 6
_FIXED_TIMESTAMP = "2000-01-01T00:00:00Z"
_DEFAULT_TEXT_WIDTH = 8845  # 156 mm in twips
_BODY_CHAR = 320  # 3号 = 16 pt = 320 twips: the fallback for *Chars indents
_TABLE_CHAR = 210  # 五号 = 10.5 pt
_KEEP_GROUP = 8  # row groups up to this many rows are not split across pages

_MARK = "GXGEN{kind}_{name}_"
_TOKEN = re.compile(r'<gxbegin n="(\d+)"/>(.*?)<gxend/>|GXGEN([ILP])_([a-z]+)_', re.S)
_MARKER_RE = re.compile(r"GXGENI_([a-z]+)_")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class DocxTemplateError(WriterError):
    """A Word template that cannot be used; the message is one line, in Chinese."""


TEMPLATE_MAX_BYTES = 50 * 1024 * 1024
"""A template on disk: the bundled one is 30 KB, an agency's with a letterhead image a few MB."""
PART_MAX_BYTES = 50 * 1024 * 1024
"""One part of a template, inflated: the largest are images; XML parts are under 1 MB."""
TOTAL_MAX_BYTES = 100 * 1024 * 1024
"""All parts of a template together, inflated."""
MAX_PARTS = 1000
"""Parts in a template: Word writes 10–30."""
MAX_RATIO = 100
"""Inflated ÷ compressed size of a part, checked for parts past ``RATIO_FLOOR``: Word's XML
deflates about 10:1 and images not at all, while a zip bomb (1 MB → 1 GiB) is 1 000:1."""
RATIO_FLOOR = 1024 * 1024
"""Parts smaller than this are too small to matter whatever their ratio."""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)
"""How template XML is read: no entity expansion, no DTD loading, no network."""


def default_template() -> Path:
    """The bundled template: ``gxgen/templates`` in a wheel, ``templates/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    candidates = [package / "templates", package.parent.parent / "templates"]
    for folder in candidates:
        if (folder / "report.docx").is_file():
            return folder / "report.docx"
    return candidates[-1] / "report.docx"


def check_template(template: Path) -> None:
    """Read and prepare ``template`` now (raising ``DocxTemplateError``), so a command can
    refuse a broken one once, up front, before any report."""
    _prepare(Path(template))


def render(doc: Document, template: Path | None = None) -> bytes:
    """Lay ``doc`` out in ``template`` (default: the bundled one) and return the .docx bytes."""
    prepared = _prepare(Path(template) if template is not None else default_template())
    return prepared.render(doc)


# --------------------------------------------------------------------------- text → XML


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry; normalise line ends."""
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _esc(text: str) -> str:
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
                parts.append(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>')
    return "".join(parts)


def _run(text: str) -> str:
    """One run; non-ASCII text gets ``w:hint="eastAsia"`` so Word sets “”—… in the CJK font."""
    content = _text_content(text)
    if not content:
        return ""
    if text.isascii():
        return f"<w:r>{content}</w:r>"
    return f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>{content}</w:r>'


def _para(style: str, text: str, extra_ppr: str = "") -> str:
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
    return f"<w:tc>{tcpr}{_para(style, text, ppr)}</w:tc>"


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


def table_xml(table: Table, styles: dict[str, str], text_width: int = _DEFAULT_TEXT_WIDTH) -> str:
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
    text_width: int = _DEFAULT_TEXT_WIDTH,
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
            out.append(_para(style, block.text))
            last_table = False
        elif isinstance(block, Paragraph):
            style = styles["GxLead" if block.style == "lead" else "GxBody"]
            keep = "<w:keepNext/>" if keep_last and i == len(blocks) - 1 else ""
            out.append(_para(style, block.text, keep))
            last_table = False
        else:
            if block.title:
                out.append(_para(styles["GxTableTitle"], block.title))
            elif last_table:
                out.append(_para(styles["GxTableText"], ""))
            out.append(table_xml(block, styles, text_width))
            last_table = True
    if last_table:
        out.append(_para(styles["GxTableText"], ""))
    return "".join(out)


def _indent_right(chars: float) -> str:
    return f'<w:ind w:right="{round(chars * _BODY_CHAR)}" w:rightChars="{round(chars * 100)}"/>'


def signature_xml(sig: Signature, styles: dict[str, str]) -> str:
    """One empty line, the agency name, then the date (GB/T 9704 7.3.5.2, without seal)."""
    name_right, date_right = sig.indents()
    style = styles["GxSignature"]
    out = [_para(styles["GxBody"], "", "<w:keepNext/>")]
    out.append(_para(style, sig.agency, "<w:keepNext/>" + _indent_right(name_right)))
    if sig.date is not None and date_right is not None:
        out.append(_para(style, sig.date, _indent_right(date_right)))
    return "".join(out)


def _title_lines(lines: Iterable[str]) -> str:
    """Title lines inside one run: the run's ``w:t`` is open before and after the marker."""
    return '</w:t><w:br/><w:t xml:space="preserve">'.join(_esc(line) for line in lines)


def _title_paragraph(doc: Document, styles: dict[str, str]) -> str:
    """The title as one centred paragraph, a line break between its lines."""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="{styles["GxTitle"]}"/></w:pPr><w:r>'
        f'<w:t xml:space="preserve">{_title_lines(doc.title)}</w:t></w:r></w:p>'
    )


# --------------------------------------------------------------------------- template preparation


class _PlaceholderEnvironment(jinja2.Environment):
    """Refuses anything but ``{{ known_variable }}``: the template is rendered only once."""

    def _parse(self, source, name, filename):  # type: ignore[no-untyped-def]
        tree = super()._parse(source, name, filename)
        for node in tree.body:
            if not isinstance(node, nodes.Output):
                raise DocxTemplateError("只能使用 {{ 变量 }} 占位符，不支持 {% … %} 语句")
            for expr in node.nodes:
                if isinstance(expr, nodes.TemplateData):
                    continue
                if not isinstance(expr, nodes.Name):
                    raise DocxTemplateError("占位符只能是 {{ 变量名 }}，不支持过滤器或表达式")
                if expr.name not in VARIABLES:
                    known = "、".join(VARIABLES)
                    raise DocxTemplateError(f"未知变量 {{{{ {expr.name} }}}}（可用：{known}）")
        return tree


@dataclass(frozen=True)
class _Prepared:
    """A template rendered once: zip parts, each raw bytes or literal/slot pieces."""

    parts: tuple[tuple[str, bytes | tuple[str | tuple[str, str, str], ...]], ...]
    styles: dict[str, str]
    text_width: int
    core_name: str
    has_title: bool
    has_draft: bool
    has_signature: bool

    def render(self, doc: Document) -> bytes:
        values = _Values(doc, self)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name, content in self.parts:
                if name == self.core_name:
                    data = _core_xml(doc).encode("utf-8")
                elif isinstance(content, bytes):
                    data = content
                else:
                    data = "".join(
                        piece if isinstance(piece, str) else values[piece] for piece in content
                    ).encode("utf-8")
                info = zipfile.ZipInfo(name, _ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                zf.writestr(info, data, compresslevel=_ZIP_LEVEL)
        return out.getvalue()


class _Values:
    """Slot values for one document, computed on first use."""

    def __init__(self, doc: Document, prepared: _Prepared) -> None:
        self.doc = doc
        self.prepared = prepared
        self.cache: dict[tuple[str, str, str], str] = {}

    def __getitem__(self, key: tuple[str, str, str]) -> str:
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = self._compute(*key)
        return value

    def _compute(self, kind: str, name: str, para: str) -> str:
        doc, prep = self.doc, self.prepared
        styles = prep.styles
        if kind == "P" and name == "body":
            head = ""
            if not prep.has_draft and doc.draft_mark is not None:
                head += _para(styles["GxDraft"], doc.draft_mark)
            if not prep.has_title:
                head += _title_paragraph(doc, styles)
            tail = ""
            if not prep.has_signature and doc.signature is not None:
                tail = signature_xml(doc.signature, styles)
            keep = doc.signature is not None
            return head + body_xml(doc.blocks, styles, prep.text_width, keep) + tail
        if kind == "P" and name == "signature":
            return "" if doc.signature is None else signature_xml(doc.signature, styles)
        if kind == "P" and name == "draft":
            if doc.draft_mark is None:
                return ""
            if para:
                return para.replace(_MARK.format(kind="I", name="draft"), _esc(doc.draft_mark))
            return _para(styles["GxDraft"], doc.draft_mark)
        if kind == "P" and name == "title":
            return _title_paragraph(doc, styles)
        if kind == "L":
            return _title_lines(doc.title)
        if name == "title":
            return _esc(doc.title_text)
        if name == "draft":
            return _esc(doc.draft_mark or "")
        if name == "agency":
            agency = doc.meta.get("agency") or (doc.signature.agency if doc.signature else "")
            return _esc(agency)
        if name == "date":
            return _esc((doc.signature.date or "") if doc.signature else "")
        if name == "year":
            return _esc(str(doc.meta.get("year", "")))
        if name == "lang":
            return _WORD_LANG.get(doc.lang, "zh-TW" if doc.lang.startswith("zh-Hant") else "zh-CN")
        if name in TRADITIONAL_FONTS:
            simplified, traditional = TRADITIONAL_FONTS[name]
            return _esc(simplified if doc.lang == "zh-Hans" else traditional)
        raise DocxTemplateError(f"占位符 {{{{ {name} }}}} 不能用在这里")


_CACHE: dict[tuple[str, int, int], _Prepared] = {}
_CACHE_SIZE = 8


def _prepare(path: Path) -> _Prepared:
    try:
        stat = path.stat()
    except OSError:
        raise DocxTemplateError(f"找不到模板文件：{path}") from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    prepared = _CACHE.get(key)
    if prepared is None:
        try:
            data = files.read_regular(path, TEMPLATE_MAX_BYTES)
        except files.Refused as exc:
            reason = render_message(exc.code, "zh", exc.params)
            raise DocxTemplateError(f"无法读取模板文件：{path}（{reason}）") from None
        try:
            _check_package(data)
            prepared = _build(data)
        except etree.XMLSyntaxError as exc:
            raise DocxTemplateError(f"模板 {path} 不可用：XML 有误（{exc}）") from None
        except DocxTemplateError as exc:
            message = " ".join(str(exc).split())
            raise DocxTemplateError(f"模板 {path} 不可用：{message}") from None
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = prepared
    return prepared


def _check_package(data: bytes) -> None:
    """Refuse a template that would inflate past the limits (read from the zip directory,
    before anything is inflated; Python's zip reader never inflates past the sizes it
    declares) or whose XML declares a DTD or entities, before docxtpl reads it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocxTemplateError("不是有效的 DOCX 文件（无法作为 zip 打开）") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise DocxTemplateError(f"部件超过 {MAX_PARTS} 个，不像是 Word 文档")
        for info in infos:
            _check_size(info)
        total = sum(info.file_size for info in infos)
        if total > TOTAL_MAX_BYTES:
            raise DocxTemplateError(f"解压后共 {total // 2 ** 20} MB，超过上限 "
                                    f"{TOTAL_MAX_BYTES // 2 ** 20} MB")
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels")):
                _check_xml(info.filename, _read_part(archive, info))


def _check_size(info: zipfile.ZipInfo) -> None:
    name, size = info.filename, info.file_size
    if size > PART_MAX_BYTES:
        raise DocxTemplateError(f"部件 {name} 解压后 {size // 2 ** 20} MB，超过上限 "
                                f"{PART_MAX_BYTES // 2 ** 20} MB")
    if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        raise DocxTemplateError(f"部件 {name} 的压缩比超过 {MAX_RATIO}:1，疑为压缩炸弹")


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError,
            zlib.error) as exc:
        raise DocxTemplateError(f"部件 {info.filename} 无法解压（{exc}）") from None


def _check_xml(name: str, data: bytes) -> None:
    """A part parses without entity expansion and declares no DTD (Word never writes one;
    an entity declared there is how XML bombs and file inclusion start)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxTemplateError(f"部件 {name} 不是合法 XML（{exc}）") from None
    if root.getroottree().docinfo.doctype:
        raise DocxTemplateError(f"部件 {name} 含 DTD 或实体声明（<!DOCTYPE …>），不支持")


def _docxtpl_render(data: bytes) -> dict[str, bytes]:
    """Render the template once with marker values; return its zip parts in order."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxTemplateError("不是有效的 DOCX 文件（无法作为 zip 打开）")
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise DocxTemplateError(f"不是有效的 DOCX 文件（{type(exc).__name__}: {exc}）") from None
    env = _PlaceholderEnvironment(autoescape=True)
    context = {name: _MARK.format(kind="I", name=name) for name in VARIABLES}
    try:
        tpl.render(context, jinja_env=env)
    except jinja2.TemplateSyntaxError as exc:
        near = "".join(getattr(exc, "docx_context", []) or []).strip()
        where = f"，附近文字：{near[:40]}" if near else ""
        raise DocxTemplateError(f"Jinja 语法错误：{exc.message}{where}") from None
    except jinja2.TemplateError as exc:
        raise DocxTemplateError(f"Jinja 错误：{exc}") from None
    except DocxTemplateError:
        raise
    except Exception as exc:  # docxtpl/python-docx/lxml on a template they cannot handle
        raise DocxTemplateError(f"docxtpl 渲染失败（{type(exc).__name__}: {exc}）") from None
    out = io.BytesIO()
    tpl.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _content_types(entries: dict[str, bytes]) -> dict[str, str]:
    root = etree.fromstring(entries["[Content_Types].xml"], _PARSER)
    types: dict[str, str] = {}
    for node in root.iter(f"{{{_CT_NS}}}Override"):
        types[node.get("PartName", "").lstrip("/")] = node.get("ContentType", "")
    return types


def _build(data: bytes) -> _Prepared:
    entries = _docxtpl_render(data)
    types = _content_types(entries)
    main = next((name for name, ct in types.items() if ct == _CT_MAIN), None)
    if main is None or main not in entries:
        raise DocxTemplateError("不是 Word 文档（缺少主文档部件）")
    styles_name = next((name for name, ct in types.items() if ct == _CT_STYLES), None)
    core_name = next((name for name, ct in types.items() if ct == _CT_CORE), "docProps/core.xml")

    style_ids: dict[str, str] = {}
    pieces: dict[str, tuple[str | tuple[str, str, str], ...]] = {}
    if styles_name and styles_name in entries:
        styles_xml, style_ids = _complete_styles(entries[styles_name])
        pieces[styles_name] = _tokenize(styles_xml, [])
    else:
        raise DocxTemplateError("缺少样式部件 styles.xml")

    main_slots: list[tuple[str, str, str]] = []
    text_width = _DEFAULT_TEXT_WIDTH
    for name, ctype in types.items():
        if ctype not in _CT_STORY or name not in entries:
            continue
        if b"GXGEN" not in entries[name]:
            continue
        try:
            root = etree.fromstring(entries[name], _PARSER)
        except etree.XMLSyntaxError as exc:
            raise DocxTemplateError(f"部件 {name} 渲染后不是合法 XML（{exc}）") from None
        is_main = name == main
        specs = _mark_paragraphs(root, is_main)
        serial = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part_pieces = _tokenize(serial.decode("utf-8"), specs)
        slots = [p for p in part_pieces if isinstance(p, tuple)]
        for slot in slots:
            kind, var = slot[0], slot[1]
            if var in ("body", "signature") and (kind != "P" or not is_main):
                where = "正文中单独成段" if is_main else "正文中，不能放在页眉页脚"
                raise DocxTemplateError(f"占位符 {{{{ {var} }}}} 必须在{where}")
            if kind == "P" and not is_main:
                raise DocxTemplateError("页眉页脚中请用 {{ 变量 }}，不要用 {{p 变量 }}")
            if kind == "P" and var not in _PARAGRAPH_VARIABLES:
                raise DocxTemplateError(f"{{{{ {var} }}}} 只能写在段落中，不能用 {{{{p {var} }}}}")
        if is_main:
            main_slots = slots
        pieces[name] = part_pieces
    if main not in pieces or not any(s[:2] == ("P", "body") for s in main_slots):
        raise DocxTemplateError("缺少正文占位符 {{ body }}（须单独成段）")
    if sum(1 for s in main_slots if s[:2] == ("P", "body")) > 1:
        raise DocxTemplateError("正文占位符 {{ body }} 只能出现一次")
    text_width = _text_width(entries[main])

    parts: list[tuple[str, bytes | tuple[str | tuple[str, str, str], ...]]] = []
    first = ["[Content_Types].xml", "_rels/.rels"]
    for name in first + sorted(n for n in entries if n not in first):
        if name in entries:
            parts.append((name, pieces.get(name, entries[name])))
    return _Prepared(
        parts=tuple(parts),
        styles=style_ids,
        text_width=text_width,
        core_name=core_name,
        has_title=any(s[:2] in (("L", "title"), ("P", "title")) for s in main_slots),
        has_draft=any(s[:2] == ("P", "draft") for s in main_slots),
        has_signature=any(s[:2] == ("P", "signature") for s in main_slots),
    )


def _paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def _mark_paragraphs(root: etree._Element, is_main: bool) -> list[str]:
    """Tag marker occurrences in the tree before serialising.

    In the main part a paragraph that holds nothing but a body/signature/draft marker is
    wrapped in ``<gxbegin n=…/>…<gxend/>`` (its XML is kept for the draft mark), and a title
    alone in its paragraph becomes the line-broken kind ``L``. Markers outside any ``w:t``
    (docxtpl's ``{{p var }}``) become paragraph kind ``P``.
    """
    specs: list[str] = []
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag != f"{_W}t" and el.text and "GXGENI_" in el.text:
            el.text = el.text.replace("GXGENI_", "GXGENP_")
        if el.tail and "GXGENI_" in el.tail:
            el.tail = el.tail.replace("GXGENI_", "GXGENP_")
    for t in list(root.iter(f"{_W}t")):
        if not t.text or "GXGENI_" not in t.text:
            continue
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if not is_main:
            continue
        p = next((a for a in t.iterancestors(f"{_W}p")), None)
        if p is None or p.getparent() is None:
            continue
        match = _MARKER_RE.fullmatch(_paragraph_text(p).strip())
        if match is None or match.group(1) not in _PARAGRAPH_VARIABLES:
            continue
        var = match.group(1)
        if var == "title":
            t.text = t.text.replace("GXGENI_title_", "GXGENL_title_")
            continue
        tail, p.tail = p.tail, None  # lxml keeps a tail with its element: move it past gxend
        p.addprevious(etree.Element("gxbegin", n=str(len(specs))))
        last = etree.Element("gxend")
        p.addnext(last)
        ppr = p.find(f"{_W}pPr")
        if ppr is not None and ppr.find(f"{_W}sectPr") is not None:
            keeper = etree.Element(f"{_W}p")  # the paragraph ends a section: keep its pPr
            keeper.append(copy.deepcopy(ppr))
            last.addnext(keeper)
            last = keeper
        last.tail = tail
        specs.append(var)
    return specs


def _tokenize(xml: str, specs: list[str]) -> tuple[str | tuple[str, str, str], ...]:
    """Split serialised XML at the markers into literal strings and slot keys."""
    pieces: list[str | tuple[str, str, str]] = []
    pos = 0
    for m in _TOKEN.finditer(xml):
        pieces.append(xml[pos : m.start()])
        if m.group(1) is not None:
            var = specs[int(m.group(1))]
            pieces.append(("P", var, m.group(2) if var == "draft" else ""))
        else:
            pieces.append((m.group(3), m.group(4), ""))
        pos = m.end()
    pieces.append(xml[pos:])
    return tuple(p for p in pieces if p != "")


def _text_width(main_xml: bytes) -> int:
    """Text width of the last section: page width minus margins and gutter, in twips."""
    root = etree.fromstring(main_xml, _PARSER)
    sects = list(root.iter(f"{_W}sectPr"))
    if not sects:
        return _DEFAULT_TEXT_WIDTH
    sect = sects[-1]
    size, margin = sect.find(f"{_W}pgSz"), sect.find(f"{_W}pgMar")
    if size is None or margin is None:
        return _DEFAULT_TEXT_WIDTH
    try:
        width = int(size.get(f"{_W}w", "0"))
        used = sum(int(margin.get(f"{_W}{side}", "0")) for side in ("left", "right", "gutter"))
    except ValueError:
        return _DEFAULT_TEXT_WIDTH
    return width - used if width - used > 1000 else _DEFAULT_TEXT_WIDTH


@lru_cache(maxsize=1)
def _default_styles() -> dict[str, etree._Element]:
    """The ``w:style`` elements of the bundled template, by id (read once; copied on use)."""
    with zipfile.ZipFile(default_template()) as zf:
        root = etree.fromstring(zf.read("word/styles.xml"))
    return {el.get(f"{_W}styleId", ""): el for el in root.iter(f"{_W}style")}


def _complete_styles(data: bytes) -> tuple[str, dict[str, str]]:
    """Resolve our style ids in the template (by id, else by name, as Word may rename ids),
    copy missing ones from the bundled template, and put a language slot in docDefaults."""
    root = etree.fromstring(data, _PARSER)
    by_id: dict[str, etree._Element] = {}
    by_name: dict[str, str] = {}
    for el in root.iter(f"{_W}style"):
        sid = el.get(f"{_W}styleId", "")
        by_id[sid] = el
        name = el.find(f"{_W}name")
        if name is not None:
            by_name.setdefault(name.get(f"{_W}val", "").lower(), sid)
    found: dict[str, str] = {}
    missing: list[str] = []
    for sid in STYLE_IDS:
        if sid in by_id:
            found[sid] = sid
        elif sid.lower() in by_name:
            found[sid] = by_name[sid.lower()]
        else:
            missing.append(sid)
    defaults = _default_styles()
    queue = list(missing)
    while queue:
        sid = queue.pop(0)
        if sid in by_id or sid not in defaults:
            continue
        clone = copy.deepcopy(defaults[sid])
        root.append(clone)
        by_id[sid] = clone
        found.setdefault(sid, sid)
        based = clone.find(f"{_W}basedOn")
        if based is not None:
            queue.append(based.get(f"{_W}val", ""))
    for sid in STYLE_IDS:
        found.setdefault(sid, sid)
    _set_lang_slot(root)
    serial = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return serial.decode("utf-8"), found


def _set_lang_slot(root: etree._Element) -> None:
    defaults = root.find(f"{_W}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{_W}docDefaults")
        root.insert(0, defaults)
    rpr_default = defaults.find(f"{_W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(f"{_W}rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{_W}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{_W}rPr")
    lang = rpr.find(f"{_W}lang")
    if lang is None:
        lang = etree.SubElement(rpr, f"{_W}lang")
    lang.set(f"{_W}eastAsia", _MARK.format(kind="I", name="lang"))
    slots = {simplified: name for name, (simplified, _) in TRADITIONAL_FONTS.items()}
    for fonts in root.iter(f"{_W}rFonts"):
        slot = slots.get(fonts.get(f"{_W}eastAsia", ""))
        if slot:
            fonts.set(f"{_W}eastAsia", _MARK.format(kind="I", name=slot))


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


def _core_xml(doc: Document) -> str:
    stamp = _core_date(doc)
    agency = doc.meta.get("agency") or (doc.signature.agency if doc.signature else "")
    creator = f"<dc:creator>{_esc(agency)}</dc:creator>" if agency else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_esc(doc.title_text)}</dc:title>{creator}"
        f"<dc:language>{_esc(doc.lang)}</dc:language><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )
