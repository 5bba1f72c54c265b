"""Compare rendered tables with the seed reports' tables as published.

A seed fixture (``fixtures/seeds/NNN.json``) holds each published table as rows of the
non-empty cell texts in reading order, plus the ``known_differences`` where the published
copy departs from the statutory labels. ``published`` applies those differences; the
``*_rows`` functions read the same row shape out of our DOCX, HTML and Markdown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from extract import docx_tables, html_tables, texts

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"


def seed(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))


def normaliser(data: dict):
    """The whole-table differences (``table: "*"``): script, punctuation, spacing."""
    steps = [d for d in data["known_differences"] if d.get("table") == "*"]
    t2s = None
    if any(d["kind"] == "script" for d in steps):
        import opencc

        t2s = opencc.OpenCC("t2s")

    def norm(text: str) -> str:
        for d in steps:
            if d["kind"] == "script":
                text = t2s.convert(text)
            elif d["kind"] in ("punctuation", "spacing"):
                text = text.replace(d["published"], d["statutory"])
        return text

    return norm


def published(data: dict, table: str) -> list[list[str]]:
    """The seed's table with its known label and layout differences put right."""
    rows = [list(r) for t in data["tables"] if t["name"] == table for r in t["rows"]]
    for d in data["known_differences"]:
        if d.get("table") != table:
            continue
        if d["kind"] == "layout":
            n = len(d["published_rows"])
            for i in range(len(rows) - n + 1):
                if rows[i:i + n] == d["published_rows"]:
                    rows[i:i + n] = [list(r) for r in d["statutory_rows"]]
                    break
            else:
                raise AssertionError(f"layout difference not found in {table}")
    labels = {d["published"]: d["statutory"] for d in data["known_differences"]
              if d.get("table") == table and d["kind"] == "label"}
    norm = normaliser(data)
    return [[norm(labels.get(c, c)) for c in row] for row in rows]


def docx_rows(data: bytes) -> list[list[list[str]]]:
    return [texts(t) for t in docx_tables(data)]


def html_rows(data: bytes) -> list[list[list[str]]]:
    return [texts(t) for t in html_tables(data)]


def _cells(line: str) -> list[str]:
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]


def _header_rows(header: list[str]) -> list[list[str]]:
    """Undo header flattening: ``a / b / c`` columns back into one row per level, a spanning
    cell appearing once where neighbouring columns share the same path prefix."""
    paths = [h.split(" / ") for h in header]
    depth = max(len(p) for p in paths)
    rows = []
    for level in range(depth):
        row, last = [], None
        for p in paths:
            if len(p) <= level:
                continue
            prefix = tuple(p[:level + 1])
            if prefix != last:
                row.append(p[level])
            last = prefix
        rows.append([c for c in row if c])
    return rows


def _body_rows(body: list[list[str]]) -> list[list[str]]:
    """Undo stub repetition: a stub label repeated from the row above was a row-spanning cell."""
    out, previous = [], []
    for row in body:
        stub = row[0].split(" / ") if row[0] else []
        keep = 0
        while keep < min(len(stub) - 1, len(previous)) and stub[keep] == previous[keep]:
            keep += 1
        out.append([*stub[keep:], *row[1:]])
        previous = stub
    return out


def md_rows(markdown: bytes) -> list[list[list[str]]]:
    """Tables of a pipe-table Markdown rendering, in the published row shape. Consecutive
    captioned pipe tables within one section are one statutory table (the blocks table)."""
    lines = markdown.decode("utf-8").splitlines()
    tables: list[list[list[str]]] = []
    joinable = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            joinable = False
        caption = re.fullmatch(r"\*\*(.+)\*\*", line.strip())
        if caption or line.startswith("|"):
            rows: list[list[str]] = [[caption.group(1)]] if caption else []
            if caption:
                i += 1
                while i < len(lines) and not lines[i].strip():
                    i += 1
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(_cells(lines[i]))
                i += 1
            if not block:
                continue
            header, body = block[0], block[2:]
            stubbed = bool(body) and not re.fullmatch(r"[-\d./]+", body[0][0] or "0")
            if caption:
                rows += [header] + body
            else:
                head = _header_rows(header[1:] if stubbed else header)
                if stubbed and header[0]:
                    head[0].insert(0, header[0])
                rows += head + (_body_rows(body) if stubbed else body)
            if caption and joinable and tables:
                tables[-1] += rows
            else:
                tables.append(rows)
            joinable = bool(caption)
            continue
        if line.strip():
            joinable = joinable and bool(re.fullmatch(r"\*\*(.+)\*\*", line.strip()))
        i += 1
    return [[[c for c in r if c] for r in t if any(r)] for t in tables]
