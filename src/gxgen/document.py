"""The document model: the one tree every writer lays out.

Like pandoc's AST, it is built once (``gxgen.model.build_document``) from the facts and the
edition data, already in the target script, and the writers (DOCX, HTML, Markdown, pandoc
formats) only lay it out. No writer knows a statutory label: every label is in a ``Cell``
or a ``Heading`` here.

Tables are grids in the HTML sense: each row lists only the cells that *start* in it; a cell
with ``rowspan``/``colspan`` covers the slots to its right and below. ``Table.grid()`` gives
the expanded rectangle for writers (Markdown, DOCX) that need every slot.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

CellRole = Literal["caption", "corner", "header", "stub", "value", "unit"]
"""What a cell is, which decides its markup and its look:

- ``caption``: a block caption spanning the table (``第二十条第（一）项``) —
  ``<th scope=colgroup>``;
- ``corner``: the top-left header cell of a matrix (the 勾稽关系 note) — ``<th>`` (no scope);
- ``header``: a column header — ``<th scope=col>`` (``scope=colgroup`` when colspan > 1);
- ``stub``: a row label — ``<th scope=row>`` (``scope=rowgroup`` when rowspan > 1);
- ``unit``: a fixed unit cell in an indicator table (``条``, ``——``) — ``<td>``;
- ``value``: a figure from the facts — ``<td>``, centred.
"""


@dataclass(frozen=True)
class Cell:
    text: str
    role: CellRole = "value"
    rowspan: int = 1
    colspan: int = 1
    path: str | None = None
    """For ``value`` cells: the facts path of the figure (``applications.new.natural``)."""
    indent: int = 0
    """Indent level of a stub label in indicator tables (0 = flush)."""

    @property
    def is_header(self) -> bool:
        return self.role in ("caption", "corner", "header", "stub")


@dataclass(frozen=True)
class Table:
    key: str
    """The edition's table key (``proactive``, ``applications``, ``reviews``, …)."""
    columns: int
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0
    """Leading rows that form the column header (repeated on every page in DOCX)."""
    widths: tuple[float, ...] = ()
    """Relative column widths (one per grid column); empty means equal widths."""
    title: str | None = None
    """An optional line printed above the table (``1.不同渠道方式主动公开及回应解读总体情况``)."""

    def grid(self) -> list[list[tuple[Cell, bool]]]:
        """The table as a full rectangle: each slot holds ``(cell, is_origin)``.

        Raises ``ValueError`` when the spans do not tile the rectangle exactly, so a
        malformed table fails in the model, never half-way through a writer.
        """
        return self._tiling[0]

    def origins(self) -> list[list[tuple[int, int]]]:
        """For every slot, the (row, column) where its cell starts — by position, never by
        identity: a model may reuse one ``Cell("0")`` object in many slots."""
        return self._tiling[1]

    @functools.cached_property
    def _tiling(self) -> tuple[list[list[tuple[Cell, bool]]], list[list[tuple[int, int]]]]:
        """Computed once per table (writers ask for it many times); read-only by convention."""
        height = len(self.rows)
        slots: list[list[tuple[Cell, bool] | None]] = [[None] * self.columns for _ in range(height)]
        owner: list[list[tuple[int, int]]] = [[(-1, -1)] * self.columns for _ in range(height)]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while c < self.columns and slots[r][c] is not None:
                    c += 1
                if c + cell.colspan > self.columns or r + cell.rowspan > height:
                    raise ValueError(f"table {self.key}: cell {cell.text!r} overflows at row {r}")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if slots[r + dr][c + dc] is not None:
                            raise ValueError(f"table {self.key}: overlapping cells at row {r}")
                        slots[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
                        owner[r + dr][c + dc] = (r, c)
                c += cell.colspan
        for r, line in enumerate(slots):
            if any(slot is None for slot in line):
                raise ValueError(f"table {self.key}: row {r} is not filled")
        return slots, owner  # type: ignore[return-value]

    def values(self) -> Iterator[Cell]:
        for row in self.rows:
            for cell in row:
                if cell.role == "value":
                    yield cell


@dataclass(frozen=True)
class Heading:
    level: int
    """1 for a section (``一、总体情况``), 2 for a sub-heading (``（一）主动公开``)."""
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["body", "lead"] = "body"
    """``lead`` is a sub-heading run into its paragraph (``（一）主动公开。正文…``) — unused
    by the builder today but kept so templates can style it."""


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Signature:
    """The 落款: 发文机关署名 and 成文日期 (GB/T 9704 7.3.5.2, without seal)."""

    agency: str
    date: str | None = None
    """Already formatted, e.g. ``2023年1月18日``."""

    def indents(self) -> tuple[float, float | None]:
        """Right indents, in characters, of the name and the date (GB/T 9704 7.3.5.2).

        The name is set 2 characters from the right; the date's first character sits 2
        characters right of the name's first one. When that would bring the date closer than
        2 characters to the margin (a long date), the date keeps 2 and the name moves left.
        """
        if self.date is None:
            return 2.0, None
        name_w, date_w = text_width(self.agency), text_width(self.date)
        date_right = max(2.0, name_w - date_w)
        return date_right + date_w + 2.0 - name_w, date_right


def text_width(text: str) -> float:
    """Width in ideographs as the body type sets it: ASCII (Times New Roman digits and
    letters) half a character, anything else one; a text on several lines is as wide as its
    widest line."""
    return max((sum(0.5 if ch.isascii() else 1.0 for ch in line) for line in text.split("\n")),
               default=0.0)


@dataclass(frozen=True)
class Document:
    title: tuple[str, ...]
    """Title lines (a long title may be set on two lines, as many agencies do)."""
    lang: str
    """BCP 47 tag of the script: ``zh-Hans``, ``zh-Hant``, ``zh-TW`` or ``zh-HK``."""
    blocks: tuple[Block, ...]
    signature: Signature | None = None
    draft_mark: str | None = None
    """Text of the draft mark (``草稿（校验未通过）``) when rendering a file with errors."""
    meta: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    """Document properties for writers that carry them: ``agency``, ``year``, ``edition``."""

    @property
    def title_text(self) -> str:
        return "".join(self.title)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
