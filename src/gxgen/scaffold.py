"""Write a facts file from the edition data, with the Chinese label beside every key.

Two users: ``gxgen init`` (every figure 0, totals left to compute, narrative to write) and
``gxgen rollup`` (the summed figures of many agencies, totals written out so ``validate``
checks them). Written from the edition data like everything else, so a new edition or table
gets its scaffold for free. The result validates; its only findings are the narrative still
to write — errors until written, since gxgen never writes a report's text itself — and
in ``init`` the 信息处理费 record, left commented out for the author to state.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from gxgen import editions
from gxgen.editions import Edition, TableSpec
from gxgen.facts import Value

WIDTH = 44
"""Column at which the label comments start, so they line up."""

INIT_HEADER = (
    "# 填写说明：数字直接填写；不适用的单元格填 na（表中印“/”，仅规章等允许）；",
    "# 合计、总计可不填（自动计算），填了就会被核对。校验：gxgen validate 本文件",
)


def _q(text: str) -> str:
    """A YAML-safe scalar for text (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _v(value: Value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns in an editor."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(indent: int, body: str, comment: str = "") -> str:
    text = " " * indent + body
    if comment:
        text += " " * max(0, WIDTH - _width(text)) + "  # " + "".join(comment.splitlines())
    return text


@dataclass(frozen=True)
class _Figures:
    """The figures to write: given ones (roll-up) or zeros with totals left out (init)."""

    values: Mapping[str, Value] | None

    def __call__(self, path: str) -> str:
        return _v(self.values[path]) if self.values is not None else "0"

    @property
    def totals(self) -> bool:
        return self.values is not None


def scaffold(edition: Edition, agency: str, year: int, *,
             values: Mapping[str, Value] | None = None, agency_type: str = "department",
             header: Sequence[str] = INIT_HEADER, note: str = "",
             records: Collection[str] | None = None,
             extensions: Sequence[str] | None = None) -> str:
    """The facts file text. ``values`` fills the figures (all of them, totals included);
    ``note`` is added to the comment of every narrative still to write; ``records`` limits
    the record fields written to those paths (a record nobody stated is left out)."""
    fields = edition.fields
    figures = _Figures(values)
    exts = edition.extensions if extensions is None else tuple(extensions)
    month = editions.DEADLINES.get(agency_type, editions.DEADLINES["department"]).month
    date = edition.phrases["date"].format(year=year + 1, month=month, day=20)
    out = [
        f"# {' '.join(agency.splitlines())}{year}年政府信息公开工作年度报告 — 事实文件",
        f"# 格式：{edition.name}（{edition.notice}）",
        *header,
        "",
        _line(0, f"edition: {_q(edition.id)}", fields["edition"]["label"]),
        _line(0, f"agency: {_q(agency)}", fields["agency"]["label"]),
        _line(0, f"agency_type: {agency_type}", _described(fields["agency_type"])),
        _line(0, f"year: {year}", fields["year"]["label"]),
        *([_line(0, f"extensions: [{', '.join(_q(e) for e in exts)}]",
                 fields["extensions"]["label"])] if exts else []),
        _line(0, f"# date: {year + 1}-{month:02d}-20",
              f"{fields['date']['label']}：写作 YYYY-MM-DD，此例印作“{date}”；不填则落款没有日期"),
        _line(0, "# title: ", _described(fields["title"])),
        _line(0, "# preface: |", _described(fields["preface"])),
        "",
    ]
    for number, section in edition.numbered():
        out.append(f"# {number}{section.title}")
        if section.narrative and "." not in section.narrative:
            out += _narrative(edition, section.narrative, section.topics, note)
        for key in section.tables:
            out += _table(edition.tables[key], figures)
        if section.record:
            out += _record(edition, section.record, section.narrative, figures, records, note)
        elif section.narrative and "." in section.narrative:
            group, key = section.narrative.split(".", 1)
            out.append(_line(0, f"{group}:", edition.field_label(group)))
            out.append(_line(2, f'{key}: ""', edition.field_label(section.narrative) + note))
        out.append("")
    out.append(_line(0, "# protected_terms: []", _described(fields["protected_terms"])))
    return "\n".join(out) + "\n"


def _described(spec: dict[str, str]) -> str:
    return f"{spec['label']}：{spec['description']}"


def _narrative(edition: Edition, key: str, topics: bool, note: str) -> list[str]:
    label = edition.field_label(key) + note
    if not topics:
        return [_line(0, f"{key}: |", label), "  "]
    out = [_line(0, f"{key}:", f"{label}：每项一个小标题（不写编号，自动编为（一）（二）…）")]
    for topic in edition.common["content"]["overview_topics"]:
        out += [_line(2, f"- heading: {_q(topic['label'])}", "小标题"),
                _line(4, 'text: ""', f"{topic['label']}方面的情况（空行分段）{note}")]
    return out


def _record(edition: Edition, name: str, narrative: str | None, figures: _Figures,
            records: Collection[str] | None, note: str) -> list[str]:
    group = narrative.split(".")[0] if narrative else name
    spec = edition.fields[group]
    out = [_line(0, f"{group}:", spec["label"])]
    cells = {p: c for p, c in edition.record_cells().items() if c.table == name}
    if records is None or set(records) & set(cells):
        flow = ", ".join(f"{c.col[-1]}: {figures(p)}" for p, c in cells.items())
        labels = "、".join(c.col_label for c in cells.values())
        hint = "" if figures.totals else "（去掉 # 后按实填写；未收取填 0）"
        out.append(_line(2, f"{'' if figures.totals else '# '}{name}: {{{flow}}}",
                         f"{spec['children'][name]['label']}：{labels}{hint}"))
    if narrative:
        out.append(_line(2, f"{narrative.split('.')[-1]}: \"\"",
                         edition.field_label(narrative) + note))
    return out


def _table(table: TableSpec, figures: _Figures) -> list[str]:
    return [_line(0, f"{table.key}:", table.label), *table.shape.scaffold(table, figures, _line)]
