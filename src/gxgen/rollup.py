"""``gxgen rollup``: the figures of an aggregate report, summed from its sub-agencies' files.

A district's own annual report (定海区 2022) states the whole district's statistics: the sum,
cell by statutory cell, of every sub-agency's facts. This module adds up ``Facts.values`` (so
rows left out, list and mapping forms and computed totals all count the same), writes a facts
file in the usual layout with the sums and their totals, and leaves every narrative as a
marked place to write. A comment block at the top names each file summed.

Inputs must be one edition and one year, and each must pass validation: a sum of broken
reports would be a broken report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from gxgen.editions import NA, Edition
from gxgen.facts import Facts, Value
from gxgen.findings import Finding, has_errors
from gxgen.messages import listed, nested, render
from gxgen.scaffold import scaffold

TO_WRITE = "【待填写】"
"""Marks each narrative the author still has to write (an error in ``validate`` until written)."""


class RollupError(Exception):
    """Inputs that cannot be summed; ``lines`` says why, one line each."""

    def __init__(self, lines: list[str], unreadable: bool = False):
        super().__init__("\n".join(lines))
        self.lines = lines
        self.unreadable = unreadable


@dataclass
class Rolled:
    text: str
    """The facts file (YAML with comments)."""
    sources: list[tuple[str, str]]
    """``(file, agency)`` of every file summed, in order."""
    values: dict[str, Value]
    """The summed figures by facts path (what the text says)."""
    edition: Edition | None = None
    """The (extended) edition of the inputs, which says which keys hold figures."""


def add(values: Sequence[Value]) -> Value:
    """One cell's sum: ``na`` counts as nothing, and only ``na`` everywhere stays ``na``."""
    numbers = [v for v in values if v != NA]
    if not numbers:
        return NA
    total: int | Decimal = 0
    for v in numbers:
        total += v  # type: ignore[operator]
    return total


def sums(facts: Sequence[Facts]) -> dict[str, Value]:
    edition = facts[0].edition
    return {path: add([f.values[path] for f in facts]) for path in edition.cells}


def _shape(edition: Edition) -> tuple[str, ...]:
    return (edition.id, *edition.cells)


def gather(paths: Sequence[str | Path], year: int, exclude: Sequence[str | Path] = (),
           lang: str = "zh", globs: Sequence[str] = ()) -> list[Facts]:
    """Load and check every facts file under ``paths``; refuse what cannot be summed."""
    import os

    from gxgen.check import check_file
    from gxgen.sources import discover

    skip = {os.path.abspath(p) for p in exclude}
    sources = [s for s in discover(paths, globs=globs) if os.path.abspath(s.path) not in skip]
    if not sources:
        raise RollupError([render("rollup_no_files", lang, {})], unreadable=True)
    problems: list[Finding] = []
    loaded: list[Facts] = []
    for source in sources:
        if source.special:  # a FIFO or device is refused, never opened
            problems.append(Finding("yaml", "error", "not_regular", {}, str(source.path)))
            continue
        checked = check_file(source.path)
        if checked.facts is None or has_errors(checked.findings):
            problems += [f for f in checked.findings if f.severity == "error"]
        else:
            loaded.append(checked.facts)
    if problems:
        unreadable = any(f.rule == "yaml" for f in problems)
        raise RollupError([render("rollup_input_errors", lang, {"n": len(
            {f.file for f in problems})}), *(f.format(lang) for f in problems)], unreadable)
    editions = {_shape(f.edition) for f in loaded}
    if len(editions) > 1:
        raise RollupError([render("rollup_mixed_editions", lang, {}), *(
            render("rollup_file_edition", lang, {
                "file": f.file, "edition": f.edition.id,
                "tables": nested("rollup_file_extensions", names=listed(f.edition.extensions))
                if f.edition.extensions else ""})
            for f in loaded)])
    wrong = [f for f in loaded if f.year != year]
    if wrong:
        raise RollupError([render("rollup_mixed_years", lang, {"year": year}), *(
            render("rollup_file_year", lang, {"file": f.file, "year": f.year}) for f in wrong)])
    return loaded


def rollup(paths: Sequence[str | Path], agency: str, year: int,
           agency_type: str = "government", exclude: Sequence[str | Path] = (),
           lang: str = "zh", folder: str | Path = ".", globs: Sequence[str] = ()) -> Rolled:
    """Sum the facts files under ``paths`` (but those ``globs`` exclude). ``folder`` is where
    the result will be written (extension definitions named by path are referred to from
    there)."""
    facts = gather(paths, year, exclude, lang, globs)
    values = sums(facts)
    sources = [(f.file, f.agency) for f in facts]
    records = {p for f in facts for p in f.typed if f.edition.cells[p].table not in
               f.edition.tables}
    text = write(facts[0].edition, agency, year, agency_type, values, sources, records,
                 extension_refs(facts[0], Path(folder)))
    return Rolled(text, sources, values, facts[0].edition)


def extension_refs(facts: Facts, folder: Path) -> list[str]:
    """The inputs' ``extensions:`` (all inputs have the same tables), paths made relative to
    the folder the roll-up is written to."""
    import os

    from gxgen.extensions import is_path

    refs = facts.data.get("extensions")
    out = []
    for ref in refs if isinstance(refs, list) else ():
        text = str(ref).strip()
        if is_path(text):
            target = os.path.abspath(Path(facts.file).parent / text)
            text = Path(os.path.relpath(target, os.path.abspath(folder))).as_posix()
        out.append(text)
    return out


# --------------------------------------------------------------------------- the YAML text


def write(edition: Edition, agency: str, year: int, agency_type: str,
          values: dict[str, Value], sources: Sequence[tuple[str, str]],
          records: set[str], extensions: Sequence[str] = ()) -> str:
    """The aggregate facts file: the scaffold's layout with the summed figures. ``records``
    are the record paths any input stated (a record nobody stated, such as 信息处理费, is
    left out rather than claimed to be zero)."""
    header = (
        "# gxgen rollup 生成的汇总事实文件。",
        f"# 统计数字是以下 {len(sources)} 个事实文件逐格相加之和（不适用 na 不计入；",
        "# 各文件都为 na 的单元格仍为 na），合计、总计一并写出，gxgen validate 会核对：",
        *(f"#   {file}  {name}" for file, name in sources),
        f"# 叙述部分标有{TO_WRITE}，请汇总各单位情况后撰写。",
    )
    return scaffold(edition, agency, year, values=values, agency_type=agency_type,
                    header=header, note=TO_WRITE, records=records, extensions=extensions)


# --------------------------------------------------------------------------- --update

HEADER_FIRST = "# gxgen rollup 生成的汇总事实文件。"
HEADER_LAST = "# 叙述部分标有"


def figure_keys(edition: Edition) -> set[tuple[str, ...]]:
    """The keys whose values are figures: each statistics table (top level), each record of
    figures inside a narrative group (``other_matters.processing_fees``), and ``extensions``
    (it says which tables there are)."""
    keys: set[tuple[str, ...]] = {("extensions",)}
    for path, cell in edition.cells.items():
        parts = tuple(path.split("."))
        keys.add(parts[:1] if cell.table in edition.tables else parts[:2])
    return keys


def update(old: str, rolled: Rolled, file: str, lang: str = "zh") -> str:
    """``old`` (an aggregate facts file someone has written in) with its figures replaced by
    ``rolled``'s: every figure key's lines are swapped for the new ones, everything else
    (narrative, date, title, comments) stays as written. Raises ``RollupError`` when the
    result would not state exactly the new sums (another edition, a reshaped file)."""
    from gxgen import loader
    from gxgen.check import check_loaded

    assert rolled.edition is not None
    keys = figure_keys(rolled.edition)
    try:
        merged = _swap(old, rolled.text, keys)
        checked = check_loaded(loader.loads(merged, file))
    except (yaml.YAMLError, loader.LoadError, ValueError) as exc:
        raise RollupError([render("rollup_update_failed", lang, {"path": file})],
                          unreadable=True) from exc
    if checked.facts is None or checked.facts.values != rolled.values:
        raise RollupError([render("rollup_update_failed", lang, {"path": file})],
                          unreadable=True)
    return merged


def _swap(old: str, new: str, keys: set[tuple[str, ...]]) -> str:
    lines = old.splitlines()
    fresh = new.splitlines()
    before, after = _spans(old, keys), _spans(new, keys)
    edits: list[tuple[int, int, list[str]]] = []
    for key in keys:
        if key in before:
            start, end, col = before[key]
            edits.append((start, end + 1, _block(fresh, after.get(key), col)))
        elif key in after:
            edits.append(_insert(lines, before, fresh, after, key))
    for start, stop, block in sorted(edits, reverse=True):
        lines[start:stop] = block
    return "\n".join(_header(lines, fresh)) + "\n"


def _block(fresh: list[str], span: tuple[int, int, int] | None, col: int) -> list[str]:
    """The new lines of a key, moved to indentation ``col`` (nothing when it has none)."""
    if span is None:
        return []
    start, end, new_col = span
    shift = col - new_col
    return [(" " * shift + line) if shift >= 0 else line[-shift:]
            for line in fresh[start:end + 1]]


def _insert(lines: list[str], before: dict[tuple[str, ...], tuple[int, int, int]],
            fresh: list[str], after: dict[tuple[str, ...], tuple[int, int, int]],
            key: tuple[str, ...]) -> tuple[int, int, list[str]]:
    """A figure key the old file lacks: under its parent when the old file has the parent
    (as its first child), else at the end of the file."""
    parent = before.get(key[:-1]) if len(key) > 1 else None
    if parent is None:
        at = len(lines)
        return at, at, _block(fresh, after[key], 0 if len(key) == 1 else 2)
    return parent[0] + 1, parent[0] + 1, _block(fresh, after[key], parent[2] + 2)


def _spans(text: str, keys: set[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[int, int, int]]:
    """``key → (first line, last line, column)`` of each key in ``keys`` and of their parent
    mappings, found by composing the YAML (comment lines after a value are not its own)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines = text.splitlines()
    wanted = keys | {k[:i] for k in keys for i in range(1, len(k))}
    out: dict[tuple[str, ...], tuple[int, int, int]] = {}

    def walk(node: yaml.Node | None, prefix: tuple[str, ...]) -> None:
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value in node.value:
            path = (*prefix, str(key_node.value))
            if path not in wanted:
                continue
            out[path] = (key_node.start_mark.line, _last(lines, key_node, value),
                         key_node.start_mark.column)
            walk(value, path)

    walk(root, ())
    return out


def _last(lines: list[str], key: yaml.Node, value: yaml.Node) -> int:
    end = value.end_mark
    last = end.line if end.column > 0 else end.line - 1
    while last > key.start_mark.line and (not lines[last].strip()
                                           or lines[last].lstrip().startswith("#")):
        last -= 1
    return last


def _header(lines: list[str], fresh: list[str]) -> list[str]:
    """The list of files summed, in the comment block at the top, brought up to date."""
    def block(text: list[str]) -> tuple[int, int] | None:
        first = next((i for i, line in enumerate(text) if line.startswith(HEADER_FIRST)), None)
        if first is None:
            return None
        last = next((i for i in range(first, len(text)) if text[i].startswith(HEADER_LAST)),
                    None)
        return None if last is None else (first, last)

    old, new = block(lines), block(fresh)
    if old is None or new is None:
        return lines
    return [*lines[:old[0]], *fresh[new[0]:new[1] + 1], *lines[old[1] + 1:]]
