"""C-FIGURE: figures stated in the narrative against the report's own tables (issue 9).

Three layers: the phrases read and left alone (``find`` on text), the real-prose corpus
under ``fixtures/prose`` (agreeing facts give no finding; each figure changed in the source
gives exactly one, at its own line and column; the contradictions of published reports are
reported as published), and the command line (``--strict``, ``ignore:``, JSON detail).
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from clirun import gxgen

from gxgen import figures, loader
from gxgen.check import check_file, check_loaded
from gxgen.figures import cn_number, find, normalise

ROOT = Path(__file__).resolve().parent.parent
PROSE = Path(__file__).parent / "fixtures" / "prose"
AGREE = sorted(PROSE.glob("*.yaml"))
CONTRA = PROSE / "contradict"


def read(text: str) -> list[tuple[str, str, Decimal]]:
    return [(s.kind, s.form, s.value) for s in find(normalise(text))]


def c_figure(path: Path) -> list:
    return [f for f in check_file(path, find_previous=False).findings if f.rule == "C-FIGURE"]


# --------------------------------------------------------------------------- numbers, phrases

@pytest.mark.parametrize(("text", "value"), [
    ("二", 2), ("两", 2), ("兩", 2), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105),
    ("两千三百", 2300), ("一万零一", 10001), ("二〇二一", None), ("一二", None),
])
def test_chinese_numbers(text: str, value: int | None) -> None:
    assert cn_number(text) == value


@pytest.mark.parametrize(("text", "expected"), [
    ("共收到政府信息公开申请12件。", [("new", "count", 12)]),
    ("共收到政府信息公开申请１２件。", [("new", "count", 12)]),
    ("共收到政府信息公开申请十二件。", [("new", "count", 12)]),
    ("共收到8份政府信息公开申请。", [("new", "count", 8)]),
    ("受理依申请公开政府信息0件。", [("accepted", "count", 0)]),
    ("新收政府信息公开申请56件，上年结转3件，办结55件，结转下年度继续办理4件。",
     [("new", "count", 56), ("carried_in", "count", 3), ("handled", "count", 55),
      ("carried_out", "count", 4)]),
    ("予以公开及部分公开258件，无法提供265件。",
     [("granted_partial", "count", 258), ("unavailable", "count", 265)]),
    ("其中，予以公开答复966件，占66.48%；不予处理的61件，占4.20%。",
     [("granted", "count", 966), ("granted", "share", Decimal("66.48")),
      ("not_processed", "count", 61), ("not_processed", "share", Decimal("4.20"))]),
    ("其他处理3件，不予公开两件。", [("other", "count", 3), ("withheld", "count", 2)]),
    ("被申请行政复议7件，提起行政诉讼9件。", [("review", "count", 7), ("litigation", "count", 9)]),
    ("发生3起行政复议案件。", [("review", "count", 3)]),
    ("公开行政许可决定1863件、行政处罚决定412件、行政强制决定37件。",
     [("licensing", "count", 1863), ("penalty", "count", 412), ("coercion", "count", 37)]),
    ("主动公开规章2件，制发行政规范性文件3件。",
     [("regulations", "count", 2), ("normative_documents", "count", 3)]),
    ("行政事业性收费12.5万元。", [("fees", "count", Decimal("12.5"))]),
    # traditional script (s2t, and zh-TW's 資訊)
    ("共收到政府資訊公開申請十二件，予以公開兩件。",
     [("new", "count", 12), ("granted", "count", 2)]),
    ("行政複議7件，訴訟9件，均獲維持。",
     [("review", "count", 7), ("litigation", "count", 9), ("upheld_all", "claim", 0)]),
])
def test_statements_read(text: str, expected: list) -> None:
    assert read(text) == [(k, f, Decimal(v)) for k, f, v in expected]


@pytest.mark.parametrize("text", [
    "收到意见建议12件。",                       # not applications
    "办理行政许可事项2054项。",                 # 项 is not a count of decisions
    "主动公开各类政府信息180余条。",            # approximate
    "共收到政府信息公开申请近百件。",
    "共收到政府信息公开申请约50件。",
    "共收到政府信息公开申请超过100件。",
    "共收到政府信息公开申请20多件。",
    "收到并办结政府信息公开申请12件。",          # two statements, one figure
    "行政复议和行政诉讼共3件。",
    "行政复议、行政诉讼各1件。",
    "予以公开同比增加3件。",                     # a change, not a count
    "政府信息公开申请量比上年增长12%。",
    "规章13件（含新制定5件，修改4件），主动公开规章13件（含修改4件）。",
    "年末现行有效行政规范性文件12件。",
    "力争行政复议案件全部胜诉。",                # an aim, not a claim
    "行政诉讼未全部胜诉。",
    "未收到针对依申请公开工作的投诉。",
    "未发生因政府信息公开被纠错的行政复议案件。",
    "通过网上提交申请材料，100个高频事项、62个容缺受理事项。",
    "其中自然人申请41件，法人或其他组织申请15件。",
    "同意公开或部分公开共81件，公开率为30.80%。",
    "发出信息处理费收费通知1件。",
])
def test_left_alone(text: str) -> None:
    assert read(text) == []


@pytest.mark.parametrize(("text", "kind", "scope"), [
    ("未收到政府信息公开申请。", "no_applications", ()),
    ("2021年，未收到社会组织或群众个人提出的政府信息公开申请。", "no_applications", ()),
    ("未收到依申请公开事项。", "no_applications", ()),
    ("无行政复议、行政诉讼。", "no_reviews", ("复议", "诉讼")),
    ("未被申请行政复议。", "no_reviews", ("复议",)),
    ("未收取信息处理费。", "no_fees", ()),
    ("本年度未向申请人收取信息处理费。", "no_fees", ()),
])
def test_none_statements(text: str, kind: str, scope: tuple[str, ...]) -> None:
    found = find(normalise(text))
    assert [(s.kind, s.form, s.scope) for s in found] == [(kind, "none", scope)]


def test_traditional_vocabulary_reads_back() -> None:
    """Every word of the vocabulary, as OpenCC writes it in gxgen's traditional variants,
    reads back as the simplified word (the table in figures.yaml is complete)."""
    opencc = pytest.importorskip("opencc")
    data = figures.vocab().data
    words = {w for s in data["statements"].values() for w in s["words"]}
    words |= {w for c in data["claims"].values() for w in c["words"]}
    words |= {w for n in data["nones"].values() for w in (*n["negations"], *n["words"])}
    words |= set(data["applications"]) | set(data["filler"]) | set(data["share_words"])
    for config in ("s2t", "s2tw", "s2hk"):
        converter = opencc.OpenCC(config)
        for word in sorted(words):
            assert normalise(converter.convert(word)) == word, (config, word)


# --------------------------------------------------------------------------- the corpus

def test_corpus_size() -> None:
    assert len(AGREE) + len(list(CONTRA.glob("*.yaml"))) >= 19
    paragraphs = sum(len(text) for f in AGREE
                     for text in [list(figures.narratives(check_file(f, find_previous=False)
                                                          .facts))])
    assert paragraphs >= 20


@pytest.mark.parametrize("path", AGREE, ids=lambda p: p.name)
def test_corpus_agrees(path: Path) -> None:
    checked = check_file(path, find_previous=False)
    assert checked.facts is not None and checked.ok
    assert c_figure(path) == []


def _counts(path: Path) -> list[tuple[int, int, str, Decimal]]:
    """Every Arabic count statement of a fixture: (line, column, kind, value)."""
    checked = check_file(path, find_previous=False)
    facts = checked.facts
    out = []
    for where, raw in figures.narratives(facts):
        shown, index = figures.clean(raw)
        for st in find(normalise(shown)):
            if st.form != "count" or not shown[st.at].isascii():
                continue
            mark = facts.marks.locate(where, raw, index[st.at])
            out.append((mark.line, mark.col, st.kind, st.value))
    return out


MUTATIONS = [(p, c) for p in AGREE for c in _counts(p)]


@pytest.mark.parametrize(("path", "count"), MUTATIONS,
                         ids=[f"{p.name}:{c[0]}:{c[1]}" for p, c in MUTATIONS])
def test_corpus_changed_figure_is_found(tmp_path: Path, path: Path, count: tuple) -> None:
    """Changing one stated figure in the source gives exactly one C-FIGURE, at the figure."""
    line, col, kind, value = count
    lines = path.read_text("utf-8").split("\n")
    text = lines[line - 1]
    digits = len(str(value))
    assert text[col - 1:col - 1 + digits] == str(value)
    new = value + 1007
    lines[line - 1] = text[:col - 1] + str(new) + text[col - 1 + digits:]
    changed = tmp_path / path.name
    changed.write_text("\n".join(lines), "utf-8")
    found = c_figure(changed)
    assert [(f.line, f.col, f.detail["stated"]) for f in found] == [(line, col, int(new))]


def test_shanghai_2019_as_published() -> None:
    found = c_figure(CONTRA / "shanghai-office-2019.yaml")
    assert [f.message() for f in found] == [
        "叙述称“予以公开及部分公开258件”，但表三（一）予以公开+（二）部分公开=275，差 17",
        "叙述称“无法提供265件”，但表三（四）无法提供=337，差 72",
        "叙述称“均获维持”，但表四中 行政复议·尚未审结=2、未经复议直接起诉·尚未审结=1",
    ]
    assert [(f.line, f.col, f.severity, f.path) for f in found] == [
        (13, 45, "warning", "overview.0"), (13, 54, "warning", "overview.0"),
        (15, 29, "warning", "overview.1")]
    assert found[0].detail == {"cells": ["applications.granted.total",
                                         "applications.partial.total"],
                               "stated": 258, "table": 275}
    assert found[2].detail == {"cells": ["reviews.review.pending", "reviews.litigation.pending"],
                               "stated": 0, "table": 3}
    assert "the narrative says “无法提供265件”" in found[1].message("en")


def test_changchun_2023_as_published() -> None:
    found = c_figure(CONTRA / "changchun-2023.yaml")
    assert [(f.line, f.col, f.message()) for f in found] == [
        (12, 33, "叙述称“受理政府信息公开申请2件”，但表三本年新收=3，差 1")]


def test_none_statement_against_a_table(tmp_path: Path) -> None:
    source = (PROSE / "binjiang-xzfw-2021.yaml").read_text("utf-8")
    changed = tmp_path / "b.yaml"
    changed.write_text(source.replace("applications: {}", "applications:\n  new: {natural: 2}\n"
                                      "  granted: {natural: 2}")
                       .replace("reviews: {}", "reviews:\n  review: {upheld: 1}"), "utf-8")
    found = c_figure(changed)
    assert [f.code for f in found] == ["figure_none", "figure_none"]
    assert "表三中 本年新收=2" in found[0].message()
    assert "表四中 行政复议·总计=1" in found[1].message()


def test_share_changed(tmp_path: Path) -> None:
    source = (PROSE / "district-rollup-2022.yaml").read_text("utf-8")
    changed = tmp_path / "d.yaml"
    changed.write_text(source.replace("占66.48%", "占60.48%"), "utf-8")
    found = c_figure(changed)
    assert [f.code for f in found] == ["figure_share"]
    # the nearest of the three readings: 966 of 新收+结转 (1529), not of 办理结果总计 (66.48%)
    assert found[0].detail["stated"] == 60.48 and found[0].detail["table"] == 63.18
    assert found[0].message() == (
        "叙述称“予以公开答复966件，占60.48%”，但表三（一）予以公开=966，占本年新收+上年结转"
        "（1529）的 63.18%（以办理结果总计、本年新收或新收加上年结转为分母都不符）")


def test_examples_and_seeds_give_no_false_alarm() -> None:
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        assert c_figure(path) == [], path


# --------------------------------------------------------------------------- positions

BODY = """edition: "2021"
agency: 某局
year: 2022
overview:
  - |
    第一段。
    共收到政府信息公开申请12件。
  - 共收到政府信息公开申请12件，予以公开3件。
  - '它''s：共收到政府信息公开申请12件。'
  - >
    折叠：共收到政府信息公开申请12件。
  - "双引号：共收到政府信息公开申请12件。"
  - 一段很长的文字
    共收到政府信息公开申请12件。
proactive: {}
applications:
  new: {natural: 5}
  granted: {natural: 5}
reviews: {}
problems: 无问题需要说明。
"""


def test_columns_in_every_scalar_style() -> None:
    checked = check_loaded(loader.loads(BODY, "p.yaml"))
    found = [f for f in figures.check(checked.facts) if f.rule == "C-FIGURE"]
    places = [(f.line, f.col, f.detail["stated"]) for f in found]
    assert places == [(7, 16, 12), (8, 16, 12), (8, 24, 3), (9, 22, 12), (11, 19, 12),
                      (12, 5, 12), (14, 16, 12)]
    lines = BODY.split("\n")
    for line, col, stated in places:
        if line != 12:  # double-quoted: the value's own position
            assert lines[line - 1][col - 1:].startswith(str(stated))


# --------------------------------------------------------------------------- command line

def test_validate_strict_and_json(tmp_path: Path) -> None:
    clean = ROOT / "examples/demo-district/2022.yaml"
    assert gxgen("validate", "--strict", clean).exit_code == 0
    contra = CONTRA / "changchun-2023.yaml"
    assert gxgen("validate", contra).exit_code == 0
    strict = gxgen("validate", "--strict", contra)
    assert strict.exit_code == 1
    doc = json.loads(gxgen("validate", "--strict", "--format", "json", contra).stdout)
    figure = next(f for f in doc["findings"] if f["rule"] == "C-FIGURE")
    assert figure["severity"] == "error"
    assert (figure["cells"], figure["stated"], figure["table"]) == (
        ["applications.new.total"], 2, 3)
    assert doc["warnings"] == 0 and doc["errors"] == len(doc["findings"])


def test_ignore_silences_where_it_occurs(tmp_path: Path) -> None:
    source = (CONTRA / "shanghai-office-2019.yaml").read_text("utf-8")
    facts = tmp_path / "s.yaml"
    facts.write_text(source + "ignore:\n  - {rule: C-FIGURE, path: overview.1}\n"
                     "  - {rule: C-FIGURE, path: problems}\n  - {rule: T2-SUM}\n", "utf-8")
    result = gxgen("validate", "--format", "json", facts)
    doc = json.loads(result.stdout)
    ignored = [f for f in doc["findings"] if f.get("ignored")]
    assert [(f["rule"], f["line"], f["code"]) for f in ignored] == [
        ("C-FIGURE", 15, "figure_claim")]
    assert doc["ignored"] == 1
    live = [f for f in doc["findings"] if not f.get("ignored")]
    assert [f["code"] for f in live if f["rule"] == "C-FIGURE"] == ["figure_count"] * 2
    unused = [f for f in live if f["rule"] == "ignore"]
    assert [(f["code"], f["path"]) for f in unused] == [("ignored_unused", "ignore.1"),
                                                        ("ignored_unused", "ignore.2")]
    assert doc["warnings"] == len(live)
    text = gxgen("validate", facts)
    assert "另有 1 条警告按 ignore 忽略" in text.stderr
    assert "均获维持" not in text.stdout


def test_ignore_never_silences_an_error(tmp_path: Path) -> None:
    source = (CONTRA / "changchun-2023.yaml").read_text("utf-8")
    facts = tmp_path / "c.yaml"
    facts.write_text(source.replace("granted: {natural: 3}", "granted: {natural: 3}\n"
                                    "  total: {natural: 4}")
                     + "ignore:\n  - {rule: T2-SUM}\n", "utf-8")
    checked = check_file(facts)
    assert not checked.ok and checked.ignored == []
    assert "ignored_error" in [f.code for f in checked.findings]


def test_ignore_in_schema() -> None:
    schema = json.loads((ROOT / "schema.json").read_text("utf-8"))
    ignore = schema["$defs"]["edition-2021"]["properties"]["ignore"]
    assert ignore["items"]["required"] == ["rule"]


def test_batch_strict(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(CONTRA / "changchun-2023.yaml", src / "2023.yaml")
    args = ("batch", src, "-o", tmp_path / "out", "--format", "md", "--variant", "simplified",
            "-j", "1", "--no-progress")
    assert gxgen(*args).exit_code == 0
    strict = gxgen(*args, "--strict", "--force")
    assert strict.exit_code == 1
    assert "--strict：1 份报告有警告" in strict.stderr
    assert (tmp_path / "out" / "2023.md").is_file()
