"""Silencing a confirmed false alarm where it occurs: the facts file's ``ignore:`` list.

``ignore: [{rule: C-FIGURE, path: overview.1}]`` silences the warnings of that rule whose
facts path is ``overview.1`` or lies under it (no ``path``: every warning of the rule in the
file). A silenced warning is kept, marked ``ignored`` — ``--format json`` lists it — but no
longer counts. Errors are never silenced, and an entry that silences nothing is itself a
warning, so a stale entry does not hide the next real contradiction. Silenced warnings
travel apart from the findings (``Checked.ignored``) so that nothing counts them by mistake.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from gxgen.facts import Facts
from gxgen.findings import Finding
from gxgen.messages import nested

KEY = "ignore"


def _covers(entry: dict[str, Any], finding: Finding) -> bool:
    if entry.get("rule") != finding.rule:
        return False
    path = entry.get("path")
    if not path:
        return True
    where = finding.path or ""
    return where == str(path) or where.startswith(f"{path}.")


def apply(facts: Facts, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The findings that stay (with a warning for each entry that silences nothing, or tries
    to silence an error) and those the file's ``ignore:`` entries silence, marked ``ignored``."""
    entries = facts.data.get(KEY) or []
    if not isinstance(entries, list) or not entries:
        return findings, []
    used = [False] * len(entries)
    out: list[Finding] = []
    silenced: list[Finding] = []
    notes: list[Finding] = []
    for finding in findings:
        hits = [i for i, e in enumerate(entries) if isinstance(e, dict) and _covers(e, finding)]
        if hits and finding.severity == "warning":
            for i in hits:
                used[i] = True
            silenced.append(replace(finding, ignored=True))
            continue
        if hits and finding.severity == "error":
            for i in hits:
                used[i] = True
                notes.append(_note(facts, i, "ignored_error", entries[i]))
        out.append(finding)
    notes += [_note(facts, i, "ignored_unused", e) for i, e in enumerate(entries) if not used[i]]
    return out + notes, silenced


def _note(facts: Facts, i: int, code: str, entry: Any) -> Finding:
    mark = facts.marks.value((KEY, i))
    path = entry.get("path") if isinstance(entry, dict) else None
    params = {"rule": entry.get("rule") if isinstance(entry, dict) else "",
              "at": nested("at_path", path=path) if path else ""}
    return Finding("ignore", "warning", code, params,
                   facts.file, mark.line if mark else None, mark.col if mark else None,
                   f"{KEY}.{i}")
