"""The 落款 (GB/T 9704-2012 7.3.5): the agency's name, then the 成文日期 written with Arabic
numerals and no zero padding ("2021年1月8日"), at the very end of the report in every format
and script; the DOCX puts the name 2 characters from the right and the date's first character
2 characters right of the name's first one (7.3.5.2, without seal)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from conftest import dump, facts_2021
from extract import docx_xml
from hypothesis import given, settings
from hypothesis import strategies as st

from gxgen import loader
from gxgen import render as rendering
from gxgen.check import check_file, check_loaded
from gxgen.model import build_document
from gxgen.variants import VARIANTS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS = {
    "dinghai-jxj-2020.yaml": ("舟山市定海区经济和信息化局", "2021年1月8日"),
    "beilun-zwb-2020.yaml": ("宁波市北仑区政务服务办公室", "2021年1月19日"),
}
TRADITIONAL = {
    "舟山市定海区经济和信息化局": "舟山市定海區經濟和信息化局",
    "宁波市北仑区政务服务办公室": "寧波市北侖區政務服務辦公室",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def facts_of(data: dict):
    checked = check_loaded(loader.loads(dump(data), "facts.yaml"))
    assert checked.facts is not None, [f.format() for f in checked.findings]
    return checked.facts


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_date_is_written_without_zero_padding(date: datetime.date) -> None:
    data = facts_2021(year=date.year - 1, date=f"{date.year}-{date.month:02d}-{date.day:02d}")
    doc = build_document(facts_of(data))
    assert doc.signature.date == f"{date.year}年{date.month}月{date.day}日"
    assert not re.search(r"年0|月0", doc.signature.date)


def test_signature_defaults_to_agency_and_may_be_set() -> None:
    doc = build_document(facts_of(facts_2021()))
    assert (doc.signature.agency, doc.signature.date) == ("某区测试局", "2023年1月20日")
    doc = build_document(facts_of(facts_2021(signature="某区测试局（印）")))
    assert doc.signature.agency == "某区测试局（印）"
    doc = build_document(facts_of(facts_2021(date=None, signature="某区测试局")))
    assert (doc.signature.agency, doc.signature.date) == ("某区测试局", None)
    assert build_document(facts_of(facts_2021(date=None))).signature is None


def test_unpadded_date_in_the_facts_is_accepted() -> None:
    doc = build_document(facts_of(facts_2021(date="2023-1-8")))
    assert doc.signature.date == "2023年1月8日"


def test_impossible_date_is_an_error() -> None:
    checked = check_loaded(loader.loads(dump(facts_2021(date="2023-02-30")), "f.yaml"))
    assert [(f.rule, f.code) for f in checked.findings] == [("schema", "bad_date")]


def _docx_paragraphs(data: bytes) -> list[tuple[str, int | None]]:
    """Body paragraphs as (text, right indent in hundredths of a character)."""
    body = docx_xml(data).find(f"{W}body")
    out = []
    for p in body.iter(f"{W}p"):
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        ind = p.find(f"{W}pPr/{W}ind")
        right = ind.get(f"{W}rightChars") if ind is not None else None
        out.append((text, int(right) if right is not None else None))
    return [(t, r) for t, r in out if t.strip()]


def _width(text: str) -> float:
    """Width in characters: CJK full, ASCII digits half."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


@pytest.mark.parametrize("variant", ["simplified", "traditional"])
@pytest.mark.parametrize("example", sorted(SEEDS))
def test_signature_ends_every_format(example: str, variant: str) -> None:
    agency, date = SEEDS[example]
    if variant == "traditional":
        agency = TRADITIONAL[agency]
    checked = check_file(EXAMPLES / example)
    assert checked.ok
    doc = rendering.document(checked.facts, VARIANTS[variant])
    assert (doc.signature.agency, doc.signature.date) == (agency, date)

    paras = _docx_paragraphs(rendering.writer("docx")(doc, rendering.Options()))
    (name, name_right), (when, date_right) = paras[-2:]
    assert (name, when) == (agency, date)
    assert name_right == 200
    name_start = name_right / 100 + _width(agency)
    date_start = date_right / 100 + _width(date)
    assert name_start - date_start == pytest.approx(2.0)

    html = rendering.writer("html")(doc, rendering.Options()).decode("utf-8")
    body = re.sub(r"<[^>]+>", "\n", html[html.index("<body"):])
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    assert lines[-2:] == [agency, date]

    md = rendering.writer("md")(doc, rendering.Options()).decode("utf-8")
    lines = [line.strip() for line in re.sub(r"<[^>]+>", "\n", md).splitlines() if line.strip()]
    assert lines[-2:] == [agency, date]

