"""Findings: what validation reports, one line each, in Chinese or English.

A finding carries a message *code* and its parameters rather than a finished sentence, so
the same finding prints in either language and serialises to stable JSON for CI.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
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
        }


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def sort_key(f: Finding) -> tuple[Any, ...]:
    return (f.file, f.line or 0, f.col or 0, SEVERITIES.index(f.severity), f.rule, f.code)


def to_json(findings: Iterable[Finding], lang: str = "zh") -> str:
    """The ``--format json`` document, a stable contract for CI::

        {"version": 1, "errors": n, "warnings": n,
         "findings": [{"file", "line", "column", "rule", "severity", "path", "code",
                       "message"}, ...]}

    ``line``/``column`` are 1-based or null; ``path`` is the facts path or null; ``code``
    is the message key (language-independent); ``message`` follows ``--lang``."""
    items = [f.to_dict(lang) for f in findings]
    doc = {
        "version": 1,
        "errors": sum(1 for f in items if f["severity"] == "error"),
        "warnings": sum(1 for f in items if f["severity"] == "warning"),
        "findings": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
