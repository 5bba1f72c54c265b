"""``gxgen init``: a complete facts file to fill in, with the Chinese label beside every key.

Written from the edition data like everything else, so a new edition or table gets its
scaffold for free. The scaffold validates; its only findings are the narrative still to write.
"""

from __future__ import annotations

import json
import unicodedata

from gxgen.editions import Edition, Node, TableSpec

WIDTH = 44
"""Column at which the label comments start, so they line up."""


def _q(text: str) -> str:
    """A YAML-safe scalar for text (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns in an editor."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(indent: int, body: str, comment: str = "") -> str:
    text = " " * indent + body
    if comment:
        text += " " * max(0, WIDTH - _width(text)) + "  # " + "".join(comment.splitlines())
    return text


def scaffold(edition: Edition, agency: str, year: int) -> str:
    fields = edition.fields
    out = [
        f"# {' '.join(agency.splitlines())}{year}年政府信息公开工作年度报告 — 事实文件",
        f"# 格式：{edition.name}（{edition.notice}）",
        "# 填写说明：数字直接填写；不适用的单元格填 na（表中印“/”，仅规章等允许）；",
        "# 合计、总计可不填（自动计算），填了就会被核对。校验：gxgen validate 本文件",
        "",
        _line(0, f"edition: {_q(edition.id)}", fields["edition"]["label"]),
        _line(0, f"agency: {_q(agency)}", fields["agency"]["label"]),
        _line(0, "agency_type: department", _described(fields["agency_type"])),
        _line(0, f"year: {year}", fields["year"]["label"]),
        *([_line(0, f"extensions: [{', '.join(_q(e) for e in edition.extensions)}]",
                 fields["extensions"]["label"])] if edition.extensions else []),
        _line(0, f"# date: {year + 1}-01-20", _described(fields["date"])),
        _line(0, "# title: ", _described(fields["title"])),
        _line(0, "# preface: |", _described(fields["preface"])),
        "",
    ]
    for number, section in edition.numbered():
        out.append(f"# {number}{section.title}")
        if section.narrative and "." not in section.narrative:
            out += _narrative(edition, section.narrative, section.key == "overview")
        for key in section.tables:
            out += _table(edition.tables[key])
        if section.record:
            out += _record(edition, section.record, section.narrative)
        elif section.narrative and "." in section.narrative:
            group, key = section.narrative.split(".", 1)
            out.append(_line(0, f"{group}:", edition.field_label(group)))
            out.append(_line(2, f'{key}: ""', edition.field_label(section.narrative)))
        out.append("")
    out.append(_line(0, "# protected_terms: []", _described(fields["protected_terms"])))
    return "\n".join(out) + "\n"


def _described(spec: dict[str, str]) -> str:
    return f"{spec['label']}：{spec['description']}"


def _narrative(edition: Edition, key: str, topics: bool) -> list[str]:
    label = edition.field_label(key)
    if not topics:
        return [_line(0, f"{key}: |", label), "  "]
    out = [_line(0, f"{key}:", f"{label}：每项一个小标题（不写编号，自动编为（一）（二）…）")]
    for topic in edition.common["content"]["overview_topics"]:
        out += [_line(2, f"- heading: {_q(topic['label'])}", "小标题"),
                _line(4, 'text: ""', f"{topic['label']}方面的情况（空行分段）")]
    return out


def _record(edition: Edition, name: str, narrative: str | None) -> list[str]:
    group = narrative.split(".")[0] if narrative else name
    spec = edition.fields[group]
    out = [_line(0, f"{group}:", spec["label"])]
    sub = spec["children"][name]
    values = ", ".join(f"{f.key}: 0" for f in edition.record_fields(name))
    labels = "、".join(f.label for f in edition.record_fields(name))
    out.append(_line(2, f"{name}: {{{values}}}", f"{sub['label']}：{labels}"))
    if narrative:
        out.append(_line(2, f"{narrative.split('.')[-1]}: \"\"", edition.field_label(narrative)))
    return out


def _table(table: TableSpec) -> list[str]:
    out = [_line(0, f"{table.key}:", table.label)]
    if table.kind == "blocks":
        for block in table.blocks:
            out.append(f"  # {block.caption}")
            for row in block.rows:
                na = "；不适用填 na" if row.na else ""
                if len(block.fields) == 1:
                    out.append(_line(2, f"{row.key}: 0",
                                     f"{row.label} {block.fields[0].label}{na}"))
                else:
                    values = ", ".join(f"{f.key}: 0" for f in block.fields)
                    labels = "、".join(f.label + (f"（{f.unit}）" if f.unit else "")
                                      for f in block.fields)
                    out.append(_line(2, f"{row.key}: {{{values}}}", f"{row.label}：{labels}{na}"))
    elif table.kind == "matrix":
        if table.rows:
            plain = [leaf for n in table.columns for _, leaf in n.leaves() if not leaf.total]
            totals = [leaf for n in table.columns for _, leaf in n.leaves() if leaf.total]
            names = ", ".join(leaf.label for leaf in plain)
            extra = f"（{'、'.join(t.label for t in totals)}可省略，自动计算）" if totals else ""
            out.append(f"  # 每行依次填：{names}{extra}")
            out += _rows(table.rows, len(plain), 2)
        else:
            out += _column_groups(table.columns, 2)
    elif table.kind == "indicators":
        for row in table.indicator_rows:
            label = row.label.strip()
            if row.heading:
                out.append(f"  # {label}")
            else:
                unit = f"（{row.unit}）" if row.unit else ""
                out.append(_line(2, f"{row.key}: 0", f"{label}{unit}"))
    return out


def _rows(nodes: tuple[Node, ...], width: int, indent: int) -> list[str]:
    zeros = "[" + ", ".join(["0"] * width) + "]"
    out: list[str] = []
    for node in nodes:
        if node.children:
            if node.key:
                out.append(_line(indent, f"{node.key}:", node.label))
                out += _rows(node.children, width, indent + 2)
            else:
                out.append(" " * indent + f"# {node.label}")
                out += _rows(node.children, width, indent)
        elif node.total:
            out.append(_line(indent, f"# {node.key}: {zeros}", f"{node.label}：可省略，自动计算"))
        else:
            out.append(_line(indent, f"{node.key}: {zeros}", node.label))
    return out


def _column_groups(nodes: tuple[Node, ...], indent: int) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if node.key and all(not c.children for c in node.children):
            plain = [c for c in node.children if not c.total]
            values = ", ".join(f"{c.key}: 0" for c in plain)
            labels = "、".join(c.label for c in plain)
            out.append(_line(indent, f"{node.key}: {{{values}}}",
                             f"{node.label}：{labels}（总计自动计算）"))
        elif node.children:
            out.append(" " * indent + f"# {node.label}")
            out += _column_groups(node.children, indent)
    return out

