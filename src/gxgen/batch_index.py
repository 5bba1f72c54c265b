"""The index of a batch: ``OUT/index.html`` and ``OUT/index.md``, in the user's language.

One self-contained page listing every report, its validation status, its problems and links
to each format and variant (relative, so the folder can be moved or published as it is), and
the YAML files skipped as not reports. The page is ``templates/batch-index.html.j2``, like the
report's HTML; what it says comes from the message catalogue. Both files are built from the
same rows, so they list the same things.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from gxgen import __version__
from gxgen.findings import Finding
from gxgen.manifest import Outcome
from gxgen.messages import CATALOG
from gxgen.messages import render as message
from gxgen.sources import Ignored, visible

TEMPLATE_NAME = "batch-index.html.j2"
FORMAT_ORDER = ("docx", "html", "md", "odt", "txt")
"""Kept outputs of formats no longer asked for come after the run's own, in this order."""
HTML_LANG = {"zh": "zh-Hans", "en": "en"}


@dataclass(frozen=True)
class Link:
    name: str
    href: str


@dataclass(frozen=True)
class LinkGroup:
    """One format's outputs: ``Word：简体 · 繁体``."""

    name: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Problem:
    severity: str
    text: str
    rule: str


@dataclass(frozen=True)
class Row:
    """One report as both index files show it (plain text: the writers escape)."""

    status: str
    agency: str
    year: str
    status_name: str
    count: str
    """``1 条错误、2 条警告``; empty without findings."""
    problems: tuple[Problem, ...]
    previous: str
    links: tuple[LinkGroup, ...]
    stale: str
    source: str


class _Say:
    """The catalogue in one language."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, code: str, **params: Any) -> str:
        return message(code, self.lang, params)

    def name(self, prefix: str, key: str) -> str:
        code = f"{prefix}_{key}"
        return self(code) if code in CATALOG else key


def _finding_line(f: Finding, o: Outcome, say: _Say) -> str:
    """A finding for a row that already names its file: ``第 20 行：…``."""
    if f.file != o.source:
        return f.format(say.lang)
    text = f.message(say.lang)
    return say("index_at_line", line=f.line, message=text) if f.line else text


def _stale_reason(o: Outcome, say: _Say) -> str:
    """Why a report's published outputs are stale: its first error in this run."""
    errors = [f for f in o.finding_objects() if f.severity == "error"]
    reason = _finding_line(errors[0], o, say) if errors else ""
    return say("index_stale_more", reason=reason, n=len(errors)) if len(errors) > 1 else reason


def _problem_count(o: Outcome, say: _Say) -> str:
    if o.errors and o.warnings:
        return say("index_errors_warnings", errors=o.errors, warnings=o.warnings)
    return say("index_errors", n=o.errors) if o.errors else say("index_warnings", n=o.warnings)


def _link_groups(o: Outcome, formats: Sequence[str], say: _Say) -> tuple[LinkGroup, ...]:
    """In the run's format and variant order."""
    groups = []
    for fmt in dict.fromkeys([*formats, *FORMAT_ORDER]):
        links = tuple(Link(say.name("index_variant", r["variant"]), quote(r["path"], safe="/"))
                      for r in o.outputs if r["format"] == fmt)
        if links:
            groups.append(LinkGroup(say.name("index_format", fmt), links))
    return tuple(groups)


def row(o: Outcome, formats: Sequence[str], lang: str = "zh") -> Row:
    say = _Say(lang)
    findings = o.finding_objects()
    previous = Path(o.previous).name if o.previous else ""
    return Row(
        status=o.status, agency=visible(o.agency or say("index_unknown_agency")),
        year=str(o.year) if o.year else "—", status_name=say(f"index_status_{o.status}"),
        count=_problem_count(o, say) if findings else "",
        problems=tuple(Problem(f.severity, _finding_line(f, o, say), f.rule) for f in findings),
        previous=say("index_previous", file=previous) if previous else "",
        links=_link_groups(o, formats, say),
        stale=say("index_stale", reason=_stale_reason(o, say)) if o.stale else "",
        source=visible(o.rel),
    )


def summary(outcomes: Sequence[Outcome], ignored: Sequence[Ignored], lang: str = "zh") -> str:
    say = _Say(lang)
    counts = {"ok": 0, "warning": 0, "error": 0}
    for o in outcomes:
        counts[o.status] += 1
    stale = sum(1 for o in outcomes if o.stale)
    return say("index_summary", total=len(outcomes), **counts,
               kept=say("index_summary_kept", n=stale) if stale else "",
               ignored=say("index_summary_ignored", n=len(ignored)) if ignored else "")


def _escape(value: Any) -> str:
    """Every ``{{ }}`` of the page, escaped as ``html.escape`` does (quotes included)."""
    return html.escape(str(value))


@lru_cache(maxsize=4)
def _environment(search_path: tuple[str, ...]) -> Environment:
    return Environment(loader=FileSystemLoader(list(search_path)), autoescape=False,
                       finalize=_escape, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True, undefined=StrictUndefined)


def index_html(outcomes: Sequence[Outcome], formats: Sequence[str],
               ignored: Sequence[Ignored] = (), lang: str = "zh") -> bytes:
    """``OUT/index.html``."""
    from gxgen.writers import template_folders

    say = _Say(lang)
    page = {
        "lang": HTML_LANG.get(lang, lang), "version": __version__, "title": say("index_title"),
        "summary": summary(outcomes, ignored, lang), "colon": say("index_colon"),
        "columns": [say(f"index_col_{c}") for c in ("agency", "year", "check", "reports",
                                                    "source")],
        "rows": [row(o, formats, lang) for o in outcomes], "no_facts": say("index_no_facts"),
        "ignored_title": say("index_ignored_title"),
        "ignored": [{"file": visible(str(i.rel)), "reason": say(f"index_ignored_{i.code}")}
                    for i in ignored],
    }
    folders = tuple(str(f) for f in template_folders())
    return _environment(folders).get_template(TEMPLATE_NAME).render(page=page).encode("utf-8")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(visible(text).split()))


def _code(text: str) -> str:
    return "`" + visible(text).replace("`", "") + "`"


def _md_links(r: Row, say: _Say) -> str:
    colon = say("index_colon")
    links = say("index_links_sep").join(
        group.name + colon + " · ".join(f"[{_md(link.name)}](<{link.href}>)"
                                         for link in group.links)
        for group in r.links
    ) or "—"
    if r.stale:
        links += say("index_links_sep") + _md(r.stale)
    return links


def index_md(outcomes: Sequence[Outcome], formats: Sequence[str],
             ignored: Sequence[Ignored] = (), lang: str = "zh") -> bytes:
    """``OUT/index.md``: the same list as ``index.html``, for a repository's web view."""
    say = _Say(lang)
    columns = [say(f"index_col_{c}") for c in ("agency", "year", "check", "reports", "source")]
    lines = [f"# {say('index_title')}", "", summary(outcomes, ignored, lang), "",
             "| " + " | ".join(columns) + " |", "| --- | --- | --- | --- | --- |"]
    rows = [row(o, formats, lang) for o in outcomes]
    for r in rows:
        status = say("index_status_count", status=r.status_name, count=r.count) \
            if r.problems else r.status_name
        lines.append(f"| {_md(r.agency)} | {r.year} | {status} | {_md_links(r, say)} | "
                     f"{_code(r.source)} |")
    troubled = [r for r in rows if r.problems]
    if troubled:
        lines += ["", f"## {say('index_problems')}", ""]
        for r in troubled:
            lines.append("- " + say("index_problem_file", file=_code(r.source),
                                    agency=_md(r.agency)))
            lines += ["  - " + say("index_problem", line=_md(p.text), rule=p.rule)
                      for p in r.problems]
    if ignored:
        lines += ["", f"## {say('index_ignored_title')}", ""]
        lines += [f"- {_code(str(i.rel))}{say('index_colon')}{say(f'index_ignored_{i.code}')}"
                  for i in ignored]
    return ("\n".join(lines) + "\n").encode("utf-8")
