"""The checking half of the pipeline: file → loaded → schema → facts → rules.

``check_file`` never raises for bad input: whatever is wrong with the file comes back as
findings, so the CLI and ``batch`` can report it in one line and go on. Schema errors do not
hide the rest: the rules run on the cells that are valid (``Checked.partial``), though such a
file is never rendered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gxgen import editions, extensions, ignores, loader, rules, schema
from gxgen import facts as facts_mod
from gxgen.editions import Edition
from gxgen.facts import Facts
from gxgen.findings import Finding, has_errors, sort_key
from gxgen.messages import listed, nested


@dataclass
class Checked:
    file: str
    facts: Facts | None
    """The facts of a schema-valid file: what render, rollup and diff use."""
    findings: list[Finding] = field(default_factory=list)
    previous: str | None = None
    """The last-year file used for the cross-year checks, if any."""
    partial: Facts | None = None
    """A file with schema errors: its valid parts, the rest unknown. The rules run on it;
    nothing is rendered from it."""
    ignored: list[Finding] = field(default_factory=list)
    """Warnings the file's ``ignore:`` entries silenced (listed in JSON, never counted)."""

    @property
    def readable(self) -> Facts | None:
        """What the rules can check: the facts, or the valid parts of a file with errors."""
        return self.facts if self.facts is not None else self.partial

    @property
    def ok(self) -> bool:
        return self.facts is not None and not has_errors(self.findings)


def edition_of(loaded: loader.Loaded, extra: Sequence[str | Path] = (),
               base: Path | None = None) -> tuple[Edition | None, list[Finding]]:
    """The edition a file declares (the built-in one, extended as the file asks).

    Its ``extensions:`` are read relative to ``base`` (the facts file's folder); ``extra``
    (``--extension``) are added after them, relative to the working directory."""
    raw = loaded.data.get("edition")
    ident = str(raw) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else None
    if ident not in editions.available():
        mark = loaded.marks.value(("edition",)) if "edition" in loaded.data else None
        return None, [Finding(
            "schema", "error", "bad_edition",
            {"choices": listed(f'"{e}"' for e in editions.available()),
             "actual": schema.shown(raw) if "edition" in loaded.data else nested("unset")},
            loaded.file, mark.line if mark else 1, mark.col if mark else 1, "edition")]
    edition = editions.load(ident)
    folder = base if base is not None else Path(loaded.file).parent
    refs = extensions.refs_from(loaded.data, loaded.marks, loaded.file, folder)
    refs += [extensions.Ref(str(x), Path("."), "--extension") for x in extra]
    if not refs:
        return edition, []
    return extensions.extend(edition, refs)


def check_loaded(loaded: loader.Loaded, extra: Sequence[str | Path] = (),
                 base: Path | None = None) -> Checked:
    """Schema, facts and single-year rules for an already read file."""
    findings = list(loaded.findings)
    edition, problems = edition_of(loaded, extra, base)
    findings += problems
    if edition is None:
        return Checked(loaded.file, None, findings)
    problems, unusable = schema.problems(loaded, edition)
    facts, notes = facts_mod.build(loaded, edition, unusable)
    findings += problems + notes
    if problems:
        return Checked(loaded.file, None, findings, partial=facts)
    return Checked(loaded.file, facts, findings)


def read(path: str | Path, display: str | None = None,
         extra: Sequence[str | Path] = ()) -> Checked:
    try:
        loaded = loader.read(path, display)
    except loader.LoadError as exc:
        return Checked(display or str(path), None, [exc.finding])
    return check_loaded(loaded, extra, Path(path).parent)


def previous_candidates(path: Path, year: int) -> list[Path]:
    """Where last year's file would be: ``2021.yaml`` beside ``2022.yaml`` (any name with the
    year in it), or the same name under a ``2021/`` folder mirroring ``2022/``."""
    this, last = str(year), str(year - 1)
    out = []
    if this in path.name:
        i = path.name.rfind(this)
        out.append(path.with_name(path.name[:i] + last + path.name[i + len(this):]))
    parts = list(path.parts)
    for i in range(len(parts) - 2, -1, -1):
        if re.fullmatch(re.escape(this), parts[i]):
            out.append(Path(*parts[:i], last, *parts[i + 1:]))
            break
    return [p for p in out if p != path]


def check_file(path: str | Path, previous: str | Path | None = None,
               display: str | None = None, find_previous: bool = True,
               extra: Sequence[str | Path] = ()) -> Checked:
    """Everything ``gxgen validate`` checks for one file, cross-year included. ``extra``:
    extension tables asked for on the command line (``--extension``)."""
    result = read(path, display, extra)
    facts = result.readable
    if facts is not None:
        prev_path: Path | None = Path(previous) if previous else None
        if prev_path is None and find_previous and facts.usable("year"):
            prev_path = next(
                (p for p in previous_candidates(Path(path), facts.year) if p.is_file()),
                None,
            )
        prev_facts = None
        if prev_path is not None and facts.usable("year"):
            prev_facts, notes = _previous(facts, prev_path)
            result.findings += notes
            result.previous = str(prev_path) if prev_facts else None
        result.findings += rules.check(facts, prev_facts)
        result.findings, result.ignored = ignores.apply(facts, result.findings)
    result.findings.sort(key=sort_key)
    return result


def _previous(facts: Facts, path: Path) -> tuple[Facts | None, list[Finding]]:
    prev = read(path)

    def note(code: str, **params: object) -> list[Finding]:
        return [Finding("X-PREV", "warning", code, {"previous_file": str(path), **params},
                        facts.file, 1, 1)]

    first = next((f for f in prev.findings if f.severity == "error"), None)
    reason = {"reason": _reason(first)}
    last = prev.readable
    if last is None or not last.usable("year"):
        return None, note("previous_unusable", **reason)
    if last.year != facts.year - 1:
        return None, note("previous_year_mismatch", found=last.year, expected=facts.year - 1)
    if first is not None:
        return last, note("previous_partial", **reason)
    return last, []


def _reason(first: Finding | None) -> dict[str, Any] | str:
    """Last year's first error, said in the reader's language, at its line when known."""
    if first is None:
        return ""
    said = nested(first.code, **first.params)
    return nested("at_line", line=first.line, message=said) if first.line else said
