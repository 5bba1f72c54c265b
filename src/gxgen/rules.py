"""The rules: statutory identities, cross-year ties and content checks, as findings.

Which identities exist is declared in the edition data (``total:`` nodes, ``balance``,
``checks``, ``carry``, ``stock``); this module only knows how to evaluate each kind. Facts
built from a file with schema errors have unknown figures and fields: a rule that needs one
is skipped, the others run.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from gxgen import editions, figures
from gxgen.editions import CellSpec, Edition, Section, TableSpec
from gxgen.facts import Facts, narrative_items
from gxgen.findings import Finding


def check(facts: Facts, previous: Facts | None = None) -> list[Finding]:
    """All findings for one facts file (and last year's, when known)."""
    out: list[Finding] = []
    edition = facts.edition
    for section in edition.sections:
        for key in section.tables:
            table = edition.tables[key]
            out += totals(facts, table)
            out += balance(facts, table)
            out += extra_checks(facts, table)
    out += content(facts)
    out += figures.check(facts)
    out += dates(facts)
    out += edition_year(facts)
    if previous is not None:
        out += cross_year(facts, previous)
    return out


def _fmt(n: Any) -> str:
    if isinstance(n, Decimal):
        return format(abs(n).normalize() if n.is_zero() else n.normalize(), "f")
    return str(n)


def _at(facts: Facts, path: str, rule: str, severity: str, code: str, **params: Any) -> Finding:
    mark = facts.mark(path)
    return Finding(rule, severity, code, params, facts.file,  # type: ignore[arg-type]
                   mark.line if mark else None, mark.col if mark else None, path)


def _names(cells: list[CellSpec]) -> list[str]:
    """What tells cells apart along a sum: their rows when they share one column (the
    （七）总计 row sums rows), else their columns, less a group they all share
    (``行政复议·结果维持`` → ``结果维持``)."""
    if len({c.col_label for c in cells}) == 1 and len({c.row_label for c in cells}) > 1:
        names = [c.row_label for c in cells]
    else:
        names = [_short(c) for c in cells]
    heads = {n.rpartition("·")[0] for n in names}
    if len(heads) == 1 and heads != {""}:
        names = [n.rpartition("·")[2] for n in names]
    return names


def _parts_label(edition: Edition, paths: tuple[str, ...]) -> str:
    names = _names([edition.cells[p] for p in paths])
    if len(names) <= 6:
        return "、".join(names)
    return f"{names[0]}至{names[-1]}（共{len(names)}项）"


def _short(cell: CellSpec) -> str:
    """The part of a cell's name that varies along a sum: its column, else its row."""
    return cell.col_label or cell.row_label


def totals(facts: Facts, table: TableSpec) -> list[Finding]:
    """T2-SUM, T2-ROWTOT, T3-RV/LD/LR: a typed total must equal the sum of its parts."""
    out = []
    for cell in table.cells:
        if not cell.total or cell.path not in facts.typed:
            continue
        typed = facts.number(cell.path)
        for rule, parts in cell.sums:
            if not facts.known(*parts):
                continue
            total = sum((facts.number(p) for p in parts), 0)
            if typed != total:
                label = _names([*(facts.edition.cells[p] for p in parts), cell])[-1]
                out.append(_at(
                    facts, cell.path, rule, "error", "sum",
                    where=facts.edition.cell_name(cell), total_label=label or "总计",
                    total=_fmt(typed), parts_label=_parts_label(facts.edition, parts),
                    sum=_fmt(total), diff=_fmt(typed - total),
                ))
    return out


def _row_name(table: TableSpec, row_key: str) -> str:
    cell = next(c for c in table.cells if c.row == (row_key,) or c.row[:1] == (row_key,))
    return cell.row_label


def _columns(table: TableSpec) -> list[tuple[tuple[str, ...], str]]:
    """Column keys and names of a matrix, in order."""
    seen: dict[tuple[str, ...], str] = {}
    for cell in table.cells:
        seen.setdefault(cell.col, cell.col_label)
    return list(seen.items())


def balance(facts: Facts, table: TableSpec) -> list[Finding]:
    """T2-BAL: per column, 新收 + 上年结转 = 办理结果总计 + 结转下年度."""
    rule = table.balance
    if rule is None:
        return []
    out = []
    for col, col_name in _columns(table):
        if not facts.known(*(".".join((table.key, r, *col)) for r in (*rule.left,
                                                                         *rule.right))):
            continue

        def side(rows: Iterable[str], col: tuple[str, ...] = col) -> tuple[str, int | Decimal]:
            terms = [(r, facts.number(".".join((table.key, r, *col)))) for r in rows]
            expr = "+".join(f"{_row_name(table, r)}({_fmt(v)})" for r, v in terms)
            return expr, sum((v for _, v in terms), 0)

        left_expr, left = side(rule.left)
        right_expr, right = side(rule.right)
        if left != right:
            first = ".".join((table.key, rule.left[0], *col))
            number, _ = facts.edition.section_of(table.key)
            out.append(_at(
                facts, first, rule.id, "error", "balance",
                where=f"{number}{table.label} {col_name}列", left_expr=left_expr,
                left=_fmt(left), right_expr=right_expr, right=_fmt(right),
                diff=_fmt(abs(left - right)),
            ))
    return out


def extra_checks(facts: Facts, table: TableSpec) -> list[Finding]:
    """Declared identities between single cells (其中 ≤ 总数, 专职+兼职=人数, 2019's
    上一年项目数量 + 本年增/减 ≥ 0), each with the severity its declaration gives."""
    out = []
    for chk in table.checks:
        left_path = f"{table.key}.{chk.left}"
        right_paths = [f"{table.key}.{r}" for r in chk.right]
        if not facts.known(left_path, *right_paths):
            continue
        left = facts.number(left_path)
        right = sum((facts.number(p) for p in right_paths), 0)
        cells = facts.edition.cells
        where = facts.edition.cell_name(cells[left_path])
        left_label = _short(cells[left_path])
        parts = _parts_label(facts.edition, tuple(right_paths))
        severity = chk.severity
        if chk.op == "sum" and left != right:
            out.append(_at(facts, left_path, chk.id, severity, "sum", where=where,
                           total_label=left_label, total=_fmt(left), parts_label=parts,
                           sum=_fmt(right), diff=_fmt(left - right)))
        elif chk.op == "le" and left > right:
            out.append(_at(facts, left_path, chk.id, severity, "not_above", where=where,
                           left_label=left_label, left=_fmt(left), right_label=parts,
                           right=_fmt(right)))
        elif chk.op == "nonneg" and left + right < 0:
            out.append(_at(facts, right_paths[0], chk.id, severity, "negative_sum",
                           where=where.rpartition("·")[0] or where, left_label=left_label,
                           left=_fmt(left), right_label=parts, right=_fmt(right),
                           sum=_fmt(left + right)))
    return out


def _field_finding(facts: Facts, key: str, rule: str, code: str, severity: str = "warning",
                   **params: Any) -> Finding:
    """A warning about a top-level field: at its value when that is one scalar (a date, a
    paragraph), else at its key (a list of sub-headings), else at its group or the top."""
    path = tuple(key.split("."))
    value: Any = facts.data
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    mark = facts.marks.values.get(path) if isinstance(value, (str, int)) else None
    mark = mark or facts.marks.key(path) or facts.marks.key(path[:1])
    return Finding(rule, severity, code, params, facts.file,  # type: ignore[arg-type]
                   mark.line if mark else None, mark.col if mark else None, key)


def content(facts: Facts) -> list[Finding]:
    """The narrative: a required one not written is an error (gxgen never fills it in); just
    "无", silent on fees, topics not covered are warnings."""
    out = []
    edition = facts.edition
    rules = edition.common["content"]
    for number, section in edition.numbered():
        if not section.narrative or not facts.usable(section.narrative):
            continue
        where = number + section.title
        text = facts.text(section.narrative).strip()
        if section.required and not text:
            out.append(_field_finding(facts, section.narrative, "C-EMPTY", "narrative_missing",
                                      "error", where=where))
        elif section.required and _bare(text) in {_bare(t) for t in rules["empty_texts"]}:
            out.append(_field_finding(facts, section.narrative, "C-EMPTY", "narrative_empty",
                                      where=where, text=text))
        elif section.required:
            out += _empty_items(facts, section.narrative, where)
        out += _fees(facts, section, section.narrative, where, text)
        if section.topics and text:
            for topic in rules["overview_topics"]:
                if not any(k in text for k in topic["keywords"]):
                    out.append(_field_finding(facts, section.narrative, "C-TOPIC",
                                              "overview_topic", where=where,
                                              topic=topic["label"]))
    return out


def _fees(facts: Facts, section: Section, key: str, where: str, text: str) -> list[Finding]:
    """C-FEES: 六 says nothing about 信息处理费 — neither its figures (the 2021 format's
    record) nor a word in the text. A report on the 2019 format has no record; from the year
    the 信息处理费 rules took effect its text is checked."""
    spec = facts.edition.common["content"]
    if any(k in text for k in spec["fees_keywords"]):
        return []
    if section.record:
        cells = [p for p, c in facts.edition.record_cells().items() if c.table == section.record]
        if any(p in facts.typed for p in cells) or not facts.known(*cells):
            return []
        return [_field_finding(facts, key, "C-FEES", "fees_silent", where=where)]
    since = spec["fees_text"]
    if key == since["narrative"] and facts.usable("year") and facts.year >= since["from_year"]:
        return [_field_finding(facts, key, "C-FEES", "fees_silent_text",
                               where=where, year=since["from_year"])]
    return []


def _bare(text: str) -> str:
    """``无。`` and ``无`` alike: the words without trailing punctuation and spaces."""
    return text.strip().rstrip("。．.！!；;，, ")


def _empty_items(facts: Facts, key: str, where: str) -> list[Finding]:
    """A sub-heading whose text is still empty (as ``gxgen init`` leaves them)."""
    out: list[Finding] = []
    value = facts.data.get(key)
    if not isinstance(value, list):
        return out
    for i, entry in enumerate(value):
        items = narrative_items([entry])
        if isinstance(entry, dict) and items and items[0].heading and not items[0].paragraphs:
            item = items[0]
            mark = facts.marks.key((key, i, "text")) or facts.marks.value((key, i))
            out.append(Finding("C-EMPTY", "error", "narrative_missing",
                               {"where": f"{where}·{item.heading}"}, facts.file,
                               mark.line if mark else None, mark.col if mark else None,
                               f"{key}.{i}"))
    return out


def dates(facts: Facts) -> list[Finding]:
    """The 成文日期 against 第四十九条's deadline for the kind of agency; none at all means a
    落款 without a date."""
    if not facts.usable("date") or not facts.usable("year"):
        return []
    date = facts.date
    if "date" not in facts.data:
        return [_field_finding(facts, "date", "D-NODATE", "no_date")]
    if date is None:
        return []
    out = []
    if date <= datetime.date(facts.year, 12, 31):
        out.append(_field_finding(facts, "date", "D-DATE", "date_before_year",
                                  date=date.isoformat(), year=facts.year))
    rule = editions.DEADLINES.get(facts.agency_type)
    if rule:
        deadline = datetime.date(facts.year + 1, rule.month, rule.day)
        if date > deadline:
            out.append(_field_finding(facts, "date", "D-LATE", "late", date=date.isoformat(),
                                      deadline=deadline.isoformat(), basis=rule.basis))
    return out


def edition_year(facts: Facts) -> list[Finding]:
    """A report on a format already replaced (2021 or later on the 2019 format: an error, the
    statutory tables differ), or on one not yet in force (a warning)."""
    if not facts.usable("year"):
        return []
    ed, year = facts.edition, facts.year
    other = editions.for_year(year)
    if ed.covers(year) or other is None:
        return []
    severity = "error" if ed.last_year is not None and year > ed.last_year else "warning"
    return [_field_finding(facts, "edition", "E-YEAR", "edition_year", severity, year=year,
                           expected=other.id, notice=other.notice, edition=ed.id)]


def cross_year(facts: Facts, previous: Facts) -> list[Finding]:
    """X-CARRY (error) and X-STOCK (warning) against last year's facts."""
    out = []
    prev_name = previous.file
    for section in facts.edition.sections:
        for key in section.tables:
            table = facts.edition.tables[key]
            if table.carry and key in previous.edition.tables:
                out += _carry(facts, previous, table, prev_name)
            other = previous.edition.tables.get(key)
            if table.stock and other is not None and other.stock == table.stock:
                out += _stock(facts, previous, table, prev_name)
    return out


def _carry(facts: Facts, previous: Facts, table: TableSpec, prev_name: str) -> list[Finding]:
    carry = table.carry
    assert carry is not None
    out = []
    for col, _ in _columns(table):
        if col and col[-1] == editions.TOTAL_KEY:
            continue
        this_path = ".".join((table.key, carry.into, *col))
        last_path = ".".join((table.key, carry.source, *col))
        if last_path not in previous.values or this_path not in facts.values:
            continue
        this, last = facts.number(this_path), previous.number(last_path)
        if this != last:
            out.append(_at(facts, this_path, carry.id, "error", "carry",
                           where=facts.edition.cell_name(facts.edition.cells[this_path]),
                           into_label=_row_name(table, carry.into),
                           from_label=_row_name(table, carry.source),
                           this=_fmt(this), last=_fmt(last), previous_file=prev_name,
                           diff=_fmt(this - last)))
    return out


def _stock(facts: Facts, previous: Facts, table: TableSpec, prev_name: str) -> list[Finding]:
    stock = table.stock
    assert stock is not None
    out = []
    for row in stock.rows:
        paths = {k: f"{table.key}.{row}.{getattr(stock, k)}" for k in ("stock", "added",
                                                                         "removed")}
        if not (facts.known(*paths.values()) and previous.known(paths["stock"])):
            continue
        values = [facts.value(p) for p in paths.values()] + [previous.value(paths["stock"])]
        if editions.NA in values:
            continue
        this, added, removed = (facts.number(paths[k]) for k in ("stock", "added", "removed"))
        last = previous.number(paths["stock"])
        expected = last + added - removed
        if this != expected:
            cells = facts.edition.cells
            label = {k: cells[p].col_label for k, p in paths.items()}
            out.append(_at(facts, paths["stock"], stock.id, "warning", "stock",
                           where=facts.edition.cell_name(cells[paths["stock"]]),
                           stock_label=label["stock"], added_label=label["added"],
                           removed_label=label["removed"], last=_fmt(last),
                           issued=_fmt(added), repealed=_fmt(removed), expected=_fmt(expected),
                           this=_fmt(this), diff=_fmt(this - expected)))
    return out
