"""C-FIGURE as a property: a sentence written from the table's own figures never gives a
finding, and changing one of its figures to a value no reading accepts always gives
exactly one, at that figure (issue 9, item 4)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gxgen import figures, loader
from gxgen.check import check_loaded

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
CN_DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """An integer below 10 000 as reports write it: 十二, 一百零五, 两千三百."""
    if n == 0:
        return "零"
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        word = "两" if digit == 2 and unit in ("千", "百") else CN_DIGITS[digit]
        out += ("" if digit == 1 and unit == "十" and not out else word) + unit
    return out


def written(n: int, form: str) -> str:
    if form == "full":
        return str(n).translate(FULL_WIDTH)
    if form == "chinese" and n < 10000:
        return chinese(n)
    return str(n)


# (statement kind, phrase before the figure, table figure it states)
PHRASES = [
    ("new", "共收到政府信息公开申请", "new"),
    ("carried_in", "上年结转", "carried_in"),
    ("handled", "办结", "total"),
    ("granted", "其中予以公开", "granted"),
    ("partial", "部分公开", "partial"),
    ("withheld", "不予公开", "withheld"),
    ("unavailable", "无法提供", "unavailable"),
    ("not_processed", "不予处理", "not_processed"),
    ("other", "其他处理", "other"),
    ("carried_out", "结转下年度继续办理", "carried_out"),
]

counts = st.integers(min_value=0, max_value=300)


@st.composite
def reports(draw: st.DrawFn) -> tuple[str, list[tuple[str, int]]]:
    groups = {k: draw(counts) for k in ("granted", "partial", "withheld", "unavailable",
                                        "not_processed", "other")}
    total = sum(groups.values())
    carried_out = draw(counts)
    carried_in = draw(st.integers(min_value=0, max_value=total + carried_out))
    table = {**groups, "total": total, "carried_out": carried_out, "carried_in": carried_in,
             "new": total + carried_out - carried_in}
    # the sentence opens on the applications, as reports do: a bare "上年结转3件" is read
    # only in a paragraph about 政府信息公开申请
    chosen = [PHRASES[0], *draw(st.lists(st.sampled_from(PHRASES[1:]), max_size=len(PHRASES),
                                         unique=True))]
    chosen.sort(key=PHRASES.index)
    forms = draw(st.lists(st.sampled_from(["arabic", "full", "chinese"]), min_size=len(chosen),
                          max_size=len(chosen)))
    parts = [(phrase, table[cell], form) for (_, phrase, cell), form in zip(chosen, forms,
                                                                           strict=True)]
    review = (draw(counts), draw(counts))
    lines = [
        'edition: "2021"', "agency: 某局", "year: 2022", "overview:",
        "  - " + "，".join(f"{p}{written(v, f)}件" for p, v, f in parts) + "。",
        f"  - 被申请行政复议{review[0]}件，提起行政诉讼{review[1]}件。",
        "proactive: {}", "applications:",
        *(f"  {key}: {{natural: {table[key]}}}" for key in ("new", "carried_in", "carried_out")),
        f"  granted: {{natural: {groups['granted']}}}",
        f"  partial: {{natural: {groups['partial']}}}",
        f"  withheld: {{state_secret: {{natural: {groups['withheld']}}}}}",
        f"  unavailable: {{not_held: {{natural: {groups['unavailable']}}}}}",
        f"  not_processed: {{repeated: {{natural: {groups['not_processed']}}}}}",
        f"  other: {{other: {{natural: {groups['other']}}}}}",
        "reviews:", f"  review: {{upheld: {review[0]}}}", f"  litigation: {{pending: {review[1]}}}",
        "problems: 无问题需要说明。",
    ]
    return "\n".join(lines) + "\n", [(k, v) for (k, _, _), (_, v, _) in zip(chosen, parts,
                                                                           strict=True)]


def c_figure(text: str) -> list:
    checked = check_loaded(loader.loads(text, "p.yaml"))
    assert checked.facts is not None, [f.format() for f in checked.findings]
    return figures.check(checked.facts)


@settings(max_examples=80, deadline=None)
@given(reports())
def test_sentence_from_the_table_agrees(report: tuple[str, list]) -> None:
    text, _ = report
    assert c_figure(text) == []


@settings(max_examples=80, deadline=None)
@given(reports(), st.data())
def test_changed_figure_is_found(report: tuple[str, list], data: st.DataObject) -> None:
    text, stated = report
    checked = check_loaded(loader.loads(text, "p.yaml"))
    which = data.draw(st.integers(min_value=0, max_value=len(stated) - 1))
    kind, value = stated[which]
    accepted = {int(r.value) for r in figures.readings(checked.facts, kind, carry=True)}
    new = max(accepted | {value}) + data.draw(st.integers(min_value=1, max_value=50))
    line = text.split("\n")[4]
    pieces = line[4:].split("，")
    phrase = next(p for p in PHRASES if p[0] == kind)[1]
    i = next(i for i, piece in enumerate(pieces) if piece.startswith(phrase)
             and not any(piece.startswith(q[1]) and len(q[1]) > len(phrase) for q in PHRASES))
    pieces[i] = f"{phrase}{new}件" + ("。" if pieces[i].endswith("。") else "")
    changed_line = "  - " + "，".join(pieces)
    changed = text.replace(line, changed_line)
    found = c_figure(changed)
    col = changed_line.index(f"{phrase}{new}件") + len(phrase) + 1
    assert [(f.line, f.col, f.detail["stated"]) for f in found] == [(5, col, new)]
    assert Decimal(found[0].detail["table"]) in {Decimal(a) for a in accepted}
