"""Template preparation: read a Word template within limits, render it once, keep it in pieces.

A template is an agency's file: it is read as a bounded regular file, its zip directory and
XML are checked (``MAX_PARTS``, ``PART_MAX_BYTES``, ``TOTAL_MAX_BYTES``, ``MAX_RATIO``, no DTD)
before docxtpl sees it, then docxtpl renders it **once per process** with marker values
(``slots.MARK``). The parts are kept in memory, split at the markers into literal strings and
slot keys (``Prepared``); a document then only fills the slots and writes the zip. Prepared
templates are cached by path, modification time and size.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree

from gxgen import files
from gxgen.document import Document
from gxgen.messages import listed
from gxgen.writers.docx.body import DEFAULT_TEXT_WIDTH, STYLE_IDS, core_xml
from gxgen.writers.docx.errors import DocxTemplateError
from gxgen.writers.docx.slots import (
    PARAGRAPH_VARIABLES,
    TRADITIONAL_FONTS,
    VARIABLES,
    Layout,
    SlotValues,
    marker,
)

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

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ZIP_LEVEL = 6

_TOKEN = re.compile(r'<gxbegin n="(\d+)"/>(.*?)<gxend/>|GXGEN([ILP])_([a-z]+)_', re.S)
_MARKER_RE = re.compile(r"GXGENI_([a-z]+)_")

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
    package = Path(__file__).resolve().parents[2]
    candidates = [package / "templates", package.parent.parent / "templates"]
    for folder in candidates:
        if (folder / "report.docx").is_file():
            return folder / "report.docx"
    return candidates[-1] / "report.docx"


Slot = tuple[str, str, str]
"""``(kind, name, paragraph XML)``: see ``slots``."""
Pieces = tuple[str | Slot, ...]
"""A part's serialised XML split at the markers: literal strings and slots, in order."""


@dataclass(frozen=True)
class Prepared:
    """A template rendered once: zip parts, each raw bytes or literal/slot pieces."""

    parts: tuple[tuple[str, bytes | Pieces], ...]
    layout: Layout
    core_name: str

    def render(self, doc: Document) -> bytes:
        """The .docx bytes of ``doc``: the slots filled, the core properties its own."""
        values = SlotValues(doc, self.layout)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name, content in self.parts:
                if name == self.core_name:
                    data = core_xml(doc).encode("utf-8")
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


_CACHE: dict[tuple[str, int, int], Prepared] = {}
_CACHE_SIZE = 8


def prepare(path: Path) -> Prepared:
    """``path`` prepared (cached while the file is unchanged), or ``DocxTemplateError``."""
    try:
        stat = path.stat()
    except OSError:
        raise DocxTemplateError("docx_template_missing", path=path) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    prepared = _CACHE.get(key)
    if prepared is None:
        prepared = _load(path)
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = prepared
    return prepared


def _load(path: Path) -> Prepared:
    """Read, check and prepare the template at ``path``; every refusal names the file."""
    try:
        data = files.read_regular(path, TEMPLATE_MAX_BYTES)
    except files.Refused as exc:
        reason = DocxTemplateError(exc.code, **exc.params)
        raise DocxTemplateError("docx_template_unreadable", path=path, reason=reason) from None
    try:
        _check_package(data)
        return _build(data)
    except etree.XMLSyntaxError as exc:
        raise DocxTemplateError("docx_template_bad_xml", path=path, reason=str(exc)) from None
    except DocxTemplateError as exc:
        raise DocxTemplateError("docx_template_unusable", path=path, reason=exc) from None


# ------------------------------------------------------------------- checking the package


def _check_package(data: bytes) -> None:
    """Refuse a template that would inflate past the limits (read from the zip directory,
    before anything is inflated; Python's zip reader never inflates past the sizes it
    declares) or whose XML declares a DTD or entities, before docxtpl reads it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise DocxTemplateError("docx_not_zip") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise DocxTemplateError("docx_too_many_parts", limit=MAX_PARTS)
        for info in infos:
            _check_size(info)
        total = sum(info.file_size for info in infos)
        if total > TOTAL_MAX_BYTES:
            raise DocxTemplateError("docx_total_too_large", size=total // 2 ** 20,
                                    limit=TOTAL_MAX_BYTES // 2 ** 20)
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels")):
                _check_xml(info.filename, _read_part(archive, info))


def _check_size(info: zipfile.ZipInfo) -> None:
    name, size = info.filename, info.file_size
    if size > PART_MAX_BYTES:
        raise DocxTemplateError("docx_part_too_large", part=name, size=size // 2 ** 20,
                                limit=PART_MAX_BYTES // 2 ** 20)
    if size > RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
        raise DocxTemplateError("docx_part_ratio", part=name, ratio=MAX_RATIO)


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError,
            zlib.error) as exc:
        raise DocxTemplateError("docx_part_unreadable", part=info.filename,
                                reason=str(exc)) from None


def _check_xml(name: str, data: bytes) -> None:
    """A part parses without entity expansion and declares no DTD (Word never writes one;
    an entity declared there is how XML bombs and file inclusion start)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxTemplateError("docx_part_bad_xml", part=name, reason=str(exc)) from None
    if root.getroottree().docinfo.doctype:
        raise DocxTemplateError("docx_part_dtd", part=name)


# ------------------------------------------------------------------- rendering once


class _PlaceholderEnvironment(jinja2.Environment):
    """Refuses anything but ``{{ known_variable }}``: the template is rendered only once."""

    def _parse(self, source, name, filename):  # type: ignore[no-untyped-def]
        tree = super()._parse(source, name, filename)
        for node in tree.body:
            if not isinstance(node, nodes.Output):
                raise DocxTemplateError("docx_statement")
            for expr in node.nodes:
                if isinstance(expr, nodes.TemplateData):
                    continue
                if not isinstance(expr, nodes.Name):
                    raise DocxTemplateError("docx_expression")
                if expr.name not in VARIABLES:
                    raise DocxTemplateError("docx_unknown_variable", name=expr.name,
                                            known=listed(VARIABLES))
        return tree


def _docxtpl_render(data: bytes) -> dict[str, bytes]:
    """Render the template once with marker values; return its zip parts in order."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxTemplateError("docx_not_zip")
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises many kinds for a broken package
        raise DocxTemplateError("docx_not_docx", reason=_described(exc)) from None
    env = _PlaceholderEnvironment(autoescape=True)
    context = {name: marker(name) for name in VARIABLES}
    try:
        tpl.render(context, jinja_env=env)
    except jinja2.TemplateSyntaxError as exc:
        near = "".join(getattr(exc, "docx_context", []) or []).strip()
        if near:
            raise DocxTemplateError("docx_jinja_syntax_near", problem=exc.message,
                                    near=near[:40]) from None
        raise DocxTemplateError("docx_jinja_syntax", problem=exc.message) from None
    except jinja2.TemplateError as exc:
        raise DocxTemplateError("docx_jinja", reason=str(exc)) from None
    except DocxTemplateError:
        raise
    except Exception as exc:  # docxtpl/python-docx/lxml on a template they cannot handle
        raise DocxTemplateError("docx_docxtpl_failed", reason=_described(exc)) from None
    out = io.BytesIO()
    tpl.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def _described(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


# ------------------------------------------------------------------- splitting at the markers


def _content_types(entries: dict[str, bytes]) -> dict[str, str]:
    root = etree.fromstring(entries["[Content_Types].xml"], _PARSER)
    types: dict[str, str] = {}
    for node in root.iter(f"{{{_CT_NS}}}Override"):
        types[node.get("PartName", "").lstrip("/")] = node.get("ContentType", "")
    return types


def _part_of(types: dict[str, str], content_type: str) -> str | None:
    """The first part of ``content_type``."""
    return next((name for name, ct in types.items() if ct == content_type), None)


def _build(data: bytes) -> Prepared:
    entries = _docxtpl_render(data)
    types = _content_types(entries)
    main = _part_of(types, _CT_MAIN)
    if main is None or main not in entries:
        raise DocxTemplateError("docx_no_main")
    styles_name = _part_of(types, _CT_STYLES)
    if not styles_name or styles_name not in entries:
        raise DocxTemplateError("docx_no_styles")
    styles_xml, style_ids = _complete_styles(entries[styles_name])
    pieces = {styles_name: _tokenize(styles_xml, [])}
    for name, ctype in types.items():
        if ctype in _CT_STORY and name in entries and b"GXGEN" in entries[name]:
            pieces[name] = _story_pieces(name, entries[name], name == main)
    main_slots = [p[:2] for p in pieces.get(main, ()) if isinstance(p, tuple)]
    bodies = main_slots.count(("P", "body"))
    if not bodies:
        raise DocxTemplateError("docx_no_body")
    if bodies > 1:
        raise DocxTemplateError("docx_body_twice")
    layout = Layout(
        styles=style_ids,
        text_width=_text_width(entries[main]),
        has_title=("L", "title") in main_slots or ("P", "title") in main_slots,
        has_draft=("P", "draft") in main_slots,
        has_signature=("P", "signature") in main_slots,
    )
    core_name = _part_of(types, _CT_CORE) or "docProps/core.xml"
    return Prepared(parts=_in_order(entries, pieces), layout=layout, core_name=core_name)


def _in_order(entries: dict[str, bytes],
              pieces: dict[str, Pieces]) -> tuple[tuple[str, bytes | Pieces], ...]:
    """The parts, content types and package relationships first (as Word writes them)."""
    first = ["[Content_Types].xml", "_rels/.rels"]
    names = first + sorted(n for n in entries if n not in first)
    return tuple((name, pieces.get(name, entries[name])) for name in names if name in entries)


def _story_pieces(name: str, data: bytes, is_main: bool) -> Pieces:
    """A story part (document, header, footer, notes) split at its markers, each checked."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxTemplateError("docx_rendered_bad_xml", part=name, reason=str(exc)) from None
    specs = _mark_paragraphs(root, is_main)
    serial = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    pieces = _tokenize(serial.decode("utf-8"), specs)
    for piece in pieces:
        if isinstance(piece, tuple):
            _check_slot(piece[0], piece[1], is_main)
    return pieces


def _check_slot(kind: str, var: str, is_main: bool) -> None:
    """Body and 落款 stand alone in the body; ``{{p }}`` only for paragraph variables."""
    if var in ("body", "signature") and (kind != "P" or not is_main):
        code = "docx_placeholder_alone" if is_main else "docx_placeholder_in_header"
        raise DocxTemplateError(code, name=var)
    if kind == "P" and not is_main:
        raise DocxTemplateError("docx_paragraph_tag_in_header")
    if kind == "P" and var not in PARAGRAPH_VARIABLES:
        raise DocxTemplateError("docx_not_paragraph_variable", name=var)


def _paragraph_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{_W}t"))


def _mark_paragraphs(root: etree._Element, is_main: bool) -> list[str]:
    """Tag marker occurrences in the tree before serialising.

    In the main part a paragraph that holds nothing but a body/signature/draft marker is
    wrapped in ``<gxbegin n=…/>…<gxend/>`` (its XML is kept for the draft mark), and a title
    alone in its paragraph becomes the line-broken kind ``L``. Markers outside any ``w:t``
    (docxtpl's ``{{p var }}``) become paragraph kind ``P``.
    """
    _mark_outside_runs(root)
    specs: list[str] = []
    for t in list(root.iter(f"{_W}t")):
        if not t.text or "GXGENI_" not in t.text:
            continue
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        p = next((a for a in t.iterancestors(f"{_W}p")), None) if is_main else None
        if p is None or p.getparent() is None:
            continue
        match = _MARKER_RE.fullmatch(_paragraph_text(p).strip())
        if match is None or match.group(1) not in PARAGRAPH_VARIABLES:
            continue
        if match.group(1) == "title":
            t.text = t.text.replace("GXGENI_title_", "GXGENL_title_")
            continue
        _wrap(p, len(specs))
        specs.append(match.group(1))
    return specs


def _mark_outside_runs(root: etree._Element) -> None:
    """A marker outside any ``w:t`` is docxtpl's ``{{p var }}``: paragraph kind ``P``."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag != f"{_W}t" and el.text and "GXGENI_" in el.text:
            el.text = el.text.replace("GXGENI_", "GXGENP_")
        if el.tail and "GXGENI_" in el.tail:
            el.tail = el.tail.replace("GXGENI_", "GXGENP_")


def _wrap(p: etree._Element, n: int) -> None:
    """Put paragraph ``p`` between ``<gxbegin n=…/>`` and ``<gxend/>``."""
    tail, p.tail = p.tail, None  # lxml keeps a tail with its element: move it past gxend
    p.addprevious(etree.Element("gxbegin", n=str(n)))
    last = etree.Element("gxend")
    p.addnext(last)
    ppr = p.find(f"{_W}pPr")
    if ppr is not None and ppr.find(f"{_W}sectPr") is not None:
        keeper = etree.Element(f"{_W}p")  # the paragraph ends a section: keep its pPr
        keeper.append(copy.deepcopy(ppr))
        last.addnext(keeper)
        last = keeper
    last.tail = tail


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


# ------------------------------------------------------------------- page and styles


def _text_width(main_xml: bytes) -> int:
    """Text width of the last section: page width minus margins and gutter, in twips."""
    root = etree.fromstring(main_xml, _PARSER)
    sects = list(root.iter(f"{_W}sectPr"))
    if not sects:
        return DEFAULT_TEXT_WIDTH
    sect = sects[-1]
    size, margin = sect.find(f"{_W}pgSz"), sect.find(f"{_W}pgMar")
    if size is None or margin is None:
        return DEFAULT_TEXT_WIDTH
    try:
        width = int(size.get(f"{_W}w", "0"))
        used = sum(int(margin.get(f"{_W}{side}", "0")) for side in ("left", "right", "gutter"))
    except ValueError:
        return DEFAULT_TEXT_WIDTH
    return width - used if width - used > 1000 else DEFAULT_TEXT_WIDTH


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
    lang.set(f"{_W}eastAsia", marker("lang"))
    slots = {simplified: name for name, (simplified, _) in TRADITIONAL_FONTS.items()}
    for fonts in root.iter(f"{_W}rFonts"):
        slot = slots.get(fonts.get(f"{_W}eastAsia", ""))
        if slot:
            fonts.set(f"{_W}eastAsia", marker(slot))
