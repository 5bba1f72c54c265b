"""Read the tables back out of rendered DOCX, HTML and Markdown, for tests.

DOCX and HTML tables come back in the model's own shape — rows of ``(text, rowspan,
colspan)`` for the cells that start in each row — so a test can compare a rendered table
with ``gxgen.document.Table`` directly, merges included. Written independently of the
writers: it reads the files the way a reader program would.
"""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from lxml import etree

from gxgen.document import Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Spans = list[list[tuple[str, int, int]]]


def model_rows(table: Table) -> Spans:
    return [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.rows]


def docx_xml(data: bytes, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(part))


def para_text(p: etree._Element) -> str:
    out = []
    for node in p.iter(f"{W}t", f"{W}br", f"{W}tab"):
        out.append(node.text or "" if node.tag == f"{W}t" else "\n" if node.tag == f"{W}br"
                   else "\t")
    return "".join(out)


def _text(el: etree._Element) -> str:
    return "\n".join(para_text(p) for p in el.findall(f".//{W}p")).strip()


def docx_tables(data: bytes) -> list[Spans]:
    """Every top-level table of the body as origin cells with their spans."""
    body = docx_xml(data).find(f"{W}body")
    out = []
    for tbl in body.iter(f"{W}tbl"):
        grid: list[list[dict | None]] = []
        for tr in tbl.findall(f"{W}tr"):
            line: list[dict | None] = []
            for tc in tr.findall(f"{W}tc"):
                pr = tc.find(f"{W}tcPr")
                span = 1
                merge = None
                if pr is not None:
                    gs = pr.find(f"{W}gridSpan")
                    if gs is not None:
                        span = int(gs.get(f"{W}val"))
                    vm = pr.find(f"{W}vMerge")
                    if vm is not None:
                        merge = vm.get(f"{W}val") or "continue"
                cell = {"text": _text(tc), "colspan": span, "rowspan": 1, "merge": merge}
                line.append(cell)
                line.extend([None] * (span - 1))
            grid.append(line)
        for r, line in enumerate(grid):
            for c, cell in enumerate(line):
                if cell and cell["merge"] == "continue":
                    up = r - 1
                    while grid[up][c] is None or grid[up][c]["merge"] == "continue":
                        up -= 1
                    grid[up][c]["rowspan"] += 1
        out.append([
            [(cell["text"], cell["rowspan"], cell["colspan"]) for cell in line
             if cell and cell["merge"] != "continue"]
            for line in grid
        ])
    return out


class _HTMLTables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Spans] = []
        self.depth = 0
        self.cell: list | None = None
        self.after_br = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = ["", int(a.get("rowspan") or 1), int(a.get("colspan") or 1)]
        elif tag == "br" and self.cell is not None:
            self.cell[0] += "\n"
            self.after_br = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append((self.cell[0].strip(), self.cell[1], self.cell[2]))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            if self.after_br:
                data = data.lstrip()
            self.after_br = False
            self.cell[0] += data


def html_tables(data: bytes | str) -> list[Spans]:
    parser = _HTMLTables()
    parser.feed(data.decode("utf-8") if isinstance(data, bytes) else data)
    return parser.tables


def _split_pipe(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    cells = re.split(r"(?<!\\)\|", inner)
    return [c.strip().replace("\\|", "|") for c in cells]


def md_pipe_tables(data: bytes | str) -> list[list[list[str]]]:
    """Every pipe table in a Markdown text: header row then body rows (separator dropped)."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|") and line.rstrip().endswith("|"):
            cells = _split_pipe(line)
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue
            if current is None:
                current = []
                tables.append(current)
            current.append(cells)
        else:
            current = None
    return tables


def texts(rows: Spans) -> list[list[str]]:
    """Rows as the non-empty texts of their origin cells: how a published table reads."""
    return [[t for t, _, _ in row if t] for row in rows if any(t for t, _, _ in row)]
