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

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from gxgen.editions import Edition, TableSpec
from gxgen.facts import Facts, Value
from gxgen.findings import Finding, has_errors
from gxgen.messages import render

TO_WRITE = "【待填写】"
"""Marks each narrative the author still has to write (and ``validate`` warns about)."""


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


def add(values: Sequence[Value]) -> Value:
    """One cell's sum: ``na`` counts as nothing, and only ``na`` everywhere stays ``na``."""
    numbers = [v for v in values if v != "na"]
    if not numbers:
        return "na"
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
           lang: str = "zh") -> list[Facts]:
    """Load and check every facts file under ``paths``; refuse what cannot be summed."""
    import os

    from gxgen.batch import discover
    from gxgen.check import check_file

    skip = {os.path.abspath(p) for p in exclude}
    sources = [s for s in discover(paths) if os.path.abspath(s.path) not in skip]
    if not sources:
        raise RollupError([render("rollup_no_files", lang, {})], unreadable=True)
    problems: list[Finding] = []
    loaded: list[Facts] = []
    for source in sources:
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
            render("rollup_file_edition", lang, {"file": f.file, "edition": f.edition.id})
            for f in loaded)])
    wrong = [f for f in loaded if f.year != year]
    if wrong:
        raise RollupError([render("rollup_mixed_years", lang, {"year": year}), *(
            render("rollup_file_year", lang, {"file": f.file, "year": f.year}) for f in wrong)])
    return loaded


def rollup(paths: Sequence[str | Path], agency: str, year: int,
           agency_type: str = "government", exclude: Sequence[str | Path] = (),
           lang: str = "zh", folder: str | Path = ".") -> Rolled:
    """Sum the facts files under ``paths``. ``folder`` is where the result will be written
    (extension definitions named by path are referred to from there)."""
    facts = gather(paths, year, exclude, lang)
    values = sums(facts)
    sources = [(f.file, f.agency) for f in facts]
    records = {p for f in facts for p in f.typed if f.edition.cells[p].table not in
               f.edition.tables}
    text = write(facts[0].edition, agency, year, agency_type, values, sources, records,
                 extension_refs(facts[0], Path(folder)))
    return Rolled(text, sources, values)


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


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _v(value: Value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _line(indent: int, body: str, comment: str = "") -> str:
    """A line with its label as a comment (on one line: some labels have line breaks)."""
    text = " " * indent + body
    comment = "".join(comment.split())
    return f"{text.ljust(40)}  # {comment}" if comment else text


def _tree(table: TableSpec, values: dict[str, Value]) -> dict[str, Any]:
    """The table's figures as nested mappings by facts path, in reading order."""
    root: dict[str, Any] = {}
    for cell in table.cells:
        node = root
        parts = cell.path.split(".")[1:]
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = values[cell.path]
    return root


def _labels(table: TableSpec) -> dict[tuple[str, ...], str]:
    """Comment labels for the keys a table's lines start with (rows, or columns for a table
    without row keys such as 复议/诉讼)."""
    out: dict[tuple[str, ...], str] = {}
    if table.kind in ("blocks", "indicators"):
        rows = [r for b in table.blocks for r in b.rows] or list(table.indicator_rows)
        return {(r.key,): r.label.strip() for r in rows}

    def walk(nodes: Any, prefix: tuple[str, ...]) -> None:
        for node in nodes:
            keys = (*prefix, node.key) if node.key else prefix
            if node.key:
                out.setdefault(keys, node.label)
            walk(node.children, keys)

    walk(table.rows or table.columns, ())
    return out


def _flow(node: dict[str, Any]) -> str:
    return "{" + ", ".join(
        f"{k}: {_flow(v) if isinstance(v, dict) else _v(v)}" for k, v in node.items()) + "}"


def _row(value: dict[str, Any], width: int) -> str:
    """A matrix row as a list in column order, numbers right-aligned so rows line up."""
    return "[" + ", ".join(_v(v).rjust(width) for v in value.values()) + "]"


def _emit(node: dict[str, Any], labels: dict[tuple[str, ...], str], prefix: tuple[str, ...],
          indent: int, width: int) -> list[str]:
    """Lines for a table's tree: a row group as a block, a matrix row as an aligned list (the
    form the examples use), other rows as a flow mapping, a single figure as a scalar."""
    out = []
    pad = max(len(k) for k in node) + 1
    for key, value in node.items():
        keys = (*prefix, key)
        label = labels.get(keys, "")
        head = f"{key}:".ljust(pad)
        if not isinstance(value, dict):
            out.append(_line(indent, f"{key}: {_v(value)}", label))
        elif any((*keys, k) in labels and isinstance(v, dict) for k, v in value.items()):
            out.append(_line(indent, f"{key}:", label))
            out += _emit(value, labels, keys, indent + 2, width)
        elif width and all(not isinstance(v, dict) for v in value.values()):
            out.append(_line(indent, f"{head} {_row(value, width)}", label))
        else:
            out.append(_line(indent, f"{key}: {_flow(value)}", label))
    return out


def _table_lines(table: TableSpec, values: dict[str, Value]) -> list[str]:
    tree = _tree(table, values)
    out = [_line(0, f"{table.key}:", table.label)]
    width = 0
    if table.kind == "matrix":
        width = max(len(_v(values[c.path])) for c in table.cells)
        columns = [leaf.label for n in table.columns for _, leaf in n.leaves()]
        if table.rows:
            out.append(f"  # 每行依次为：{', '.join(columns)}")
        else:
            inner = [leaf.label for _, leaf in table.columns[0].leaves()]
            out.append(f"  # 每项依次为：{', '.join(inner)}")
    return out + _emit(tree, _labels(table), (), 2, width)


def _narrative(edition: Edition, key: str, overview: bool) -> list[str]:
    label = edition.field_label(key)
    if not overview:
        return [_line(0, f'{key}: ""', f"{label}{TO_WRITE}")]
    out = [_line(0, f"{key}:", f"{label}{TO_WRITE}：汇总各单位情况后撰写")]
    for topic in edition.common["content"]["overview_topics"]:
        out += [f"  - heading: {_q(topic['label'])}", f'    text: ""  # {TO_WRITE}']
    return out


def write(edition: Edition, agency: str, year: int, agency_type: str,
          values: dict[str, Value], sources: Sequence[tuple[str, str]],
          records: set[str], extensions: Sequence[str] = ()) -> str:
    """The aggregate facts file. ``records`` are the record paths any input stated (a record
    nobody stated, such as 信息处理费, is left out rather than claimed to be zero)."""
    fields = edition.fields
    out = [
        f"# {agency}{year}年政府信息公开工作年度报告 — 汇总事实文件（gxgen rollup 生成）",
        f"# 格式：{edition.name}（{edition.notice}）",
        f"# 统计数字是以下 {len(sources)} 个事实文件逐格相加之和（不适用 na 不计入；",
        "# 各文件都为 na 的单元格仍为 na），合计、总计一并写出，gxgen validate 会核对：",
        *(f"#   {file}  {name}" for file, name in sources),
        f"# 叙述部分标有{TO_WRITE}，请汇总各单位情况后撰写。",
        "",
        _line(0, f"edition: {_q(edition.id)}", fields["edition"]["label"]),
        _line(0, f"agency: {_q(agency)}", fields["agency"]["label"]),
        _line(0, f"agency_type: {agency_type}", fields["agency_type"]["label"]),
        _line(0, f"year: {year}", fields["year"]["label"]),
        *([_line(0, f"extensions: [{', '.join(_q(e) for e in extensions)}]",
                 fields["extensions"]["label"])] if extensions else []),
        _line(0, f"# date: {year + 1}-03-20", fields["date"]["description"]),
        _line(0, "# preface: |", fields["preface"]["description"]),
        "",
    ]
    for number, section in edition.numbered():
        out.append(f"# {number}{section.title}")
        if section.narrative and "." not in section.narrative:
            out += _narrative(edition, section.narrative, section.key == "overview")
        for key in section.tables:
            out += _table_lines(edition.tables[key], values)
        if section.record:
            out += _record(edition, section.record, section.narrative, values, records)
        elif section.narrative and "." in section.narrative:
            group, key = section.narrative.split(".", 1)
            out += [_line(0, f"{group}:", edition.field_label(group)),
                    _line(2, f'{key}: ""', edition.field_label(section.narrative) + TO_WRITE)]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _record(edition: Edition, name: str, narrative: str | None, values: dict[str, Value],
            records: set[str]) -> list[str]:
    group = narrative.split(".")[0] if narrative else name
    spec = edition.fields[group]
    out = [_line(0, f"{group}:", spec["label"])]
    cells = {p: c for p, c in edition.record_cells().items() if c.table == name}
    if records & set(cells):
        flow = ", ".join(f"{c.col[-1]}: {_v(values[p])}" for p, c in cells.items())
        labels = "、".join(c.col_label for c in cells.values())
        out.append(_line(2, f"{name}: {{{flow}}}", f"{spec['children'][name]['label']}：{labels}"))
    if narrative:
        out.append(_line(2, f'{narrative.split(".")[-1]}: ""',
                         edition.field_label(narrative) + TO_WRITE))
    return out
