"""Findings: what validation reports, one line each, in Chinese or English.

A finding carries a message *code* and its parameters rather than a finished sentence, so
the same finding prints in either language and serialises to stable JSON for CI.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from gxgen.messages import render

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class FactsLocation:
    """A place in a YAML facts file: ``报告.yaml:12:7``. Line and column are 1-based, and
    either may be unknown (a file-wide finding names the file alone)."""

    file: str
    line: int | None = None
    col: int | None = None

    def text(self) -> str:
        parts = [self.file or "-"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "facts", "file": self.file, "line": self.line, "column": self.col}


@dataclass(frozen=True)
class SheetLocation:
    """A cell of a spreadsheet form: ``某局-2022.xlsx:申请情况!D12`` (the sheet's name as
    the workbook spells it, the cell in A1 notation, as a spreadsheet user types it)."""

    file: str
    sheet: str
    cell: str | None = None

    def text(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{self.file or '-'}:{where}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "sheet", "file": self.file, "sheet": self.sheet, "cell": self.cell}


@dataclass(frozen=True)
class DocumentLocation:
    """A place in a published report: ``报告.docx:p.4:表三 （一）予以公开·总计``. The table is
    named as the report numbers it, the row and column by their printed labels, so a reader
    finds the cell in the document itself; the page (1-based) is known for PDF only."""

    file: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    page: int | None = None

    def text(self) -> str:
        parts = [self.file or "-"]
        if self.page is not None:
            parts.append(f"p.{self.page}")
        cell = "·".join(filter(None, (self.row, self.column)))
        table = " ".join(filter(None, (self.table, cell)))
        if table:
            parts.append(table)
        return ":".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "document", "file": self.file, "table": self.table, "row": self.row,
                "column": self.column, "page": self.page}


Location = FactsLocation | SheetLocation | DocumentLocation
"""Where a finding points. Facts files are read today; forms (``gxgen form``) and published
reports (``gxgen import``/``audit``) are read back by the coming readers, whose findings
point into the file the user has open rather than into a facts file."""


@dataclass(frozen=True)
class Finding:
    rule: str
    """Rule id: ``T2-BAL``, ``schema``, ``yaml``, ``X-CARRY`` …"""
    severity: Severity
    code: str
    """Message template key in ``gxgen.messages``."""
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    file: str = ""
    line: int | None = None
    col: int | None = None
    path: str | None = None
    """The facts path the finding is about (``applications.new.natural``)."""
    detail: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    """Extra JSON keys some rules add (C-FIGURE: ``cells``, ``stated``, ``table``)."""
    ignored: bool = False
    """Silenced by an ``ignore:`` entry of the facts file: shown, never counted."""
    place: SheetLocation | DocumentLocation | None = field(default=None, kw_only=True)
    """Where the finding points when that is not a facts file; ``file`` is then the sheet's
    or document's file (set from ``place`` when left empty)."""

    def __post_init__(self) -> None:
        if self.place is not None and not self.file:
            object.__setattr__(self, "file", self.place.file)

    @property
    def at(self) -> Location:
        """Where the finding points, whatever kind of file that is."""
        return self.place or FactsLocation(self.file, self.line, self.col)

    def message(self, lang: str = "zh") -> str:
        return render(self.code, lang, self.params)

    def location(self) -> str:
        return self.at.text()

    def format(self, lang: str = "zh") -> str:
        """``FILE:L:C  错误  RULE  message``: the severity named on every line, so a reader
        (or ``grep 错误``) tells what blocks rendering from what is advice."""
        severity = render(f"severity_{self.severity}", lang, {})
        return printable(f"{self.location()}  {severity}  {self.rule}  {self.message(lang)}")

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "code": self.code,
            "message": self.message(lang),
            "location": self.at.to_dict(),
            **(self.detail or {}),
            **({"ignored": True} if self.ignored else {}),
        }


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def strict(findings: Iterable[Finding]) -> list[Finding]:
    """``--strict`` (for CI): every warning becomes an error."""
    return [replace(f, severity="error") if f.severity == "warning" else f for f in findings]


def sort_key(f: Finding) -> tuple[Any, ...]:
    return (f.file, f.line or 0, f.col or 0, SEVERITIES.index(f.severity), f.rule, f.code)


def to_json(findings: Iterable[Finding], lang: str = "zh") -> str:
    """The ``--format json`` document, a stable contract for CI::

        {"version": 2, "errors": n, "warnings": n,
         "findings": [{"file", "line", "column", "rule", "severity", "path", "code",
                       "message", "location"}, ...]}

    ``line``/``column`` are 1-based or null; ``path`` is the facts path or null; ``code``
    is the message key (language-independent); ``message`` follows ``--lang``.

    ``location`` (new in version 2; the keys of version 1 are kept as they were) says where
    the finding points, by ``kind``::

        {"kind": "facts", "file", "line", "column"}           报告.yaml:12:7
        {"kind": "sheet", "file", "sheet", "cell"}            某局-2022.xlsx:申请情况!D12
        {"kind": "document", "file", "table", "row", "column", "page"}
                                                              报告.docx:p.4:表三 （一）予以公开·总计

    Every key is always present, null when unknown. A consumer that reads only ``file``,
    ``line`` and ``column`` keeps working: for a sheet or document they hold its file and
    null. New kinds may be added; a consumer should show ``file`` for a kind it does not know.

    Optional keys, present only when they apply: a C-FIGURE finding adds ``cells`` (the
    facts paths of the table cells it compared), ``stated`` (the figure the narrative
    states; 0 for a claim such as 均获维持) and ``table`` (the table's value). A finding
    silenced by the facts file's ``ignore:`` is listed with ``"ignored": true`` and counted
    in ``ignored``, not in ``warnings``."""
    items = [f.to_dict(lang) for f in findings]
    live = [f for f in items if not f.get("ignored")]
    doc = {
        "version": 2,
        "errors": sum(1 for f in live if f["severity"] == "error"),
        "warnings": sum(1 for f in live if f["severity"] == "warning"),
        **({"ignored": len(items) - len(live)} if len(live) < len(items) else {}),
        "findings": items,
    }
    return _json_safe(json.dumps(doc, ensure_ascii=False, indent=2))


_HIDDEN = ("Cc", "Cf", "Cs", "Zl", "Zp")
"""Unicode categories that act on a terminal instead of showing: controls (``ESC [2J``
clears the screen), format characters (U+202E turns the rest of a line around, so a file
name or a figure would read differently), surrogates (cannot even be encoded), and line or
paragraph separators (a finding is one line)."""


def _hidden(char: str) -> bool:
    return not char.isprintable() and unicodedata.category(char) in _HIDDEN


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: every hidden character (``_HIDDEN``) shown as a
    visible escape (``\\x1b``, ``\\u202e``), everything else as it is. Facts, file names and
    template texts are echoed in findings, and none of them may steer the terminal."""
    if text.isprintable():
        return text
    return "".join(_escape(c) if _hidden(c) else c for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _json_safe(text: str) -> str:
    """JSON text with hidden characters as ``\\uXXXX`` escapes: the same data once parsed,
    but nothing that acts on the terminal CI prints it to (``json.dumps`` escapes only
    C0 controls when ``ensure_ascii`` is off)."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char != "\n" and _hidden(char):
            code = ord(char)
            if code >= 0x10000:
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
