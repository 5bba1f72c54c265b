"""``gxgen diff``: what changed between two facts files, cell by statutory cell.

A line diff of two YAML files says "line 31 changed"; a reviewer wants "三、收到和处理政府信息
公开申请情况 本年新收·自然人：52 → 60（+8）". Both files are loaded into ``Facts``, so a row
written as a list in one file and as a mapping in the other compares equal, and computed
totals show up like typed ones. The old side may also be a committed version (``--rev``).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gxgen.editions import Edition
from gxgen.facts import Facts, Value
from gxgen.findings import printable
from gxgen.messages import render
from gxgen.model import format_value

FIELDS = ("edition", "agency", "agency_type", "year", "date", "title", "signature")
"""The top-level facts that are not figures but still change the printed report."""


class DiffError(Exception):
    """A side that cannot be compared: unreadable, not valid facts, or not in git."""

    def __init__(self, lines: list[str]):
        lines = [printable(line) for line in lines]
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Change:
    name: str
    """How the report names it (``三、收到和处理… 本年新收·自然人``, ``机关全称``)."""
    old: Value | str | None
    new: Value | str | None
    """``None`` when the cell does not exist on that side (another edition)."""
    path: str = ""


@dataclass
class Comparison:
    old_name: str
    new_name: str
    old_year: int
    new_year: int
    fields: list[Change] = field(default_factory=list)
    cells: list[Change] = field(default_factory=list)
    narratives: list[tuple[str, str, str]] = field(default_factory=list)
    """``(section name, old text, new text)`` for every narrative that changed."""

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.cells or self.narratives)


def _narrative_keys(facts: Facts) -> list[tuple[str, str]]:
    """``(key, name)`` of every narrative the report prints, in report order."""
    edition = facts.edition
    out = [("preface", edition.field_label("preface"))]
    for number, section in edition.numbered():
        if section.narrative:
            out.append((section.narrative, number + section.title))
        for key in section.tables:
            out.append((f"{key}.text", f"{number}{section.title}（表前说明）"))
    return out


def cell_names(edition: Edition) -> dict[str, str]:
    """Each cell's name as ``Edition.cell_name`` gives it, with the row groups spelled out
    (``（三）不予公开·2.其他法律行政法规禁止公开·自然人``): leaf rows alone repeat across groups
    (``3.其他`` under both （六）其他处理 and its parent)."""
    by_table = {key: table.shape.row_groups() for key, table in edition.tables.items()}
    names = {}
    for path, cell in edition.cells.items():
        table = edition.tables.get(cell.table)
        if table is None or len(cell.row) < 2:
            names[path] = edition.cell_name(cell)
            continue
        found = by_table[cell.table]
        chain = [found[cell.row[:i]] for i in range(1, len(cell.row)) if cell.row[:i] in found]
        number, _ = edition.section_of(cell.table)
        name = "·".join(x for x in (*chain, cell.row_label, cell.col_label) if x)
        names[path] = f"{number}{table.label} {name}"
    return names


def compare(old: Facts, new: Facts, old_name: str | None = None,
            new_name: str | None = None) -> Comparison:
    result = Comparison(old_name or old.file, new_name or new.file, old.year, new.year)
    for key in FIELDS:
        a, b = old.data.get(key), new.data.get(key)
        if a != b:
            result.fields.append(Change(new.edition.field_label(key),
                                        None if a is None else str(a),
                                        None if b is None else str(b), key))
    names = {**cell_names(old.edition), **cell_names(new.edition)}
    for path in dict.fromkeys((*new.edition.cells, *old.edition.cells)):
        a, b = old.values.get(path), new.values.get(path)
        if a != b:
            result.cells.append(Change(names[path], a, b, path))
    seen = set()
    for key, name in (*_narrative_keys(new), *_narrative_keys(old)):
        if key in seen:
            continue
        seen.add(key)
        a, b = old.text(key), new.text(key)
        if a != b:
            result.narratives.append((name, a, b))
    return result


def show(value: Value | str | None, lang: str) -> str:
    """A figure as the report prints it; a cell the other edition lacks as absent."""
    if value is None:
        return "（无此项）" if lang != "en" else "(absent)"
    return format_value(value)


def delta(old: Value | str | None, new: Value | str | None) -> str | None:
    """``+8``, ``-3``, ``+0.25``; ``None`` when either side is not a number."""
    if not isinstance(old, (int, Decimal)) or not isinstance(new, (int, Decimal)):
        return None
    if isinstance(old, bool) or isinstance(new, bool):
        return None
    d = new - old
    text = format(d, "f") if isinstance(d, Decimal) else str(d)
    return text if text.startswith("-") else "+" + text


def _paragraphs(text: str) -> int:
    return len([p for p in text.split("\n") if p.strip()])


def lines(cmp: Comparison, lang: str = "zh") -> list[str]:
    """The report of a comparison, one change a line (``printable``: facts are echoed)."""
    return [printable(line) for line in _lines(cmp, lang)]


def _lines(cmp: Comparison, lang: str) -> list[str]:
    p = {"old": cmp.old_name, "new": cmp.new_name, "old_year": cmp.old_year,
         "new_year": cmp.new_year, "cells": len(cmp.cells), "texts": len(cmp.narratives)}
    out = [render("diff_header", lang, p)]
    if not cmp.changed:
        out.append(render("diff_none", lang, {}))
        return out
    for change in cmp.fields:
        out.append(render("diff_field", lang, {"name": change.name,
                                                "old": show(change.old, lang),
                                                "new": show(change.new, lang)}))
    for change in cmp.cells:
        d = delta(change.old, change.new)
        params = {"name": change.name, "old": show(change.old, lang),
                  "new": show(change.new, lang), "delta": d}
        out.append(render("diff_cell" if d is not None else "diff_cell_plain", lang, params))
    for name, a, b in cmp.narratives:
        code = "diff_text_added" if not a.strip() else (
            "diff_text_removed" if not b.strip() else "diff_text")
        out.append(render(code, lang, {
            "name": name, "old_paras": _paragraphs(a), "new_paras": _paragraphs(b),
            "old_chars": len("".join(a.split())), "new_chars": len("".join(b.split())),
        }))
    return out


def load(path: str | Path, display: str | None = None, raw: bytes | None = None,
         lang: str = "zh") -> Facts:
    """Read one side as facts (no rules: a diff compares, it does not judge)."""
    from gxgen import check, loader

    name = display or str(path)
    if raw is None:
        checked = check.read(path, name)
    else:
        try:
            checked = check.check_loaded(loader.loads(raw, name))
        except loader.LoadError as exc:
            checked = check.Checked(name, None, [exc.finding])
    if checked.facts is None:
        problems = [f.format(lang) for f in checked.findings if f.severity == "error"]
        raise DiffError([render("diff_unusable", lang, {"file": name}), *problems])
    return checked.facts


def git_show(path: str | Path, rev: str, lang: str = "zh") -> bytes:
    """The committed bytes of ``path`` at ``rev`` (``HEAD~1``, a tag, a commit), read from
    git's pipe only up to the facts-file limit: a larger blob is refused, not parsed."""
    from gxgen.loader import MAX_BYTES

    file = Path(path)
    folder = file.parent if str(file.parent) else Path(".")

    def fail(reason: object) -> DiffError:
        return DiffError([render("diff_git", lang, {"rev": rev, "file": str(path),
                                                    "reason": reason})])

    if rev.startswith("-"):
        raise fail("invalid revision")
    try:
        with subprocess.Popen(["git", "-C", str(folder), "show", f"{rev}:./{file.name}"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as proc:
            assert proc.stdout is not None and proc.stderr is not None
            data = proc.stdout.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                proc.kill()
                raise DiffError([render("diff_git_too_large", lang, {
                    "rev": rev, "file": str(path), "limit": MAX_BYTES // 1024})])
            error = proc.stderr.read(64 * 1024)
            code = proc.wait(timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise fail(exc) from None
    if code != 0:
        reason = error.decode("utf-8", "replace").strip().splitlines()
        raise fail(reason[-1] if reason else code)
    return data
