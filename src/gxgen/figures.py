"""C-FIGURE: figures stated in the narrative, checked against the report's own tables.

The commonest defect of published reports is prose that contradicts its tables
(予以公开及部分公开258件 over a table of 275). This module reads the narrative clause by
clause, finds the statements of statutory figures the vocabulary in
``editions/figures.yaml`` declares, and compares each with the computed table value.
Reading is deliberately narrow: a figure is compared only when one statement's word ties
it to one set of cells; anything approximate, combined or unclear is left alone.

``find`` works on text alone (and is what the tests exercise phrase by phrase);
``check`` walks a facts file's narrative and turns disagreements into warnings placed at
the figure's own line and column.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml

from gxgen.editions import NA, TOTAL_KEY, Edition
from gxgen.facts import Facts
from gxgen.findings import Finding
from gxgen.numbering import parse as cn_number

RULE = "C-FIGURE"

CN_NUMERAL = "零〇一二两兩三四五六七八九十百千万萬"
SENTENCE_END = "。；;！!？?\n"
CLAUSE_END = SENTENCE_END + "，,：:（）()【】"
CONJUNCTIONS = "和及与、或并以"


@dataclass(frozen=True)
class Vocab:
    """``figures.yaml`` compiled: word alternations longest first, so that
    予以公开及部分公开 is one statement and not 予以公开 followed by 部分公开."""

    data: dict[str, Any]
    words: re.Pattern[str]
    kinds: dict[str, str]
    apps: re.Pattern[str]
    filler: str
    claims: re.Pattern[str]
    claim_kinds: dict[str, str]
    number: re.Pattern[str]
    fold: dict[str, str]

    def stmt(self, kind: str) -> dict[str, Any]:
        return self.data["statements"][kind]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@functools.cache
def vocab() -> Vocab:
    text = resources.files("gxgen.editions").joinpath("figures.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    kinds = {w: k for k, s in data["statements"].items() for w in s["words"]}
    claim_kinds = {w: k for k, c in data["claims"].items() for w in c["words"]}
    return Vocab(
        data=data,
        words=re.compile(_alt(list(kinds))),
        kinds=kinds,
        apps=re.compile(_alt(data["applications"])),
        filler=f"(?:{_alt(data['filler'])})*",
        claims=re.compile(_alt(list(claim_kinds))),
        claim_kinds=claim_kinds,
        number=re.compile(rf"[0-9]+(?:,[0-9]{{3}})*(?:\.[0-9]+)?|[{CN_NUMERAL}]+"),
        fold={**data["traditional"], **data["traditional_phrases"]},
    )


def normalise(text: str) -> str:
    """Traditional script and full-width digits read as simplified ASCII, one character
    for one, so that offsets into the result are offsets into ``text``."""
    v = vocab()
    out = text.translate(str.maketrans("０１２３４５６７８９．％，", "0123456789.%，"))
    for trad, simp in sorted(v.fold.items(), key=lambda kv: -len(kv[0])):
        if len(trad) == len(simp):
            out = out.replace(trad, simp)
    return out


@dataclass(frozen=True)
class Statement:
    """One statement found in a text: a count, a share (percent), a uniform-outcome claim
    or a "none" statement. Offsets index the text given to ``find``."""

    kind: str
    form: str
    """``count``, ``share``, ``claim`` or ``none``."""
    start: int
    end: int
    at: int
    """Where the finding points: the figure, or the claim's first character."""
    value: Decimal = Decimal(0)
    places: int = 0
    """Decimals stated in a share (``33.9%`` → 1)."""
    carry: bool = False
    """The sentence speaks of 结转 (a 收到 figure may then include last year's)."""
    scope: tuple[str, ...] = ()
    """For claims and "none" statements: the 复议/诉讼 words the sentence uses."""


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    unit_end: int
    value: Decimal
    unit: str


def _spans(text: str, ends: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out, start = [], lo
    for i in range(lo, hi):
        if text[i] in ends:
            out.append((start, i))
            start = i + 1
    out.append((start, hi))
    return [(a, b) for a, b in out if b > a]


def _tokens(text: str, lo: int, hi: int) -> list[_Token]:
    """Numbers followed by a unit (件, 万元, %); approximate ones (180余条) left out."""
    v = vocab()
    data = v.data
    units = sorted([*data["units"], *data["money_units"], *data["percent_signs"]],
                   key=len, reverse=True)
    out = []
    for m in v.number.finditer(text, lo, hi):
        raw = m.group()
        if raw[0].isdigit():
            if text[m.start() - 1:m.start()].isalnum() and m.start() > 0 \
                    and text[m.start() - 1].isascii():
                continue
            value = Decimal(raw.replace(",", ""))
        else:
            number = cn_number(raw)
            if number is None or text[m.start() - 1:m.start()] in ("数", "几", "第"):
                continue
            value = Decimal(number)
        after = text[m.end():hi]
        unit = next((u for u in units if after.startswith(u)), None)
        if unit is None:
            continue
        before = text[lo:m.start()]
        rest = after[len(unit):]
        if any(before.endswith(w) for w in data["approximate_before"]) or any(
                rest.startswith(w) for w in data["approximate_after"]):
            continue
        out.append(_Token(m.start(), m.end(), m.end() + len(unit), value, unit))
    return out


def find(text: str) -> list[Statement]:
    """Every statement of a statutory figure in ``text`` (already ``normalise``d)."""
    out: list[Statement] = []
    for s0, s1 in _spans(text, SENTENCE_END, 0, len(text)):
        out += _sentence(text, s0, s1)
    return out


def _sentence(text: str, s0: int, s1: int) -> list[Statement]:
    v = vocab()
    sentence = text[s0:s1]
    hedged = any(w in sentence for w in v.data["hedges"])
    carry = "结转" in sentence
    clauses = _spans(text, CLAUSE_END, s0, s1)
    out: list[Statement] = []
    last: Statement | None = None
    prev = s0
    for tok in _tokens(text, s0, s1):
        clause = next((c for c in clauses if c[0] <= tok.start < c[1]), (s0, s1))
        found = _count(text, tok, clause, prev, s0, carry)
        if found is None and tok.unit in v.data["percent_signs"] and last is not None:
            found = _share_after(text, tok, last, prev)
        if found is not None:
            out.append(found)
        last = found if found is not None and found.form == "count" else None
        prev = tok.unit_end
    if not hedged:
        out += _claims(text, s0, s1)
        for c0, c1 in clauses:
            out += _nones(text, c0, c1)
    return out


def _eligible(text: str, kind: str, at: int, clause: tuple[int, int], lead: str,
              app_before: bool) -> bool:
    v = vocab()
    spec = v.stmt(kind)
    body = text[clause[0]:clause[1]]
    if any(w in body for w in spec.get("not_with", ())):
        return False
    if "context" in spec and not any(w in text[clause[0]:at] for w in spec["context"]):
        return False
    if spec.get("applications") and not v.apps.search(body):
        return app_before and re.fullmatch(
            r"(其中|已经|已|均|共|全部|依法|按时|另有|另|目前)*", lead) is not None
    return True


def _count(text: str, tok: _Token, clause: tuple[int, int], prev: int, s0: int,
           carry: bool) -> Statement | None:
    """The statement a figure completes, if exactly one statement's word ties it."""
    v = vocab()
    lead_start = max(clause[0], prev)
    lead = text[lead_start:tok.start]
    if any(w in lead for w in v.data["not_counts"]):
        return None
    paragraph = text.rfind("\n", 0, s0) + 1
    app_before = v.apps.search(text, paragraph, clause[0]) is not None
    matches = list(v.words.finditer(text, lead_start, tok.start))
    for m in reversed(matches):
        kind = v.kinds[m.group()]
        if not _eligible(text, kind, m.start(), clause, text[lead_start:m.start()], app_before):
            continue
        earlier = [x for x in matches if x.end() <= m.start()]
        if earlier and text[earlier[-1].end():m.start()].strip(CONJUNCTIONS) == "":
            return None  # 收到并办结…, 行政复议和行政诉讼共3件: a combined figure
        return _tie(text, kind, m.start(), m.end(), tok, clause, carry)
    return _noun_after(text, tok, clause, carry)


def _tie(text: str, kind: str, start: int, end: int, tok: _Token, clause: tuple[int, int],
         carry: bool) -> Statement | None:
    v = vocab()
    spec = v.stmt(kind)
    gap = text[end:tok.start]
    percent = tok.unit in v.data["percent_signs"]
    money = tok.unit in v.data["money_units"]
    if percent:
        if not spec.get("shares") or not re.fullmatch(
                rf"{v.filler}(?:{_alt(v.data['share_words'])}){v.filler}", gap):
            return None
        return _share(kind, start, tok)
    if money != bool(spec.get("money")):
        return None
    if "context" in spec and re.match(r"[（(]?(含|其中)", text[tok.unit_end:]):
        return None  # 规章13件（含新制定5件，修改4件…）: a composite figure
    pattern = v.filler
    if spec.get("applications"):
        pattern = (rf"{v.filler}(?:[^0-9]{{0,25}}?(?:{v.apps.pattern})"
                   rf"(?:公开)?(?:政府信息|信息)?(?:事项|案件)?)?{v.filler}")
    if not re.fullmatch(pattern, gap):
        return None
    end_at = tok.unit_end
    tail = re.match(rf"(?:的)?(?:政府)?(?:{v.apps.pattern})(?:公开申请|公开事项)?",
                    text[end_at:clause[1]])
    if tail and spec.get("applications"):
        end_at += tail.end()
    return Statement(kind, "count", start, end_at, tok.start, tok.value,
                     carry=carry and bool(spec.get("with_carry")))


def _noun_after(text: str, tok: _Token, clause: tuple[int, int],
                carry: bool) -> Statement | None:
    """``3件行政复议案件``: the statement's word right after the unit."""
    v = vocab()
    m = re.compile(rf"(?:的)?({v.words.pattern})").match(text, tok.unit_end, clause[1])
    if m is None:
        return None
    kind = v.kinds[m.group(1)]
    spec = v.stmt(kind)
    if spec.get("applications") or "context" in spec or spec.get("money"):
        return None
    if tok.unit in v.data["percent_signs"]:
        return None
    return Statement(kind, "count", tok.start, m.end(), tok.start, tok.value)


def _share(kind: str, start: int, tok: _Token) -> Statement:
    digits = str(tok.value)
    places = len(digits.partition(".")[2])
    return Statement(kind, "share", start, tok.unit_end, tok.start, tok.value, places=places)


def _share_after(text: str, tok: _Token, last: Statement, prev: int) -> Statement | None:
    """``予以公开966件，占66.48%``: a share right after a group's count."""
    v = vocab()
    if not v.stmt(last.kind).get("shares"):
        return None
    between = text[prev:tok.start].strip("，,（( ")
    if between not in v.data["share_words"]:
        return None
    return _share(last.kind, last.start, tok)


def _claims(text: str, s0: int, s1: int) -> list[Statement]:
    v = vocab()
    sentence = text[s0:s1]
    scope = tuple(k for k in v.data["scopes"] if k in sentence)
    if not scope:
        return []
    out = []
    for m in v.claims.finditer(text, s0, s1):
        before = text[max(s0, m.start() - 2):m.start()]
        if any(before.endswith(n) for n in v.data["claim_negations"]):
            continue
        out.append(Statement(v.claim_kinds[m.group()], "claim", m.start(), m.end(), m.start(),
                             scope=scope))
    return out


def _nones(text: str, c0: int, c1: int) -> Iterator[Statement]:
    v = vocab()
    body = text[c0:c1]
    if re.search(r"[0-9]", body) or _tokens(text, c0, c1):
        return
    for kind, spec in v.data["nones"].items():
        if any(w in body for w in spec.get("guard", ())):
            continue
        m = re.search(rf"({_alt(spec['negations'])})[^0-9]{{0,25}}({_alt(spec['words'])})",
                      body)
        if m is None:
            continue
        rest = body[m.end():]
        if spec.get("ends") and rest not in ("", "事项", "情况", "的情况", "记录", "案件"):
            continue
        scope = tuple(k for k in v.data["scopes"] if k in body[m.start():])
        yield Statement(kind, "none", c0 + m.start(), c1 if spec.get("ends") else c0 + m.end(),
                        c0 + m.start(), scope=scope)


# --------------------------------------------------------------------------- the tables


def cells(edition: Edition, pattern: str) -> tuple[str, ...]:
    """The edition's cells a reading names: a facts path, or a glob over the paths."""
    if pattern in edition.cells:
        return (pattern,)
    if not any(c in pattern for c in "*?["):
        return ()
    return tuple(p for p in edition.cells if fnmatch.fnmatchcase(p, pattern))


@dataclass(frozen=True)
class Reading:
    """One way of reading a statement: cells (named by their patterns) and their sum."""

    patterns: tuple[str, ...]
    paths: tuple[str, ...]
    value: Decimal


def readings(facts: Facts, kind: str, carry: bool = False) -> list[Reading]:
    spec = vocab().stmt(kind)
    declared = spec.get("editions", {}).get(facts.edition.id, spec["readings"])
    if carry:
        declared = [*declared, *spec.get("with_carry", ())]
    out = []
    for reading in declared:
        found = [cells(facts.edition, p) for p in reading]
        if not all(found):
            continue
        value = _sum(facts, [p for group in found for p in group])
        if value is not None:
            out.append(Reading(tuple(reading), tuple(p for g in found for p in g), value))
    return out


def _sum(facts: Facts, paths: list[str]) -> Decimal | None:
    """The cells' sum; ``None`` when one is 不适用 (a figure stated for it is not compared) or
    unknown (a schema error there)."""
    if not facts.known(*paths) or any(facts.value(p) == NA for p in paths):
        return None
    return sum((Decimal(facts.number(p)) for p in paths), Decimal(0))


def _fmt(n: Decimal) -> str:
    return format(n.normalize(), "f")


# --------------------------------------------------------------------------- the facts


def narratives(facts: Facts) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every narrative text of a facts file with its YAML path: 前言, each section's
    narrative (每个小标题的正文) and the text before each table."""
    keys = ["preface", *(s.narrative for s in facts.edition.sections if s.narrative),
            *(f"{t}.text" for t in facts.edition.tables)]
    for key in keys:
        if not facts.usable(key):
            continue
        path: tuple[Any, ...] = tuple(key.split("."))
        value: Any = facts.data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        yield from _texts(path, value)


def _texts(path: tuple[Any, ...], value: Any) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, entry in enumerate(value):
            yield from _texts((*path, i), entry)
    elif isinstance(value, dict) and "text" in value:
        yield from _texts((*path, "text"), value["text"])


def clean(raw: str) -> tuple[str, list[int]]:
    """The text as read (lines of a paragraph joined, blank lines as breaks, spaces between
    Chinese characters dropped) and, for each of its characters, its offset in ``raw``."""
    chars: list[str] = []
    index: list[int] = []
    pos = 0
    for line in raw.split("\n"):
        if not line.strip():
            if chars and chars[-1] != "\n":
                chars.append("\n")
                index.append(pos)
        for i, ch in enumerate(line):
            if ch.isspace():
                left = chars[-1] if chars else ""
                right = line[i + 1:i + 2]
                if not (left.isascii() and left.isalnum() and right.isascii()
                        and right.isalnum()):
                    continue
            chars.append(ch)
            index.append(pos + i)
        pos += len(line) + 1
    return "".join(chars), index


def check(facts: Facts) -> list[Finding]:
    """C-FIGURE warnings for every narrative statement that no table reading supports."""
    out = []
    for path, raw in narratives(facts):
        shown, index = clean(raw)
        for st in find(normalise(shown)):
            problem = evaluate(facts, st)
            if problem is None:
                continue
            code, params, detail = problem
            params["text"] = shown[st.start:st.end]
            mark = facts.marks.locate(path, raw, index[st.at]) if index else None
            out.append(Finding(RULE, "warning", code, params, facts.file,
                               mark.line if mark else None, mark.col if mark else None,
                               ".".join(str(p) for p in path), detail=detail))
    return out


Problem = tuple[str, dict[str, Any], dict[str, Any]]


def evaluate(facts: Facts, st: Statement) -> Problem | None:
    """Why a statement disagrees with the tables (message code, parameters, JSON detail),
    or ``None`` when it agrees or cannot be tied to the tables."""
    if st.form == "count":
        return _check_count(facts, st)
    if st.form == "share":
        return _check_share(facts, st)
    return _check_zero(facts, st)


def _check_count(facts: Facts, st: Statement) -> Problem | None:
    found = readings(facts, st.kind, st.carry)
    if not found or any(r.value == st.value for r in found):
        return None
    best = min(found, key=lambda r: abs(r.value - st.value))
    return ("figure_count",
            {"where": where(facts.edition, best.patterns), "table": _fmt(best.value),
             "diff": _fmt(abs(best.value - st.value))},
            {"cells": list(best.paths), "stated": _json(st.value), "table": _json(best.value)})


def _check_share(facts: Facts, st: Statement) -> Problem | None:
    found = readings(facts, st.kind)
    if not found:
        return None
    part = found[0]
    tolerance = max(Decimal("0.1"), Decimal(5).scaleb(-st.places - 1)) + Decimal("0.0001")
    shares = []
    for base in vocab().data["share_bases"]:
        paths = [p for pattern in base for p in cells(facts.edition, pattern)]
        total = _sum(facts, paths)
        if total:
            shares.append((part.value * 100 / total, base, total))
    if not shares or any(abs(pct - st.value) <= tolerance for pct, _, _ in shares):
        return None
    pct, base, total = min(shares, key=lambda s: abs(s[0] - st.value))
    actual = pct.quantize(Decimal("0.01"))
    return ("figure_share",
            {"where": where(facts.edition, part.patterns), "part": _fmt(part.value),
             "base_label": "+".join(_name(facts.edition, p) for p in base), "base": _fmt(total),
             "actual": _fmt(actual)},
            {"cells": list(part.paths), "stated": _json(st.value), "table": _json(actual)})


def _check_zero(facts: Facts, st: Statement) -> Problem | None:
    """A claim (均获维持) or a "none" statement: the cells it rules out must be 0."""
    data = vocab().data
    groups = [g for s in st.scope for g in data["scopes"][s]]
    if st.form == "claim":
        zero = [f"{g}.{c}" for g in groups for c in data["claims"][st.kind]["zero"]]
        if not any(facts.number(f"{g}.total") for g in groups if f"{g}.total" in facts.values):
            return None
    else:
        spec = data["nones"][st.kind]
        zero = [f"{g}.total" for g in groups] if spec.get("scoped") else \
            [p for reading in spec["zero"] for p in reading]
    paths = [p for pattern in zero for p in cells(facts.edition, pattern)]
    bad = [p for p in paths if facts.known(p) and facts.value(p) != NA and facts.number(p)]
    if not bad:
        return None
    shown = "、".join(f"{_name(facts.edition, p)}={_fmt(Decimal(facts.number(p)))}"
                     for p in bad)
    total = sum((Decimal(facts.number(p)) for p in bad), Decimal(0))
    return ("figure_claim" if st.form == "claim" else "figure_none",
            {"where": _prefix(facts.edition, bad[0]), "cells": shown},
            {"cells": bad, "stated": 0, "table": _json(total)})


def where(edition: Edition, patterns: tuple[str, ...]) -> str:
    """How a message names a reading: ``表三（一）予以公开+（二）部分公开``."""
    return _prefix(edition, patterns[0]) + "+".join(_name(edition, p) for p in patterns)


def _prefix(edition: Edition, pattern: str) -> str:
    table = pattern.split(".")[0]
    if table in edition.tables:
        return "表" + edition.section_of(table)[0].rstrip("、")
    return ""


def _name(edition: Edition, pattern: str) -> str:
    if pattern in edition.cells:
        cell = edition.cells[pattern]
        if cell.table not in edition.tables:
            return edition.cell_name(cell)
        if cell.col == (TOTAL_KEY,) and cell.row_label:
            return cell.row_label
        return "·".join(x for x in (cell.row_label, cell.col_label) if x)
    table, key = pattern.split(".")[:2]
    return edition.tables[table].shape.row_name(key.strip("*?[]")) or pattern


def _json(n: Decimal) -> int | float:
    return int(n) if n == n.to_integral_value() else float(n)
