"""Keep ``src/gxgen/editions/traditional.yaml`` complete.

Every fixed label and phrase of the edition data needs a reviewed traditional form, because
labels are looked up, never converted at run time. This tool collects the label strings, adds
the missing ones (OpenCC s2t with gxgen's corrections, marked ``# 待校对`` until a person has
reviewed them and deleted the mark), drops entries no label uses any more, and keeps the
reviewed ones. ``--check`` changes nothing and exits 1 when entries are missing or stale.

    PYTHONPATH=src python tools/update_traditional.py [--check]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ROOT / "src" / "gxgen" / "editions"
TABLE_NAME = "traditional.yaml"
COMMON_NAME = "common.yaml"

EDITION_KEYS = frozenset({"label", "short", "caption", "corner", "title", "stub", "name", "unit",
                          "notice"})
"""Keys whose string values are labels anywhere in an edition or extension-table file."""

UNREVIEWED = "待校对"
"""Trailing comment on an entry the tool added; the reviewer deletes it."""

BAD_FORMS = ("資訊", "檔案", "爲", "僞", "衆", "發佈", "佈", "覈", "祕", "羣", "峯", "于", "范",
             "瞭")
"""Forms no reviewed label may contain: phrase-mode rewrites (資訊, 檔案), the variants gxgen
does not use (爲 → 為, 佈 → 布, 覈 → 核 …), and leftovers of a bad conversion (屬于, 規范).
瞭 is fine in narrative (瞭解) but no statutory label has it."""

HEADER = """\
# Reviewed traditional (繁體) forms of every fixed label and phrase in the edition data, used by
# every traditional variant (zh-Hant, zh-TW, zh-HK): labels are looked up here, never converted
# at run time. Maintained by tools/update_traditional.py (run it after changing edition data;
# review the entries it marks "# 待校对", then delete the mark).
#
# Conventions: mainland traditional standard as OpenCC s2t gives it when it is right, with
# 為/偽/眾 (not 爲/僞/衆), 核 (複核, not 複覈), 布 (發布, not 發佈), 秘, 群, 於 (not 于);
# statutory terms unchanged: 信息 (not 資訊), 規範性文件 (not 檔案), 制發 (not 製發).
# ASCII digits and punctuation as in the source; full-width punctuation and “” stay.
"""


@dataclass
class Report:
    """What ``check`` found: keys to add, keys no label uses, entries still to review or
    containing a form gxgen does not use."""

    missing: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    unreviewed: list[str] = field(default_factory=list)
    bad: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.bad)

    def lines(self) -> Iterator[str]:
        for key in self.missing:
            yield f"missing: {key}"
        for key in self.stale:
            yield f"stale: {key}"
        for key, value, form in self.bad:
            yield f"bad form {form!r}: {key}: {value}"
        for key in self.unreviewed:
            yield f"unreviewed (# {UNREVIEWED}): {key}"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str) and item:
                yield item


def edition_labels(data: Any) -> Iterator[str]:
    """Label strings of an edition or extension-table file: the values of ``EDITION_KEYS``
    anywhere in the tree, and plain-string ``columns`` (indicator tables)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in EDITION_KEYS or key == "columns":
                yield from _strings(value)
            yield from edition_labels(value)
    elif isinstance(data, list):
        for item in data:
            yield from edition_labels(item)


def _field_labels(fields: dict[str, Any]) -> Iterator[str]:
    for spec in fields.values():
        if not isinstance(spec, dict):
            continue
        for key in ("label", "description"):
            yield from _strings(spec.get(key))
        yield from _field_labels(spec.get("children") or {})


def common_labels(data: dict[str, Any]) -> Iterator[str]:
    """Label strings of ``common.yaml``: field labels and descriptions (nested children
    too), record field labels, every phrase, the overview topic labels."""
    yield from _field_labels(data.get("fields") or {})
    for record in (data.get("records") or {}).values():
        for fld in record.get("fields") or ():
            yield from _strings(fld.get("label"))
    for phrase in (data.get("phrases") or {}).values():
        yield from _strings(phrase)
    for topic in (data.get("content") or {}).get("overview_topics") or ():
        yield from _strings(topic.get("label"))


def _data_files(editions: Path) -> list[Path]:
    """Edition files and extension tables: every YAML file under the editions directory and
    under a sibling ``extensions`` directory (built-in provincial tables), if there is one."""
    dirs = [editions, editions.parent / "extensions"]
    files = {p for d in dirs if d.is_dir() for p in d.rglob("*.yaml") if p.name != TABLE_NAME}
    return sorted(files)


def collect(editions: Path = EDITIONS) -> list[str]:
    """Every distinct label string of the edition data, sorted."""
    found: set[str] = set()
    for path in _data_files(editions):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        if path.name == COMMON_NAME and path.parent == editions:
            found.update(common_labels(data))
        else:
            found.update(edition_labels(data))
    return sorted(found)


_MARK = re.compile(r"\s+#\s*" + UNREVIEWED + r"\s*$")


def read_table(path: Path) -> tuple[dict[str, str], set[str]]:
    """The entries of ``traditional.yaml`` and the keys still marked unreviewed."""
    if not path.is_file():
        return {}, set()
    text = path.read_text("utf-8")
    table = yaml.safe_load(text) or {}
    if not isinstance(table, dict):
        raise ValueError(f"{path}: expected a mapping")
    unreviewed = set()
    for line in text.splitlines():
        if _MARK.search(line):
            entry = yaml.safe_load(_MARK.sub("", line))
            if isinstance(entry, dict):
                unreviewed.update(entry)
    return {str(k): str(v) for k, v in table.items()}, unreviewed


def check(editions: Path = EDITIONS) -> Report:
    """Compare the label strings of the edition data with ``traditional.yaml``."""
    table, unreviewed = read_table(editions / TABLE_NAME)
    labels = collect(editions)
    wanted = set(labels)
    report = Report(
        missing=[k for k in labels if k not in table],
        stale=sorted(k for k in table if k not in wanted),
        unreviewed=sorted(k for k in unreviewed if k in wanted),
    )
    for key, value in sorted(table.items()):
        for form in BAD_FORMS:
            if form in value:
                report.bad.append((key, value, form))
    return report


def _entry(key: str, value: str) -> str:
    """One ``key: value`` line; a label with a line break is written as JSON-style quoted
    scalars (PyYAML would spread it over several lines as a complex key)."""
    if any(not c.isprintable() for c in key + value):
        return f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(value, ensure_ascii=False)}"
    return yaml.safe_dump({key: value}, allow_unicode=True, width=1 << 20).rstrip("\n")


def render(table: dict[str, str], unreviewed: Iterable[str] = ()) -> str:
    """The file text: header, then one ``key: value`` line per entry sorted by key."""
    marked = set(unreviewed)
    lines = [HEADER]
    for key in sorted(table):
        line = _entry(key, table[key])
        lines.append(f"{line}  # {UNREVIEWED}" if key in marked else line)
    return "\n".join(lines) + "\n"


def candidate(text: str) -> str:
    """The unreviewed traditional form: gxgen's s2t narrative conversion (OpenCC s2t with the
    runtime corrections and the built-in protected terms)."""
    if importlib.util.find_spec("gxgen") is None:
        sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without PYTHONPATH
    from gxgen.variants import VARIANTS, Converter

    return Converter(VARIANTS["traditional"]).narrative(text)


def update(editions: Path = EDITIONS) -> tuple[list[str], list[str]]:
    """Add missing entries, drop stale ones, keep reviewed ones; return (added, dropped)."""
    path = editions / TABLE_NAME
    table, unreviewed = read_table(path)
    report = check(editions)
    for key in report.missing:
        table[key] = candidate(key)
        unreviewed.add(key)
    for key in report.stale:
        del table[key]
        unreviewed.discard(key)
    text = render(table, unreviewed)
    if not path.is_file() or path.read_text("utf-8") != text:
        path.write_text(text, "utf-8")
    return report.missing, report.stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; exit 1 on problems")
    parser.add_argument("--editions", type=Path, default=EDITIONS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check:
        report = check(args.editions)
        for line in report.lines():
            print(line)
        return 0 if report.ok else 1
    added, dropped = update(args.editions)
    for key in added:
        print(f"added (review it): {key}")
    for key in dropped:
        print(f"dropped: {key}")
    report = check(args.editions)
    for key, value, form in report.bad:
        print(f"bad form {form!r}: {key}: {value}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
