"""Issue 9, traditional script: four narrative corrections, and labels never converted.

Built-in editions and built-in extensions (Zhejiang) take every label from the reviewed
``traditional.yaml``; rendering and these tests build the converter the same way
(``Converter.for_edition``). A missing built-in label stops rendering with exit 2, never a
silent OpenCC conversion; only a user's own extension definition falls back to OpenCC.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from clirun import gxgen
from conftest import dump, facts_2021, write
from test_edition_2019 import facts_2019
from test_extensions import OWN, own_facts, zhejiang

from gxgen import editions, extensions
from gxgen import render as rendering
from gxgen.check import check_file
from gxgen.variants import VARIANTS, Converter, MissingLabel

TRADITIONAL = [VARIANTS[v] for v in ("traditional", "zh-TW", "zh-HK")]


@pytest.mark.parametrize(("source", "hant", "tw", "hk"), [
    ("利用科技活动周、科普节等活动", "利用科技活動週、科普節等活動", "利用科技活動週、科普節等活動",
     "利用科技活動週、科普節等活動"),
    ("分管领导审签", "分管領導審簽", "分管領導審簽", "分管領導審簽"),
    ("申请人范某申请公开", "申請人范某申請公開", "申請人范某申請公開", "申請人范某申請公開"),
    ("现将工作总结汇报如下", "現將工作總結彙報如下", "現將工作總結彙報如下",
     "現將工作總結匯報如下"),
    ("示范引领，规范某项", "示範引領，規範某項", "示範引領，規範某項", "示範引領，規範某項"),
])
def test_narrative_corrections(source: str, hant: str, tw: str, hk: str) -> None:
    got = [Converter(v).narrative(source) for v in TRADITIONAL]
    assert got == [hant, tw, hk]


def _facts(tmp_path: Path, data: dict) -> object:
    checked = check_file(write(tmp_path / "r.yaml", dump(data)), find_previous=False)
    assert checked.facts is not None, [f.format() for f in checked.findings]
    return checked.facts


@pytest.mark.parametrize("case", ["2021", "2019", "2021+zhejiang", "2019+zhejiang"])
@pytest.mark.parametrize("variant", TRADITIONAL, ids=lambda v: v.name)
def test_builtin_labels_all_reviewed_in_the_product_path(tmp_path: Path, case: str,
                                                          variant) -> None:
    """Every label of a built-in report is found in traditional.yaml by the very converter
    rendering uses (``render.document``): with no labels of the user's own, a label missing
    there would raise ``MissingLabel`` instead of going through OpenCC."""
    base = facts_2019() if case.startswith("2019") else facts_2021()
    facts = _facts(tmp_path, zhejiang(base) if "zhejiang" in case else base)
    assert facts.edition.own_labels == frozenset()
    doc = rendering.document(facts, variant, draft=True)
    reviewed = set(editions.traditional().values())
    headers = [c.text for t in doc.tables() for row in t.rows for c in row if c.is_header]
    assert headers and all(h in reviewed or h == "" for h in headers)
    if "zhejiang" in case:
        assert {"channels", "organization"} <= {t.key for t in doc.tables()}


@pytest.mark.parametrize("label", ["行政处罚", "【未填写】", "一、本年新收政府信息公开申请数量"])
def test_missing_builtin_label_is_an_error_not_a_conversion(tmp_path: Path, monkeypatch,
                                                            label: str) -> None:
    data = facts_2021(problems="")  # draft: 【未填写】 is printed
    path = write(tmp_path / "r.yaml", dump(data))
    table = dict(editions.traditional())
    del table[label]
    monkeypatch.setattr(editions, "traditional", lambda: table)
    checked = check_file(path, find_previous=False)
    with pytest.raises(MissingLabel) as info:
        rendering.document(checked.facts, VARIANTS["traditional"], draft=True)
    assert info.value.label == label
    result = gxgen("render", str(path), "--draft", "--variant", "zh-TW", "--format", "md",
                   "-o", str(tmp_path / "out.md"))
    assert result.exit_code == 2
    assert f"内置标签“{label}”没有校对过的繁体写法" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out.md").exists()
    simplified = gxgen("render", str(path), "--draft", "--format", "md",
                       "-o", str(tmp_path / "s.md"))
    assert simplified.exit_code == 0, "the simplified text needs no traditional label"


def test_only_a_users_own_definition_falls_back_to_opencc(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "ext" / "hotline.yaml", OWN)
    checked = check_file(write(tmp_path / "2020.yaml", dump(own_facts())), find_previous=False)
    facts = checked.facts
    assert facts is not None and "受理来电数" in " ".join(facts.edition.own_labels)
    builtin = extensions.extend(editions.load("2019"),
                                [extensions.Ref("zhejiang", Path("."))])[0]
    assert builtin is not None and builtin.own_labels == frozenset()
    doc = rendering.document(facts, VARIANTS["zh-HK"])
    hotline = next(t for t in doc.tables() if t.key == "hotline")
    assert any("受理來電數" in c.text for row in hotline.rows for c in row)
    table = dict(editions.traditional())
    del table["行政处罚"]
    monkeypatch.setattr(editions, "traditional", lambda: table)
    with pytest.raises(MissingLabel):
        rendering.document(facts, VARIANTS["zh-HK"])  # a built-in label still is not converted
