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

from gxgen.editions import Edition
from gxgen.facts import Facts, Value
from gxgen.findings import Finding, has_errors
from gxgen.messages import render
from gxgen.scaffold import scaffold

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
           lang: str = "zh", globs: Sequence[str] = ()) -> list[Facts]:
    """Load and check every facts file under ``paths``; refuse what cannot be summed."""
    import os

    from gxgen.batch import discover
    from gxgen.check import check_file

    skip = {os.path.abspath(p) for p in exclude}
    sources = [s for s in discover(paths, globs=globs) if os.path.abspath(s.path) not in skip]
    if not sources:
        raise RollupError([render("rollup_no_files", lang, {})], unreadable=True)
    problems: list[Finding] = []
    loaded: list[Facts] = []
    for source in sources:
        if source.special:  # a FIFO or device is refused, never opened
            problems.append(Finding("yaml", "error", "batch_special", {}, str(source.path)))
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
            render("rollup_file_edition", lang, {"file": f.file, "edition": f.edition.id})
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
