"""Findings: what validation reports, one line each, in Chinese or English.

A finding carries a message *code* and its parameters rather than a finished sentence, so
the same finding prints in either language and serialises to stable JSON for CI.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from gxgen.messages import render

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


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

    def message(self, lang: str = "zh") -> str:
        return render(self.code, lang, self.params)

    def location(self) -> str:
        parts = [self.file or "-"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def format(self, lang: str = "zh") -> str:
        """``FILE:L:C  错误  RULE  message``: the severity named on every line, so a reader
        (or ``grep 错误``) tells what blocks rendering from what is advice."""
        severity = render(f"severity_{self.severity}", lang, {})
        return f"{self.location()}  {severity}  {self.rule}  {self.message(lang)}"

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

        {"version": 1, "errors": n, "warnings": n,
         "findings": [{"file", "line", "column", "rule", "severity", "path", "code",
                       "message"}, ...]}

    ``line``/``column`` are 1-based or null; ``path`` is the facts path or null; ``code``
    is the message key (language-independent); ``message`` follows ``--lang``.

    Optional keys, present only when they apply: a C-FIGURE finding adds ``cells`` (the
    facts paths of the table cells it compared), ``stated`` (the figure the narrative
    states; 0 for a claim such as 均获维持) and ``table`` (the table's value). A finding
    silenced by the facts file's ``ignore:`` is listed with ``"ignored": true`` and counted
    in ``ignored``, not in ``warnings``."""
    items = [f.to_dict(lang) for f in findings]
    live = [f for f in items if not f.get("ignored")]
    doc = {
        "version": 1,
        "errors": sum(1 for f in live if f["severity"] == "error"),
        "warnings": sum(1 for f in live if f["severity"] == "warning"),
        **({"ignored": len(items) - len(live)} if len(live) < len(items) else {}),
        "findings": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
